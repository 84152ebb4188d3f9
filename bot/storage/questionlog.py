"""The question log as an application listener: every answer becomes a record, queued.

What is kept (README, "The question log"): time, route, command, rule, intent, answered,
confidence, the matched entries' ids, language and latency for every answer a person got;
the cleaned question text only when the bot declined or was unsure (and only while
QUESTION_LOG_TEXT is on); the guild id only while QUESTION_LOG_GUILD is on. Never a user
id, a channel id or a message id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.app import Response
from bot.config import StorageSettings
from bot.engine.answer import Intent
from bot.engine.text import clean_question
from bot.storage.records import MATCHES_KEPT, QUESTION_CHARS_KEPT, AnswerRecord

# An answer given with less confidence than this is "low confidence": its question's text
# is kept, because an editor may want to add a phrasing or a fact for it. The engine's
# region and FAQ answers at 1.0 are exact matches; FAQ answers from 0.56 up are fuzzy.
LOW_CONFIDENCE = 0.8


@dataclass(frozen=True, slots=True)
class LogPolicy:
    keep_question_text: bool = True
    keep_guild_id: bool = False
    low_confidence: float = LOW_CONFIDENCE

    @classmethod
    def from_settings(cls, storage: StorageSettings) -> LogPolicy:
        return cls(storage.keep_question_text, storage.keep_guild_id)


def needs_editor(response: Response, policy: LogPolicy = LogPolicy()) -> bool:
    """Declined, or answered with low confidence: the questions an editor looks at."""
    answer = response.answer
    if answer.intent is Intent.EMPTY:
        return False
    return not answer.answered or answer.confidence < policy.low_confidence


def answer_record(response: Response, policy: LogPolicy, now: float) -> AnswerRecord:
    request, answer = response.request, response.answer
    question = None
    if policy.keep_question_text and needs_editor(response, policy):
        question = clean_question(answer.question or request.text)[:QUESTION_CHARS_KEPT] or None
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
    )


class QuestionLog:
    """An `Application` listener: turns each answer into a record and hands it to `submit`
    (a `LogWriter.submit`, or a thread-safe wrapper of one). Never blocks, never raises."""

    def __init__(
        self,
        submit: Callable[[AnswerRecord], object],
        policy: LogPolicy = LogPolicy(),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.submit = submit
        self.policy = policy
        self._clock = clock

    def __call__(self, response: Response) -> None:
        if response.silent:  # chatter in a listened channel, not a question to the bot
            return
        self.submit(answer_record(response, self.policy, self._clock()))
