"""A region's overview: one cluster as a card of facts, several as a block each.

A card states each fact once (stage, key fields, core organization, page); its places are
in its name, so they are not listed. Among several clusters, each block is headed by the
cluster (its stage alone when they share the name) and what they all share (one core
organization, or none) is said once, in the lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.engine import messages as M
from bot.engine.answer import FACT, Msg, Ref, Section
from bot.engine.facts.library import (
    Library,
    field_refs,
    section_heading,
    stage_phrase,
    subject,
)
from bot.engine.facts.part import Part
from bot.kb.model import Cluster


def _card(lib: Library, cluster: Cluster) -> tuple[Section, ...]:
    """One cluster at a glance: its stage, key fields, core organization and page, each
    once (its places are in its name, so they are not repeated)."""
    org = lib.kb.organization_of(cluster)
    facts = [
        Section(M.CARD_STAGE(), (stage_phrase(lib, cluster),), style=FACT),
        Section(
            M.CARD_FIELDS(),
            (M.FIELDS_LINE(fields=field_refs(cluster.fields)),),
            cluster.fields,
            style=FACT,
        ),
        Section(
            M.CARD_ORGANIZATION(),
            (
                M.TEXT(text=org.short_name or org.name)
                if org is not None
                else M.CARD_ORGANIZATION_NONE(),
            ),
            style=FACT,
        ),
    ]
    if cluster.page is not None:
        facts.append(Section(M.CARD_PAGE(), (M.CARD_PAGE_VALUE(page=cluster.page),), style=FACT))
    return tuple(replace(section, cluster_id=cluster.id) for section in facts)


def overview_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    sources = []
    for cluster in clusters:
        sources.append(cluster.source)
        if cluster.organization is not None:
            sources.append(cluster.organization.source)
    summary: Msg | None = None
    if len(clusters) == 1:
        sections = _card(lib, clusters[0])
    else:
        orgs = {c.organization.id if c.organization else None for c in clusters}
        shared = len(orgs) == 1  # said once, not once per cluster
        if shared:
            (org,) = orgs
            summary = (
                M.OVERVIEW_ORG_SHARED(organization=Ref("organization", org))
                if org is not None
                else M.OVERVIEW_ORG_NONE_ALL()
            )
        sections = tuple(_overview_section(lib, c, clusters, with_org=not shared) for c in clusters)
    return Part(
        title=M.OVERVIEW_TITLE(clusters=subject(clusters)),  # the card states the stage
        summary=summary,
        sections=sections,
        sources=tuple(sources),
        facts=lib.facts(clusters, "stage", "status", "fields", "page"),
    )


def _overview_section(
    lib: Library, cluster: Cluster, clusters: Sequence[Cluster], *, with_org: bool = True
) -> Section:
    """A cluster among several: the heading names it (and its stage and status), the lines
    say the rest once."""
    org = lib.kb.organization_of(cluster)
    lines = [M.FIELDS_LINE(fields=field_refs(cluster.fields))]
    if with_org:
        lines.append(
            M.OVERVIEW_ORG(organization=Ref("organization", org.id))
            if org is not None
            else M.OVERVIEW_ORG_NONE()
        )
    if cluster.page is not None:  # most clusters have none: not worth a line each
        lines.append(M.OVERVIEW_PAGE(page=cluster.page))
    return Section(
        section_heading(lib, cluster, clusters), tuple(lines), cluster.fields, cluster.id
    )
