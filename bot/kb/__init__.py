"""The knowledge base: `load_knowledge()` reads and validates `knowledge/*.yaml`.

The loader (and with it a YAML parser) is imported when first used: a start from the
engine cache reads no YAML and needs only the model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.kb.file_bytes import ReadLimits
    from bot.kb.loader import KnowledgeBaseError, Problem, load_knowledge
    from bot.kb.model import KnowledgeBase
    from bot.kb.text import normalize_alias

__all__ = [
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Problem",
    "ReadLimits",
    "load_knowledge",
    "normalize_alias",
]

_HOMES = {
    "KnowledgeBase": "bot.kb.model",
    "KnowledgeBaseError": "bot.kb.loader",
    "Problem": "bot.kb.loader",
    "ReadLimits": "bot.kb.file_bytes",
    "load_knowledge": "bot.kb.loader",
    "normalize_alias": "bot.kb.text",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
