"""Finding the clusters a question is about, by name, alias, romanization, kanji or typo."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from rapidfuzz import fuzz

from bot.engine.answer import Ref
from bot.engine.fuzzy import RatioChoices
from bot.engine.text import PhraseMatcher, Text, normalize
from bot.engine.thresholds import (
    REGION_ACCEPT,
    REGION_CLEAR_MARGIN,
    REGION_MAX_FUZZY_TOKENS,
    REGION_MIN_FUZZY_CHARS,
    REGION_SUGGEST,
    REGION_WORD_SCORE,
    REGION_WORD_SUGGEST,
)
from bot.kb.model import KnowledgeBase

_HIRAGANA_PARTICLES = frozenset("のはにでをがとへもや")
# A person's name, not a place: "Mr Saito", "上田さん". Titles before, honorifics after.
_TITLES = frozenset("mr mrs ms miss dr prof professor sir madam mister".split())
_HONORIFICS = ("さん", "様", "さま", "氏", "君", "くん", "ちゃん", "先生", "教授")
_ROMAN_HONORIFICS = frozenset("san sama kun chan sensei".split())
# A kanji place name followed by one of these is another place (浜松町 is in Tokyo).
_OTHER_PLACE_SUFFIXES = ("町", "村", "丁目")


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def _is_katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30ff"


def _is_kana(text: str) -> bool:
    return all("\u3041" <= ch <= "\u30ff" for ch in text)


@dataclass(frozen=True, slots=True)
class RegionTarget:
    """What one alias points at: the clusters, and a label to show for it."""

    label: Ref  # the place, cluster or organization the spelling names
    cluster_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NearMiss:
    text: str  # the words of the question that almost matched
    target: RegionTarget
    score: float


@dataclass(frozen=True, slots=True)
class RegionMatch:
    cluster_ids: tuple[str, ...]  # every cluster found, in knowledge-base order
    consumed: frozenset[int]  # Latin token positions used by region names
    near_misses: tuple[NearMiss, ...]
    confidence: float  # 1.0 for exact matches, the fuzzy score otherwise
    fuzzy_spans: tuple[tuple[str, Ref], ...] = ()  # (typed words, label) of fuzzy matches
    via_organization: bool = False  # found by an organization's name: a contact question
    unclustered: tuple[Ref, ...] = ()  # places named that head no cluster ("Tokyo")
    labels: tuple[Ref, ...] = ()  # what each spelling found names (a place, a cluster)
    persons: tuple[str, ...] = ()  # a place's spelling used as a person's name ("Mr Ueda")
    # Character spans in Text.compact of names found in Japanese (Latin ones are `consumed`).
    japanese_spans: tuple[tuple[int, int], ...] = ()


class RegionIndex:
    """Every spelling of every place and cluster, pre-normalized once at load."""

    def __init__(self, kb: KnowledgeBase, vocabulary: Collection[str]) -> None:
        order = {cluster.id: i for i, cluster in enumerate(kb.clusters)}
        clusters_of_place: dict[str, list[str]] = {}
        for cluster in kb.clusters:
            for place_id in cluster.places:
                clusters_of_place.setdefault(place_id, []).append(cluster.id)

        targets: dict[str, set[str]] = {}
        labels: dict[str, Ref] = {}

        def add(spelling: str, label: Ref, cluster_ids: Iterable[str]) -> None:
            key = normalize(spelling)
            if not key:
                return
            targets.setdefault(key, set()).update(cluster_ids)
            labels.setdefault(key, label)

        # A place lying in another (Sapporo in Hokkaido) adds its clusters to the larger one.
        for place in kb.places.values():
            if place.within is not None:
                clusters_of_place.setdefault(place.within.place, []).extend(
                    clusters_of_place.get(place.id, [])
                )
        for place in kb.places.values():
            members = clusters_of_place.get(place.id, [])
            for spelling in place.spellings:
                add(spelling, Ref("place", place.id), members)
        for cluster in kb.clusters:
            for spelling in (cluster.name, *cluster.aliases):
                add(spelling, Ref("cluster", cluster.id), [cluster.id])
        # An organization's name leads to the clusters it is the core organization of.
        organization_keys: set[str] = set()
        for organization in kb.organizations.values():
            members = [
                c.id
                for c in kb.clusters
                if c.organization is not None and c.organization.id == organization.id
            ]
            if not members:
                continue
            spellings = (
                organization.short_name,
                organization.name,
                organization.name_ja,
                *organization.aliases,
            )
            for spelling in spellings:
                if spelling and normalize(spelling) not in targets:
                    add(spelling, Ref("organization", organization.id), members)
                    organization_keys.add(normalize(spelling))
        self._organization_keys = frozenset(organization_keys)

        self._targets = {
            key: RegionTarget(labels[key], tuple(sorted(ids, key=order.__getitem__)))
            for key, ids in targets.items()
        }
        self._exact = PhraseMatcher((key, key) for key in self._targets)
        self._fuzzy_keys = RatioChoices(
            key
            for key, target in self._targets.items()
            if target.cluster_ids and key.isascii() and len(key) >= REGION_MIN_FUZZY_CHARS
        )
        self._vocabulary = frozenset(vocabulary)
        self._order = order

    def target(self, key: str) -> RegionTarget | None:
        return self._targets.get(normalize(key))

    def target_of_normalized(self, key: str) -> RegionTarget | None:
        """The target of a spelling already normalized (a query's token)."""
        return self._targets.get(key)

    def by_prefix(self, typed: str, min_chars: int = 3) -> RegionTarget | None:
        """The one target every spelling starting with `typed` points at, if only one."""
        key = normalize(typed)
        if len(key) < min_chars:
            return None
        found = {
            target.cluster_ids: target
            for spelling, target in self._targets.items()
            if target.cluster_ids and spelling.startswith(key)
        }
        return next(iter(found.values())) if len(found) == 1 else None

    @property
    def spellings(self) -> list[str]:
        return list(self._targets)

    def resolve(
        self,
        query: Text,
        skip: frozenset[int] = frozenset(),
        within: Sequence[tuple[int, int]] = (),
    ) -> RegionMatch:
        """Clusters named in the query; `skip` holds token positions already read as other
        words (fields, stages), which are not tried as misspelt places; `within`, token
        spans of longer names ("Fukuoka Prefecture"), in which a shorter place name found
        names nothing (a cluster's own name as long as the span still does)."""
        found: set[str] = set()
        consumed: set[int] = set()
        via_organization = False
        unclustered: list[Ref] = []
        near_misses: list[NearMiss] = []
        labels: list[Ref] = []
        persons: list[str] = []
        japanese_spans: list[tuple[int, int]] = []
        hits = self._exact.find(query, longest_only=True)
        kana_words = _kana_words(query, [(h.start, h.end) for h in hits if not h.latin])
        for hit in hits:
            if not hit.latin and (hit.start, hit.end) not in kana_words:
                continue
            if hit.latin and any(
                start <= hit.start and hit.end <= end and (start, end) != (hit.start, hit.end)
                for start, end in within
            ):
                continue  # part of a longer name: "Fukuoka Prefecture" is the prefecture
            if not hit.latin:
                japanese_spans.append((hit.start, hit.end))
            if _names_a_person_or_other_place(query, hit):
                if hit.latin:
                    consumed.update(range(hit.start, hit.end))
                persons.append(hit.phrase)
                continue
            labels.append(self._targets[hit.payload].label)
            via_organization = via_organization or hit.payload in self._organization_keys
            target = self._targets[hit.payload]
            if not target.cluster_ids:
                # A place that heads no cluster: say so, and still offer look-alikes.
                unclustered.append(target.label)
                if hit.latin:
                    near_misses.extend(self._fuzzy(hit.phrase)[1])
            found.update(target.cluster_ids)
            if hit.latin:
                consumed.update(range(hit.start, hit.end))
        # An English possessive typed without its apostrophe: "ubes page", "kyotos fields".
        for position, token in enumerate(query.tokens):
            if position in consumed or position in skip or not token.endswith("s"):
                continue
            target = self._targets.get(token[:-1])
            if target is not None and target.cluster_ids and token[:-1].isascii():
                found.update(target.cluster_ids)
                consumed.add(position)

        confidence = 1.0 if found else 0.0
        fuzzy_spans: list[tuple[str, Ref]] = []
        yielded = {p for hit_start, hit_end in within for p in range(hit_start, hit_end)}
        for start, end in self._fuzzy_candidates(query.tokens, consumed | skip | yielded):
            words = " ".join(query.tokens[start:end])
            accepted, misses = self._fuzzy(words)
            if accepted is not None:
                target, score = accepted
                found.update(target.cluster_ids)
                consumed.update(range(start, end))
                labels.append(target.label)
                confidence = min(confidence or 1.0, score / 100)
                fuzzy_spans.append((words, target.label))
            else:
                near_misses.extend(misses)

        near_misses = [m for m in near_misses if not set(m.target.cluster_ids) <= found]
        near_misses.sort(key=lambda m: -m.score)
        return RegionMatch(
            cluster_ids=tuple(sorted(found, key=self._order.__getitem__)),
            consumed=frozenset(consumed),
            near_misses=tuple(_unique_targets(near_misses)),
            confidence=confidence,
            fuzzy_spans=tuple(fuzzy_spans),
            via_organization=via_organization,
            unclustered=tuple(dict.fromkeys(unclustered)),
            labels=tuple(dict.fromkeys(labels)),
            persons=tuple(persons),
            japanese_spans=tuple(japanese_spans),
        )

    def _fuzzy_candidates(
        self, tokens: tuple[str, ...], consumed: set[int]
    ) -> list[tuple[int, int]]:
        """Runs of unknown words, longest spans first, as (start, end) token positions."""
        spans: list[tuple[int, int]] = []
        run: list[int] = []
        for position, token in enumerate((*tokens, "")):
            unknown = (
                token
                and position not in consumed
                and token.isascii()
                and not token.isdigit()
                and token not in self._vocabulary
            )
            if unknown:
                run.append(position)
                continue
            if run:
                for size in range(min(REGION_MAX_FUZZY_TOKENS, len(run)), 0, -1):
                    for offset in range(len(run) - size + 1):
                        spans.append((run[offset], run[offset] + size))
                run = []
        return spans

    def _fuzzy(self, words: str) -> tuple[tuple[RegionTarget, float] | None, list[NearMiss]]:
        if len(words.replace(" ", "")) < REGION_MIN_FUZZY_CHARS:
            return None, []
        ranked = self._fuzzy_keys.top(words, REGION_SUGGEST, limit=6)
        by_target: list[tuple[RegionTarget, float]] = []
        by_target: list[tuple[RegionTarget, float, bool]] = []
        for key, score, _ in ranked:
            if not _every_word_resembles(words, key, REGION_WORD_SUGGEST):
                continue
            target = self._targets[key]
            if all(target.cluster_ids != seen.cluster_ids for seen, _, _ in by_target):
                by_target.append((target, score, _every_word_resembles(words, key)))
        if not by_target:
            return None, []
        best_target, best_score, resembles = by_target[0]
        runner_up = by_target[1][1] if len(by_target) > 1 else 0.0
        clear = best_score >= 100 or best_score - runner_up >= REGION_CLEAR_MARGIN
        if best_score >= REGION_ACCEPT and clear and resembles:
            return (best_target, best_score), []
        return None, [NearMiss(words, target, score) for target, score, _ in by_target[:3]]


def _kana_words(query: Text, spans: Sequence[tuple[int, int]]) -> frozenset[tuple[int, int]]:
    """The spans of Japanese names found that are words. A kana spelling inside running
    hiragana is usually part of another word (うべ in 言うべき), so it counts only at a word
    edge: a particle, a script change, a space or punctuation (ぎふ・おおがき), or another
    name written right beside it whose own far edge is one (ぎふおおがきの)."""
    text = query.compact
    edges = {0, *accumulate(len(token) for token in query.tokens)}
    words: set[tuple[int, int]] = set()
    ordered = sorted(spans)
    run_start = 0
    for position, (_, end) in enumerate(ordered):
        if position + 1 < len(ordered) and ordered[position + 1][0] == end:
            continue  # the run of names written together goes on
        run = ordered[run_start : position + 1]
        run_start = position + 1
        kana = [span for span in run if _is_kana(text[span[0] : span[1]])]
        if not kana:
            words.update(run)
            continue
        first, last = run[0], run[-1]
        # A kanji name at the run's end is its own edge (京都うべ: 都 starts no kana word).
        starts = first not in kana or _kana_edge(text, first[0], first[0] - 1, edges)
        ends = last not in kana or _kana_edge(text, last[1], last[1], edges)
        if starts and ends:
            words.update(run)
        else:  # a kana name of the run is part of a longer word; its kanji names stand
            words.update(span for span in run if span not in kana)
    return frozenset(words)


def _kana_edge(text: str, offset: int, neighbour: int, edges: set[int]) -> bool:
    """Whether a kana name may start or end at `offset`, the character at `neighbour`
    lying outside it."""
    if offset in edges:
        return True
    beside = text[neighbour]
    # Katakana beside more katakana is part of a longer word (ギフ in ギフト).
    if _is_katakana(text[offset if neighbour < offset else offset - 1]) and _is_katakana(beside):
        return False
    return not (_is_hiragana(beside) and beside not in _HIRAGANA_PARTICLES)


def _every_word_resembles(words: str, key: str, score: float = REGION_WORD_SCORE) -> bool:
    """Whether each typed word is a misspelling of a word of the name (or part of it run
    together): "banana prefecture" scores high against "nagano prefecture" on its second
    word alone, and "banana" is no spelling of Nagano."""
    name_words = key.split()
    joined = key.replace(" ", "")
    return all(
        word in joined or any(fuzz.ratio(word, name_word) >= score for name_word in name_words)
        for word in words.split()
    )


def _unique_targets(misses: Iterable[NearMiss]) -> list[NearMiss]:
    seen: set[tuple[str, ...]] = set()
    unique: list[NearMiss] = []
    for miss in misses:
        if miss.target.cluster_ids not in seen:
            seen.add(miss.target.cluster_ids)
            unique.append(miss)
    return unique[:3]


def _names_a_person_or_other_place(query: Text, hit) -> bool:
    """ "Mr Saito", "Ueda-san", "上田さん", "浜松町": a place's spelling used as a person's
    name or inside another place's name is not that place."""
    if hit.latin:
        before = query.tokens[hit.start - 1] if hit.start > 0 else ""
        after = query.tokens[hit.end] if hit.end < len(query.tokens) else ""
        return before in _TITLES or after in _ROMAN_HONORIFICS
    rest = query.compact[hit.end :]
    return rest.startswith(_HONORIFICS) or rest.startswith(_OTHER_PLACE_SUFFIXES)
