"""Settings for the Discord front-end, read from the environment and an optional `.env`.

Nothing is read at import time: `load_dotenv_once()` loads `.env` when the entry point asks
for it and `load_settings()` parses a mapping (the process environment by default), so
tests pass their own mapping and never touch `os.environ`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.kb.file_bytes import DEFAULT_LIMITS, ReadLimits
from bot.ops.logformat import LOG_FORMATS
from bot.settings_values import (
    ConfigError,
    clean,
    optional,
    parse_bool,
    parse_float,
    parse_id_list,
    parse_int,
    parse_snowflake,
)
from bot.storage.settings import StorageSettings, storage_settings

TOKEN_ENV = "DISCORD_TOKEN"
# Every variable `load_settings` reads; `.env.example` documents each of them.
VARIABLES = (
    TOKEN_ENV,
    "DEV_GUILD_ID",
    "FREE_TEXT_CHANNEL_IDS",
    "MESSAGE_CONTENT_INTENT",
    "OWNER_IDS",
    "KNOWLEDGE_DIR",
    "COMMAND_COOLDOWN_RATE",
    "COMMAND_COOLDOWN_SECONDS",
    "FREE_TEXT_COOLDOWN_RATE",
    "FREE_TEXT_COOLDOWN_SECONDS",
    "MAX_QUESTION_LENGTH",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "SHARD_COUNT",
    "SHARD_IDS",
    "CONVERSATION_IDLE_SECONDS",
    "CONVERSATION_MAX",
    "KNOWLEDGE_MAX_FILE_BYTES",
    "KNOWLEDGE_MAX_VALUES",
    "KNOWLEDGE_MAX_DEPTH",
    "ENGINE_CACHE_DIR",
    "RELOAD_TIMEOUT_SECONDS",
    "CONNECT_RETRY_MAX_SECONDS",
    # the question log, feedback and monitoring (`storage_settings`)
    "DATA_DIR",
    "DATABASE_URL",
    "QUESTION_LOG",
    "QUESTION_LOG_TEXT",
    "QUESTION_LOG_GUILD",
    "QUESTION_LOG_RETENTION_DAYS",
    "QUESTION_LOG_RETRY_SECONDS",
    "FEEDBACK_SECRET",
    "METRICS_HOST",
    "METRICS_PORT",
)
# ENGINE_CACHE_DIR: blank picks the usual cache directory; one of these turns the cache off.
CACHE_OFF = frozenset({"off", "none", "false", "0", "no"})

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True, slots=True)
class EngineCacheSetting:
    """Where built engines are cached: `directory` None means the usual cache directory."""

    enabled: bool = True
    directory: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the Discord front-end reads from its environment.

    The token is kept out of `repr()` so a logged or printed `Settings` never leaks it.
    """

    token: str | None = field(default=None, repr=False)
    dev_guild_id: int | None = None
    free_text_channel_ids: frozenset[int] = frozenset()
    owner_ids: frozenset[int] = frozenset()
    knowledge_dir: str | None = None
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one object a line, for log shippers
    message_content_intent: bool = False
    command_cooldown_rate: int = 5
    command_cooldown_seconds: float = 30.0
    free_text_cooldown_rate: int = 3
    free_text_cooldown_seconds: float = 30.0
    max_question_length: int = 500
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    conversation_idle_seconds: float = 600.0
    conversation_max: int = 10_000
    read_limits: ReadLimits = DEFAULT_LIMITS
    engine_cache: EngineCacheSetting = EngineCacheSetting()
    reload_timeout_seconds: float = 120.0
    connect_retry_max_seconds: float = 300.0
    storage: StorageSettings = field(default_factory=lambda: StorageSettings())
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = None  # /healthz and /metrics are served only when set

    @property
    def wants_message_content(self) -> bool:
        """Whether to request the privileged Message Content intent.

        Mentions and DMs carry their content without it; only listening in the configured
        free-text channels needs it, so it is requested when those are set or when asked.
        """
        return self.message_content_intent or bool(self.free_text_channel_ids)

    @property
    def has_token(self) -> bool:
        return bool(self.token)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Parse the settings from `environ` (default: the process environment).

    Raises `ConfigError` naming the first variable whose value is unusable.
    """
    env = os.environ if environ is None else environ

    log_level = clean(env, "LOG_LEVEL").upper() or "INFO"
    if log_level not in _LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL={log_level!r} is not one of {', '.join(_LOG_LEVELS)}")
    log_format = clean(env, "LOG_FORMAT").lower() or "text"
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT={log_format!r} is not one of {', '.join(LOG_FORMATS)}")

    shard_count = optional(env, "SHARD_COUNT", lambda n, r: parse_int(n, r, minimum=1), None)
    shard_ids_raw = clean(env, "SHARD_IDS")
    shard_ids: tuple[int, ...] | None = None
    if shard_ids_raw:
        if shard_count is None:
            raise ConfigError(f"SHARD_IDS={shard_ids_raw!r} needs SHARD_COUNT to be set too")
        shard_ids = parse_id_list(
            "SHARD_IDS", shard_ids_raw, lambda n, r: parse_int(n, r, minimum=0)
        )
        too_big = [i for i in shard_ids if i >= shard_count]
        if too_big:
            raise ConfigError(
                f"SHARD_IDS={shard_ids_raw!r} has ids not below SHARD_COUNT={shard_count}"
            )

    knowledge_dir = clean(env, "KNOWLEDGE_DIR") or None
    positive = functools.partial(parse_float, minimum_exclusive=0.0)

    return Settings(
        token=clean(env, TOKEN_ENV) or None,
        dev_guild_id=optional(env, "DEV_GUILD_ID", parse_snowflake, None),
        free_text_channel_ids=frozenset(
            parse_id_list(
                "FREE_TEXT_CHANNEL_IDS", clean(env, "FREE_TEXT_CHANNEL_IDS"), parse_snowflake
            )
        ),
        owner_ids=frozenset(parse_id_list("OWNER_IDS", clean(env, "OWNER_IDS"), parse_snowflake)),
        knowledge_dir=str(Path(knowledge_dir).expanduser()) if knowledge_dir else None,
        log_level=log_level,
        log_format=log_format,
        message_content_intent=optional(env, "MESSAGE_CONTENT_INTENT", parse_bool, False),
        command_cooldown_rate=optional(
            env, "COMMAND_COOLDOWN_RATE", lambda n, r: parse_int(n, r, minimum=1), 5
        ),
        command_cooldown_seconds=optional(
            env,
            "COMMAND_COOLDOWN_SECONDS",
            lambda n, r: parse_float(n, r, minimum_exclusive=0.0),
            30.0,
        ),
        free_text_cooldown_rate=optional(
            env, "FREE_TEXT_COOLDOWN_RATE", lambda n, r: parse_int(n, r, minimum=1), 3
        ),
        free_text_cooldown_seconds=optional(
            env,
            "FREE_TEXT_COOLDOWN_SECONDS",
            lambda n, r: parse_float(n, r, minimum_exclusive=0.0),
            30.0,
        ),
        max_question_length=optional(
            env,
            "MAX_QUESTION_LENGTH",
            # Slash-command string options stop at 6,000 characters; a message at 4,000.
            lambda n, r: parse_int(n, r, minimum=1, maximum=4000),
            500,
        ),
        shard_count=shard_count,
        shard_ids=shard_ids,
        conversation_idle_seconds=optional(
            env,
            "CONVERSATION_IDLE_SECONDS",
            lambda n, r: parse_float(n, r, minimum_exclusive=0.0),
            600.0,
        ),
        conversation_max=optional(
            env, "CONVERSATION_MAX", lambda n, r: parse_int(n, r, minimum=1), 10_000
        ),
        read_limits=load_read_limits(env),
        engine_cache=load_engine_cache_setting(env),
        reload_timeout_seconds=optional(env, "RELOAD_TIMEOUT_SECONDS", positive, 120.0),
        connect_retry_max_seconds=optional(env, "CONNECT_RETRY_MAX_SECONDS", positive, 300.0),
        storage=storage_settings(env),
        metrics_host=clean(env, "METRICS_HOST") or "127.0.0.1",
        metrics_port=optional(
            env, "METRICS_PORT", lambda n, r: parse_int(n, r, minimum=1, maximum=65535), None
        ),
    )


def load_read_limits(environ: Mapping[str, str] | None = None) -> ReadLimits:
    """How much one knowledge-base file may hold, for `run`, `check`, `ask` and /reload alike.

    The defaults fit the shipped base many times over; a much larger base raises them here.
    """
    env = os.environ if environ is None else environ

    def bounded(name: str, default: int, minimum: int, maximum: int) -> int:
        return optional(
            env, name, lambda n, r: parse_int(n, r, minimum=minimum, maximum=maximum), default
        )

    return ReadLimits(
        max_file_bytes=bounded(
            "KNOWLEDGE_MAX_FILE_BYTES", DEFAULT_LIMITS.max_file_bytes, 1024, 2**30
        ),
        max_nodes=bounded("KNOWLEDGE_MAX_VALUES", DEFAULT_LIMITS.max_nodes, 100, 100_000_000),
        # Deeper nesting than this would run into Python's recursion limit while composing.
        max_depth=bounded("KNOWLEDGE_MAX_DEPTH", DEFAULT_LIMITS.max_depth, 4, 100),
    )


def load_engine_cache_setting(environ: Mapping[str, str] | None = None) -> EngineCacheSetting:
    """ENGINE_CACHE_DIR: blank for the usual cache directory, `off` for no cache."""
    env = os.environ if environ is None else environ
    raw = clean(env, "ENGINE_CACHE_DIR")
    if raw.casefold() in CACHE_OFF:
        return EngineCacheSetting(enabled=False)
    return EngineCacheSetting(directory=str(Path(raw).expanduser()) if raw else None)


_dotenv_loaded: list[Path | None] = []  # a one-slot latch: has `.env` been read yet?


def load_dotenv_once(path: str | os.PathLike[str] | None = None) -> Path | None:
    """Load `.env` into the process environment once; variables already set win.

    The file is looked up from the working directory (where systemd or Docker start the
    bot), or given explicitly. Returns the file read, if any.
    """
    if _dotenv_loaded:
        return _dotenv_loaded[0]
    from dotenv import find_dotenv, load_dotenv

    found = Path(path) if path is not None else None
    if found is None:
        located = find_dotenv(usecwd=True)
        found = Path(located) if located else None
    if found is not None and found.is_file():
        load_dotenv(found, override=False)
    else:
        found = None
    _dotenv_loaded.append(found)
    return found


def token_configured(environ: Mapping[str, str] | None = None) -> bool:
    """Whether a Discord token is set (the value itself is never returned or logged)."""
    env = os.environ if environ is None else environ
    return bool(clean(env, TOKEN_ENV))
