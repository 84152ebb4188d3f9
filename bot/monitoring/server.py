"""`GET /healthz` and `GET /metrics` on METRICS_HOST:METRICS_PORT (127.0.0.1 by default).

/healthz answers 200 with a JSON body when the bot is ready, connected to the gateway and
its database (if the question log is on) is up; 503 with the same body otherwise.

The port must never take the bot down, so the server bounds what a client can hold: at
most `max_connections` at once (one more is closed as soon as it is accepted), one request
per connection, whose head must arrive whole within `request_timeout` seconds and
`MAX_HEAD_BYTES`, else the connection is closed; a malformed request is answered 400 and
logged in one line, without a traceback; such lines are at most one a minute per kind,
with the count since the last. It is a small server of its own on asyncio streams:
aiohttp's has no limit on connections and no timeout for an unfinished request head (1,100
slow connections held every file descriptor of the process for a minute), and logs a
traceback for each malformed request; two GET endpoints need nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST

log = logging.getLogger(__name__)

HealthCheck = Callable[[], Awaitable[dict[str, Any]]]

MAX_CONNECTIONS = 32
REQUEST_TIMEOUT_SECONDS = 5.0
MAX_HEAD_BYTES = 8 * 1024
REPORT_EVERY = 60.0  # seconds between two log lines about the same kind of bad client


class MonitorServer:
    def __init__(
        self,
        host: str,
        port: int,
        health: HealthCheck,
        exposition: Callable[[], bytes],
        *,
        max_connections: int = MAX_CONNECTIONS,
        request_timeout: float = REQUEST_TIMEOUT_SECONDS,
    ) -> None:
        self.host = host
        self.port = port
        self._health = health
        self._exposition = exposition
        self.max_connections = max_connections
        self.request_timeout = request_timeout
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self.most_open = 0  # the most connections held at once
        self.refused = 0  # closed at once: too many open
        self.timed_out = 0  # closed: the request did not arrive in time
        self.bad = 0  # answered 400
        self._reported: dict[str, tuple[float, int]] = {}  # kind -> (when, count then)

    # -- lifetime
    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, limit=MAX_HEAD_BYTES
        )
        if self.port == 0:  # the OS picked one (tests)
            self.port = self._server.sockets[0].getsockname()[1]
        log.info("serving /healthz and /metrics on http://%s:%d", self.host, self.port)

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for writer in list(self._open):
            writer.transport.abort()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(server.wait_closed(), 2.0)

    # -- one connection, one request
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if len(self._open) >= self.max_connections:
            self.refused += 1
            self._note("refused", "too many connections open (at most %d)", self.max_connections)
            writer.transport.abort()
            return
        self._open.add(writer)
        self.most_open = max(self.most_open, len(self._open))
        try:
            await asyncio.wait_for(self._answer(reader, writer), self.request_timeout)
        except asyncio.TimeoutError:
            self.timed_out += 1
            self._note("timed_out", "a request did not arrive within %g s", self.request_timeout)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away
        finally:
            self._open.discard(writer)
            writer.transport.abort()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            await self._bad(writer, f"a request head longer than {MAX_HEAD_BYTES} bytes")
            return
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = request_line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            await self._bad(writer, f"a malformed request line {request_line[:80]!r}")
            return
        method, target = parts[0], parts[1].split("?", 1)[0]
        if method not in ("GET", "HEAD"):
            await self._send(writer, HTTPStatus.METHOD_NOT_ALLOWED, b"", "text/plain")
        elif target == "/healthz":
            status = await self._health()
            body = json.dumps(status).encode()
            code = HTTPStatus.OK if status.get("healthy") else HTTPStatus.SERVICE_UNAVAILABLE
            await self._send(writer, code, body, "application/json", head_only=method == "HEAD")
        elif target == "/metrics":
            body = self._exposition()
            await self._send(writer, HTTPStatus.OK, body, CONTENT_TYPE_LATEST, method == "HEAD")
        else:
            await self._send(writer, HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

    async def _bad(self, writer: asyncio.StreamWriter, what: str) -> None:
        self.bad += 1
        self._note("bad", "bad request: %s", what)
        await self._send(writer, HTTPStatus.BAD_REQUEST, b"bad request\n", "text/plain")

    @staticmethod
    async def _send(
        writer: asyncio.StreamWriter,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        head_only: bool = False,
    ) -> None:
        head = (
            f"HTTP/1.1 {status.value} {status.phrase}\r\n"
            f"Content-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode("latin-1")
        writer.write(head if head_only else head + body)
        await writer.drain()

    def _note(self, kind: str, message: str, *args: object) -> None:
        """One line per kind of trouble at most every REPORT_EVERY seconds, with the count."""
        now = time.monotonic()
        total = getattr(self, kind)
        last, counted = self._reported.get(kind, (float("-inf"), 0))
        if now - last < REPORT_EVERY:
            return
        self._reported[kind] = (now, total)
        log.warning(
            "monitoring port: %s (%d such since the last line)", message % args, total - counted
        )
