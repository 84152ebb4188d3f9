"""Routing: an ordered list of named rules from an interpretation to an answer.

The first rule whose condition holds answers, and its name goes into `Answer.rule` (and
`ask --json`), so a wrong answer points at one rule. Conditions read the interpretation
and, for questions naming no cluster, the FAQ hits; thresholds live in `thresholds`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Msg, Ref
from bot.engine.facts import contents, general, listing, missing, rank
from bot.engine.facts.library import Library, distinct_names
from bot.engine.facts.region import region_answer
from bot.engine.faq import FaqHit, FaqIndex
from bot.engine.interpret import Interpretation
from bot.engine.thresholds import FAQ_ANSWER
from bot.kb.model import Cluster

# Intents that make a question about this bot's subject, whatever else it mentions.
_SUBJECT_INTENTS = frozenset(
    "fields contact page budget count director members results website staff".split()
)

# Region intents in the order they are answered when a question signals several.
REGION_INTENTS = (
    Intent.PAGE,
    Intent.CONTACT,
    Intent.BUDGET,
    Intent.FIELDS,
    Intent.STAGE,
    Intent.REGION,
)


class Context:
    """One question being routed: its interpretation and, computed on first use, the FAQ
    entries closest to it (a question naming a cluster never pays for the search)."""

    __slots__ = ("_faq", "_hits", "lib", "reading")

    def __init__(self, lib: Library, faq: FaqIndex, reading: Interpretation) -> None:
        self.lib = lib
        self.reading = reading
        self._faq = faq
        self._hits: tuple[FaqHit, ...] | None = None

    @property
    def hits(self) -> tuple[FaqHit, ...]:
        if self._hits is None:
            reading = self.reading
            self._hits = tuple(self._faq.search(reading.query, topics=reading.intents))
        return self._hits

    @property
    def strong(self) -> bool:
        """The best FAQ entry scores enough to be the answer."""
        return bool(self.hits) and self.hits[0].score >= FAQ_ANSWER

    @property
    def listing(self) -> bool:
        """The question asks for a list rather than about one thing."""
        reading = self.reading
        return (
            "list" in reading.intents
            or reading.noun_phrase
            or (not reading.leftover and not self.strong)
        )


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    when: Callable[[Context], bool]
    then: Callable[[Context, str], Answer]


# -- clusters named


def region_intents(reading: Interpretation) -> tuple[Intent, ...]:
    """Every fact asked about the clusters, in the order they are answered; an overview
    when none is named (or when two clusters are compared)."""
    wanted = set(reading.intents)
    if reading.fields and not reading.described_by_fields:
        wanted.add(Intent.FIELDS.value)
    if reading.regions.via_organization:
        wanted.add(Intent.CONTACT.value)
    if reading.asks_status:
        wanted.add(Intent.STAGE.value)
    if "compare" in wanted:
        return (Intent.REGION,)
    return tuple(i for i in REGION_INTENTS if i.value in wanted) or (Intent.REGION,)


def region_intent(reading: Interpretation) -> Intent:
    return region_intents(reading)[0]


def filtered(
    clusters: Sequence[Cluster], stage: str | None, status: str | None
) -> tuple[list[Cluster], list[Msg]]:
    """The clusters of the stage and status asked for, with a note saying the filter was
    applied; all of them, with a note saying so, when none matches."""
    if stage is None and status is None:
        return list(clusters), []
    kept = [
        c
        for c in clusters
        if (stage is None or c.stage == stage) and (status is None or c.status == status)
    ]
    if kept:
        if stage and status:
            note = M.NOTE_ONLY_STAGE_STATUS(stage=Ref("stage", stage), status=Ref("status", status))
        elif stage:
            note = M.NOTE_ONLY_STAGE(stage=Ref("stage", stage))
        else:
            note = M.NOTE_ONLY_STATUS(status=Ref("status", status))
        return kept, [note]
    names = distinct_names(clusters)
    if stage and status:
        note = M.NOTE_NO_MATCH_BOTH(
            clusters=names, stage=Ref("stage", stage), status=Ref("status", status)
        )
    elif stage:
        note = M.NOTE_NO_MATCH_STAGE(clusters=names, stage=Ref("stage", stage))
    else:
        note = M.NOTE_NO_MATCH_STATUS(clusters=names, status=Ref("status", status))
    return list(clusters), [note]


def described_clusters(clusters: Sequence[Cluster], fields: Sequence[str]) -> list[Cluster]:
    """ "the Sapporo IT cluster": of a place's clusters, the one the contents list with
    exactly those fields ("SAPPORO (IT)"), else those listing all of them."""
    wanted = set(fields)
    exact = [c for c in clusters if set(c.fields) == wanted]
    if exact:
        return exact
    return [c for c in clusters if wanted <= set(c.fields)] or list(clusters)


def answer_region(context: Context, rule: str, intent: Intent | None = None) -> Answer:
    reading = context.reading
    intents = (intent,) if intent is not None else region_intents(reading)
    lib = context.lib
    clusters = [lib.kb.cluster(cid) for cid in reading.regions.cluster_ids]
    notes: list[Msg] = []
    if reading.described_by_fields:
        clusters = described_clusters(clusters, reading.fields)
    # "is the Fukuoka cluster done?" asks every cluster's status; a command's option
    # ("/contact hamamatsu ended") filters.
    status = None if reading.asks_status and intent is None else reading.status
    clusters, notes = filtered(clusters, reading.stage, status)
    notes += [
        M.NOTE_READ_AS(typed=typed, target=label) for typed, label in reading.regions.fuzzy_spans
    ]
    notes += within_notes(lib, reading, clusters)
    others = [fact for fact in reading.missing if fact != "budget_year"]
    notes += [M.MISSING[fact](clusters=distinct_names(clusters)) for fact in others]
    return region_answer(
        lib,
        intents,
        clusters,
        reading.query,
        rule=rule,
        confidence=reading.regions.confidence,
        notes=notes,
        asked_fields=() if reading.described_by_fields else reading.fields,
    )


def within_notes(lib: Library, reading: Interpretation, clusters: Sequence[Cluster]) -> list[Msg]:
    """ "Sapporo is in Hokkaido": said when a cluster is shown for a place it lies in."""
    named = {label.id for label in reading.regions.labels if label.kind == "place"}
    notes = []
    for place_id in dict.fromkeys(p for c in clusters for p in c.places):
        link = lib.kb.places[place_id].within
        if link is not None and link.place in named and place_id not in named:
            notes.append(
                M.NOTE_WITHIN(place=Ref("place", place_id), within=Ref("place", link.place))
            )
    return notes


# -- conditions for questions that name no cluster


def _names_only_an_unknown_place(context: Context) -> bool:
    """ "what fields does tokyo cover": a place is named (near miss or no cluster) and the
    other words are grammar."""
    regions = context.reading.regions
    misses = regions.near_misses
    return bool(misses or regions.unclustered) and set(context.reading.leftover) <= {
        w for m in misses for w in m.text.split()
    }


def _off_topic(context: Context) -> bool:
    reading = context.reading
    return reading.off_topic and not (reading.fields or reading.intents & _SUBJECT_INTENTS)


def _missing_about_place(context: Context) -> bool:
    reading = context.reading
    asked = {i.value for i in region_intents(reading)} - {Intent.REGION.value}
    return bool(reading.missing and reading.regions.cluster_ids) and (
        not asked or asked <= {Intent.BUDGET.value}
    )


def _missing_budget(context: Context) -> bool:
    return "budget_year" in context.reading.missing


def _names_a_section(context: Context) -> bool:
    """A section of the contents named: one whose text the sources hold (p. 1, the icons)
    only when asked as a section ("the icons section", "what page is ..."); the others,
    known by their title alone, whenever named."""
    reading = context.reading
    sections = [context.lib.sections[s] for s in reading.sections if s in context.lib.sections]
    if not sections:
        return False
    as_section = bool(reading.intents & {"page", "contents"})
    return as_section or any(s.faq is None for s in sections)


def _lists_pages(context: Context) -> bool:
    intents = context.reading.intents
    return "page" in intents and bool(intents & {"list", "count"})


def _counts(context: Context) -> bool:
    reading = context.reading
    return "count" in reading.intents and (
        reading.has_filters or not reading.leftover or not context.strong
    )


def _lists_by_field(context: Context) -> bool:
    reading = context.reading
    # A field with a stage or status ("第2期のITクラスター") is a listing, whatever FAQ
    # entry shares its stage word.
    return bool(reading.fields or reading.excluded_fields) and (
        context.listing or not context.strong or bool(reading.stage or reading.status)
    )


def _lists_by_stage(context: Context) -> bool:
    reading = context.reading
    return bool(reading.stage or reading.status) and (context.listing or not context.strong)


def _plain(intent: str) -> Callable[[Context], bool]:
    def condition(context: Context) -> bool:
        return intent in context.reading.intents and not context.reading.leftover

    return condition


def _decline(context: Context, rule: str) -> Answer:
    return general.decline(context.lib, context.reading, context.hits, rule=rule)


def _count(context: Context, rule: str) -> Answer:
    r = context.reading
    return listing.count(
        context.lib,
        r.query,
        r.stage,
        r.status,
        r.fields,
        rule=rule,
        mode=r.field_mode,
        excluded=r.excluded_fields,
    )


def _by_field(context: Context, rule: str) -> Answer:
    r = context.reading
    return listing.by_field(
        context.lib,
        r.query,
        r.fields,
        r.stage,
        r.status,
        rule=rule,
        mode=r.field_mode,
        excluded=r.excluded_fields,
    )


def _greeting(context: Context, rule: str) -> Answer:
    return general.greeting(context.reading.query, rule=rule)


def _decline_off_topic(context: Context, rule: str) -> Answer:
    return general.off_topic(context.reading.query, rule=rule)


def _missing(context: Context, rule: str) -> Answer:
    r = context.reading
    clusters = [context.lib.kb.cluster(cid) for cid in r.regions.cluster_ids]
    if r.described_by_fields:
        clusters = described_clusters(clusters, r.fields)
    clusters, notes = filtered(clusters, r.stage, None if r.asks_status else r.status)
    return missing.missing_fact(context.lib, r.query, r.missing, clusters, rule=rule, notes=notes)


def _missing_programme_budget(context: Context, rule: str) -> Answer:
    return missing.missing_programme_budget(context.lib, context.reading.query, rule=rule)


def _on_page(context: Context, rule: str) -> Answer:
    r = context.reading
    return contents.on_page(context.lib, r.query, r.page_number, rule=rule)


def _section(context: Context, rule: str) -> Answer:
    r = context.reading
    return contents.section_answer(
        context.lib, r.query, r.sections, content_asked="content" in r.intents, rule=rule
    )


def _pages(context: Context, rule: str) -> Answer:
    return contents.clusters_with_pages(context.lib, context.reading.query, rule=rule)


def _rank(context: Context, rule: str) -> Answer:
    r = context.reading
    return rank.ranking(context.lib, r.query, r.superlative, rule=rule)


def _by_stage(context: Context, rule: str) -> Answer:
    r = context.reading
    return listing.by_stage(context.lib, r.query, r.stage, r.status, rule=rule)


def _list_all(context: Context, rule: str) -> Answer:
    return listing.by_stage(context.lib, context.reading.query, None, None, rule=rule)


def _empty(context: Context, rule: str) -> Answer:
    return general.empty(context.reading.query, rule=rule)


def _faq(context: Context, rule: str) -> Answer:
    return general.faq_answer(context.reading.query, context.hits[0], rule=rule)


def _about(context: Context, rule: str) -> Answer:
    return general.about(context.lib, context.reading.query.cleaned, rule=rule)


def _help(context: Context, rule: str) -> Answer:
    return general.help_answer(context.lib, context.reading.query.cleaned, rule=rule)


RULES: tuple[Rule, ...] = (
    Rule("empty", lambda c: c.reading.query.is_empty, _empty),
    Rule("greeting", lambda c: c.reading.greeting_only, _greeting),
    Rule("off_topic", _off_topic, _decline_off_topic),
    Rule("not_in_sources", _missing_about_place, _missing),
    Rule("region", lambda c: bool(c.reading.regions.cluster_ids), answer_region),
    Rule("contents_page", lambda c: c.reading.page_number is not None, _on_page),
    Rule("contents_section", _names_a_section, _section),
    Rule("contents_pages", _lists_pages, _pages),
    Rule("budget_not_in_sources", _missing_budget, _missing_programme_budget),
    Rule("unknown_place", _names_only_an_unknown_place, _decline),
    Rule("rank", lambda c: c.reading.superlative is not None, _rank),
    Rule("count", _counts, _count),
    Rule("by_field", _lists_by_field, _by_field),
    Rule("by_stage", _lists_by_stage, _by_stage),
    Rule("faq", lambda c: c.strong, _faq),
    Rule("list_all", _plain("list"), _list_all),
    Rule("about", _plain("about"), _about),
    Rule("help", _plain("help"), _help),
    Rule("decline", lambda c: True, _decline),
)


def route(context: Context) -> Answer:
    """The answer of the first rule that applies (the last one always does)."""
    for rule in RULES:
        if rule.when(context):
            return rule.then(context, rule.name)
    raise AssertionError("the decline rule always applies")  # pragma: no cover
