"""Numbered migrations: applied in one transaction, recorded, and never run backwards."""

from __future__ import annotations

import asyncio

import pytest

from bot.storage import migrate as migrate_module
from bot.storage.migrate import (
    Migration,
    SchemaTooNew,
    latest_version,
    migrate,
    migrations,
)
from bot.storage.sqlite import split_statements
from bot.storage.store import open_store
from tests.storage_support import DATABASE_ERRORS, answer, opened


class opened_raw:
    """A store connected without migrating (to look at a refused database)."""

    def __init__(self, target):
        self.store = open_store(target)

    async def __aenter__(self):
        await self.store.connect()
        return self.store

    async def __aexit__(self, *exc):
        await self.store.close()


def test_shipped_migrations_are_numbered_without_gaps():
    """0001, 0002, ...: the numbers are the versions, in order."""
    assert [m.version for m in migrations()] == list(range(1, latest_version() + 1))
    assert latest_version() >= 2


async def test_a_database_from_a_newer_kcbot_is_refused_untouched(database):
    """Version 99 in the database: opening fails with a message naming both versions and
    what to do, and nothing is written."""
    async with opened(database) as store, store.session(write=True) as session:
        await session.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
            99,
            "from_the_future",
            0.0,
        )
    newer = open_store(database)
    with pytest.raises(SchemaTooNew) as refused:
        await newer.open()
    message = str(refused.value)
    assert "schema version 99" in message
    assert f"up to {latest_version()}" in message
    assert "Upgrade kcbot" in message
    async with opened_raw(database) as store:
        assert await store.schema_version() == 99


async def test_a_failing_migration_leaves_the_previous_version(database, monkeypatch):
    """Migrations run in one transaction: a broken third file changes nothing."""
    async with opened(database) as store:
        await store.write([answer("a" * 16)])
    broken = Migration(
        latest_version() + 1,
        "broken",
        "CREATE TABLE half_done (x INTEGER);\nSELECT no_such_column FROM answer_log;\n",
    )
    shipped = migrations()
    monkeypatch.setattr(migrate_module, "migrations", lambda: (*shipped, broken))
    store = open_store(database)
    with pytest.raises(DATABASE_ERRORS):
        await store.open()
    monkeypatch.setattr(migrate_module, "migrations", lambda: shipped)
    async with opened(database) as store:
        assert await store.schema_version() == len(shipped)
        assert len(await store.answers_since(0)) == 1
        async with store.session() as session:
            with pytest.raises(DATABASE_ERRORS):
                await session.fetch("SELECT x FROM half_done")


async def test_two_processes_migrating_at_once_agree(postgres_url, tmp_path):
    """Two bots starting together against one empty PostgreSQL database: one migrates, the
    other waits for it and finds the schema done."""
    from bot.storage.urls import parse_database_url

    target = parse_database_url(postgres_url, tmp_path)
    first, second = open_store(target), open_store(target)
    try:
        await asyncio.gather(first.open(), second.open())
        assert await first.schema_version() == latest_version()
        async with first.session() as session:
            rows = await session.fetch("SELECT version FROM schema_version ORDER BY version")
        assert [r[0] for r in rows] == list(range(1, latest_version() + 1))
    finally:
        await first.close()
        await second.close()


def test_sqlite_splits_a_script_where_statements_end():
    """A ';' inside a string or a comment does not split a statement."""
    script = "-- a; comment\nCREATE TABLE t (x TEXT DEFAULT 'a;b');\nINSERT INTO t VALUES ('c');\n"
    assert split_statements(script) == [
        "-- a; comment\nCREATE TABLE t (x TEXT DEFAULT 'a;b');",
        "INSERT INTO t VALUES ('c');",
    ]


async def test_an_up_to_date_read_only_database_opens(tmp_path):
    """A read-only SQLite file already at the latest version is only read at start-up."""
    from bot.storage.urls import sqlite_target

    path = tmp_path / "log.sqlite3"
    async with opened(sqlite_target(path)):
        pass
    async with opened(sqlite_target(path, read_only=True)) as store:
        assert await store.schema_version() == latest_version()


async def test_migrate_reports_what_it_did(database):
    store = open_store(database)
    await store.connect()
    try:
        assert await migrate(store, target=1) == (0, 1)
        assert await migrate(store) == (1, latest_version())
        assert await migrate(store) == (latest_version(), latest_version())
    finally:
        await store.close()
