"""Drawing a laid-out map with Pillow: the base (sea and prefectures, in the main frame and
in the inset when there is one), the areas' shading, joins, leaders, markers, labels and
the panel, at twice the size, scaled down once at the end so that lines and outlines come
out smooth. No display, no files: PNG bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from PIL import Image, ImageDraw

from bot.geo.outlines import Outline, load_outlines
from bot.maps import style
from bot.maps.boxes import Box, Placement
from bot.maps.candidates import CellGrid
from bot.maps.fonts import font
from bot.maps.frame import Frame, View
from bot.maps.measure import PANEL_PADDING, SWATCH_ROOM, line_height
from bot.maps.projection import Pixel
from bot.maps.scene import Label, Scene, Tint

S = style.SUPERSAMPLE
LAND_CELL = 8


def _scaled(points: Sequence[Pixel]) -> list[tuple[float, float]]:
    return [(x * S, y * S) for x, y in points]


def _rings(view: View, outlines: Mapping[int, Outline]) -> list[list[Pixel]]:
    return [
        [view.project(lon, lat) for lon, lat in outline.ring]
        for code, outline in outlines.items()
        if code in view.prefectures
    ]


def base_layer(frame: Frame) -> Image.Image:
    """Sea and prefectures at drawing size, and the inset in its box when there is one."""
    outlines = load_outlines()
    image = Image.new("RGB", (style.WIDTH * S, style.HEIGHT * S), style.SEA)
    _draw_outlines(ImageDraw.Draw(image), [_scaled(r) for r in _rings(frame.main, outlines)])
    for inset in frame.insets:
        left, top, right, bottom = (round(v * S) for v in inset.box)
        tile = Image.new("RGB", (right - left, bottom - top), style.SEA)
        rings = [
            [(x - left, y - top) for x, y in _scaled(ring)] for ring in _rings(inset, outlines)
        ]
        _draw_outlines(ImageDraw.Draw(tile), rings)
        image.paste(tile, (left, top))
        ImageDraw.Draw(image).rectangle(
            (left, top, right, bottom), outline=style.PANEL_BORDER, width=2 * S
        )
    return image


def _draw_outlines(draw: ImageDraw.ImageDraw, rings: list[list[tuple[float, float]]]) -> None:
    for ring in rings:
        draw.polygon(ring, fill=style.LAND)
    for ring in rings:
        draw.line([*ring, ring[0]], fill=style.BORDER, width=S, joint="curve")


def land_grid(frame: Frame) -> CellGrid:
    """Which 8-pixel cells are land, for the label layout's preference for the sea."""
    cols, rows = style.WIDTH // LAND_CELL, style.HEIGHT // LAND_CELL
    mask = Image.new("1", (cols, rows), 0)
    draw = ImageDraw.Draw(mask)
    for view in frame.views:
        for ring in _rings(view, load_outlines()):
            draw.polygon([(x / LAND_CELL, y / LAND_CELL) for x, y in ring], fill=1)
    return CellGrid(mask, LAND_CELL)


def shaded_grid(tint: Tint) -> CellGrid:
    """Which 8-pixel cells an area's shading covers."""
    mask = Image.new("1", (style.WIDTH // LAND_CELL, style.HEIGHT // LAND_CELL), 0)
    draw = ImageDraw.Draw(mask)
    for ring in tint.rings:
        draw.polygon([(x / LAND_CELL, y / LAND_CELL) for x, y in ring], fill=1)
    return CellGrid(mask, LAND_CELL)


# -------------------------------------------------------------------- drawing


def draw_map(scene: Scene, placements: Sequence[Placement]) -> bytes:
    image = base_layer(scene.frame)
    for tint in scene.tints:
        _shade(image, tint)
    draw = ImageDraw.Draw(image)
    for tint in scene.tints:  # the areas' own borders over the shading, a little darker
        for ring in tint.rings:
            scaled = _scaled(ring)
            draw.line([*scaled, scaled[0]], fill=style.COAST, width=S, joint="curve")
    for colour, points in scene.joins:
        draw.line(_scaled(points), fill=colour, width=style.JOIN_WIDTH * S, joint="curve")
    labels = {label.key: label for label in scene.labels}
    for placement in placements:
        if needs_leader(labels[placement.key], placement):
            draw.line(_scaled(placement.leader), fill=style.LEADER, width=style.LEADER_WIDTH * S)
    outer = (style.MARKER_RADIUS + style.MARKER_RING) * S
    for marker in scene.markers:
        x, y = marker.centre[0] * S, marker.centre[1] * S
        draw.ellipse((x - outer, y - outer, x + outer, y + outer), fill=style.HALO)
        r = style.MARKER_RADIUS * S
        draw.ellipse((x - r, y - r, x + r, y + r), fill=marker.colour)
    for placement in placements:
        _draw_label(draw, labels[placement.key], placement.box)
    _draw_panel(draw, scene.frame.title, scene.title_rows, ())
    _draw_panel(draw, scene.frame.legend, scene.legend_rows, [c for c, _ in scene.groups])
    # Averaging each 2x2 block is all a 2x supersample needs (and ten times faster than a
    # Lanczos filter); a 256-colour palette keeps every flat colour of the map exact enough
    # and makes the file a quarter of the size, and quicker to encode.
    final = image.reduce(S).quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    final.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def needs_leader(label: Label, placement: Placement) -> bool:
    """A label right beside its marker, or lying on its area, needs no leader line."""
    beside = 0 if label.area else style.MARKER_RADIUS + style.MARKER_RING
    return placement.leader_length > beside + style.LEADER_MIN


def _shade(image: Image.Image, tint: Tint) -> None:
    """The area in its clusters' colours, see-through: one colour, or diagonal stripes of
    each when several clusters share the area."""
    points = [p for ring in tint.rings for p in _scaled(ring)]
    left = max(0, int(min(p[0] for p in points)))
    top = max(0, int(min(p[1] for p in points)))
    right = min(image.width, int(max(p[0] for p in points)) + 1)
    bottom = min(image.height, int(max(p[1] for p in points)) + 1)
    if right <= left or bottom <= top:
        return
    size = (right - left, bottom - top)
    mask = Image.new("L", size, 0)
    for ring in tint.rings:
        shifted = [(x - left, y - top) for x, y in _scaled(ring)]
        ImageDraw.Draw(mask).polygon(shifted, fill=style.TINT_ALPHA)
    pattern = Image.new("RGB", size, tint.colours[0])
    if len(tint.colours) > 1:
        stripes = ImageDraw.Draw(pattern)
        band = style.TINT_STRIPE * S
        # Bands counted from the picture's corner, so neighbouring areas' stripes line up.
        first = (left + top) // band
        for index in range(first, (right + bottom) // band + 1):
            start = index * band - (left + top)
            colour = tint.colours[index % len(tint.colours)]
            stripes.polygon(
                [
                    (start, 0),
                    (start + band, 0),
                    (start + band - size[1], size[1]),
                    (start - size[1], size[1]),
                ],
                fill=colour,
            )
    image.paste(pattern, (left, top), mask)


def _draw_label(draw: ImageDraw.ImageDraw, label: Label, box: Box) -> None:
    left, top, right, bottom = (v * S for v in box)
    draw.rounded_rectangle(
        (left, top, right, bottom),
        radius=5 * S,
        fill=style.PANEL,
        outline=style.PANEL_BORDER,
        width=S,
    )
    pad_x, pad_y = style.LABEL_PADDING
    size = style.LABEL_SIZE
    y = top + pad_y * S
    for line in label.lines:
        baseline = y + size * 1.0 * S
        draw.text(
            (left + pad_x * S, baseline), line, font=font(size * S), fill=style.INK, anchor="ls"
        )
        y += line_height(size) * S


def _draw_panel(
    draw: ImageDraw.ImageDraw,
    box: Box,
    rows: Sequence[tuple[bool, str, int]],
    swatches: Sequence[tuple[int, int, int]],
) -> None:
    left, top, right, bottom = (v * S for v in box)
    draw.rounded_rectangle(
        (left, top, right, bottom),
        radius=8 * S,
        fill=style.PANEL,
        outline=style.PANEL_BORDER,
        width=2 * S,
    )
    pad_x, pad_y = PANEL_PADDING
    y = top + pad_y * S
    colours = iter(swatches)
    for swatch, text, size in rows:
        x = left + pad_x * S
        height = line_height(size) * S
        if swatch:
            disc = size * 0.7 * S
            sy = y + (height - disc) / 2
            draw.ellipse((x, sy, x + disc, sy + disc), fill=next(colours))
            x += SWATCH_ROOM * S
        ink = style.MUTED_INK if size == style.SMALL_SIZE else style.INK
        draw.text((x, y + size * 1.0 * S), text, font=font(size * S), fill=ink, anchor="ls")
        y += height
