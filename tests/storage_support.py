"""Records and stores for the storage tests."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator

import asyncpg

from bot.storage.records import ANSWER_COLUMNS, AnswerRecord, VoteRecord
from bot.storage.store import Store, open_store
from bot.storage.urls import DatabaseTarget

# What the drivers raise for a statement the database refuses.
DATABASE_ERRORS = (sqlite3.Error, asyncpg.PostgresError)
DAY = 86_400.0
NOW = 1_750_000_000.0  # a fixed "now" (2025-06-15), so purges and windows are exact


def answer(
    answer_id: str = "a" * 16,
    *,
    at: float = NOW,
    answered: bool = True,
    rule: str = "region",
    intent: str = "fields",
    confidence: float = 1.0,
    question: str | None = None,
    route: str = "/ask",
    lang: str = "en",
    latency_ms: float = 1.5,
    matches: str = "kyoto-first",
    guild_id: str | None = None,
    query_json: str | None = None,
    unexplained: str | None = None,
    rephrases: str | None = None,
    command: str = "ask",
) -> AnswerRecord:
    return AnswerRecord(
        answer_id=answer_id,
        answered_at=at,
        route=route,
        command=command,
        rule=rule,
        intent=intent,
        answered=answered,
        confidence=confidence,
        matches=matches,
        lang=lang,
        latency_ms=latency_ms,
        question=question,
        guild_id=guild_id,
        query_json=query_json,
        unexplained=unexplained,
        rephrases=rephrases,
    )


def declined(answer_id: str, question: str, *, at: float = NOW, **kw: object) -> AnswerRecord:
    given = {"rule": "decline", "intent": "out_of_domain", "confidence": 0.0, "matches": ""}
    return answer(answer_id, at=at, answered=False, question=question, **{**given, **kw})  # type: ignore[arg-type]


# The answer_log columns migration 0003 added: a database before it has none of them.
READING_COLUMNS = ("query_json", "unexplained", "rephrases")


async def write_before_reading(store: Store, record: AnswerRecord) -> None:
    """Insert `record` as a kcbot from before migration 0003 did: without its reading."""
    columns = [c for c in ANSWER_COLUMNS if c not in READING_COLUMNS]
    values = [getattr(record, c) for c in columns]
    places = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    async with store.session(write=True) as session:
        await session.execute(
            f"INSERT INTO answer_log ({', '.join(columns)}) VALUES ({places})", *values
        )


def vote(answer_id: str, voter: str, value: int, at: float = NOW) -> VoteRecord:
    return VoteRecord(answer_id, voter, value, at)


def ids(n: int) -> list[str]:
    return [f"{i:016x}" for i in range(n)]


@contextlib.asynccontextmanager
async def opened(target: DatabaseTarget) -> AsyncIterator[Store]:
    store = open_store(target)
    await store.open()
    try:
        yield store
    finally:
        await store.close()
