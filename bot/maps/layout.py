"""Where the labels go: none overlapping another label, a marker or a panel, none left
outside the picture, each tied to its markers by a leader line that runs through no label,
and as few and as short leaders as the room allows.

Each label has its candidate places (`candidates`); the layout picks one per label by
simulated annealing (the usual method for map labels: Christensen, Marks and Shieber,
"An empirical study of algorithms for point-feature label placement", ACM ToG 1995), from
a greedy start: a random label tries a random candidate (the cheap ones more often), kept
when the layout gets cheaper, or a little dearer while the temperature is high. Three short
runs, the cheapest kept, then each label to its best place given the others. The random
numbers are seeded, so a view always gets the same picture. Pure geometry, no drawing.
Written here rather than taken from a library: the Python label placers (adjustText,
textalloc) place matplotlib text objects with numpy, neither of which the bot installs.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence

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
from bot.maps.candidates import Candidate, CellGrid, blocking_grid, candidates

__all__ = [
    "Box",
    "CellGrid",
    "LabelItem",
    "LayoutError",
    "Pixel",
    "Placement",
    "overlaps",
    "place_labels",
    "segment_hits_box",
    "segments_cross",
]

OVERLAP_COST = 10_000.0  # two labels on each other: allowed only on the way to a layout
THROUGH_COST = 5_000.0  # a leader through another label: likewise
CROSSING_COST = 80.0  # two leaders crossing
MOVES_PER_LABEL = 200
START_TEMPERATURE = 120.0
SEEDS = (2008, 2009, 2010)
POLISH_ROUNDS = 3
TROUBLE = 20.0  # a label costing this much more than its cheapest place gets more moves


def place_labels(
    items: Sequence[LabelItem],
    *,
    bounds: Box,
    obstacles: Sequence[Box],
    markers: Sequence[tuple[str, Box]],  # (label key, marker box)
    land: CellGrid,
    gap: float,
    shaded: Mapping[str, Sequence[CellGrid]] | None = None,
) -> list[Placement]:
    """A box for every label; none overlaps another, a marker, an obstacle or the edges
    (raises `LayoutError` when a label has no room anywhere). `shaded`: by label, the
    areas it should rather not lie on (other clusters' shading)."""
    blocked = blocking_grid(bounds, (*obstacles, *(box for _, box in markers)), gap)
    options = [
        candidates(
            item,
            bounds=bounds,
            blocked=blocked,
            markers=markers,
            land=land,
            shaded=(shaded or {}).get(item.key, ()),
        )
        for item in items
    ]
    for item, found in zip(items, options, strict=True):
        if not found:
            raise LayoutError(f"no room on the map for the label of {item.key}")
    layout = _Layout(options, gap)
    # A few short runs from the same start, the cheapest kept: one long run can settle in a
    # poor corner of the search (a seed, not the data, decides which).
    runs = [layout.polish(layout.anneal(random.Random(seed))) for seed in SEEDS]
    best = min(runs, key=layout.energy)
    return [
        Placement(item.key, found[index].box, found[index].leader)
        for item, found, index in zip(items, options, best, strict=True)
    ]


class _Layout:
    def __init__(self, options: Sequence[Sequence[Candidate]], gap: float) -> None:
        self.options = options
        self.gap = gap
        count = len(options)
        reach = [_union(c.reach for c in found) for found in options]
        # For each candidate, the labels whose candidates can meet it: no other pair
        # is ever compared.
        self.near = [
            [
                [j for j in range(count) if j != i and overlaps(c.reach, reach[j], gap)]
                for c in found
            ]
            for i, found in enumerate(options)
        ]
        self._known: dict[tuple[int, int, int, int], float] = {}
        self.chosen = self._greedy()

    def clash(self, i: int, a: int, j: int, b: int) -> float:
        key = (i, a, j, b) if i < j else (j, b, i, a)
        value = self._known.get(key)
        if value is None:
            value = self._known[key] = clash(self.options[i][a], self.options[j][b], self.gap)
        return value

    def _greedy(self) -> list[int]:
        """Each label, the most constrained first, at its cheapest place given those
        placed before it."""
        chosen: list[int | None] = [None] * len(self.options)
        order = sorted(range(len(self.options)), key=lambda i: len(self.options[i]))
        for i in order:
            chosen[i] = min(
                range(len(self.options[i])),
                key=lambda a: self.options[i][a].cost + sum(self._clashes(i, a, chosen).values()),
            )
        return [c or 0 for c in chosen]

    def _clashes(self, i: int, a: int, chosen: Sequence[int | None]) -> dict[int, float]:
        """What label i at its candidate a costs with each placed label it can meet."""
        ra = self.options[i][a].reach
        gap = self.gap
        found = {}
        for j in self.near[i][a]:
            b = chosen[j]
            if b is None:
                continue
            rb = self.options[j][b].reach
            if (
                ra[0] < rb[2] + gap
                and rb[0] < ra[2] + gap
                and ra[1] < rb[3] + gap
                and rb[1] < ra[3] + gap
            ):
                found[j] = self.clash(i, a, j, b)
        return found

    def energy(self, chosen: Sequence[int]) -> float:
        total = sum(self.options[i][a].cost for i, a in enumerate(chosen))
        total += sum(sum(self._clashes(i, a, chosen).values()) for i, a in enumerate(chosen)) / 2
        return total

    def anneal(self, rng: random.Random) -> list[int]:
        """The cheapest layout met on one run from the greedy start."""
        count = len(self.options)
        chosen = list(self.chosen)
        best = list(chosen)
        if count == 0:
            return best
        # What each label's place costs with the others': kept up to date, so a move
        # computes only its new place's clashes.
        pairs = [self._clashes(i, chosen[i], chosen) for i in range(count)]
        energy = best_energy = self.energy(chosen)
        moves = MOVES_PER_LABEL * count
        troubled = list(range(count))
        for move in range(moves):
            temperature = START_TEMPERATURE * (1 - move / moves) + 0.5
            if move % count == 0:
                # Half the moves go to the labels not at their own best place, or clashing.
                troubled = [
                    k
                    for k in range(count)
                    if self.options[k][chosen[k]].cost + sum(pairs[k].values())
                    > self.options[k][0].cost + TROUBLE
                ] or troubled
            i = rng.choice(troubled) if rng.random() < 0.5 else rng.randrange(count)
            found = self.options[i]
            a = int(len(found) * rng.random() ** 2)  # the cheap candidates more often
            if a == chosen[i]:
                continue
            new = self._clashes(i, a, chosen)
            delta = found[a].cost - found[chosen[i]].cost + sum(new.values())
            delta -= sum(pairs[i].values())
            if delta < 0 or rng.random() < math.exp(-delta / temperature):
                for j in pairs[i]:
                    pairs[j].pop(i, None)
                chosen[i] = a
                pairs[i] = new
                for j, value in new.items():
                    pairs[j][i] = value
                energy += delta
                if energy < best_energy - 1e-9:
                    best_energy = energy
                    best = list(chosen)
        return best

    def polish(self, chosen: list[int]) -> list[int]:
        """After the annealing, each label in turn to its best place given all the others,
        until none moves: what the random moves came near but did not quite reach."""
        for _ in range(POLISH_ROUNDS):
            moved = False
            for i, found in enumerate(self.options):
                now = found[chosen[i]].cost + sum(self._clashes(i, chosen[i], chosen).values())
                best = min(
                    range(len(found)),
                    key=lambda a, i=i, found=found: (
                        found[a].cost + sum(self._clashes(i, a, chosen).values())
                    ),
                )
                if found[best].cost + sum(self._clashes(i, best, chosen).values()) < now - 1e-6:
                    chosen[i] = best
                    moved = True
            if not moved:
                break
        return chosen


def clash(a: Candidate, b: Candidate, gap: float) -> float:
    """What two labels' places cost together: on each other, a leader through the other
    label, leaders crossing."""
    ra, rb = a.reach, b.reach
    if ra[0] >= rb[2] + gap or rb[0] >= ra[2] + gap or ra[1] >= rb[3] + gap or rb[1] >= ra[3] + gap:
        return 0.0
    if overlaps(a.box, b.box, gap):
        return OVERLAP_COST
    cost = 0.0
    if segment_hits_box(*a.leader, b.box) or segment_hits_box(*b.leader, a.box):
        cost += THROUGH_COST
    if segments_cross(a.leader, b.leader):
        cost += CROSSING_COST
    return cost


def _union(boxes) -> Box:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
