"""Answers listing or counting clusters by stage, status and field, grouped as the 2008
edition groups them (latest stage first, then by status), cited to its contents."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import ITEMS, Answer, Intent, MapView, Msg, Ref, Section
from bot.engine.citations import citations
from bot.engine.facts.library import Library, Selection, cluster_ref, distinct_names, field_refs
from bot.engine.text import Text
from bot.kb.model import Cluster

# A count names its clusters when it finds this many or fewer; more would make it a list.
NAMED_IN_A_COUNT = 3


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
    lib: Library,
    clusters: Sequence[Cluster],
    highlight: Sequence[str] = (),
    stage: str | None = None,
    status: str | None = None,
    *,
    headless: bool = True,
) -> tuple[Msg | None, tuple[Section, ...]]:
    """The clusters grouped by stage and status, each group named by what the question left
    open (a stage asked for is in the title already). One group needs no heading: its count
    and what its clusters share lead the list. Returns that lead (None for several groups)
    and the sections."""
    groups: dict[tuple[str, str], list[Cluster]] = {}
    for cluster in lib.in_listing_order(clusters):
        groups.setdefault((cluster.stage, cluster.status), []).append(cluster)
    open_dims = (stage is None, status is None)
    sections = []
    for (group_stage, group_status), members in groups.items():
        lines = tuple(lib.listing_items[c.id] for c in members)
        fields = tuple(highlight) or lib.fields_of(members)
        if len(groups) == 1 and headless:
            return _one_group_lead(len(members), group_stage, group_status, open_dims), (
                Section(None, lines, fields, style=ITEMS),
            )
        label = _group_label(group_stage, group_status, open_dims)
        heading = M.LISTING_GROUP_HEADING(label=label, count=len(members))
        sections.append(Section(heading, lines, fields, style=ITEMS))
    return None, tuple(sections)


def grouped(
    lib: Library, clusters: Sequence[Cluster], highlight: Sequence[str] = ()
) -> tuple[Section, ...]:
    """The clusters in groups, each headed by its stage, status and count (inside a reply
    about something else: a page of the contents list)."""
    return listing_sections(lib, clusters, highlight, headless=False)[1]


def _params(stage: str, status: str, open_dims: tuple[bool, bool]) -> dict[str, Ref]:
    params = {}
    if open_dims[0]:
        params["stage"] = Ref("stage", stage)
    if open_dims[1]:
        params["status"] = Ref("status", status)
    return params


def _group_label(stage: str, status: str, open_dims: tuple[bool, bool]) -> Msg:
    # Several groups differ in a dimension left open, so at least one is.
    return M.LISTING_LABEL[open_dims](**_params(stage, status, open_dims))


def _one_group_lead(count: int, stage: str, status: str, open_dims: tuple[bool, bool]) -> Msg:
    if not any(open_dims):
        return M.LISTING_LEAD(count=count)
    return M.LISTING_LEAD_GROUP[open_dims](count=count, **_params(stage, status, open_dims))


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


def excluded_term_notes(stages: Sequence[str], statuses: Sequence[str]) -> tuple[Msg, ...]:
    """ "Leaving out the suspended clusters.": the stages and statuses a question negated
    where it names no one other."""
    notes = []
    if stages:
        notes.append(M.NOTE_STAGES_NOT(stages=tuple(Ref("stage", s) for s in stages)))
    if statuses:
        notes.append(M.NOTE_STATUSES_NOT(statuses=tuple(Ref("status", s) for s in statuses)))
    return tuple(notes)


def area_notes(areas: Sequence[Ref]) -> tuple[Msg, ...]:
    """ "In Kyūshū.": the regions or prefectures of Japan a listing was limited to."""
    return (M.NOTE_IN_AREAS(areas=tuple(areas)),) if areas else ()


def listing(
    lib: Library,
    query: Text,
    *,
    intent: Intent,
    rule: str,
    title: Msg,
    clusters: Sequence[Cluster],
    highlight: Sequence[str] = (),
    stage: str | None = None,
    notes: Sequence[Msg] = (),
    status: str | None = None,
    fields: Sequence[str] = (),
    items: bool = True,
    summary: Sequence[Msg] = (),
) -> Answer:
    """An answer listing clusters (or only counting them: `items` false), grouped by stage
    and status, cited to the contents sections they are listed in (the contents list itself
    when none is listed); its clusters can be shown on the map."""
    refs = lib.sources_of(clusters) or list(lib.contents)
    if stage and lib.kb.stages[stage].source:
        refs.append(lib.kb.stages[stage].source)
    sections: tuple[Section, ...] = ()
    if not clusters:
        # The title names the set (a count's title says "No cluster …" itself).
        summary = (M.LISTING_NONE(),) if items else ()
        of_fields = [c for c in lib.kb.clusters if set(fields) <= set(c.fields)] if stage else []
        if fields and of_fields and items:
            stages = tuple(Ref("stage", s) for s in dict.fromkeys(c.stage for c in of_fields))
            summary = (
                *summary,
                M.LISTING_NONE_FIELD_STAGES(
                    fields=field_refs(fields),
                    count=len(of_fields),
                    clusters=distinct_names(of_fields),
                    stages=stages,
                ),
            )
        of_stage = [c for c in lib.kb.clusters if c.stage == stage] if stage and status else []
        if of_stage and not fields:
            statuses = tuple(Ref("status", s) for s in dict.fromkeys(c.status for c in of_stage))
            summary = (
                *summary,
                M.LISTING_NONE_STAGE_STATUSES(
                    stage=Ref("stage", stage), count=len(of_stage), statuses=statuses
                ),
            )
    elif items:
        lead, sections = listing_sections(lib, clusters, highlight, stage, status)
        summary = (lead or M.LISTING_LEAD(count=len(clusters)),)
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=intent,
        rule=rule,
        title=title,
        summary=tuple(summary),
        notes=tuple(notes),
        sections=sections,
        matches=tuple(c.id for c in clusters),
        citations=citations(refs),
        facts=lib.listed_facts(clusters),
        confidence=1.0,
        as_of=M.AS_OF_EDITION(),
        map=MapView(tuple(c.id for c in clusters), stage, status, tuple(highlight)),
    )


def by_field(lib: Library, query: Text, selection: Selection, *, rule: str) -> Answer:
    """The clusters `selection` describes, titled by its fields (or, with none, by its
    stage, status or areas), with a note for each constraint beyond them."""
    clusters = lib.select(selection)
    stage, status, fields = selection.stage, selection.status, selection.fields
    if fields or selection.excluded:
        key = (stage is not None, status is not None)
        params = _params(stage or "", status or "", key)
        titles = M.BY_FIELD_TITLE if fields else M.BY_FIELD_EXCLUDED_TITLE
        title = titles[key](fields=field_refs(fields or selection.excluded), **params)
    else:
        title = _stage_title(stage, status, selection.areas)
    return listing(
        lib,
        query,
        intent=Intent.BY_FIELD,
        rule=rule,
        title=title,
        clusters=clusters,
        highlight=fields,
        stage=stage,
        notes=selection_notes(selection),
        status=status,
        fields=fields if selection.mode == "any" else (),
    )


def selection_notes(selection: Selection) -> tuple[Msg, ...]:
    """What a listing or count says of its constraints beyond its title: the areas, the
    fields' mode and exclusions, the stages and statuses left out."""
    return (
        *area_notes(selection.areas),
        *field_notes(selection.fields, selection.mode, selection.excluded, selection.field_count),
        *excluded_term_notes(selection.excluded_stages, selection.excluded_statuses),
    )


def _stage_title(stage: str | None, status: str | None, areas: Sequence[Ref] = ()) -> Msg:
    stage_ref = Ref("stage", stage) if stage else None
    status_ref = Ref("status", status) if status else None
    if stage_ref and status_ref:
        return M.BY_STAGE_TITLE_STATUS(stage=stage_ref, status=status_ref)
    if stage_ref:
        return M.BY_STAGE_TITLE(stage=stage_ref)
    if status_ref:
        return M.BY_STAGE_TITLE_ALL_STATUS(status=status_ref)
    if areas:
        return M.BY_AREA_TITLE(areas=tuple(areas))
    return M.BY_STAGE_TITLE_ALL()


def by_stage(lib: Library, query: Text, selection: Selection, *, rule: str) -> Answer:
    """The clusters of a stage and status (either may be any), within the selection's
    areas and without the stages and statuses it leaves out."""
    stage, status = selection.stage, selection.status
    return listing(
        lib,
        query,
        intent=Intent.BY_STAGE,
        rule=rule,
        title=_stage_title(stage, status, selection.areas),
        clusters=lib.select(selection),
        stage=stage,
        status=status,
        notes=selection_notes(selection),
    )


def count(lib: Library, query: Text, selection: Selection, *, rule: str) -> Answer:
    """The number is the title; the lead breaks it down by stage and status when the
    clusters fall in several groups, and names them when they are a few (more are one
    click away: the menu of clusters, the map)."""
    clusters = lib.select(selection)
    stage, status, fields = selection.stage, selection.status, selection.fields
    shown = fields if selection.mode == "any" else ()
    groups: dict[tuple[str, str], int] = {}
    for cluster in lib.in_listing_order(clusters):
        key = (cluster.stage, cluster.status)
        groups[key] = groups.get(key, 0) + 1
    open_dims = (stage is None, status is None)
    summary: tuple[Msg, ...] = ()
    if 0 < len(clusters) <= NAMED_IN_A_COUNT:  # named, each with its group when they differ
        summary = (
            M.COUNT_NAMES(
                clusters=tuple(
                    M.COUNT_NAMED_IN_GROUP(
                        cluster=cluster_ref(c),
                        label=_group_label(c.stage, c.status, open_dims),
                    )
                    if len(groups) > 1
                    else M.COUNT_NAMED(cluster=cluster_ref(c))
                    for c in lib.in_listing_order(clusters)
                )
            ),
        )
    elif len(groups) > 1:
        by_stage: dict[str, dict[str, int]] = {}
        for (s, t), n in groups.items():
            by_stage.setdefault(s, {})[t] = n
        if stage is None and status is None and len(by_stage) < len(groups):
            # "how many clusters in each stage?": each stage's total, then its statuses
            # ("First Stage: 18 (active: 7 · ended: 11)")
            summary = (
                M.COUNT_GROUPS(
                    groups=tuple(
                        M.COUNT_GROUP_SPLIT(
                            count=sum(by_status.values()),
                            label=_group_label(s, "", (True, False)),
                            parts=tuple(
                                M.COUNT_GROUP(count=n, label=_group_label("", t, (False, True)))
                                for t, n in by_status.items()
                            ),
                        )
                        if len(by_status) > 1
                        else M.COUNT_GROUP(
                            count=sum(by_status.values()),
                            label=_group_label(s, next(iter(by_status)), open_dims),
                        )
                        for s, by_status in by_stage.items()
                    )
                ),
            )
        else:
            summary = (
                M.COUNT_GROUPS(
                    groups=tuple(
                        M.COUNT_GROUP(count=n, label=_group_label(s, t, open_dims))
                        for (s, t), n in groups.items()
                    )
                ),
            )
    return listing(
        lib,
        query,
        intent=Intent.COUNT,
        rule=rule,
        title=M.COUNT_TITLE(clusters=described(clusters, stage, status, shown)),
        clusters=clusters,
        highlight=fields,
        stage=stage,
        notes=selection_notes(selection),
        status=status,
        fields=shown,
        items=False,
        summary=summary,
    )


def key_fields(lib: Library, query: Text, *, rule: str) -> Answer:
    """The key fields fields.yaml names, each with how many clusters work in it: "what are
    the key fields?" asked of a knowledge base whose FAQ has no entry for it."""
    counts = dict.fromkeys(lib.kb.fields, 0)
    for cluster in lib.kb.clusters:
        for field in cluster.fields:
            counts[field] += 1
    lines = tuple(M.KEY_FIELDS_ITEM(field=Ref("field", f), count=n) for f, n in counts.items())
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=Intent.BY_FIELD,
        rule=rule,
        title=M.KEY_FIELDS_TITLE(),
        summary=(M.KEY_FIELDS(count=len(counts)),),
        sections=(Section(None, lines, style=ITEMS),),
        citations=citations([lib.kb.fields_source, lib.kb.contents_source]),
        confidence=1.0,
        as_of=M.AS_OF_EDITION(),
    )
