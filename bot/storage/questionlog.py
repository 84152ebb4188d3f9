"""The question log as an application listener: every answer becomes a record, queued.

What is kept (README, "The question log"): time, route, command, rule, intent, answered,
confidence, the matched entries' ids, language and latency for every answer a person got,
and how a typed question was read (the engine's query, compact). The cleaned question text
only where an editor reads it: when the bot declined or was unsure, when the question had
words the lexicon did not read, and both questions of a rephrasing (the same person asking
again right after, `bot.storage.rephrasings`); the words nothing read; none of the typed
text while QUESTION_LOG_TEXT is off. The guild id only while QUESTION_LOG_GUILD is on.
Never a user id, a channel id or a message id.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.app import Response
from bot.config import StorageSettings
from bot.engine import messages as M
from bot.engine.answer import Answer, Intent
from bot.engine.reading.query import Query
from bot.engine.text import Text, clean_question
from bot.storage.records import (
    MATCHES_KEPT,
    QUESTION_CHARS_KEPT,
    AnswerRecord,
    QuestionText,
    VoteRecord,
)
from bot.storage.rephrasings import Asked, Rephrasings
from bot.storage.settings import RETRY_SECONDS

# An answer given with less confidence than this is "low confidence": its question's text
# is kept, because an editor may want to add a phrasing or a fact for it. The engine's
# region and FAQ answers at 1.0 are exact matches; FAQ answers from 0.56 up are fuzzy.
LOW_CONFIDENCE = 0.8
# Parts of a reading that hold words as typed: left out while texts are not kept.
TYPED_PARTS = ("unexplained", "presupposes")
# Always stored, even when it is the empty reading's: what kind of question it was.
ALWAYS_KEPT = ("mode",)
WORDS_KEPT = 20


@dataclass(frozen=True, slots=True)
class LogPolicy:
    keep_question_text: bool = True
    keep_guild_id: bool = False
    low_confidence: float = LOW_CONFIDENCE
    retry_seconds: float = RETRY_SECONDS

    @classmethod
    def from_settings(cls, storage: StorageSettings) -> LogPolicy:
        return cls(
            storage.keep_question_text,
            storage.keep_guild_id,
            retry_seconds=storage.retry_seconds,
        )


def needs_editor(response: Response, policy: LogPolicy = LogPolicy()) -> bool:
    """Declined, or answered with low confidence: the questions an editor looks at."""
    answer = response.answer
    if answer.intent is Intent.EMPTY:
        return False
    return not answer.answered or answer.confidence < policy.low_confidence


def unexplained_words(answer: Answer) -> tuple[str, ...]:
    """The words of the question the lexicon did not read. For an answer given, those only
    its entry's text (or a fact it quotes) held, which coverage let stand; for an offer
    ("I could not read …"), the words that made it one, as the reply names them; none for
    a reply that is neither (a decline says nothing about single words)."""
    if answer.answered:
        return answer.query.unexplained if answer.query is not None else ()
    # The offer's own message names the words coverage left unread (a combined reply to
    # several questions has one per offered part, in that part's section, and no query
    # of its own).
    words: list[str] = []
    messages = [*answer.summary, *(line for s in answer.sections for line in s.lines)]
    for message in messages:
        if message.id == M.UNSURE_WORDS.id:
            named = message.kwargs.get("words", ())
            words += [w for w in (named if isinstance(named, tuple) else (named,)) if w]
    return tuple(dict.fromkeys(str(w) for w in words))


@functools.cache
def _empty_reading() -> dict[str, Any]:
    return Query(Text.parse("")).to_json()


def _differences(reading: dict[str, Any], empty: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in reading.items():
        blank = empty.get(key)
        if value == blank:  # most parts of most readings: one comparison, in C
            if key in ALWAYS_KEPT:
                kept[key] = value
        elif isinstance(value, dict) and isinstance(blank, dict):
            kept[key] = _differences(value, blank)
        else:
            kept[key] = value
    return kept


def stored_query(query: Query | None, *, keep_words: bool) -> str | None:
    """The reading as `ask --json` shows it, without what an empty question reads the
    same (a few dozen bytes instead of ~350), and without typed words unless kept."""
    if query is None:
        return None
    reading = _differences(query.to_json(), _empty_reading())
    if not keep_words:
        reading = {k: v for k, v in reading.items() if k not in TYPED_PARTS}
    return json.dumps(reading, ensure_ascii=False, separators=(",", ":"))


def keeps_text(
    response: Response,
    policy: LogPolicy,
    *,
    rephrases: bool = False,
    words: tuple[str, ...] | None = None,
) -> bool:
    """Whether the question's text is kept: an editor reads it in the report. `words` are
    its `unexplained_words`, when already known."""
    if not policy.keep_question_text or response.answer.intent is Intent.EMPTY:
        return False
    if needs_editor(response, policy) or rephrases:
        return True
    return bool(unexplained_words(response.answer) if words is None else words)


def typed_text(response: Response) -> str:
    return response.answer.question or response.request.text


def kept_text(typed: str) -> str | None:
    """The text the log keeps: cleaned (no mentions, links or code marks) and bounded."""
    return clean_question(typed)[:QUESTION_CHARS_KEPT] or None


def answer_record(
    response: Response,
    policy: LogPolicy,
    now: float,
    *,
    rephrases: str | None = None,
    words: tuple[str, ...] | None = None,
) -> AnswerRecord:
    """The record of one answer; `rephrases` is the answer id of the question it asks again,
    `words` its `unexplained_words` when already known."""
    request, answer = response.request, response.answer
    words = unexplained_words(answer) if words is None else words
    question = None
    if keeps_text(response, policy, rephrases=rephrases is not None, words=words):
        question = kept_text(typed_text(response))
    words = words[:WORDS_KEPT] if policy.keep_question_text else ()
    guild = request.origin.get("guild") if policy.keep_guild_id else None
    return AnswerRecord(
        answer_id=response.id,
        answered_at=now,
        route=request.via or request.command,
        command=request.command,
        rule=answer.rule,
        intent=answer.intent.value,
        answered=answer.answered,
        confidence=round(float(answer.confidence), 4),
        matches=" ".join(answer.matches[:MATCHES_KEPT]),
        lang=response.lang,
        latency_ms=round(float(response.latency_ms), 3),
        question=question,
        guild_id=str(guild) if guild is not None else None,
        query_json=stored_query(answer.query, keep_words=policy.keep_question_text),
        unexplained=" ".join(words) or None,
        rephrases=rephrases,
    )


class QuestionLog:
    """An `Application` listener: turns each answer into a record and hands it to `submit`
    (a `LogWriter.submit`, or a thread-safe wrapper of one). Never blocks, never raises.

    A question asked again right after the previous one (`bot.storage.rephrasings`) is
    recorded with the previous one's id, whose text is then kept too (a `QuestionText`
    queued after the record)."""

    def __init__(
        self,
        submit: Callable[[AnswerRecord | VoteRecord | QuestionText], object],
        policy: LogPolicy = LogPolicy(),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.submit = submit
        self.policy = policy
        self._clock = clock
        self.rephrasings = Rephrasings(policy.retry_seconds)

    def __call__(self, response: Response) -> None:
        if response.silent:  # chatter in a listened channel, not a question to the bot
            return
        now = self._clock()
        policy = self.policy
        words = unexplained_words(response.answer)
        wanted = policy.keep_question_text and not keeps_text(response, policy, words=words)
        previous = self.rephrasings.asked(response, Asked.of(response, now, text_wanted=wanted))
        rephrases = previous.answer_id if previous is not None else None
        self.submit(answer_record(response, policy, now, rephrases=rephrases, words=words))
        if previous is not None and previous.text_wanted:
            text = kept_text(previous.typed)
            if text:
                self.submit(QuestionText(previous.answer_id, text))
