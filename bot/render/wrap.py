"""Wrapping text to a terminal's width, English and Japanese alike.

Width is counted in display cells (`unicodedata.east_asian_width`: a kanji or a fullwidth
bracket takes two, a combining mark none), so a Japanese line is as wide as it looks.
Lines break at spaces, and also between two Japanese characters, since Japanese has no
spaces, except where the basic line-breaking rules of JIS X 4051 (kinsoku shori) forbid:
never before closing punctuation, small kana or the prolonged sound mark ("、", "）",
"ょ", "ー"), never after an opening bracket ("（", "「"). A word wider than the line is cut.

Written here rather than taken from a library: BudouX (phrase segmentation) splits digits
("200|8年版") and still needs these rules around Latin text, and textwrap only breaks at
spaces.
"""

from __future__ import annotations

import functools
import re
import shutil
import unicodedata

# JIS X 4051's basic kinsoku characters.
_NO_BREAK_BEFORE = frozenset(
    "、。，．,.）〕］｝〉》」』】〙〗〟’”｠»ヽヾーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～？！?!‼⁇⁈⁉・:;：；/／"
)
_NO_BREAK_AFTER = frozenset("（〔［｛〈《「『【〘〖〝‘“｟«")


def char_width(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


# Every ASCII character takes one cell; the others are looked up (and remembered: a
# text's kana, kanji and punctuation are a few thousand characters at most).
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_width_of = functools.lru_cache(maxsize=8192)(char_width)


def display_width(text: str) -> int:
    """How many terminal cells `text` takes."""
    if text.isascii():
        return len(text)
    return len(text) + sum(_width_of(ch) - 1 for ch in _NOT_ASCII.findall(text))


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _breakable(before: str, after: str) -> bool:
    """Whether a line may break between two adjacent characters (neither a space)."""
    if after in _NO_BREAK_BEFORE or before in _NO_BREAK_AFTER:
        return False
    return _is_wide(before) or _is_wide(after)


def _pieces(text: str) -> list[str]:
    """`text` cut at every place a line may break; spaces stay at the end of a piece."""
    pieces: list[str] = []
    current = ""
    for index, ch in enumerate(text):
        if current and not ch.isspace():
            before = current[-1]
            if before.isspace() or _breakable(before, ch):
                pieces.append(current)
                current = ""
        current += ch
        if index == len(text) - 1:
            pieces.append(current)
    return pieces


def wrap(text: str, width: int, indent: str = "", hang: str | None = None) -> list[str]:
    """`text` (one paragraph) as lines of at most `width` cells: the first starts with
    `indent`, the others with `hang` (default: `indent`)."""
    hang = indent if hang is None else hang
    lines: list[str] = []
    line, used = indent, display_width(indent)
    for piece in _pieces(text):
        size = display_width(piece.rstrip())
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = hang, display_width(hang)
            piece = piece.lstrip()
            size = display_width(piece.rstrip())
        while used + size > width and size > 0:  # wider than a line: cut it
            room = max(width - used, 1)
            head, piece = _cut(piece, room)
            lines.append((line + head).rstrip())
            line, used = hang, display_width(hang)
            size = display_width(piece.rstrip())
        line += piece
        used += display_width(piece)
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _cut(piece: str, room: int) -> tuple[str, str]:
    used = 0
    for index, ch in enumerate(piece):
        used += char_width(ch)
        if used > room:
            return piece[: max(index, 1)], piece[max(index, 1) :]
    return piece, ""


MIN_WIDTH = 20


def terminal_width() -> int:
    """The terminal's columns ($COLUMNS, else the terminal, else 80), less one so a line
    that fills the width does not wrap on its own; never under 20."""
    return max(shutil.get_terminal_size().columns - 1, MIN_WIDTH)


def fitted(text: str, width: int | None) -> str:
    """Every line of `text` within `width` cells (a reply is wrapped already; notices and
    the map's path are wrapped here)."""
    if width is None:
        return text
    return "\n".join(
        wrapped
        for line in text.split("\n")
        for wrapped in (wrap(line, width) if display_width(line) > width else [line])
    )
