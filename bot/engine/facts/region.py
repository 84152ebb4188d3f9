"""Answers about the clusters a question names: their fields, stage, page, budget, overview.

Each builder takes the clusters (already found and filtered) and returns a `Part`: title,
lead, sections, the sources it relies on and the facts it states. `region_answer` wraps a
part into an `Answer` with the notes on how the question was read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.engine import messages as M
from bot.engine.answer import FACT, Answer, Intent, MapView, Msg, Ref, Section
from bot.engine.citations import citations
from bot.engine.facts.contact import contact_fact_part, contact_part, shared_year
from bot.engine.facts.general import faq_facts, faq_section
from bot.engine.facts.geography import location_as_of, location_part
from bot.engine.facts.library import (
    Library,
    cluster_ref,
    field_refs,
    section_heading,
    stage_phrase,
    subject,
)
from bot.engine.facts.overview import overview_part
from bot.engine.facts.part import Part
from bot.engine.text import Text
from bot.kb.model import Cluster


def _fields_lines(cluster: Cluster, asked: Sequence[str]) -> list[Msg]:
    """A cluster's key fields (emoji and full name: they are what was asked), then the
    verdict on each field asked about ("does Kyoto do IT?"), the verdict first: it is the
    answer."""
    verdicts = [
        (M.FIELD_INCLUDED if f in cluster.fields else M.FIELD_NOT_LISTED)(field=Ref("field", f))
        for f in asked
    ]
    return [*verdicts, M.FIELDS_NAMED(fields=field_refs(cluster.fields))]


def fields_part(lib: Library, clusters: Sequence[Cluster], asked: Sequence[str]) -> Part:
    if len(clusters) == 1:
        only = clusters[0]
        sections: tuple[Section, ...] = ()
        lines = _fields_lines(only, asked)
        line: Msg | None = lines[0] if len(lines) == 1 else None
        summary: Msg | None = M.FIELDS_SUMMARY_ONE(line=line) if line is not None else None
        if line is None:  # a verdict and the fields: each on its own line
            sections = (Section(None, tuple(lines), only.fields, only.id),)
    else:
        line, summary = None, None
        sections = tuple(
            Section(
                section_heading(lib, c, clusters),
                tuple(_fields_lines(c, asked)),
                c.fields,
                c.id,
            )
            for c in clusters
        )
    return Part(
        title=M.FIELDS_TITLE(clusters=subject(clusters, lib)),
        summary=summary,
        sections=sections,
        sources=tuple(c.source for c in clusters),
        facts=lib.facts(clusters, "fields"),
        fact=(M.CARD_FIELDS(), line) if line is not None else None,
    )


def stage_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    if len(clusters) == 1:
        only = clusters[0]
        fact: tuple[Msg, Msg] | None = (M.CARD_STAGE(), stage_phrase(lib, only))
        summary: Msg | None = M.STAGE_SUMMARY_ONE(phrase=stage_phrase(lib, only))
        sections: tuple[Section, ...] = ()
    else:
        # Each heading names the stage and status; the line adds when the stage started.
        summary, fact = None, None
        sections = tuple(
            Section(
                lib.headings[c.id],
                _started(lib, c),
                c.fields,
                c.id,
            )
            for c in clusters
        )
    stage_sources = [lib.kb.stages[c.stage].source for c in clusters]
    return Part(
        title=M.STAGE_TITLE(clusters=subject(clusters)),  # the stage is the answer
        summary=summary,
        sections=sections,
        sources=(*(c.source for c in clusters), *(s for s in stage_sources if s)),
        facts=lib.facts(clusters, "stage", "status"),
        fact=fact,
    )


def _started(lib: Library, cluster: Cluster) -> tuple[Msg, ...]:
    stage = lib.kb.stages[cluster.stage]
    if not stage.started:
        return ()
    return (M.STAGE_STARTED(stage=Ref("stage", stage.id), year=stage.started),)


def page_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    sections: tuple[Section, ...] = ()
    summary: Msg | None = None
    fact: tuple[Msg, Msg] | None = None
    if len(clusters) == 1:
        only = clusters[0]
        if only.page is not None:
            summary = M.PAGE_SUMMARY_ONE(page=only.page)
            fact = (M.CARD_PAGE(), M.CARD_PAGE_VALUE(page=only.page))
        else:
            summary = M.PAGE_SUMMARY_ONE_NONE(cluster=cluster_ref(only))
            fact = (M.CARD_PAGE(), M.PAGE_LINE_NONE())
    elif any(c.page is not None for c in clusters):
        sections = tuple(
            Section(
                section_heading(lib, c, clusters),
                (M.PAGE_LINE(page=c.page) if c.page is not None else M.PAGE_LINE_NONE(),),
                c.fields,
                c.id,
            )
            for c in clusters
        )
    else:
        summary = M.PAGE_SUMMARY_MANY_NONE()
    return Part(
        title=M.PAGE_TITLE(clusters=subject(clusters, lib)),
        summary=summary,
        sections=sections,
        sources=tuple(c.source for c in clusters),
        facts=lib.facts(clusters, "page"),
        fact=fact,
        # "which page is Kyoto on?": the contents print no page for it, so none is stated.
        answered=any(c.page is not None for c in clusters),
    )


def budget_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    """The sources give no budget per cluster: the programme's figures, said to be so."""
    entries = lib.faq_with_role("budget")
    names = subject(clusters, lib)
    return Part(
        title=M.BUDGET_TITLE(clusters=names),
        summary=M.BUDGET_SUMMARY(clusters=names),
        sections=tuple(faq_section(e) for e in entries),
        sources=tuple(ref for e in entries for ref in e.sources),
        extra_matches=tuple(e.id for e in entries),
        facts=faq_facts(entries),
        answered=False,  # the programme's figures stand in for the cluster's
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
    by_cluster: dict[tuple, Section] = {}
    others: list[Section] = []
    for part in parts:
        for section in part.sections:
            if section.cluster_id is None:
                if section not in others:
                    others.append(section)
                continue
            # A card's facts stay apart (each is its own labelled fact).
            key = (section.cluster_id, section.heading if section.style == FACT else None)
            seen = by_cluster.get(key)
            if seen is None:
                by_cluster[key] = section
            else:
                lines = (*seen.lines, *(line for line in section.lines if line not in seen.lines))
                by_cluster[key] = replace(seen, lines=lines)
    return (*by_cluster.values(), *others)


def topic_sections(intents: Sequence[Intent], parts: Sequence[Part]) -> tuple[Section, ...]:
    """Several things asked of one cluster ("fields and page of Ube"): each part's lead as
    a labelled fact, so the answers do not run together in one paragraph; a one-fact
    part's sentences under its topic."""
    sections = []
    for intent, part in zip(intents, parts, strict=True):
        if part.one_fact:
            label = M.STEP_TOPIC(topic=M.TOPICS[intent.value]())
            said = (part.title, *([part.summary] if part.summary else ()))
            lines = (*said, *(line for section in part.sections for line in section.lines))
            sections.append(Section(label, lines, style=FACT))
        elif part.fact is not None:
            label, value = part.fact
            sections.append(Section(label, (value,), style=FACT))
        elif part.summary is not None:
            label = M.STEP_TOPIC(topic=M.TOPICS[intent.value]())
            sections.append(Section(label, (part.summary,), style=FACT))
    return tuple(sections)


def region_answer(
    lib: Library,
    intent: Intent | Sequence[Intent],
    clusters: Sequence[Cluster],
    query: Text,
    *,
    rule: str,
    confidence: float,
    notes: Sequence[Msg] = (),
    asked_fields: Sequence[str] = (),
    details: Sequence[str] = (),
    each: bool = False,
) -> Answer:
    """One answer about the clusters for every intent asked ("fields and page of Ube");
    `details` are the contact details asked (the telephone number, the core organization).
    With `each`, the clusters were asked of one by one (those of an area), not found by a
    place's name: none stands for another that shares its place."""
    intents = (intent,) if isinstance(intent, Intent) else tuple(dict.fromkeys(intent))
    parts = [_part(lib, i, clusters, asked_fields, details, each) for i in intents]
    one_fact = len(parts) == 1 and parts[0].one_fact
    if len(parts) > 1:
        lead: list[Msg] = []
        carded = [part for part in parts if not part.one_fact]
        sections = (*topic_sections(intents, parts), *merged_sections(carded))
    else:
        lead = [part.summary for part in parts if part.summary is not None]
        sections = merged_sections(parts)
    if len(clusters) > 1 and not one_fact and not each:  # the card says whose place
        shared = shared_place_note(lib, clusters)
        if shared is not None:
            lead.insert(0, shared)
    facts = tuple(fact for part in parts for fact in part.facts)
    if len(parts) == 1:
        title = parts[0].title
    else:  # "GIFU/OGAKI: page in the 2008 edition and contact details", named once
        topics = tuple(M.TOPICS[i.value]() for i in intents)
        title = M.TOPICS_TITLE(clusters=subject(clusters, lib), topics=topics)
    extra = [m for part in parts for m in part.extra_matches]
    return Answer(
        question=query.cleaned,
        answered=all(part.answered for part in parts),
        intent=intents[0],
        rule=rule,
        title=title,
        summary=tuple(lead),
        notes=tuple(notes),
        sections=sections,
        matches=tuple(dict.fromkeys((*(c.id for c in clusters), *extra))),
        citations=citations(s for part in parts for s in part.sources),
        facts=facts,
        confidence=round(confidence, 3),
        # Every region answer rests on the 2008 edition's contents; facts from other
        # sources (a 2004 contact) carry their own dates, and then no single date is shown.
        as_of=_as_of(lib, intents[0], facts),
        map=MapView(tuple(c.id for c in clusters)) if Intent.LOCATION in intents else None,
        one_fact=one_fact,
        reading=(
            M.TOPICS_TITLE(
                clusters=subject(clusters, lib),
                topics=tuple(M.CONTACT_DETAILS[d]() for d in dict.fromkeys(details)),
            )
            if one_fact
            else None
        ),
    )


def _part(
    lib: Library,
    intent: Intent,
    clusters: Sequence[Cluster],
    asked_fields: Sequence[str],
    details: Sequence[str],
    each: bool,
) -> Part:
    """What one intent says of the clusters: a contact detail asked is that fact alone."""
    if intent is not Intent.CONTACT:
        return PARTS[intent](lib, clusters, asked_fields)
    if details:
        return contact_fact_part(lib, clusters, details, each=each)
    return contact_part(lib, clusters, asked_fields)


def _as_of(lib: Library, intent: Intent, facts) -> Msg | None:
    """The date of the answer's dated facts when they share one: a location is its data
    sets' version; the rest rests on the 2008 edition's contents unless its facts (a 2004
    contact) carry other dates, which they then say themselves."""
    if intent is Intent.LOCATION:
        return location_as_of(lib)
    if intent is Intent.CONTACT:
        # A contact's date goes in the footer only when every fact has it: an undated web
        # page beside a 2010 programme office must not read "as of 2010".
        year = shared_year(facts)
        return lib.as_of_year(year) if year else None
    return lib.as_of(facts) if facts else M.AS_OF_EDITION()


def budget_of_a_set(
    lib: Library, query: Text, clusters: Sequence[Cluster], described: Msg, *, rule: str
) -> Answer:
    """ "what was the budget of the ended clusters?": the sources give none per cluster, so
    the programme's figures, said to be the programme's (not the asked fact: unanswered)."""
    entries = lib.faq_with_role("budget")
    return Answer(
        question=query.cleaned,
        answered=False,
        intent=Intent.BUDGET,
        rule=rule,
        title=M.BUDGET_SET_TITLE(set=described),
        summary=(M.BUDGET_SET_SUMMARY(set=described),),
        sections=tuple(faq_section(e) for e in entries),
        matches=tuple(e.id for e in entries),
        citations=citations([ref for e in entries for ref in e.sources]),
        facts=faq_facts(entries),
        confidence=1.0,
    )
