"""The question log's settings (DATA_DIR, DATABASE_URL, QUESTION_LOG*, FEEDBACK_SECRET),
read like every other setting and part of `bot.config.Settings` as `settings.storage`.

Kept apart from `bot.config` to keep that module short; the parsing helpers are its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

RETENTION_DAYS = 30
# A question the same person asks within this many seconds of the previous one is logged
# as asking it again (a retry usually means the first answer missed); 0: none is.
RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 600  # ten minutes later a question is a new one, not a second try
_MIN_SECRET_CHARS = 16


@dataclass(frozen=True, slots=True)
class StorageSettings:
    """Where the question log and the feedback live, and what the log keeps.

    `data_dir` None means the platform's place for the bot's data (`bot.storage.paths`);
    `database_url` None means a SQLite file in the data directory. Both are resolved when
    the database is opened, so building settings never touches the file system.
    """

    data_dir: str | None = None
    database_url: str | None = field(default=None, repr=False)  # may carry a password
    question_log: bool = True
    keep_question_text: bool = True
    keep_guild_id: bool = False
    retention_days: int = RETENTION_DAYS
    retry_seconds: int = RETRY_SECONDS
    feedback_secret: str | None = field(default=None, repr=False)


def storage_settings(environ: Mapping[str, str] | None = None) -> StorageSettings:
    """The question log's settings alone (the console and `report` need no token).

    Raises `bot.config.ConfigError` naming the first variable whose value is unusable.
    """
    from bot.settings_values import ConfigError, clean, optional, parse_bool, parse_int

    env = os.environ if environ is None else environ
    data_dir = clean(env, "DATA_DIR")
    database_url = clean(env, "DATABASE_URL") or None
    if database_url is not None:
        from bot.storage.urls import DatabaseURLError, parse_database_url

        try:
            parse_database_url(database_url, Path(data_dir or "."))
        except DatabaseURLError as exc:
            raise ConfigError(f"DATABASE_URL: {exc}") from None
    secret = clean(env, "FEEDBACK_SECRET") or None
    if secret is not None and len(secret) < _MIN_SECRET_CHARS:
        raise ConfigError(
            f"FEEDBACK_SECRET is {len(secret)} characters long; use at least "
            f"{_MIN_SECRET_CHARS} random ones (e.g. `python -c 'import secrets; "
            "print(secrets.token_hex(32))'`)"
        )
    return StorageSettings(
        data_dir=str(Path(data_dir).expanduser()) if data_dir else None,
        database_url=database_url,
        question_log=optional(env, "QUESTION_LOG", parse_bool, True),
        keep_question_text=optional(env, "QUESTION_LOG_TEXT", parse_bool, True),
        keep_guild_id=optional(env, "QUESTION_LOG_GUILD", parse_bool, False),
        retention_days=optional(
            env,
            "QUESTION_LOG_RETENTION_DAYS",
            lambda n, r: parse_int(n, r, minimum=1, maximum=3650),
            RETENTION_DAYS,
        ),
        retry_seconds=optional(
            env,
            "QUESTION_LOG_RETRY_SECONDS",
            lambda n, r: parse_int(n, r, minimum=0, maximum=MAX_RETRY_SECONDS),
            RETRY_SECONDS,
        ),
        feedback_secret=secret,
    )
