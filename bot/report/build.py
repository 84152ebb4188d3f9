"""The report as data: built from the log's records, rendered by `bot.report.formats`."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.report.entries import Entry, entry_of
from bot.report.grouping import group_questions
from bot.report.mistakes import (
    RephrasedGroup,
    UnreadGroup,
    UnreadWord,
    given_unread,
    is_offer,
    rephrased_groups,
    shown_query,
    unread_groups,
    unread_words,
)
from bot.storage.questionlog import LOW_CONFIDENCE
from bot.storage.records import AnswerRecord, VoteRecord

TOP = 20  # groups and answers listed per section


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    text: str  # the most frequent wording
    count: int
    examples: tuple[str, ...]  # other wordings
    answered_as: tuple[str, ...]  # entry labels: the rule (and entry) that declined or answered
    last_seen: float


@dataclass(frozen=True, slots=True)
class DisputedAnswer:
    entry: Entry | None  # None: its answer has left the log (or was never written)
    down: int
    up: int
    questions: tuple[str, ...]  # the kept texts of the answers voted on (when kept)
    queries: tuple[str, ...] = ()  # how the questions voted on were read


@dataclass(frozen=True, slots=True)
class Breakdown:
    key: str
    answers: int
    answered: int
    p50_ms: float
    p95_ms: float

    @property
    def answered_rate(self) -> float:
        return self.answered / self.answers if self.answers else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    since: float
    until: float
    scope: str  # "every server", "this server"
    texts_shown: bool
    answers: int
    answered: int
    low_confidence: int
    votes_up: int
    votes_down: int
    answers_down: int  # answers with at least one 👎
    unanswered: tuple[QuestionGroup, ...]
    unanswered_groups: int
    unsure: tuple[QuestionGroup, ...]
    unsure_groups: int
    disputed: tuple[DisputedAnswer, ...]
    # The likely mistakes (bot.report.mistakes): unread words, and questions asked again.
    offered: int  # replies that offered a reading instead of answering, for unread words
    given_unread: int  # answers given although the lexicon did not read some words
    unread_words: tuple[UnreadWord, ...]
    offers: tuple[UnreadGroup, ...]
    offer_groups: int
    given: tuple[UnreadGroup, ...]
    given_groups: int
    rephrased: int  # questions asked again right after their answer
    rephrasings: tuple[RephrasedGroup, ...]
    rephrased_groups: int
    by_route: tuple[Breakdown, ...]
    by_rule: tuple[Breakdown, ...]
    by_language: tuple[Breakdown, ...]

    @property
    def declined(self) -> int:
        return self.answers - self.answered


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of `values` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def breakdown(
    records: Iterable[AnswerRecord], key: Callable[[AnswerRecord], str]
) -> tuple[Breakdown, ...]:
    buckets: dict[str, list[AnswerRecord]] = defaultdict(list)
    for record in records:
        buckets[key(record)].append(record)
    rows = [
        Breakdown(
            name,
            len(rows),
            sum(r.answered for r in rows),
            percentile([r.latency_ms for r in rows], 0.50),
            percentile([r.latency_ms for r in rows], 0.95),
        )
        for name, rows in buckets.items()
    ]
    return tuple(sorted(rows, key=lambda b: (-b.answers, b.key)))


def _groups(records: Sequence[AnswerRecord], top: int) -> tuple[tuple[QuestionGroup, ...], int]:
    with_text = [r for r in records if r.question]
    groups = group_questions(r.question for r in with_text if r.question)
    entries_of: dict[str, set[str]] = defaultdict(set)
    last_of: dict[str, float] = defaultdict(float)
    for record in with_text:
        assert record.question is not None
        entries_of[record.question].add(entry_of(record).label)
        last_of[record.question] = max(last_of[record.question], record.answered_at)
    result = []
    for group in groups[:top]:
        wordings = list(group.wordings)
        result.append(
            QuestionGroup(
                text=group.text,
                count=group.count,
                examples=tuple(group.examples()),
                answered_as=tuple(sorted(set().union(*(entries_of[w] for w in wordings))))[:3],
                last_seen=max(last_of[w] for w in wordings),
            )
        )
    return tuple(result), len(groups)


def _disputed(
    answers: dict[str, AnswerRecord], votes: Sequence[VoteRecord], top: int, texts_shown: bool
) -> tuple[DisputedAnswer, ...]:
    tally: dict[Entry | None, list[int]] = defaultdict(lambda: [0, 0])
    questions: dict[Entry | None, list[str]] = defaultdict(list)
    queries: dict[Entry | None, list[str]] = defaultdict(list)
    for vote in votes:
        record = answers.get(vote.answer_id)
        entry = entry_of(record) if record else None
        tally[entry][0 if vote.vote < 0 else 1] += 1
        if record is None or vote.vote > 0:  # how the disliked answers' questions were read
            continue
        if texts_shown and record.question and record.question not in questions[entry]:
            questions[entry].append(record.question)
        query = shown_query(record, texts_shown)
        if query is not None and query not in queries[entry]:
            queries[entry].append(query)
    rows = [
        DisputedAnswer(entry, down, up, tuple(questions[entry][:3]), tuple(queries[entry][:3]))
        for entry, (down, up) in tally.items()
        if down
    ]
    rows.sort(key=lambda d: (-d.down, d.up, d.entry.label if d.entry else "~"))
    return tuple(rows[:top])


def build_report(
    answers: Sequence[AnswerRecord],
    votes: Sequence[VoteRecord],
    *,
    since: float,
    until: float,
    voted_answers: Iterable[AnswerRecord] = (),
    scope: str = "every server",
    texts_shown: bool = True,
    top: int = TOP,
) -> Report:
    """The report on `answers` and `votes` logged from `since` to `until`.

    `voted_answers` are older answers that votes or rephrasings in the window refer to.
    With `texts_shown` False no question's text appears, nor any word as typed (counts,
    entries and readings only).
    """
    in_window = [a for a in answers if since <= a.answered_at <= until]
    offers = [a for a in in_window if is_offer(a)]
    # Offers have their own section, with the words they could not read.
    declined = [a for a in in_window if not a.answered and a.intent != "empty" and not is_offer(a)]
    unsure = [a for a in in_window if a.answered and a.confidence < LOW_CONFIDENCE]
    given = [a for a in in_window if given_unread(a)]
    by_id = {a.answer_id: a for a in (*voted_answers, *answers)}
    window_votes = [v for v in votes if since <= v.voted_at <= until]
    unanswered, unanswered_groups = _groups(declined, top) if texts_shown else ((), 0)
    unsure_groups_shown, unsure_groups = _groups(unsure, top) if texts_shown else ((), 0)
    offer_groups_shown, offer_groups = unread_groups(offers, top, texts_shown=texts_shown)
    given_groups_shown, given_groups = unread_groups(given, top, texts_shown=texts_shown)
    rephrasings, rephrased_group_count, rephrased = rephrased_groups(
        in_window, by_id, top, texts_shown=texts_shown
    )
    return Report(
        since=since,
        until=until,
        scope=scope,
        texts_shown=texts_shown,
        answers=len(in_window),
        answered=sum(a.answered for a in in_window),
        low_confidence=len(unsure),
        votes_up=sum(v.vote > 0 for v in window_votes),
        votes_down=sum(v.vote < 0 for v in window_votes),
        answers_down=len({v.answer_id for v in window_votes if v.vote < 0}),
        unanswered=unanswered,
        unanswered_groups=unanswered_groups,
        unsure=unsure_groups_shown,
        unsure_groups=unsure_groups,
        disputed=_disputed(by_id, window_votes, top, texts_shown),
        offered=len(offers),
        given_unread=len(given),
        unread_words=unread_words([*offers, *given], top, texts_shown=texts_shown),
        offers=offer_groups_shown,
        offer_groups=offer_groups,
        given=given_groups_shown,
        given_groups=given_groups,
        rephrased=rephrased,
        rephrasings=rephrasings,
        rephrased_groups=rephrased_group_count,
        by_route=breakdown(in_window, lambda a: a.route),
        by_rule=breakdown(in_window, lambda a: a.rule),
        by_language=breakdown(in_window, lambda a: a.lang),
    )
