"""Matching a question against every FAQ question and alternate.

Candidates come from an inverted index of content words (English words, Japanese character
bigrams) weighted by rarity, with typos mapped onto the index's vocabulary by rapidfuzz; the
best candidates are then re-scored with rapidfuzz against each phrasing, and keyword hits
from the YAML add to an entry's score. Everything is built once at load.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz

from bot.engine.faq_bm25 import EntryBM25
from bot.engine.fuzzy import RatioChoices
from bot.engine.text import PhraseMatcher, Text, normalize
from bot.engine.thresholds import (
    FAQ_BM25_CANDIDATES,
    FAQ_BM25_SHARE,
    FAQ_COMMON_FLOOR,
    FAQ_COMMON_SHARE,
    FAQ_KEYWORD_BONUS,
    FAQ_MAX_KEYWORD_BONUS,
    FAQ_MIN_TYPO_CHARS,
    FAQ_RERANK,
    FAQ_SUGGEST,
    FAQ_TOPIC_BONUS,
    FAQ_TYPO_SCORE,
    FAQ_VERBATIM_MIN_OVERLAP,
    FAQ_VERBATIM_SCORE,
    ORDINAL_MISMATCH,
)
from bot.kb.model import FaqEntry


def _is_cjk(ch: str) -> bool:
    return not ch.isascii() and ch.isalnum()


_ENGLISH = snowballstemmer.stemmer("english")
# Ordinals typed as digits mean the words the phrasings use ("the 2nd stage").
_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third"}


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem, so "started" finds "start" and "funding" "funded"."""
    return _ENGLISH.stemWord(_ORDINALS.get(word, word))


def content_terms(tokens: Sequence[str], stopwords: Collection[str]) -> list[str]:
    """English content words (stemmed) and Japanese character bigrams, in order."""
    terms: list[str] = []
    for token in tokens:
        if token.isascii():
            if token not in stopwords and (len(token) > 1 or token.isdigit()):
                terms.append(stem(token))
            continue
        # Runs of one script each: content words are kanji or katakana, grammar mostly
        # hiragana, and a bigram across the seam ("ーっ" in "クラスターって") is noise.
        run, script = "", None
        for ch in (*token, " "):
            kind = _script(ch) if _is_cjk(ch) else None
            if kind is not None and kind == script:
                run += ch
                continue
            _add_run(terms, run, script, whole=len(run) == len(token))
            run, script = (ch, kind) if kind is not None else ("", None)
    return terms


def _script(ch: str) -> str:
    if "\u3041" <= ch <= "\u309f":
        return "hiragana"
    if "\u30a0" <= ch <= "\u30ff":
        return "katakana"
    return "other"  # kanji, and letters of other scripts


def _add_run(terms: list[str], run: str, script: str | None, whole: bool = False) -> None:
    if script == "hiragana" and not whole:  # grammar (ができますか), unless the word itself
        return
    if len(run) == 1:
        if script != "hiragana":  # one kana of grammar says nothing; one kanji may
            terms.append(run)
        return
    terms.extend(run[i : i + 2] for i in range(len(run) - 1))


_ORDINAL_WORDS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}
_JA_ORDINAL = re.compile(r"第([1-4一二三四])(?:期|次)")
_KANJI = {"一": 1, "二": 2, "三": 3, "四": 4}


def _ordinals(tokens: Sequence[str], compact: str) -> frozenset[int]:
    """The ordinal numbers a text uses ("the Third Basic Plan", 第3期, 第二次)."""
    found = {_ORDINAL_WORDS[t] for t in tokens if t in _ORDINAL_WORDS}
    found |= {int(m) if m.isdecimal() else _KANJI[m] for m in _JA_ORDINAL.findall(compact)}
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class FaqHit:
    entry: FaqEntry
    score: float  # 0..1


class FaqIndex:
    def __init__(
        self,
        entries: Sequence[FaqEntry],
        stopwords: Collection[str],
        source_texts: Mapping[str, Sequence[str]] | None = None,
        weak: Collection[str] = (),
    ) -> None:
        """`source_texts` are, per entry id, the sentences of the sources it rests on: their
        words also explain a question the entry answers. `weak` are the domain's generic
        words ("programme", "cluster"), which say little about which entry is meant."""
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
        self._doc_of_phrasing = {p: i for i, p in enumerate(self._phrasings)}
        self._weak = frozenset(stem(w) for w in weak)
        self._bm25 = EntryBM25(
            self.entries,
            lambda text: content_terms(normalize(text).split(), self._stopwords),
            weak=self._weak,
            phrasings=list(zip(self._owner, self._terms, strict=True)),
        )
        self._keywords = PhraseMatcher(
            (keyword, entry_index)
            for entry_index, entry in enumerate(self.entries)
            for keyword in entry.keywords
        )
        self._ordinals = [
            _ordinals(
                normalize(entry.question).split(),
                normalize(entry.question_ja or "").replace(" ", ""),
            )
            for entry in self.entries
        ]
        # What each entry's own words explain in a question: English stems, Japanese text.
        self._explaining: dict[str, tuple[frozenset[str], str]] = {}
        for entry in self.entries:
            texts = [
                entry.question,
                entry.answer,
                *entry.alternates,
                *entry.keywords,
                *(t for t in (entry.question_ja, entry.answer_ja) if t),
                *(source_texts or {}).get(entry.id, ()),
            ]
            words = {w for t in texts for w in normalize(t).split()}
            stems = frozenset(stem(w) for w in words if w.isascii())
            japanese = "".join(normalize(t).replace(" ", "") for t in texts if not t.isascii())
            self._explaining[entry.id] = (stems, japanese)

    def has_entry(self, entry_id: str) -> bool:
        return entry_id in self._explaining

    def explains(self, entry_id: str, word: str) -> bool:
        """Whether the entry's own words explain a word of a question ("purpose" for the
        entry on the purpose; 目的 too)."""
        stems, japanese = self._explaining[entry_id]
        key = normalize(word).replace(" ", "")
        if not key:
            return True
        if key.isascii():
            return stem(key) in stems
        return key in japanese

    def _query_terms(self, query: Text) -> tuple[list[str], set[str]]:
        """The query's terms, typos read as the indexed word they are close to, and which
        terms were so guessed."""
        terms, guessed = [], set()
        for term in content_terms(query.tokens, self._stopwords):
            if term not in self._idf and term.isascii() and len(term) >= FAQ_MIN_TYPO_CHARS:
                match = self._vocabulary.best(term, FAQ_TYPO_SCORE)
                if match is not None:
                    term = match[0]
                    guessed.add(term)
            terms.append(term)
        return list(dict.fromkeys(terms)), guessed

    def search(self, query: Text, *, topics: Iterable[str] = (), limit: int = 3) -> list[FaqHit]:
        """The best entries for the query, best first, each with a 0..1 score."""
        terms, guessed = self._query_terms(query)
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

        # Fused with BM25 over whole entries: words spread over several phrasings, or found
        # only in the answer, still point at the entry.
        entry_bm25 = self._bm25.scores(terms, guessed)
        best_bm25 = heapq.nlargest(FAQ_BM25_CANDIDATES, entry_bm25, key=entry_bm25.__getitem__)
        for owner in {*entry_scores, *best_bm25}:
            entry_scores[owner] = (1 - FAQ_BM25_SHARE) * entry_scores.get(
                owner, 0.0
            ) + FAQ_BM25_SHARE * entry_bm25.get(owner, 0.0)

        # A phrasing typed nearly verbatim (typos and all) is found even with few shared
        # words; a merely similar-looking one ("has the initiative ended" / "how is the
        # initiative funded") must share a word with the question.
        # (It can only raise a score to its ratio: when an entry already scores that much,
        # the search over every phrasing is skipped.)
        best_so_far = max(entry_scores.values(), default=0.0)
        verbatim = (
            self._verbatim.best(text, FAQ_VERBATIM_SCORE)
            if best_so_far < FAQ_VERBATIM_SCORE / 100
            else None
        )
        if verbatim is not None:
            owner = self._owner_of_phrasing[verbatim[0]]
            doc = (
                self._doc_of_phrasing[verbatim[0]] if verbatim[1] < FAQ_VERBATIM_MIN_OVERLAP else -1
            )
            if doc < 0 or overlap.get(doc, 0.0) > 0:
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

        # "what is the programme?", "what was the initiative?": the domain's generic words
        # alone are no evidence for one entry over another (they matched "is the programme
        # over"), unless the entry's own keywords are in the question. Offered, not answered.
        if terms and all(t in self._weak for t in terms):
            for owner, score in entry_scores.items():
                if owner not in keyword_hits:
                    entry_scores[owner] = min(score, FAQ_SUGGEST)

        # "the Third Basic Plan" is not the second: an entry whose question numbers its
        # subject otherwise than the question does is not the one asked about.
        asked = _ordinals(query.tokens, query.compact)
        if asked:
            for owner, score in entry_scores.items():
                numbered = self._ordinals[owner]
                if numbered and not numbered & asked:
                    entry_scores[owner] = score * ORDINAL_MISMATCH
        ranked = sorted(entry_scores.items(), key=lambda item: item[1], reverse=True)
        return [FaqHit(self.entries[i], round(score, 3)) for i, score in ranked[:limit]]
