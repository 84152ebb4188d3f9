"""The question log in a SQLite file (aiosqlite): the default, for one bot process.

One connection, used by one session at a time. WAL journal, so `report` reads while the
bot writes; a busy timeout, so a short lock held by another process is waited out (off the
event loop, in aiosqlite's thread) rather than failing at once. The file's identity
(device and inode) is kept when it is opened: a file deleted or replaced while open would
otherwise take every later write into an unlinked inode without an error (`replaced`).
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite

from bot.storage.paths import ensure_private_dir
from bot.storage.store import Session, Store
from bot.storage.urls import DatabaseTarget

BUSY_TIMEOUT_SECONDS = 5.0
_NUMBERED = re.compile(r"\$(\d+)")


def _sqlite_sql(sql: str) -> str:
    """`$1` placeholders as SQLite's `?1`."""
    return _NUMBERED.sub(r"?\1", sql)


def split_statements(script: str) -> list[str]:
    """A migration file's statements, split where SQLite itself says one is complete
    (so a `;` inside a string or a comment does not split)."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in pending.splitlines()
    ):
        raise ValueError(f"incomplete SQL statement at the end of the script: {pending!r}")
    return statements


def _identity(path: os.PathLike[str] | str) -> tuple[int, int]:
    found = os.stat(path)
    return found.st_dev, found.st_ino


class _SQLiteSession(Session):
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def execute(self, sql: str, *args: Any) -> int:
        cursor = await self.connection.execute(_sqlite_sql(sql), args)
        changed = cursor.rowcount
        await cursor.close()
        return max(changed, 0)

    async def executemany(self, sql: str, rows: Sequence[tuple]) -> None:
        await self.connection.executemany(_sqlite_sql(sql), rows)

    async def fetch(self, sql: str, *args: Any) -> list[tuple]:
        async with self.connection.execute(_sqlite_sql(sql), args) as cursor:
            return [tuple(row) for row in await cursor.fetchall()]

    async def script(self, sql: str) -> None:
        # Not executescript(): it commits first, and a migration must be one transaction.
        for statement in split_statements(sql):
            await self.connection.execute(statement)


class SQLiteStore(Store):
    dialect = "sqlite"

    def __init__(
        self, target: DatabaseTarget, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> None:
        super().__init__(target)
        self.busy_timeout = busy_timeout
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._identity: tuple[int, int] | None = None  # (device, inode) of the file opened

    async def connect(self) -> None:
        path = self.target.path
        assert path is not None
        mode = "ro" if self.target.read_only else "rwc"
        if not self.target.read_only:
            ensure_private_dir(path.parent)
        pending = aiosqlite.connect(
            f"{path.resolve().as_uri()}?mode={mode}",
            uri=True,
            timeout=self.busy_timeout,
            isolation_level=None,  # autocommit: transactions are begun explicitly
        )
        # aiosqlite's worker thread is not a daemon: a store left open (a crash on the way
        # out before close()) would keep the process from ever exiting, and a supervisor
        # from restarting it. Every clean path closes the store; this covers the others.
        worker = getattr(pending, "_thread", None)
        if worker is not None and not worker.is_alive():
            worker.daemon = True
        connection = await pending
        try:
            if not self.target.read_only:
                await connection.execute("PRAGMA journal_mode=WAL")
                await connection.execute("PRAGMA synchronous=NORMAL")
            self._identity = _identity(path)
        except BaseException:
            await connection.close()
            raise
        self._connection = connection

    def replaced(self) -> bool:
        if self._connection is None or self._identity is None:
            return False
        assert self.target.path is not None
        try:
            return _identity(self.target.path) != self._identity
        except FileNotFoundError:
            return True
        except OSError:  # unreadable for a moment: not evidence of a new file
            return False

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        self._identity = None
        if connection is not None:
            await connection.close()

    @asynccontextmanager
    async def session(self, *, write: bool = False) -> AsyncIterator[Session]:
        if self._connection is None:
            raise sqlite3.OperationalError(f"{self.target.display} is not open")
        async with self._lock:
            connection = self._connection
            if not write:
                yield _SQLiteSession(connection)
                return
            # IMMEDIATE takes the write lock now, so two writers queue here instead of
            # failing half-way through a transaction.
            await connection.execute("BEGIN IMMEDIATE")
            try:
                yield _SQLiteSession(connection)
            except BaseException:
                # SQLite may already have rolled back by itself (a full disk does).
                if connection.in_transaction:
                    await connection.execute("ROLLBACK")
                raise
            await connection.execute("COMMIT")
