"""Prefecture outlines from japanmap 0.6.0's `japan.json`, vendored in `bot/geo/data/japanmap/`
(Apache-2.0; its README says where it comes from and why it is copied, not installed).

The file holds one simplified outline per prefecture (the part containing the prefectural
office: smaller islands are left out), in longitude/latitude, as shared boundary runs: a
list of points and, per prefecture (in JIS X 0401 code order), the runs that bound it. It
is parsed once per process.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from bot.geo.geometry import Point, Ring, bounding_box

OUTLINE_FILE = Path(__file__).parent / "data" / "japanmap" / "japan.json"
PREFECTURE_COUNT = 47


class OutlineDataMissing(RuntimeError):
    """The packaged outline data cannot be found or read; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Outline:
    """One prefecture's outline: a closed ring of (longitude, latitude) points."""

    code: int  # JIS X 0401 prefecture code, 1 (Hokkaido) to 47 (Okinawa)
    ring: Ring
    box: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def outline_file() -> Path:
    """Where kcbot keeps the outlines (inside the package, so an installed bot has them)."""
    return OUTLINE_FILE


@functools.cache
def load_outlines() -> dict[int, Outline]:
    """Every prefecture's outline by JIS code. Raises `OutlineDataMissing` when unreadable."""
    path = outline_file()
    if not path.is_file():
        raise OutlineDataMissing(
            f"the prefecture outlines ({path}) are missing: kcbot ships them in its package, "
            "so this installation is incomplete; reinstall kcbot"
        )
    try:
        points, prefectures = json.loads(path.read_text(encoding="utf-8"))
        outlines = {
            index + 1: _outline(index + 1, points, runs) for index, runs in enumerate(prefectures)
        }
    except (OSError, ValueError, TypeError, IndexError, KeyError) as exc:
        raise OutlineDataMissing(f"cannot read the prefecture outlines in {path}: {exc}") from exc
    if sorted(outlines) != list(range(1, PREFECTURE_COUNT + 1)):
        raise OutlineDataMissing(f"{path} does not hold the {PREFECTURE_COUNT} prefectures")
    return outlines


def _outline(code: int, points: list, runs: list) -> Outline:
    ring: list[Point] = []
    for _neighbour, indexes in runs:
        # Consecutive runs share their end point; keep it once.
        start = 1 if ring and points[indexes[0]][0] == list(ring[-1]) else 0
        ring.extend((float(p[0][0]), float(p[0][1])) for p in (points[i] for i in indexes[start:]))
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    frozen = tuple(ring)
    return Outline(code, frozen, bounding_box(frozen))
