"""How much room a text, a label or the panel takes on the picture (in its pixels)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.maps import style
from bot.maps.fonts import font

S = style.SUPERSAMPLE
PANEL_PADDING = (18, 10)  # horizontal, vertical
SWATCH_ROOM = style.LEGEND_SIZE + 10  # a legend row's colour disc and the space after it


def line_height(size: int) -> float:
    return size * 1.28


def text_width(text: str, size: int) -> float:
    return font(size * S).getlength(text) / S


def label_size(lines: Sequence[str]) -> tuple[float, float]:
    pad_x, pad_y = style.LABEL_PADDING
    width = max(text_width(line, style.LABEL_SIZE) for line in lines)
    return width + 2 * pad_x, line_height(style.LABEL_SIZE) * len(lines) + 2 * pad_y


def panel_size(rows: Sequence[tuple[bool, str, int]]) -> tuple[float, float]:
    """The panel of rows (has a colour swatch, text, type size)."""
    pad_x, pad_y = PANEL_PADDING
    width = max(
        text_width(text, size) + (SWATCH_ROOM if swatch else 0) for swatch, text, size in rows
    )
    height = sum(line_height(size) for *_, size in rows)
    return width + 2 * pad_x, height + 2 * pad_y
