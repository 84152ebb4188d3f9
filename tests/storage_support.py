"""Records and stores for the storage tests."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator

import asyncpg

from bot.storage.records import AnswerRecord, VoteRecord
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
) -> AnswerRecord:
    return AnswerRecord(
        answer_id=answer_id,
        answered_at=at,
        route=route,
        command="ask",
        rule=rule,
        intent=intent,
        answered=answered,
        confidence=confidence,
        matches=matches,
        lang=lang,
        latency_ms=latency_ms,
        question=question,
        guild_id=guild_id,
    )


def declined(answer_id: str, question: str, *, at: float = NOW, **kw: object) -> AnswerRecord:
    return answer(
        answer_id,
        at=at,
        answered=False,
        rule="decline",
        intent="out_of_domain",
        confidence=0.0,
        question=question,
        matches="",
        **kw,
    )  # type: ignore[arg-type]


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
