"""Near-duplicate questions merged into groups, so an editor reads "12× where is the tokyo
cluster" once instead of twelve spellings of it.

Two questions are near-duplicates when rapidfuzz finds their words alike (in any order)
*and* every word one has and the other lacks is either a small word ("the", "is") or a
misspelling of a word the other has. So "wher is tokyo" joins "where is the tokyo cluster"
... but "where is the tokyo cluster" never joins "where is the kyoto cluster": tokyo and
kyoto are different words, not a typo of each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.kb.text import normalize

ALIKE = 80.0  # token_sort_ratio of two questions that may be the same question
TYPO = 75.0  # ratio of two words one of which may be a misspelling of the other
SMALL_WORD = 3  # words this short may differ freely ("the", "is", "of", "a")
MAX_FUZZY_KEYS = 5_000  # beyond this many distinct questions, the rest group exactly only


@dataclass(slots=True)
class Group:
    """Questions read as one: the most frequent wording names the group."""

    key: str
    count: int = 0
    wordings: Counter[str] = field(default_factory=Counter)

    def _ranked(self) -> list[str]:
        # Most asked first; on a tie the longer wording, which is usually the complete one.
        return sorted(self.wordings, key=lambda w: (-self.wordings[w], -len(w), w))

    @property
    def text(self) -> str:
        return self._ranked()[0]

    def examples(self, limit: int = 3) -> list[str]:
        """Other wordings, most asked first (the group's own text left out)."""
        return self._ranked()[1 : limit + 1]


def _words_differ_only_by_typos(a: str, b: str) -> bool:
    words_a, words_b = set(a.split()), set(b.split())
    for word in words_a ^ words_b:
        if len(word) <= SMALL_WORD:
            continue
        others = (words_b - words_a) if word in words_a else (words_a - words_b)
        if not any(fuzz.ratio(word, other) >= TYPO for other in others):
            return False
    return True


def near_duplicates(a: str, b: str) -> bool:
    """Whether two normalized questions are the same question (see the module's doc)."""
    if a == b:
        return True
    if fuzz.token_sort_ratio(a, b) < ALIKE:
        return False
    return _words_differ_only_by_typos(a, b)


def group_questions(texts: Iterable[str]) -> list[Group]:
    """Questions grouped by similarity, the largest group first."""
    by_key: dict[str, Counter[str]] = {}
    for text in texts:
        key = normalize(text)
        if key:
            by_key.setdefault(key, Counter())[text] += 1
    ordered = sorted(by_key, key=lambda k: (-sum(by_key[k].values()), k))
    groups: list[Group] = []
    representatives: list[str] = []
    for index, key in enumerate(ordered):
        target: Group | None = None
        if index < MAX_FUZZY_KEYS and representatives:
            # The best-scoring representatives first; the typo rule decides among them.
            for candidate, _score, position in process.extract(
                key,
                representatives,
                scorer=fuzz.token_sort_ratio,
                score_cutoff=ALIKE,
                limit=5,
            ):
                if near_duplicates(key, candidate):
                    target = groups[position]
                    break
        if target is None:
            target = Group(key)
            groups.append(target)
            representatives.append(key)
        target.wordings.update(by_key[key])
        target.count += sum(by_key[key].values())
    groups.sort(key=lambda g: -g.count)
    return groups
