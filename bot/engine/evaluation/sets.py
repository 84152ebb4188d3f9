"""A query's set of clusters answered as what it is: counted, or listed with its fields."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Ref
from bot.engine.evaluation.context import Context
from bot.engine.facts import listing, region
from bot.engine.facts.library import Selection
from bot.engine.reading.query import ClusterSet
from bot.engine.thresholds import MAX_SUGGESTIONS


def selection_of(clusters: ClusterSet, areas: Sequence[Ref] = ()) -> Selection:
    """The clusters a query's set describes, within `areas` (regions or prefectures of
    Japan) when given."""
    return Selection(
        stage=clusters.stage,
        status=clusters.status,
        fields=clusters.fields.fields,
        mode=clusters.fields.mode,
        excluded=clusters.fields.excluded,
        field_count=clusters.fields.count,
        areas=tuple(areas),
        excluded_stages=clusters.excluded_stages,
        excluded_statuses=clusters.excluded_statuses,
        excluded_clusters=clusters.excluded_names,
    )


def counted(context: Context, rule: str, areas: Sequence[Ref] = ()) -> Answer:
    """ "how many ended clusters work on IT?": the clusters the query's constraints select,
    within `areas` when given."""
    selection = selection_of(context.query.clusters, areas)
    return listing.count(context.lib, context.query.text, selection, rule=rule)


def listed(context: Context, rule: str, areas: Sequence[Ref] = ()) -> Answer:
    """ "which clusters work on IT but not Environment?": the same selection, listed."""
    selection = selection_of(context.query.clusters, areas)
    return listing.by_field(context.lib, context.query.text, selection, rule=rule)


# Cues of a comparison: the most, the fewest, more than.
_COMPARING_CUES = frozenset({"most", "least", "fewest", "more_than"})


def asks_a_budget_of_a_set(context: Context) -> bool:
    """ "budget of the second stage clusters", "how much did the IT clusters get?",
    "which clusters got the most money?"."""
    query = context.query
    return (
        "budget" in query.cues
        and not query.clusters.named
        and (query.clusters.has_filters or compares_clusters_by_money(context))
        and "count" not in query.cues
    )


def compares_clusters_by_money(context: Context) -> bool:
    """ "which clusters got the most money?": clusters picked or ranked by what they got,
    which the sources give for none of them (a region's yearly amount is the same for
    each: "how much does each cluster get?" asks that figure)."""
    query = context.query
    if "budget" not in query.cues or "per_region" in query.cues or query.programme_subject:
        return False
    if context.distributes:
        return False
    compares = query.asked.superlative is not None or bool(query.cues & _COMPARING_CUES)
    return compares and context.names_a("cluster")


def budget(context: Context, rule: str) -> Answer:
    c = context.query.clusters
    chosen = context.lib.select(selection_of(c))
    described = listing.described(chosen, c.stage, c.status, c.fields.fields)
    return region.budget_of_a_set(context.lib, context.query.text, chosen, described, rule=rule)


def asks_a_contact_of_a_set(context: Context) -> bool:
    """ "list every cluster's phone number", "contacts of the second stage clusters": a
    contact asked of clusters not named, which the sources give cluster by cluster."""
    query = context.query
    details = set(query.asked.details)
    # Who runs each project (the core organizations) is an FAQ entry, not a contact card.
    asks_a_card = bool(details - {"organization"}) or (not details and "contact" in query.cues)
    if not asks_a_card or "count" in query.cues:
        return False
    if query.clusters.named or query.organizations or query.programme_subject:
        return False
    return query.clusters.has_filters or context.names_a("cluster")


def contact(context: Context, rule: str) -> Answer:
    """One cluster's contact at a time, the clusters asked of offered to choose from."""
    c = context.query.clusters
    chosen = context.lib.select(selection_of(c))
    described = listing.described(chosen, c.stage, c.status, c.fields.fields)
    return Answer(
        question=context.query.text.cleaned,
        answered=False,
        intent=Intent.CONTACT,
        rule=rule,
        title=M.CONTACT_SET_TITLE(set=described),
        summary=(M.CONTACT_SET_SUMMARY(),),
        suggestions=tuple(Ref("cluster", cluster.id) for cluster in chosen[:MAX_SUGGESTIONS]),
        matches=tuple(cluster.id for cluster in chosen),
    )


_COUNT_WORDS = (("how", "many"), ("number", "of"))
_COUNT_OPENERS = frozenset({"key", "different", "main", "research", "separate", "distinct"})


def counted_noun(tokens: tuple[str, ...]) -> str | None:
    """The word right after the count words ("how many stages", "number of prefectures"),
    past the adjectives before a noun ("how many key fields", "how many different stages")."""
    for i in range(len(tokens) - 2):
        if tuple(tokens[i : i + 2]) not in _COUNT_WORDS:
            continue
        j = i + 2
        while j < len(tokens) - 1 and tokens[j] in _COUNT_OPENERS:
            j += 1
        return tokens[j]
    return None


def counted_kind(context: Context) -> str | None:
    """What "how many …" counts when it is not clusters: the kind of lexicon noun it counts,
    of the kinds the programme itself has a fixed set of (stages, key fields)."""
    query = context.query
    if "count" not in query.cues or query.clusters.names_a_place or query.clusters.has_filters:
        return None
    noun = counted_noun(query.text.tokens)
    nouns = context.lib.kb.lexicon.nouns
    return next((k for k in ("stage", "field") if noun in nouns.get(k, ())), None)
    nouns = context.lib.kb.lexicon.nouns
    tokens = query.text.tokens
    for i in range(len(tokens) - 2):
        if tuple(tokens[i : i + 2]) not in _COUNT_WORDS:
            continue
        j = i + 2
        while j < len(tokens) - 1 and tokens[j] in _COUNT_OPENERS:
            j += 1  # "how many key fields", "how many different stages"
        return next((k for k in ("stage", "field") if tokens[j] in nouns.get(k, ())), None)
    return None
