"""Citations: the source references behind an answer, merged into one per document."""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.answer import Citation
from bot.kb.model import SourceRef


def citations(refs: Iterable[SourceRef | None]) -> tuple[Citation, ...]:
    """One citation per document, in first-cited order. Several places in one document are
    joined; places that share a section ("Contents: ...") are cited by that section."""
    places: dict[str, list[str]] = {}
    for ref in refs:
        if ref is not None:
            wheres = places.setdefault(ref.doc, [])
            if ref.where and ref.where not in wheres:
                wheres.append(ref.where)
    cited = []
    for doc_id, wheres in places.items():
        sections = {w.split(":", 1)[0] for w in wheres}
        if len(wheres) > 1 and len(sections) == 1:
            where = sections.pop()
        else:
            where = "; ".join(wheres) or None
        cited.append(Citation(doc_id, where))
    return tuple(cited)


def citation(ref: SourceRef) -> Citation:
    """The citation of one fact's source, unmerged."""
    return Citation(ref.doc, ref.where)
