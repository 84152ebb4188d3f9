"""Where one label could go: boxes on rings of growing distance around its markers, each
with what it costs alone (its leader's length, the land it hides, the other clusters'
markers its leader crosses). Boxes off the picture, over a panel or over a marker are no
candidates at all.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.maps.boxes import Box, LabelItem, Pixel, leader_of, segment_hits_box

RINGS = (8, 24, 44, 70, 100, 140, 190, 250, 320)
DIRECTIONS = 16
CANDIDATE_SPACING = 40.0  # pixels between neighbouring candidates on a ring
KEEP = 100  # the cheapest this many candidates of a label are kept
GRID_STEP = 24  # when no ring has room, the picture is scanned in steps of this many pixels
LAND_WEIGHT = 0.12  # cost of one land cell hidden, in pixels of leader
MARKER_CROSSING_COST = 60.0  # a leader line passing over another cluster's marker
RING_WEIGHT = 0.35  # a box further out costs a little more than its leader's length says
SHORT_LEADER = 30.0
SHADE_WEIGHT = 1.5  # a label over another cluster's area: it would seem to name that area


class CellGrid:
    """Which cells of the picture are taken (land, or markers), as a summed-area table:
    what lies under any box is four look-ups."""

    def __init__(self, image: Image.Image, cell: int) -> None:
        """`image`: one pixel per cell, non-zero where taken."""
        self.cell = cell
        cols, rows = image.size
        self.rows, self.cols = rows, cols
        values = [1 if v else 0 for v in image.convert("L").tobytes()]
        table = [[0] * (cols + 1)]
        for r in range(rows):
            running = [0, *itertools.accumulate(values[r * cols : (r + 1) * cols])]
            table.append([a + b for a, b in zip(table[r], running, strict=True)])
        self.table = table

    def count(self, box: Box) -> int:
        """Taken cells touching the box."""
        c0 = _clamp(int(box[0] // self.cell), 0, self.cols)
        r0 = _clamp(int(box[1] // self.cell), 0, self.rows)
        c1 = _clamp(math.ceil(box[2] / self.cell), 0, self.cols)
        r1 = _clamp(math.ceil(box[3] / self.cell), 0, self.rows)
        t = self.table
        return t[r1][c1] - t[r0][c1] - t[r1][c0] + t[r0][c0]


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


BLOCK_CELL = 4


def blocking_grid(bounds: Box, boxes: tuple[Box, ...], gap: float) -> CellGrid:
    """The cells a label may not touch: each box grown by `gap` (markers, panels), on a
    grid fine enough to cost a label at most a few pixels of room."""
    cols = math.ceil(bounds[2] / BLOCK_CELL) + 1
    rows = math.ceil(bounds[3] / BLOCK_CELL) + 1
    image = Image.new("1", (cols, rows), 0)
    draw = ImageDraw.Draw(image)
    for box in boxes:
        draw.rectangle(
            (
                math.floor((box[0] - gap) / BLOCK_CELL),
                math.floor((box[1] - gap) / BLOCK_CELL),
                math.ceil((box[2] + gap) / BLOCK_CELL) - 1,
                math.ceil((box[3] + gap) / BLOCK_CELL) - 1,
            ),
            fill=1,
        )
    return CellGrid(image, BLOCK_CELL)


@dataclass(frozen=True, slots=True)
class Candidate:
    box: Box
    leader: tuple[Pixel, Pixel]
    cost: float
    reach: Box  # the box and its leader together: what another label can clash with


def leader(item: LabelItem, box: Box) -> tuple[Pixel, Pixel]:
    """From the nearest marker to the box; none (a point) for an area's label centred on
    the area."""
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    if item.on_anchor and math.dist(centre, item.anchor) < 0.5:
        return centre, centre
    return leader_of(item, box)


def candidates(
    item: LabelItem,
    *,
    bounds: Box,
    blocked: CellGrid,
    markers: Sequence[tuple[str, Box]],
    land: CellGrid,
    shaded: Sequence[CellGrid] = (),
) -> list[Candidate]:
    """The label's cheapest candidate places, cheapest first; the best place anywhere on
    the picture when no ring around its markers has room."""
    width, height = item.size
    boxes: list[tuple[Box, float]] = []
    if item.on_anchor:
        x, y = item.anchor
        boxes.append(((x - width / 2, y - height / 2, x + width / 2, y + height / 2), 0.0))
    for ring in RINGS:
        directions = max(DIRECTIONS, int(2 * math.pi * ring / CANDIDATE_SPACING))
        for step in range(directions):
            angle = 2 * math.pi * step / directions
            cx = item.anchor[0] + math.cos(angle) * (ring + width / 2)
            cy = item.anchor[1] + math.sin(angle) * (ring + height / 2)
            boxes.append(((cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2), ring))
    found = _valid(item, boxes, bounds, blocked, markers, land, shaded)
    if not found:
        grid = []
        y = bounds[1]
        while y + height <= bounds[3]:
            x = bounds[0]
            while x + width <= bounds[2]:
                grid.append(((x, y, x + width, y + height), 0.0))
                x += GRID_STEP
            y += GRID_STEP
        found = _valid(item, grid, bounds, blocked, markers, land, shaded)
    found.sort(key=lambda c: c.cost)
    return found[:KEEP]


def _valid(
    item: LabelItem,
    boxes: Sequence[tuple[Box, float]],
    bounds: Box,
    blocked: CellGrid,
    markers: Sequence[tuple[str, Box]],
    land: CellGrid,
    shaded: Sequence[CellGrid],
) -> list[Candidate]:
    found = []
    others = [marker for key, marker in markers if key != item.key]
    for box, ring in boxes:
        if box[0] < bounds[0] or box[1] < bounds[1] or box[2] > bounds[2] or box[3] > bounds[3]:
            continue
        if blocked.count(box):
            continue
        line = leader(item, box)
        length = math.dist(*line)
        # A leader this short hardly reaches past its own marker (places this near share a
        # label): counting the markers it crosses is skipped.
        crossed = (
            sum(1 for marker in others if segment_hits_box(*line, marker))
            if length > SHORT_LEADER
            else 0
        )
        cost = (
            length
            + RING_WEIGHT * ring
            + LAND_WEIGHT * land.count(box)
            + MARKER_CROSSING_COST * crossed
            + SHADE_WEIGHT * sum(grid.count(box) for grid in shaded)
        )
        reach = (
            min(box[0], line[0][0]),
            min(box[1], line[0][1]),
            max(box[2], line[0][0]),
            max(box[3], line[0][1]),
        )
        found.append(Candidate(box, line, cost, reach))
    return found
