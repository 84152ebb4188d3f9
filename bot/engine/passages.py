"""The sources' own sentences (passages.yaml), searched by BM25 when no FAQ entry fits a
question about the programme, and quoted as they are, each with its citation."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.engine.faq import content_terms, stem
from bot.engine.faq_bm25 import EntryBM25
from bot.engine.text import Text, normalize
from bot.kb.model import Passage


@dataclass(frozen=True, slots=True)
class PassageHit:
    passage: Passage
    score: float  # 0..1


class PassageIndex:
    def __init__(
        self, passages: Sequence[Passage], stopwords: Collection[str], weak: Collection[str]
    ) -> None:
        self.passages = tuple(passages)
        self._stopwords = frozenset(stopwords)
        self._bm25 = EntryBM25.of_texts(
            [p.text for p in self.passages], self._terms, weak={stem(w) for w in weak}
        )
        self._stems = [
            frozenset(stem(w) for w in normalize(p.text).split() if w.isascii())
            for p in self.passages
        ]

    def _terms(self, text: str) -> list[str]:
        return content_terms(normalize(text).split(), self._stopwords)

    def search(self, text: Text, limit: int = 3) -> list[PassageHit]:
        terms = list(dict.fromkeys(content_terms(text.tokens, self._stopwords)))
        if not terms:
            return []
        scores = self._bm25.scores(terms)
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:limit]
        return [PassageHit(self.passages[i], round(score, 3)) for i, score in ranked]

    def explains(self, passage: Passage, word: str) -> bool:
        """Whether a passage's words explain a word of a question."""
        index = self.passages.index(passage)
        return stem(normalize(word)) in self._stems[index]

    def of_places(self, places: Sequence[tuple[str, str | None]]) -> list[Passage]:
        """The passages of the given (document, place) pairs: a place matches a passage
        whose place names it ("2. Budgetary measures" in "Overview, 2. Budgetary measures");
        no place, the whole document."""
        found = []
        for passage in self.passages:
            for doc, where in places:
                if passage.source.doc != doc:
                    continue
                parts = [w.strip() for w in (where or "").split(";") if w.strip()]
                if not parts or any(part in (passage.source.where or "") for part in parts):
                    found.append(passage)
                    break
        return found
