"""The report's likely mistakes on a known week of questions, stored in a real SQLite file and
on a real PostgreSQL server: answers with 👎 and how they were read, questions asked again
right after their answer, and the words nothing read; an old log migrated keeps reporting."""

from __future__ import annotations

import json

from bot.app import Application, Request
from bot.report.command import report_from
from bot.report.formats import render
from bot.storage.migrate import migrate
from bot.storage.questionlog import LogPolicy, QuestionLog
from bot.storage.records import DOWN, UP, QuestionText
from bot.storage.store import open_store
from bot.storage.writer import LogWriter, WriterLimits
from tests.storage_support import (
    DAY,
    NOW,
    answer,
    declined,
    ids,
    opened,
    vote,
    write_before_reading,
)
from tests.support import shipped_knowledge

WEEK = 7 * DAY
# Small batches, so a kept text and the answer it belongs to are written in different ones.
LIMITS = WriterLimits(batch_size=2, flush_interval=0.01, retry_delay=0.02, close_timeout=5.0)

LISTING = '{"mode":"list","asked":["fields","list"]}'
KYOTO_FIELDS = '{"mode":"wh","clusters":{"named":["kyoto-first"]},"asked":["fields"]}'
SAPPORO_CONTACT = '{"mode":"wh","clusters":{"named":["sapporo-first"]},"asked":["contact"]}'


def led(cluster: str) -> str:
    return f'{{"mode":"wh","clusters":{{"named":["{cluster}"]}},"unexplained":["led"]}}'


PURPOSE = '{"mode":"wh","asked":["overview"],"programme":true,"unexplained":["purpose"]}'


def known_week():
    """What the question log holds after a week, in the order the bot submitted it."""
    a = ids(14)
    day = lambda n: NOW - WEEK + n * DAY  # noqa: E731
    listing = {"rule": "list_all", "intent": "by_stage", "matches": "kyoto-first sapporo-first"}
    offer = {
        "rule": "unexplained:region",
        "intent": "clarify",
        "answered": False,
        "confidence": 0.5,
    }
    records = [
        # Before the week, asked again inside it: the pair is the week's.
        answer(a[0], at=NOW - WEEK - 20, intent="contact", query_json=SAPPORO_CONTACT,
               matches="sapporo-first"),
        answer(a[1], at=NOW - WEEK + 10, intent="contact", query_json=SAPPORO_CONTACT,
               matches="sapporo-first", question="sapporo contact number", rephrases=a[0]),
        QuestionText(a[0], "who do i call in sapporo"),
        # A listing for a word nothing read, asked again twice in the week.
        answer(a[2], at=day(1), query_json=LISTING, **listing),
        answer(a[3], at=day(1) + 20, rule="faq", intent="faq", matches="key-fields",
               confidence=0.55, question="which clusters do optics research", rephrases=a[2]),
        QuestionText(a[2], "which cluster works on optics"),
        answer(a[4], at=day(2), query_json=LISTING, **listing),
        answer(a[5], at=day(2) + 15, query_json=LISTING, question="photonics clusters",
               rephrases=a[4], **listing),
        QuestionText(a[4], "which cluster does photonics"),
        # An offer, then the same thing asked again, declined.
        answer(a[6], at=day(3), question="who led the hamamatsu cluster", unexplained="led",
               query_json=led("hamamatsu-first"), matches="hamamatsu-first", **offer),
        declined(a[7], "who was the director of the hamamatsu cluster", at=day(3) + 30,
                 rule="not_in_sources", intent="not_in_sources", rephrases=a[6]),
        # A confident answer with 👎, asked again 90 s later: outside the log's window, so
        # the log did not link them.
        answer(a[8], at=day(4), query_json=KYOTO_FIELDS),
        answer(a[9], at=day(4) + 90, query_json=KYOTO_FIELDS),
        # Answered, on a word only the FAQ entry's text held; another offer for "led".
        answer(a[10], at=day(5), rule="faq", intent="faq", matches="purpose",
               question="what is the purpose of the initiative", unexplained="purpose",
               query_json=PURPOSE),
        answer(a[11], at=day(6), question="who led the kyoto cluster", unexplained="led",
               query_json=led("kyoto-first"), matches="kyoto-first", **offer),
        vote(a[8], "p1", DOWN, at=day(4) + 100),
        vote(a[8], "p2", DOWN, at=day(4) + 200),
        vote(a[8], "p3", UP, at=day(4) + 300),
        vote(a[2], "p1", DOWN, at=day(1) + 10),
    ]  # fmt: skip
    return a, records


async def logged(database, records) -> None:
    """Write `records` as the bot does: through the writer, in small batches."""
    writer = LogWriter(open_store(database), limits=LIMITS, clock=lambda: NOW)
    await writer.start()
    for record in records:
        assert writer.submit(record)
    await writer.close()
    assert writer.written == len(records)


async def week_report(database, **options):
    async with opened(database) as store:
        return await report_from(store, WEEK, now=NOW + 1, **options)


async def test_the_week_s_mistakes_are_grouped_by_the_answer_that_made_them(database):
    _, records = known_week()
    await logged(database, records)
    report = await week_report(database)

    assert (report.answers, report.answered) == (11, 8)
    # 👎: the entry, its counts, and how the disliked answers' questions were read.
    [kyoto, listing] = report.disputed
    assert (kyoto.entry.label, kyoto.down, kyoto.up) == ("region · fields · kyoto-first", 2, 1)
    assert kyoto.queries == (KYOTO_FIELDS,)
    assert kyoto.questions == ()  # a confident answer's text is not kept
    assert (listing.down, listing.queries, listing.questions) == (
        1,
        (LISTING,),
        ("which cluster works on optics",),
    )  # its text was kept once it was asked again
    assert report.answers_down == 2

    # Asked again: grouped by the first answer, largest group first, latest pair first.
    groups = [(g.entry.label, g.count, g.queries) for g in report.rephrasings]
    assert groups == [
        ("list_all · by_stage · kyoto-first, sapporo-first", 2, (LISTING,)),
        ("region · contact · sapporo-first", 1, (SAPPORO_CONTACT,)),
        ("unexplained:region · clarify · hamamatsu-first", 1, (led("hamamatsu-first"),)),
    ]
    pairs = [(p.first, p.second, p.seconds) for p in report.rephrasings[0].pairs]
    assert pairs == [
        ("which cluster does photonics", "photonics clusters", 15.0),
        ("which cluster works on optics", "which clusters do optics research", 20.0),
    ]
    assert report.rephrasings[0].pairs[1].second_answer.label == "faq · faq · key-fields"
    assert report.rephrasings[1].pairs[0].first == "who do i call in sapporo"
    assert report.rephrased == 4  # the Kyoto question 90 s later is not among them

    # Words nothing read: counted over the week, offers and answers apart.
    words = [(w.word, w.offered, w.given) for w in report.unread_words]
    assert words == [("led", 2, 0), ("purpose", 0, 1)]
    assert (report.offered, report.given_unread) == (2, 1)
    offers = [(g.entry.label, g.count, g.words) for g in report.offers]
    assert offers == [
        ("unexplained:region · clarify · hamamatsu-first", 1, ("led",)),
        ("unexplained:region · clarify · kyoto-first", 1, ("led",)),
    ]
    [given] = report.given
    assert (given.entry.label, given.words) == ("faq · faq · purpose", ("purpose",))
    assert [(e.question, e.query) for e in given.examples] == [
        ("what is the purpose of the initiative", PURPOSE)
    ]
    # Offers are not listed again among the questions the bot could not answer.
    assert [g.text for g in report.unanswered] == ["who was the director of the hamamatsu cluster"]


async def test_every_format_shows_the_mistakes(database):
    _, records = known_week()
    await logged(database, records)
    report = await week_report(database)
    text = render(report, "text")
    assert (
        "Possible mistakes: 2 answers with 👎, 4 questions asked again at once, 1 answer given "
        "despite unread words, 2 offers for unread words."
    ) in text
    assert (
        "“which cluster works on optics” → 20 s later “which clusters do optics research”" in text
    )
    assert "Asked again right after the answer: 4 questions in 3 groups" in text
    markdown = render(report, "markdown")
    assert "| led | 2 | 0 |" in markdown
    assert "## Asked again right after the answer" in markdown
    data = json.loads(render(report, "json"))
    assert data["rephrasings"][0]["queries"] == [json.loads(LISTING)]
    assert data["rephrasings"][0]["entry"]["label"].startswith("list_all")
    assert data["unread_words"][0] == {"word": "led", "offered": 2, "given": 0}
    rows = render(report, "csv").splitlines()
    assert sum(row.startswith('"rephrased",') for row in rows) == 3
    assert '"unread_word","led","2","","","","","","offered 2, given 0"' in rows


async def test_without_texts_the_mistakes_show_counts_rules_and_readings(database):
    """For a server manager reading a log that spans every server: no question and no word
    as typed, not even inside a reading; the groups and their counts stay."""
    _, records = known_week()
    await logged(database, records)
    report = await week_report(database, texts_shown=False)
    assert report.rephrased == 4
    assert report.unread_words == ()
    for fmt in ("text", "markdown", "csv", "json"):
        out = render(report, fmt)
        for typed in ("optics", "photonics", "sapporo contact number", '"led"', "purpose of"):
            assert typed not in out, (fmt, typed)
        assert "list_all · by_stage" in out


async def test_an_old_log_is_migrated_and_still_reports(database):
    """A database written before migration 0003 (no readings, no links) opens, keeps its
    rows, and reports them; the new sections are empty, not broken."""
    store = open_store(database)
    await store.connect()
    try:
        await migrate(store, target=2)
        a = ids(3)
        await write_before_reading(store, declined(a[0], "how is the weather", at=NOW - DAY))
        await write_before_reading(store, answer(a[1], at=NOW - DAY))
        await write_before_reading(store, answer(a[2], at=NOW - DAY, rule="unexplained:region",
                                                 intent="clarify", answered=False,
                                                 question="who led the kyoto cluster"))  # fmt: skip
        await store.write([], [vote(a[1], "p1", DOWN, at=NOW - DAY)])
    finally:
        await store.close()
    report = await week_report(database)  # opening migrates it
    assert report.answers == 3
    assert [g.text for g in report.unanswered] == ["how is the weather"]
    [disliked] = report.disputed
    assert (disliked.entry.label, disliked.queries) == ("region · fields · kyoto-first", ())
    assert (report.rephrased, report.rephrasings) == (0, ())
    # The old offer counts, without words: none were kept then.
    assert (report.offered, report.unread_words) == (1, ())
    assert [g.examples[0].query for g in report.offers] == [None]
    assert "(no reading kept)" in render(report, "text")


# ----------------------------------------------------- through the pipeline and the engine


async def test_the_bot_s_own_log_reports_a_retry_a_thumbs_down_and_an_unread_word(database):
    """Questions answered by the real pipeline, logged by the real listener with a clock
    the test moves, written to the database: the report shows the retry within the window,
    not the one after it, the 👎 answer's reading, and the word nothing read."""
    now = [NOW - DAY]
    submitted = []
    log = QuestionLog(submitted.append, LogPolicy(), clock=lambda: now[0])
    app = Application(shipped_knowledge(), [log])

    def ask(text: str, after: float, who: str = "alice"):
        now[0] += after
        return app.handle(Request("ask", text, conversation=who, via="/ask"))

    first = ask("what fields does kyoto cover", 0)
    ask("what fields does the kyoto cluster cover", 30)
    ask("which fields does the kyoto cluster work in", 61)  # after the window
    offered = ask("who glorbed the hamamatsu cluster", 600, who="bob")
    assert offered.answer.rule.startswith("unexplained:"), "the engine reads 'glorbed' now?"
    submitted.append(vote(first.id, "p1", DOWN, at=now[0]))
    await logged(database, submitted)

    report = await week_report(database)
    [group] = report.rephrasings
    assert [(p.first, p.second) for p in group.pairs] == [
        ("what fields does kyoto cover", "what fields does the kyoto cluster cover")
    ]
    assert group.entry.rule == first.answer.rule
    [disliked] = report.disputed
    [reading] = disliked.queries
    assert json.loads(reading)["clusters"]["named"] == ["kyoto-first"]
    assert [(w.word, w.offered) for w in report.unread_words] == [("glorbed", 1)]
