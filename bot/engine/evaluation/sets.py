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


def asks_a_budget_of_a_set(context: Context) -> bool:
    """ "budget of the second stage clusters", "how much did the IT clusters get?"."""
    query = context.query
    return (
        "budget" in query.cues
        and not query.clusters.named
        and query.clusters.has_filters
        and "count" not in query.cues
    )


def budget(context: Context, rule: str) -> Answer:
    c = context.query.clusters
    chosen = context.lib.select(selection_of(c))
    described = listing.described(chosen, c.stage, c.status, c.fields.fields)
    return region.budget_of_a_set(context.lib, context.query.text, chosen, described, rule=rule)
