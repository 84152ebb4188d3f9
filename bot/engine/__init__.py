"""The pure answer engine: no discord import anywhere below this package."""

from bot.engine.answer import AS_OF_2008, Answer, Block, Intent, Source
from bot.engine.core import Choice, Engine, build_engine

__all__ = ["AS_OF_2008", "Answer", "Block", "Choice", "Engine", "Intent", "Source", "build_engine"]
