"""A region's core organization and contact details, and the programme office as fallback.

Only what a source gives is stated; a missing telephone number is said to be missing.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import Answer, Fact, Intent, Msg, Ref, Section
from bot.engine.citations import citation, citations
from bot.engine.facts.library import Library, cluster_ref, subject
from bot.engine.facts.part import Part
from bot.engine.text import Text
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


def detail_of(org: Organization, detail: str) -> str | None:
    """One contact detail of an organization as its source gives it, or None. No source
    gives an e-mail address, so the knowledge base has none."""
    if detail == "organization":
        return org.name
    return getattr(org, detail, None) if detail in ("tel", "fax", "address") else None


def contact_part(
    lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str], details: Sequence[str] = ()
) -> Part:
    """One card per organization (its name heads it), then the programme office for the
    clusters the sources give no contact for, said once in the lead. A detail asked
    (`details`: tel, fax, address, email, organization) that none of the organizations has
    is said to be missing, and the part is then not an answer."""
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
    own = [lib.kb.organizations[org_id] for org_id in by_org]
    lacking = [d for d in details if own and not any(detail_of(org, d) for org in own)]
    if lacking:
        summary = M.CONTACT_DETAIL_MISSING(
            details=tuple(M.CONTACT_DETAILS[d]() for d in lacking),
            organizations=tuple(Ref("organization", org.id) for org in own),
        )
    return Part(
        title=M.CONTACT_TITLE(clusters=subject(clusters, lib)),
        summary=summary,
        sections=tuple(sections),
        sources=tuple(sources),
        extra_matches=tuple(extra),
        facts=tuple(facts),
        answered=bool(by_org) and not lacking,
    )


def organization_answer(
    lib: Library,
    text: Text,
    organization_ids: Sequence[str],
    details: Sequence[str],
    *,
    rule: str,
    lead: Sequence[Msg] = (),
) -> Answer:
    """The contact card of organizations named in the question ("MEXT's phone number"), or
    of the one running the programme; a detail asked that none of them has is said to be
    missing, and the answer is then not an answer."""
    orgs = [lib.kb.organizations[o] for o in organization_ids]
    lacking = [d for d in details if not any(detail_of(org, d) for org in orgs)]
    summary = list(lead)
    if lacking:
        summary.append(
            M.CONTACT_DETAIL_MISSING(
                details=tuple(M.CONTACT_DETAILS[d]() for d in lacking),
                organizations=tuple(Ref("organization", org.id) for org in orgs),
            )
        )
    facts = [fact for org in orgs for fact in organization_facts(org, lib)]
    year = shared_year(facts)
    return Answer(
        question=text.cleaned,
        answered=not lacking,
        intent=Intent.CONTACT,
        rule=rule,
        title=M.ORG_CONTACT_TITLE(organizations=tuple(Ref("organization", o.id) for o in orgs)),
        summary=tuple(summary),
        sections=tuple(
            Section(
                M.ORG_NAME(organization=Ref("organization", org.id)),
                organization_lines(org, None if year else lib.dated(org.contact_source)),
            )
            for org in orgs
        ),
        matches=tuple(org.id for org in orgs),
        citations=citations(source for org in orgs for source in org.sources),
        facts=tuple(facts),
        confidence=1.0,
        as_of=M.AS_OF_YEAR(year=year) if year else None,
    )
