"""Reading a question into a typed interpretation: what it asks, about what, with which filters.

`QuestionReader` is built once per knowledge base; `read()` is pure and never raises. The
routing rules look only at the `Interpretation` it returns, never at the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.engine import constraints as C
from bot.engine import phrasing as P
from bot.engine.fuzzy import RatioChoices
from bot.engine.regions import RegionIndex, RegionMatch
from bot.engine.text import PhraseMatcher, Text, normalize
from bot.engine.thresholds import SPELL_MIN_CHARS, SPELL_SCORE
from bot.engine.vocabulary import DOMAIN_WORDS, vocabulary_of
from bot.kb.model import KnowledgeBase

# Words after a lower-case "it" that make it the field IT rather than the pronoun.
_IT_CONTEXT = frozenset(
    "field fields cluster clusters sector industry related research area areas work".split()
)
# Facts about a cluster that the sources do not give: asking one gets "the sources don't
# give that" (intent names of knowledge/intents.yaml).
MISSING_FACTS = ("director", "members", "results", "website", "staff")
# The years the budget figures are for (the 2004 overview gives 2004 and 2003).
BUDGET_YEARS = frozenset({2003, 2004})


@dataclass(frozen=True, slots=True)
class Interpretation:
    """What a question mentions, read once and shared by the routing rules."""

    query: Text
    intents: frozenset[str]  # intent names from knowledge/intents.yaml
    fields: tuple[str, ...]  # key field ids, in the order mentioned
    stage: str | None
    status: str | None
    regions: RegionMatch
    leftover: tuple[str, ...]  # Latin content words nothing recognised
    noun_phrase: bool = False  # only field/stage/status/intent words: "second stage", "IT"
    excluded_fields: tuple[str, ...] = ()  # "not in life sciences", "IT以外"
    field_mode: str = "any"  # any | all ("both IT and LS") | only ("just life sciences")
    asks_status: bool = False  # "is the Fukuoka cluster done?": every cluster's status
    asks_programme_status: bool = False  # "is the programme still running?"
    superlative: C.Superlative | None = None
    page_number: int | None = None  # "what is on page 5"
    years: tuple[int, ...] = ()
    sections: tuple[str, ...] = ()  # contents sections named ("the map of the first stage")
    greeting_only: bool = False  # "hello", "thanks!": nothing asked
    off_topic: bool = False  # food, weather, sport, travel words
    missing: tuple[str, ...] = ()  # facts asked that the sources do not give
    described_by_fields: bool = False  # "the Sapporo IT cluster": the fields name the cluster
    status_asked: bool = False  # a yes/no question with a status word ("is it done?")
    field_count: int | None = None  # "clusters with two fields"

    @property
    def has_filters(self) -> bool:
        return bool(self.fields or self.stage or self.status or self.excluded_fields)


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
        self.sections = PhraseMatcher(
            (s, entry.id)
            for entry in kb.contents
            for s in (entry.title, *((entry.title_ja,) if entry.title_ja else ()), *entry.aliases)
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
        self.regions = RegionIndex(kb, vocabulary=self.known_words)
        self.kb_stage_ids = tuple(kb.stages)
        self.kb_status_ids = tuple(kb.statuses)

    def read(self, query: Text) -> Interpretation:
        """The interpretation of a question, misspelt vocabulary corrected first."""
        query = self.spell_corrected(query)
        # Leftmost-longest, so "phone number of" is a contact phrase, not "number of".
        intent_hits = self.intents.find(query, longest_only=True)
        by_intent: dict[str, list] = {}
        for hit in intent_hits:
            by_intent.setdefault(hit.payload, []).append(hit)
        negations = by_intent.get("not", [])
        used: set[int] = set()
        field_hits = [
            hit
            for hit in self.fields.find(query, longest_only=True)
            if not (hit.latin and hit.phrase == "it" and not _is_field_it(query, hit.start))
        ]
        for hit in field_hits:
            if hit.latin:
                used.update(range(hit.start, hit.end))
        stage_hits = self._earned(self.stages.find(query, longest_only=True), query, C.STAGE_NOUNS)
        every_status_hit = self.statuses.find(query, longest_only=True)
        status_hits = self._earned(every_status_hit, query, C.CLUSTER_NOUNS | C.STAGE_NOUNS)
        for hit in (*stage_hits, *status_hits):
            if hit.latin:
                used.update(range(hit.start, hit.end))
        # "2nd stage", "第2期": the word "stage" inside a stage's name is not a question
        # about a cluster's stage.
        intent_hits = [h for h in intent_hits if not _inside(h, (*stage_hits, *status_hits))]
        by_intent = {}
        for hit in intent_hits:
            by_intent.setdefault(hit.payload, []).append(hit)
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
            position in used
            or position in grammar
            or token in DOMAIN_WORDS
            or not token.isascii()
            or token.isdigit()  # "第2期": the number of a Japanese stage name
            for position, token in enumerate(query.tokens)
        ) and P.japanese_is_noun_phrase(
            query, (*intent_hits, *field_hits, *stage_hits, *status_hits)
        )
        intents = frozenset(by_intent)
        fields, excluded = [], []
        for hit in field_hits:
            (excluded if C.negated(hit, negations, query) else fields).append(hit.payload)
        fields = list(dict.fromkeys(fields))
        mode = "any"
        positive_hits = [h for h in field_hits if h.payload in fields]
        if len(fields) > 1 and ("both" in intents or C.joined_by_and(positive_hits, query)):
            mode = "all"
        elif fields and any(
            C.near(h, by_intent.get("only", []), before=3, after=4) for h in positive_hits
        ):
            mode = "only"
        stage = self._term(stage_hits, negations, self.kb_stage_ids, query)
        status = self._term(status_hits, negations, self.kb_status_ids, query)
        asks_status = False
        if regions.cluster_ids:
            predicate = [
                h for h in status_hits if not C.modifies_a_noun(h, query, regions.consumed)
            ]
            # "is Toyama still going?", "is it done?": a yes/no question about a place and
            # a status word (even an ordinary one) or "still" asks for its status.
            yes_no = C.is_yes_no(query)
            asks_status = (
                bool(predicate)
                or ("still" in intents and ("stage" in intents or yes_no))
                or (yes_no and bool(every_status_hit or stage_hits))
            ) and not C.is_which_question(query)
        # "is the programme still running?", "has the initiative ended?": the status of
        # the programme itself, not a filter on its clusters.
        asks_programme_status = (
            not regions.cluster_ids
            and not fields
            and stage is None
            and ("still" in intents or bool(every_status_hit))
            and C.is_yes_no(query)
            and C.names_the_programme(query)
        )
        described = bool(regions.cluster_ids) and P.describes_a_cluster(
            positive_hits, query, regions
        )
        missing = [name for name in MISSING_FACTS if name in intents]
        found_years = C.years(query)
        # A budget for a year the sources have no figure for ("in 2008", "now"); "is MEXT
        # still funding clusters?" asks whether the programme runs, not for a figure.
        later = "still" in intents and not C.is_yes_no(query)
        if "budget" in intents and (any(y not in BUDGET_YEARS for y in found_years) or later):
            missing.append("budget_year")
        return Interpretation(
            query=query,
            intents=intents,
            noun_phrase=noun_phrase,
            fields=tuple(fields),
            stage=stage,
            status=status,
            regions=regions,
            leftover=leftover,
            excluded_fields=tuple(dict.fromkeys(excluded)),
            field_mode=mode,
            asks_status=asks_status,
            asks_programme_status=asks_programme_status,
            superlative=C.superlative(
                query, by_intent.get("most", []), by_intent.get("fewest", [])
            ),
            page_number=C.page_number(query),
            years=found_years,
            sections=tuple(
                dict.fromkeys(h.payload for h in self.sections.find(query, longest_only=True))
            ),
            greeting_only=P.greeting_only(query, intent_hits, field_hits, regions),
            off_topic="off_topic" in intents,
            missing=tuple(missing),
            described_by_fields=described,
            status_asked=bool(every_status_hit) and C.is_yes_no(query),
            field_count=C.field_count(query),
        )

    def _earned(self, hits, query: Text, nouns) -> list:
        return [hit for hit in hits if C.earned(hit, query, self.contextual, nouns)]

    @staticmethod
    def _term(hits, negations, known: tuple[str, ...], query: Text) -> str | None:
        """The first earned stage or status; "not active" is the other one of two."""
        if not hits:
            return None
        hit = hits[0]
        if C.negated(hit, negations, query) and len(known) == 2:
            return next(term for term in known if term != hit.payload)
        return hit.payload

    def spell_corrected(self, query: Text) -> Text:
        """Misspelt vocabulary ("budjet", "clsuters") read as the word meant, unless the
        word is closer to a place name, which region resolution then gets to judge."""
        tokens = list(query.tokens)
        for position, token in enumerate(tokens):
            if (
                len(token) < SPELL_MIN_CHARS
                or not token.isascii()
                or token.isdigit()
                or token in self.known_words
                or self.regions.target_of_normalized(token) is not None
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
        hits = matcher.find(Text.parse(value), longest_only=True)
        return hits[0].payload if hits else None


def _inside(hit, others) -> bool:
    """A "stage" word that is part of a stage's name: inside it, or just after it
    ("2nd stage")."""
    return hit.payload == "stage" and any(
        o.latin == hit.latin and o.start <= hit.start and hit.end <= o.end + 1 for o in others
    )


def _is_field_it(query: Text, position: int) -> bool:
    if query.cased_tokens[position] == "IT" or len(query.tokens) == 1:
        return True
    following = query.tokens[position + 1] if position + 1 < len(query.tokens) else ""
    return following in _IT_CONTEXT
