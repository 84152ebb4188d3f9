"""Matching a question against every FAQ question and alternate.

Candidates come from an inverted index of content words (English words, Japanese character
bigrams) weighted by rarity, with typos mapped onto the index's vocabulary by rapidfuzz; the
best candidates are then re-scored with rapidfuzz against each phrasing, and keyword hits
from the YAML add to an entry's score. Everything is built once at load.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.engine.fuzzy import RatioChoices
from bot.engine.text import PhraseMatcher, Query, normalize
from bot.engine.thresholds import (
    FAQ_COMMON_FLOOR,
    FAQ_COMMON_SHARE,
    FAQ_KEYWORD_BONUS,
    FAQ_MAX_KEYWORD_BONUS,
    FAQ_MIN_TYPO_CHARS,
    FAQ_RERANK,
    FAQ_TOPIC_BONUS,
    FAQ_TYPO_SCORE,
    FAQ_VERBATIM_SCORE,
)
from bot.kb.model import FaqEntry


def _is_cjk(ch: str) -> bool:
    return not ch.isascii() and ch.isalnum()


def _stem(word: str) -> str:
    """Plural and third-person 's' only: enough for 'clusters'/'works', safe for names."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_terms(tokens: Sequence[str], stopwords: Collection[str]) -> list[str]:
    """English content words (stemmed) and Japanese character bigrams, in order."""
    terms: list[str] = []
    for token in tokens:
        if token.isascii():
            if token not in stopwords and (len(token) > 1 or token.isdigit()):
                terms.append(_stem(token))
            continue
        run = ""
        for ch in (*token, " "):
            if _is_cjk(ch):
                run += ch
                continue
            if len(run) == 1:
                terms.append(run)
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
            run = ""
    return terms


@dataclass(frozen=True, slots=True)
class FaqHit:
    entry: FaqEntry
    score: float  # 0..1


class FaqIndex:
    def __init__(self, entries: Sequence[FaqEntry], stopwords: Collection[str]) -> None:
        self.entries = tuple(entries)
        self._stopwords = frozenset(stopwords)
        self._owner: list[int] = []
        self._phrasings: list[str] = []  # normalized, for rapidfuzz
        self._terms: list[frozenset[str]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for entry_index, entry in enumerate(self.entries):
            japanese = (entry.question_ja,) if entry.question_ja else ()
            for phrasing in (entry.question, *japanese, *entry.alternates):
                normalized = normalize(phrasing)
                terms = frozenset(content_terms(normalized.split(), self._stopwords))
                if not normalized:
                    continue
                doc = len(self._phrasings)
                self._owner.append(entry_index)
                self._phrasings.append(normalized)
                self._terms.append(terms)
                for term in terms:
                    postings[term].append(doc)
        total = max(len(self._phrasings), 1)
        self._idf = {t: math.log(1 + total / len(docs)) for t, docs in postings.items()}
        self._unknown_idf = math.log(1 + total)
        common = max(FAQ_COMMON_FLOOR, int(total * FAQ_COMMON_SHARE))
        self._postings = {t: docs for t, docs in postings.items() if len(docs) <= common}
        self._common_postings = {t: docs for t, docs in postings.items() if len(docs) > common}
        self._weight = [sum(self._idf[t] for t in terms) or 1.0 for terms in self._terms]
        self._vocabulary = RatioChoices(
            t for t in self._idf if t.isascii() and len(t) >= FAQ_MIN_TYPO_CHARS
        )
        self._verbatim = RatioChoices(self._phrasings)
        self._owner_of_phrasing = {p: self._owner[i] for i, p in enumerate(self._phrasings)}
        self._keywords = PhraseMatcher(
            (keyword, entry_index)
            for entry_index, entry in enumerate(self.entries)
            for keyword in entry.keywords
        )

    def _query_terms(self, query: Query) -> list[str]:
        terms = []
        for term in content_terms(query.tokens, self._stopwords):
            if term not in self._idf and term.isascii() and len(term) >= FAQ_MIN_TYPO_CHARS:
                match = self._vocabulary.best(term, FAQ_TYPO_SCORE)
                if match is not None:
                    term = match[0]
            terms.append(term)
        return list(dict.fromkeys(terms))

    def search(self, query: Query, *, topics: Iterable[str] = (), limit: int = 3) -> list[FaqHit]:
        """The best entries for the query, best first, each with a 0..1 score."""
        terms = self._query_terms(query)
        if not terms and not query.tokens:
            return []
        query_weight = sum(self._idf.get(t, self._unknown_idf) for t in terms) or 1.0

        # Rare words fetch candidates through their postings; common words only add to the
        # candidates' scores, so a generic question costs no more than a specific one.
        overlap: dict[int, float] = defaultdict(float)
        fetchers = [t for t in terms if t in self._postings]
        if not fetchers:  # only common words: the rarest of them fetches
            common = [t for t in terms if t in self._common_postings]
            fetchers = [min(common, key=lambda t: len(self._common_postings[t]))] if common else []
        for term in fetchers:
            weight = self._idf[term]
            for doc in self._postings.get(term) or self._common_postings[term]:
                overlap[doc] += weight
        for term in terms:
            if term in fetchers or term not in self._idf:
                continue
            weight = self._idf[term]
            for doc in overlap:
                if term in self._terms[doc]:
                    overlap[doc] += weight

        def lexical(doc: int) -> float:
            shared = overlap[doc]
            recall = shared / query_weight
            precision = shared / self._weight[doc]
            return 2 * recall * precision / (recall + precision)

        candidates = heapq.nlargest(FAQ_RERANK, overlap, key=lexical)
        text = query.normalized
        entry_scores: dict[int, float] = {}
        for doc in candidates:
            surface = fuzz.token_sort_ratio(text, self._phrasings[doc], processor=None) / 100
            score = 0.75 * lexical(doc) + 0.25 * surface
            owner = self._owner[doc]
            entry_scores[owner] = max(entry_scores.get(owner, 0.0), score)

        # A phrasing typed nearly verbatim (typos and all) is found even with no shared word.
        verbatim = self._verbatim.best(text, FAQ_VERBATIM_SCORE)
        if verbatim is not None:
            owner = self._owner_of_phrasing[verbatim[0]]
            entry_scores[owner] = max(entry_scores.get(owner, 0.0), verbatim[1] / 100)

        keyword_hits: dict[int, set[str]] = defaultdict(set)
        for hit in self._keywords.find(query):
            keyword_hits[hit.payload].add(hit.phrase)
        topic_set = set(topics)
        for owner in set(entry_scores) | set(keyword_hits):
            bonus = min(FAQ_MAX_KEYWORD_BONUS, FAQ_KEYWORD_BONUS * len(keyword_hits.get(owner, ())))
            if self.entries[owner].topic in topic_set:
                bonus += FAQ_TOPIC_BONUS
            entry_scores[owner] = min(1.0, entry_scores.get(owner, 0.0) + bonus)

        ranked = sorted(entry_scores.items(), key=lambda item: item[1], reverse=True)
        return [FaqHit(self.entries[i], round(score, 3)) for i, score in ranked[:limit]]
