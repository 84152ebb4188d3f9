"""What the question log stores: one record per answer, one per vote. Plain data, no I/O."""

from __future__ import annotations

import operator
from dataclasses import dataclass, fields

UP, DOWN = 1, -1
MATCHES_KEPT = 40  # a listing can match every cluster; the first ones say what it was about
QUESTION_CHARS_KEPT = 600


@dataclass(frozen=True, slots=True)
class AnswerRecord:
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
        return _answer_row(self)

    @property
    def match_ids(self) -> tuple[str, ...]:
        return tuple(self.matches.split())


@dataclass(frozen=True, slots=True)
class VoteRecord:
    """One person's 👍 (+1) or 👎 (-1) on one answer; `voter` is a salted hash."""

    answer_id: str
    voter: str
    vote: int
    voted_at: float

    def row(self) -> tuple:
        return _vote_row(self)


ANSWER_COLUMNS = tuple(f.name for f in fields(AnswerRecord))
VOTE_COLUMNS = tuple(f.name for f in fields(VoteRecord))
# The columns in order, read in C: dataclasses.astuple deep-copies and costs 50 times more,
# on the event loop's thread, for every record of every batch.
_answer_row = operator.attrgetter(*ANSWER_COLUMNS)
_vote_row = operator.attrgetter(*VOTE_COLUMNS)
