"""The knowledge base: `load_knowledge()` reads and validates `knowledge/*.yaml`."""

from bot.kb._yaml import ReadLimits
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
