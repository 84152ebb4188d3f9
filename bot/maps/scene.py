"""What the map shows, in one language, before anything is measured or drawn.

`build_scene` takes the clusters of a `MapView`, puts a marker at each of their places
(markers at one spot are spread apart so that each stays visible), and words the labels,
the title and the legend through the catalogues: no word of the picture is written here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.engine import messages as M
from bot.engine.answer import MapView, Ref
from bot.engine.facts.library import field_refs
from bot.engine.facts.listing import described
from bot.i18n.localize import Localizer
from bot.kb.model import Cluster, KnowledgeBase
from bot.maps import style
from bot.maps.projection import Pixel, Projection

Colour = tuple[int, int, int]
SPREAD_ROUNDS = 60
WRAP_SLACK = 2  # a name this much longer than the wrap width stays on one line


class MapFilterError(ValueError):
    """A map view names a stage, status, field or cluster the knowledge base does not have."""


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


def select(view: MapView, kb: KnowledgeBase) -> list[Cluster]:
    """The view's clusters, in the knowledge base's order."""
    wanted = set(view.clusters)
    return [c for c in kb.clusters if c.id in wanted]


@dataclass(frozen=True, slots=True)
class Marker:
    cluster: str
    place: str
    centre: Pixel
    colour: Colour


@dataclass(frozen=True, slots=True)
class Label:
    cluster: str
    lines: tuple[str, ...]
    colour: Colour
    chips: tuple[Colour, ...]  # the cluster's key fields, in their colours
    points: tuple[Pixel, ...]  # its markers


@dataclass(frozen=True, slots=True)
class Scene:
    lang: str
    clusters: tuple[str, ...]
    markers: tuple[Marker, ...]
    joins: tuple[tuple[Colour, tuple[Pixel, ...]], ...]  # one line through each cluster's places
    labels: tuple[Label, ...]
    title: str
    subtitle: str
    groups: tuple[tuple[Colour, str], ...]  # the legend: a colour per stage and status
    fields: tuple[tuple[Colour, str], ...]  # the legend: a colour per key field
    attribution: str


def colour_of(cluster: Cluster) -> Colour:
    return style.STAGE_STATUS_COLOURS.get((cluster.stage, cluster.status), style.FALLBACK_COLOUR)


def hex_colour(value: str) -> Colour:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def label_lines(cluster: Cluster, kb: KnowledgeBase, lang: str) -> tuple[str, ...]:
    """English: the cluster's name (split when long); Japanese: its places' names."""
    if lang == "ja":
        return ("・".join(kb.places[p].name_ja or kb.places[p].name for p in cluster.places),)
    return wrap(cluster.name, style.LABEL_WRAP)


def wrap(text: str, width: int) -> tuple[str, ...]:
    """One line when it is at most `width` (plus a little) long, else two: the first as
    full as `width` allows, broken at a space or after a slash ("FUKUOKA/KITAKYUSHU/",
    "IIZUKA")."""
    if len(text) <= width + WRAP_SLACK:
        return (text,)
    pieces = re.findall(r"[^\s/]+/?|\s+", text)
    first = ""
    for index, piece in enumerate(pieces):
        if first.strip() and len((first + piece).rstrip()) > width:
            return first.strip(), "".join(pieces[index:]).strip()
        first += piece
    return (text,)


def spread(points: Sequence[Pixel], distance: float) -> list[Pixel]:
    """The points moved apart until no two are closer than `distance`: markers at the
    same place sit side by side, west to east in the order given, instead of hiding."""
    moved = [list(p) for p in points]
    for index, point in enumerate(moved):
        same = [i for i in range(index) if math.dist(points[i], points[index]) < 0.5]
        point[0] += 0.01 * len(same)  # identical points: a direction to part them in
    for _ in range(SPREAD_ROUNDS):
        clean = True
        for i in range(len(moved)):
            for j in range(i + 1, len(moved)):
                dx = moved[j][0] - moved[i][0]
                dy = moved[j][1] - moved[i][1]
                gap = math.hypot(dx, dy)
                if gap >= distance:
                    continue
                clean = False
                push = (distance - gap) / 2 + 0.01
                ux, uy = (dx / gap, dy / gap) if gap else (1.0, 0.0)
                moved[i][0] -= ux * push
                moved[i][1] -= uy * push
                moved[j][0] += ux * push
                moved[j][1] += uy * push
        if clean:
            break
    return [(p[0], p[1]) for p in moved]


def build_scene(
    kb: KnowledgeBase,
    localizer: Localizer,
    lang: str,
    view: MapView,
    project: Projection,
) -> Scene:
    validate(view, kb)
    clusters = select(view, kb)
    # The latest stage first, as the 2008 edition lists them: where clusters share a place,
    # their markers sit west to east in that order.
    statuses = list(kb.statuses)
    ordered = sorted(
        clusters, key=lambda c: (-(kb.stages[c.stage].started or 0), statuses.index(c.status))
    )
    spots = [(c, p) for c in ordered for p in c.places if p in kb.locations]
    exact = [project(kb.locations[p].longitude, kb.locations[p].latitude) for _, p in spots]
    centres = spread(exact, 2 * (style.MARKER_RADIUS + style.MARKER_RING) + style.MARKER_GAP)
    markers = tuple(
        Marker(c.id, p, centre, colour_of(c)) for (c, p), centre in zip(spots, centres, strict=True)
    )
    points_of: dict[str, list[Pixel]] = {}
    for marker in markers:
        points_of.setdefault(marker.cluster, []).append(marker.centre)
    say = localizer.text
    labels = tuple(
        Label(
            c.id,
            label_lines(c, kb, lang),
            colour_of(c),
            tuple(hex_colour(kb.fields[f].colour) for f in c.fields),
            tuple(points_of.get(c.id, ())),
        )
        for c in ordered
        if c.id in points_of
    )
    groups: dict[tuple[str, str], int] = {}
    for cluster in ordered:
        groups[(cluster.stage, cluster.status)] = groups.get((cluster.stage, cluster.status), 0) + 1
    subtitle = described(clusters, view.stage, view.status, view.fields)
    return Scene(
        lang=lang,
        clusters=tuple(c.id for c in clusters),
        markers=markers,
        joins=tuple(
            (colour_of(c), tuple(points_of[c.id]))
            for c in ordered
            if len(points_of.get(c.id, ())) > 1
        ),
        labels=labels,
        title=say(M.MAP_TITLE(), lang),
        subtitle=say(subtitle, lang),
        groups=tuple(
            (
                style.STAGE_STATUS_COLOURS.get(key, style.FALLBACK_COLOUR),
                say(
                    M.LISTING_GROUP(
                        stage=Ref("stage", key[0]), status=Ref("status", key[1]), count=count
                    ),
                    lang,
                ),
            )
            for key, count in groups.items()
        ),
        fields=tuple(
            (hex_colour(kb.fields[ref.id].colour), localizer.name(ref, lang))
            for ref in field_refs(kb.fields)
        ),
        attribution=say(M.MAP_ATTRIBUTION(), lang),
    )
