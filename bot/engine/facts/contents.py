"""Answers from the 2008 edition's contents list: what is on a page, where a section is,
which clusters have a page.

The contents list gives titles and (some) pages only. A section whose text the sources
hold (p. 1, the icons) is answered with it; a section known by its title alone says so,
and a question about what it says is not answered (`answered` false).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import ITEMS, Answer, Fact, Intent, Msg, Ref, Section
from bot.engine.citations import citation, citations
from bot.engine.facts.general import faq_facts, faq_section
from bot.engine.facts.library import Library, Selection, cluster_ref
from bot.engine.facts.listing import grouped
from bot.engine.text import Text
from bot.kb.model import Cluster, ContentsEntry, SourceRef


def _contents_ref(lib: Library) -> list[SourceRef]:
    return [lib.kb.contents_source] if lib.kb.contents_source else list(lib.contents)


def _section_body(
    lib: Library, section: ContentsEntry, detailed: bool = True
) -> tuple[list[Section], list, bool]:
    """What the sources hold of a section: (sections, source refs, has content). A map's
    clusters are listed only when asked for (`detailed`): "is there a map?" is answered by
    its page."""
    if section.faq and section.faq in lib.faq_by_id:
        entry = lib.faq_by_id[section.faq]
        return [faq_section(entry)], list(entry.sources), True
    if section.stage and (detailed or section.page is None):
        clusters = lib.select(Selection(section.stage, section.status))
        lines = grouped(lib, clusters)
        heading = Section(M.CONTENTS_STAGE_CLUSTERS(stage=Ref("stage", section.stage)), ())
        return [heading, *lines], [c.source for c in clusters], True
    return [], [], False


def _answer(
    lib: Library,
    query: Text,
    *,
    rule: str,
    title: Msg,
    lead: Sequence[Msg],
    sections: Sequence[Section],
    refs: Sequence[SourceRef],
    answered: bool = True,
    matches: Sequence[str] = (),
    facts=(),
) -> Answer:
    return Answer(
        question=query.cleaned,
        answered=answered,
        intent=Intent.CONTENTS,
        rule=rule,
        title=title,
        summary=tuple(lead),
        sections=tuple(sections),
        matches=tuple(matches),
        citations=citations([*_contents_ref(lib), *refs]),
        facts=tuple(facts),
        confidence=1.0,
        as_of=M.AS_OF_EDITION(),
    )


def on_page(lib: Library, query: Text, page: int, *, rule: str) -> Answer:
    sections = [s for s in lib.kb.contents if s.page == page]
    clusters = [c for c in lib.kb.clusters if c.page == page]
    items = (*(Ref("section", s.id) for s in sections), *(cluster_ref(c) for c in clusters))
    title = M.CONTENTS_PAGE_TITLE(page=page)
    if not items:
        pages = sorted(
            {
                p
                for p in (*(s.page for s in lib.kb.contents), *(c.page for c in lib.kb.clusters))
                if p
            }
        )
        lead = [M.CONTENTS_PAGE_NONE(page=page, pages=tuple(pages))]
        return _answer(
            lib, query, rule=rule, title=title, lead=lead, sections=(), refs=(), answered=False
        )
    body: list[Section] = []
    refs: list[SourceRef] = []
    for section in sections:
        more, sources, _ = _section_body(lib, section)
        body += more
        refs += sources
    if clusters:
        body += grouped(lib, clusters)
        refs += [c.source for c in clusters]
    lead = [M.CONTENTS_PAGE(page=page, items=items)]
    matches = [*(s.id for s in sections), *(c.id for c in clusters)]
    facts = lib.facts(clusters, "page")
    return _answer(
        lib,
        query,
        rule=rule,
        title=title,
        lead=lead,
        sections=body,
        refs=refs,
        matches=matches,
        facts=facts,
    )


def section_answer(
    lib: Library, query: Text, section_ids: Sequence[str], *, content_asked: bool, rule: str
) -> Answer:
    lead: list[Msg] = []
    body: list[Section] = []
    refs: list[SourceRef] = []
    answered = True
    entries = [lib.sections[i] for i in section_ids if i in lib.sections]
    for section in entries:
        ref = Ref("section", section.id)
        if section.page is not None:
            lead.append(M.CONTENTS_SECTION_PAGE(section=ref, page=section.page))
        else:
            lead.append(M.CONTENTS_SECTION_NO_PAGE(section=ref))
        more, sources, has_content = _section_body(lib, section, detailed=content_asked)
        has_content = has_content or (section.stage is not None)
        if not has_content:
            lead.append(M.CONTENTS_TITLE_ONLY())
            answered = answered and not content_asked
        body += more
        refs += sources
    title = (
        M.TEXT(text="")
        if not entries
        else M.SEVERAL_TITLE(titles=tuple(Ref("section", s.id) for s in entries))
    )
    faq_ids = [s.faq for s in entries if s.faq in lib.faq_by_id]
    # The section's own sentences in the sources (the icons' legend): what it says.
    said = [
        Fact(Ref("section", s.id), "source_text", p.text, citation(p.source))
        for s in entries
        for p in lib.passages.of_places([(d, s.title) for d in lib.contents_documents])
    ]
    return _answer(
        lib,
        query,
        rule=rule,
        title=title,
        lead=lead,
        sections=body,
        refs=refs,
        answered=answered,
        matches=[s.id for s in entries],
        facts=(*faq_facts([lib.faq_by_id[i] for i in faq_ids]), *said),
    )


def clusters_with_pages(lib: Library, query: Text, *, rule: str) -> Answer:
    clusters = [c for c in lib.in_listing_order(lib.kb.clusters) if c.page is not None]
    lines = tuple(M.CONTENTS_PAGE_ITEM(cluster=cluster_ref(c), page=c.page) for c in clusters)
    return _answer(
        lib,
        query,
        rule=rule,
        title=M.CONTENTS_PAGES_TITLE(),
        lead=[M.CONTENTS_PAGES_SUMMARY(count=len(clusters))],
        sections=[Section(None, lines, style=ITEMS)],  # the title says what they are
        refs=[c.source for c in clusters],
        matches=[c.id for c in clusters],
        facts=lib.facts(clusters, "page"),
    )


def table(lib: Library, query: Text, *, rule: str) -> Answer:
    """The contents list itself: every section, with its page where one is printed."""
    lines = tuple(
        M.CONTENTS_ENTRY_PAGE(section=Ref("section", s.id), page=s.page)
        if s.page is not None
        else M.CONTENTS_ENTRY(section=Ref("section", s.id))
        for s in lib.kb.contents
    )
    return _answer(
        lib,
        query,
        rule=rule,
        title=M.CONTENTS_TABLE_TITLE(),
        lead=[M.CONTENTS_TABLE_SUMMARY(count=len(lines))],
        sections=[Section(None, lines, style=ITEMS)],
        refs=(),
        matches=[s.id for s in lib.kb.contents],
    )


def page_not_listed(lib: Library, query: Text, *, rule: str) -> Answer:
    """A page the contents list gives for nothing asked: said so, with the contents list
    (what it does give a page for) one step away."""
    return Answer(
        question=query.cleaned,
        answered=False,
        intent=Intent.NOT_IN_SOURCES,
        rule=rule,
        title=M.CONTENTS_PAGE_NOT_LISTED_TITLE(),
        summary=(M.CONTENTS_PAGE_NOT_LISTED(),),
        suggestions=(M.CONTENTS_SUGGEST(),),
        citations=citations(lib.contents[:1]),
        confidence=1.0,
    )


def position(
    lib: Library,
    query: Text,
    end: str,
    clusters: Sequence[Cluster] | None,
    described: Msg | None,
    *,
    rule: str,
) -> Answer:
    """The first or last entry of the contents, or of the clusters of a set as the contents
    list them (the knowledge base keeps the contents' order); `described` says the set,
    None when it is every cluster."""
    if clusters:
        cluster = clusters[0] if end == "first" else clusters[-1]
        lead = (
            M.CONTENTS_POSITION_CLUSTER[end](clusters=described, cluster=cluster_ref(cluster))
            if described is not None
            else M.CONTENTS_POSITION_ANY_CLUSTER[end](cluster=cluster_ref(cluster))
        )
        matches: tuple[str, ...] = (cluster.id,)
    else:
        sections = lib.kb.contents
        section = sections[0] if end == "first" else sections[-1]
        lead = M.CONTENTS_POSITION_SECTION[end](section=Ref("section", section.id))
        matches = (section.id,)
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=Intent.CONTENTS,
        rule=rule,
        title=lead,
        summary=(),
        matches=matches,
        citations=citations(_contents_ref(lib)),
        confidence=1.0,
        one_fact=True,
        as_of=M.AS_OF_EDITION(),
    )
