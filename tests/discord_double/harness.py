"""Pointing an unmodified discord.py client at the double, and running a bot against it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import types
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

import discord
import discord.gateway
import discord.http
import discord.webhook.async_
import yarl

from .server import DiscordDouble

log = logging.getLogger(__name__)

ClientT = TypeVar("ClientT", bound=discord.Client)

#: ``guild_ready_timeout`` passed to bot factories: discord.py waits this long after the last
#: GUILD_CREATE before dispatching ``on_ready`` (its default is 2 s). The double sends every
#: GUILD_CREATE right after READY, so a short wait is enough.
FAST_GUILD_READY_TIMEOUT = 0.1


@contextlib.contextmanager
def redirect_discord(double: DiscordDouble, monkeypatch: Any = None) -> Iterator[None]:
    """Point discord.py's REST base and default gateway at ``double``; restore on exit.

    Only two class attributes change: ``discord.http.Route.BASE`` (every REST route, webhooks
    and interaction callbacks included, is built from it) and
    ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` (used by ``Client.connect``, by
    ``AutoShardedClient`` when re-identifying, and after INVALID_SESSION). ``AutoShardedClient``
    otherwise takes its gateway from ``GET /gateway/bot``, which the double answers with its own
    address; resumes go to the ``resume_gateway_url`` from READY, also the double's.
    With a pytest ``monkeypatch`` the attributes are restored by it instead.
    """
    if double.port is None:
        raise RuntimeError("start the double before redirecting discord.py to it")
    targets = [
        (discord.http.Route, "BASE", double.base_url),
        (discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(double.gateway_url)),
    ]
    if monkeypatch is not None:
        for obj, name, value in targets:
            monkeypatch.setattr(obj, name, value)
        yield
        return
    saved = [(obj, name, obj.__dict__[name]) for obj, name, _ in targets]
    try:
        for obj, name, value in targets:
            setattr(obj, name, value)
        yield
    finally:
        for obj, name, value in saved:
            setattr(obj, name, value)


class _ScaledAsyncio(types.ModuleType):
    """``asyncio`` as seen by one discord.py module, with ``sleep`` scaled down."""

    def __init__(self, factor: float) -> None:
        super().__init__("asyncio")
        self._factor = factor

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, delay: float, result: Any = None) -> Any:
        return await asyncio.sleep(delay * self._factor, result)


@contextlib.contextmanager
def fast_http_backoff(factor: float = 0.01) -> Iterator[None]:
    """Scale the sleeps of discord.py's REST/webhook retry loops by ``factor`` while active.

    discord.py retries a 5xx five times, sleeping 1, 3, 5, 7 and 9 s (25 s before it raises
    ``DiscordServerError``); tests of that path use this. It also scales the sleep on 429s, so
    tests that check ``Retry-After`` is honoured should not use it. The bot's code is untouched:
    only the ``asyncio`` name inside ``discord.http`` and ``discord.webhook.async_`` is swapped.
    """
    modules = (discord.http, discord.webhook.async_)
    saved = [m.asyncio for m in modules]  # type: ignore[attr-defined]
    try:
        for module in modules:
            module.asyncio = _ScaledAsyncio(factor)  # type: ignore[attr-defined]
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.asyncio = original  # type: ignore[attr-defined]


BotFactory = Callable[..., ClientT]


@contextlib.asynccontextmanager
async def running_bot(
    double: DiscordDouble,
    bot_factory: BotFactory[ClientT] | ClientT,
    *,
    ready_timeout: float = 10.0,
    close_timeout: float = 5.0,
    guild_ready_timeout: float = FAST_GUILD_READY_TIMEOUT,
    monkeypatch: Any = None,
) -> AsyncIterator[ClientT]:
    """Run a discord.py ``Client``/``Bot``/``AutoShardedBot`` against ``double`` until exit.

    ``bot_factory`` is called as ``bot_factory(guild_ready_timeout=...)`` and must forward that
    keyword to the ``discord.Client`` constructor (``**kwargs`` → ``super().__init__``) so that
    ``on_ready`` comes within a fraction of a second. An already built client is accepted too
    (it then waits its own ``guild_ready_timeout``, 2 s by default).

    The base addresses are redirected (see ``redirect_discord``), the bot is started with
    ``await bot.start(double.token)`` in a task, and the block is entered once
    ``bot.is_ready()``. On exit the bot is closed and its task awaited, all with timeouts.
    A bot that fails to start raises its exception here.
    """
    with redirect_discord(double, monkeypatch):
        if isinstance(bot_factory, discord.Client):
            bot = bot_factory
        else:
            bot = bot_factory(guild_ready_timeout=guild_ready_timeout)
        task = asyncio.create_task(bot.start(double.token), name="discord-double-bot")
        try:
            await _wait_ready(bot, task, ready_timeout)
            yield bot
        except BaseException:
            await _shutdown(bot, task, close_timeout)
            raise
        error = await _shutdown(bot, task, close_timeout)
        if error is not None:
            raise RuntimeError("the bot's start() task failed while running") from error


async def _wait_ready(bot: discord.Client, task: asyncio.Task, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not bot.is_ready():
        if task.done():
            exc = task.exception()
            raise exc if exc is not None else RuntimeError("bot.start() returned early")
        if loop.time() > deadline:
            raise TimeoutError(f"bot not ready within {timeout}s")
        await asyncio.sleep(0.01)


async def _shutdown(
    bot: discord.Client, task: asyncio.Task, timeout: float
) -> BaseException | None:
    """Close the bot and await its start() task; returns the exception the task ended with."""
    try:
        await asyncio.wait_for(bot.close(), timeout)
    except Exception:
        log.exception("closing the bot failed")
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        return None
    if task.cancelled():
        return None
    return task.exception()
