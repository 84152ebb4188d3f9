"""Drawing a laid-out map with Pillow: the base (sea, prefectures, the Okinawa inset), then
joins, leaders, markers, labels and panels, at twice the size, scaled down once at the end
so that lines and outlines come out smooth. No display, no files: PNG bytes out.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.geo.outlines import Outline, load_outlines
from bot.maps import style
from bot.maps.fonts import font
from bot.maps.layout import Box, LandGrid, Placement
from bot.maps.projection import Pixel, Projection
from bot.maps.scene import Label, Scene

S = style.SUPERSAMPLE
OKINAWA = 47  # JIS code; drawn in an inset, as Japanese maps usually do
INSET = (14, style.HEIGHT - 150, 150, style.HEIGHT - 14)  # bottom-left, in the East China Sea
LAND_CELL = 8


def _scaled(points: Sequence[Pixel]) -> list[tuple[float, float]]:
    return [(x * S, y * S) for x, y in points]


def _inset_transform(outline: Outline, project: Projection) -> list[Pixel]:
    """Okinawa's outline at the map's scale, centred in the inset box."""
    ring = [project(lon, lat) for lon, lat in outline.ring]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    dx = (INSET[0] + INSET[2]) / 2 - (min(xs) + max(xs)) / 2
    dy = (INSET[1] + INSET[3]) / 2 - (min(ys) + max(ys)) / 2
    return [(x + dx, y + dy) for x, y in ring]


def _main_rings(outlines: Mapping[int, Outline], project: Projection) -> list[list[Pixel]]:
    return [
        [project(lon, lat) for lon, lat in o.ring]
        for code, o in outlines.items()
        if code != OKINAWA
    ]


@functools.cache
def base_layer(project: Projection) -> Image.Image:
    """Sea, prefectures and the Okinawa inset at drawing size; the same for every map."""
    outlines = load_outlines()
    image = Image.new("RGB", (style.WIDTH * S, style.HEIGHT * S), style.SEA)
    draw = ImageDraw.Draw(image)
    rings = _main_rings(outlines, project)
    for ring in rings:
        draw.polygon(_scaled(ring), fill=style.LAND)
    for ring in rings:
        draw.line([*_scaled(ring), _scaled(ring[:1])[0]], fill=style.BORDER, width=S, joint="curve")
    inset = tuple(v * S for v in INSET)
    draw.rectangle(inset, fill=style.SEA, outline=style.PANEL_BORDER, width=2 * S)
    okinawa = _scaled(_inset_transform(outlines[OKINAWA], project))
    draw.polygon(okinawa, fill=style.LAND, outline=style.COAST, width=S)
    return image


@functools.cache
def land_grid(project: Projection) -> LandGrid:
    """Which 8-pixel cells are land, for the label layout's preference for the sea."""
    cols, rows = style.WIDTH // LAND_CELL, style.HEIGHT // LAND_CELL
    mask = Image.new("1", (cols, rows), 0)
    draw = ImageDraw.Draw(mask)
    for ring in _main_rings(load_outlines(), project):
        draw.polygon([(x / LAND_CELL, y / LAND_CELL) for x, y in ring], fill=1)
    pixels = mask.load()
    cells = [[bool(pixels[c, r]) for c in range(cols)] for r in range(rows)]
    return LandGrid(cells, LAND_CELL)


# -------------------------------------------------------------------- measuring


def line_height(size: int) -> float:
    return size * 1.3


def text_width(text: str, size: int) -> float:
    return font(size * S).getlength(text) / S


def label_size(label: Label) -> tuple[float, float]:
    pad_x, pad_y = style.LABEL_PADDING
    width = max(text_width(line, style.LABEL_SIZE) for line in label.lines)
    chips = len(label.chips) * (style.CHIP + style.CHIP_GAP) + style.CHIP_GAP if label.chips else 0
    height = line_height(style.LABEL_SIZE) * len(label.lines)
    return width + chips + 2 * pad_x, height + 2 * pad_y


@dataclass(frozen=True, slots=True)
class Panel:
    box: Box
    # (swatch colour or None, its shape "disc" or "square", text, type size)
    rows: tuple[tuple[tuple[int, int, int] | None, str, str, int], ...]


def title_panel(scene: Scene) -> Panel:
    """The title and what is shown, in the top-left corner (the Sea of Japan)."""
    rows = (
        (None, "", scene.title, style.TITLE_SIZE),
        (None, "", scene.subtitle, style.SUBTITLE_SIZE),
    )
    return _panel(rows, PANEL_MARGIN, PANEL_MARGIN)


def legend_panel(scene: Scene, below: Panel) -> Panel:
    """Colours of the stages and statuses and of the key fields, under the title."""
    rows = (
        *((colour, "disc", text, style.LEGEND_SIZE) for colour, text in scene.groups),
        *((colour, "square", text, style.LEGEND_SIZE) for colour, text in scene.fields),
        (None, "", scene.attribution, style.SMALL_SIZE),
    )
    return _panel(rows, PANEL_MARGIN, below.box[3] + PANEL_MARGIN / 2)


PANEL_MARGIN = 14


def _panel(rows: tuple, left: float, top: float) -> Panel:
    swatch = style.LEGEND_SIZE + 8
    width = max(
        text_width(text, size) + (swatch if colour else 0) for colour, _, text, size in rows
    )
    height = sum(line_height(size) for *_, size in rows)
    return Panel((left, top, left + width + 24, top + height + 16), tuple(rows))


# -------------------------------------------------------------------- drawing


def draw_map(
    scene: Scene,
    placements: Sequence[Placement],
    panels: Sequence[Panel],
    base: Image.Image,
) -> bytes:
    image = base.copy()
    draw = ImageDraw.Draw(image)
    for colour, points in scene.joins:
        draw.line(_scaled(points), fill=colour, width=style.JOIN_WIDTH * S, joint="curve")
    colour_of = {label.cluster: label.colour for label in scene.labels}
    for placement in placements:
        draw.line(
            _scaled(placement.leader),
            fill=colour_of[placement.key],
            width=style.LEADER_WIDTH * S,
        )
    outer = (style.MARKER_RADIUS + style.MARKER_RING) * S
    for marker in scene.markers:
        x, y = marker.centre[0] * S, marker.centre[1] * S
        draw.ellipse((x - outer, y - outer, x + outer, y + outer), fill=style.HALO)
        r = style.MARKER_RADIUS * S
        draw.ellipse((x - r, y - r, x + r, y + r), fill=marker.colour)
    labels = {label.cluster: label for label in scene.labels}
    for placement in placements:
        _draw_label(draw, labels[placement.key], placement.box)
    for panel in panels:
        _draw_panel(draw, panel)
    # Averaging each 2x2 block is all a 2x supersample needs (and ten times faster than a
    # Lanczos filter); a 256-colour palette keeps every flat colour of the map exact enough
    # and makes the file a quarter of the size, and quicker to encode.
    final = image.reduce(S).quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    final.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _draw_label(draw: ImageDraw.ImageDraw, label: Label, box: Box) -> None:
    left, top, right, bottom = (v * S for v in box)
    draw.rounded_rectangle(
        (left, top, right, bottom),
        radius=6 * S,
        fill=style.PANEL,
        outline=label.colour,
        width=style.LABEL_BORDER * S,
    )
    pad_x, pad_y = style.LABEL_PADDING
    size = style.LABEL_SIZE
    x = left + pad_x * S
    y = top + pad_y * S
    for line in label.lines:
        baseline = y + size * 1.02 * S
        draw.text((x, baseline), line, font=font(size * S), fill=style.INK, anchor="ls")
        y += line_height(size) * S
    chip = style.CHIP * S
    cx = right - pad_x * S - len(label.chips) * (style.CHIP + style.CHIP_GAP) * S
    cy = top + pad_y * S + (line_height(size) * S - chip) / 2
    for colour in label.chips:
        cx += style.CHIP_GAP * S
        draw.rounded_rectangle((cx, cy, cx + chip, cy + chip), radius=3 * S, fill=colour)
        cx += chip


def _draw_panel(draw: ImageDraw.ImageDraw, panel: Panel) -> None:
    left, top, right, bottom = (v * S for v in panel.box)
    draw.rounded_rectangle(
        (left, top, right, bottom),
        radius=8 * S,
        fill=style.PANEL,
        outline=style.PANEL_BORDER,
        width=2 * S,
    )
    y = top + 8 * S
    for colour, shape, text, size in panel.rows:
        x = left + 12 * S
        height = line_height(size) * S
        if colour is not None:
            swatch = size * 0.8 * S
            sy = y + (height - swatch) / 2
            radius = swatch / 2 if shape == "disc" else 3 * S
            draw.rounded_rectangle((x, sy, x + swatch, sy + swatch), radius=radius, fill=colour)
            x += (style.LEGEND_SIZE + 8) * S
        ink = style.MUTED_INK if size == style.SMALL_SIZE else style.INK
        draw.text((x, y + size * 1.02 * S), text, font=font(size * S), fill=ink, anchor="ls")
        y += height
