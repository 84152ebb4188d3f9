"""Numbered SQL migrations (`migrations/0001_name.sql`, ...), applied in one transaction.

The applied version is recorded in `schema_version`. A database at a version this code does
not know (written by a newer kcbot) is refused with `SchemaTooNew`, never written to.
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.storage.store import Session, Store

_FILE_NAME = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")

CREATE_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at DOUBLE PRECISION NOT NULL)"
)


class MigrationError(RuntimeError):
    """The migration files or the database's schema are not what this code expects."""


class SchemaTooNew(MigrationError):
    """The database was migrated by a newer kcbot: this one must not touch it."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


@functools.cache
def migrations() -> tuple[Migration, ...]:
    """The shipped migrations, in order; their numbers must run 1, 2, 3, ... without gaps."""
    found: list[Migration] = []
    for entry in resources.files("bot.storage").joinpath("migrations").iterdir():
        match = _FILE_NAME.fullmatch(entry.name)
        if match is None:
            continue
        found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    numbers = [m.version for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise MigrationError(f"migration numbers must run 1, 2, 3, ... without gaps: {numbers}")
    return tuple(found)


def latest_version() -> int:
    return len(migrations())


def too_new_message(version: int, where: str) -> str:
    return (
        f"the database {where} is at schema version {version}, but this kcbot knows versions "
        f"up to {latest_version()}: it was used by a newer kcbot. Upgrade kcbot, or point "
        "DATABASE_URL at another database."
    )


async def current_version(session: Session) -> int:
    await session.execute(CREATE_VERSION_TABLE)
    rows = await session.fetch("SELECT MAX(version) FROM schema_version")
    return int(rows[0][0] or 0)


async def read_version(session: Session) -> int | None:
    """The recorded version without creating anything; None when there is no version table."""
    try:
        rows = await session.fetch("SELECT MAX(version) FROM schema_version")
    except Exception:  # no table yet: the drivers raise different types for it
        return None
    return int(rows[0][0] or 0)


async def migrate(store: Store, *, target: int | None = None) -> tuple[int, int]:
    """Bring the database to `target` (default: the latest); returns (before, after).

    A database already at the target is only read, so a read-only one starts fine.
    """
    wanted = latest_version() if target is None else target
    async with store.session() as session:
        seen = await read_version(session)
    if seen is not None and seen > latest_version():
        raise SchemaTooNew(too_new_message(seen, store.target.display))
    if seen is not None and seen >= wanted:
        return seen, seen
    async with store.session(write=True) as session:
        await store.lock_schema(session)
        before = await current_version(session)  # again: another process may have migrated
        if before > latest_version():
            raise SchemaTooNew(too_new_message(before, store.target.display))
        for migration in migrations():
            if before < migration.version <= wanted:
                await session.script(migration.sql)
                await session.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    time.time(),
                )
        return before, max(before, wanted)
