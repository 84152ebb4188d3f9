"""The pure answer engine: no discord import anywhere below this package."""

from bot.engine.answer import Answer, Citation, Fact, Intent, Msg, Ref, Section
from bot.engine.complete import Choice
from bot.engine.core import Engine, build_engine

__all__ = [
    "Answer",
    "Choice",
    "Citation",
    "Engine",
    "Fact",
    "Intent",
    "Msg",
    "Ref",
    "Section",
    "build_engine",
]
