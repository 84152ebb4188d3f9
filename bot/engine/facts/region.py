"""Answers about the clusters a question names: their fields, stage, page, budget, overview.

Each builder takes the clusters (already found and filtered) and returns a `Part`: title,
lead, sections, the sources it relies on and the facts it states. `region_answer` wraps a
part into an `Answer` with the notes on how the question was read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, MapView, Msg, Ref, Section
from bot.engine.citations import citations
from bot.engine.facts.contact import contact_part
from bot.engine.facts.general import faq_facts, faq_section
from bot.engine.facts.geography import location_as_of, location_part
from bot.engine.facts.library import (
    Library,
    cluster_ref,
    distinct_names,
    field_refs,
)
from bot.engine.facts.part import Part
from bot.engine.text import Query
from bot.kb.model import Cluster


def fields_part(lib: Library, clusters: Sequence[Cluster], asked: Sequence[str]) -> Part:
    sections = []
    for cluster in clusters:
        lines = [M.FIELDS_LINE(fields=field_refs(cluster.fields))]
        for field_id in asked:
            verdict = M.FIELD_INCLUDED if field_id in cluster.fields else M.FIELD_NOT_LISTED
            lines.append(verdict(field=Ref("field", field_id)))
        sections.append(Section(lib.headings[cluster.id], tuple(lines), cluster.fields, cluster.id))
    if len(clusters) == 1:
        only = clusters[0]
        summary = M.FIELDS_SUMMARY_ONE(cluster=cluster_ref(only), fields=field_refs(only.fields))
    else:
        summary = M.FIELDS_SUMMARY_MANY()
    return Part(
        title=M.FIELDS_TITLE(clusters=distinct_names(clusters)),
        summary=summary,
        sections=tuple(sections),
        sources=tuple(c.source for c in clusters),
        facts=lib.facts(clusters, "fields"),
    )


def stage_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    sections = []
    for cluster in clusters:
        stage = lib.kb.stages[cluster.stage]
        stage_ref, status_ref = Ref("stage", stage.id), Ref("status", cluster.status)
        if stage.started:
            line = M.STAGE_LINE_STARTED(stage=stage_ref, year=stage.started, status=status_ref)
        else:
            line = M.STAGE_LINE(stage=stage_ref, status=status_ref)
        sections.append(Section(lib.headings[cluster.id], (line,), cluster.fields, cluster.id))
    if len(clusters) == 1:
        only = clusters[0]
        summary = M.STAGE_SUMMARY_ONE(
            cluster=cluster_ref(only),
            stage=Ref("stage", only.stage),
            status=Ref("status", only.status),
        )
    else:
        summary = M.STAGE_SUMMARY_MANY()
    stage_sources = [lib.kb.stages[c.stage].source for c in clusters]
    return Part(
        title=M.STAGE_TITLE(clusters=distinct_names(clusters)),
        summary=summary,
        sections=tuple(sections),
        sources=(*(c.source for c in clusters), *(s for s in stage_sources if s)),
        facts=lib.facts(clusters, "stage", "status"),
    )


def page_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    sections = []
    for cluster in clusters:
        line = M.PAGE_LINE(page=cluster.page) if cluster.page is not None else M.PAGE_LINE_NONE()
        sections.append(Section(lib.headings[cluster.id], (line,), cluster.fields, cluster.id))
    if len(clusters) == 1:
        only = clusters[0]
        if only.page is not None:
            summary = M.PAGE_SUMMARY_ONE(cluster=cluster_ref(only), page=only.page)
        else:
            summary = M.PAGE_SUMMARY_ONE_NONE(cluster=cluster_ref(only))
    elif any(c.page is not None for c in clusters):
        summary = M.PAGE_SUMMARY_MANY()
    else:
        summary = M.PAGE_SUMMARY_MANY_NONE()
    return Part(
        title=M.PAGE_TITLE(clusters=distinct_names(clusters)),
        summary=summary,
        sections=tuple(sections),
        sources=tuple(c.source for c in clusters),
        facts=lib.facts(clusters, "page"),
    )


def budget_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    """The sources give no budget per cluster: the programme's figures, said to be so."""
    entries = lib.faq_of_topic("budget")
    names = distinct_names(clusters)
    return Part(
        title=M.BUDGET_TITLE(clusters=names),
        summary=M.BUDGET_SUMMARY(clusters=names),
        sections=tuple(faq_section(e) for e in entries),
        sources=tuple(ref for e in entries for ref in e.sources),
        extra_matches=tuple(e.id for e in entries),
        facts=faq_facts(entries),
    )


def overview_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    sections = []
    sources = []
    for cluster in clusters:
        stage = lib.kb.stages[cluster.stage]
        stage_ref, status_ref = Ref("stage", stage.id), Ref("status", cluster.status)
        org = lib.kb.organization_of(cluster)
        lines = [
            M.OVERVIEW_STAGE_STARTED(stage=stage_ref, year=stage.started, status=status_ref)
            if stage.started
            else M.OVERVIEW_STAGE(stage=stage_ref, status=status_ref),
            M.FIELDS_LINE(fields=field_refs(cluster.fields)),
            M.OVERVIEW_PLACES(places=tuple(Ref("place", p) for p in cluster.places)),
            M.OVERVIEW_ORG(organization=Ref("organization", org.id))
            if org is not None
            else M.OVERVIEW_ORG_NONE(),
            M.OVERVIEW_PAGE(page=cluster.page)
            if cluster.page is not None
            else M.OVERVIEW_PAGE_NONE(),
        ]
        sections.append(Section(lib.headings[cluster.id], tuple(lines), cluster.fields, cluster.id))
        sources.append(cluster.source)
        if cluster.organization is not None:
            sources.append(cluster.organization.source)
    if len(clusters) == 1:
        only = clusters[0]
        summary = M.OVERVIEW_SUMMARY_ONE(
            cluster=cluster_ref(only),
            stage=Ref("stage", only.stage),
            status=Ref("status", only.status),
            fields=field_refs(only.fields),
        )
    else:
        summary = M.OVERVIEW_SUMMARY_MANY(count=len(clusters))
    return Part(
        title=M.OVERVIEW_TITLE(clusters=distinct_names(clusters)),
        summary=summary,
        sections=tuple(sections),
        sources=tuple(sources),
        facts=lib.facts(clusters, "stage", "status", "fields", "page"),
    )


PARTS: dict[Intent, Callable[[Library, Sequence[Cluster], Sequence[str]], Part]] = {
    Intent.FIELDS: fields_part,
    Intent.CONTACT: contact_part,
    Intent.STAGE: stage_part,
    Intent.PAGE: page_part,
    Intent.BUDGET: budget_part,
    Intent.REGION: overview_part,
    Intent.LOCATION: location_part,
}


def shared_place_note(lib: Library, clusters: Sequence[Cluster]) -> Msg | None:
    """ "Hamamatsu heads 2 clusters": said when the clusters shown share a place."""
    by_place: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        for place_id in cluster.places:
            by_place.setdefault(place_id, []).append(cluster)
    shared = [(p, cs) for p, cs in by_place.items() if len(cs) > 1]
    if not shared:
        return None
    place_id, members = max(shared, key=lambda item: len(item[1]))
    return M.NOTE_SHARED_PLACE(place=Ref("place", place_id), count=len(members))


def region_answer(
    lib: Library,
    intent: Intent,
    clusters: Sequence[Cluster],
    query: Query,
    *,
    rule: str,
    confidence: float,
    notes: Sequence[Msg] = (),
    asked_fields: Sequence[str] = (),
) -> Answer:
    part = PARTS[intent](lib, clusters, asked_fields)
    lead: list[Msg] = [part.summary]
    if len(clusters) > 1:
        shared = shared_place_note(lib, clusters)
        if shared is not None:
            lead.insert(0, shared)
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=intent,
        rule=rule,
        title=part.title,
        summary=tuple(lead),
        notes=tuple(notes),
        sections=part.sections,
        matches=tuple(dict.fromkeys((*(c.id for c in clusters), *part.extra_matches))),
        citations=citations(part.sources),
        facts=part.facts,
        confidence=round(confidence, 3),
        as_of=_as_of(lib, intent),
        map=MapView(tuple(c.id for c in clusters)) if intent is Intent.LOCATION else None,
    )


def _as_of(lib: Library, intent: Intent) -> Msg | None:
    if intent is Intent.BUDGET:
        return None  # the figures are the 2004 overview's and say so in their own text
    if intent is Intent.LOCATION:
        return location_as_of(lib)
    return M.AS_OF_2008()
