"""Facts the sources do not give, asked about a place: who directs a cluster, which
universities or companies take part, its results, its website, its staff, a budget for a
year the sources have no figure for.

The reply says so plainly (`answered` is false: the fact asked is not stated) and offers,
as suggestions, what the sources do give about those clusters; it never passes the
cluster's card off as the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Msg, Param
from bot.engine.citations import citations
from bot.engine.facts.general import faq_section
from bot.engine.facts.library import Library, distinct_names, subject
from bot.engine.text import Text
from bot.engine.thresholds import MAX_SUGGESTIONS
from bot.kb.model import Cluster


def suggestions_for(clusters: Sequence[Cluster]) -> tuple[Param, ...]:
    """What the sources do give about the clusters, as questions the bot answers."""
    names = distinct_names(clusters)
    name: Param = names[0] if len(names) == 1 else names
    kinds = ["fields", "contact", "stage"]
    if any(c.page is not None for c in clusters):
        kinds.insert(2, "page")
    return tuple(M.SUGGEST[kind](name=name) for kind in kinds[: MAX_SUGGESTIONS + 1])


def missing_fact(
    lib: Library,
    query: Text,
    facts: Sequence[str],
    clusters: Sequence[Cluster],
    *,
    rule: str,
    notes: Sequence[Msg] = (),
) -> Answer:
    names = distinct_names(clusters)
    lead = [M.MISSING[fact](clusters=names) for fact in facts if fact in M.MISSING]
    title = M.MISSING_TITLE(clusters=subject(clusters, lib))
    sections = ()
    refs = [c.source for c in clusters]
    if "budget_year" in facts:
        budget = lib.faq_with_role("budget")
        sections = tuple(faq_section(entry) for entry in budget)
        refs += [ref for entry in budget for ref in entry.sources]
    lead.append(M.MISSING_KNOWN())
    return Answer(
        question=query.cleaned,
        answered=False,
        intent=Intent.NOT_IN_SOURCES,
        rule=rule,
        title=title,
        summary=tuple(lead),
        notes=tuple(notes),
        sections=sections,
        matches=tuple(c.id for c in clusters),
        citations=citations(refs),
        suggestions=suggestions_for(clusters),
        confidence=1.0,
    )
