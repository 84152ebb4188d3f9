"""Where the labels go: none overlapping another label, a marker or a panel, none left
outside the picture, each tied to its markers by a leader line that runs through no label.

Labels of markers with few neighbours go right beside them (`nearby`); labels of crowded
markers line up in docks of open sea (`docks`). Pure geometry, no drawing.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.maps.boxes import (
    Box,
    LabelItem,
    LayoutError,
    Pixel,
    Placement,
    overlaps,
    segment_hits_box,
    segments_cross,
)
from bot.maps.docks import Dock, docked
from bot.maps.nearby import LandGrid, NearbySearch, neighbours

__all__ = [
    "Box",
    "Dock",
    "LabelItem",
    "LandGrid",
    "LayoutError",
    "Pixel",
    "Placement",
    "overlaps",
    "place_labels",
    "segment_hits_box",
    "segments_cross",
]


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
    search = NearbySearch(bounds, (*obstacles, *(d.area for d in docks)), markers, land, gap)
    dense = [item for item in items if neighbours(item, items, crowd_radius) >= crowded]
    if not docks:
        dense = []
    sparse = sorted(
        (item for item in items if item not in dense),
        key=lambda item: (-neighbours(item, items, crowd_radius), item.anchor),
    )
    # The docks first: a label placed beside its marker afterwards avoids their labels and
    # leaders, which the docks (open sea, kept clear of other labels) cannot do for it. A
    # label that finds no room beside its marker joins the docks, and the rest start again.
    banned: dict[str, set[str]] = {}
    while True:
        try:
            placed: list[Placement] = docked(dense, docks, gap, banned) if dense else []
        except LayoutError:
            # More crowded labels than the docks hold (a much larger knowledge base): each
            # then takes the best place anywhere.
            placed, docks, sparse = [], (), [*dense, *sparse]
            search = NearbySearch(bounds, obstacles, markers, land, gap)
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
