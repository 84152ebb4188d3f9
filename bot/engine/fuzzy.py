"""rapidfuzz look-ups that skip, by length alone, choices that cannot reach the cutoff."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from rapidfuzz import fuzz, process


class RatioChoices:
    """Choices for `fuzz.ratio` look-ups with a score cutoff.

    ratio = 200·matches / (len(a) + len(b)), and matches ≤ the shorter length, so a cutoff c
    is reachable only when shorter/longer ≥ c / (200 − c). Choices are kept sorted by length
    and each look-up hands rapidfuzz only the slice that can reach the cutoff: on a large
    knowledge base that is a fraction of the whole.
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = sorted(dict.fromkeys(c for c in choices if c), key=len)
        self._lengths = [len(c) for c in self.choices]

    def __len__(self) -> int:
        return len(self.choices)

    def _window(self, length: int, cutoff: float) -> tuple[int, int]:
        share = cutoff / (200 - cutoff) if cutoff < 200 else 1.0
        if share <= 0:
            return 0, len(self.choices)
        shortest = math.ceil(length * share)
        longest = math.floor(length / share)
        return bisect_left(self._lengths, shortest), bisect_right(self._lengths, longest)

    def best(self, query: str, cutoff: float) -> tuple[str, float, int] | None:
        """The best choice scoring at least `cutoff`: (choice, score, index into choices)."""
        start, end = self._window(len(query), cutoff)
        match = process.extractOne(
            query, self.choices[start:end], scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        if match is None:
            return None
        return match[0], match[1], match[2] + start

    def top(self, query: str, cutoff: float, limit: int) -> list[tuple[str, float, int]]:
        """Up to `limit` choices scoring at least `cutoff`, best first."""
        start, end = self._window(len(query), cutoff)
        matches = process.extract(
            query,
            self.choices[start:end],
            scorer=fuzz.ratio,
            processor=None,
            limit=limit,
            score_cutoff=cutoff,
        )
        return [(choice, score, index + start) for choice, score, index in matches]
