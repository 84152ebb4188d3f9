"""A reply's steps as Discord components: "did you mean" and next-step buttons, a menu of
clusters, and rows other features add (feedback, sources).

Everything a component does is written in its `custom_id` (`custom_ids`), so it works
after a restart and on any shard, with nothing remembered by the bot; the `DynamicItem`s
here find it again on every click. Discord's limits are applied here: 5 rows, 5 buttons a
row, a select alone in its row with at most 25 options, labels at most 80 (buttons) or 100
(options).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass

import discord

from bot.discord_app.custom_ids import (
    OPTION_TEXT_LIMIT,
    StepCall,
    button_id,
    parse_button,
    parse_select,
    select_id,
)
from bot.discord_app.layout import Button, Component, Layout, Menu
from bot.discord_app.render import Reply, clip, render_answer
from bot.engine import messages as M
from bot.engine.answer import Intent
from bot.engine.turn import REGION_INTENTS
from bot.i18n.localize import LocalizedAnswer, LocalizedStep
from bot.kb.model import KeyField
from bot.render.wrap import display_width

log = logging.getLogger(__name__)

ROWS = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL_LIMIT = 80
SELECT_OPTIONS = 25
PLACEHOLDER_LIMIT = 150
# What every bot answers itself; a feature adds its own (`KCBot.step_actions`, e.g. "map").
BUILTIN_ACTIONS = frozenset({*(intent.value for intent in REGION_INTENTS), "faq", "ask"})


# -- the components themselves: found again by their custom_id after any restart --------


class StepButton(discord.ui.DynamicItem[discord.ui.Button], template=r"kc:s:(?P<data>.*)"):
    """A button asking a step; what it asks is its custom_id (read again on each click)."""

    def __init__(self, item: discord.ui.Button, call: StepCall | None = None) -> None:
        super().__init__(item)
        self.call = call

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str], /
    ) -> StepButton:
        # Never raises: discord.py would drop the click unanswered; a bad id is answered.
        button = discord.ui.Button(custom_id=match.string)
        return cls(button, parse_button(match["data"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.discord_app.clicks import answer_click

        await answer_click(interaction, self.call)


class StepSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"kc:c:(?P<data>.*)"):
    """A menu of clusters; the option picked is the step's target."""

    def __init__(self, item: discord.ui.Select, data: str = "") -> None:
        super().__init__(item)
        self.data = data

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str], /
    ) -> StepSelect:
        return cls(discord.ui.Select(custom_id=match.string, options=[]), match["data"])

    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.discord_app.clicks import answer_click

        values = [str(v) for v in (interaction.data or {}).get("values") or []]
        await answer_click(interaction, parse_select(self.data, values))


# The `kc:` namespaces that have their own DynamicItem: steps and menus here, the Sources
# button (`kc:src:`, bot.discord_app.sources), the feedback votes (`kc:vote:`,
# bot.discord_app.feedback). A feature with a new one adds it here, or its clicks would be
# answered twice.
OWN_NAMESPACES = ("s", "c", "src", "vote")


class UnknownComponent(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"kc:(?!(?:{'|'.join(OWN_NAMESPACES)}):).*",
):
    """Any other `kc:` id (a forged one, or one of a feature since removed): answered with a
    polite notice rather than left to fail."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str], /
    ) -> UnknownComponent:
        return cls(discord.ui.Button(custom_id=match.string))

    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.discord_app.clicks import answer_click

        await answer_click(interaction, None)


DYNAMIC_ITEMS = (StepButton, StepSelect, UnknownComponent)


# -- building a message's components ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComponentContext:
    """What row builders know besides the reply: whether clicks stay private, and the id
    the answer has in the question log (for feedback on it)."""

    private: bool
    answer_id: str | None = None


# A builder of extra rows (feedback buttons, a Sources button): the components of each row.
RowBuilder = Callable[[LocalizedAnswer, ComponentContext], Sequence[Sequence[Component]]]


def _button(step: LocalizedStep, custom_id: str, style: discord.ButtonStyle) -> Button:
    label = clip(step.label.strip(), BUTTON_LABEL_LIMIT) or step.action
    return Button(custom_id, label, style)


# Under an answer: at most one primary action and three further next steps (more can be
# asked in words); under a short answer, one and one, so the buttons are not taller than
# the answer on a phone.
MAX_STEP_BUTTONS = 4
SHORT_ANSWER_STEP_BUTTONS = 2
# An answer of at most this many lines on a phone is short: a count, a yes or no, a few
# facts. Lines are counted at PHONE_LINE_CELLS cells (a kanji takes two), about what an
# embed shows on a phone held upright.
SHORT_ANSWER_LINES = 6
PHONE_LINE_CELLS = 40
# Replies that are not an answer to rate: help, about, greetings, and declines (a question
# back included); they get no 👍/👎.
NOT_RATED = frozenset(
    {
        Intent.HELP,
        Intent.ABOUT,
        Intent.GREETING,
        Intent.EMPTY,
        Intent.OUT_OF_DOMAIN,
        Intent.CLARIFY,
    }
)


def invites_feedback(reply: LocalizedAnswer) -> bool:
    """Whether 👍/👎 belong under the reply: only under an answer to a question."""
    return reply.intent not in NOT_RATED


def _phone_texts(reply: LocalizedAnswer) -> Iterator[str]:
    yield reply.title
    yield from reply.summary.split("\n")
    for block in reply.blocks:
        yield block.title
        yield from block.lines


def _lines_on_phone(text: str) -> int:
    return -(-display_width(text) // PHONE_LINE_CELLS) if text.strip() else 0


def phone_lines(reply: LocalizedAnswer) -> int:
    """How many lines the reply's text takes on a phone (title, lead, notes, every block's
    heading and lines; the source line is left out, as it is small)."""
    return sum(_lines_on_phone(text) for text in _phone_texts(reply))


def is_short(reply: LocalizedAnswer) -> bool:
    """Whether `phone_lines(reply)` is at most SHORT_ANSWER_LINES; a long listing stops
    being measured as soon as it is past that."""
    lines = 0
    for text in _phone_texts(reply):
        lines += _lines_on_phone(text)
        if lines > SHORT_ANSWER_LINES:
            return False
    return True


def step_buttons(
    steps: Sequence[LocalizedStep], lang: str, private: bool, limit: int
) -> list[Component]:
    """Buttons for the first `limit` steps, each custom_id once: the first is the primary
    action, the others secondary."""
    items: list[Component] = []
    seen: set[str] = set()
    for step in steps:
        custom_id = button_id(step, lang, private)
        if custom_id is None or custom_id in seen:
            continue
        seen.add(custom_id)
        style = discord.ButtonStyle.primary if not items else discord.ButtonStyle.secondary
        items.append(_button(step, custom_id, style))
        if len(items) == limit:
            break
    return items


def choice_row(reply: LocalizedAnswer, private: bool) -> list[Component] | None:
    """One select menu of the clusters a reply covers (none past Discord's 25 options)."""
    choices = [s for s in reply.steps if s.kind == "choice" and s.target is not None]
    if not 2 <= len(choices) <= SELECT_OPTIONS:
        return None
    options = tuple(
        (clip(step.label.strip(), OPTION_TEXT_LIMIT) or step.target.id, step.target.id)
        for step in choices
        if len(step.target.id) <= OPTION_TEXT_LIMIT
    )
    placeholder = clip(reply.say(M.STEP_CHOOSE()), PLACEHOLDER_LIMIT)
    return [Menu(select_id(choices[0].action, reply.lang, private), options, placeholder)]


def build_view(
    reply: LocalizedAnswer,
    *,
    private: bool,
    extra: Sequence[RowBuilder] = (),
    actions: Collection[str] = (),
    answer_id: str | None = None,
) -> Layout | None:
    """The reply's components: a row of steps ("did you mean" first, then the next steps;
    one primary, at most three more), the menu of clusters, then the extra builders' rows
    (Sources and 👍/👎, sharing one row). Under a short answer there are two steps at most
    and no menu, and the steps share the utilities' row when it has room. A step whose
    action no one answers (`actions`: the features' own, such as "map") is left out."""
    answerable = BUILTIN_ACTIONS | set(actions)
    steps = [s for s in reply.steps if s.kind in ("suggestion", "next") and s.action in answerable]
    short = is_short(reply)
    # A question back offers its candidates whatever its length: they are the answer.
    asks_back = any(s.kind == "suggestion" for s in steps)
    limit = SHORT_ANSWER_STEP_BUTTONS if short and not asks_back else MAX_STEP_BUTTONS
    buttons = step_buttons(steps, reply.lang, private, limit)
    context = ComponentContext(private, answer_id)
    utilities = _utilities([list(row) for b in extra for row in b(reply, context) if row])
    menu = None if short else choice_row(reply, private)
    shared = (
        short
        and bool(buttons and utilities)
        and _secondary_buttons(utilities[0])
        and len(buttons) + len(utilities[0]) <= BUTTONS_PER_ROW
    )
    if shared:
        utilities[0][:0] = buttons
    rows: list[list[Component]] = [buttons] if buttons and not shared else []
    if menu is not None:
        rows.append(menu)
    rows += utilities
    if len(rows) > ROWS:  # the utilities stay; a menu or steps can be asked in words
        rows = [*rows[: ROWS - len(utilities)], *utilities][-ROWS:]
    return Layout(rows) if rows else None


def _secondary_buttons(row: Sequence[Component]) -> bool:
    return all(
        isinstance(item, Button) and item.style is discord.ButtonStyle.secondary for item in row
    )


def _utilities(rows: list[list[Component]]) -> list[list[Component]]:
    """The extra rows (Sources, 👍/👎: about the answer itself, not questions to ask) share
    one row while five buttons fit."""
    out: list[list[Component]] = []
    for row in rows:
        previous = out[-1] if out else None
        if (
            previous is not None
            and _secondary_buttons(previous)
            and _secondary_buttons(row)
            and len(previous) + len(row) <= BUTTONS_PER_ROW
        ):
            previous.extend(row)
        else:
            out.append(list(row))
    return out


def offers_every_suggestion(reply: LocalizedAnswer, view: Layout | None, private: bool) -> bool:
    """Whether the view has a button for each of the reply's suggestions (for a fact the
    sources lack, the buttons asking what they do give stand for the suggestions)."""
    if view is None or not reply.suggestions:
        return False
    shown = {item.custom_id for item in view.components if isinstance(item, Button)}
    if reply.intent is Intent.NOT_IN_SOURCES:
        return any(
            s.kind == "next" and button_id(s, reply.lang, private) in shown for s in reply.steps
        )
    steps = [s for s in reply.steps if s.kind == "suggestion"]
    return len(steps) == len(reply.suggestions) and all(
        button_id(s, reply.lang, private) in shown for s in steps
    )


def render_with_steps(
    reply: LocalizedAnswer,
    fields: Mapping[str, KeyField],
    *,
    private: bool,
    extra: Sequence[RowBuilder] = (),
    actions: Collection[str] = (),
    echo_question: bool = False,
    answer_id: str | None = None,
) -> Reply:
    """The reply's message with its components; a "did you mean" the buttons show in full is
    not repeated as text."""
    view = build_view(reply, private=private, extra=extra, actions=actions, answer_id=answer_id)
    in_buttons = offers_every_suggestion(reply, view, private)
    return render_answer(
        reply, fields, echo_question=echo_question, suggestions=not in_buttons, view=view
    )
