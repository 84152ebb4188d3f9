"""The week's likely mistakes, from the question log: the words the bot could not read, and
the questions the same person asked again right after the answer.

Confident wrong answers are logged as answered with full confidence; what gives them away
is a word the lexicon did not read, or the person asking again at once. Both are grouped
here by the answer they got (its rule, intent and matched entries: `Entry`), most frequent
first, with how the question was read (`query`, as `ask --json` shows it).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.engine.evaluation.coverage import UNSURE_RULE
from bot.report.entries import Entry, entry_of
from bot.storage.records import AnswerRecord

EXAMPLES = 3  # questions (or pairs) shown per group
WORDS_PER_GROUP = 5
# Parts of a stored reading that hold words as typed (questionlog.TYPED_PARTS).
TYPED_PARTS = ("unexplained", "presupposes")


def is_offer(record: AnswerRecord) -> bool:
    """Not given because words were unexplained: the reply said which, and offered the rest
    as a step (`unexplained:<rule>`, also inside a reply to several questions)."""
    return not record.answered and f"{UNSURE_RULE}:" in record.rule


def given_unread(record: AnswerRecord) -> bool:
    """Given although the lexicon did not read some words: the answering entry's own text
    (an FAQ entry's wording, a quoted fact) held them, so coverage let the answer stand."""
    return record.answered and bool(record.unexplained_words)


def shown_query(record: AnswerRecord, texts_shown: bool) -> str | None:
    """The stored reading, without the words as typed when texts are not shown."""
    if record.query_json is None or texts_shown:
        return record.query_json
    try:
        reading = json.loads(record.query_json)
    except ValueError:
        return None
    if not isinstance(reading, dict):
        return None
    kept = {k: v for k, v in reading.items() if k not in TYPED_PARTS}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Example:
    """One question as it was asked (None when texts are not kept or not shown) and read."""

    question: str | None
    query: str | None


@dataclass(frozen=True, slots=True)
class UnreadWord:
    word: str
    offered: int  # offers it caused: the answer was not given
    given: int  # answers given although only the answering entry's text held it

    @property
    def total(self) -> int:
        return self.offered + self.given


@dataclass(frozen=True, slots=True)
class UnreadGroup:
    """Answers of one entry with unread words: how many, which words, examples."""

    entry: Entry
    count: int
    words: tuple[str, ...]
    examples: tuple[Example, ...]


@dataclass(frozen=True, slots=True)
class Rephrasing:
    """A question and the one the same person asked right after its answer."""

    first: str | None
    second: str | None
    seconds: float
    second_answer: Entry


@dataclass(frozen=True, slots=True)
class RephrasedGroup:
    """Pairs whose first question got the same answer (`entry`): how it was read, and the
    pairs, latest first."""

    entry: Entry
    count: int
    queries: tuple[str, ...]
    pairs: tuple[Rephrasing, ...]


def _ranked(counts: Counter, limit: int) -> list:
    return [item for item, _ in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))][:limit]


def unread_words(
    records: Sequence[AnswerRecord], top: int, *, texts_shown: bool
) -> tuple[UnreadWord, ...]:
    """The words nothing read, counted over offers and answers given: a lexicon to-do list."""
    if not texts_shown:
        return ()
    offered: Counter[str] = Counter()
    given: Counter[str] = Counter()
    for record in records:
        tally = offered if is_offer(record) else given if given_unread(record) else None
        if tally is not None:
            tally.update({word.casefold() for word in record.unexplained_words})
    words = [UnreadWord(w, offered[w], given[w]) for w in offered.keys() | given.keys()]
    words.sort(key=lambda w: (-w.total, -w.offered, w.word))
    return tuple(words[:top])


def unread_groups(
    records: Sequence[AnswerRecord], top: int, *, texts_shown: bool
) -> tuple[tuple[UnreadGroup, ...], int]:
    """`records` (offers, or answers given with unread words) grouped by entry, the largest
    group first; and how many groups there are."""
    members: dict[Entry, list[AnswerRecord]] = defaultdict(list)
    for record in records:
        members[entry_of(record)].append(record)
    groups = []
    for entry, rows in members.items():
        words: Counter[str] = Counter()
        examples: Counter[Example] = Counter()
        for row in rows:
            if texts_shown:
                words.update({w.casefold() for w in row.unexplained_words})
            question = row.question if texts_shown else None
            examples[Example(question, shown_query(row, texts_shown))] += 1
        groups.append(
            UnreadGroup(
                entry,
                len(rows),
                tuple(_ranked(words, WORDS_PER_GROUP)),
                tuple(_ranked(examples, EXAMPLES)),
            )
        )
    groups.sort(key=lambda g: (-g.count, g.entry.label))
    return tuple(groups[:top]), len(groups)


def rephrased_groups(
    records: Sequence[AnswerRecord],
    known: Mapping[str, AnswerRecord],
    top: int,
    *,
    texts_shown: bool,
) -> tuple[tuple[RephrasedGroup, ...], int, int]:
    """The questions in `records` that asked an earlier one again (`rephrases`), grouped by
    the earlier one's answer, the largest group first; with how many groups and pairs. A
    pair whose first question is no longer in `known` (dropped or purged) is left out."""
    members: dict[Entry, list[tuple[AnswerRecord, AnswerRecord]]] = defaultdict(list)
    for second in records:
        first = known.get(second.rephrases) if second.rephrases else None
        if first is not None:
            members[entry_of(first)].append((first, second))
    groups = []
    for entry, pairs in members.items():
        queries: Counter[str] = Counter(
            q for first, _ in pairs if (q := shown_query(first, texts_shown)) is not None
        )
        latest = sorted(pairs, key=lambda pair: -pair[1].answered_at)[:EXAMPLES]
        shown = tuple(
            Rephrasing(
                first.question if texts_shown else None,
                second.question if texts_shown else None,
                round(second.answered_at - first.answered_at, 1),
                entry_of(second),
            )
            for first, second in latest
        )
        groups.append(RephrasedGroup(entry, len(pairs), tuple(_ranked(queries, EXAMPLES)), shown))
    groups.sort(key=lambda g: (-g.count, g.entry.label))
    return tuple(groups[:top]), len(groups), sum(g.count for g in groups)
