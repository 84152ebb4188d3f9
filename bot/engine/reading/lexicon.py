"""Every vocabulary a question is read against, indexed once per knowledge base.

The knowledge base's names (places, clusters, organizations, fields, stages, statuses,
sections, regions and prefectures of Japan), its intent cues (`intents.yaml`) and the
grammar, filler and generic nouns of `lexicon.yaml` become items on a question's chart
(`lexical_items`). Matching is by exact look-up (`PhraseMatcher`); names are also found by
rapidfuzz through `RegionIndex`, which judges typos and near misses.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.engine.fuzzy import RatioChoices
from bot.engine.reading import chart as K
from bot.engine.reading.chart import Item
from bot.engine.regions import RegionIndex
from bot.engine.text import PhraseHit, PhraseMatcher, Text, normalize
from bot.engine.thresholds import (
    SHORT_TYPO_CHARS,
    SPELL_MIN_CHARS,
    SPELL_SCORE,
    TYPO_MIN_CHARS,
    TYPO_TWO_EDITS_CHARS,
)
from bot.engine.vocabulary import domain_words, vocabulary_of
from bot.kb.model import KnowledgeBase

_PREFECTURE_SUFFIXES = ("県", "府", "都")


def _single_words(phrases) -> frozenset[str]:
    """The English phrases of one word: nouns a rule reads beside other words ("the Tokyo
    cluster", "stage one"); longer phrases are matched whole."""
    keys = (normalize(p) for p in phrases)
    return frozenset(k for k in keys if k and k.isascii() and " " not in k)


_AREA_PREPOSITIONS = ("in", "within", "across", "throughout")


def _region_spellings(name: str) -> list[str]:
    """ "Kinki (Kansai)" is spelt "Kinki (Kansai)" and "Kinki"; "Tōhoku" also "Tohoku". The
    name in brackets, which is also a cluster's place, names the area only as "the Kansai
    region", "Kansai area" or after a preposition of place ("clusters in Kansai")."""
    spellings = [name]
    if "(" in name:
        spellings.append(name.split("(")[0])
        inner = name.split("(")[1].rstrip(")").strip()
        spellings += [f"{inner} region", f"{inner} area"]
        spellings += [f"{preposition} {inner}" for preposition in _AREA_PREPOSITIONS]
    return spellings


def _prefecture_spellings(name: str, name_ja: str) -> list[str]:
    """ "Okinawa Prefecture", "Okinawa", "沖縄県", "沖縄"."""
    spellings = [name, name_ja]
    if name.endswith(" Prefecture"):
        spellings.append(name.removesuffix(" Prefecture"))
    if name_ja.endswith(_PREFECTURE_SUFFIXES) and len(name_ja) > 2:
        spellings.append(name_ja[:-1])
    return spellings


def _items(kind: str, hits: list[PhraseHit], text: Text, chart: K.Chart) -> list[Item]:
    """Hits as items over characters of the compact text."""
    items = []
    for hit in hits:
        start, end = chart.latin_span(hit.start, hit.end) if hit.latin else (hit.start, hit.end)
        items.append(Item(kind, hit.payload, start, end))
    return items


class Lexicon:
    """The indexes of one knowledge base's vocabularies; pure once built."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.intents = PhraseMatcher(
            (phrase, name) for name, phrases in kb.intents.items() for phrase in phrases
        )
        self.fields = PhraseMatcher(
            (spelling, f.id)
            for f in kb.fields.values()
            for spelling in (f.id, f.name, f.name_ja, *f.synonyms)
        )
        self.statuses = PhraseMatcher(
            (s, term.id)
            for term in kb.statuses.values()
            for s in (term.id, term.name, term.name_ja, *term.synonyms, *term.contextual)
        )
        self.stages = PhraseMatcher(
            (s, term.id)
            for term in kb.stages.values()
            for s in (term.id, term.name, term.name_ja, *term.synonyms, *term.contextual)
        )
        self.contextual = frozenset(
            normalize(w).replace(" ", "") if not normalize(w).isascii() else normalize(w)
            for term in (*kb.stages.values(), *kb.statuses.values())
            for w in term.contextual
        )
        # Phrases that ask "where" and "which" both (どこ): which one, said of a named thing.
        self.which_or_where = frozenset(
            normalize(phrase).replace(" ", "")
            for phrase, intents in kb.shared_phrases.items()
            if {"location", "list"} <= set(intents)
        )
        # The words of each cue's phrases: "call … what number?" asks the telephone number
        # ("phone number" is one of its phrases), so "number" is explained where it is asked.
        self.cue_words: dict[str, frozenset[str]] = {
            name: frozenset(
                word
                for p in phrases
                if len(normalize(p).split()) > 1
                for word in normalize(p).split()
            )
            for name, phrases in kb.intents.items()
        }
        # Contextual words that also ask something ("end"): never a status on their own.
        synonyms = {
            normalize(w) for t in (*kb.stages.values(), *kb.statuses.values()) for w in t.synonyms
        }
        self.asking_contextual = frozenset(
            w
            for w in self.contextual
            if w in {normalize(p) for phrases in kb.intents.values() for p in phrases}
            and w not in synonyms
        )
        self.sections = PhraseMatcher(
            (s, entry.id)
            for entry in kb.contents
            for s in (entry.title, *((entry.title_ja,) if entry.title_ja else ()), *entry.aliases)
        )
        words = kb.lexicon
        self.grammar = PhraseMatcher(
            [
                *(
                    (phrase, (K.FUNCTION, language))
                    for language, phrases in words.function.items()
                    for phrase in phrases
                ),
                *(
                    (phrase, (K.NOUN, noun))
                    for noun, phrases in words.nouns.items()
                    for phrase in phrases
                ),
                *((phrase, (K.AND, None)) for phrase in words.connectives.get("and", ())),
                *((phrase, (K.OR, None)) for phrase in words.connectives.get("or", ())),
                *((phrase, (K.NEGATION, None)) for phrase in words.negation),
                *((phrase, (K.PROGRAMME, None)) for phrase in words.programme),
                *(
                    (phrase, (K.OTHER_PROGRAMME, other))
                    for other, phrases in words.other_programmes.items()
                    for phrase in phrases
                ),
                *(
                    (spelling, (K.ORGANIZATION, org.id))
                    for org in kb.organizations.values()
                    for spelling in (org.name, org.name_ja, org.short_name, *org.aliases)
                    if spelling
                ),
                *(
                    (spelling, (K.GEO_REGION, region.id))
                    for region in kb.regions.values()
                    for spelling in (*_region_spellings(region.name), region.name_ja)
                ),
                *(
                    (spelling, (K.PREFECTURE, prefecture.id))
                    for prefecture in kb.prefectures.values()
                    for spelling in _prefecture_spellings(prefecture.name, prefecture.name_ja)
                ),
            ]
        )
        known_words = vocabulary_of(kb)
        region_words = {
            word
            for spelling in (
                *(s for p in kb.places.values() for s in p.spellings),
                *(s for c in kb.clusters for s in (c.name, *c.aliases)),
            )
            for word in normalize(spelling).split()
        }
        self.known_words = frozenset(known_words - region_words)
        self._correctable = RatioChoices(
            w for w in self.known_words if w.isascii() and len(w) >= SPELL_MIN_CHARS
        )
        self._region_words = RatioChoices(w for w in region_words if w.isascii())
        # Single-word cues of four letters or more, for a four-letter typo of one ("phne").
        self._short_cues = sorted(
            {
                word
                for phrases in kb.intents.values()
                for phrase in phrases
                for word in (normalize(phrase),)
                if word.isascii() and " " not in word and len(word) >= SHORT_TYPO_CHARS
            }
        )
        # The grammar's English words, for reading a typo of one as explained ("whcih").
        self._latin_words = sorted(
            {
                word
                for phrases in (*words.function.values(), *words.nouns.values(), words.negation)
                for phrase in phrases
                for word in normalize(phrase).split()
                if word.isascii()
            }
        )
        # A grammar word is no misspelt place: romaji "shita" (した) is not Saito.
        self.regions = RegionIndex(
            kb, vocabulary=self.known_words | (set(self._latin_words) - region_words)
        )
        # Every word some phrase or name uses: never taken for a typo of another word.
        self._every_word = frozenset(self._latin_words) | known_words | region_words
        self.stage_ids = tuple(kb.stages)
        self.status_ids = tuple(kb.statuses)
        # The generic nouns the rules read ("the Tokyo cluster", "stage one") and the
        # programme's own words, as data.
        nouns = words.nouns
        self.cluster_nouns = _single_words([*nouns.get("cluster", ()), *nouns.get("place", ())])
        self.stage_nouns = _single_words(nouns.get("stage", ()))
        self.edition_nouns = _single_words(nouns.get("edition", ()))
        self.ja_cluster_nouns = tuple(
            sorted((p for p in nouns.get("cluster", ()) if not p.isascii()), key=len, reverse=True)
        )
        # The single words standing for the programme ("program", "initiative", "kci"); its
        # longer names are matched whole.
        self.programme_words = _single_words(words.programme)
        self.ja_programme_words = tuple(p for p in words.programme if not p.isascii())
        self.domain_words = domain_words(kb)
        self.runner = kb.programme.run_by

    def spell_corrected(self, text: Text) -> Text:
        """Misspelt vocabulary ("budjet", "clsuters") read as the word meant, unless the
        word is closer to a place name, which the names' own matching then judges."""
        tokens = list(text.tokens)
        for position, token in enumerate(tokens):
            if (
                len(token) < SPELL_MIN_CHARS
                or not token.isascii()
                or token.isdigit()
                # a word of the lexicon's own ("listed") is no typo of a cue ("lasted")
                or token in self._every_word
                or self.regions.target_of_normalized(token) is not None
            ):
                continue
            word = self._correctable.best(token, SPELL_SCORE)
            if word is None or self._region_words.best(token, word[1]) is not None:
                continue
            if not _same_start(token, word[0]):
                continue
            tokens[position] = word[0]
        for position, token in enumerate(tokens):
            if len(token) == SHORT_TYPO_CHARS and token.isascii() and token.isalpha():
                corrected = self._short_typo(token)
                if corrected is not None:
                    tokens[position] = corrected
        if tokens == list(text.tokens):
            return text
        return Text(text.raw, text.cleaned, tuple(tokens), text.cased_tokens, "".join(tokens))

    def grammar_items(self, text: Text, chart: K.Chart) -> list[Item]:
        """Grammar, filler, generic nouns, connectives, negation, the programme's names,
        regions and prefectures, leftmost-longest ("すみません" is filler, not the negation
        inside it); a phrase with several readings gives an item for each."""
        items = []
        for hit in self.grammar.find(text, longest_only=True):
            kind, value = hit.payload
            start, end = chart.latin_span(hit.start, hit.end) if hit.latin else (hit.start, hit.end)
            items.append(Item(kind, value, start, end))
        return items

    def _short_typo(self, token: str) -> str | None:
        """A four-letter word nothing knows, one edit from exactly one cue word ("phne" is
        "phone"); a word anything knows, or close to several, is left alone."""
        if token in self._every_word or self.regions.target_of_normalized(token) is not None:
            return None
        close = [
            word
            for word, _, _ in process.extract(
                token, self._short_cues, scorer=OSA.distance, score_cutoff=1, limit=3
            )
        ]
        return close[0] if len(close) == 1 else None

    def in_phrases_of(self, word: str, cues: Iterable[str]) -> bool:
        """A word of a phrase of one of the cues the question asks ("number" with the
        telephone's cue): the question says that phrase its own way."""
        return any(word in self.cue_words.get(cue, ()) for cue in cues)

    def is_typo_of_a_word(self, word: str) -> bool:
        """An unexplained English word one edit (two for a long word) from a grammar word
        of the lexicon, a transposition counting as one: "whcih", "pleaes". Short words are
        never guessed ("beef" is not "been"); a misspelt name or cue is the spell
        corrector's and the names' business."""
        if len(word) < TYPO_MIN_CHARS or not word.isascii() or not word.isalpha():
            return False
        allowed = 1 if len(word) < TYPO_TWO_EDITS_CHARS else 2
        found = process.extractOne(
            word, self._latin_words, scorer=OSA.distance, score_cutoff=allowed
        )
        return found is not None

    def term(self, value: str | None, matcher: PhraseMatcher, known) -> str | None:
        """A stage or status option (its id or any of its words) as its id."""
        if not value:
            return None
        if value in known:
            return value
        hits = matcher.find(Text.parse(value), longest_only=True)
        return hits[0].payload if hits else None


def _same_start(typed: str, word: str) -> bool:
    """Whether a typo may be of `word`: people rarely mistype a word's first letter (or
    swap its first two), and a word that starts otherwise is more likely another word
    altogether: "optics" is no misspelt "topics"."""
    if typed[0] == word[0]:
        return True
    return len(typed) > 1 and len(word) > 1 and (typed[0], typed[1]) == (word[1], word[0])


def items_of(kind: str, hits: list[PhraseHit], chart: K.Chart) -> list[Item]:
    return _items(kind, hits, chart.text, chart)
