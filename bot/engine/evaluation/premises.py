"""What a question takes for granted, and the claims it asks to confirm.

A false presupposition is said first and plainly: "the third stage" (the sources name two),
"METI's Industrial Cluster Project" (not this programme), a cluster in a region or prefecture
of Japan that has none. A yes/no question that states a claim ("Toyama/Takaoka is a second
stage cluster, right?", "the 2004 budget was 6.9 billion yen?") is answered "Yes" or "No"
first, then with the facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Msg, Param, Ref
from bot.engine.evaluation import sets
from bot.engine.evaluation.context import Context
from bot.engine.facts import programme as P
from bot.engine.facts.contact import detail_of
from bot.engine.facts.library import Library
from bot.engine.reading.query import Mode, Query
from bot.kb.model import Cluster

ATTRIBUTE_CUES = frozenset("fields contact page location stage overview budget".split())
# Answers that are no listing of clusters, whatever their intent: no "Yes"/"No" from their
# matches ("the program has like 4 priority fields, right?" lists the fields).
_COMPUTATIONS = frozenset(
    {
        "share",
        "difference",
        "area_difference",
        "average",
        "stage_gap",
        "programme_span",
        "key_fields",
        "the_only_one",  # its own verdict: whether the named are all of the set
    }
)


def presupposes_what_is_not(context: Context) -> bool:
    return bool(context.query.presupposes) or _empty_area_asked_of(context)


def premise(context: Context, rule: str) -> Answer:
    """The false presupposition, said first; what the sources have instead as steps."""
    query = context.query
    lib = context.lib
    lead: list[Msg] = []
    suggestions: list = []
    runner_said = False
    for presupposed in query.presupposes:
        if presupposed.kind == "stage":
            stages = tuple(Ref("stage", s) for s in lib.kb.stages)
            lead.append(
                M.PREMISE_NO_STAGE(number=presupposed.ref, stages=stages, count=len(stages))
            )
            suggestions += [M.SUGGEST_STAGE(stage=s) for s in stages]
        elif presupposed.kind == "programme":
            lead.append(M.PREMISE_OTHER_PROGRAMME(other=presupposed.text, programme=P.PROGRAMME))
            runner = lib.kb.programme.run_by
            if query.programme and runner is not None and not runner_said:
                # "the KCI was a METI program, wasn't it?": whose programme it is.
                lead.append(
                    M.RUN_BY(programme=P.PROGRAMME, organization=Ref("organization", runner))
                )
                runner_said = True
    areas = areas_of(query)
    if _empty_area_asked_of(context):
        lead.append(M.PREMISE_NO_CLUSTER_IN(areas=areas))
    return Answer(
        question=query.text.cleaned,
        # "it was a METI program, wasn't it?" is answered by whose programme it is.
        answered=runner_said and query.is_yes_no,
        intent=Intent.NOT_IN_SOURCES,
        rule=rule,
        title=M.PREMISE_TITLE(),
        summary=tuple(lead),
        suggestions=tuple(suggestions),
        confidence=1.0,
        as_of=M.AS_OF_EDITION() if areas else None,
    )


def asks_of_an_area(context: Context) -> bool:
    """ "which clusters are in Kyushu?", "is there a cluster in Okinawa?", "how many
    clusters in Tohoku did life sciences?": a listing or count limited to regions or
    prefectures of Japan."""
    query = context.query
    return query.clusters.by_geography and not query.clusters.named


def by_area(context: Context, rule: str) -> Answer:
    areas = areas_of(context.query)
    if "count" in context.query.cues:
        return sets.counted(context, rule, areas)
    return sets.listed(context, rule, areas)


def existence(query: Query, answer: Answer) -> Answer:
    """ "is there a cluster in Okinawa?": a yes/no question about a set of clusters is
    answered "Yes" or "No" before the listing."""
    if query.mode is not Mode.YES_NO or not answer.answered:
        return answer
    if answer.rule in _COMPUTATIONS:  # "were there more active or ended clusters?"
        return answer
    if answer.intent in (Intent.BY_FIELD, Intent.BY_STAGE, Intent.COUNT):
        claimed = query.asked.clusters_claimed
        # "were there 7 second stage clusters?": as many as claimed, not merely some.
        holds = bool(answer.matches) if claimed is None else len(answer.matches) == claimed
        verdict = M.CLAIM_YES() if holds else M.CLAIM_NO()
        return replace(answer, summary=(verdict, *answer.summary))
    # "is there a cluster in Hokkaido?", "is Kyoto a cluster?": a place named and nothing
    # claimed or asked of it; the clusters it heads are the "Yes".
    claims = query.clusters.has_filters or query.status_word or query.asked.status
    asks = query.cues & ATTRIBUTE_CUES - {Intent.REGION.value, "overview"}
    if answer.intent is Intent.REGION and answer.matches and not claims and not asks:
        claimed = query.asked.clusters_claimed
        named = len(query.clusters.named)
        verdict = M.CLAIM_YES() if claimed in (None, named) else M.CLAIM_NO()
        return replace(answer, summary=(verdict, *answer.summary))
    return answer


def number_verdict(lib: Library, query: Query, clusters: Sequence[Cluster]) -> Msg | None:
    """ "the Sendai cluster office phone is 022-346-9238, right?": the number claimed for the
    detail asked, checked against the sources; "No" says whose other number it is when it
    is one ("that is its fax number")."""
    claimed = query.asked.number_claimed
    asked = [d for d in query.asked.details if d in ("tel", "fax")]
    if claimed is None or query.mode is not Mode.YES_NO or not asked:
        return None
    orgs = [lib.kb.organizations[c.organization.id] for c in clusters if c.organization]
    numbers = {(d, detail_of(org, d)) for org in orgs for d in ("tel", "fax") if detail_of(org, d)}
    if not numbers:
        return None  # no number to check against: the answer says it is missing
    if any(d in asked and value == claimed for d, value in numbers):
        return M.CLAIM_YES()
    other = next((d for d, value in numbers if value == claimed), None)
    if other is None:
        return M.CLAIM_NO()
    return M.CLAIM_NO_OTHER_DETAIL(number=claimed, detail=M.CONTACT_DETAILS[other]())


def claim_verdict(query: Query, clusters: Sequence[Cluster]) -> Msg | None:
    """The verdict on a stage or status a yes/no question claims of the clusters it names:
    "Yes", "No", or only some of them."""
    if query.mode is not Mode.YES_NO or not clusters:
        return None
    wanted = query.clusters
    if wanted.stage is None and wanted.status is None and not wanted.excludes_terms:
        return None

    def holds(cluster: Cluster) -> bool:
        return (
            (wanted.stage is None or cluster.stage == wanted.stage)
            and (wanted.status is None or cluster.status == wanted.status)
            and cluster.stage not in wanted.excluded_stages
            and cluster.status not in wanted.excluded_statuses
        )

    matching = [c for c in clusters if holds(c)]
    if len(matching) == len(clusters):
        return M.CLAIM_YES()
    if not matching:
        return M.CLAIM_NO()
    return M.CLAIM_ONLY(clusters=tuple(_told_apart(c, clusters) for c in matching))


def other_fields_verdict(query: Query, clusters: Sequence[Cluster]) -> Msg | None:
    """ "did Nagano/Ueda cover anything other than nanotech?": whether each cluster has a
    key field besides those left out."""
    excluded = set(query.clusters.fields.excluded)
    if query.mode is not Mode.YES_NO or not clusters or not excluded:
        return None
    if query.clusters.fields.fields:
        return None
    matching = [c for c in clusters if set(c.fields) - excluded]
    if len(matching) == len(clusters):
        return M.CLAIM_YES()
    if not matching:
        return M.CLAIM_NO()
    return M.CLAIM_ONLY(clusters=tuple(_told_apart(c, clusters) for c in matching))


def _told_apart(cluster: Cluster, among: Sequence[Cluster]) -> Param:
    """A cluster named so that the others asked of cannot be meant: "HAMAMATSU (First
    Stage)" when both HAMAMATSU clusters were asked."""
    if sum(other.name == cluster.name for other in among) > 1:
        return M.CLUSTER_TITLED(
            cluster=Ref("cluster", cluster.id), stage=Ref("stage", cluster.stage)
        )
    return Ref("cluster", cluster.id)


def budget_verdict(context: Context, answer: Answer) -> Answer:
    """ "the 2004 budget was 6.9 billion yen, right?": the figure of the year asked against
    the amount stated; a wrong amount that is another year's figure is said to be so."""
    query = context.query
    amount = query.asked.amount
    if amount is None or query.mode is not Mode.YES_NO:
        return answer
    programme = context.lib.kb.programme
    if "per_region" in query.cues:
        # "The 9 billion yen in 2004 - was that what each region received?": a region's
        # yearly amount, against the amount stated.
        figure = programme.figure("per_region_per_year")
        if figure is None:
            return answer
        holds = _same_amount(figure.amount, amount) or (
            figure.approximate and abs(figure.amount - amount) <= figure.amount * 0.1
        )
        return replace(answer, summary=(M.CLAIM_YES() if holds else M.CLAIM_NO(), *answer.summary))
    if not query.time.years:
        return answer
    figure = programme.figure("budget", query.time.years[0])
    if figure is None:
        return answer
    if _same_amount(figure.amount, amount):
        return replace(answer, summary=(M.CLAIM_YES(), *answer.summary))
    lead: list[Msg] = [M.CLAIM_NO(), *answer.summary]
    other = next(
        (f for f in programme.figures_of("budget") if _same_amount(f.amount, amount)), None
    )
    if other is not None:
        lead.append(M.FIGURE_BUDGET(year=other.year, amount=other.amount))
    return replace(answer, summary=tuple(lead))


def _same_amount(given: int, said: int) -> bool:
    return abs(given - said) <= given * 0.005


def areas_of(query: Query) -> tuple[Ref, ...]:
    c = query.clusters
    return (
        *(Ref("region", r) for r in c.regions),
        *(Ref("prefecture", p) for p in c.prefectures),
    )


def _empty_area_asked_of(context: Context) -> bool:
    """ "when did the Okinawa cluster end?", "okinawa": a fact asked of the clusters of an
    area that has none, or the area alone (a count or a yes/no question about it is
    answered: "No")."""
    query = context.query
    c = query.clusters
    if not c.by_geography or c.named or query.mode is Mode.YES_NO:
        return False
    if "count" in query.cues or ("list" in query.cues and "fields" not in query.cues):
        return False  # 「沖縄の知的クラスターはどの分野？」 asks the fields of one, not which
    return not context.lib.in_areas(areas_of(query))
