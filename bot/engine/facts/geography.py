"""Where clusters are (prefecture and region of each place) and the map of a filter.

Both answers carry a `MapView`, so a front-end can offer or draw the map of the same
clusters. The places' prefectures and regions come from knowledge/geography.yaml, cited to
the data sets they were taken from.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import ITEMS, Answer, Fact, Intent, MapView, Msg, Ref, Section
from bot.engine.citations import citation, citations
from bot.engine.facts.library import Library, cluster_ref, subject
from bot.engine.facts.listing import described
from bot.engine.facts.part import Part
from bot.engine.text import Text
from bot.kb.model import Cluster, Location


def place_phrase(location: Location) -> Msg:
    """ "Ube, Yamaguchi Prefecture", "Aichi Prefecture", "Kansai": how a place is named."""
    place = Ref("place", location.place)
    if location.area == "region":
        return M.LOCATION_PLACE_REGION(place=place)
    prefecture = Ref("prefecture", location.prefecture or "")
    if location.area == "prefecture":
        return M.LOCATION_PLACE_PREFECTURE(prefecture=prefecture)
    return M.LOCATION_PLACE_POINT(place=place, prefecture=prefecture)


def place_line(location: Location) -> Msg:
    place, region = Ref("place", location.place), Ref("region", location.region)
    if location.area == "region":
        return M.LOCATION_LINE_REGION(place=place, region=region)
    prefecture = Ref("prefecture", location.prefecture or "")
    if location.area == "prefecture":
        return M.LOCATION_LINE_PREFECTURE(place=place, prefecture=prefecture, region=region)
    return M.LOCATION_LINE_POINT(place=place, prefecture=prefecture, region=region)


def location_facts(lib: Library, location: Location) -> tuple[Fact, ...]:
    subject = Ref("place", location.place)
    source = citation(location.source)
    as_of = ", ".join(lib.kb.geography_as_of) or None
    facts = [Fact(subject, "region", Ref("region", location.region), source, as_of)]
    if location.prefecture:
        facts.insert(
            0, Fact(subject, "prefecture", Ref("prefecture", location.prefecture), source, as_of)
        )
    return tuple(facts)


def location_part(lib: Library, clusters: Sequence[Cluster], _asked: Sequence[str]) -> Part:
    """For each cluster, the prefecture and region of each of its places."""
    locations = lib.kb.locations
    facts: list[Fact] = []
    sources = []
    # Each place once: the clusters' names say which of them carries which place.
    places = [
        locations[p] for p in dict.fromkeys(p for c in clusters for p in c.places) if p in locations
    ]
    for loc in places:
        facts += location_facts(lib, loc)
        sources.append(loc.source)
    sections: list[Section] = []
    if len(clusters) > 1:  # one cluster: the lead says it all
        lines = tuple(place_line(loc) for loc in places)
        sections.append(Section(None, lines, lib.fields_of(clusters), style=ITEMS))
    if lib.kb.geography_source is not None:
        sources.append(lib.kb.geography_source)
    if len(clusters) == 1:
        only = clusters[0]
        found = [locations[p] for p in only.places if p in locations]
        regions = tuple(dict.fromkeys(Ref("region", loc.region) for loc in found))
        places = tuple(place_phrase(loc) for loc in found)
        if len(regions) == 1:
            summary = M.LOCATION_SUMMARY_ONE(
                cluster=cluster_ref(only), places=places, region=regions[0]
            )
        else:
            summary = M.LOCATION_SUMMARY_REGIONS(
                cluster=cluster_ref(only), places=places, regions=regions
            )
    else:
        summary = None
    return Part(
        title=M.LOCATION_TITLE(clusters=subject(clusters, lib)),
        summary=summary,
        sections=tuple(sections),
        sources=(*(c.source for c in clusters), *sources),
        facts=(*facts, *lib.facts(clusters, "stage", "status")),
    )


def location_as_of(lib: Library) -> Msg:
    data = lib.kb.geography_as_of
    return M.AS_OF_LOCATION(data=data) if data else M.AS_OF_2008()  # data: a tuple of texts


def map_answer(
    lib: Library,
    query: Text,
    stage: str | None,
    status: str | None,
    fields: Sequence[str],
    *,
    rule: str,
) -> Answer:
    """/map: the clusters of a stage, status and fields, for the front-end to draw, and
    listed in words too: what the picture shows must reach a reader who cannot see it (a
    screen reader, the console, `ask`)."""
    clusters = lib.select(stage, status, fields)
    listed = tuple(lib.listing_items[c.id] for c in lib.in_listing_order(clusters))
    shown = tuple(fields) or lib.fields_of(clusters)
    refs = [*lib.contents]
    if lib.kb.geography_source is not None:
        refs.append(lib.kb.geography_source)
    sources = {loc.source.doc: loc.source for loc in lib.kb.locations.values()}
    refs += [type(ref)(ref.doc) for ref in sources.values()]  # the data sets, not each entry
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=Intent.MAP,
        rule=rule,
        title=M.MAP_ANSWER_TITLE(),
        summary=(M.MAP_ANSWER_SUMMARY(clusters=described(clusters, stage, status, fields)),),
        sections=(Section(None, listed, shown, style=ITEMS),) if listed else (),
        matches=tuple(c.id for c in clusters),
        citations=citations(refs),
        facts=lib.facts(clusters, "stage", "status", "fields"),
        confidence=1.0,
        as_of=location_as_of(lib),
        map=MapView(tuple(c.id for c in clusters), stage, status, tuple(fields)),
    )
