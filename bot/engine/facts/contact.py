"""A region's core organization and contact details, and the programme office as fallback.

Only what a source gives is stated; a missing telephone number is said to be missing.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import Fact, Msg, Ref, Section
from bot.engine.citations import citation
from bot.engine.facts.library import Library, distinct_names
from bot.engine.facts.part import Part
from bot.kb.model import Cluster, Organization, SourceRef


def organization_lines(org: Organization) -> tuple[Msg, ...]:
    ref = Ref("organization", org.id)
    lines = [M.ORG_NAME(organization=ref)]
    if org.name_ja and org.name_ja != org.name:
        lines.append(M.ORG_OTHER_NAME(organization=ref))
    if org.office:
        lines.append(M.ORG_OFFICE(office=org.office))
    if org.address:
        lines.append(M.ORG_ADDRESS(address=org.address))
    if org.tel:
        lines.append(M.ORG_TEL(tel=org.tel))
    if org.fax:
        lines.append(M.ORG_FAX(fax=org.fax))
    if not org.tel:
        lines.append(M.ORG_NO_TEL())
    if org.note:
        lines.append(M.ORG_NOTE(organization=ref))
    if org.as_of:
        lines.append(M.ORG_AS_OF(year=org.as_of))
    return tuple(lines)


def organization_facts(org: Organization) -> tuple[Fact, ...]:
    """The contact details of an organization, each with the organization's first source."""
    if not org.sources:
        return ()
    source = citation(org.sources[0])
    ref = Ref("organization", org.id)
    return tuple(
        Fact(ref, name, value, source, org.as_of)
        for name, value in (
            ("office", org.office),
            ("address", org.address),
            ("tel", org.tel),
            ("fax", org.fax),
        )
        if value
    )


def _dated_heading(lib: Library, cluster: Cluster) -> Msg:
    """A cluster's heading with the year of the source that names its core organization."""
    year = lib.dated(cluster.organization.source) if cluster.organization else None
    heading = lib.headings[cluster.id]
    return M.DATED(item=heading, year=year) if year else heading


def contact_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    sections: list[Section] = []
    sources: list[SourceRef] = []
    extra: list[str] = []
    facts: list[Fact] = []
    without: list[Cluster] = []
    by_org: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        if cluster.organization is None:
            without.append(cluster)
        else:
            by_org.setdefault(cluster.organization.id, []).append(cluster)
            sources.append(cluster.organization.source)
            facts.append(
                Fact(
                    Ref("cluster", cluster.id),
                    "organization",
                    Ref("organization", cluster.organization.id),
                    citation(cluster.organization.source),
                    lib.dated(cluster.organization.source),
                )
            )
    for org_id, members in by_org.items():
        org = lib.kb.organizations[org_id]
        title = M.CONTACT_ORG_HEADING(clusters=tuple(_dated_heading(lib, c) for c in members))
        sections.append(Section(title, organization_lines(org)))
        sources.extend(org.sources)
        extra.append(org.id)
        facts.extend(organization_facts(org))
    for cluster in without:
        none = (M.CONTACT_NONE_FOR_CLUSTER(),)
        sections.append(Section(lib.headings[cluster.id], none, (), cluster.id))
    if without:
        office = lib.programme_office()
        if office is not None:
            sections.append(Section(M.CONTACT_PROGRAMME_OFFICE(), organization_lines(office)))
            sources.extend(office.sources)
            extra.append(office.id)
            facts.extend(organization_facts(office))
    names = distinct_names(clusters)
    if by_org and not without:
        summary = M.CONTACT_SUMMARY_ALL()
    elif by_org:
        summary = M.CONTACT_SUMMARY_SOME()
    else:
        summary = M.CONTACT_SUMMARY_NONE(clusters=names)
    return Part(
        title=M.CONTACT_TITLE(clusters=names),
        summary=summary,
        sections=tuple(sections),
        sources=tuple(sources),
        extra_matches=tuple(extra),
        facts=tuple(facts),
    )
