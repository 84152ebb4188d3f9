"""The /healthz and /metrics port under hostile clients (127.0.0.1 only, bounded loops):
slow connections are bounded in number and in time, a malformed request costs one line."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.monitoring.server import MonitorServer

CAP = 8
TIMEOUT = 0.5  # seconds for a request head to arrive (5 s in the bot)
SLOW = 40  # slow connections opened, five times the cap


async def healthy() -> dict:
    return {"healthy": True}


@contextlib.asynccontextmanager
async def monitor():
    server = MonitorServer(
        "127.0.0.1",
        0,
        healthy,
        lambda: b"kcbot_up 1\n",
        max_connections=CAP,
        request_timeout=TIMEOUT,
    )
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def request(port: int, raw: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 30)
    finally:
        writer.close()


async def closed_by_server(reader: asyncio.StreamReader) -> bool:
    with contextlib.suppress(ConnectionError):
        await asyncio.wait_for(reader.read(), 30)
    return True


async def test_slow_connections_are_bounded_in_number_and_in_time():
    """Clients that open a connection and send half a request head: at most CAP are held at
    once (the others are closed as soon as accepted), each held one is closed once its
    request is late, and /healthz answers again right after."""
    async with monitor() as server:
        connections = []
        for _ in range(SLOW):
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
            connections.append((reader, writer))
        try:
            closed = await asyncio.gather(*(closed_by_server(r) for r, _ in connections))
        finally:
            for _, writer in connections:
                writer.close()
        assert all(closed)
        assert server.most_open <= CAP
        assert server.refused + server.timed_out == SLOW
        assert server.timed_out >= 1
        reply = await request(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 200 OK")
        assert reply.endswith(b'{"healthy": true}')


async def test_a_malformed_request_is_answered_400_and_logged_in_one_line(caplog):
    async with monitor() as server:
        with caplog.at_level(logging.DEBUG):
            reply = await request(server.port, b"\x16\x03\x01 not http at all\r\n\r\n")
            await request(server.port, b"GET /metrics HTTP/1.1\r\n" + b"X: y\r\n" * 2000)
    assert reply.startswith(b"HTTP/1.1 400")
    lines = [r for r in caplog.records if r.name.startswith("bot.monitoring")]
    assert len([r for r in lines if "bad request" in r.getMessage()]) == 1
    assert not [r for r in caplog.records if r.exc_info]
    assert server.bad == 2


async def test_endpoints_answer_and_close():
    async with monitor() as server:
        metrics = await request(server.port, b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        missing = await request(server.port, b"GET /nothing HTTP/1.1\r\n\r\n")
        posted = await request(server.port, b"POST /healthz HTTP/1.1\r\n\r\n")
    assert metrics.startswith(b"HTTP/1.1 200 OK")
    assert b"Connection: close" in metrics
    assert metrics.endswith(b"kcbot_up 1\n")
    assert missing.startswith(b"HTTP/1.1 404")
    assert posted.startswith(b"HTTP/1.1 405")
