"""BM25 over whole FAQ entries: the second opinion the FAQ index fuses with its own.

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
    FAQ_BM25_MAX_DF,
    FAQ_BM25_WEAK_WEIGHT,
)
from bot.kb.model import FaqEntry


class EntryBM25:
    def __init__(
        self,
        entries: Sequence[FaqEntry],
        terms_of: Callable[[str], list[str]],
        weak: Collection[str] = (),
    ) -> None:
        weights: list[Counter[str]] = []
        for entry in entries:
            tf: Counter[str] = Counter()
            phrasings = (
                entry.question,
                entry.question_ja or "",
                *entry.alternates,
                *entry.keywords,
            )
            for text in phrasings:
                tf.update(set(terms_of(text)))
            for text in (entry.answer, entry.answer_ja or ""):
                for term in set(terms_of(text)):
                    tf[term] += FAQ_BM25_ANSWER_WEIGHT
            weights.append(tf)
        count = max(len(weights), 1)
        self._length = [sum(tf.values()) for tf in weights]
        average = sum(self._length) / count or 1.0
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, tf in enumerate(weights):
            for term, weight in tf.items():
                postings[term].append((index, weight))
        most = max(1, int(count * FAQ_BM25_MAX_DF))
        # The domain's generic words ("programme", "cluster") say little about which entry
        # is meant, however rare they are among the entries.
        self._idf = {
            t: math.log(1 + (count - len(p) + 0.5) / (len(p) + 0.5))
            * (FAQ_BM25_WEAK_WEIGHT if t in weak else 1.0)
            for t, p in postings.items()
        }
        # A term in most entries says nothing about which one is meant, and would cost a
        # pass over all of them on a large base: it is left out of the scoring.
        self._postings = {t: p for t, p in postings.items() if len(p) <= most}
        self._norm = [1 - FAQ_BM25_B + FAQ_BM25_B * length / average for length in self._length]
        self._unknown_idf = math.log(1 + count)

    def scores(self, terms: Sequence[str], guessed: Collection[str] = ()) -> dict[int, float]:
        """Each entry's BM25 for the query terms, divided by the score of an entry of
        average length holding each known term once (so about 0..1, comparable across
        questions); words no entry has count against every entry, and a word that is only
        a guess at a typo ("minister" read as "ministry") counts half."""
        ceiling = sum(self._idf.get(t, self._unknown_idf) for t in terms) or 1.0
        found: dict[int, float] = defaultdict(float)
        k1 = FAQ_BM25_K1
        for term in terms:
            if len(term) < 2 and term.isascii():  # "2" in "what's 2+2" names nothing
                continue
            postings = self._postings.get(term)
            if not postings:
                continue
            idf = self._idf[term] * (0.5 if term in guessed else 1.0)
            for index, tf in postings:
                found[index] += idf * tf * (k1 + 1) / (tf + k1 * self._norm[index])
        return {index: min(1.0, score / ceiling) for index, score in found.items()}
