"""The storage interface: one small async `Store`, written once over a `Session`.

The two implementations (`bot.storage.sqlite`, `bot.storage.postgres`) only open
connections and run statements; every query is here, in SQL both databases accept
(placeholders are written `$1`, `$2`, ... and rewritten for SQLite).
"""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from bot.storage.records import (
    ANSWER_COLUMNS,
    VOTE_COLUMNS,
    AnswerRecord,
    QuestionText,
    VoteRecord,
)
from bot.storage.urls import DatabaseTarget


def _placeholders(count: int) -> str:
    return ", ".join(f"${n}" for n in range(1, count + 1))


INSERT_ANSWER = (
    f"INSERT INTO answer_log ({', '.join(ANSWER_COLUMNS)}) "
    f"VALUES ({_placeholders(len(ANSWER_COLUMNS))}) ON CONFLICT (answer_id) DO NOTHING"
)
# A person's later vote replaces the earlier one; an older vote arriving late (another
# process, a retried batch) does not undo a newer one.
UPSERT_VOTE = (
    f"INSERT INTO answer_feedback ({', '.join(VOTE_COLUMNS)}) "
    f"VALUES ({_placeholders(len(VOTE_COLUMNS))}) "
    "ON CONFLICT (answer_id, voter) DO UPDATE SET vote = excluded.vote, "
    "voted_at = excluded.voted_at WHERE excluded.voted_at >= answer_feedback.voted_at"
)
# Only into a row that has no text: a text kept by the answer's own record stays.
KEEP_TEXT = "UPDATE answer_log SET question = $2 WHERE answer_id = $1 AND question IS NULL"
SELECT_ANSWERS = f"SELECT {', '.join(ANSWER_COLUMNS)} FROM answer_log WHERE answered_at >= $1"
_IDS_PER_QUERY = 500  # under SQLite's and PostgreSQL's limits on parameters per statement
SELECT_VOTES = f"SELECT {', '.join(VOTE_COLUMNS)} FROM answer_feedback WHERE voted_at >= $1"


class Session(abc.ABC):
    """Statements on one connection; inside a transaction when opened with write=True."""

    @abc.abstractmethod
    async def execute(self, sql: str, *args: Any) -> int:
        """Run one statement; returns the number of rows it changed (0 when not known)."""

    @abc.abstractmethod
    async def executemany(self, sql: str, rows: Sequence[tuple]) -> None: ...

    @abc.abstractmethod
    async def fetch(self, sql: str, *args: Any) -> list[tuple]: ...

    @abc.abstractmethod
    async def script(self, sql: str) -> None:
        """Run several `;`-separated statements (a migration file)."""


class Store(abc.ABC):
    """The question log's database. Every method may raise when the database is
    unreachable, locked, read-only or full: callers off the answer path handle that."""

    dialect: str = ""

    def __init__(self, target: DatabaseTarget) -> None:
        self.target = target

    # -- what implementations provide
    @abc.abstractmethod
    async def connect(self) -> None:
        """Open the connection(s); raises if the database cannot be reached."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    def session(self, *, write: bool = False) -> Any:
        """An async context manager giving a `Session` (a transaction when `write`)."""

    def replaced(self) -> bool:
        """Whether the database this store has open is no longer where its target points
        (a SQLite file deleted or replaced while open); a server never is."""
        return False

    async def lock_schema(self, session: Session) -> None:  # noqa: B027 (optional hook)
        """Keep other processes from migrating at the same time (inside the transaction).
        SQLite needs nothing more: its write transaction already excludes other writers."""

    # -- the interface
    async def open(self) -> None:
        """Connect and bring the schema up to date; raises `SchemaTooNew` for a database
        written by a newer kcbot (the connection is closed again then)."""
        from bot.storage.migrate import migrate

        await self.connect()
        try:
            await migrate(self)
        except BaseException:
            await self.close()
            raise

    async def write(
        self,
        answers: Sequence[AnswerRecord] = (),
        votes: Sequence[VoteRecord] = (),
        texts: Sequence[QuestionText] = (),
    ) -> None:
        """Store a batch in one transaction: all of it, or (on an error) none of it. Texts
        go after the answers, so one kept for an answer of the same batch finds its row."""
        if not answers and not votes and not texts:
            return
        async with self.session(write=True) as session:
            if answers:
                await session.executemany(INSERT_ANSWER, answers)
            if texts:
                await session.executemany(KEEP_TEXT, texts)
            if votes:
                await session.executemany(UPSERT_VOTE, votes)

    async def purge(self, before: float) -> int:
        """Delete answers and votes older than `before` (epoch seconds); returns how many."""
        async with self.session(write=True) as session:
            answers = await session.execute("DELETE FROM answer_log WHERE answered_at < $1", before)
            votes = await session.execute("DELETE FROM answer_feedback WHERE voted_at < $1", before)
        return answers + votes

    async def ping(self) -> None:
        """Raises unless the database answers a query."""
        async with self.session() as session:
            await session.fetch("SELECT 1")

    async def schema_version(self) -> int:
        from bot.storage.migrate import read_version

        async with self.session() as session:
            return await read_version(session) or 0

    async def answers_since(
        self, since: float, *, guild_id: str | None = None
    ) -> list[AnswerRecord]:
        sql, args = SELECT_ANSWERS, [since]
        if guild_id is not None:
            sql, args = sql + " AND guild_id = $2", [since, guild_id]
        async with self.session() as session:
            rows = await session.fetch(sql + " ORDER BY answered_at", *args)
        return [_answer(row) for row in rows]

    async def answers_by_id(self, answer_ids: Iterable[str]) -> list[AnswerRecord]:
        """The answers with these ids that are still in the log (for votes on older ones,
        and the first question of a rephrasing that began before the report's period)."""
        ids = sorted(set(answer_ids))
        found: list[AnswerRecord] = []
        async with self.session() as session:
            for start in range(0, len(ids), _IDS_PER_QUERY):
                chunk = ids[start : start + _IDS_PER_QUERY]
                sql = (
                    f"SELECT {', '.join(ANSWER_COLUMNS)} FROM answer_log "
                    f"WHERE answer_id IN ({_placeholders(len(chunk))})"
                )
                found += [_answer(row) for row in await session.fetch(sql, *chunk)]
        return found

    async def votes_since(self, since: float) -> list[VoteRecord]:
        async with self.session() as session:
            rows = await session.fetch(SELECT_VOTES + " ORDER BY voted_at", since)
        return [VoteRecord(str(a), str(v), int(n), float(t)) for a, v, n, t in rows]

    @asynccontextmanager
    async def opened(self) -> AsyncIterator[Store]:
        await self.open()
        try:
            yield self
        finally:
            await self.close()


def _answer(row: Sequence[Any]) -> AnswerRecord:
    record = AnswerRecord(*row)
    # SQLite has no boolean type and may hand back whole numbers for REAL columns.
    return record._replace(
        answered=bool(record.answered),
        answered_at=float(record.answered_at),
        confidence=float(record.confidence),
        latency_ms=float(record.latency_ms),
    )


def open_store(target: DatabaseTarget) -> Store:
    """The store for `target`, not yet connected (call `open()`)."""
    if target.kind == "sqlite":
        from bot.storage.sqlite import SQLiteStore

        return SQLiteStore(target)
    from bot.storage.postgres import PostgresStore

    return PostgresStore(target)
