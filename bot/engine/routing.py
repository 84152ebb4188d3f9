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
from bot.engine.facts import general, listing
from bot.engine.facts.geography import map_answer
from bot.engine.facts.library import Library, distinct_names
from bot.engine.facts.region import region_answer
from bot.engine.faq import FaqHit, FaqIndex
from bot.engine.interpret import Interpretation
from bot.engine.thresholds import FAQ_ANSWER
from bot.kb.model import Cluster

# Region intents in the order they win when a question signals several.
REGION_INTENTS = (
    Intent.PAGE,
    Intent.CONTACT,
    Intent.BUDGET,
    Intent.FIELDS,
    Intent.STAGE,
    Intent.LOCATION,
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


def region_intent(reading: Interpretation) -> Intent:
    wanted = set(reading.intents)
    if reading.fields:
        wanted.add(Intent.FIELDS.value)
    if reading.regions.via_organization:
        wanted.add(Intent.CONTACT.value)
    if Intent.MAP.value in wanted:
        wanted.add(Intent.LOCATION.value)  # "ube on a map": where it is, with the map
    return next((i for i in REGION_INTENTS if i.value in wanted), Intent.REGION)


def filtered(
    clusters: Sequence[Cluster], stage: str | None, status: str | None
) -> tuple[list[Cluster], list[Msg]]:
    """The clusters of the stage and status asked for; all of them, with a note saying so,
    when none matches."""
    if stage is None and status is None:
        return list(clusters), []
    kept = [
        c
        for c in clusters
        if (stage is None or c.stage == stage) and (status is None or c.status == status)
    ]
    if kept:
        return kept, []
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


def answer_region(context: Context, rule: str, intent: Intent | None = None) -> Answer:
    reading = context.reading
    intent = intent or region_intent(reading)
    clusters = [context.lib.kb.cluster(cid) for cid in reading.regions.cluster_ids]
    notes: list[Msg] = []
    if intent is not Intent.STAGE:
        clusters, notes = filtered(clusters, reading.stage, reading.status)
    notes += [
        M.NOTE_READ_AS(typed=typed, target=label) for typed, label in reading.regions.fuzzy_spans
    ]
    return region_answer(
        context.lib,
        intent,
        clusters,
        reading.query,
        rule=rule,
        confidence=reading.regions.confidence,
        notes=notes,
        asked_fields=reading.fields,
    )


# -- conditions for questions that name no cluster


def _names_only_an_unknown_place(context: Context) -> bool:
    """ "what fields does tokyo cover": a place is named (near miss or no cluster) and the
    other words are grammar."""
    regions = context.reading.regions
    misses = regions.near_misses
    return bool(misses or regions.unclustered) and set(context.reading.leftover) <= {
        w for m in misses for w in m.text.split()
    }


def _counts(context: Context) -> bool:
    reading = context.reading
    return "count" in reading.intents and (
        reading.has_filters or not reading.leftover or not context.strong
    )


def _lists_by_field(context: Context) -> bool:
    return bool(context.reading.fields) and (context.listing or not context.strong)


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
    return listing.count(context.lib, r.query, r.stage, r.status, r.fields, rule=rule)


def _by_field(context: Context, rule: str) -> Answer:
    r = context.reading
    return listing.by_field(context.lib, r.query, r.fields, r.stage, r.status, rule=rule)


def _by_stage(context: Context, rule: str) -> Answer:
    r = context.reading
    return listing.by_stage(context.lib, r.query, r.stage, r.status, rule=rule)


def _list_all(context: Context, rule: str) -> Answer:
    return listing.by_stage(context.lib, context.reading.query, None, None, rule=rule)


def _map(context: Context, rule: str) -> Answer:
    r = context.reading
    return map_answer(context.lib, r.query, r.stage, r.status, r.fields, rule=rule)


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
    Rule("region", lambda c: bool(c.reading.regions.cluster_ids), answer_region),
    Rule("unknown_place", _names_only_an_unknown_place, _decline),
    Rule("map", lambda c: Intent.MAP.value in c.reading.intents, _map),
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
