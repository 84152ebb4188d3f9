"""A reply's sources in words: the one short line under it, and the full citations.

The line names the first source by its short name and the page or contents it relies on
("Source: 2008 edition, p. 1 · +1 more · as of 2008"), within `SOURCE_NOTE_LIMIT`
characters; the full citations (titles, places, links) are one click away (Discord's
Sources button, the console's /sources).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.engine.answer import Msg
from bot.i18n import words as W

if TYPE_CHECKING:
    from bot.i18n.reply import Source

SOURCE_NOTE_LIMIT = 120
_PAGE = re.compile(r"pp?\.\s*(\d+(?:[–-]\d+)?)")
_CONTENTS = "contents"
_ELLIPSIS = "…"


def _short_where(where: str | None, say: Callable[[Msg], str]) -> tuple[str, ...]:
    """The pages and the contents list among a citation's places, in words; any other place
    ("Implementing regions") is for the full citation only."""
    kept: list[str] = []
    for part in (where or "").split(";"):
        part = part.strip()
        page = _PAGE.fullmatch(part)
        if page:
            kept.append(say(W.UI_SOURCE_PAGE(page=page.group(1))))
        elif part.casefold() == _CONTENTS:
            kept.append(say(W.UI_SOURCE_CONTENTS()))
    return tuple(kept)


def source_note(sources: Sequence[Source], as_of: str | None, say: Callable[[Msg], str]) -> str:
    """The one-line note: the first source, the number of others, the date."""
    documents = list(dict.fromkeys(s.id or s.document for s in sources))
    parts: list[str] = []
    if sources:
        first = sources[0]
        name = first.short or first.document
        where = _short_where(first.where, say)
        source = say(W.UI_SOURCE_WHERE(document=name, where=where)) if where else name
        parts.append(say(W.UI_SOURCE_NOTE(source=source, count=len(documents))))
        if len(documents) > 1:
            parts.append(say(W.UI_SOURCE_MORE(count=len(documents) - 1)))
    if as_of:
        parts.append(as_of)
    if not parts:
        return ""
    note = say(W.UI_NOTE_PARTS(parts=tuple(parts)))
    if len(note) <= SOURCE_NOTE_LIMIT:
        return note
    # Too long (a long title with no short name): the first part gives way, the count and
    # the date stay.
    rest = say(W.UI_NOTE_PARTS(parts=("", *parts[1:]))) if len(parts) > 1 else ""
    room = max(SOURCE_NOTE_LIMIT - len(rest) - len(_ELLIPSIS), 1)
    return parts[0][:room].rstrip() + _ELLIPSIS + rest


def full_citations(sources: Sequence[Source]) -> list[str]:
    """Each cited document once: its title and the places cited in it (no links: a front-end
    that can link adds them from `Source.url`)."""
    return [", ".join(p for p in (s.document, s.where) if p) for s in sources]
