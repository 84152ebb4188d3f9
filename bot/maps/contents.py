"""What a map view shows, in longitude and latitude, before any framing or wording: the
view's clusters, each point place with the clusters there, each area (a place naming a
whole prefecture or region) with the prefectures it covers, and each cluster's colour.

An area is shaded in its clusters' colours over its prefectures' outlines, never drawn as
a dot at its centre, where there is no town; a cluster known only by an area (KANSAI
Science City: "Kansai") is labelled on the area itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine.answer import MapView
from bot.engine.facts.geography import by_stage_and_status
from bot.kb.model import Cluster, KnowledgeBase
from bot.maps import style

Colour = tuple[int, int, int]
Group = tuple[str, str]  # (stage id, status id)


class MapFilterError(ValueError):
    """A map view names a stage, status, field or cluster the knowledge base does not have."""


@dataclass(frozen=True, slots=True)
class Spot:
    """A point place of the view's clusters."""

    place: str
    position: tuple[float, float]  # longitude, latitude
    prefecture: int  # JIS code of the prefecture it lies in
    clusters: tuple[str, ...]  # the view's clusters there, in drawing order


@dataclass(frozen=True, slots=True)
class Area:
    """A place naming a whole prefecture or region, shaded over its prefectures."""

    place: str
    prefectures: tuple[int, ...]  # JIS codes
    clusters: tuple[str, ...]
    labelled: bool  # one of its clusters has no point place: the area carries a label


@dataclass(frozen=True, slots=True)
class Contents:
    clusters: tuple[Cluster, ...]  # in drawing order: the latest stage first
    spots: tuple[Spot, ...]
    areas: tuple[Area, ...]
    colours: Mapping[str, Colour]  # by cluster id
    groups: tuple[tuple[Group, Colour, int], ...]  # the legend: (group, colour, clusters)


def validate(view: MapView, kb: KnowledgeBase) -> None:
    unknown = [
        f"{kind} {value!r}"
        for kind, values, known in (
            ("stage", (view.stage,) if view.stage else (), kb.stages),
            ("status", (view.status,) if view.status else (), kb.statuses),
            ("field", view.fields, kb.fields),
            ("cluster", view.clusters, kb.clusters_by_id),
        )
        for value in values
        if value not in known
    ]
    if unknown:
        raise MapFilterError("unknown " + "; ".join(unknown))


def group_colours(groups: list[Group], colours: Mapping[Group, Colour]) -> dict[Group, Colour]:
    """Each group's colour: its own from `colours`, else the next fallback not taken yet."""
    spare = [c for c in style.FALLBACK_COLOURS if c not in colours.values()]
    chosen: dict[Group, Colour] = {}
    for group in groups:
        if group in colours:
            chosen[group] = colours[group]
        else:
            chosen[group] = spare.pop(0) if spare else style.FALLBACK_COLOURS[-1]
    return chosen


def gather(kb: KnowledgeBase, view: MapView, colours: Mapping[Group, Colour]) -> Contents:
    """The view's clusters and where they are. Raises `MapFilterError` for an unknown
    stage, status, field or cluster."""
    validate(view, kb)
    wanted = set(view.clusters)
    grouped = by_stage_and_status(kb, (c for c in kb.clusters if c.id in wanted))
    clusters = [c for group in grouped.values() for c in group]
    palette = group_colours(list(grouped), colours)
    spots: dict[str, list[str]] = {}
    areas: dict[str, list[str]] = {}
    for cluster in clusters:
        for place in cluster.places:
            location = kb.locations.get(place)
            if location is not None:
                (spots if location.area is None else areas).setdefault(place, []).append(cluster.id)
    with_points = {c for ids in spots.values() for c in ids}
    return Contents(
        clusters=tuple(clusters),
        spots=tuple(
            Spot(
                place,
                (kb.locations[place].longitude, kb.locations[place].latitude),
                kb.prefectures[kb.locations[place].prefecture or ""].code,
                tuple(ids),
            )
            for place, ids in spots.items()
        ),
        areas=tuple(
            Area(
                place,
                _prefectures(kb, place),
                tuple(ids),
                labelled=any(c not in with_points for c in ids),
            )
            for place, ids in areas.items()
        ),
        colours={c.id: palette[c.stage, c.status] for c in clusters},
        groups=tuple((group, palette[group], len(members)) for group, members in grouped.items()),
    )


def _prefectures(kb: KnowledgeBase, place: str) -> tuple[int, ...]:
    location = kb.locations[place]
    if location.prefecture:
        return (kb.prefectures[location.prefecture].code,)
    return tuple(p.code for p in kb.prefectures.values() if p.region == location.region)
