"""Citations: the source references behind an answer, one concise line per document.

A fact's own source keeps its full `where` ("p. 1, What is a Knowledge Cluster?"); a reply
cites each document once, by the short locators of the places it relies on ("p. 1",
"contents"), so a listing of six clusters cites "contents", not six section titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.engine.answer import Citation
from bot.kb.model import SourceRef

_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_PAGE = re.compile(r"^pp?\.\s*\d+(?:[–-]\d+)?")


def locator(where: str) -> str:
    """The short form of a place in a document: its page, or the section before any
    sub-heading ("Contents: Knowledge Clusters: ..." is "contents")."""
    where = _PARENTHESES.sub("", where).strip()
    page = _PAGE.match(where)
    if page:
        return page.group(0)
    head = where.split(":", 1)[0].strip()
    return head[:1].lower() + head[1:] if head.startswith("Contents") else head


def citations(refs: Iterable[SourceRef | None]) -> tuple[Citation, ...]:
    """One citation per document, in first-cited order, with the short locators of every
    place cited in it."""
    places: dict[str, list[str]] = {}
    for ref in refs:
        if ref is None:
            continue
        wheres = places.setdefault(ref.doc, [])
        for part in (ref.where or "").split(";"):
            short = locator(part) if part.strip() else ""
            if short and short not in wheres:
                wheres.append(short)
    return tuple(Citation(doc, "; ".join(_ordered(w)) or None) for doc, w in places.items())


def merge(cited: Iterable[Citation]) -> tuple[Citation, ...]:
    """Citations of several answers as one list, still one per document."""
    return citations(SourceRef(c.document, c.where) for c in cited)


def _ordered(wheres: list[str]) -> list[str]:
    """Pages in page order after the named places (contents first, as a book is read)."""
    pages = sorted(
        (w for w in wheres if _PAGE.match(w)), key=lambda w: int(re.findall(r"\d+", w)[0])
    )
    return [w for w in wheres if not _PAGE.match(w)] + pages


def citation(ref: SourceRef) -> Citation:
    """The citation of one fact's source, unmerged."""
    return Citation(ref.doc, ref.where)
