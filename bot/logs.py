"""The bot process's log: one format, and never the bot token (issue 12).

The token is the bot: whoever reads it can act as the bot. It travels in every Bot API URL
(https://api.telegram.org/bot<token>/getMe), so the HTTP libraries' DEBUG lines carry it, and
python-telegram-bot puts it in InvalidToken's message and so in tracebacks. `RedactToken` takes it
out of every record a handler writes: the message with its arguments, the formatted traceback and
the stack; the configured token by value, and anything shaped like a bot token by shape.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# A bot token: the bot's numeric id, a colon, and a secret of letters, digits, - and _ (BotFather's form).
# The lookbehind starts a match only where a run of digits starts, so a long run is scanned once.
TOKEN_SHAPE = re.compile(r"(?<!\d)\d{6,}:[A-Za-z0-9_-]{30,}")
REDACTED = "<redacted token>"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactToken(logging.Filter):
    """A handler filter that writes REDACTED for the given secrets and for anything shaped like a bot token."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        # Longest first, so a secret containing another is replaced whole.
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """The text with every secret and every token-shaped string replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        # The message is formatted here, with its arguments (a URL object's str carries the token), and kept.
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: log what there is rather than nothing
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            # Formatted once here: a Formatter writes exc_text when it is set, and never formats exc_info again.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(level: str, token: str | None) -> RedactToken:
    """Log to stderr at `level` (the bot's format), every root handler redacting the token; the filter."""
    logging.basicConfig(level=level.upper(), format=FORMAT)
    redact = RedactToken([token])
    for handler in logging.getLogger().handlers:
        if not any(isinstance(existing, RedactToken) for existing in handler.filters):
            handler.addFilter(redact)
    return redact
