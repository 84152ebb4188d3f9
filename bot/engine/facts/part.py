"""What a region builder returns: the body of an answer before the notes are added."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.answer import Fact, Msg, Section
from bot.kb.model import SourceRef


@dataclass(frozen=True, slots=True)
class Part:
    title: Msg
    summary: Msg | None  # None: the sections say it all
    sections: tuple[Section, ...]
    sources: tuple[SourceRef, ...]
    extra_matches: tuple[str, ...] = ()  # organizations or FAQ entries used besides clusters
    facts: tuple[Fact, ...] = ()
    # The answer as one labelled fact ("Page": "30"), for a reply asked several things.
    fact: tuple[Msg, Msg] | None = None
    # Whether it states what was asked: not when it shows a substitute (the programme
    # office for a cluster without a contact, the programme's budget for a cluster's) or
    # lacks the detail asked (a telephone number no source gives).
    answered: bool = True
    # The title states the fact asked ("Fax number for Sapporo: …"), alone: the card it
    # comes from is offered as the next step, not repeated.
    one_fact: bool = False
