"""What the map shows, in one language and in pixels, before the labels are laid out.

`build_scene` frames the view's places and areas (`bot.maps.frame`), puts a marker for each
cluster at each of its point places (markers at one spot are spread apart so that each
stays visible), shades each area in its clusters' colours, and words the labels, the title
and the legend through the catalogues: no word of the picture is written here.

Labels name places, not clusters: the markers' colours tell the clusters of a place apart
(HAMAMATSU of the First and of the Second Stage are one label, two markers). Places nearer
each other than `style.SHARED_LABEL_DISTANCE` at the frame's scale share a label, so the
whole country needs a dozen labels rather than two dozen leader lines; a filtered map,
framed closer, gives each place its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from PIL import Image, ImageDraw, ImageFilter

from bot.engine import messages as M
from bot.engine.answer import MapView, Msg, Ref
from bot.engine.facts.listing import described
from bot.geo.geometry import interior_point
from bot.geo.outlines import Outline, load_outlines
from bot.i18n.localize import Localizer
from bot.kb.model import KnowledgeBase
from bot.maps import style
from bot.maps.contents import Colour, Contents, Group, Spot, gather
from bot.maps.frame import Frame, frame_for
from bot.maps.measure import label_size, panel_size, text_width
from bot.maps.projection import Pixel

SPREAD_ROUNDS = 60
NAMED_CLUSTERS = 3  # a map of at most this many chosen clusters names them in its subtitle
AREA_LEADER_POINTS = 32  # an area label's leader ends at the nearest of this many outline points
ANCHOR_GRID = 96  # an area is eroded on a grid this many cells across, to find its middle


@dataclass(frozen=True, slots=True)
class Marker:
    cluster: str
    place: str
    centre: Pixel
    colour: Colour
    label: str  # the key of the label that names its place


@dataclass(frozen=True, slots=True)
class Tint:
    """An area shaded in its clusters' colours (stripes when several share it)."""

    place: str
    rings: tuple[tuple[Pixel, ...], ...]
    colours: tuple[Colour, ...]
    clusters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Label:
    key: str
    lines: tuple[str, ...]
    places: tuple[str, ...]  # the place ids it names
    anchor: Pixel  # where it wants to be near
    points: tuple[Pixel, ...]  # its leader starts at the nearest of these (markers, an outline)
    size: tuple[float, float]
    view: int  # 0: the main frame; else the inset (frame.views[view]) whose box it stays in
    area: tuple[tuple[Pixel, ...], ...] = ()  # an area label's rings: on them, no leader


@dataclass(frozen=True, slots=True)
class Scene:
    lang: str
    clusters: tuple[str, ...]
    frame: Frame
    markers: tuple[Marker, ...]
    joins: tuple[tuple[Colour, tuple[Pixel, ...]], ...]  # one line through each cluster's places
    tints: tuple[Tint, ...]
    labels: tuple[Label, ...]
    title: str
    subtitle: str
    groups: tuple[tuple[Colour, str], ...]  # the legend: a colour per stage and status
    attribution: str
    # The two panels' rows: (colour swatch?, text, type size)
    title_rows: tuple[tuple[bool, str, int], ...]
    legend_rows: tuple[tuple[bool, str, int], ...]


def build_scene(
    kb: KnowledgeBase,
    localizer: Localizer,
    lang: str,
    view: MapView,
    colours: Mapping[Group, Colour],
) -> Scene:
    """The view's clusters, framed and worded in `lang`, coloured by `colours` (stage and
    status ids to a colour). Raises `MapFilterError` for an unknown filter or cluster."""
    contents = gather(kb, view, colours)
    say = localizer.text
    title = say(M.MAP_TITLE(), lang)
    subtitle = say(_subtitle(kb, view, contents), lang)
    groups = tuple(
        (
            colour,
            say(
                M.LISTING_GROUP(stage=Ref("stage", stage), status=Ref("status", status), count=n),
                lang,
            ),
        )
        for (stage, status), colour, n in contents.groups
    )
    attribution = say(M.MAP_ATTRIBUTION(), lang)
    title_rows = ((False, title, style.TITLE_SIZE), (False, subtitle, style.LEGEND_SIZE))
    legend_rows = (
        *((True, text, style.LEGEND_SIZE) for _, text in groups),
        (False, attribution, style.SMALL_SIZE),
    )
    outlines = load_outlines()
    frame = frame_for(contents, outlines, panel_size(title_rows), panel_size(legend_rows))
    markers, labels = _markers_and_labels(contents, frame, localizer, lang, outlines)
    return Scene(
        lang=lang,
        clusters=tuple(c.id for c in contents.clusters),
        frame=frame,
        markers=markers,
        joins=_joins(contents, markers),
        tints=_tints(contents, frame, outlines),
        labels=labels,
        title=title,
        subtitle=subtitle,
        groups=groups,
        attribution=attribution,
        title_rows=title_rows,
        legend_rows=legend_rows,
    )


def _subtitle(kb: KnowledgeBase, view: MapView, contents: Contents) -> Msg:
    """What the picture shows: the filter's clusters ("6 clusters in the Second Stage"), or
    the clusters by name when it shows a few chosen ones ("UBE" for "where is Ube?")."""
    chosen = not (view.stage or view.status or view.fields)
    if chosen and 0 < len(contents.clusters) <= NAMED_CLUSTERS < len(kb.clusters):
        return M.MAP_SUBTITLE_CLUSTERS(
            clusters=tuple(Ref("cluster", c.id) for c in contents.clusters)
        )
    return described(contents.clusters, view.stage, view.status, view.fields)


def _markers_and_labels(
    contents: Contents,
    frame: Frame,
    localizer: Localizer,
    lang: str,
    outlines: Mapping[int, Outline],
) -> tuple[tuple[Marker, ...], tuple[Label, ...]]:
    """A marker for each cluster at each of its towns, spread so each shows; a label for
    each group of nearby towns, and one on each area a cluster has nothing but."""
    markers: list[Marker] = []
    labels: list[Label] = []
    for index, view in enumerate(frame.views):
        spots = [s for s in contents.spots if frame.view_of(s.prefecture) is view]
        at = {s.place: view.project(*s.position) for s in spots}
        for members in shared_labels(spots, at, style.SHARED_LABEL_DISTANCE):
            key = "places:" + "+".join(s.place for s in members)
            places = [s.place for s in sorted(members, key=lambda s: s.position[0])]
            lines = label_lines(localizer, lang, places)
            exact = [at[s.place] for s in members for _ in s.clusters]
            owners = [(c, s.place) for s in members for c in s.clusters]
            markers.extend(
                Marker(c, p, centre, contents.colours[c], key)
                for (c, p), centre in zip(owners, exact, strict=True)
            )
            anchor = _mean([at[s.place] for s in members])
            labels.append(Label(key, lines, tuple(places), anchor, (), label_size(lines), index))
    markers = _spread_markers(markers)
    points_of: dict[str, list[Pixel]] = {}
    for marker in markers:
        points_of.setdefault(marker.label, []).append(marker.centre)
    labels = [replace(label, points=tuple(points_of[label.key])) for label in labels]
    for area in contents.areas:
        if not area.labelled:
            continue
        view = frame.main if any(c in frame.main.prefectures for c in area.prefectures) else None
        view = view or frame.view_of(area.prefectures[0])
        rings = [
            tuple(view.project(lon, lat) for lon, lat in outlines[code].ring)
            for code in area.prefectures
            if frame.view_of(code) is view
        ]
        lines = label_lines(localizer, lang, [area.place])
        labels.append(
            Label(
                f"area:{area.place}",
                lines,
                (area.place,),
                area_anchor(rings, [m.centre for m in markers]),
                _sampled([p for ring in rings for p in ring], AREA_LEADER_POINTS),
                label_size(lines),
                frame.views.index(view),
                tuple(rings),
            )
        )
    return tuple(markers), tuple(labels)


def area_anchor(rings: Sequence[Sequence[Pixel]], markers: Sequence[Pixel]) -> Pixel:
    """Where an area's label sits on the area: the point farthest from both its coast and
    the markers on it (the last point left when the area, with a hole at each marker, is
    eroded away on a small grid; the borders between its own prefectures do not count)."""
    xs = [p[0] for ring in rings for p in ring]
    ys = [p[1] for ring in rings for p in ring]
    left, top = min(xs), min(ys)
    scale = ANCHOR_GRID / max(max(xs) - left, max(ys) - top, 1)
    size = (int((max(xs) - left) * scale) + 3, int((max(ys) - top) * scale) + 3)
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for ring in rings:
        draw.polygon([((x - left) * scale + 1, (y - top) * scale + 1) for x, y in ring], fill=255)
    hole = (style.MARKER_RADIUS + style.MARKER_RING) * scale
    for x, y in markers:
        cx, cy = (x - left) * scale + 1, (y - top) * scale + 1
        draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=0)
    if mask.getbbox() is None:  # too small to hold a pixel: its outline's middle
        return interior_point(tuple(max(rings, key=_extent)))
    while (eroded := mask.filter(ImageFilter.MinFilter(3))).getbbox() is not None:
        mask = eroded
    width = mask.size[0]
    deepest = [i for i, value in enumerate(mask.tobytes()) if value]
    middle = deepest[len(deepest) // 2]
    return ((middle % width - 1) / scale + left, (middle // width - 1) / scale + top)


def shared_labels(
    spots: Sequence[Spot], at: Mapping[str, Pixel], distance: float
) -> list[list[Spot]]:
    """The spots in groups that share a label: the two nearest groups merge while every
    place of the merged group stays within `distance` of every other (complete linkage),
    so a chain of towns never becomes one long label."""
    groups = [[spot] for spot in spots]
    while True:
        best: tuple[float, int, int] | None = None
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                span = max(
                    math.dist(at[a.place], at[b.place]) for a in groups[i] for b in groups[j]
                )
                if span < distance and (best is None or span < best[0]):
                    best = (span, i, j)
        if best is None:
            return groups
        _span, i, j = best
        groups[i] = groups[i] + groups.pop(j)


def label_lines(localizer: Localizer, lang: str, places: Sequence[str]) -> tuple[str, ...]:
    """The places' names as the catalogue joins them ("Gifu · Ogaki", 「岐阜・大垣」), on as
    many lines as `style.LABEL_MAX_WIDTH` needs (a name is never split)."""
    lines: list[str] = []
    start = 0
    for end in range(1, len(places) + 1):
        text = _joined(localizer, lang, places[start:end])
        if end - start > 1 and text_width(text, style.LABEL_SIZE) > style.LABEL_MAX_WIDTH:
            lines.append(_joined(localizer, lang, places[start : end - 1]))
            start = end - 1
    lines.append(_joined(localizer, lang, places[start:]))
    return tuple(lines)


def _joined(localizer: Localizer, lang: str, places: Sequence[str]) -> str:
    return localizer.text(M.MAP_LABEL(places=tuple(Ref("place", p) for p in places)), lang)


def _spread_markers(markers: list[Marker]) -> list[Marker]:
    centres = spread(
        [m.centre for m in markers],
        2 * (style.MARKER_RADIUS + style.MARKER_RING) + style.MARKER_GAP,
    )
    return [
        Marker(m.cluster, m.place, centre, m.colour, m.label)
        for m, centre in zip(markers, centres, strict=True)
    ]


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


def _joins(
    contents: Contents, markers: Sequence[Marker]
) -> tuple[tuple[Colour, tuple[Pixel, ...]], ...]:
    joins = []
    for cluster in contents.clusters:
        points = tuple(m.centre for m in markers if m.cluster == cluster.id)
        if len(points) > 1:
            joins.append((contents.colours[cluster.id], points))
    return tuple(joins)


def _tints(contents: Contents, frame: Frame, outlines: Mapping[int, Outline]) -> tuple[Tint, ...]:
    tints = []
    for area in contents.areas:
        colours = tuple(dict.fromkeys(contents.colours[c] for c in area.clusters))
        rings = tuple(
            tuple(frame.view_of(code).project(lon, lat) for lon, lat in outlines[code].ring)
            for code in area.prefectures
        )
        tints.append(Tint(area.place, rings, colours, area.clusters))
    return tuple(tints)


def _mean(points: Sequence[Pixel]) -> Pixel:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _extent(ring: Sequence[Pixel]) -> float:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return (max(xs) - min(xs)) * (max(ys) - min(ys))


def _sampled(points: Sequence[Pixel], most: int) -> tuple[Pixel, ...]:
    step = max(1, math.ceil(len(points) / most))
    return tuple(points[::step])
