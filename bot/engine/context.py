"""One question being routed: its interpretation and the FAQ entries closest to it."""

from __future__ import annotations

from bot.engine.facts.library import Library
from bot.engine.faq import FaqHit, FaqIndex
from bot.engine.interpret import Interpretation
from bot.engine.thresholds import FAQ_ANSWER


class Context:
    """One question being routed: its interpretation and, computed on first use, the FAQ
    entries closest to it (a question naming a cluster never pays for the search)."""

    __slots__ = ("_faq", "_hits", "lib", "reading")

    def __init__(self, lib: Library, faq: FaqIndex, reading: Interpretation) -> None:
        self.lib = lib
        self.reading = reading
        self._faq = faq
        self._hits: tuple[FaqHit, ...] | None = None

    @property
    def hits(self) -> tuple[FaqHit, ...]:
        if self._hits is None:
            reading = self.reading
            self._hits = tuple(self._faq.search(reading.query, topics=reading.intents))
        return self._hits

    @property
    def strong(self) -> bool:
        """The best FAQ entry scores enough to be the answer."""
        return bool(self.hits) and self.hits[0].score >= FAQ_ANSWER

    @property
    def listing(self) -> bool:
        """The question asks for a list rather than about one thing."""
        reading = self.reading
        return (
            "list" in reading.intents
            or reading.noun_phrase
            or (not reading.leftover and not self.strong)
        )
