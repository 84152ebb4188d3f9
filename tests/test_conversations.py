"""The conversation store (bot/conversations.py) and conversations through the application
pipeline: per key, idle expiry, a bounded number, the conversation's language."""

from __future__ import annotations

import threading

import pytest

from bot.app import Application, Request
from bot.conversations import ConversationStore
from bot.engine.turn import Turn
from tests.support import shipped_knowledge

TURN = Turn(clusters=("kyoto-first",))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_turn_is_kept_per_key():
    store = ConversationStore()
    store.put("a", TURN)
    assert store.get("a") == TURN
    assert store.get("b") is None
    assert store.get(None) is None


def test_no_key_keeps_nothing():
    store = ConversationStore()
    store.put(None, TURN)
    assert len(store) == 0


def test_an_idle_conversation_is_forgotten():
    clock = Clock()
    store = ConversationStore(idle_seconds=600, clock=clock)
    store.put("a", TURN)
    clock.now = 600
    assert store.get("a") == TURN  # exactly the idle time: still there
    clock.now = 600.5
    assert store.get("a") is None
    assert len(store) == 0


def test_each_answer_restarts_the_idle_time():
    clock = Clock()
    store = ConversationStore(idle_seconds=10, clock=clock)
    for now in (0, 8, 16, 24):
        clock.now = now
        store.put("a", TURN)
    clock.now = 33
    assert store.get("a") == TURN


def test_idle_conversations_are_dropped_even_if_never_asked_again():
    """Memory is given back by any later use, not only by the same conversation."""
    clock = Clock()
    store = ConversationStore(idle_seconds=10, clock=clock)
    for key in range(100):
        store.put(key, TURN)
    clock.now = 11
    store.put("new", TURN)
    assert len(store) == 1


def test_the_least_recently_used_goes_past_the_capacity():
    store = ConversationStore(capacity=3)
    for key in "abc":
        store.put(key, TURN)
    store.put("a", TURN)  # a is used again: b is now the oldest
    store.put("d", TURN)
    assert len(store) == 3
    assert store.get("b") is None
    assert {k for k in "acd" if store.get(k) is not None} == set("acd")


def test_bounded_under_many_conversations():
    store = ConversationStore(capacity=1000)
    for key in range(50_000):
        store.put(key, TURN)
    assert len(store) == 1000
    assert store.get(49_999) == TURN
    assert store.get(0) is None


def test_threads_may_share_a_store():
    store = ConversationStore(capacity=500)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(2000):
                store.put((offset, i % 700), TURN)
                store.get((offset, (i * 7) % 700))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert len(store) == 500


@pytest.mark.parametrize(("idle", "capacity"), [(0, 10), (-1, 10), (10, 0)])
def test_bad_bounds_are_refused(idle, capacity):
    with pytest.raises(ValueError, match="conversation store"):
        ConversationStore(idle, capacity)


# ------------------------------------------------------------------- in the pipeline ----


@pytest.fixture
def app() -> Application:
    return Application(shipped_knowledge())


def ask(app: Application, text: str, key: object = "chat", **kwargs):
    return app.handle(Request("ask", text, conversation=key, **kwargs))


def test_the_pipeline_reads_a_follow_up_in_its_conversation(app):
    ask(app, "contact kyoto")
    follow = ask(app, "and its page?")
    assert follow.answer.followup == "clusters"
    other = ask(app, "and its page?", key="someone else")
    assert other.answer.followup is None


def test_requests_without_a_conversation_stand_alone(app):
    ask(app, "contact kyoto", key=None)
    assert ask(app, "and its page?", key=None).answer.followup is None


def test_a_command_starts_a_conversation(app):
    app.handle(Request("region", "hamamatsu", conversation="chat"))
    assert ask(app, "the second one").answer.matches == ("hamamatsu-first",)


def test_a_click_continues_the_clickers_conversation(app):
    app.handle(
        Request(
            "show",
            options={"action": "fields", "kind": "cluster", "id": "ube-first"},
            conversation="chat",
        )
    )
    assert ask(app, "and its page?").answer.matches == ("ube-first",)


def test_a_conversation_goes_on_in_its_language(app):
    first = ask(app, "京都の連絡先は？")
    follow = ask(app, "kobe?")  # a name alone: its script decides nothing
    assert first.lang == "ja"
    assert follow.lang == "ja"
    assert follow.answer.followup == "intent"
    assert ask(app, "what fields does ube cover").lang == "en"  # an English sentence


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [
        ("which stage was Kyoto in?", "ok and in japanese?", "ja"),
        ("京都の分野は？", "英語でお願いします", "en"),
        ("what fields does ube cover", "nihongo de onegai", "ja"),
    ],
)
def test_the_previous_answer_again_in_the_language_asked(app, first, then, lang):
    before = ask(app, first)
    again = ask(app, then)
    assert again.answer.followup == "language"
    assert again.lang == lang != before.lang
    assert again.answer.matches == before.answer.matches
    assert again.answer.intent is before.answer.intent


def test_a_name_asked_in_japanese_is_no_request_for_a_japanese_reply(app):
    ask(app, "which stage was Kyoto in?")
    name = ask(app, "what is it called in japanese?")
    assert name.answer.followup != "language"
    assert name.lang == "en"


def test_expiry_in_the_pipeline():
    clock = Clock()
    app = Application(shipped_knowledge(), conversations=ConversationStore(600, clock=clock))
    ask(app, "contact kyoto")
    clock.now = 601
    assert ask(app, "and its page?").answer.followup is None


def test_a_reload_that_removes_a_cluster_ends_conversations_about_it(app, monkeypatch):
    ask(app, "contact kyoto")
    turn = app.conversations.get("chat")
    app.conversations.put("chat", Turn(intent=turn.intent, clusters=("gone-cluster",)))
    follow = ask(app, "and its page?")
    assert follow.answer.followup is None  # not a crash on an unknown cluster
