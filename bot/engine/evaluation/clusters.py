"""Questions that name clusters: which facts they ask, and which of the named clusters they
mean (earned stage/status filters, fields that name a cluster, places within others)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Msg, Ref
from bot.engine.evaluation.premises import claim_verdict, number_verdict, other_fields_verdict
from bot.engine.facts.library import Library, distinct_names, field_refs
from bot.engine.facts.programme import fate_note
from bot.engine.facts.region import region_answer
from bot.engine.reading.query import Mode, Query, When
from bot.kb.model import Cluster

# Region intents in the order they are answered when a question signals several.
REGION_INTENTS = (
    Intent.PAGE,
    Intent.CONTACT,
    Intent.BUDGET,
    Intent.FIELDS,
    Intent.STAGE,
    Intent.LOCATION,
    Intent.REGION,
)


def region_intents(query: Query) -> tuple[Intent, ...]:
    """Every fact asked about the clusters, in the order they are answered; an overview
    when none is named (or when two clusters are compared)."""
    wanted = set(query.cues)
    clusters = query.clusters
    if clusters.fields.fields and not clusters.described_by_fields:
        wanted.add(Intent.FIELDS.value)
    asked_of_it = wanted & {i.value for i in REGION_INTENTS} or query.asked.missing
    if clusters.names.via_organization and not asked_of_it:
        # "NOASTEC?": an organization named alone is asked for; "how many people work at
        # NOASTEC" asks something else of it.
        wanted.add(Intent.CONTACT.value)
    if query.asked.status:
        wanted.add(Intent.STAGE.value)
    if Intent.MAP.value in wanted:
        wanted.add(Intent.LOCATION.value)  # "ube on a map": where it is, with the map
    if "compare" in wanted or "same" in wanted:
        return (Intent.REGION,)
    return tuple(i for i in REGION_INTENTS if i.value in wanted) or (Intent.REGION,)


def region_intent(query: Query) -> Intent:
    return region_intents(query)[0]


def filtered(
    clusters: Sequence[Cluster], stage: str | None, status: str | None
) -> tuple[list[Cluster], list[Msg]]:
    """The clusters of the stage and status asked for, with a note saying the filter was
    applied; all of them, with a note saying so, when none matches."""
    if stage is None and status is None:
        return list(clusters), []
    kept = [
        c
        for c in clusters
        if (stage is None or c.stage == stage) and (status is None or c.status == status)
    ]
    if kept:
        if stage and status:
            note = M.NOTE_ONLY_STAGE_STATUS(stage=Ref("stage", stage), status=Ref("status", status))
        elif stage:
            note = M.NOTE_ONLY_STAGE(stage=Ref("stage", stage))
        else:
            note = M.NOTE_ONLY_STATUS(status=Ref("status", status))
        return kept, [note]
    names = distinct_names(clusters)
    if stage and status:
        note = M.NOTE_NO_MATCH_BOTH(
            clusters=names, stage=Ref("stage", stage), status=Ref("status", status)
        )
    elif stage:
        note = M.NOTE_NO_MATCH_STAGE(clusters=names, stage=Ref("stage", stage))
    else:
        note = M.NOTE_NO_MATCH_STATUS(clusters=names, status=Ref("status", status))
    return list(clusters), [note]


def described_clusters(clusters: Sequence[Cluster], fields: Sequence[str]) -> list[Cluster]:
    """ "the Sapporo IT cluster": of a place's clusters, the one the contents list with
    exactly those fields ("SAPPORO (IT)"), else those listing all of them."""
    wanted = set(fields)
    exact = [c for c in clusters if set(c.fields) == wanted]
    if exact:
        return exact
    return [c for c in clusters if wanted <= set(c.fields)] or list(clusters)


def answer_region(
    lib: Library, query: Query, rule: str, intent: Intent | None = None, *, each: bool = False
) -> Answer:
    """The facts asked of the clusters the query names (`each`: as `region_answer`)."""
    asked = query.asked
    if "organization" in asked.details and "location" in asked.cues:
        # "where is the Aichi cluster's core organization based?": the organization's
        # address, not where the cluster is.
        details = (*asked.details, "address")
        query = replace(
            query, asked=replace(asked, cues=asked.cues - {"location"}, details=details)
        )
    wanted = query.clusters
    # "Kyoto was an IT cluster, wasn't it?": in a yes/no question the fields that seem to
    # name a cluster are a claim about it, checked like "does Kyoto do IT?".
    claimed_fields = query.is_yes_no and wanted.described_by_fields
    if claimed_fields:
        wanted = replace(wanted, described_by_fields=False)
        query = replace(query, clusters=wanted)
    intents = (intent,) if intent is not None else region_intents(query)
    clusters = [lib.kb.cluster(cid) for cid in wanted.named]
    notes: list[Msg] = []
    premise: Msg | None = None
    if wanted.described_by_fields:
        described = described_clusters(clusters, wanted.fields.fields)
        if not any(set(wanted.fields.fields) <= set(c.fields) for c in described):
            # "why did the tokushima nanotech cluster get more money?": said first.
            listed = tuple(dict.fromkeys(f for c in described for f in c.fields))
            premise = M.PREMISE_FIELDS_NOT_LISTED(
                clusters=distinct_names(described),
                fields=field_refs(wanted.fields.fields),
                listed=field_refs(listed),
            )
        clusters = described
    # "is the Fukuoka cluster done?" asks every cluster's stage and status; a command's option
    # ("/contact hamamatsu ended") filters.
    asked = query.asked.status and intent is None  # the stage or status is the question
    clusters, notes = filtered(
        clusters, None if asked else wanted.stage, None if asked else wanted.status
    )
    notes += [
        M.NOTE_READ_AS(typed=typed, target=label) for typed, label in wanted.names.fuzzy_spans
    ]
    notes += within_notes(lib, query, clusters)
    others = [fact for fact in query.asked.missing if fact != "budget_year"]
    notes += [M.MISSING[fact](clusters=distinct_names(clusters)) for fact in others]
    if query.time.when is When.NOW and Intent.STAGE in intents:
        # "is it still active?": the status as of the sources, and what became of them.
        note = fate_note(lib)
        if note is not None:
            notes.append(note)
    answer = region_answer(
        lib,
        intents,
        clusters,
        query.text,
        rule=rule,
        confidence=wanted.names.confidence,
        notes=notes,
        asked_fields=() if wanted.described_by_fields else wanted.fields.fields,
        details=query.asked.details,
        each=each,
    )
    verdict = claim_verdict(query, clusters) if asked else None
    if verdict == M.CLAIM_YES() and query.time.when is When.NOW:
        verdict = M.CLAIM_YES_THEN()  # the note below says what became of it since
    if verdict is None:
        verdict = other_fields_verdict(query, clusters)
    if verdict is None:
        verdict = number_verdict(lib, query, clusters)
    if verdict is not None:
        answer = replace(answer, summary=(verdict, *answer.summary))
    if premise is not None:
        answer = replace(answer, summary=(premise, *answer.summary))
    if "same" in query.cues and len(clusters) > 1:
        # "is Nagano/Ueda the same cluster as the Nagano Prefecture one?"
        answer = replace(
            answer, summary=(M.CLUSTERS_DISTINCT(count=len(clusters)), *answer.summary)
        )
    return answer


def asks_a_cluster_end(query: Query) -> bool:
    """ "when did the Hamamatsu cluster end?", "why did Kyoto end?": a date or a reason the
    sources give for no cluster; "did Kyoto end?" asks its status, answered as a region."""
    clusters = query.clusters
    if not clusters.named or query.is_yes_no:
        return False
    # "when was the Kanazawa cluster discontinued?": a status word as the predicate of a
    # wh question asks when it came about.
    became = query.asked.status and clusters.status is not None and query.mode is Mode.WH
    return became or "end" in query.cues or "reason" in query.asked.missing


def cluster_end(lib: Library, query: Query, rule: str) -> Answer:
    """Not the date or reason asked, which the sources lack, but what they do say: each
    cluster's status as of the sources, and what became of the programme."""
    plain = replace(query, asked=replace(query.asked, missing=()))
    answer = answer_region(lib, plain, rule, intent=Intent.STAGE)
    clusters = [lib.kb.cluster(cid) for cid in answer.matches] or [
        lib.kb.cluster(cid) for cid in query.clusters.named
    ]
    names = distinct_names(clusters)
    lead = [M.CLUSTER_END_MISSING(clusters=names)]
    if "reason" in query.asked.missing:
        lead = [M.MISSING["reason"](clusters=names)]
    notes = list(answer.notes)
    note = fate_note(lib)
    if note is not None and note not in notes:
        notes.append(note)
    return replace(
        answer,
        answered=False,
        intent=Intent.NOT_IN_SOURCES,
        summary=(*lead, *answer.summary),
        notes=tuple(notes),
    )


def within_notes(lib: Library, query: Query, clusters: Sequence[Cluster]) -> list[Msg]:
    """ "Sapporo is in Hokkaido": said when a cluster is shown for a place it lies in."""
    named = {label.id for label in query.clusters.names.labels if label.kind == "place"}
    notes = []
    for place_id in dict.fromkeys(p for c in clusters for p in c.places):
        link = lib.kb.places[place_id].within
        if link is not None and link.place in named and place_id not in named:
            notes.append(
                M.NOTE_WITHIN(place=Ref("place", place_id), within=Ref("place", link.place))
            )
    return notes
