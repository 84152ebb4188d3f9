"""The font the map is lettered in: Noto Sans CJK JP, from a PyPI package, for both languages.

It is found next to the package's module without importing anything else, and loaded once
per size. A missing font is a clear `FontMissing`, never a crash in the middle of drawing.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from PIL import ImageFont

FONT_PACKAGE = "noto_cjk_sans_jp_regular"
FONT_FILE = "NotoSansCJKjp-Regular.otf"


class FontMissing(RuntimeError):
    """The map's font is not installed; the message says how to install it."""


@functools.cache
def font_path() -> Path:
    spec = importlib.util.find_spec(FONT_PACKAGE)
    locations = spec.submodule_search_locations if spec is not None else None
    path = Path(next(iter(locations))) / FONT_FILE if locations else None
    if path is None or not path.is_file():
        raise FontMissing(
            f"the map's font ({FONT_FILE}) comes from the Python package "
            f"{FONT_PACKAGE.replace('_', '-')!r}, which is not installed; install kcbot with "
            'its dependencies: pip install -e "."'
        )
    return path


@functools.cache
def font(size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(font_path()), size)
    except OSError as exc:
        raise FontMissing(f"cannot read the map's font {font_path()}: {exc}") from exc
