"""Where clusters are (prefecture and region of each place) and the map of a filter.

Both answers carry a `MapView`, so a front-end can offer or draw the map of the same
clusters. The places' prefectures and regions come from knowledge/geography.yaml, cited to
the data sets they were taken from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.engine import messages as M
from bot.engine.answer import ITEMS, Answer, Fact, Intent, MapView, Msg, Ref, Section
from bot.engine.citations import citation, citations
from bot.engine.facts.library import Library, Selection, cluster_ref, subject
from bot.engine.facts.listing import described
from bot.engine.facts.part import Part
from bot.engine.text import Text
from bot.kb.model import Cluster, KnowledgeBase, Location


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
    return M.AS_OF_LOCATION(data=data) if data else M.AS_OF_EDITION()  # data: a tuple of texts


def map_answer(
    lib: Library,
    query: Text,
    stage: str | None,
    status: str | None,
    fields: Sequence[str],
    *,
    rule: str,
) -> Answer:
    """/map: the clusters of a stage, status and fields, for the front-end to draw. The
    words above the picture are its count and, when it shows several stages or statuses,
    one line of how many of each (the legend in words); the clusters themselves are in the
    answer's facts and matches, and a front-end offers them one click away."""
    clusters = lib.select(Selection(stage, status, tuple(fields)))
    refs = [*lib.contents]
    if lib.kb.geography_source is not None:
        refs.append(lib.kb.geography_source)
    sources = {loc.source.doc: loc.source for loc in lib.kb.locations.values()}
    refs += [type(ref)(ref.doc) for ref in sources.values()]  # the data sets, not each entry
    groups = map_groups(lib, clusters)
    line = M.MAP_ANSWER_GROUPS(groups=groups)
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=Intent.MAP,
        rule=rule,
        title=M.MAP_ANSWER_TITLE(),
        summary=(M.MAP_ANSWER_SUMMARY(clusters=described(clusters, stage, status, fields)),),
        sections=(Section(None, (line,), tuple(fields)),) if len(groups) > 1 else (),
        matches=tuple(c.id for c in clusters),
        citations=citations(refs),
        facts=lib.facts(clusters, "stage", "status", "fields"),
        confidence=1.0,
        # The clusters' date, as a listing's: the data sets the places come from are cited
        # among the sources, not dated by their package versions.
        as_of=M.AS_OF_EDITION(),
        map=MapView(tuple(c.id for c in clusters), stage, status, tuple(fields)),
    )


def map_groups(lib: Library, clusters: Sequence[Cluster]) -> tuple[Msg, ...]:
    """How many clusters of each stage and status, in the order of the map's legend."""
    return tuple(
        M.LISTING_GROUP(stage=Ref("stage", stage), status=Ref("status", status), count=len(group))
        for (stage, status), group in by_stage_and_status(lib.kb, clusters).items()
    )


def by_stage_and_status(
    kb: KnowledgeBase, clusters: Iterable[Cluster]
) -> dict[tuple[str, str], list[Cluster]]:
    """The clusters grouped by (stage, status), the latest stage first and the statuses in
    the knowledge base's order, as the 2008 edition lists them (and the map draws them:
    its legend, and the markers of one place west to east)."""
    statuses = list(kb.statuses)
    ordered = sorted(
        clusters, key=lambda c: (-(kb.stages[c.stage].started or 0), statuses.index(c.status))
    )
    groups: dict[tuple[str, str], list[Cluster]] = {}
    for cluster in ordered:
        groups.setdefault((cluster.stage, cluster.status), []).append(cluster)
    return groups


def prefectures_counted(
    lib: Library, text: Text, clusters: Sequence[Cluster], *, rule: str
) -> Answer:
    """ "how many prefectures have a cluster?": the prefectures the clusters' places lie in,
    counted and named, each place's prefecture cited to the geography it comes from."""
    locations = lib.kb.locations
    places = [
        locations[p] for p in dict.fromkeys(p for c in clusters for p in c.places) if p in locations
    ]
    prefectures = tuple(
        dict.fromkeys(Ref("prefecture", loc.prefecture) for loc in places if loc.prefecture)
    )
    facts = [fact for loc in places for fact in location_facts(lib, loc)]
    sources = [*(loc.source for loc in places)]
    if lib.kb.geography_source is not None:
        sources.append(lib.kb.geography_source)
    summary = (M.COUNT_PREFECTURES(prefectures=prefectures),) if prefectures else ()
    return Answer(
        question=text.cleaned,
        answered=True,
        intent=Intent.COUNT,
        rule=rule,
        title=M.COUNT_PREFECTURES_TITLE(count=len(prefectures)),
        summary=summary,
        matches=tuple(c.id for c in clusters),
        citations=citations([*lib.sources_of(clusters), *sources]),
        facts=tuple(facts),
        confidence=1.0,
        as_of=location_as_of(lib),
    )
