"""A region's core organization and contact details, and the programme office as fallback.

Only what a source gives is stated; a missing telephone number is said to be missing. A
question asking one detail (a fax number, the core organization) gets that detail alone,
in a sentence that is the reply's first line (`contact_fact_part`); the whole card
(`contact_part`) is a click away. Where no cluster asked about has a contact, the reply says
so first and the programme office stands in, titled as what it is, never as an answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import Answer, Fact, Intent, Msg, Ref, Section
from bot.engine.citations import citation, citations
from bot.engine.facts.library import Library, cluster_ref, distinct_names, subject
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


def detail_facts(org: Organization, lib: Library, detail: str) -> tuple[Fact, ...]:
    """The fact of one contact detail of an organization (none if no source gives it)."""
    return tuple(f for f in organization_facts(org, lib) if f.attribute == detail)


def link_facts(lib: Library, members: Sequence[Cluster]) -> list[Fact]:
    """ "Sapporo's core organization is NOASTEC", for each cluster, cited and dated."""
    return [
        Fact(
            Ref("cluster", c.id),
            "organization",
            Ref("organization", c.organization.id),
            citation(c.organization.source),
            lib.dated(c.organization.source),
        )
        for c in members
        if c.organization is not None
    ]


def contact_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    """One card per organization (its name heads it), then the programme office for the
    clusters the sources give no contact for, said once in the lead (or, when none has one,
    in the title: the office's card is titled as what it is, and is not an answer)."""
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
    facts.extend(link_facts(lib, clusters))
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
        # Titled as what it is: the programme's office, not the clusters' contact.
        sections.append(
            Section(
                M.CONTACT_OFFICE(organization=Ref("organization", office.id)),
                organization_lines(office, card_year(office)),
            )
        )
    summary: Msg | None = None
    fact: tuple[Msg, Msg] | None = None
    title = M.CONTACT_TITLE(clusters=subject(clusters, lib))
    if without and by_org:
        # Among several clusters, each is told apart by its stage ("Sendai (First Stage)").
        missing = tuple(
            M.CLUSTER_IN_TEXT(cluster=cluster_ref(c), stage=Ref("stage", c.stage))
            if len(clusters) > 1
            else cluster_ref(c)
            for c in without
        )
        summary = M.CONTACT_SUMMARY_SOME(clusters=missing)
    elif without:  # only the stand-in: the title says there is no contact for them
        title = M.CONTACT_NONE(clusters=subject(without, lib))
        # Asked with other things, that is what the contact topic says.
        fact = (M.STEP_TOPIC(topic=M.TOPICS["contact"]()), title)
    return Part(
        title=title,
        summary=summary,
        sections=tuple(sections),
        sources=tuple(sources),
        extra_matches=tuple(extra),
        facts=tuple(facts),
        fact=fact,
        answered=bool(by_org),
    )


def office_instead(lib: Library, details: Sequence[str]) -> tuple[Msg, Fact] | None:
    """The programme office's detail standing in for the one asked: that detail if it has
    it, else its telephone number, else its address, with the fact it states; None when
    there is no office or it has no contact."""
    office = lib.programme_office()
    if office is None:
        return None
    facts = {fact.attribute: fact for fact in organization_facts(office, lib)}
    wanted = [d for d in details if d in ("tel", "fax", "address")]
    for detail in (*wanted, "tel", "address"):
        fact = facts.get(detail)
        if fact is None:
            continue
        value = str(fact.value)
        contact = {"tel": M.ORG_TEL(tel=value), "fax": M.ORG_FAX(fax=value)}.get(
            detail, M.ORG_ADDRESS(address=value)
        )
        ref = Ref("organization", office.id)
        return M.CONTACT_OFFICE_INSTEAD(organization=ref, contact=contact), fact
    return None


def contact_fact_part(
    lib: Library, clusters: Sequence[Cluster], details: Sequence[str], *, each: bool = False
) -> Part:
    """The contact details asked of clusters, each in one sentence, the first of them the
    title ("The fax number for Sapporo is 011-708-6529 (NOASTEC)"): the card they come from is
    one click away, not repeated. A detail the sources lack is said to be lacking; for
    clusters with no contact at all, the programme office's detail stands in, said first to
    be what it is. An answer, as the card is, when some organization gives each detail."""
    by_org: dict[str, list[Cluster]] = {}
    without: list[Cluster] = []
    for cluster in clusters:
        if cluster.organization is None:
            without.append(cluster)
        else:
            by_org.setdefault(cluster.organization.id, []).append(cluster)
    if not by_org:
        return _stand_in_part(lib, clusters, details)
    # The core organization first: the other details are its own.
    asked = sorted(dict.fromkeys(details), key=lambda d: d != "organization")
    lines: list[Msg] = []
    facts: list[Fact] = []
    sources: list[SourceRef] = []
    for detail in asked:
        for org_id, members in by_org.items():
            org = lib.kb.organizations[org_id]
            ref = Ref("organization", org_id)
            names = subject(members, lib)
            value = detail_of(org, detail)
            label = M.CONTACT_DETAILS[detail]()
            if detail == "organization":
                lines.append(M.CONTACT_FACT_ORGANIZATION(clusters=names, organization=ref))
                facts.extend(link_facts(lib, members))
                sources.extend(c.organization.source for c in members if c.organization)
            elif value:
                lines.append(
                    M.CONTACT_FACT(detail=label, clusters=names, value=value, organization=ref)
                )
                facts.extend(detail_facts(org, lib, detail))
                sources.append(org.contact_source or org.sources[0])
            else:  # which organization lacks it, by the source naming it theirs
                lines.append(M.CONTACT_FACT_MISSING(detail=label, clusters=names, organization=ref))
                sources.extend(c.organization.source for c in members if c.organization)
    # Clusters without a contact are said to be so, unless a place's other cluster answered
    # for its name (the first-stage Sendai beside the Greater Sendai office); clusters asked
    # of each (an area's) were not found by a name.
    answered_places = (
        set() if each else {p for members in by_org.values() for c in members for p in c.places}
    )
    unanswered = [c for c in without if not answered_places & set(c.places)]
    if unanswered:
        none = M.CONTACT_NO_ORGANIZATION if set(asked) == {"organization"} else M.CONTACT_NONE
        lines.append(none(clusters=distinct_names(unanswered)))
    # As the card: an answer when some cluster's organization gives each detail asked.
    orgs = [lib.kb.organizations[o] for o in by_org]
    lacking = [d for d in asked if not any(detail_of(org, d) for org in orgs)]
    return Part(
        title=lines[0],
        summary=None,
        sections=(Section(None, tuple(lines[1:])),) if len(lines) > 1 else (),
        sources=tuple(dict.fromkeys(sources)),
        extra_matches=tuple(by_org),
        facts=tuple(dict.fromkeys(facts)),
        answered=not lacking,
        one_fact=True,
    )


def _stand_in_part(lib: Library, clusters: Sequence[Cluster], details: Sequence[str]) -> Part:
    """No cluster asked about has a contact: that first, then the programme office's detail
    in its place. Never an answer."""
    names = subject(clusters, lib)
    only_organization = set(details) == {"organization"}
    title = (M.CONTACT_NO_ORGANIZATION if only_organization else M.CONTACT_NONE)(clusters=names)
    instead = office_instead(lib, details)
    office = lib.programme_office()
    if instead is None or office is None or office.contact_source is None:
        return Part(
            title=title, summary=None, sections=(), sources=(), answered=False, one_fact=True
        )
    line, fact = instead
    return Part(
        title=title,
        summary=line,
        sections=(),
        sources=(office.contact_source,),
        extra_matches=(office.id,),
        facts=(fact,),
        answered=False,
        one_fact=True,
    )


def organization_fact_answer(
    lib: Library, text: Text, orgs: Sequence[Organization], details: Sequence[str], *, rule: str
) -> Answer:
    """A detail asked of organizations named ("MEXT's phone number"), each in one sentence,
    the first the title; the card one click away."""
    lines: list[Msg] = []
    facts: list[Fact] = []
    for detail in dict.fromkeys(details):
        label = M.CONTACT_DETAILS[detail]()
        for org in orgs:
            ref = Ref("organization", org.id)
            value = detail_of(org, detail)
            if value:
                lines.append(M.ORG_FACT(detail=label, organization=ref, value=value))
                facts.extend(detail_facts(org, lib, detail))
            else:
                lines.append(M.CONTACT_DETAIL_MISSING(details=(label,), organizations=(ref,)))
    year = shared_year(facts)
    return Answer(
        question=text.cleaned,
        answered=all(any(detail_of(org, detail) for org in orgs) for detail in details),
        intent=Intent.CONTACT,
        rule=rule,
        title=lines[0],
        summary=(),
        sections=(Section(None, tuple(lines[1:])),) if len(lines) > 1 else (),
        matches=tuple(org.id for org in orgs),
        citations=citations(o.contact_source for o in orgs if o.contact_source is not None),
        facts=tuple(facts),
        confidence=1.0,
        as_of=lib.as_of_year(year) if year else None,
        one_fact=True,
        reading=M.TOPICS_TITLE(
            clusters=tuple(Ref("organization", o.id) for o in orgs),
            topics=tuple(M.CONTACT_DETAILS[d]() for d in dict.fromkeys(details)),
        ),
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
    # A detail asked (not the organization itself, which is named): that detail alone.
    if details and not lead and set(details) <= {"tel", "fax", "address", "email"}:
        return organization_fact_answer(lib, text, orgs, details, rule=rule)
    if lead and not details:
        # "who runs the programme?": the sentence naming it is the answer; its card a click away.
        return Answer(
            question=text.cleaned,
            answered=True,
            intent=Intent.CONTACT,
            rule=rule,
            title=lead[0],
            summary=tuple(lead[1:]),
            matches=tuple(org.id for org in orgs),
            citations=citations(source for org in orgs for source in org.sources),
            confidence=1.0,
            one_fact=True,
            reading=M.ORG_CONTACT_TITLE(
                organizations=tuple(Ref("organization", o.id) for o in orgs)
            ),
        )
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
