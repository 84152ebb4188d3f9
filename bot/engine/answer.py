"""The typed answer every front-end renders. Knows nothing of Discord, consoles or JSON."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

AS_OF_2008 = "as of the 2008 edition"


class Intent(str, Enum):
    FIELDS = "fields"  # a region's key fields
    CONTACT = "contact"  # a region's core organization and contact details
    STAGE = "stage"  # a region's stage and status
    REGION = "region"  # overview of the clusters a place heads
    BY_FIELD = "by_field"  # clusters working in a field
    BY_STAGE = "by_stage"  # clusters of a stage and/or status
    COUNT = "count"  # how many clusters (optionally per stage/status/field)
    PAGE = "page"  # the page of the 2008 edition a region is on
    BUDGET = "budget"
    FAQ = "faq"  # the initiative itself: definition, purpose, plans, MEXT, ...
    ABOUT = "about"
    HELP = "help"
    CLARIFY = "clarify"  # a near miss or an unclear question: "did you mean ...?"
    OUT_OF_DOMAIN = "out_of_domain"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Block:
    """One titled section of an answer: a cluster, an organization, a FAQ answer."""

    title: str
    lines: tuple[str, ...]
    field_ids: tuple[str, ...] = ()  # key fields the block is about (a colour/emoji hint)
    cluster_id: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    document: str
    where: str | None = None
    url: str | None = None

    def cite(self) -> str:
        parts = [self.document]
        if self.where:
            parts.append(self.where)
        text = ", ".join(parts)
        return f"{text} <{self.url}>" if self.url else text


@dataclass(frozen=True, slots=True)
class Answer:
    """What the engine says to a question.

    `answered` is false when the bot declines (out of domain, near miss, empty input); the
    `summary` then says what it can answer and `suggestions` holds up to three queries the
    user may have meant, each one a text the engine answers if asked.
    """

    question: str
    answered: bool
    intent: Intent
    title: str
    summary: str
    blocks: tuple[Block, ...] = ()
    matches: tuple[str, ...] = ()  # ids of the clusters / FAQ entries / organizations used
    sources: tuple[Source, ...] = ()
    suggestions: tuple[str, ...] = ()
    confidence: float = 0.0  # 0..1
    as_of: str | None = None  # e.g. AS_OF_2008 for time-bound facts
