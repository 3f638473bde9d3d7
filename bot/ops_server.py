"""The operator's HTTP endpoints, in the bot's own event loop: GET /healthz (JSON) and GET /metrics (Prometheus).

Both read the store, so each request's work runs in a thread, under a deadline: a store that
hangs makes /healthz answer 503, never hang.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.health import check_health
from bot.metrics import CONTENT_TYPE, BotMetrics

log = logging.getLogger(__name__)

# Seconds a probe waits for the store before the answer is "unreachable".
STORE_DEADLINE = 5.0


class OpsServer:
    """/healthz and /metrics on listen:port (port 0: any free port, read `port` once started)."""

    def __init__(
        self, metrics: BotMetrics, clock: Callable[[], datetime], *, listen: str = "127.0.0.1", port: int = 0, push_late_after: float = 300.0
    ) -> None:
        self.metrics = metrics
        self.clock = clock
        self.listen = listen
        self.requested_port = port
        self.push_late_after = push_late_after
        self.port: int | None = None
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.listen, self.requested_port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("health and metrics on http://%s:%s/healthz and /metrics", self.listen, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _request: web.Request) -> web.Response:
        now = self.clock()
        try:
            health = await asyncio.wait_for(
                asyncio.to_thread(check_health, self.metrics, now, push_late_after=self.push_late_after), STORE_DEADLINE
            )
        except TimeoutError:
            body = {"status": "unhealthy", "store": "unreachable", "problems": [f"store unreachable: no answer in {STORE_DEADLINE:.0f} s"]}
            return web.json_response(body, status=503)
        return web.json_response(health.as_json(), status=health.status_code)

    async def _metrics(self, _request: web.Request) -> web.Response:
        body = await asyncio.to_thread(self.metrics.exposition)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})
