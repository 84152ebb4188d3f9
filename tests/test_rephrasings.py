"""Which question the question log links to the one before it: the same person asking again
right after the answer (bot.storage.rephrasings), through the real pipeline and engine."""

from __future__ import annotations

import json

import pytest

from bot.app import Application, Request
from bot.engine.reading.query import Query
from bot.engine.text import Text
from bot.storage.questionlog import LogPolicy, QuestionLog, stored_query
from bot.storage.records import AnswerRecord, QuestionText
from bot.storage.rephrasings import Rephrasings
from tests.support import shipped_knowledge

START = 1_750_000_000.0


class Session:
    """One application whose answers go to a question log with a clock the test moves."""

    def __init__(self, policy: LogPolicy | None = None) -> None:
        self.now = START
        self.records: list[AnswerRecord | QuestionText] = []
        self.log = QuestionLog(self.records.append, policy or LogPolicy(), clock=lambda: self.now)
        self.app = Application(shipped_knowledge(), [self.log])

    def ask(
        self, text: str, *, after: float = 0.0, who: str = "alice", command: str = "ask", **kw
    ) -> AnswerRecord:
        self.now += after
        response = self.app.handle(Request(command, text, conversation=who, **kw))
        [record] = [
            r for r in self.records if isinstance(r, AnswerRecord) and r.answer_id == response.id
        ]
        return record

    def texts(self) -> dict[str, str]:
        return {r.answer_id: r.question for r in self.records if isinstance(r, QuestionText)}


def test_a_question_asked_again_at_once_is_linked_and_both_texts_kept():
    """A confident answer keeps no text; once the same person asks the same thing again
    within the window, the second record names the first, and the first's text follows."""
    session = Session()
    first = session.ask("what fields does kyoto cover")
    assert (first.answered, first.question) == (True, None)
    second = session.ask("what fields does the kyoto cluster cover", after=20)
    assert second.rephrases == first.answer_id
    assert second.question == "what fields does the kyoto cluster cover"
    assert session.texts() == {first.answer_id: "what fields does kyoto cover"}
    # The text goes after the record it belongs to, so the writer finds its row.
    order = [getattr(r, "answer_id", None) for r in session.records]
    assert order.index(first.answer_id) < len(order) - 1
    assert isinstance(session.records[-1], QuestionText)


def test_only_the_window_counts():
    """Asked 61 s after the answer, with the default window of 60 s: a new question."""
    session = Session()
    session.ask("what fields does kyoto cover")
    late = session.ask("what fields does the kyoto cluster cover", after=61)
    assert late.rephrases is None
    assert late.question is None
    assert session.texts() == {}


def test_the_window_is_the_settings():
    session = Session(LogPolicy(retry_seconds=120))
    first = session.ask("what fields does kyoto cover")
    assert session.ask("what fields does the kyoto cluster cover", after=90).rephrases == (
        first.answer_id
    )
    off = Session(LogPolicy(retry_seconds=0))
    off.ask("what fields does kyoto cover")
    assert off.ask("what fields does the kyoto cluster cover", after=1).rephrases is None
    assert len(off.log.rephrasings) == 0


def test_another_person_or_conversation_is_not_a_retry():
    session = Session()
    session.ask("what fields does kyoto cover", who="alice")
    assert (
        session.ask("what fields does the kyoto cluster cover", after=5, who="bob").rephrases
        is None
    )
    assert (
        session.ask("what fields does the kyoto cluster cover", after=5, who=None).rephrases is None
    )


def test_a_follow_up_builds_on_the_answer_and_is_no_retry():
    """ "and the contact?" is read with the previous answer (a follow-up rule): a new
    question, whatever the time."""
    session = Session()
    session.ask("what fields does kyoto cover")
    follow = session.ask("and the contact?", after=5)
    assert follow.rephrases is None


def test_questions_on_different_subjects_are_not_paired():
    """Another cluster, or another thing asked of the programme: a new question."""
    session = Session()
    session.ask("what fields does kyoto cover")
    assert session.ask("what fields does sapporo cover", after=5).rephrases is None
    session.ask("what is the purpose of the initiative", after=300)
    assert session.ask("what was the budget", after=5).rephrases is None


def test_each_question_pairs_with_the_one_just_before():
    """Three tries in a row make two pairs, each with its predecessor."""
    session = Session()
    first = session.ask("what fields does kyoto cover")
    second = session.ask("what fields does the kyoto cluster cover", after=10)
    third = session.ask("kyoto cluster fields", after=10)
    assert (second.rephrases, third.rephrases) == (first.answer_id, second.answer_id)


def test_greetings_help_and_clicks_are_not_questions():
    """A greeting before a question, or a click on an offered step after one, pairs with
    nothing, and does not break the pair of the questions around it either way."""
    session = Session()
    session.ask("hello")
    first = session.ask("what fields does kyoto cover", after=5)
    assert first.rephrases is None
    clicked = session.ask(
        "",
        after=5,
        command="show",
        options={"action": "contact", "kind": "cluster", "id": "kyoto-first"},
    )
    assert clicked.rephrases is None
    again = session.ask("what fields does the kyoto cluster cover", after=5)
    assert again.rephrases == first.answer_id


def test_texts_off_keeps_the_link_but_no_words():
    """QUESTION_LOG_TEXT=false: the pair is still counted, without any text or word typed."""
    session = Session(LogPolicy(keep_question_text=False))
    first = session.ask("who led the hamamatsu cluster")
    second = session.ask("who was the director of the hamamatsu cluster", after=30)
    assert second.rephrases == first.answer_id
    assert session.texts() == {}
    for record in (first, second):
        assert record.question is None
        assert record.unexplained is None
    assert first.query_json is not None
    assert "led" not in first.query_json
    assert "unexplained" not in json.loads(first.query_json)


def test_memory_is_bounded_and_forgets_after_the_window():
    """At most `capacity` conversations are remembered, and none past its window."""
    rephrasings = Rephrasings(window=60, capacity=3)
    session = Session()
    session.log.rephrasings = rephrasings
    for n in range(5):
        session.ask("what fields does kyoto cover", who=f"person-{n}", after=1)
    assert len(rephrasings) == 3
    session.ask("what fields does kyoto cover", who="late", after=120)
    assert len(rephrasings) == 1


@pytest.mark.parametrize(
    "question",
    ["what fields does kyoto cover", "who led the hamamatsu cluster", "京都の分野は", "hello"],
)
def test_the_stored_reading_is_the_query_without_what_an_empty_one_reads(question):
    """The stored reading holds every part of `ask --json`'s query that differs from an
    empty question's, and nothing else; the question's kind (mode) always."""
    response = Application(shipped_knowledge()).handle(Request("ask", question))
    full = response.answer.query.to_json()
    stored = json.loads(stored_query(response.answer.query, keep_words=True))
    empty = Query(Text.parse("")).to_json()
    assert stored["mode"] == full["mode"]
    for key, value in full.items():
        if isinstance(value, dict):
            for inner, part in value.items():
                assert stored.get(key, {}).get(inner, empty[key][inner]) == part
        elif key != "mode":
            assert stored.get(key, empty[key]) == value
    assert set(stored) <= set(full)
    assert len(json.dumps(stored)) < len(json.dumps(full))
