"""What the question log stores: one record per answer, one per vote. Plain data, no I/O.

Records are named tuples, so each is already the row its table takes: a batch goes to the
driver as it is, with no copying on the event loop's thread.
"""

from __future__ import annotations

from typing import NamedTuple

UP, DOWN = 1, -1
MATCHES_KEPT = 40  # a listing can match every cluster; the first ones say what it was about
QUESTION_CHARS_KEPT = 600


class AnswerRecord(NamedTuple):
    """One answer: which front-end, which rule, how sure, how fast; never who asked."""

    answer_id: str
    answered_at: float  # seconds since the Unix epoch
    route: str  # the front-end: "/ask", "text:mention", "console", ...
    command: str
    rule: str
    intent: str
    answered: bool
    confidence: float
    matches: str  # the matched entries' ids, space-separated
    lang: str
    latency_ms: float
    question: str | None = None  # only for declined and low-confidence answers, if kept
    guild_id: str | None = None  # only when the deployment keeps it

    def row(self) -> tuple:
        return tuple(self)

    @property
    def match_ids(self) -> tuple[str, ...]:
        return tuple(self.matches.split())


class VoteRecord(NamedTuple):
    """One person's 👍 (+1) or 👎 (-1) on one answer; `voter` is a salted hash."""

    answer_id: str
    voter: str
    vote: int
    voted_at: float

    def row(self) -> tuple:
        return tuple(self)


ANSWER_COLUMNS = AnswerRecord._fields
VOTE_COLUMNS = VoteRecord._fields
