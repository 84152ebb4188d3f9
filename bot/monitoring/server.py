"""`GET /healthz` and `GET /metrics` on METRICS_HOST:METRICS_PORT (127.0.0.1 by default).

/healthz answers 200 with a JSON body when the bot is ready, connected to the gateway and
its database (if the question log is on) answers; 503 with the same body otherwise.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

log = logging.getLogger(__name__)

HealthCheck = Callable[[], Awaitable[dict[str, Any]]]


class MonitorServer:
    def __init__(
        self, host: str, port: int, health: HealthCheck, exposition: Callable[[], bytes]
    ) -> None:
        self.host = host
        self.port = port
        self._health = health
        self._exposition = exposition
        self._runner: web.AppRunner | None = None

    async def _healthz(self, request: web.Request) -> web.Response:
        status = await self._health()
        return web.json_response(status, status=200 if status.get("healthy") else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        response = web.Response(body=self._exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        if self.port == 0 and runner.addresses:  # port 0: the OS picked one (tests)
            self.port = runner.addresses[0][1]
        log.info("serving /healthz and /metrics on http://%s:%d", self.host, self.port)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
