"""A dock: a stretch of open sea where the labels of crowded markers line up."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.maps.boxes import Box, Pixel


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
