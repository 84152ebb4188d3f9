"""The question log on a PostgreSQL server (asyncpg): one log for several bot processes.

A small connection pool, opened connections only (no floor kept in the background);
connections that broke while the server was away are replaced by the pool on the next
use, so the writer recovers by itself when the server is back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from bot.storage.store import Session, Store
from bot.storage.urls import DatabaseTarget

CONNECT_TIMEOUT_SECONDS = 5.0
COMMAND_TIMEOUT_SECONDS = 30.0
# pg_advisory_xact_lock key for "migrating kcbot's schema": any constant unique to kcbot.
_MIGRATION_LOCK = 0x6B63626F74  # "kcbot"


class _PostgresSession(Session):
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def execute(self, sql: str, *args: Any) -> int:
        status = await self.connection.execute(sql, *args)
        last = status.rsplit(" ", 1)[-1]  # "DELETE 3", "INSERT 0 1", "CREATE TABLE"
        return int(last) if last.isdigit() else 0

    async def executemany(self, sql: str, rows: Sequence[tuple]) -> None:
        await self.connection.executemany(sql, rows)

    async def fetch(self, sql: str, *args: Any) -> list[tuple]:
        return [tuple(record) for record in await self.connection.fetch(sql, *args)]

    async def script(self, sql: str) -> None:
        # Without arguments asyncpg uses the simple query protocol: several statements at once.
        await self.connection.execute(sql)


class PostgresStore(Store):
    dialect = "postgresql"

    def __init__(self, target: DatabaseTarget, *, max_connections: int = 3) -> None:
        super().__init__(target)
        self.max_connections = max_connections
        self._pool: asyncpg.Pool | None = None

    async def connect(self) -> None:
        self._pool = await asyncpg.create_pool(
            self.target.dsn,
            # No floor of idle connections: asyncpg restores one in the background and, while
            # the server is down, logs a traceback at each attempt; connections are made when
            # the writer needs one, and its failures are reported once a minute.
            min_size=0,
            max_size=self.max_connections,
            timeout=CONNECT_TIMEOUT_SECONDS,
            command_timeout=COMMAND_TIMEOUT_SECONDS,
        )

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    @asynccontextmanager
    async def session(self, *, write: bool = False) -> AsyncIterator[Session]:
        if self._pool is None:
            raise asyncpg.InterfaceError(f"{self.target.display} is not open")
        async with self._pool.acquire(timeout=CONNECT_TIMEOUT_SECONDS) as connection:
            if not write:
                yield _PostgresSession(connection)
                return
            async with connection.transaction():
                yield _PostgresSession(connection)

    async def lock_schema(self, session: Session) -> None:
        await session.fetch("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
