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
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace

import discord

from bot.discord_app.custom_ids import (
    OPTION_TEXT_LIMIT,
    StepCall,
    button_id,
    parse_button,
    parse_select,
    select_id,
)
from bot.discord_app.render import Reply, clip, render_answer
from bot.engine import messages as M
from bot.engine.answer import Intent
from bot.engine.turn import REGION_INTENTS
from bot.i18n.localize import LocalizedAnswer, LocalizedStep
from bot.kb.model import KeyField

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


# A builder of extra rows (feedback buttons, a Sources button): the items of each row.
RowBuilder = Callable[[LocalizedAnswer, ComponentContext], Sequence[Sequence[discord.ui.Item]]]


def _button(step: LocalizedStep, custom_id: str, style: discord.ButtonStyle) -> discord.ui.Item:
    label = clip(step.label.strip(), BUTTON_LABEL_LIMIT) or step.action
    return StepButton(discord.ui.Button(style=style, label=label, custom_id=custom_id))


def button_rows(
    steps: Sequence[LocalizedStep], lang: str, private: bool, style: discord.ButtonStyle
) -> list[list[discord.ui.Item]]:
    """Buttons for `steps`, five to a row, each custom_id once."""
    items: list[discord.ui.Item] = []
    seen: set[str] = set()
    for step in steps:
        custom_id = button_id(step, lang, private)
        if custom_id is None or custom_id in seen:
            continue
        seen.add(custom_id)
        items.append(_button(step, custom_id, style))
    return [items[i : i + BUTTONS_PER_ROW] for i in range(0, len(items), BUTTONS_PER_ROW)]


def choice_row(reply: LocalizedAnswer, private: bool) -> list[discord.ui.Item] | None:
    """One select menu of the clusters a reply covers (none past Discord's 25 options)."""
    choices = [s for s in reply.steps if s.kind == "choice" and s.target is not None]
    if not 2 <= len(choices) <= SELECT_OPTIONS:
        return None
    options = [
        discord.SelectOption(
            label=clip(step.label.strip(), OPTION_TEXT_LIMIT) or step.target.id,
            value=step.target.id,
        )
        for step in choices
        if len(step.target.id) <= OPTION_TEXT_LIMIT
    ]
    placeholder = clip(reply.say(M.STEP_CHOOSE()), PLACEHOLDER_LIMIT)
    select = discord.ui.Select(
        custom_id=select_id(choices[0].action, reply.lang, private),
        placeholder=placeholder,
        options=options,
    )
    return [StepSelect(select)]


def build_view(
    reply: LocalizedAnswer,
    *,
    private: bool,
    extra: Sequence[RowBuilder] = (),
    actions: Collection[str] = (),
    answer_id: str | None = None,
) -> discord.ui.View | None:
    """The reply's components, at most five rows: did-you-mean buttons, the menu of
    clusters, next-step buttons, then the extra builders' rows. When rows run out, the
    next steps give way first (they can be asked in words), then later extra rows. A step
    whose action no one answers (`actions`: the features' own, such as "map") is left out."""
    lang = reply.lang
    answerable = BUILTIN_ACTIONS | set(actions)
    suggestions = [s for s in reply.steps if s.kind == "suggestion" and s.action in answerable]
    following = [s for s in reply.steps if s.kind == "next" and s.action in answerable]
    context = ComponentContext(private, answer_id)
    extra_rows = [list(row) for builder in extra for row in builder(reply, context) if row]
    menu = choice_row(reply, private)
    # Rows by priority (which give way when rows run out) and by place in the order shown.
    ranked: list[tuple[int, int, list[discord.ui.Item]]] = []
    for row in button_rows(suggestions, lang, private, discord.ButtonStyle.primary):
        ranked.append((0, 0, row))
    if menu is not None:
        ranked.append((1, 1, menu))
    utilities = _utilities(extra_rows)
    for number, row in enumerate(utilities):
        ranked.append((2 + number, 3, row))
    for row in button_rows(following, lang, private, discord.ButtonStyle.secondary):
        ranked.append((2 + len(utilities), 2, row))
    shown = sorted(ranked, key=lambda item: item[1])
    _tuck_lone_utility(shown)
    kept = sorted(shown, key=lambda item: item[0])[:ROWS]
    if not kept:
        return None
    view = discord.ui.View(timeout=None)
    for number, (_, _, row) in enumerate(sorted(kept, key=lambda item: item[1])):
        for item in row:
            item.row = number
            view.add_item(item)
    return view


def _secondary_buttons(row: Sequence[discord.ui.Item]) -> bool:
    inner = [getattr(item, "item", item) for item in row]  # a DynamicItem wraps its button
    return all(
        isinstance(item, discord.ui.Button) and item.style is discord.ButtonStyle.secondary
        for item in inner
    )


def _utilities(rows: list[list[discord.ui.Item]]) -> list[list[discord.ui.Item]]:
    """The extra rows (Sources, 👍/👎: about the answer itself, not questions to ask) share
    one row while five buttons fit."""
    out: list[list[discord.ui.Item]] = []
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


def _tuck_lone_utility(shown: list[tuple[int, int, list[discord.ui.Item]]]) -> None:
    """A utility row of one button (Sources alone, when no feedback is kept) joins the last
    row of next steps when it fits, rather than taking a row of its own."""
    for index in range(1, len(shown)):
        (_, place, row), (_, before, previous) = shown[index], shown[index - 1]
        if (
            place == 3
            and before == 2
            and len(row) == 1
            and _secondary_buttons(row)
            and _secondary_buttons(previous)
            and len(previous) < BUTTONS_PER_ROW
        ):
            previous.extend(row)
            del shown[index]
            return


def offers_every_suggestion(
    reply: LocalizedAnswer, view: discord.ui.View | None, private: bool
) -> bool:
    """Whether the view has a button for each of the reply's suggestions (for a fact the
    sources lack, the buttons asking what they do give stand for the suggestions)."""
    if view is None or not reply.suggestions:
        return False
    shown = {item.custom_id for item in view.children if isinstance(item, StepButton)}
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
    message = render_answer(reply, fields, echo_question=echo_question, suggestions=not in_buttons)
    return replace(message, view=view)
