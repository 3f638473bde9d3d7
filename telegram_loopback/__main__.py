"""``python -m telegram_loopback``: run the loopback Bot API server until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from telegram_loopback.server import BotApiServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m telegram_loopback", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port (default: 8081)")
    parser.add_argument("--token", help="the bot token to accept (default: a random one, printed)")
    parser.add_argument("--bot-username", default="newsbrief_test_bot")
    parser.add_argument("--spec", help="path of bot-api-spec.min.json (default: ../shared/telegram beside the repo)")
    parser.add_argument("--no-spec", action="store_true", help="do not check calls against the spec")
    parser.add_argument("--limits", action="store_true", help="enforce Telegram's sending limits (429 when broken)")
    parser.add_argument(
        "--lenient", action="store_true", help="only Telegram's own HTML and keyboard rules, not the stricter ones"
    )
    parser.add_argument("--users", type=int, default=0, help="create this many users with private chats")
    parser.add_argument(
        "--channels", type=int, default=0, help="create this many channels, the bot an administrator who may post in each"
    )
    args = parser.parse_args(argv)

    server = BotApiServer(
        token=args.token,
        host=args.host,
        port=args.port,
        spec=False if args.no_spec else args.spec,
        bot_username=args.bot_username,
        limits=args.limits,
        strict=not args.lenient,
    )
    created = server.add_users(args.users)
    channels = [server.add_channel(f"Channel {index + 1}", created[:1]) for index in range(args.channels)]
    server.start()
    spec = f"checked against {server.spec.version}" if server.spec else "spec checks off"
    print(f"Bot API server on {server.base_url}{server.token}/<method> ({spec})", flush=True)
    print(f"token: {server.token}", flush=True)
    print(f"base_url: {server.base_url}", flush=True)
    print(f"control: {server.url}/control/{server.token}/<action>", flush=True)
    users = f"{created[0].id}..{created[-1].id}" if created else "none (--users N, or the control URL's add_user)"
    if channels:
        print(f"channels: {channels[0]}..{channels[-1]}", flush=True)
    print(f"users: {users}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
