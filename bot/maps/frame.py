"""What part of the earth the picture shows: the frame follows the clusters shown.

The main frame is the extent of the view's places and areas, as large as the picture
allows (a map of three clusters is those three, not three dots on the whole country).
Okinawa and Hokkaido go into insets, as Japanese maps often draw them, but only where a
cluster of the view lies and others lie elsewhere (`style.INSETS`): Okinawa always then,
Hokkaido when leaving it out makes the rest clearly larger. The title, the legend and each
inset take a corner of the picture that no place or area of the view lies under, the one
hiding least land; when no corner is free, the frame gives up a strip on the side that
costs it least scale, and the box goes there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.geo.geometry import contains
from bot.geo.outlines import Outline
from bot.maps import style
from bot.maps.contents import Contents
from bot.maps.projection import Box, LonLatBox, Pixel, Projection, extent_of, fit

SIDES = ("left", "top", "right", "bottom")
TITLE_CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
LEGEND_CORNERS = ("bottom-right", "top-right", "bottom-left", "top-left")
INSET_CORNERS = ("bottom-right", "top-right", "bottom-left", "top-left")
MAX_RESERVATIONS = 6
PANEL_GAP = 6  # between the title and the legend under it
LAND_CELL = 10  # the land a box would hide is counted on a grid of this many pixels


@dataclass(frozen=True, slots=True)
class View:
    """One projection and the box of the picture it is drawn in."""

    box: Box
    project: Projection
    prefectures: frozenset[int]  # the prefectures drawn, and whose places and areas it shows


@dataclass(frozen=True, slots=True)
class Frame:
    main: View
    insets: tuple[View, ...]
    title: Box
    legend: Box

    def view_of(self, prefecture: int) -> View:
        return next((v for v in self.insets if prefecture in v.prefectures), self.main)

    @property
    def views(self) -> tuple[View, ...]:
        return (self.main, *self.insets)


def frame_for(
    contents: Contents,
    outlines: Mapping[int, Outline],
    title_size: tuple[float, float],
    legend_size: tuple[float, float],
    canvas: tuple[int, int] = (style.WIDTH, style.HEIGHT),
) -> Frame:
    """The frame of the view's places and areas, and where the title, the legend and the
    insets go."""
    whole: Box = (0, 0, canvas[0], canvas[1])
    used = {s.prefecture for s in contents.spots} | {
        code for a in contents.areas for code in a.prefectures
    }
    main_codes = frozenset(outlines)
    inset_codes: list[frozenset[int]] = []
    for codes, gain in style.INSETS:
        inside = used & set(codes)
        rest = used & main_codes - set(codes)
        if not inside or not rest:
            continue
        kept = main_codes - set(codes)
        before = _fit(_points(contents, outlines, main_codes), whole).scale
        after = _fit(_points(contents, outlines, kept), whole).scale
        if after >= gain * before:
            inset_codes.append(frozenset(codes))
            main_codes = kept
    main_points = _points(contents, outlines, main_codes)
    panels = [("title", title_size, TITLE_CORNERS), ("legend", legend_size, LEGEND_CORNERS)]
    stacked = (
        max(title_size[0], legend_size[0]),
        title_size[1] + PANEL_GAP + legend_size[1],
    )
    insets_wanted = []
    inset_extents = {}
    for index, codes in enumerate(inset_codes):
        extent = extent_of([p for code in codes for p in outlines[code].ring])
        inset_extents[index] = extent
        insets_wanted.append((f"inset{index}", _inset_size(extent), INSET_CORNERS))
    reserved = dict.fromkeys(SIDES, 0.0)
    for _ in range(MAX_RESERVATIONS):
        box = _shrunk(whole, reserved)
        project = _fit(main_points, box)
        shapes = _shapes(contents, outlines, main_codes, project)
        land = _land(outlines, main_codes, project, whole)
        placed: dict[str, Box] = {}
        # The title with the legend under it, in one corner, where a reader looks first;
        # apart only when no corner holds both.
        block = _free_place("panels", stacked, TITLE_CORNERS, whole, shapes, placed, land)
        if block is not None:
            placed.update(_split(block, title_size, legend_size, whole))
        wanted = [*(() if block is not None else panels), *insets_wanted]
        for name, size, corners in wanted:
            found = _free_place(name, size, corners, whole, shapes, placed, land)
            if found is None:
                side, amount = _cheapest_strip(main_points, whole, reserved, size)
                reserved[side] += amount
                break
            placed[name] = found
        else:
            break
    for name, size, corners in (*panels, *insets_wanted):  # past MAX_RESERVATIONS (never
        placed.setdefault(name, _at_corner(whole, corners[0], size))  # seen): better than none
    insets = []
    for index, codes in enumerate(inset_codes):
        inset_box = placed[f"inset{index}"]
        inner = _shrunk(inset_box, dict.fromkeys(SIDES, style.EDGE_MARGIN))
        inset_project = fit(inset_extents[index], inner, 0, 0)
        insets.append(View(inset_box, inset_project, codes))
    return Frame(View(box, project, main_codes), tuple(insets), placed["title"], placed["legend"])


def _split(
    block: Box, title_size: tuple[float, float], legend_size: tuple[float, float], whole: Box
) -> dict[str, Box]:
    """The title and the legend under it, in a corner's block, flush with its outer side."""
    right = block[0] > (whole[0] + whole[2]) / 2
    boxes = {}
    top = block[1]
    for name, (width, height) in (("title", title_size), ("legend", legend_size)):
        left = block[2] - width if right else block[0]
        boxes[name] = (left, top, left + width, top + height)
        top += height + PANEL_GAP
    return boxes


def _inset_size(extent: LonLatBox) -> tuple[float, float]:
    """An inset as wide as style.INSET_WIDTH, as tall as its outlines' shape wants (within
    reason), so the islands fill it."""
    probe = fit(extent, (0, 0, 1000, 1000), 0, 0)
    west, south, east, north = extent
    width = (east - west) * probe.x_scale
    height = (north - south) * probe.scale
    ratio = min(max(height / width, 0.6), 1.2)
    margin = 2 * style.EDGE_MARGIN
    return style.INSET_WIDTH + margin, style.INSET_WIDTH * ratio + margin


def _free_place(
    name: str,
    size: tuple[float, float],
    corners: Sequence[str],
    whole: Box,
    shapes: list[list[Pixel]],
    placed: Mapping[str, Box],
    land: Image.Image,
) -> Box | None:
    """The candidate box for `name` that covers no place or area and no other box, hiding
    the least land (the first of equals, in the corners' order of preference)."""
    candidates = [_at_corner(whole, corner, size) for corner in corners]
    if name == "legend":  # best right under the title, where a reader looks next
        title = placed["title"]
        top = title[3] + PANEL_GAP
        candidates.insert(0, (title[0], top, title[0] + size[0], top + size[1]))
    free = [
        b
        for b in candidates
        if _inside(b, whole)
        and not _covers(b, shapes)
        and not any(_overlap(b, other) for other in placed.values())
    ]
    if not free:
        return None
    if name == "legend" and free[0] == candidates[0]:
        return free[0]
    if name == "panels" and free[0] == candidates[0]:
        return free[0]  # the top left, where a reader looks first, when it is free
    return min(free, key=lambda b: _land_in(land, b))


def _points(
    contents: Contents, outlines: Mapping[int, Outline], codes: frozenset[int]
) -> list[tuple[float, float]]:
    points = [s.position for s in contents.spots if s.prefecture in codes]
    for area in contents.areas:
        for code in area.prefectures:
            if code in codes:
                points.extend(outlines[code].ring)
    return points


def _fit(points: Sequence[tuple[float, float]], box: Box) -> Projection:
    return fit(extent_of(list(points)), box, style.PADDING, style.MIN_SPAN_DEGREES)


def _shapes(
    contents: Contents,
    outlines: Mapping[int, Outline],
    codes: frozenset[int],
    project: Projection,
) -> list[list[Pixel]]:
    """What a box must not cover, in pixels: a square around each place, and the outline
    of each area."""
    reach = style.MARKER_RADIUS * 3
    shapes = []
    for spot in contents.spots:
        if spot.prefecture in codes:
            x, y = project(*spot.position)
            shapes.append([(x - reach, y - reach), (x + reach, y + reach)])
    for area in contents.areas:
        for code in area.prefectures:
            if code in codes:
                shapes.append([project(lon, lat) for lon, lat in outlines[code].ring])
    return shapes


def _land(
    outlines: Mapping[int, Outline], codes: frozenset[int], project: Projection, whole: Box
) -> Image.Image:
    mask = Image.new("L", (int(whole[2] // LAND_CELL) + 1, int(whole[3] // LAND_CELL) + 1), 0)
    draw = ImageDraw.Draw(mask)
    for code in codes:
        ring = [project(lon, lat) for lon, lat in outlines[code].ring]
        draw.polygon([(x / LAND_CELL, y / LAND_CELL) for x, y in ring], fill=1)
    return mask


def _land_in(land: Image.Image, box: Box) -> int:
    cells = land.crop(tuple(int(v // LAND_CELL) for v in box))
    return sum(cells.tobytes())


def _covers(box: Box, shapes: list[list[Pixel]]) -> bool:
    for shape in shapes:
        if len(shape) == 2:  # a place's square
            (x0, y0), (x1, y1) = shape
            if _overlap(box, (x0, y0, x1, y1)):
                return True
            continue
        if any(box[0] <= x <= box[2] and box[1] <= y <= box[3] for x, y in shape):
            return True
        xs = [p[0] for p in shape]
        ys = [p[1] for p in shape]
        if not _overlap(box, (min(xs), min(ys), max(xs), max(ys))):
            continue
        corners = ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3]))
        if any(contains(tuple(shape), corner) for corner in corners):
            return True
    return False


def _inside(box: Box, whole: Box) -> bool:
    return box[0] >= whole[0] and box[1] >= whole[1] and box[2] <= whole[2] and box[3] <= whole[3]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _at_corner(whole: Box, corner: str, size: tuple[float, float]) -> Box:
    margin = style.EDGE_MARGIN
    vertical, horizontal = corner.split("-")
    left = whole[0] + margin if horizontal == "left" else whole[2] - margin - size[0]
    top = whole[1] + margin if vertical == "top" else whole[3] - margin - size[1]
    return (left, top, left + size[0], top + size[1])


def _shrunk(box: Box, reserved: Mapping[str, float]) -> Box:
    return (
        box[0] + reserved["left"],
        box[1] + reserved["top"],
        box[2] - reserved["right"],
        box[3] - reserved["bottom"],
    )


def _cheapest_strip(
    points: Sequence[tuple[float, float]],
    whole: Box,
    reserved: Mapping[str, float],
    size: tuple[float, float],
) -> tuple[str, float]:
    """The side whose strip (as wide or tall as the box, beside what is reserved already)
    leaves the frame the largest scale."""
    options = []
    for side in SIDES:
        amount = (size[0] if side in ("left", "right") else size[1]) + style.EDGE_MARGIN
        trial = dict(reserved)
        trial[side] += amount
        scale = _fit(points, _shrunk(whole, trial)).scale
        options.append((scale, side, amount))
    _scale, side, amount = max(options)
    return side, amount
