"""A reply in words: what `Localizer.localize` returns and every renderer lays out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.engine.answer import BLOCK, Answer, Intent, Msg, Ref, Step
from bot.i18n.sources import source_note


@dataclass(frozen=True, slots=True)
class Block:
    """One section of a reply, in words; an empty title continues the lead. `style` is the
    section's layout hint (`bot.engine.answer.SECTION_STYLES`)."""

    title: str
    lines: tuple[str, ...]
    field_ids: tuple[str, ...] = ()
    cluster_id: str | None = None
    style: str = BLOCK


@dataclass(frozen=True, slots=True)
class Source:
    """A cited document, in words: its title, the place in it, its address if it has one,
    and its short name for the one-line source note."""

    document: str
    where: str | None = None
    url: str | None = None
    id: str = ""
    short: str | None = None

    def cite(self) -> str:
        text = ", ".join(part for part in (self.document, self.where) if part)
        return f"{text} <{self.url}>" if self.url else text


@dataclass(frozen=True, slots=True)
class LocalizedStep:
    """A step of the reply (a button, a menu option) with its label in words."""

    step: Step
    label: str

    @property
    def kind(self) -> str:
        return self.step.kind

    @property
    def action(self) -> str:
        return self.step.action

    @property
    def target(self) -> Ref | None:
        return self.step.target


@dataclass(frozen=True, slots=True)
class LocalizedAnswer:
    """An answer in one language: what every renderer lays out."""

    answer: Answer
    lang: str
    title: str
    summary: str
    blocks: tuple[Block, ...]
    suggestions: tuple[str, ...]
    sources: tuple[Source, ...]
    as_of: str | None
    # The layout's own words ("Did you mean…", "Sources:") in the same language.
    say: Callable[[Msg], str] = field(repr=False, compare=False)
    steps: tuple[LocalizedStep, ...] = ()  # what the reply offers to ask next
    # The summary in its two parts: the answer's lead, and the notes on how the question
    # was read (each a line). A hand-made reply may give `summary` alone.
    lead: str = ""
    notes: tuple[str, ...] = ()

    @property
    def opening(self) -> str:
        """The lead: `lead`, or the whole summary of a reply made without one."""
        return self.lead if self.lead or self.notes else self.summary

    @property
    def source_note(self) -> str:
        """The one line under the reply: first source, how many more, as of when."""
        return source_note(self.sources, self.as_of, self.say)

    @property
    def question(self) -> str:
        return self.answer.question

    @property
    def answered(self) -> bool:
        return self.answer.answered

    @property
    def intent(self) -> Intent:
        return self.answer.intent

    @property
    def confidence(self) -> float:
        return self.answer.confidence

    @property
    def matches(self) -> tuple[str, ...]:
        return self.answer.matches
