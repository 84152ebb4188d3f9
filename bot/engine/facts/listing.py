"""Answers listing or counting clusters by stage, status and field, grouped as the 2008
edition groups them (latest stage first, then by status), cited to its contents."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, MapView, Msg, Ref, Section
from bot.engine.citations import citations
from bot.engine.facts.library import Library, field_refs
from bot.engine.text import Query
from bot.kb.model import Cluster


def described(
    clusters: Sequence[Cluster],
    stage: str | None,
    status: str | None,
    fields: Sequence[str] = (),
    *,
    counted: bool = True,
) -> Msg:
    """The set of clusters as one phrase ("3 active clusters in the First Stage working in
    Environment", or "no cluster ..."): one message per combination of filters."""
    key = (stage is not None, status is not None, bool(fields))
    params: dict = {}
    if stage is not None:
        params["stage"] = Ref("stage", stage)
    if status is not None:
        params["status"] = Ref("status", status)
    if fields:
        params["fields"] = field_refs(fields)
    if counted and clusters:
        return M.CLUSTER_SET[key](count=len(clusters), **params)
    return M.CLUSTER_SET_EMPTY[key](**params)


def listing_sections(
    lib: Library, clusters: Sequence[Cluster], highlight: Sequence[str] = ()
) -> tuple[Section, ...]:
    groups: dict[tuple[str, str], list[Cluster]] = {}
    for cluster in lib.in_listing_order(clusters):
        groups.setdefault((cluster.stage, cluster.status), []).append(cluster)
    sections = []
    for (stage, status), members in groups.items():
        title = M.LISTING_GROUP(
            stage=Ref("stage", stage), status=Ref("status", status), count=len(members)
        )
        lines = tuple(lib.listing_items[c.id] for c in members)
        fields = tuple(highlight) or tuple(dict.fromkeys(f for c in members for f in c.fields))
        sections.append(Section(title, lines, fields))
    return tuple(sections)


def field_notes(
    fields: Sequence[str], mode: str, excluded: Sequence[str], field_count: int | None = None
) -> tuple[Msg, ...]:
    """The field filters beyond "any of these", each said in a note."""
    notes = []
    if field_count is not None:
        notes.append(M.NOTE_FIELD_COUNT(count=field_count))
    if fields and mode == "all":
        notes.append(M.NOTE_FIELDS_ALL(fields=field_refs(fields)))
    elif fields and mode == "only":
        notes.append(M.NOTE_FIELDS_ONLY(fields=field_refs(fields)))
    if excluded:
        notes.append(M.NOTE_FIELDS_NOT(fields=field_refs(excluded)))
    return tuple(notes)


def listing(
    lib: Library,
    query: Query,
    *,
    intent: Intent,
    rule: str,
    title: Msg,
    summary: Msg,
    clusters: Sequence[Cluster],
    highlight: Sequence[str] = (),
    stage: str | None = None,
    notes: Sequence[Msg] = (),
    status: str | None = None,
) -> Answer:
    """An answer listing clusters, grouped by stage and status, cited to the contents
    sections they are listed in (the contents list itself when none is listed); its
    clusters can be shown on the map."""
    refs = list(dict.fromkeys(c.source for c in clusters)) or list(lib.contents)
    if stage and lib.kb.stages[stage].source:
        refs.append(lib.kb.stages[stage].source)
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=intent,
        rule=rule,
        title=title,
        summary=(summary,),
        notes=tuple(notes),
        sections=listing_sections(lib, clusters, highlight),
        matches=tuple(c.id for c in clusters),
        citations=citations(refs),
        facts=lib.facts(clusters, "stage", "status", "fields"),
        confidence=1.0,
        as_of=M.AS_OF_2008(),
        map=MapView(tuple(c.id for c in clusters), stage, status, tuple(highlight)),
    )


def by_field(
    lib: Library,
    query: Query,
    fields: Sequence[str],
    stage,
    status,
    *,
    rule: str,
    mode: str = "any",
    excluded: Sequence[str] = (),
    field_count: int | None = None,
) -> Answer:
    clusters = lib.select(stage, status, fields, mode, excluded, field_count)
    phrase = described(clusters, stage, status, fields if mode == "any" else ())
    summary = M.BY_FIELD_SUMMARY(clusters=phrase) if clusters else M.LISTING_EMPTY(clusters=phrase)
    return listing(
        lib,
        query,
        intent=Intent.BY_FIELD,
        rule=rule,
        title=M.BY_FIELD_TITLE(fields=field_refs(fields or excluded))
        if fields or excluded
        else M.BY_STAGE_TITLE_ALL(),
        summary=summary,
        clusters=clusters,
        highlight=fields,
        stage=stage,
        notes=field_notes(fields, mode, excluded, field_count),
        status=status,
    )


def by_stage(lib: Library, query: Query, stage, status, *, rule: str) -> Answer:
    clusters = lib.select(stage, status)
    phrase = described(clusters, stage, status)
    summary = M.BY_STAGE_SUMMARY(clusters=phrase) if clusters else M.LISTING_EMPTY(clusters=phrase)
    stage_ref = Ref("stage", stage) if stage else None
    status_ref = Ref("status", status) if status else None
    if stage_ref and status_ref:
        title = M.BY_STAGE_TITLE_STATUS(stage=stage_ref, status=status_ref)
    elif stage_ref:
        title = M.BY_STAGE_TITLE(stage=stage_ref)
    elif status_ref:
        title = M.BY_STAGE_TITLE_ALL_STATUS(status=status_ref)
    else:
        title = M.BY_STAGE_TITLE_ALL()
    return listing(
        lib,
        query,
        intent=Intent.BY_STAGE,
        rule=rule,
        title=title,
        summary=summary,
        clusters=clusters,
        stage=stage,
        status=status,
    )


def count(
    lib: Library,
    query: Query,
    stage,
    status,
    fields: Sequence[str],
    *,
    rule: str,
    mode: str = "any",
    excluded: Sequence[str] = (),
    field_count: int | None = None,
) -> Answer:
    clusters = lib.select(stage, status, fields, mode, excluded, field_count)
    shown = fields if mode == "any" else ()
    if not clusters:
        summary = M.LISTING_EMPTY(clusters=described(clusters, stage, status, shown))
    elif stage or status or fields or excluded or field_count is not None:
        summary = M.COUNT_SUMMARY(clusters=described(clusters, stage, status, shown))
    else:
        groups: dict[tuple[str, str], int] = {}
        for cluster in lib.in_listing_order(clusters):
            key = (cluster.stage, cluster.status)
            groups[key] = groups.get(key, 0) + 1
        summary = M.COUNT_SUMMARY_ALL(
            count=len(clusters),
            groups=tuple(
                M.COUNT_GROUP(count=n, stage=Ref("stage", s), status=Ref("status", t))
                for (s, t), n in groups.items()
            ),
        )
    return listing(
        lib,
        query,
        intent=Intent.COUNT,
        rule=rule,
        title=M.COUNT_TITLE(),
        summary=summary,
        clusters=clusters,
        highlight=fields,
        stage=stage,
        notes=field_notes(fields, mode, excluded, field_count),
        status=status,
    )
