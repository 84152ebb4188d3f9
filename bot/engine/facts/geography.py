"""Where clusters are (prefecture and region of each place) and the map of a filter.

Both answers carry a `MapView`, so a front-end can offer or draw the map of the same
clusters. The places' prefectures and regions come from knowledge/geography.yaml, cited to
the data sets they were taken from.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import Answer, Fact, Intent, MapView, Msg, Ref, Section
from bot.engine.citations import citation, citations
from bot.engine.facts.library import Library, cluster_ref, distinct_names
from bot.engine.facts.listing import described, listing_sections
from bot.engine.facts.part import Part
from bot.engine.text import Query
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
    sections = []
    facts: list[Fact] = []
    sources = []
    for cluster in clusters:
        found = [locations[p] for p in cluster.places if p in locations]
        sections.append(
            Section(
                lib.headings[cluster.id],
                tuple(place_line(loc) for loc in found),
                cluster.fields,
                cluster.id,
            )
        )
        for loc in found:
            facts += location_facts(lib, loc)
            sources.append(loc.source)
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
        summary = M.LOCATION_SUMMARY_MANY()
    return Part(
        title=M.LOCATION_TITLE(clusters=distinct_names(clusters)),
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
    query: Query,
    stage: str | None,
    status: str | None,
    fields: Sequence[str],
    *,
    rule: str,
) -> Answer:
    """/map: the clusters of a stage, status and fields, for the front-end to draw."""
    clusters = lib.select(stage, status, fields)
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
        sections=listing_sections(lib, clusters, fields),
        matches=tuple(c.id for c in clusters),
        citations=citations(refs),
        facts=lib.facts(clusters, "stage", "status", "fields"),
        confidence=1.0,
        as_of=location_as_of(lib),
        map=MapView(tuple(c.id for c in clusters), stage, status, tuple(fields)),
    )
