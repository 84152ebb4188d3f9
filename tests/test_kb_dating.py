"""A fact is dated by its source: an organization's contact details by the document named in
its `contact_source`, never by a date on the organization itself."""

from __future__ import annotations

from bot.engine import Engine
from bot.kb.loader import load_knowledge
from tests.kb_copies import edit, line_of, only_problem

SENDAI_PAGE_DATE = '    # which is copyright "2011-".\n    as_of: "2011"\n'


def contact_facts(engine: Engine, question: str, org_id: str) -> dict[str, tuple]:
    answer = engine.ask(question)
    return {
        fact.attribute: (fact.source.document, fact.as_of)
        for fact in answer.facts
        if fact.subject.kind == "organization" and fact.subject.id == org_id
    }


def test_contact_details_are_cited_to_and_dated_by_their_document():
    """Sendai's office address comes from the Sendai cluster page (2011), not from the
    organization's first source, which is undated."""
    kb = load_knowledge()
    icr = kb.organizations["icr"]
    assert icr.sources[0].doc == "icr-sendai-aim"
    facts = contact_facts(Engine(kb), "sendai second stage contact", "icr")
    assert facts == dict.fromkeys(
        ("office", "address", "tel", "fax"), ("sendai-cluster-page", "2011")
    )


def test_the_date_follows_the_document(kb_copy):
    """Re-dating the document re-dates the contact details drawn from it."""
    edit(
        kb_copy,
        "sources.yaml",
        SENDAI_PAGE_DATE,
        '    # which is copyright "2011-".\n    as_of: "2012"\n',
    )
    facts = contact_facts(Engine(load_knowledge(kb_copy)), "sendai contact", "icr")
    assert {year for _document, year in facts.values()} == {"2012"}


def test_an_undated_document_leaves_its_details_undated():
    facts = contact_facts(Engine(load_knowledge()), "contact of aichi", "astf")
    assert facts == {"address": ("astf-aichi", None)}


def test_an_organization_dated_itself_is_refused_with_what_to_do(kb_copy):
    """An old file's `as_of` on an organization gets the rule, not a bare unknown key."""
    text = edit(
        kb_copy,
        "organizations.yaml",
        "    contact_source: kci-2004-overview\n",
        '    contact_source: kci-2004-overview\n    as_of: "2004"\n',
    )
    problem = only_problem(kb_copy)
    assert (problem.file, problem.line, problem.entry_id) == (
        "organizations.yaml",
        line_of(text, 'as_of: "2004"'),
        "noastec",
    )
    assert problem.message.startswith(
        "as_of: an organization is not dated itself: its contact details are dated by the "
        "document they come from (name it in contact_source"
    )


def test_contact_details_need_their_source(kb_copy):
    text = edit(kb_copy, "organizations.yaml", "    contact_source: sendai-cluster-page\n", "")
    problem = only_problem(kb_copy)
    assert (problem.line, problem.entry_id) == (line_of(text, "SENDAI KNOWLEDGE CLUSTER"), "icr")
    assert problem.message.startswith("contact_source missing: office, address, tel, fax must")


def test_the_contact_source_is_one_of_the_organizations_sources(kb_copy):
    text = edit(
        kb_copy,
        "organizations.yaml",
        "contact_source: sendai-cluster-page",
        "contact_source: kci-2008",
    )
    problem = only_problem(kb_copy)
    assert (problem.line, problem.entry_id) == (line_of(text, "contact_source: kci-2008"), "icr")
    assert problem.message == (
        "contact_source: 'kci-2008' is not one of the organization's sources "
        "(icr-sendai-aim, sendai-cluster-page)"
    )


def test_a_contact_source_without_contact_details_is_refused(kb_copy):
    text = edit(
        kb_copy,
        "organizations.yaml",
        "    sources:\n      - {doc: mext-2013-fukuoka}",
        "    contact_source: mext-2013-fukuoka\n    sources:\n      - {doc: mext-2013-fukuoka}",
    )
    problem = only_problem(kb_copy)
    assert (problem.line, problem.entry_id) == (
        line_of(text, "contact_source: mext-2013-fukuoka"),
        "fukuoka-foundation",
    )
    assert "has no contact details" in problem.message
