"""The chart a question is parsed on: typed items over spans of its text, and what covers what.

Every item spans characters of `Text.compact` (the question without spaces or punctuation),
so English words and Japanese substrings live in one coordinate space: an English word's
span is its token's characters, a Japanese phrase's span the characters it matched. Items
are never removed: a rule adds a larger item over the items it composes (Duckling keeps
every partial parse the same way), and the reading picks the items that explain the most.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bot.engine.text import Text

# Item kinds a rule or the lexicon produces. The lexicon's own:
NAME = "name"  # a place, cluster or organization spelling (value: RegionTarget)
FIELD = "field"  # a key field (value: field id)
STAGE = "stage"  # a stage by name or synonym (value: stage id)
STATUS = "status"  # a status by name or synonym (value: status id)
STAGE_WORD = "stage_word"  # a contextual stage word ("first", "one"): a stage only in context
STATUS_WORD = "status_word"  # a contextual status word ("over", "done")
CUE = "cue"  # an intents.yaml phrase (value: intent name)
SECTION = "section"  # a section of the contents (value: contents entry id)
GEO_REGION = "geo_region"  # a region of Japan (value: region id)
PREFECTURE = "prefecture"  # a prefecture (value: prefecture id)
PROGRAMME = "programme"  # the programme's own name or a noun standing for it
OTHER_PROGRAMME = "other_programme"  # another programme (value: its id in the lexicon)
ORGANIZATION = "organization"  # an organization's name (value: its id)
NOUN = "noun"  # a generic noun (value: what it names: cluster, stage, field, place, edition)
AND = "and"  # a connective joining two constraints
OR = "or"
NEGATION = "negation"
FUNCTION = "function"  # grammar or filler
NUMBER = "number"  # digits (value: int)
# ... and those the rules compose (see bot.engine.reading.rules).

FILLER_KINDS = frozenset({FUNCTION})


@dataclass(frozen=True, slots=True, eq=False)
class Item:
    """A typed reading of one span: what the lexicon found there or a rule built. Items are
    occurrences: two items are the same only when they are one object."""

    kind: str
    value: Any
    start: int  # character span in Text.compact
    end: int
    rule: str = ""  # the rule that built it ("" for the lexicon's)
    parts: tuple[Item, ...] = ()  # the items it was built from

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    def covers(self, other: Item) -> bool:
        return self.start <= other.start and other.end <= self.end and self is not other


class Chart:
    """The items of one question, with its word boundaries for measuring gaps."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self._items: list[Item] = []
        self._by_kind: dict[str, list[Item]] = {}  # each kind's items, in the order added
        # Character span of each token in compact; a Japanese token is one span too.
        spans: list[tuple[int, int]] = []
        position = 0
        for token in text.tokens:
            spans.append((position, position + len(token)))
            position += len(token)
        self.token_spans = tuple(spans)
        self._token_starts = [start for start, _ in spans]
        self._filler = bytearray(position)
        self._places: dict[tuple[int, int], tuple[int, int, bool]] = {}
        self.memo: dict[str, object] = {}  # what a rule computes once per question

    @property
    def length(self) -> int:
        return len(self._filler)

    @property
    def items(self) -> list[Item]:
        return self._items

    @items.setter
    def items(self, items: list[Item]) -> None:
        self._items = []
        self._by_kind = {}
        self.extend(items)

    def add(self, item: Item) -> None:
        self._items.append(item)
        self._by_kind.setdefault(item.kind, []).append(item)
        if item.kind in FILLER_KINDS:
            self._filler[item.start : item.end] = b"\x01" * (item.end - item.start)

    def extend(self, items: Iterable[Item]) -> None:
        for item in items:
            self.add(item)

    def of_kind(self, *kinds: str) -> Iterator[Item]:
        """The items of these kinds, in the order they were added."""
        if len(kinds) == 1:
            return iter(self._by_kind.get(kinds[0], ()))
        return (item for item in self._items if item.kind in kinds)

    def place(self, item: Item) -> tuple[int, int, bool]:
        """The tokens an item spans, as (first, last + 1), and whether it is English."""
        key = (item.start, item.end)
        found = self._places.get(key)
        if found is None:
            first, end = self.token_range(item.start, item.end)
            latin = self.text.tokens[first].isascii() if self.text.tokens else True
            found = self._places[key] = (first, end, latin)
        return found

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """The tokens a character span touches, as (first, last + 1)."""
        if start >= end or not 0 <= start < self.length:
            return (0, 0)
        starts = self._token_starts
        return bisect_right(starts, start) - 1, bisect_right(starts, end - 1)

    def latin_span(self, first_token: int, end_token: int) -> tuple[int, int]:
        """The character span of tokens [first_token, end_token)."""
        return self.token_spans[first_token][0], self.token_spans[end_token - 1][1]

    def gap(self, left: Item, right: Item) -> int | None:
        """How many words lie between two items in order when every one of them is grammar
        or filler (None when a content word lies between, or they overlap)."""
        if right.start < left.end:
            return None
        if right.start == left.end:
            return 0
        if any(not self._filler[i] for i in range(left.end, right.start)):
            return None
        first, last = self.token_range(left.end, right.start)
        words = last - first
        # A Japanese gap inside one token counts its characters in twos (の, では).
        return words if self.text.tokens[first].isascii() else (right.start - left.end + 1) // 2

    def distance(self, left: Item, right: Item) -> int | None:
        """Words between two items in order, whatever they are (None when they overlap)."""
        if right.start < left.end:
            return None
        first, last = self.token_range(left.end, right.start)
        if left.end == right.start:
            return 0
        if all(self.text.tokens[t].isascii() for t in range(first, last)):
            return last - first
        return (right.start - left.end + 1) // 2
