"""Routing: an ordered list of named rules from an interpretation to an answer.

The first rule whose condition holds answers, and its name goes into `Answer.rule` (and
`ask --json`), so a wrong answer points at one rule. Conditions read the interpretation
and, for questions naming no cluster, the FAQ hits; thresholds live in `thresholds`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.answer import Answer, Intent
from bot.engine.context import Context
from bot.engine.facts import contents, general, listing, missing, rank
from bot.engine.facts.geography import map_answer
from bot.engine.faq import FaqHit
from bot.engine.region_rules import (
    answer_region,
    described_clusters,
    filtered,
    region_intents,
)

# The FAQ topic of what became of the programme (folded into another from fiscal 2010).
PROGRAMME_STATUS_TOPIC = "still"
# Intents that make a question about this bot's subject, whatever else it mentions.
_SUBJECT_INTENTS = frozenset(
    "fields contact page budget count director members results website staff".split()
)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    when: Callable[[Context], bool]
    then: Callable[[Context, str], Answer]


# -- conditions


def _names_only_an_unknown_place(context: Context) -> bool:
    """ "what fields does tokyo cover": a place is named (near miss or no cluster) and the
    other words are grammar."""
    regions = context.reading.regions
    misses = regions.near_misses
    return bool(misses or regions.unclustered) and set(context.reading.leftover) <= {
        w for m in misses for w in m.text.split()
    }


def _off_topic(context: Context) -> bool:
    """Food, weather, sport or travel; or a person named like a place ("Mr Saito's phone")
    when no cluster is named: not this bot's subject."""
    reading = context.reading
    if reading.regions.persons and not reading.regions.cluster_ids:
        return True
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
    return as_section or any(s.faq is None for s in sections) or not context.strong


def _asks_for_the_contents(context: Context) -> bool:
    """ "which sections does the 2008 edition have", "目次にはどんな項目": the contents."""
    reading = context.reading
    return "contents" in reading.intents and not reading.fields and not reading.stage


def _asks_for_a_map(context: Context) -> bool:
    """ "show the clusters on a map": the map is drawn; "which page is the map on" and
    "is there a map in the 2008 edition" are about the edition's own maps (pp. 4, 5)."""
    intents = context.reading.intents
    return Intent.MAP.value in intents and not intents & {"page", "contents"}


def _asks_the_programme_status(context: Context) -> bool:
    return context.reading.asks_programme_status and bool(
        context.lib.faq_of_topic(PROGRAMME_STATUS_TOPIC)
    )


def _lists_pages(context: Context) -> bool:
    intents = context.reading.intents
    return "page" in intents and bool(intents & {"list", "count"})


def _lists_everything(context: Context) -> bool:
    """ "list all clusters", "show the clusters": only listing words and the domain's own,
    whatever FAQ entry shares the word "cluster"."""
    reading = context.reading
    return "list" in reading.intents and reading.noun_phrase and not reading.leftover


def _counts(context: Context) -> bool:
    reading = context.reading
    return "count" in reading.intents and (
        reading.has_filters or not reading.leftover or not context.strong
    )


def _lists_by_field(context: Context) -> bool:
    reading = context.reading
    if reading.field_count is not None:
        return True
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
        field_count=r.field_count,
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
        field_count=r.field_count,
    )


def _region(context: Context, rule: str) -> Answer:
    return answer_region(context.lib, context.reading, rule)


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


def _contents_list(context: Context, rule: str) -> Answer:
    return contents.table(context.lib, context.reading.query, rule=rule)


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


def _map(context: Context, rule: str) -> Answer:
    r = context.reading
    return map_answer(context.lib, r.query, r.stage, r.status, r.fields, rule=rule)


def _empty(context: Context, rule: str) -> Answer:
    return general.empty(context.reading.query, rule=rule)


def _faq(context: Context, rule: str) -> Answer:
    return general.faq_answer(context.reading.query, context.hits[0], rule=rule)


def _programme_status(context: Context, rule: str) -> Answer:
    """The entry on what became of the programme; its question's form, not its wording,
    chose it, so it answers with full confidence like the other structural rules."""
    entry = context.lib.faq_of_topic(PROGRAMME_STATUS_TOPIC)[0]
    return general.faq_answer(context.reading.query, FaqHit(entry, 1.0), rule=rule)


def _about(context: Context, rule: str) -> Answer:
    return general.about(context.lib, context.reading.query.cleaned, rule=rule)


def _help(context: Context, rule: str) -> Answer:
    return general.help_answer(context.lib, context.reading.query.cleaned, rule=rule)


RULES: tuple[Rule, ...] = (
    Rule("empty", lambda c: c.reading.query.is_empty, _empty),
    Rule("greeting", lambda c: c.reading.greeting_only, _greeting),
    Rule("off_topic", _off_topic, _decline_off_topic),
    Rule("not_in_sources", _missing_about_place, _missing),
    Rule("region", lambda c: bool(c.reading.regions.cluster_ids), _region),
    Rule("map", _asks_for_a_map, _map),
    Rule("contents_page", lambda c: c.reading.page_number is not None, _on_page),
    Rule("contents_section", _names_a_section, _section),
    Rule("contents_pages", _lists_pages, _pages),
    Rule("contents_list", _asks_for_the_contents, _contents_list),
    Rule("budget_not_in_sources", _missing_budget, _missing_programme_budget),
    Rule("unknown_place", _names_only_an_unknown_place, _decline),
    Rule("programme_status", _asks_the_programme_status, _programme_status),
    Rule("rank", lambda c: c.reading.superlative is not None, _rank),
    Rule("count", _counts, _count),
    Rule("by_field", _lists_by_field, _by_field),
    Rule("by_stage", _lists_by_stage, _by_stage),
    Rule("list_all", _lists_everything, _list_all),
    Rule("faq", lambda c: c.strong, _faq),
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
