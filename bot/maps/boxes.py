"""The pieces of the label layout: boxes, leaders and the geometry between them."""

from __future__ import annotations

import math
from dataclasses import dataclass

Pixel = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


class LayoutError(RuntimeError):
    """A label found no room anywhere on the picture."""


@dataclass(frozen=True, slots=True)
class LabelItem:
    key: str
    anchor: Pixel  # where the label wants to be near (the centre of its markers)
    points: tuple[Pixel, ...]  # its markers: the leader starts at the nearest one
    size: tuple[float, float]
    # An area's label: it may lie on the area itself, centred on `anchor`, with no leader
    # (`points` are then the area's outline, where a leader from elsewhere ends).
    on_anchor: bool = False


@dataclass(frozen=True, slots=True)
class Placement:
    key: str
    box: Box
    leader: tuple[Pixel, Pixel]  # from a marker to the nearest point of the box

    @property
    def leader_length(self) -> float:
        return math.dist(*self.leader)


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
