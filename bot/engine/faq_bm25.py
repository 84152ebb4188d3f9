"""BM25 over whole FAQ entries (the second opinion the FAQ index fuses with its own), and over
the sources' own sentences.

The phrasing-level index (`faq.FaqIndex`) is precise when a question resembles one stored
phrasing; BM25 over an entry's every phrasing, keyword and (at a lower weight) its answer
finds the entry when the words are spread over several phrasings or only the answer has
them ("selective support of regions"). Measured against the `bm25s` library in
benchmarks/bench_faq_retrieval.py; written here on the index's own terms (English stems,
Japanese character bigrams, which bm25s's tokenizer does not make) and postings, with no
numpy, since the scoring itself is a dozen lines.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence

from bot.engine.thresholds import (
    FAQ_BM25_ANSWER_WEIGHT,
    FAQ_BM25_B,
    FAQ_BM25_K1,
    FAQ_BM25_RARE_FLOOR,
    FAQ_BM25_RARE_SHARE,
    FAQ_BM25_WEAK_WEIGHT,
)
from bot.kb.model import FaqEntry


class EntryBM25:
    def __init__(
        self,
        entries: Sequence[FaqEntry],
        terms_of: Callable[[str], list[str]],
        weak: Collection[str] = (),
        phrasings: Sequence[tuple[int, Collection[str]]] = (),
    ) -> None:
        """`phrasings` are (entry index, terms) of every question and alternate, as the
        phrasing index already has them; keywords and answers are read here."""
        weights: list[Counter[str]] = [Counter() for _ in entries]
        for owner, terms in phrasings:
            weights[owner].update(terms)
        for entry, tf in zip(entries, weights, strict=True):
            for text in entry.keywords:
                tf.update(set(terms_of(text)))
            for text in (entry.answer, entry.answer_ja or ""):
                for term in set(terms_of(text)):
                    tf[term] += FAQ_BM25_ANSWER_WEIGHT
        self._index(weights, weak)

    @classmethod
    def of_texts(
        cls, texts: Sequence[str], terms_of: Callable[[str], list[str]], weak: Collection[str] = ()
    ) -> EntryBM25:
        """BM25 over plain texts (the sources' sentences), each a document of its terms."""
        index = cls.__new__(cls)
        index._index([Counter(terms_of(text)) for text in texts], weak)
        return index

    def _index(self, weights: list[Counter[str]], weak: Collection[str]) -> None:
        count = max(len(weights), 1)
        self._length = [sum(tf.values()) for tf in weights]
        average = sum(self._length) / count or 1.0
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, tf in enumerate(weights):
            for term, weight in tf.items():
                postings[term].append((index, weight))
        # The domain's generic words ("programme", "cluster") say little about which entry
        # is meant, however rare they are among the entries.
        # So does one kanji alone (何, 数). They count in full against the question (its
        # ceiling) but add little to an entry's score.
        self._idf = {
            t: math.log(1 + (count - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()
        }
        self._weak = frozenset(
            t for t in postings if t in weak or (len(t) == 1 and not t.isascii())
        )
        # Rare terms fetch candidates through their postings; common ones only add to the
        # candidates' scores (looked up per candidate), so a question of common words
        # costs no pass over thousands of entries.
        rare = max(FAQ_BM25_RARE_FLOOR, int(count * FAQ_BM25_RARE_SHARE))
        self._postings = {t: p for t, p in postings.items() if len(p) <= rare}
        self._common = {t: len(p) for t, p in postings.items() if len(p) > rare}
        self._weights = [dict(tf) for tf in weights]
        self._norm = [1 - FAQ_BM25_B + FAQ_BM25_B * length / average for length in self._length]
        self._unknown_idf = math.log(1 + count)

    def scores(self, terms: Sequence[str], guessed: Collection[str] = ()) -> dict[int, float]:
        """Each entry's BM25 for the query terms, divided by the score of an entry of
        average length holding each known term once (so about 0..1, comparable across
        questions); words no entry has count against every entry, and a word that is only
        a guess at a typo ("minister" read as "ministry") counts half."""
        ceiling = sum(self._idf.get(t, self._unknown_idf) for t in terms) or 1.0
        scored = [t for t in terms if not (len(t) < 2 and t.isascii()) and t in self._idf]
        fetchers = [t for t in scored if t in self._postings]
        if not fetchers:
            common = [t for t in scored if t in self._common]
            fetchers = [min(common, key=self._common.__getitem__)] if common else []
        found: dict[int, float] = defaultdict(float)
        for term in fetchers:
            contribution = self._contribution(term, guessed)
            for index, tf in self._postings.get(term, ()) or self._all_postings(term):
                found[index] += contribution(index, tf)
        for term in scored:
            if term in fetchers:
                continue
            contribution = self._contribution(term, guessed)
            for index in found:
                tf = self._weights[index].get(term)
                if tf:
                    found[index] += contribution(index, tf)
        return {index: min(1.0, score / ceiling) for index, score in found.items()}

    def _contribution(self, term: str, guessed: Collection[str]):
        idf = self._idf[term] * (0.5 if term in guessed else 1.0)
        if term in self._weak:
            idf *= FAQ_BM25_WEAK_WEIGHT
        k1, norm = FAQ_BM25_K1, self._norm
        return lambda index, tf: idf * tf * (k1 + 1) / (tf + k1 * norm[index])

    def _all_postings(self, term: str) -> list[tuple[int, float]]:
        """A common term's postings, rebuilt when it is the only one a question has."""
        return [(i, w[term]) for i, w in enumerate(self._weights) if term in w]
