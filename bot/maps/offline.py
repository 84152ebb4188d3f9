"""The map without Discord: `python -m bot map ... --out FILE.png` and the console's `/map`.

Both ask the application pipeline (`Request("map", ...)`), so the options are read, the
language chosen and the answer logged as for any other command; the picture is then drawn
for the answer's `MapView` and written to a file.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from bot.app import Application, Request, Response
from bot.geo.outlines import OutlineDataMissing
from bot.maps.fonts import FontMissing
from bot.maps.render import RenderedMap
from bot.maps.service import MapService
from bot.render.plain import render_plain

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2  # an option the map does not know, like argparse's errors
MAP_DIR_VARIABLE = "MAP_DIR"  # where the console writes its maps (default: a temp folder)

_service = MapService()


def map_request(
    stage: str | None = None,
    status: str | None = None,
    field: str | None = None,
    *,
    lang: str | None = None,
    via: str = "map",
) -> Request:
    options = {"stage": stage, "status": status, "field": field}
    return Request("map", options=options, lang=lang, via=via)


def draw(app: Application, response: Response) -> RenderedMap | None:
    """The map of the response's answer, or None when the answer has none (an unknown
    option was clarified instead)."""
    view = response.answer.map
    if view is None:
        return None
    return _service.render(app.knowledge, view, response.lang)


def write_map(rendered: RenderedMap, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(rendered.png)
    return path


def run_map(
    app: Application,
    *,
    stage: str | None,
    status: str | None,
    field: str | None,
    lang: str | None,
    out: str,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """`kcbot map`: write the PNG to `out` and say what it shows; exit 2 when an option is
    unknown, 1 when the map's data or font is not installed."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    response = app.handle(map_request(stage, status, field, lang=lang, via="map"))
    try:
        rendered = draw(app, response)
    except (FontMissing, OutlineDataMissing) as exc:
        print(f"kcbot map: {exc}", file=stderr)
        return EXIT_INVALID
    if rendered is None:  # the engine asked back about an option instead of drawing
        print(render_plain(response.reply), file=stderr)
        return EXIT_USAGE
    path = write_map(rendered, Path(out))
    print(
        f"{path}: {rendered.width}x{rendered.height} PNG, {len(rendered.clusters)} clusters "
        f"({response.reply.summary.splitlines()[0].rstrip(':')})",
        file=stdout,
    )
    return EXIT_OK


def console_map(
    app: Application,
    argument: str,
    session: Callable[[Request], Request] = lambda request: request,
    directory: str | None = None,
) -> str:
    """The console's `/map [stage] [status] [field]`: each word is read as a stage, a status
    or else part of a field; the map goes to a file whose path is printed. `session` adds
    the console user's language and conversation to the request."""
    stage, status, field = split_options(app, argument.split())
    response = app.handle(session(map_request(stage, status, field, via="console")))
    try:
        rendered = draw(app, response)
    except (FontMissing, OutlineDataMissing) as exc:
        return f"The map cannot be drawn: {exc}"
    if rendered is None:
        return render_plain(response.reply)
    view = response.answer.map
    assert view is not None
    name = "-".join(["map", *(v for v in (view.stage, view.status) if v), *view.fields])
    folder = Path(directory or os.environ.get(MAP_DIR_VARIABLE) or _default_dir())
    path = write_map(rendered, folder / f"{_safe(name)}-{response.lang}.png")
    return f"{render_plain(response.reply)}\n\nMap: {path}"


def split_options(app: Application, words: Sequence[str]) -> tuple[str | None, ...]:
    parser = app.engine.parser
    stage = status = None
    rest = []
    for word in words:
        if stage is None and (found := parser.term(word, "stage")):
            stage = found
        elif status is None and (found := parser.term(word, "status")):
            status = found
        else:
            rest.append(word)
    return stage, status, " ".join(rest) or None


def _default_dir() -> Path:
    return Path(tempfile.gettempdir()) / "kcbot-maps"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name)[:100]
