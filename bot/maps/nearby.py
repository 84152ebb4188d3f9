"""Labels beside their markers: candidate boxes on rings of growing distance around the
anchor; the cheapest valid one wins (distance, plus the land it would hide, plus leader lines
it would cross). A ring further out is tried only while it could still beat the best box.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.maps.boxes import (
    Box,
    LabelItem,
    LayoutError,
    Placement,
    leader_of,
    overlaps,
    segment_hits_box,
    segments_cross,
)

RINGS = (10, 24, 42, 64, 90, 120, 155, 195, 240, 290, 350, 420, 500, 600)
DIRECTIONS = 16
CANDIDATE_SPACING = 28.0  # pixels between neighbouring candidates on a ring
GRID_STEP = 16  # the last resort scans the picture in steps of this many pixels
LAND_WEIGHT = 0.15  # cost of one land cell hidden, in pixels of distance
CROSSING_COST = 60.0  # a leader line crossing another one
# A leader line through another label, or under this one, is refused while any other place
# is left; past that (a last resort) it costs this much instead.
LEADER_THROUGH_LABEL_COST = 500.0
MARKER_CROSSING_COST = 25.0  # a leader line passing over another cluster's marker


class LandGrid:
    """Which cells of the picture are land, as a summed-area table: the land under any box
    is four look-ups."""

    def __init__(self, cells: Sequence[Sequence[bool]], cell: int) -> None:
        self.cell = cell
        rows = len(cells)
        cols = len(cells[0]) if rows else 0
        self.rows, self.cols = rows, cols
        table = [[0] * (cols + 1) for _ in range(rows + 1)]
        for r in range(rows):
            running = 0
            for c in range(cols):
                running += 1 if cells[r][c] else 0
                table[r + 1][c + 1] = table[r][c + 1] + running
        self.table = table

    def land_in(self, box: Box) -> int:
        c0 = _clamp(int(box[0] // self.cell), 0, self.cols)
        r0 = _clamp(int(box[1] // self.cell), 0, self.rows)
        c1 = _clamp(math.ceil(box[2] / self.cell), 0, self.cols)
        r1 = _clamp(math.ceil(box[3] / self.cell), 0, self.rows)
        t = self.table
        return t[r1][c1] - t[r0][c1] - t[r1][c0] + t[r0][c0]


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def neighbours(item: LabelItem, items: Sequence[LabelItem], radius: float = 150.0) -> int:
    return sum(1 for other in items if math.dist(item.anchor, other.anchor) < radius)


class NearbySearch:
    """Candidate boxes for one label and what each would cost among the labels placed."""

    def __init__(
        self,
        bounds: Box,
        obstacles: Sequence[Box],
        markers: Sequence[tuple[str, Box]],
        land: LandGrid,
        gap: float,
    ) -> None:
        self.bounds = bounds
        self.obstacles = obstacles
        self.markers = markers
        self.land = land
        self.gap = gap

    def place(
        self, item: LabelItem, placed: Sequence[Placement], *, last_resort: bool = True
    ) -> Placement | None:
        """The cheapest box for the label among those placed; when no ring has room, the
        best box anywhere (`last_resort`) or None."""
        width, height = item.size
        best: tuple[float, Box] | None = None
        for ring in RINGS:
            if best is not None and ring >= best[0]:
                break  # nothing further out can cost less
            directions = max(DIRECTIONS, int(2 * math.pi * ring / CANDIDATE_SPACING))
            for step in range(directions):
                angle = 2 * math.pi * step / directions
                cx = item.anchor[0] + math.cos(angle) * (ring + width / 2)
                cy = item.anchor[1] + math.sin(angle) * (ring + height / 2)
                box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
                cost = self.cost(item, box, placed, ring=ring)
                if cost is not None and (best is None or cost < best[0]):
                    best = (cost, box)
        if best is None:
            if not last_resort:
                return None
            best = self._anywhere(item, placed)
        return Placement(item.key, best[1], leader_of(item, best[1]))

    def _anywhere(self, item: LabelItem, placed: Sequence[Placement]) -> tuple[float, Box]:
        """The best box on a grid over the whole picture, when no ring had room; leaders
        through other labels are then allowed, at a high cost."""
        width, height = item.size
        best: tuple[float, Box] | None = None
        y = self.bounds[1]
        while y + height <= self.bounds[3]:
            x = self.bounds[0]
            while x + width <= self.bounds[2]:
                box = (x, y, x + width, y + height)
                cost = self.cost(item, box, placed, strict=False)
                if cost is not None and (best is None or cost < best[0]):
                    best = (cost, box)
                x += GRID_STEP
            y += GRID_STEP
        if best is None:
            raise LayoutError(f"no room on the map for the label of {item.key}")
        return best

    def cost(
        self,
        item: LabelItem,
        box: Box,
        placed: Sequence[Placement],
        *,
        ring: float | None = None,
        strict: bool = True,
    ) -> float | None:
        """The cost of putting the label in `box`, or None when it may not go there."""
        bounds, gap = self.bounds, self.gap
        if box[0] < bounds[0] or box[1] < bounds[1] or box[2] > bounds[2] or box[3] > bounds[3]:
            return None
        if any(overlaps(box, other.box, gap) for other in placed):
            return None
        if any(overlaps(box, obstacle, gap) for obstacle in self.obstacles):
            return None
        if any(overlaps(box, marker, gap) for _, marker in self.markers):
            return None
        leader = leader_of(item, box)
        through = sum(1 for other in placed if segment_hits_box(*leader, other.box))
        through += sum(1 for other in placed if segment_hits_box(*other.leader, box))
        if through and strict:
            return None
        length = math.dist(*leader) if ring is None else ring
        cost = length + LAND_WEIGHT * self.land.land_in(box) + LEADER_THROUGH_LABEL_COST * through
        cost += CROSSING_COST * sum(1 for other in placed if segments_cross(leader, other.leader))
        cost += MARKER_CROSSING_COST * sum(
            1
            for key, marker in self.markers
            if key != item.key and segment_hits_box(*leader, marker)
        )
        return cost
