"""Docks: stretches of open sea where labels of crowded markers line up, in the order of
their markers, with leader lines fanning out to them.

Each label goes to the nearest dock with room (the label that would lose most by not
getting it chooses first); single moves and swaps between docks are kept while they make
the layout cheaper (shorter leaders, fewer crossings); a leader still running through a
label makes its label refuse that dock, and the docks are filled again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from bot.maps.boxes import (
    LabelItem,
    LayoutError,
    Placement,
    nearest_point,
    overlaps,
    segment_hits_box,
    segments_cross,
)
from bot.maps.dock import Dock
from bot.maps.nearby import CROSSING_COST, LEADER_THROUGH_LABEL_COST

MAX_BANS = 6  # label-dock pairs refused before a leader through a label is left as it is
IMPROVE_ROUNDS = 2  # passes moving single labels between docks
REACH_SLACK = 300.0  # a label moves only to docks at most this much further than its nearest


def docked(
    items: Sequence[LabelItem], docks: Sequence[Dock], gap: float, banned: dict[str, set[str]]
) -> list[Placement]:
    """The docks' labels with no leader through a label, if banning a few label-dock pairs
    gets there: each round refuses the first offender the dock it is in, and the docks are
    filled again. Whatever no ban can fix (or a ban leaving no room) stays as it was."""
    placed = _dock(items, docks, gap, banned)
    while sum(len(refused) for refused in banned.values()) < MAX_BANS:
        stuck = _through({"": placed})
        if not stuck:
            break
        home = next(d.name for d in docks if overlaps(stuck[0].box, d.area, -1))
        banned.setdefault(stuck[0].key, set()).add(home)
        try:
            placed = _dock(items, docks, gap, banned)
        except LayoutError:
            banned[stuck[0].key].discard(home)
            break
    return placed


def _dock(
    items: Sequence[LabelItem],
    docks: Sequence[Dock],
    gap: float,
    banned: Mapping[str, set[str]] | None = None,
) -> list[Placement]:
    """Each label to a dock: first the nearest one with room (the label that would lose
    most by not getting its nearest dock chooses first), then single moves between docks
    while they make the layout cheaper (shorter leaders, fewer crossings)."""
    room = {dock.name: dock.room(gap) for dock in docks}
    chosen: dict[str, list[LabelItem]] = {dock.name: [] for dock in docks}
    banned = banned or {}

    def allowed(item: LabelItem, dock: Dock) -> bool:
        return (
            dock.fits(item.size)
            and dock.faces(item.anchor)
            and dock.name not in banned.get(item.key, ())
        )

    def options(item: LabelItem) -> list[Dock]:
        usable = [d for d in docks if allowed(item, d) and room[d.name] >= d.length(item.size, gap)]
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
                if dock is home or not allowed(item, dock):
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
        improved = _swap_crossing(docks, chosen, room, gap, packed, cost, allowed) or improved
        if improved:
            packed = {dock.name: _pack(dock, chosen[dock.name], gap) for dock in docks}
            cost = _layout_cost(packed)
        else:
            break
    return [p for placements in packed.values() for p in placements]


def _swap_crossing(
    docks: Sequence[Dock],
    chosen: dict[str, list[LabelItem]],
    room: dict[str, float],
    gap: float,
    packed: Mapping[str, list[Placement]],
    cost: float,
    allowed: Callable[[LabelItem, Dock], bool],
) -> bool:
    """Exchange the docks of two labels whose leaders cross, when that is cheaper: a move
    of one label alone cannot undo such a pair when both docks are nearly full."""
    dock_of = {item.key: d for d in docks for item in chosen[d.name]}
    item_of = {item.key: item for d in docks for item in chosen[d.name]}
    placements = [p for group in packed.values() for p in group]
    for index, a in enumerate(placements):
        for b in placements[index + 1 :]:
            home_a, home_b = dock_of[a.key], dock_of[b.key]
            if home_a is home_b or not segments_cross(a.leader, b.leader):
                continue
            item_a, item_b = item_of[a.key], item_of[b.key]
            if not (allowed(item_a, home_b) and allowed(item_b, home_a)):
                continue
            change_a = home_a.length(item_b.size, gap) - home_a.length(item_a.size, gap)
            change_b = home_b.length(item_a.size, gap) - home_b.length(item_b.size, gap)
            if room[home_a.name] < change_a or room[home_b.name] < change_b:
                continue
            trial = dict(packed)
            members_a = [item_b if i is item_a else i for i in chosen[home_a.name]]
            members_b = [item_a if i is item_b else i for i in chosen[home_b.name]]
            trial[home_a.name] = _pack(home_a, members_a, gap)
            trial[home_b.name] = _pack(home_b, members_b, gap)
            if _layout_cost(trial) < cost - 1e-6:
                chosen[home_a.name], chosen[home_b.name] = members_a, members_b
                room[home_a.name] -= change_a
                room[home_b.name] -= change_b
                return True
    return False


def _through(packed: Mapping[str, list[Placement]]) -> list[Placement]:
    """Placements whose leader runs through another label."""
    placements = [p for group in packed.values() for p in group]
    return [
        a
        for a in placements
        if any(b is not a and segment_hits_box(*a.leader, b.box) for b in placements)
    ]


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
    others allow; then neighbours whose leaders still cross trade places."""
    order = sorted(items, key=lambda item: dock.fan_order(item.anchor))
    placements = _stack(dock, order, gap)
    for _ in range(len(order) ** 2):
        crossing = next(
            (
                i
                for i in range(len(placements) - 1)
                if segments_cross(placements[i].leader, placements[i + 1].leader)
            ),
            None,
        )
        if crossing is None:
            break
        order[crossing], order[crossing + 1] = order[crossing + 1], order[crossing]
        placements = _stack(dock, order, gap)
    return placements


def _stack(dock: Dock, ordered: list[LabelItem], gap: float) -> list[Placement]:
    """Labels in this order along the dock, each as near its marker as the others allow (a
    forward pass pushes on, a backward pass pulls back inside)."""
    axis = 1 if dock.column else 0
    start, end = dock.area[axis], dock.area[axis + 2]
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
