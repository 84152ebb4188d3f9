"""Superlatives: which cluster lists the most key fields, which field, stage or place has
the most clusters (or the fewest), counted from the 2008 edition's contents."""

from __future__ import annotations

from collections import Counter

from bot.engine import messages as M
from bot.engine.answer import ITEMS, Answer, Intent, Ref, Section
from bot.engine.citations import citations
from bot.engine.facts.library import Library, cluster_ref, distinct_names
from bot.engine.reading.query import Superlative
from bot.engine.text import Text


def _counts(lib: Library, ranked: str) -> list[tuple[Ref, int]]:
    clusters = lib.in_listing_order(lib.kb.clusters)
    if ranked == "clusters":
        return [(cluster_ref(c), len(c.fields)) for c in clusters]
    if ranked == "fields":
        counter = Counter(f for c in clusters for f in c.fields)
        return [(Ref("field", f), counter[f]) for f in lib.kb.fields]
    if ranked == "stages":
        counter = Counter(c.stage for c in clusters)
        return [(Ref("stage", s), counter[s]) for s in lib.kb.stages]
    counter = Counter(p for c in clusters for p in c.places)
    return [(Ref("place", p), n) for p, n in counter.items()]


def ranking(lib: Library, query: Text, asked: Superlative, *, rule: str) -> Answer:
    counts = _counts(lib, asked.ranked)
    pick = max if asked.direction == "most" else min
    best = pick(n for _, n in counts)
    winners = tuple(ref for ref, n in counts if n == best)
    key = (asked.ranked, asked.direction)
    # The lead names the winner once; the list (the tied clusters, or every count) follows
    # without a heading, since the title says what it ranks.
    if asked.ranked == "clusters":
        by_id = lib.kb.clusters_by_id
        tied = [ref for ref, n in counts if n == best]
        winners = distinct_names(by_id[ref.id] for ref in tied)
        if len(tied) == 1:
            lead, lines = M.RANK_SUMMARY[key](winners=winners, count=best), ()
        else:
            lead = M.RANK_CLUSTERS_TIED(number=len(tied), count=best)
            lines = tuple(lib.listing_items[ref.id] for ref in tied)
    else:
        ordered = sorted(counts, key=lambda item: -item[1])
        lead = M.RANK_WINNERS(winners=winners)
        lines = tuple(M.RANK_LINE(item=ref, count=n) for ref, n in ordered)
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=Intent.RANK,
        rule=rule,
        title=M.RANK_TITLE[key](),
        summary=(lead,),
        sections=(Section(None, lines, style=ITEMS),) if lines else (),
        matches=tuple(ref.id for ref in winners),
        citations=citations(
            lib.contents[:1] if lib.kb.contents_source is None else [lib.kb.contents_source]
        ),
        facts=lib.facts(
            (lib.kb.clusters_by_id[ref.id] for ref in winners if ref.kind == "cluster"), "fields"
        ),
        confidence=1.0,
        as_of=M.AS_OF_EDITION(),
    )
