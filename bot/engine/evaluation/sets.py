"""A query's set of clusters answered as what it is: counted, or listed with its fields."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.answer import Answer, Ref
from bot.engine.evaluation.context import Context
from bot.engine.facts import listing, region
from bot.engine.facts.library import Selection
from bot.engine.reading.query import ClusterSet


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
    tokens = set(query.text.tokens)
    if "each" in tokens or "各" in query.text.compact:
        return False
    nouns = context.lib.kb.lexicon.nouns.get("cluster", ())
    names_clusters = any(n in tokens if n.isascii() else n in query.text.compact for n in nouns)
    compares = query.asked.superlative is not None or bool(query.cues & _COMPARING_CUES)
    return names_clusters and compares


def budget(context: Context, rule: str) -> Answer:
    c = context.query.clusters
    chosen = context.lib.select(selection_of(c))
    described = listing.described(chosen, c.stage, c.status, c.fields.fields)
    return region.budget_of_a_set(context.lib, context.query.text, chosen, described, rule=rule)
