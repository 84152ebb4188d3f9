"""Connecting to Discord: ride out a network outage, stop at once on what only the operator
can fix.

With the network down at boot (no DNS, Discord unreachable, a Discord outage) the bot keeps
trying, with exponential backoff capped at CONNECT_RETRY_MAX_SECONDS and one log line per
attempt; every attempt uses a fresh client, so nothing half-opened is reused. A rejected
token (at login, or gateway close 4004 while running), a refused privileged intent (4014)
and the other gateway codes that no retry can cure end the process with one line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord

from bot.config import TOKEN_ENV
from bot.discord_app.stopping import StopSignals

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0
# An attempt that stayed up this long was a working connection: start the backoff again.
STABLE_SECONDS = 60.0
NETWORK_ERRORS = (
    OSError,  # connection refused or reset, DNS failure (aiohttp's errors are OSErrors too)
    aiohttp.ClientError,
    asyncio.TimeoutError,
    discord.GatewayNotFound,
    discord.DiscordServerError,  # 5xx after discord.py's own retries
)
# Gateway close codes that no reconnect can cure (Discord's documentation).
FATAL_CLOSE_CODES = {
    4004: f"Discord rejected {TOKEN_ENV} (gateway close 4004: authentication failed; "
    "was the token reset?); put the new token in the configuration",
    4010: "Discord refused the shard (gateway close 4010); check SHARD_IDS and SHARD_COUNT",
    4011: "Discord requires sharding (gateway close 4011); set SHARD_COUNT or leave it blank",
    4012: "Discord refused the gateway version (gateway close 4012); update discord.py",
    4013: "Discord refused the intents (gateway close 4013: invalid intents)",
}
PRIVILEGED_INTENT_REFUSED = (
    "Discord refused the Message Content intent: enable it under Bot → Privileged "
    "Gateway Intents, or unset FREE_TEXT_CHANNEL_IDS and MESSAGE_CONTENT_INTENT"
)


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def run_until_stopped(
    make_bot: Callable[[Any], discord.Client],
    knowledge: Any,
    token: str,
    *,
    max_delay: float,
    first_delay: float = FIRST_DELAY,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> None:
    """Start a bot from `make_bot(knowledge)` and run it until it stops; retry network
    failures. SIGINT and SIGTERM stop it (`bot.discord_app.stopping`), also between two
    attempts.

    Knowledge reloaded meanwhile carries over to the next attempt. Other exceptions propagate
    (see `failure_message`).
    """
    delay = first_delay
    attempt = 1
    stop = StopSignals()
    with stop.installed():
        while not stop.requested.is_set():
            bot = make_bot(knowledge)
            stop.watch(bot)
            started = time.monotonic()
            try:
                async with bot:
                    await bot.start(token)
                return
            except NETWORK_ERRORS as exc:
                if stop.requested.is_set():
                    return
                knowledge = getattr(getattr(bot, "app", None), "knowledge", knowledge)
                if time.monotonic() - started > STABLE_SECONDS:
                    delay, attempt = first_delay, 1
                log.warning(
                    "cannot reach Discord (%s); attempt %d failed, retrying in %.3g s",
                    _describe(exc),
                    attempt,
                    delay,
                )
                await stop.wait(delay, sleep)
                delay = min(delay * 2, max_delay)
                attempt += 1


def failure_message(exc: BaseException) -> str | None:
    """The one line for a failure only the operator can fix, or None for anything else."""
    if isinstance(exc, discord.LoginFailure):
        return f"Discord rejected {TOKEN_ENV}; check the bot token in the developer portal"
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return PRIVILEGED_INTENT_REFUSED
    if isinstance(exc, discord.ConnectionClosed) and exc.code in FATAL_CLOSE_CODES:
        return FATAL_CLOSE_CODES[exc.code]
    if isinstance(exc, discord.HTTPException):
        return f"Discord answered with an error: {exc}"
    return None
