"""Plane geometry on (longitude, latitude) rings, enough for the prefecture outlines.

Distances use an equirectangular approximation around the point: good to well under 1%
at the few-kilometre scale `check` uses it for, and far simpler than a geodesic library.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

Point = tuple[float, float]  # (longitude, latitude)
Ring = tuple[Point, ...]  # closed implicitly: the last point joins the first

KM_PER_DEGREE_LATITUDE = 110.57
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.32


def bounding_box(ring: Ring) -> tuple[float, float, float, float]:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def edges(ring: Ring) -> Iterable[tuple[Point, Point]]:
    return zip(ring, ring[1:] + ring[:1], strict=True)


def contains(ring: Ring, point: Point) -> bool:
    """Whether `point` lies inside the ring (even-odd rule)."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in edges(ring):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def distance_km(ring: Ring, point: Point) -> float:
    """Kilometres from `point` to the nearest edge of the ring."""
    kx = math.cos(math.radians(point[1])) * KM_PER_DEGREE_LONGITUDE_AT_EQUATOR
    return _distance(ring, point, kx, KM_PER_DEGREE_LATITUDE)


def plane_distance(ring: Ring, point: Point) -> float:
    """From `point` to the nearest edge of the ring, in the ring's own units (pixels)."""
    return _distance(ring, point, 1.0, 1.0)


def _distance(ring: Ring, point: Point, kx: float, ky: float) -> float:
    x, y = point
    best = math.inf
    for (x1, y1), (x2, y2) in edges(ring):
        ax, ay = (x1 - x) * kx, (y1 - y) * ky
        dx, dy = (x2 - x1) * kx, (y2 - y1) * ky
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def interior_point(ring: Ring, steps: int = 24) -> Point:
    """A point well inside the ring, where a label can name it: of a grid over the ring's
    box, the point inside it farthest from its edges (an area's centroid can fall outside
    it, in a bay or between islands)."""
    left, bottom, right, top = bounding_box(ring)
    best: tuple[float, Point] | None = None
    for i in range(1, steps):
        for j in range(1, steps):
            point = (left + (right - left) * i / steps, bottom + (top - bottom) * j / steps)
            if contains(ring, point):
                depth = plane_distance(ring, point)
                if best is None or depth > best[0]:
                    best = (depth, point)
    return best[1] if best is not None else ring[0]


def signed_area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in edges(ring)) / 2


def centroid(rings: Iterable[Ring]) -> Point:
    """The area-weighted centre of one or more rings (a prefecture, or a region's
    prefectures together)."""
    total = cx = cy = 0.0
    for ring in rings:
        for (x1, y1), (x2, y2) in edges(ring):
            cross = x1 * y2 - x2 * y1
            total += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    if total == 0:
        raise ValueError("the rings enclose no area")
    return cx / (3 * total), cy / (3 * total)
