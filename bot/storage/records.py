"""What the question log stores: one record per answer, one per vote, and the text of an
earlier question kept once it was rephrased. Plain data, no I/O.

Records are named tuples, so each is already the row its table takes: a batch goes to the
driver as it is, with no copying on the event loop's thread.
"""

from __future__ import annotations

from typing import NamedTuple

UP, DOWN = 1, -1
MATCHES_KEPT = 40  # a listing can match every cluster; the first ones say what it was about
QUESTION_CHARS_KEPT = 600


class AnswerRecord(NamedTuple):
    """One answer: which front-end, which rule, how sure, how fast, how the question was
    read; never who asked."""

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
    question: str | None = None  # only for the answers an editor reads (questionlog.py)
    guild_id: str | None = None  # only when the deployment keeps it
    query_json: str | None = None  # the engine's reading, compact (typed questions only)
    unexplained: str | None = None  # words nothing read, space-separated (see 0003)
    rephrases: str | None = None  # the answer_id of the question this one asked again

    def row(self) -> tuple:
        return tuple(self)

    @property
    def match_ids(self) -> tuple[str, ...]:
        return tuple(self.matches.split())

    @property
    def unexplained_words(self) -> tuple[str, ...]:
        return tuple((self.unexplained or "").split())


class VoteRecord(NamedTuple):
    """One person's 👍 (+1) or 👎 (-1) on one answer; `voter` is a salted hash."""

    answer_id: str
    voter: str
    vote: int
    voted_at: float

    def row(self) -> tuple:
        return tuple(self)


class QuestionText(NamedTuple):
    """The text of a question logged earlier without it, kept once the same person asked
    again right after it (both questions of a rephrasing are what the editor reads)."""

    answer_id: str
    question: str

    def row(self) -> tuple:
        return tuple(self)


ANSWER_COLUMNS = AnswerRecord._fields
VOTE_COLUMNS = VoteRecord._fields
