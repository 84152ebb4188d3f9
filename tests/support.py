"""Helpers shared by the tests: the shipped knowledge loaded once, and answers in words.

`Speaker` asks the engine and localizes its answers into one language, so a test can
assert what a user reads ("KYOTO works in Nanotech/Materials.") while the engine itself
stays language-neutral. `localized()` builds a hand-made reply for the renderers' tests.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from bot import app as application
from bot.app import Knowledge
from bot.engine import messages as M
from bot.engine.answer import Answer, Intent
from bot.i18n.localize import LocalizedAnswer

# The date of the 2008 edition's facts, as the one-line source note says it ("2008 edition,
# contents · as of 2008": the edition is named by the source beside it).
AS_OF_EDITION_TEXT = "as of 2008"


@functools.cache
def shipped_knowledge() -> Knowledge:
    """The shipped knowledge base, catalogues and engine, built once per test session."""
    return application.load()


def english(message: object) -> str:
    """A message (a `Msg`) in the shipped English words."""
    return shipped_knowledge().localizer.text(message, "en")


class Choice(NamedTuple):
    """An autocomplete choice in words."""

    name: str
    value: str


class Speaker:
    """The engine's answers in one language, as a user reads them."""

    def __init__(self, knowledge: Knowledge | None = None, lang: str = "en") -> None:
        self.knowledge = knowledge or shipped_knowledge()
        self.engine = self.knowledge.engine
        self.kb = self.knowledge.kb
        self.lang = lang

    def words(self, answer: Answer) -> LocalizedAnswer:
        return self.knowledge.localizer.localize(answer, self.lang)

    def ask(self, text: Any) -> LocalizedAnswer:
        return self.words(self.engine.ask(text))

    def contact(self, value: Any) -> LocalizedAnswer:
        return self.words(self.engine.contact(value))

    def region(self, value: Any) -> LocalizedAnswer:
        return self.words(self.engine.region(value))

    def stage(self, stage: Any, status: Any = None) -> LocalizedAnswer:
        return self.words(self.engine.stage(stage, status))

    def field(self, value: Any) -> LocalizedAnswer:
        return self.words(self.engine.field(value))

    def about(self) -> LocalizedAnswer:
        return self.words(self.engine.about())

    def help(self) -> LocalizedAnswer:
        return self.words(self.engine.help())

    def complete_region(self, current: Any, limit: int = 25) -> list[Choice]:
        text = self.knowledge.localizer.text
        return [
            Choice(text(c.label, self.lang), c.value)
            for c in self.engine.complete_region(current, limit)
        ]

    def complete_field(self, current: Any, limit: int = 25) -> list[Choice]:
        text = self.knowledge.localizer.text
        return [
            Choice(text(c.label, self.lang), c.value)
            for c in self.engine.complete_field(current, limit)
        ]


def localized(**fields: Any) -> LocalizedAnswer:
    """A hand-made reply in English (the renderers' input), with defaults for the rest."""
    question = fields.pop("question", "who runs sapporo?")
    answer = Answer(
        question=question,
        answered=fields.pop("answered", True),
        intent=fields.pop("intent", Intent.CONTACT),
        rule="test",
        title=M.TEXT(text=""),
        summary=(),
        confidence=fields.pop("confidence", 0.0),
    )
    base: dict[str, Any] = {
        "answer": answer,
        "lang": "en",
        "title": "Sapporo IT Cluster",
        "summary": "The core organization is the Hokkaido foundation.",
        "blocks": (),
        "suggestions": (),
        "sources": (),
        "as_of": None,
        "say": shipped_knowledge().localizer.text,
    }
    base.update(fields)
    return LocalizedAnswer(**base)
