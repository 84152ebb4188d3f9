"""`python -m bot run` and `python -m bot sync`: settings, knowledge, bot, and clear exits.

Both return a process exit code: 0 on success, 1 for anything the operator must fix (bad
configuration, missing or rejected token, invalid knowledge base, privileged intent not
enabled), each explained in one line on stderr without a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.config import TOKEN_ENV, ConfigError, Settings, load_dotenv_once, load_settings
from bot.discord_app.client import KCBot, create_bot, engine_source
from bot.discord_app.connect import failure_message, run_until_stopped
from bot.ops.isolated import IsolatedLoader
from bot.ops.logformat import install_handler
from bot.storage.migrate import MigrationError

if TYPE_CHECKING:
    from bot.app import Knowledge

EXIT_OK = 0
EXIT_FAILED = 1

log = logging.getLogger(__name__)


def _fail(message: str) -> int:
    print(f"kcbot: {message}", file=sys.stderr, flush=True)
    return EXIT_FAILED


def configure_logging(
    level: str,
    *,
    log_format: str = "text",
    secrets: Sequence[str] = (),
    handler: logging.Handler | None = None,
) -> None:
    """Logs on stderr (or `handler`) as `LOG_FORMAT` says, tokens redacted at every level."""
    install_handler(level, log_format=log_format, secrets=secrets, handler=handler)
    # The bot is text-only: discord.py's start-up warnings that PyNaCl and davey (voice) are
    # missing name nothing to fix. These switches are discord.py's own way to turn exactly
    # those two off; the logger's other warnings stay.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


def _prepare(knowledge_dir: str | None) -> tuple[Settings, Knowledge, str] | int:
    """Settings, knowledge and token, or an exit code after explaining what is wrong."""
    load_dotenv_once()
    try:
        settings = load_settings()
    except ConfigError as exc:
        return _fail(f"configuration error: {exc}")
    token = settings.token
    if not token:
        return _fail(f"{TOKEN_ENV} is not set (put it in the environment or in .env)")

    configure_logging(settings.log_level, log_format=settings.log_format, secrets=[token])

    from bot.kb.loader import KnowledgeBaseError

    try:
        knowledge = engine_source(settings, knowledge_dir).load()
    except KnowledgeBaseError as exc:
        print(str(exc), file=sys.stderr, flush=True)
        return _fail("the knowledge base is invalid; fix the problems above (see `kcbot check`)")
    return settings, knowledge, token


def _build(
    settings: Settings, knowledge: Knowledge, knowledge_dir: str | None, **options: Any
) -> KCBot:
    loader = IsolatedLoader(engine_source(settings, knowledge_dir), settings.reload_timeout_seconds)
    options.setdefault("freeze_when_ready", True)  # the bot has the process to itself
    return create_bot(settings, knowledge, knowledge_loader=loader, **options)


async def _sync(bot: KCBot, token: str, guild_id: int | None) -> int:
    async with bot:
        # login() runs setup_hook (which loads the commands) and needs no gateway.
        await bot.login(token)
        synced = await bot.sync_commands(guild_id)
    where = f"guild {guild_id}" if guild_id is not None else "all guilds (global)"
    names = ", ".join(f"/{command.name}" for command in synced) or "none"
    print(f"Synced {len(synced)} commands to {where}: {names}", flush=True)
    if guild_id is None:
        print("Global commands can take up to an hour to appear everywhere.", flush=True)
    return EXIT_OK if synced or guild_id is None else EXIT_FAILED


async def exit_code_of(coro: Awaitable[int | None]) -> int:
    """Await `coro`; a failure only the operator can fix becomes one line and exit code 1."""
    try:
        result = await coro
    except (discord.ClientException, discord.HTTPException) as exc:
        message = failure_message(exc)
        if message is None:
            raise
        return _fail(message)
    except MigrationError as exc:  # the question log's database belongs to a newer kcbot
        return _fail(str(exc))
    return EXIT_OK if result is None else int(result)


def _run_async(coro: Awaitable[int | None]) -> int:
    try:
        return asyncio.run(exit_code_of(coro))
    except (KeyboardInterrupt, asyncio.CancelledError):  # a second signal cut the stop short
        return EXIT_OK


def run(knowledge_dir: str | None = None) -> int:
    """Run the bot until interrupted; returns the process exit code."""
    prepared = _prepare(knowledge_dir)
    if isinstance(prepared, int):
        return prepared
    settings, knowledge, token = prepared

    def make_bot(current: Knowledge) -> KCBot:
        return _build(settings, current, knowledge_dir)

    return _run_async(
        run_until_stopped(make_bot, knowledge, token, max_delay=settings.connect_retry_max_seconds)
    )


def sync(knowledge_dir: str | None = None, guild_id: int | None = None) -> int:
    """Log in, publish the slash commands (to one guild or globally), log out."""
    prepared = _prepare(knowledge_dir)
    if isinstance(prepared, int):
        return prepared
    settings, knowledge, token = prepared
    bot = _build(settings, knowledge, knowledge_dir, sync_dev_guild=False, services=False)
    return _run_async(_sync(bot, token, guild_id))
