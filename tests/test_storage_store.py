"""The store against real databases: a SQLite file and a PostgreSQL server, same tests."""

from __future__ import annotations

import pytest

from bot.storage.migrate import latest_version, migrate, migrations
from bot.storage.records import DOWN, UP
from bot.storage.store import open_store
from tests.storage_support import (
    DATABASE_ERRORS,
    DAY,
    NOW,
    answer,
    declined,
    ids,
    opened,
    vote,
    write_before_reading,
)


async def test_a_new_database_gets_the_whole_schema(database):
    """Opening an empty database creates every table and records the latest version."""
    async with opened(database) as store:
        assert await store.schema_version() == latest_version()
        assert await store.answers_since(0) == []
        assert await store.votes_since(0) == []


async def test_records_come_back_as_written(database):
    """An answer and its fields survive the round trip, booleans and floats included."""
    written = [
        answer(ids(1)[0], confidence=0.625, latency_ms=2.25, guild_id="42"),
        declined(ids(2)[1], "where is the tokyo cluster"),
    ]
    async with opened(database) as store:
        await store.write(written)
        assert await store.answers_since(0) == written


async def test_an_answer_written_twice_is_stored_once(database):
    """A batch retried after a lost connection does not duplicate its answers."""
    record = answer(ids(1)[0])
    async with opened(database) as store:
        await store.write([record])
        await store.write([record])
        assert len(await store.answers_since(0)) == 1


async def test_one_vote_per_person_per_answer_and_the_last_one_counts(database):
    """A second click replaces the first; another person's vote is kept beside it."""
    a = ids(1)[0]
    async with opened(database) as store:
        await store.write([answer(a)], [vote(a, "alice", DOWN, NOW)])
        await store.write([], [vote(a, "alice", DOWN, NOW + 1)])
        await store.write([], [vote(a, "bob", DOWN, NOW + 2)])
        await store.write([], [vote(a, "alice", UP, NOW + 3)])
        votes = {(v.voter, v.vote) for v in await store.votes_since(0)}
    assert votes == {("alice", UP), ("bob", DOWN)}


async def test_a_late_older_vote_does_not_undo_a_newer_one(database):
    """Votes from two processes may arrive out of order: the newest click wins."""
    a = ids(1)[0]
    async with opened(database) as store:
        await store.write([], [vote(a, "alice", UP, NOW + 10)])
        await store.write([], [vote(a, "alice", DOWN, NOW + 5)])
        [kept] = await store.votes_since(0)
    assert (kept.vote, kept.voted_at) == (UP, NOW + 10)


async def test_the_purge_removes_only_what_is_older_than_the_window(database):
    """Answers and votes older than the cut-off go; newer ones stay."""
    old, new = ids(2)
    async with opened(database) as store:
        await store.write(
            [answer(old, at=NOW - 31 * DAY), answer(new, at=NOW - 29 * DAY)],
            [vote(old, "v", DOWN, NOW - 31 * DAY), vote(new, "v", UP, NOW - DAY)],
        )
        removed = await store.purge(NOW - 30 * DAY)
        assert removed == 2
        assert [a.answer_id for a in await store.answers_since(0)] == [new]
        assert [v.answer_id for v in await store.votes_since(0)] == [new]


async def test_answers_can_be_read_by_id_in_chunks(database):
    """Votes on older answers find them by id, however many there are."""
    many = ids(1_200)
    async with opened(database) as store:
        await store.write([answer(i, at=NOW - DAY) for i in many])
        found = await store.answers_by_id([*many[::2], "f" * 16])
    assert sorted(a.answer_id for a in found) == sorted(many[::2])


async def test_a_server_filter_reads_one_servers_answers(database):
    """With guild ids kept, the log can be read for one server."""
    one, two, none = ids(3)
    async with opened(database) as store:
        await store.write([answer(one, guild_id="1"), answer(two, guild_id="2"), answer(none)])
        assert [a.answer_id for a in await store.answers_since(0, guild_id="2")] == [two]


async def test_a_failed_batch_writes_nothing(database):
    """A batch is one transaction: one bad record and none of it is stored."""
    good = answer(ids(1)[0])
    async with opened(database) as store:
        with pytest.raises(DATABASE_ERRORS):
            await store.write([good], [vote("x" * 16, "v", 7)])  # 7 breaks the vote CHECK
        assert await store.answers_since(0) == []


@pytest.mark.parametrize("start", range(len(migrations())))
async def test_migrating_from_every_earlier_version_keeps_the_rows(database, start):
    """A database left at any earlier version is brought up to date with its rows kept."""
    store = open_store(database)
    await store.connect()
    try:
        await migrate(store, target=start)
        assert await store.schema_version() == start
        old = declined(ids(1)[0], "kept across migrations")
        if start >= 1:
            await write_before_reading(store, old)  # as the kcbot of that version wrote it
        before, after = await migrate(store)
        assert (before, after) == (start, latest_version())
        assert await store.schema_version() == latest_version()
        if start >= 1:
            assert await store.answers_since(0) == [old]  # the new columns empty (None)
        await store.write([], [vote(ids(1)[0], "v", UP)])  # the newest table works too
        newer = answer(
            ids(2)[1], query_json='{"mode":"wh"}', unexplained="led", rephrases=old.answer_id
        )
        await store.write([newer])  # and the newest columns
        assert newer in await store.answers_since(0)
    finally:
        await store.close()


async def test_a_text_kept_later_fills_only_a_row_without_one(database):
    """The text of a question asked again is written into its row, in the same batch as
    the row or a later one; a row that kept its own text keeps it."""
    from bot.storage.records import QuestionText

    a = ids(3)
    async with opened(database) as store:
        await store.write([answer(a[0])])
        await store.write(
            [answer(a[1]), declined(a[2], "its own text")],
            texts=[
                QuestionText(a[0], "kept later"),
                QuestionText(a[1], "same batch"),
                QuestionText(a[2], "not this"),
            ],
        )
        found = {r.answer_id: r.question for r in await store.answers_since(0)}
    assert found == {a[0]: "kept later", a[1]: "same batch", a[2]: "its own text"}
