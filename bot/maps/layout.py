"""Where the labels go: each beside its cluster's markers, none overlapping another label, a
marker or a panel, preferably over the sea, tied to its markers by a leader line.

A greedy search, hardest label first (the one with most neighbours): candidate boxes on rings
of growing distance around the anchor, sixteen directions each; the cheapest valid box wins
(distance, plus the land it would hide, plus leader lines it would cross). A ring further out
is tried only while it could still beat the best box found. Pure geometry, no drawing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Pixel = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom

RINGS = (10, 24, 42, 64, 90, 120, 155, 195, 240, 290, 350, 420, 500, 600)
DIRECTIONS = 16
CANDIDATE_SPACING = 28.0  # pixels between neighbouring candidates on a ring
GRID_STEP = 16  # the last resort scans the picture in steps of this many pixels
LAND_WEIGHT = 0.15  # cost of one land cell hidden, in pixels of distance
CROSSING_COST = 60.0  # a leader line crossing another one
# A leader line through another label, or under this one, is refused while any other place
# is left; past that (a last resort) it costs this much instead.
LEADER_THROUGH_LABEL_COST = 500.0
IMPROVE_ROUNDS = 2  # passes moving single labels between docks
REACH_SLACK = 300.0  # a label moves only to docks at most this much further than its nearest
MARKER_CROSSING_COST = 25.0  # a leader line passing over another cluster's marker


class LayoutError(RuntimeError):
    """A label found no room anywhere on the picture."""


@dataclass(frozen=True, slots=True)
class LabelItem:
    key: str
    anchor: Pixel  # where the label wants to be near (the centre of its markers)
    points: tuple[Pixel, ...]  # its markers: the leader starts at the nearest one
    size: tuple[float, float]


@dataclass(frozen=True, slots=True)
class Placement:
    key: str
    box: Box
    leader: tuple[Pixel, Pixel]  # from a marker to the nearest point of the box


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


def overlaps(a: Box, b: Box, gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def nearest_point(box: Box, point: Pixel) -> Pixel:
    return (min(max(point[0], box[0]), box[2]), min(max(point[1], box[1]), box[3]))


def segment_hits_box(p: Pixel, q: Pixel, box: Box) -> bool:
    """Whether the segment p-q passes through the box (Liang-Barsky clipping)."""
    if (
        max(p[0], q[0]) < box[0]
        or min(p[0], q[0]) > box[2]
        or max(p[1], q[1]) < box[1]
        or min(p[1], q[1]) > box[3]
    ):
        return False  # the segment's own box misses it: most pairs end here
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for edge_p, edge_q in (
        (-dx, p[0] - box[0]),
        (dx, box[2] - p[0]),
        (-dy, p[1] - box[1]),
        (dy, box[3] - p[1]),
    ):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def segments_cross(a: tuple[Pixel, Pixel], b: tuple[Pixel, Pixel]) -> bool:
    def side(p: Pixel, q: Pixel, r: Pixel) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    (p1, p2), (q1, q2) = a, b
    if (
        max(p1[0], p2[0]) < min(q1[0], q2[0])
        or max(q1[0], q2[0]) < min(p1[0], p2[0])
        or max(p1[1], p2[1]) < min(q1[1], q2[1])
        or max(q1[1], q2[1]) < min(p1[1], p2[1])
    ):
        return False
    d1, d2 = side(q1, q2, p1), side(q1, q2, p2)
    d3, d4 = side(p1, p2, q1), side(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def leader_of(item: LabelItem, box: Box) -> tuple[Pixel, Pixel]:
    start = min(item.points, key=lambda p: math.dist(p, nearest_point(box, p)))
    return start, nearest_point(box, start)


@dataclass(frozen=True, slots=True)
class Dock:
    """A stretch of open sea where labels of crowded markers line up: a column (labels one
    under another, in the order of their markers from north to south) or a row (side by
    side, west to east). Labels sit flush with the dock's `side` that faces the map, and
    their leaders leave from the middle of that side, so no leader runs through a label of
    its own dock."""

    name: str
    area: Box
    side: str  # "left" or "right" for a column, "top" or "bottom" for a row

    @property
    def column(self) -> bool:
        return self.side in ("left", "right")

    def room(self, gap: float) -> float:
        left, top, right, bottom = self.area
        return (bottom - top if self.column else right - left) + gap

    def fits(self, size: tuple[float, float]) -> bool:
        left, top, right, bottom = self.area
        return size[0] <= right - left and size[1] <= bottom - top

    def length(self, size: tuple[float, float], gap: float) -> float:
        return (size[1] if self.column else size[0]) + gap

    def faces(self, point: Pixel) -> bool:
        """Whether a marker lies on the side of the dock its leaders leave from."""
        left, top, right, bottom = self.area
        return {
            "left": point[0] < left,
            "right": point[0] > right,
            "top": point[1] < top,
            "bottom": point[1] > bottom,
        }[self.side]

    def fan_order(self, point: Pixel) -> float:
        """Where a marker's label goes in the dock: labels follow the angle of their markers
        seen from the middle of the dock's facing side, so that leaders fan out uncrossed."""
        left, top, right, bottom = self.area
        middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
        dx, dy = point[0] - middle_x, point[1] - middle_y
        if self.side == "right":
            return math.atan2(dy, point[0] - right)
        if self.side == "left":
            return math.atan2(dy, left - point[0])
        if self.side == "top":
            return -math.atan2(top - point[1], dx)
        return math.atan2(point[1] - bottom, dx)

    def port(self, box: Box) -> Pixel:
        """Where a leader leaves a label of this dock."""
        left, top, right, bottom = box
        return {
            "left": (left, (top + bottom) / 2),
            "right": (right, (top + bottom) / 2),
            "top": ((left + right) / 2, top),
            "bottom": ((left + right) / 2, bottom),
        }[self.side]


def place_labels(
    items: Sequence[LabelItem],
    *,
    bounds: Box,
    obstacles: Sequence[Box],
    markers: Sequence[tuple[str, Box]],  # (label key, marker box)
    land: LandGrid,
    gap: float,
    docks: Sequence[Dock] = (),
    crowd_radius: float = 150.0,
    crowded: int = 4,
) -> list[Placement]:
    """A box for every label; none overlaps another, a marker, an obstacle or the edges.

    A label whose marker has few neighbours goes right beside it (the nearest free place on
    rings around it). Labels of crowded markers line up in the docks instead: each goes to
    the dock it can reach with the shortest leader that still has room, and a dock keeps
    its labels in the order of their markers, so leaders do not cross one another.
    """
    search = _Search(bounds, (*obstacles, *(d.area for d in docks)), markers, land, gap)
    dense = [item for item in items if _neighbours(item, items, crowd_radius) >= crowded]
    if not docks:
        dense = []
    sparse = sorted(
        (item for item in items if item not in dense),
        key=lambda item: (-_neighbours(item, items, crowd_radius), item.anchor),
    )
    # The docks first: a label placed beside its marker afterwards avoids their labels and
    # leaders, which the docks (open sea, kept clear of other labels) cannot do for it. A
    # label that finds no room beside its marker joins the docks, and the rest start again.
    while True:
        placed: list[Placement] = _dock(dense, docks, gap) if dense else []
        homeless = None
        for item in sparse:
            found = search.place(item, placed, last_resort=not docks)
            if found is None:
                homeless = item
                break
            placed.append(found)
        if homeless is None:
            break
        sparse.remove(homeless)
        dense.append(homeless)
    by_key = {p.key: p for p in placed}
    return [by_key[item.key] for item in items]


def _dock(items: Sequence[LabelItem], docks: Sequence[Dock], gap: float) -> list[Placement]:
    """Each label to a dock: first the nearest one with room (the label that would lose
    most by not getting its nearest dock chooses first), then single moves between docks
    while they make the layout cheaper (shorter leaders, fewer crossings)."""
    room = {dock.name: dock.room(gap) for dock in docks}
    chosen: dict[str, list[LabelItem]] = {dock.name: [] for dock in docks}

    def options(item: LabelItem) -> list[Dock]:
        usable = [
            d
            for d in docks
            if d.fits(item.size)
            and d.faces(item.anchor)
            and room[d.name] >= d.length(item.size, gap)
        ]
        return sorted(usable, key=lambda d: _reach(item, d))

    pending = list(items)
    while pending:

        def regret(item: LabelItem) -> tuple[float, float]:
            reach = [_reach(item, d) for d in options(item)] or [math.inf]
            second = reach[1] if len(reach) > 1 else math.inf
            return second - reach[0], -reach[0]

        item = max(pending, key=regret)
        found = options(item)
        if not found:
            raise LayoutError(f"no dock has room for the label of {item.key}")
        room[found[0].name] -= found[0].length(item.size, gap)
        chosen[found[0].name].append(item)
        pending.remove(item)

    packed = {dock.name: _pack(dock, chosen[dock.name], gap) for dock in docks}
    cost = _layout_cost(packed)
    for _ in range(IMPROVE_ROUNDS):
        improved = False
        for item in items:
            home = next(d for d in docks if item in chosen[d.name])
            nearest = min(_reach(item, d) for d in docks if d.faces(item.anchor))
            for dock in docks:
                if dock is home or not dock.fits(item.size) or not dock.faces(item.anchor):
                    continue
                if _reach(item, dock) > nearest + REACH_SLACK:
                    continue  # a leader across half the map is worse than any crossing
                if room[dock.name] < dock.length(item.size, gap):
                    continue
                trial = dict(packed)
                trial[home.name] = _pack(home, [i for i in chosen[home.name] if i is not item], gap)
                trial[dock.name] = _pack(dock, [*chosen[dock.name], item], gap)
                trial_cost = _layout_cost(trial)
                if trial_cost < cost - 1e-6:
                    chosen[home.name].remove(item)
                    chosen[dock.name].append(item)
                    room[home.name] += home.length(item.size, gap)
                    room[dock.name] -= dock.length(item.size, gap)
                    packed, cost, improved = trial, trial_cost, True
                    home = dock
        if not improved:
            break
    return [p for placements in packed.values() for p in placements]


def _reach(item: LabelItem, dock: Dock) -> float:
    return min(math.dist(p, nearest_point(dock.area, p)) for p in item.points)


def _layout_cost(packed: Mapping[str, list[Placement]]) -> float:
    """Leader lengths, plus a price for every leader crossing another or running through a
    label."""
    placements = [p for group in packed.values() for p in group]
    cost = sum(math.dist(*p.leader) for p in placements)
    for index, a in enumerate(placements):
        for b in placements[index + 1 :]:
            if segments_cross(a.leader, b.leader):
                cost += CROSSING_COST
        for b in placements:
            if b is not a and segment_hits_box(*a.leader, b.box):
                cost += LEADER_THROUGH_LABEL_COST
    return cost


def _pack(dock: Dock, items: list[LabelItem], gap: float) -> list[Placement]:
    """The dock's labels in the order of their markers, each as near its marker as the
    others allow (a forward pass pushes on, a backward pass pulls back inside)."""
    axis = 1 if dock.column else 0
    start, end = dock.area[axis], dock.area[axis + 2]
    ordered = sorted(items, key=lambda item: dock.fan_order(item.anchor))
    sizes = [item.size[axis] for item in ordered]
    lows = [
        min(max(item.anchor[axis] - size / 2, start), end - size)
        for item, size in zip(ordered, sizes, strict=True)
    ]
    for i in range(1, len(lows)):
        lows[i] = max(lows[i], lows[i - 1] + sizes[i - 1] + gap)
    for i in range(len(lows) - 1, -1, -1):
        limit = end if i == len(lows) - 1 else lows[i + 1] - gap
        lows[i] = min(lows[i], limit - sizes[i])
    placements = []
    for item, low, size in zip(ordered, lows, sizes, strict=True):
        across = item.size[1 - axis]
        flush_end = dock.side in ("right", "bottom")
        near = dock.area[1 - axis + 2] - across if flush_end else dock.area[1 - axis]
        box = (
            (near, low, near + across, low + size)
            if dock.column
            else (low, near, low + size, near + across)
        )
        port = dock.port(box)
        start_point = min(item.points, key=lambda p: math.dist(p, port))
        placements.append(Placement(item.key, box, (start_point, port)))
    return placements


def _neighbours(item: LabelItem, items: Sequence[LabelItem], radius: float = 150.0) -> int:
    return sum(1 for other in items if math.dist(item.anchor, other.anchor) < radius)


class _Search:
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
