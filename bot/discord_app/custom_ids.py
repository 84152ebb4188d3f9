"""What a component does, written in its `custom_id` (at most 100 characters):

    kc:s:LANG:VIS:ACTION:KIND:ID    a button: ask ACTION about KIND:ID
    kc:c:LANG:VIS:ACTION            a select menu: ask ACTION about the cluster picked

LANG is the reply's language (a click answers in it), VIS `o` (open) or `p` (the asker
chose a private answer, so clicks stay private). `parse_button`/`parse_select` read an id
back without trusting it; `bot.discord_app.clicks` checks what it names against the live
knowledge base.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.engine.answer import Ref
from bot.engine.steps import MAP_VIEW
from bot.i18n.localize import LocalizedStep

log = logging.getLogger(__name__)

PREFIX = "kc"
BUTTON = "s"
SELECT = "c"
CUSTOM_ID_LIMIT = 100
OPTION_TEXT_LIMIT = 100  # a select option's value
OPEN, PRIVATE = "o", "p"
TARGET_KINDS = frozenset({"cluster", "place", "organization", "faq", "example", MAP_VIEW})

_PART = r"[a-z0-9_-]{1,40}"
_BUTTON_ID = re.compile(
    rf"(?P<lang>[a-z]{{2,3}}):(?P<vis>[op]):(?P<action>{_PART}):(?P<kind>{_PART}):(?P<id>[^:]{{1,64}})"
)
_SELECT_ID = re.compile(rf"(?P<lang>[a-z]{{2,3}}):(?P<vis>[op]):(?P<action>{_PART})")


@dataclass(frozen=True, slots=True)
class StepCall:
    """What a clicked component asks, read from its custom_id (not yet checked against the
    knowledge base). `target` is None for a select until the value picked is known."""

    lang: str
    private: bool
    action: str
    target: Ref | None


def button_id(step: LocalizedStep, lang: str, private: bool) -> str | None:
    """The custom_id of a step's button, or None when it cannot be written in one."""
    target = step.target
    if target is None:
        return None
    kind, ident = target.kind, target.id
    visibility = PRIVATE if private else OPEN
    custom_id = f"{PREFIX}:{BUTTON}:{lang}:{visibility}:{step.action}:{kind}:{ident}"
    if len(custom_id) > CUSTOM_ID_LIMIT or ":" in ident:
        log.warning("step %s:%s does not fit in a custom_id; no button", kind, ident)
        return None
    return custom_id


def select_id(action: str, lang: str, private: bool) -> str:
    return f"{PREFIX}:{SELECT}:{lang}:{PRIVATE if private else OPEN}:{action}"


def parse_button(data: str) -> StepCall | None:
    """A button's custom_id after `kc:s:`, or None if it is malformed."""
    match = _BUTTON_ID.fullmatch(data)
    if match is None or match["kind"] not in TARGET_KINDS:
        return None
    target = Ref(match["kind"], match["id"])
    return StepCall(match["lang"], match["vis"] == PRIVATE, match["action"], target)


def parse_select(data: str, values: Sequence[str]) -> StepCall | None:
    """A select's custom_id after `kc:c:` and the value picked, or None if malformed."""
    match = _SELECT_ID.fullmatch(data)
    if match is None or len(values) != 1 or not 0 < len(values[0]) <= OPTION_TEXT_LIMIT:
        return None
    target = Ref("cluster", values[0])
    return StepCall(match["lang"], match["vis"] == PRIVATE, match["action"], target)
