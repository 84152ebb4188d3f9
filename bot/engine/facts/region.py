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
        ]
        if cluster.page is not None:  # most clusters have none: not worth a line each
            lines.append(M.OVERVIEW_PAGE(page=cluster.page))
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


def merged_sections(parts: Sequence[Part]) -> tuple[Section, ...]:
    """The parts' sections, one per cluster (its lines from every part, in order), then the
    sections about no single cluster (an organization, the programme's budget) once each."""
    by_cluster: dict[str, Section] = {}
    others: list[Section] = []
    for part in parts:
        for section in part.sections:
            if section.cluster_id is None:
                if section not in others:
                    others.append(section)
                continue
            seen = by_cluster.get(section.cluster_id)
            if seen is None:
                by_cluster[section.cluster_id] = section
            else:
                lines = (*seen.lines, *(line for line in section.lines if line not in seen.lines))
                by_cluster[section.cluster_id] = Section(
                    seen.heading, lines, seen.field_ids, seen.cluster_id
                )
    return (*by_cluster.values(), *others)


def region_answer(
    lib: Library,
    intent: Intent | Sequence[Intent],
    clusters: Sequence[Cluster],
    query: Query,
    *,
    rule: str,
    confidence: float,
    notes: Sequence[Msg] = (),
    asked_fields: Sequence[str] = (),
) -> Answer:
    """One answer about the clusters for every intent asked ("fields and page of Ube")."""
    intents = (intent,) if isinstance(intent, Intent) else tuple(dict.fromkeys(intent))
    parts = [PARTS[i](lib, clusters, asked_fields) for i in intents]
    lead: list[Msg] = [part.summary for part in parts]
    if len(clusters) > 1:
        shared = shared_place_note(lib, clusters)
        if shared is not None:  # it says how many; "2 clusters, each below" would repeat it
            lead = [m for m in lead if m.id != M.OVERVIEW_SUMMARY_MANY.id]
            lead.insert(0, shared)
    facts = tuple(fact for part in parts for fact in part.facts)
    title = (
        parts[0].title if len(parts) == 1 else M.SEVERAL_TITLE(titles=tuple(p.title for p in parts))
    )
    extra = [m for part in parts for m in part.extra_matches]
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=intents[0],
        rule=rule,
        title=title,
        summary=tuple(lead),
        notes=tuple(notes),
        sections=merged_sections(parts),
        matches=tuple(dict.fromkeys((*(c.id for c in clusters), *extra))),
        citations=citations(s for part in parts for s in part.sources),
        facts=facts,
        confidence=round(confidence, 3),
        # Every region answer rests on the 2008 edition's contents; facts from other
        # sources (a 2004 contact) carry their own dates, and then no single date is shown.
        as_of=_as_of(lib, intents[0], facts),
        map=MapView(tuple(c.id for c in clusters)) if Intent.LOCATION in intents else None,
    )


def _as_of(lib: Library, intent: Intent, facts) -> Msg | None:
    """The date of the answer's dated facts when they share one: a location is its data
    sets' version; the rest rests on the 2008 edition's contents unless its facts (a 2004
    contact) carry other dates, which they then say themselves."""
    if intent is Intent.LOCATION:
        return location_as_of(lib)
    return lib.as_of(facts) if facts else M.AS_OF_2008()
