"""Citations: the source references behind an answer, one concise line per document.

A fact's own source keeps its full `where` ("p. 1, What is a Knowledge Cluster?"); a reply
cites each document once, by the short locators of the places it relies on ("p. 1",
"contents"), so a listing of six clusters cites "contents", not six section titles.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Mapping

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


# -- every place the knowledge base cites, numbered: a reply's citations in a few characters
# (a Discord button's custom_id), read back after a restart.

_BASE = 36


def _source_refs(value: object, found: list[SourceRef], depth: int = 0) -> None:
    """Every SourceRef reachable from `value` (the knowledge base's frozen objects)."""
    if isinstance(value, SourceRef):
        found.append(value)
    elif isinstance(value, (str, bytes, int, float)) or value is None or depth > 6:
        return
    elif isinstance(value, Mapping):
        for item in value.values():
            _source_refs(item, found, depth + 1)
    elif isinstance(value, (tuple, list)):
        if value and isinstance(value[0], (int, float)):
            return  # coordinates: no source in there
        for item in value:
            _source_refs(item, found, depth + 1)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            _source_refs(getattr(value, field.name), found, depth + 1)


class CitationIndex:
    """Every (document, short place) pair the knowledge base can cite, in a fixed order.

    `encode` writes a reply's citations as numbers with a digest of the whole index, so
    `decode` refuses numbers written against another knowledge base (a reload that changed
    the sources) instead of citing the wrong place.
    """

    def __init__(self, kb: object) -> None:
        found: list[SourceRef] = []
        _source_refs(kb, found)
        pairs = {pair for citation in citations(found) for pair in _pairs(citation)}
        pairs |= {(ref.doc, "") for ref in found}
        self._pairs = sorted(pairs)
        self._number = {pair: n for n, pair in enumerate(self._pairs)}
        digest = hashlib.sha1("\n".join(f"{d}\t{w}" for d, w in self._pairs).encode())
        self.digest = digest.hexdigest()[:4]

    def encode(self, cited: Iterable[Citation]) -> str | None:
        """The citations as "DIGEST:n.n.n"; None when one is not in the index."""
        numbers = []
        for citation in cited:
            for pair in _pairs(citation):
                number = self._number.get(pair)
                if number is None:
                    return None
                numbers.append(_base36(number))
        return f"{self.digest}:{'.'.join(numbers)}" if numbers else None

    def decode(self, text: str) -> tuple[Citation, ...] | None:
        """What `encode` wrote, or None (another index's digest, or not numbers at all)."""
        digest, _, numbers = text.partition(":")
        if digest != self.digest or not numbers:
            return None
        places: dict[str, list[str]] = {}
        for part in numbers.split(".")[:_MAX_DECODED]:
            try:
                doc, where = self._pairs[int(part, _BASE)]
            except (ValueError, IndexError):
                return None
            wheres = places.setdefault(doc, [])
            if where and where not in wheres:
                wheres.append(where)
        return tuple(Citation(doc, "; ".join(w) or None) for doc, w in places.items())


_MAX_DECODED = 64  # a custom_id holds far fewer; a forged one is not read further


def _pairs(citation: Citation) -> list[tuple[str, str]]:
    parts = [p.strip() for p in (citation.where or "").split(";") if p.strip()]
    return [(citation.document, p) for p in parts] or [(citation.document, "")]


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, _BASE)
        out = digits[rest] + out
        if not number:
            return out
