"""What the question log records for an answer, and the offline front-ends that log."""

from __future__ import annotations

import asyncio
import io
import json

import pytest

from bot import chat, cli
from bot.app import Application, Request
from bot.config import StorageSettings
from bot.storage.questionlog import LogPolicy, QuestionLog, answer_record
from bot.storage.urls import sqlite_target
from tests.storage_support import opened
from tests.support import shipped_knowledge

USER, CHANNEL, GUILD = 123456789012345678, 223456789012345678, 323456789012345678
ORIGIN = {"guild": GUILD, "channel": CHANNEL, "user": USER}


@pytest.fixture(scope="module")
def app() -> Application:
    return Application(shipped_knowledge())


def record_of(app, request, policy=None):
    return answer_record(app.handle(request), policy or LogPolicy(), now=1.0)


def test_a_declined_question_keeps_its_cleaned_text(app):
    """The editor sees the words, without the mention, the links or code marks, and the
    rule that declined them."""
    response = app.handle(
        Request(
            "ask",
            "<@999999999999999999> how is the `weather` in [Tokyo](https://x.example/t) "
            "https://example.com/x today",
            via="text:mention",
            origin=ORIGIN,
        )
    )
    record = answer_record(response, LogPolicy(), now=1.0)
    assert not record.answered
    assert record.question == "how is the weather in Tokyo today"
    assert record.route == "text:mention"
    assert (record.rule, record.intent) == (response.answer.rule, response.answer.intent.value)


def test_a_confident_answer_keeps_no_text(app):
    record = record_of(app, Request("ask", "what fields does kyoto cover", via="/ask"))
    assert record.answered
    assert record.confidence == 1.0
    assert record.question is None
    assert record.matches == "kyoto-first"


def test_a_low_confidence_answer_keeps_its_text(app):
    """Answered, but below the low-confidence line: the editor may add a phrasing."""
    policy = LogPolicy(low_confidence=1.01)  # every answer counts as unsure here
    record = record_of(app, Request("ask", "what fields does kyoto cover"), policy)
    assert record.answered
    assert record.question == "what fields does kyoto cover"


def test_texts_are_not_kept_when_switched_off(app):
    record = record_of(
        app, Request("ask", "how is the weather"), LogPolicy(keep_question_text=False)
    )
    assert record.question is None
    assert not record.answered


def test_no_user_channel_or_message_id_is_ever_recorded(app):
    """Whatever the request carries, the record has no id of a person, channel or message;
    the guild id only when the deployment keeps it."""
    request = Request("ask", "how is the weather", via="/ask", origin=ORIGIN)
    for policy in (LogPolicy(), LogPolicy(keep_guild_id=True)):
        row = repr(record_of(app, request, policy).row())
        assert str(USER) not in row
        assert str(CHANNEL) not in row
    assert record_of(app, request).guild_id is None
    assert record_of(app, request, LogPolicy(keep_guild_id=True)).guild_id == str(GUILD)


def test_an_empty_question_is_logged_without_text(app):
    record = record_of(app, Request("ask", "   "))
    assert record.intent == "empty"
    assert record.question is None


def test_overheard_chatter_is_not_logged(app):
    """A listened channel's small talk the bot stays quiet about leaves no record; a
    question there that the bot answers does."""
    records: list = []
    log = QuestionLog(records.append)
    log(app.handle(Request("ask", "lunch anyone?", via="text:channel", unsolicited=True)))
    assert records == []
    log(
        app.handle(
            Request("ask", "what fields does ube cover", via="text:channel", unsolicited=True)
        )
    )
    assert [r.route for r in records] == ["text:channel"]


def test_a_failing_log_never_costs_the_answer(app):
    """A listener that raises is logged by the pipeline; the user still gets the reply."""

    def broken(_record):
        raise RuntimeError("disk on fire")

    noisy = Application(shipped_knowledge(), [QuestionLog(broken)])
    assert noisy.handle(Request("ask", "what fields does kyoto cover")).answer.answered


# ------------------------------------------------------------------- offline front-ends


def storage_at(tmp_path, **overrides) -> StorageSettings:
    return StorageSettings(data_dir=str(tmp_path), **overrides)


def stored(path):
    async def read():
        async with opened(sqlite_target(path)) as store:
            return await store.answers_since(0)

    return asyncio.run(read())


def test_the_console_logs_its_answers(tmp_path):
    """`chat` records each answer with route `console`, texts for the declined ones."""
    stdin = io.StringIO("what fields does kyoto cover\nhow is the weather\n/contact sapporo\n")
    out = io.StringIO()
    code = chat.run_chat(
        None, stdin=stdin, out=out, err=io.StringIO(), storage=storage_at(tmp_path)
    )
    assert code == 0
    rows = stored(tmp_path / "kcbot.sqlite3")
    assert [(r.route, r.command, r.answered) for r in rows] == [
        ("console", "ask", True),
        ("console", "ask", False),
        ("console", "contact", True),
    ]
    assert [r.question for r in rows] == [None, "how is the weather", None]


def test_the_console_logs_nothing_when_the_log_is_off(tmp_path):
    chat.run_chat(
        None,
        stdin=io.StringIO("how is the weather\n"),
        out=io.StringIO(),
        err=io.StringIO(),
        storage=storage_at(tmp_path, question_log=False),
    )
    assert not (tmp_path / "kcbot.sqlite3").exists()


def test_ask_logs_only_with_log(tmp_path, monkeypatch, capsys):
    """The `ask` batch is a tool, not a person: it is logged only when asked to."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert cli.main(["ask", "how is the weather"]) == 0
    assert not (tmp_path / "kcbot.sqlite3").exists()
    assert cli.main(["ask", "--log", "how is the weather"]) == 0
    [row] = stored(tmp_path / "kcbot.sqlite3")
    assert (row.route, row.question) == ("ask", "how is the weather")
    capsys.readouterr()


def test_a_database_from_a_newer_kcbot_stops_the_console(tmp_path):
    """The console refuses to write to a database it does not understand: exit 1, one line."""

    async def make_newer():
        async with (
            opened(sqlite_target(tmp_path / "kcbot.sqlite3")) as store,
            store.session(write=True) as session,
        ):
            await session.execute("INSERT INTO schema_version VALUES (99, 'future', 0)")

    asyncio.run(make_newer())
    err = io.StringIO()
    code = chat.run_chat(
        None, stdin=io.StringIO("hello\n"), out=io.StringIO(), err=err, storage=storage_at(tmp_path)
    )
    assert code == 1
    assert "schema version 99" in err.getvalue()


# ------------------------------------------------------- readings and words nothing read


def test_every_typed_question_keeps_how_it_was_read(app):
    """A confident answer keeps no text, but its reading (ids only) and no words."""
    record = record_of(app, Request("ask", "what fields does kyoto cover"))
    assert record.question is None
    assert record.unexplained is None
    reading = json.loads(record.query_json)
    assert reading["clusters"]["named"] == ["kyoto-first"]
    assert reading["asked"] == ["fields"]


def test_a_command_has_no_reading(app):
    record = record_of(app, Request("contact", "sapporo"))
    assert record.query_json is None


def test_an_offer_keeps_the_words_it_could_not_read(app):
    """ "I could not read “glorbed”": the record keeps the text and the word, and the rule
    says the reply is an offer."""
    record = record_of(app, Request("ask", "who glorbed the hamamatsu cluster"))
    assert record.rule.startswith("unexplained:")
    assert not record.answered
    assert record.unexplained_words == ("glorbed",)
    assert record.question == "who glorbed the hamamatsu cluster"
    assert json.loads(record.query_json)["unexplained"] == ["glorbed"]


def test_an_offer_inside_a_reply_to_several_questions_keeps_its_words(app):
    """A reply to two questions has no reading of its own; the offered part's words are
    still kept."""
    record = record_of(
        app, Request("ask", "who glorbed the hamamatsu cluster and what fields does kyoto cover")
    )
    assert "unexplained:" in record.rule
    assert record.unexplained_words == ("glorbed",)
    assert record.query_json is None


def test_an_answer_given_on_words_only_its_entry_held_keeps_them(app):
    """Coverage lets an FAQ answer stand when its entry's text holds the words the lexicon
    did not read: the answer is given, and the log keeps those words and the text."""
    response = app.handle(Request("ask", "what is the purpose of the initiative"))
    unread = response.answer.query.unexplained
    assert response.answer.answered
    assert unread, "this question no longer needs its entry's text"
    record = answer_record(response, LogPolicy(), now=1.0)
    assert record.unexplained_words == unread
    assert record.question == "what is the purpose of the initiative"
