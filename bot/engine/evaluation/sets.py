"""A query's set of clusters answered as what it is: counted, or listed with its fields."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.answer import Answer, Ref
from bot.engine.evaluation.context import Context
from bot.engine.facts import listing, region


def counted(context: Context, rule: str, areas: Sequence[Ref] = ()) -> Answer:
    """ "how many ended clusters work on IT?": the clusters the query's constraints select,
    within `areas` (regions or prefectures of Japan) when given."""
    c = context.query.clusters
    return listing.count(
        context.lib,
        context.query.text,
        c.stage,
        c.status,
        c.fields.fields,
        rule=rule,
        mode=c.fields.mode,
        excluded=c.fields.excluded,
        field_count=c.fields.count,
        areas=areas,
    )


def listed(context: Context, rule: str, areas: Sequence[Ref] = ()) -> Answer:
    """ "which clusters work on IT but not Environment?": the same selection, listed."""
    c = context.query.clusters
    return listing.by_field(
        context.lib,
        context.query.text,
        c.fields.fields,
        c.stage,
        c.status,
        rule=rule,
        mode=c.fields.mode,
        excluded=c.fields.excluded,
        field_count=c.fields.count,
        areas=areas,
    )


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
    fields = c.fields.fields
    chosen = context.lib.select(
        c.stage, c.status, fields, c.fields.mode, c.fields.excluded, c.fields.count
    )
    described = listing.described(chosen, c.stage, c.status, fields)
    return region.budget_of_a_set(context.lib, context.query.text, chosen, described, rule=rule)
