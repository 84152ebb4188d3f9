"""The question log's writer: never blocks an answer, survives every database fault, counts
what it loses, writes the rest out on shutdown. Real SQLite files and PostgreSQL servers."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

import pytest

from bot.app import Application, Request
from bot.storage.migrate import SchemaTooNew
from bot.storage.questionlog import QuestionLog
from bot.storage.sqlite import SQLiteStore
from bot.storage.store import open_store
from bot.storage.urls import parse_database_url, sqlite_target
from bot.storage.writer import LogWriter, WriterLimits
from tests.postgres_server import ThrowawayPostgres, free_port
from tests.storage_support import DAY, NOW, answer, ids, opened
from tests.support import shipped_knowledge

FAST = WriterLimits(
    capacity=1_000,
    batch_size=100,
    flush_interval=0.02,
    attempts=2,
    retry_delay=0.02,
    max_retry_delay=0.05,
    close_timeout=5.0,
)


def make_writer(store, **options) -> LogWriter:
    """A writer whose clock stands at the records' fixed time (or the purge would take them
    for 30-day-old rows)."""
    options.setdefault("clock", lambda: NOW)
    return LogWriter(store, **options)


async def wait_until(condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


@pytest.fixture
def sqlite_path(tmp_path):
    return tmp_path / "log.sqlite3"


async def test_records_are_written_in_batches_and_flushed_on_close(database):
    """1,000 records through a writer that flushes rarely: all are in the database after
    close(), none dropped."""
    writer = make_writer(
        open_store(database), limits=WriterLimits(batch_size=300, flush_interval=30.0)
    )
    await writer.start()
    for record_id in ids(1_000):
        assert writer.submit(answer(record_id))
    await writer.close()
    assert (writer.written, writer.dropped) == (1_000, 0)
    async with opened(database) as store:
        assert len(await store.answers_since(0)) == 1_000


async def test_a_full_queue_drops_and_counts_instead_of_waiting(sqlite_path):
    """Beyond its capacity the queue refuses at once; every refusal is counted."""
    writer = make_writer(
        open_store(sqlite_target(sqlite_path)),
        limits=WriterLimits(capacity=50, flush_interval=30.0),
    )
    await writer.start()
    accepted = [writer.submit(answer(i)) for i in ids(80)]
    assert accepted.count(True) == 50
    assert writer.dropped == 30
    assert writer.depth == 50
    await writer.close()
    assert writer.written == 50


async def test_answers_go_on_while_the_database_is_locked(sqlite_path, caplog):
    """Another process holds SQLite's write lock: every question is still answered, the
    records that cannot wait are dropped and counted, and once the lock is gone the log is
    written again."""
    async with opened(sqlite_target(sqlite_path)):
        pass
    blocker = sqlite3.connect(sqlite_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    store = SQLiteStore(sqlite_target(sqlite_path), busy_timeout=0.05)
    writer = make_writer(
        store,
        limits=WriterLimits(
            capacity=20,
            batch_size=10,
            flush_interval=0.01,
            attempts=2,
            retry_delay=0.01,
            max_retry_delay=0.02,
        ),
    )
    await writer.start()
    app = Application(shipped_knowledge(), [QuestionLog(writer.submit)])
    with caplog.at_level(logging.WARNING, logger="bot.storage.writer"):
        replies = [
            app.handle(Request("ask", f"what fields does kyoto cover {n}")) for n in range(60)
        ]
        await wait_until(lambda: writer.dropped_full == 40 and writer.dropped_failed >= 10)
        assert all(r.answer.answered for r in replies)
        assert "locked" in writer.last_error
        blocker.execute("COMMIT")
        blocker.close()
        later = app.handle(Request("ask", "what fields does ube cover"))
        await writer.close()
    assert writer.written + writer.dropped == 61
    async with opened(sqlite_target(sqlite_path)) as check:
        stored = {a.answer_id for a in await check.answers_since(0)}
    assert later.id in stored
    assert len(stored) == writer.written
    drops = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert "with the queue full" in drops[0]
    assert any("locked" in line for line in drops)


async def test_a_read_only_database_costs_records_not_answers(sqlite_path):
    """Opened read-only, the log cannot write: records are dropped and counted, the writer
    keeps running and closes cleanly."""
    async with opened(sqlite_target(sqlite_path)):
        pass
    writer = make_writer(open_store(sqlite_target(sqlite_path, read_only=True)), limits=FAST)
    await writer.start()
    assert writer.opened
    for record_id in ids(5):
        writer.submit(answer(record_id))
    await wait_until(lambda: writer.dropped == 5)
    assert "readonly" in (writer.last_error or "").replace(" ", "").lower()
    await writer.close()
    assert writer.written == 0


async def test_a_full_database_costs_records_not_answers(sqlite_path):
    """SQLite full (its page limit reached): records are dropped and counted."""
    store = open_store(sqlite_target(sqlite_path))
    writer = make_writer(store, limits=FAST)
    await writer.start()
    async with store.session() as session:
        [(pages,)] = await session.fetch("PRAGMA page_count")
        await session.execute(f"PRAGMA max_page_count = {pages}")
    for record_id in ids(200):
        writer.submit(answer(record_id, question="x" * 500))
    await wait_until(lambda: writer.written + writer.dropped == 200)
    assert writer.dropped > 0
    assert "full" in (writer.last_error or "")
    await writer.close()


async def test_drops_are_logged_at_most_once_a_minute(sqlite_path, caplog):
    """Many drops in quick succession make one warning line, plus one at close."""
    writer = make_writer(
        open_store(sqlite_target(sqlite_path)), limits=WriterLimits(capacity=1, flush_interval=0.01)
    )
    await writer.start()
    with caplog.at_level(logging.WARNING, logger="bot.storage.writer"):
        for round_ in range(5):
            for record_id in ids(10):
                writer.submit(answer(f"{round_}{record_id[1:]}"))
            await asyncio.sleep(0.05)
        lines = [r for r in caplog.records if "dropped" in r.getMessage()]
        assert len(lines) == 1
        await writer.close()
    lines = [r for r in caplog.records if "dropped" in r.getMessage()]
    assert len(lines) <= 2
    assert writer.dropped == 45


async def test_old_rows_are_purged_even_when_nobody_asks_anything(sqlite_path):
    """The retention window is enforced by the writer on its own schedule, idle or not."""
    clock = [NOW]
    async with opened(sqlite_target(sqlite_path)) as store:
        await store.write([answer(ids(1)[0], at=NOW - 31 * DAY)])
    writer = LogWriter(
        open_store(sqlite_target(sqlite_path)),
        retention_days=30,
        limits=WriterLimits(purge_every=0.05),
        clock=lambda: clock[0],
    )
    await writer.start()
    async with opened(sqlite_target(sqlite_path)) as store:
        await asyncio.sleep(0.1)
        assert await store.answers_since(0) == []
        await store.write([answer(ids(2)[1], at=NOW - 29 * DAY)])
        clock[0] = NOW + 2 * DAY  # that row is now 31 days old
        await asyncio.sleep(0.2)
        assert await store.answers_since(0) == []
    await writer.close()


async def test_a_newer_schema_stops_the_start(sqlite_path):
    async with (
        opened(sqlite_target(sqlite_path)) as store,
        store.session(write=True) as session,
    ):
        await session.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'x', 0)"
        )
    with pytest.raises(SchemaTooNew):
        await make_writer(open_store(sqlite_target(sqlite_path))).start()


async def test_postgres_down_at_start_then_up(tmp_path, caplog):
    """The server is not running when the bot starts: the start goes on, records wait in
    memory, and they are written once the server is up."""
    server = ThrowawayPostgres(port=free_port())
    target = parse_database_url(server.url(), tmp_path)
    writer = make_writer(open_store(target), limits=FAST)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.storage.writer"):
            await writer.start(open_timeout=2.0)
        assert not writer.opened
        assert any("cannot be opened" in r.getMessage() for r in caplog.records)
        for record_id in ids(30):
            assert writer.submit(answer(record_id))
        await asyncio.to_thread(server.start)
        await wait_until(lambda: writer.written == 30, timeout=30)
        await writer.close()
        async with opened(target) as store:
            assert len(await store.answers_since(0)) == 30
    finally:
        await writer.close()
        await asyncio.to_thread(server.stop)


async def test_postgres_stopped_while_running(tmp_path):
    """The server goes away mid-run: nothing raises, losses are counted, and records
    submitted after it is back are written."""
    server = ThrowawayPostgres(port=free_port())
    await asyncio.to_thread(server.start)
    target = parse_database_url(server.url(), tmp_path)
    writer = make_writer(open_store(target), limits=FAST)
    try:
        await writer.start()
        first = ids(40)
        for record_id in first[:10]:
            writer.submit(answer(record_id))
        await wait_until(lambda: writer.written == 10)
        await asyncio.to_thread(server.stop, keep=True)
        for record_id in first[10:20]:
            writer.submit(answer(record_id))
        await wait_until(lambda: writer.last_error is not None, timeout=30)
        await asyncio.to_thread(server.start)
        for record_id in first[20:]:
            writer.submit(answer(record_id))
        await wait_until(lambda: writer.written + writer.dropped == 40, timeout=30)
        await writer.close()
        async with opened(target) as store:
            stored = {a.answer_id for a in await store.answers_since(0)}
        assert set(first[20:]) <= stored
        assert len(stored) == writer.written
    finally:
        await writer.close()
        await asyncio.to_thread(server.stop)


async def test_closing_with_the_database_down_does_not_hang(tmp_path):
    """Shutdown with an unreachable database: close() returns promptly, drops counted."""
    server = ThrowawayPostgres(port=free_port())
    writer = make_writer(open_store(parse_database_url(server.url(), tmp_path)), limits=FAST)
    await writer.start(open_timeout=1.0)
    for record_id in ids(7):
        writer.submit(answer(record_id))
    await asyncio.wait_for(writer.close(), 10)
    assert writer.dropped == 7


async def test_flush_writes_without_waiting_for_the_interval(sqlite_path):
    """`flush()` (used by /report) writes what is queued now, not at the next interval."""
    writer = make_writer(
        open_store(sqlite_target(sqlite_path)), limits=WriterLimits(flush_interval=60.0)
    )
    await writer.start()
    writer.submit(answer(ids(1)[0]))
    await asyncio.wait_for(writer.flush(timeout=30), 5)
    assert writer.written == 1
    async with opened(sqlite_target(sqlite_path)) as store:
        assert len(await store.answers_since(0)) == 1
    await writer.close()
