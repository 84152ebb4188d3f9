"""Reading a question into a typed interpretation: what it asks, about what, with which filters.

`QuestionReader` is built once per knowledge base; `read()` is pure and never raises. The
routing rules look only at the `Interpretation` it returns, never at the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.engine.fuzzy import RatioChoices
from bot.engine.regions import RegionIndex, RegionMatch
from bot.engine.text import PhraseMatcher, Query, normalize
from bot.engine.thresholds import SPELL_MIN_CHARS, SPELL_SCORE
from bot.engine.vocabulary import DOMAIN_WORDS, STOPWORDS
from bot.kb.model import KnowledgeBase

# Words after a lower-case "it" that make it the field IT rather than the pronoun.
_IT_CONTEXT = frozenset(
    "field fields cluster clusters sector industry related research area areas work".split()
)


@dataclass(frozen=True, slots=True)
class Interpretation:
    """What a question mentions, read once and shared by the routing rules."""

    query: Query
    intents: frozenset[str]  # intent names from knowledge/intents.yaml
    fields: tuple[str, ...]  # key field ids, in the order mentioned
    stage: str | None
    status: str | None
    regions: RegionMatch
    leftover: tuple[str, ...]  # Latin content words nothing recognised
    noun_phrase: bool = False  # only field/stage/status/intent words: "second stage", "IT"

    @property
    def has_filters(self) -> bool:
        return bool(self.fields or self.stage or self.status)


class QuestionReader:
    """Every vocabulary a question is read against, indexed once at load."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.intents = PhraseMatcher(
            (phrase, name) for name, phrases in kb.intents.items() for phrase in phrases
        )
        self.fields = PhraseMatcher(
            (spelling, field.id)
            for field in kb.fields.values()
            for spelling in (field.id, field.name, field.name_ja, *field.synonyms)
        )
        self.stages = PhraseMatcher(
            (s, term.id)
            for term in kb.stages.values()
            for s in (term.id, term.name, term.name_ja, *term.synonyms)
        )
        self.statuses = PhraseMatcher(
            (s, term.id)
            for term in kb.statuses.values()
            for s in (term.id, term.name, term.name_ja, *term.synonyms)
        )
        known_words = _vocabulary(kb)
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
        self.regions = RegionIndex(kb, vocabulary=self.known_words)

    def read(self, query: Query) -> Interpretation:
        """The interpretation of a question, misspelt vocabulary corrected first."""
        query = self.spell_corrected(query)
        # Leftmost-longest, so "phone number of" is a contact phrase, not "number of".
        intent_hits = self.intents.find(query, longest_only=True)
        used: set[int] = set()
        fields: list[str] = []
        for hit in self.fields.find(query, longest_only=True):
            if hit.latin and hit.phrase == "it" and not _is_field_it(query, hit.start):
                continue
            fields.append(hit.payload)
            if hit.latin:
                used.update(range(hit.start, hit.end))
        stage_hits = self.stages.find(query, longest_only=True)
        status_hits = self.statuses.find(query, longest_only=True)
        for hit in (*stage_hits, *status_hits):
            if hit.latin:
                used.update(range(hit.start, hit.end))
        regions = self.regions.resolve(query, skip=frozenset(used))
        leftover = tuple(
            token
            for position, token in enumerate(query.tokens)
            if position not in used
            and position not in regions.consumed
            and token.isascii()
            and not token.isdigit()
            and token not in self.known_words
        )
        grammar = {p for hit in intent_hits if hit.latin for p in range(hit.start, hit.end)}
        noun_phrase = all(
            position in used or position in grammar or token in DOMAIN_WORDS
            for position, token in enumerate(query.tokens)
        )
        return Interpretation(
            query=query,
            intents=frozenset(hit.payload for hit in intent_hits),
            noun_phrase=noun_phrase,
            fields=tuple(dict.fromkeys(fields)),
            stage=stage_hits[0].payload if stage_hits else None,
            status=status_hits[0].payload if status_hits else None,
            regions=regions,
            leftover=leftover,
        )

    def spell_corrected(self, query: Query) -> Query:
        """Misspelt vocabulary ("budjet", "clsuters") read as the word meant, unless the
        word is closer to a place name, which region resolution then gets to judge."""
        tokens = list(query.tokens)
        for position, token in enumerate(tokens):
            if (
                len(token) < SPELL_MIN_CHARS
                or not token.isascii()
                or token.isdigit()
                or token in self.known_words
                or self.regions.target(token) is not None
            ):
                continue
            word = self._correctable.best(token, SPELL_SCORE)
            if word is None or self._region_words.best(token, word[1]) is not None:
                continue
            tokens[position] = word[0]
        if tokens == list(query.tokens):
            return query
        return replace(query, tokens=tuple(tokens), compact="".join(tokens))

    def term(self, value: str | None, matcher: PhraseMatcher, known) -> str | None:
        """A stage or status option (its id or any of its words) as its id."""
        if not value:
            return None
        if value in known:
            return value
        hits = matcher.find(Query.parse(value), longest_only=True)
        return hits[0].payload if hits else None


def _vocabulary(kb: KnowledgeBase) -> set[str]:
    """Every word the knowledge base's own phrasings use: stop, domain, intent, field,
    stage and status words and the FAQ's phrasings (they are not misspelt places)."""
    words: set[str] = set(STOPWORDS) | DOMAIN_WORDS
    for phrases in kb.intents.values():
        words.update(w for p in phrases for w in normalize(p).split())
    for source in (
        [s for f in kb.fields.values() for s in (f.name, *f.synonyms)],
        [s for t in (*kb.stages.values(), *kb.statuses.values()) for s in (t.name, *t.synonyms)],
        [s for e in kb.faq for s in (e.question, *e.alternates, *e.keywords)],
    ):
        words.update(w for s in source for w in normalize(s).split())
    return words


def _is_field_it(query: Query, position: int) -> bool:
    if query.cased_tokens[position] == "IT" or len(query.tokens) == 1:
        return True
    following = query.tokens[position + 1] if position + 1 < len(query.tokens) else ""
    return following in _IT_CONTEXT
