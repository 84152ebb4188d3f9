"""The question log's writer: never blocks an answer, survives every database fault, counts
what it loses, writes the rest out on shutdown. Real SQLite files and PostgreSQL servers."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import Application, Request
from bot.monitoring.metrics import Metrics
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


async def locked_by_another_process(path: Path) -> sqlite3.Connection:
    """A migrated SQLite file whose write lock another connection holds until it commits."""
    async with opened(sqlite_target(path)):
        pass
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    return blocker


def delete_database(path: Path) -> None:
    """`rm kcbot.sqlite3*`, as an operator might."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


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
    """Another process holds SQLite's write lock for many retries: every question is still
    answered, records wait in the queue (only those past its capacity are dropped), and
    once the lock is gone they are all written."""
    blocker = await locked_by_another_process(sqlite_path)
    store = SQLiteStore(sqlite_target(sqlite_path), busy_timeout=0.05)
    writer = make_writer(
        store,
        limits=WriterLimits(
            capacity=20,
            batch_size=10,
            flush_interval=0.01,
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
        await wait_until(lambda: "locked" in (writer.last_error or ""))
        await asyncio.sleep(0.5)  # dozens of retries, where three used to drop the batch
        assert all(r.answer.answered for r in replies)
        assert (writer.depth, writer.dropped_full, writer.dropped_failed) == (20, 40, 0)
        assert not writer.healthy
        blocker.execute("COMMIT")
        blocker.close()
        await wait_until(lambda: writer.written == 20)
        later = app.handle(Request("ask", "what fields does ube cover"))
        await writer.close()
    assert (writer.written, writer.dropped) == (21, 40)
    async with opened(sqlite_target(sqlite_path)) as check:
        stored = {a.answer_id for a in await check.answers_since(0)}
    assert later.id in stored
    assert len(stored) == 21
    messages = [r.getMessage() for r in caplog.records]
    assert sum("cannot write" in m and "locked" in m for m in messages) == 1
    assert any("with the queue full" in m for m in messages)


async def test_an_outage_with_room_in_the_queue_loses_nothing(sqlite_path):
    """Locked for far longer than a few retries (the issue's 20 s outage, scaled to the
    test's retry delays): every record submitted meanwhile is written afterwards."""
    blocker = await locked_by_another_process(sqlite_path)
    writer = make_writer(SQLiteStore(sqlite_target(sqlite_path), busy_timeout=0.01), limits=FAST)
    await writer.start()
    for record_id in ids(900):
        assert writer.submit(answer(record_id))
    await wait_until(lambda: writer.last_error is not None)
    await asyncio.sleep(1.0)  # twenty and more retries at FAST's delays
    assert (writer.written, writer.dropped, writer.depth) == (0, 0, 900)
    blocker.execute("COMMIT")
    blocker.close()
    await wait_until(lambda: writer.written == 900)
    await writer.close()
    assert writer.dropped == 0
    async with opened(sqlite_target(sqlite_path)) as store:
        assert len(await store.answers_since(0)) == 900


async def test_a_stop_while_locked_logs_what_it_could_not_write(sqlite_path, caplog):
    blocker = await locked_by_another_process(sqlite_path)
    writer = make_writer(SQLiteStore(sqlite_target(sqlite_path), busy_timeout=0.01), limits=FAST)
    await writer.start()
    for record_id in ids(100):
        writer.submit(answer(record_id))
    await wait_until(lambda: writer.last_error is not None)
    with caplog.at_level(logging.INFO, logger="bot.storage.writer"):
        await writer.close()
    blocker.close()
    assert (writer.written, writer.dropped_failed) == (0, 100)
    (closed,) = [r for r in caplog.records if "question log: closed" in r.getMessage()]
    assert "0 records written, 100 dropped" in closed.getMessage()
    assert closed.levelno == logging.WARNING


async def test_closing_logs_the_count_when_all_went_well(sqlite_path, caplog):
    writer = make_writer(open_store(sqlite_target(sqlite_path)), limits=FAST)
    await writer.start()
    for record_id in ids(5):
        writer.submit(answer(record_id))
    with caplog.at_level(logging.INFO, logger="bot.storage.writer"):
        await writer.close()
    (closed,) = [r for r in caplog.records if "question log: closed" in r.getMessage()]
    assert "5 records written, 0 dropped" in closed.getMessage()


async def test_a_read_only_database_keeps_records_waiting(sqlite_path):
    """Opened read-only, the log cannot write: records wait (and are refused once the queue
    is full), the writer reports itself unhealthy, keeps running and closes cleanly,
    counting what it could not write."""
    async with opened(sqlite_target(sqlite_path)):
        pass
    writer = make_writer(
        open_store(sqlite_target(sqlite_path, read_only=True)),
        limits=replace(FAST, capacity=5),
    )
    await writer.start()
    assert writer.opened
    for record_id in ids(8):
        writer.submit(answer(record_id))
    await wait_until(lambda: writer.last_error is not None)
    assert "readonly" in writer.last_error.replace(" ", "").lower()
    assert (writer.depth, writer.dropped_full) == (5, 3)
    assert not writer.healthy
    await writer.close()
    assert (writer.written, writer.dropped) == (0, 8)


async def test_a_full_database_is_unhealthy_for_health_and_metrics_alike(sqlite_path):
    """SQLite full (its page limit reached): records wait, and the writer's check (what
    /healthz says) and `kcbot_log_database_up` agree that the database is not up, although
    it still answers a plain query."""
    store = open_store(sqlite_target(sqlite_path))
    writer = make_writer(store, limits=replace(FAST, check_every=0))
    await writer.start()
    async with store.session() as session:
        [(pages,)] = await session.fetch("PRAGMA page_count")
        await session.execute(f"PRAGMA max_page_count = {pages}")
    for record_id in ids(200):
        writer.submit(answer(record_id, question="x" * 500))
    await wait_until(lambda: "full" in (writer.last_error or ""))
    await store.ping()  # a read still works
    assert await writer.check() is False
    assert "kcbot_log_database_up 0.0" in Metrics(lambda: writer).exposition().decode()
    assert writer.dropped == 0
    await writer.close()


async def test_a_deleted_database_file_is_noticed_recreated_and_counted(sqlite_path, caplog):
    """The file is deleted while the bot runs: the writer notices that its path no longer
    names the open file, reports itself unhealthy, creates and migrates a new file, writes
    the records there, and counts the ones that went with the deleted file."""
    target = sqlite_target(sqlite_path)
    writer = make_writer(open_store(target), limits=FAST)
    await writer.start()
    for record_id in ids(300)[:100]:
        writer.submit(answer(record_id))
    await writer.flush()
    assert writer.written == 100
    delete_database(sqlite_path)
    assert not writer.healthy
    assert "kcbot_log_database_up 0.0" in Metrics(lambda: writer).exposition().decode()
    with caplog.at_level(logging.WARNING, logger="bot.storage.writer"):
        for record_id in ids(300)[100:]:
            writer.submit(answer(record_id))
        await wait_until(lambda: writer.written == 300)
    assert writer.healthy
    assert writer.lost_with_file == 100
    assert any("was deleted or replaced" in r.getMessage() for r in caplog.records)
    await writer.close()
    async with opened(target) as store:
        stored = {a.answer_id for a in await store.answers_since(0)}
    assert stored == set(ids(300)[100:])


async def test_a_database_file_deleted_while_idle_is_noticed_by_the_check(sqlite_path):
    writer = make_writer(open_store(sqlite_target(sqlite_path)), limits=FAST)
    await writer.start()
    delete_database(sqlite_path)
    assert await writer.check() is False
    await wait_until(lambda: sqlite_path.exists() and writer.healthy)
    writer.submit(answer(ids(1)[0]))
    await writer.flush()
    await writer.close()
    async with opened(sqlite_target(sqlite_path)) as store:
        assert len(await store.answers_since(0)) == 1


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


async def test_postgres_outage_keeps_records_and_logs_one_warning(tmp_path, caplog):
    """PostgreSQL stopped for far longer than a few retries while records keep coming: they
    wait and are all written once it is back; meanwhile one warning, and no traceback from
    the driver or anyone else."""
    server = ThrowawayPostgres(port=free_port())
    await asyncio.to_thread(server.start)
    target = parse_database_url(server.url(), tmp_path)
    writer = make_writer(open_store(target), limits=FAST)
    try:
        with caplog.at_level(logging.DEBUG):
            await writer.start()
            records = ids(600)
            for record_id in records[:200]:
                writer.submit(answer(record_id))
            await wait_until(lambda: writer.written == 200)
            await asyncio.to_thread(server.stop, keep=True)
            for record_id in records[200:]:
                writer.submit(answer(record_id))
            await wait_until(lambda: writer.last_error is not None, timeout=30)
            await asyncio.sleep(1.5)  # dozens of retries
            assert not writer.healthy
            assert writer.dropped == 0
            await asyncio.to_thread(server.start)
            await wait_until(lambda: writer.written == 600, timeout=60)
            await writer.close()
        assert writer.dropped == 0
        async with opened(target) as store:
            assert {a.answer_id for a in await store.answers_since(0)} == set(records)
        tracebacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
        assert tracebacks == []
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len([r for r in warnings if "cannot write" in r.getMessage()]) == 1
    finally:
        await writer.close()
        await asyncio.to_thread(server.stop)
