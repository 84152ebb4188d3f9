"""A region's core organization and contact details, and the programme office as fallback.

Only what a source gives is stated; a missing telephone number is said to be missing.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import Fact, Msg, Ref, Section
from bot.engine.citations import citation
from bot.engine.facts.library import Library, cluster_ref, subject
from bot.engine.facts.part import Part
from bot.kb.model import Cluster, Organization, SourceRef


def organization_lines(org: Organization, year: str | None = None) -> tuple[Msg, ...]:
    """An organization's contact card (its name is the heading): other name, office,
    address, telephone and fax on one line; what is missing said once (a note that says
    it already is not said again); `year`, the date of its contact details, when the
    reply's footer cannot carry it."""
    ref = Ref("organization", org.id)
    lines = []
    if org.name_ja and org.name_ja != org.name:
        lines.append(M.ORG_OTHER_NAME(organization=ref))
    if org.office:
        lines.append(M.ORG_OFFICE(office=org.office))
    if org.address:
        lines.append(M.ORG_ADDRESS(address=org.address))
    if org.tel and org.fax:
        lines.append(M.ORG_TEL_FAX(tel=org.tel, fax=org.fax))
    elif org.tel:
        lines.append(M.ORG_TEL(tel=org.tel))
    elif org.fax:
        lines.append(M.ORG_FAX(fax=org.fax))
    if org.note:
        lines.append(M.ORG_NOTE(organization=ref))
    elif not org.tel:
        lines.append(M.ORG_NO_TEL() if org.address else M.ORG_NO_CONTACT())
    if year:
        lines.append(M.ORG_AS_OF(year=year))
    return tuple(lines)


def shared_year(facts: Sequence[Fact]) -> str | None:
    """The year every fact is dated by, if they all are and by the same one."""
    years = {fact.as_of for fact in facts}
    return next(iter(years)) if len(years) == 1 else None


def organization_facts(org: Organization, lib: Library) -> tuple[Fact, ...]:
    """The contact details of an organization, each cited to the source they come from and
    dated by its document (a fact is dated by its source)."""
    if org.contact_source is None:
        return ()
    source = citation(org.contact_source)
    year = lib.dated(org.contact_source)
    ref = Ref("organization", org.id)
    return tuple(
        Fact(ref, name, value, source, year)
        for name, value in (
            ("office", org.office),
            ("address", org.address),
            ("tel", org.tel),
            ("fax", org.fax),
        )
        if value
    )


def contact_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    """One card per organization (its name heads it), then the programme office for the
    clusters the sources give no contact for, said once in the lead."""
    sources: list[SourceRef] = []
    extra: list[str] = []
    facts: list[Fact] = []
    without: list[Cluster] = []
    by_org: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        if cluster.organization is None:
            without.append(cluster)
            continue
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
    office = lib.programme_office() if without else None
    shown = [lib.kb.organizations[org_id] for org_id in by_org]
    if office is not None:
        shown.append(office)
    for org in shown:
        sources.extend(org.sources)
        extra.append(org.id)
        facts.extend(organization_facts(org, lib))
    # The footer carries the date when every fact shares it; else each card says its own.
    dated = shared_year(facts) is None

    def card_year(org: Organization) -> str | None:
        return lib.dated(org.contact_source) if dated else None

    sections: list[Section] = []
    for org_id, members in by_org.items():
        org = lib.kb.organizations[org_id]
        lines = organization_lines(org, card_year(org))
        if len(shown) > 1:  # several cards: each says whose it is
            lines = (M.CONTACT_ORG_OF(clusters=tuple(cluster_ref(c) for c in members)), *lines)
        sections.append(Section(M.ORG_NAME(organization=Ref("organization", org_id)), lines))
    if office is not None:
        sections.append(
            Section(
                M.ORG_NAME(organization=Ref("organization", office.id)),
                organization_lines(office, card_year(office)),
            )
        )
    summary: Msg | None = None
    if without:
        # Among several clusters, each is told apart by its stage ("Sendai (First Stage)").
        missing = tuple(
            M.CLUSTER_IN_TEXT(cluster=cluster_ref(c), stage=Ref("stage", c.stage))
            if len(clusters) > 1
            else cluster_ref(c)
            for c in without
        )
        lead = M.CONTACT_SUMMARY_SOME if by_org else M.CONTACT_SUMMARY_NONE
        summary = lead(clusters=missing)
    return Part(
        title=M.CONTACT_TITLE(clusters=subject(clusters, lib)),
        summary=summary,
        sections=tuple(sections),
        sources=tuple(sources),
        extra_matches=tuple(extra),
        facts=tuple(facts),
    )
