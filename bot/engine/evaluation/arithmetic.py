"""Arithmetic over what the sources give, with the working shown: a share of the clusters,
the difference between two groups of clusters, the years between two stages' starts, how
long the programme ran, how many regions a year's budget funds.

Every number comes from the knowledge base (counts of its clusters, stages' start years,
programme.yaml's figures and dates); the answer states the operands and the result, so a
reader can check it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Msg, Ref
from bot.engine.citations import citations
from bot.engine.evaluation import sets
from bot.engine.evaluation.context import Context
from bot.engine.evaluation.premises import areas_of
from bot.engine.evaluation.programme import asks_of_a_regions_project
from bot.engine.facts import programme as P
from bot.engine.facts.library import Selection
from bot.engine.facts.listing import described
from bot.kb.model import SourceRef


def _answer(
    context: Context,
    rule: str,
    title: Msg,
    summary: Sequence[Msg],
    sources: Sequence[SourceRef | None],
    *,
    intent: Intent = Intent.COUNT,
    matches: Sequence[str] = (),
) -> Answer:
    return Answer(
        question=context.query.text.cleaned,
        answered=True,
        intent=intent,
        rule=rule,
        title=title,
        summary=tuple(summary),
        matches=tuple(matches),
        citations=citations(sources),
        confidence=1.0,
        as_of=M.AS_OF_EDITION(),
    )


def _selected(context: Context, **overrides):
    """The clusters the query's set describes (within the areas it names), with some of its
    constraints replaced."""
    query = context.query
    selection = replace(sets.selection_of(query.clusters, areas_of(query)), **overrides)
    return context.lib.select(selection)


# -- a share of the clusters


def asks_a_share(context: Context) -> bool:
    """ "what percentage of the clusters work on life sciences?", 「終了した割合は？」"""
    query = context.query
    return "share" in query.cues and not query.clusters.named and query.clusters.has_filters


def share(context: Context, rule: str) -> Answer:
    lib = context.lib
    c = context.query.clusters
    named = context.query.asked.share_of
    if named is None:
        whole = list(lib.kb.clusters)
        whole_said: Msg = M.DERIVED_SHARE_ALL(total=len(whole))
    else:
        whole = lib.select(Selection(named.stage, named.status, named.fields))
        whole_said = described(whole, named.stage, named.status, named.fields)
    part = [cluster for cluster in _selected(context) if cluster in whole]
    percent = round(100 * len(part) / len(whole)) if whole else 0
    shown = described(part, c.stage, c.status, c.fields.fields if c.fields.mode == "any" else ())
    return _answer(
        context,
        rule,
        M.DERIVED_SHARE_TITLE(clusters=shown),
        (M.DERIVED_SHARE(count=len(part), total=len(whole), percent=percent, whole=whole_said),),
        lib.sources_of(part) or list(lib.contents),
        matches=[cluster.id for cluster in part],
    )


# -- the difference between two groups of clusters


def _groups(context: Context) -> list[tuple[Ref, dict]]:
    """The two groups a question compares: two stages, statuses, fields or areas of Japan."""
    query = context.query
    c = query.clusters
    areas = areas_of(query)
    if len(areas) >= 2:
        return [(area, {"areas": (area,)}) for area in areas[:2]]
    if len(query.stages) >= 2:
        return [(Ref("stage", s), {"stage": s}) for s in query.stages[:2]]
    if len(c.fields.fields) >= 2:
        return [(Ref("field", f), {"fields": (f,), "mode": "any"}) for f in c.fields.fields[:2]]
    if len(query.statuses) >= 2:
        return [(Ref("status", s), {"status": s}) for s in query.statuses[:2]]
    return []


def asks_a_difference(context: Context) -> bool:
    """ "how many more clusters were in the first stage than in the second?"; "Kyushu or
    Shikoku, which had more clusters?" (of two areas, the more is their difference)."""
    query = context.query
    compares = "more_than" in query.cues or (
        len(areas_of(query)) == 2 and bool(query.cues & {"most", "fewest"})
    )
    return compares and not query.clusters.named and len(_groups(context)) == 2


def difference(context: Context, rule: str) -> Answer:
    (first, first_filter), (second, second_filter) = _groups(context)
    first_count = len(_selected(context, **first_filter))
    second_count = len(_selected(context, **second_filter))
    return _answer(
        context,
        rule,
        M.DERIVED_DIFFERENCE_TITLE(first=first, second=second),
        (
            M.DERIVED_DIFFERENCE(
                first=first,
                first_count=first_count,
                second=second,
                second_count=second_count,
                difference=abs(first_count - second_count),
                more=first if first_count >= second_count else second,
                larger=max(first_count, second_count),
                smaller=min(first_count, second_count),
            ),
        ),
        list(context.lib.contents),
    )


# -- a year's budget divided among clusters


def asks_a_budget_split(context: Context) -> bool:
    """ "if you split the 2004 budget evenly across the 18 first-stage clusters?", "on
    average how much did each of the 24 clusters get in 2004?": a division of a year's
    budget the sources give, over the clusters asked of."""
    query = context.query
    if "budget" not in query.cues or not query.cues & {"split", "average"}:
        return False
    if query.clusters.named or ("per_region" in query.cues and not query.clusters.has_filters):
        return False
    of_clusters = (
        query.clusters.has_filters
        or query.asked.clusters_claimed is not None
        or context.names_a("cluster")
    )
    return of_clusters and _split_budget(context) is not None


def _split_budget(context: Context):
    budgets = context.lib.kb.programme.figures_of("budget")
    years = context.query.time.years
    asked = [f for f in budgets if f.year in years] if years else list(budgets)
    return max(asked, key=lambda f: f.year or 0) if asked else None


def budget_split(context: Context, rule: str) -> Answer:
    c = context.query.clusters
    chosen = _selected(context)
    budget = _split_budget(context)
    assert budget is not None
    assert chosen
    said = described(chosen, c.stage, c.status, c.fields.fields)
    # What the sources do say a region gets, beside the division.
    yearly = context.lib.kb.programme.figure("per_region_per_year")
    given = (M.FIGURE_PER_REGION_YEARLY(amount=yearly.amount),) if yearly else ()
    return _answer(
        context,
        rule,
        M.FIGURE_BUDGET_TITLE(programme=P.PROGRAMME),
        (
            M.FIGURE_BUDGET(year=budget.year, amount=budget.amount),
            M.DERIVED_SPLIT(
                year=budget.year,
                budget=budget.amount,
                clusters=said,
                count=len(chosen),
                share=budget.amount // len(chosen),
            ),
            *given,
        ),
        (budget.source, yearly.source if yearly else None),
        intent=Intent.BUDGET,
        matches=[cluster.id for cluster in chosen],
    )


# -- what a set of clusters would get at the rate a region gets


def asks_a_rate_times_clusters(context: Context) -> bool:
    """ "if each of the 6 second-stage regions got the usual amount, what's that total?":
    the yearly amount per region the sources give, times the clusters asked of."""
    query = context.query
    if not query.cues & {"per_region", "average"} or "total" not in query.cues:
        return False
    if query.clusters.named or query.time.years:
        return False
    of_clusters = query.clusters.has_filters or query.asked.clusters_claimed is not None
    return of_clusters and context.lib.kb.programme.figure("per_region_per_year") is not None


def rate_times_clusters(context: Context, rule: str) -> Answer:
    c = context.query.clusters
    chosen = _selected(context)
    yearly = context.lib.kb.programme.figure("per_region_per_year")
    assert yearly is not None
    said = described(chosen, c.stage, c.status, c.fields.fields)
    return _answer(
        context,
        rule,
        M.FIGURE_BUDGET_TITLE(programme=P.PROGRAMME),
        (
            M.FIGURE_PER_REGION_YEARLY(amount=yearly.amount),
            M.DERIVED_TIMES(
                clusters=said,
                count=len(chosen),
                amount=yearly.amount,
                total=yearly.amount * len(chosen),
            ),
        ),
        (yearly.source,),
        intent=Intent.BUDGET,
        matches=[cluster.id for cluster in chosen],
    )


# -- the average number of key fields of a cluster


def asks_an_average(context: Context) -> bool:
    """ "on average how many of the 4 key fields does a cluster cover?", 「1クラスターあたり
    平均いくつの分野？」: key fields per cluster, over the clusters the query describes."""
    query = context.query
    return (
        "average" in query.cues
        and not query.clusters.named
        and not query.cues & {"budget", "per_region"}
    )


def average(context: Context, rule: str) -> Answer:
    c = context.query.clusters
    chosen = _selected(context, fields=(), mode="any", excluded=())
    if c.fields.fields or c.fields.excluded:
        chosen = _selected(context)
    total = sum(len(cluster.fields) for cluster in chosen)
    said = described(chosen, c.stage, c.status, c.fields.fields)
    mean = f"{total / len(chosen):.2f}" if chosen else "0"
    return _answer(
        context,
        rule,
        M.DERIVED_AVERAGE_TITLE(clusters=said),
        (M.DERIVED_AVERAGE(clusters=said, total=total, count=len(chosen), average=mean),),
        context.lib.sources_of(chosen) or list(context.lib.contents),
        matches=[cluster.id for cluster in chosen],
    )


# -- years between two stages, how long the programme ran


def asks_the_years_between_stages(context: Context) -> bool:
    """ "how long after the first stage did the second start?", "how many years between the
    stages?": the years between two stages' starts."""
    query = context.query
    stages = _dated_stages(context)
    return (
        bool(query.cues & {"how_long", "start"}) and len(stages) >= 2 and not query.clusters.named
    )


def _dated_stages(context: Context) -> list:
    query = context.query
    named = query.stages
    between = "how_long" in query.cues and "between" in query.text.tokens
    # (between its start and its fold is the programme's span, not the stages')
    if not named and between and not query.cues & {"fate", "end"}:
        named = tuple(context.lib.kb.stages)  # "how many years between the stages?"
    stages = [context.lib.kb.stages[s] for s in named]
    return sorted((s for s in stages if s.started), key=lambda s: s.started)


def years_between_stages(context: Context, rule: str) -> Answer:
    earlier, later = _dated_stages(context)[:2]
    return _answer(
        context,
        rule,
        M.DERIVED_STAGES_TITLE(first=Ref("stage", earlier.id), second=Ref("stage", later.id)),
        (
            M.STAGE_STARTED(stage=Ref("stage", earlier.id), year=earlier.started),
            M.STAGE_STARTED(stage=Ref("stage", later.id), year=later.started),
            M.DERIVED_YEARS_BETWEEN(
                first=Ref("stage", earlier.id),
                second=Ref("stage", later.id),
                years=later.started - earlier.started,
            ),
        ),
        (earlier.source, later.source),
        intent=Intent.STAGE,
    )


def asks_how_long_it_ran(context: Context) -> bool:
    """ "how long did the programme run?": from its start to the fiscal year it was folded
    into its successor."""
    query = context.query
    programme = context.lib.kb.programme
    c = query.clusters
    return (
        "how_long" in query.cues
        and programme.started is not None
        and programme.successor is not None
        and not (c.named or c.stage or query.stages or query.cues & {"per_region", "budget"})
        and not asks_of_a_regions_project(context)
    )


def how_long_it_ran(context: Context, rule: str) -> Answer:
    programme = context.lib.kb.programme
    successor = programme.successor
    assert successor is not None
    assert programme.started is not None
    return _answer(
        context,
        rule,
        M.PROGRAMME_FATE_TITLE(programme=P.PROGRAMME),
        (
            M.PROGRAMME_STARTED(year=programme.started, programme=P.PROGRAMME),
            M.PROGRAMME_FATE(
                year=successor.from_fiscal_year, programme=P.PROGRAMME, successor=P.SUCCESSOR
            ),
            M.DERIVED_SPAN(
                start=programme.started,
                end=successor.from_fiscal_year,
                years=successor.from_fiscal_year - programme.started,
            ),
        ),
        (programme.started_source, successor.source),
        intent=Intent.FAQ,
    )
