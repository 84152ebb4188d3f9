"""Turn an answer (localized: `LocalizedAnswer`) into a Discord message Discord always accepts.

The layout: the title names what was asked (with the field's emoji when the answer is about
one key field); the description states the answer (the lead, a list that needs no heading,
then the notes on how the question was read as small text); the details follow as fields
(a card's facts side by side); the footer is one short source line, the full citations one
click away (the Sources button, `bot.discord_app.sources`). The colour says what kind of
reply it is (`style`). Declines have no title and the neutral colour.

Pure functions: every Discord limit is enforced here (`bot.discord_app.text`), not left to
the API to reject: 10 embeds, 25 fields, the title, description, field, footer and
6,000-per-message totals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.discord_app.layout import Layout
from bot.discord_app.style import NEUTRAL_COLOUR, answer_colour, single_field
from bot.discord_app.text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELDS_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    EMPTY_FIELD,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    MESSAGE_CONTENT_LIMIT,
    clip,
    escape,
    escape_visible,
    fit_items,
    measure,
    neutralise_mentions,
)
from bot.engine.answer import COMMANDS, FACT, ITEMS
from bot.i18n import words as W
from bot.i18n.localize import Block, LocalizedAnswer
from bot.kb.model import KeyField

__all__ = [  # the limits and primitives, for callers that render their own messages
    "EMBEDS_PER_MESSAGE",
    "EMBED_DESCRIPTION_LIMIT",
    "EMBED_FIELDS_LIMIT",
    "EMBED_TITLE_LIMIT",
    "EMBED_TOTAL_LIMIT",
    "FIELD_NAME_LIMIT",
    "FIELD_VALUE_LIMIT",
    "FOOTER_LIMIT",
    "MESSAGE_CONTENT_LIMIT",
    "NEUTRAL_COLOUR",
    "Reply",
    "clip",
    "escape",
    "fit_items",
    "measure",
    "message_total",
    "plain_message",
    "problems_message",
    "render_answer",
    "render_embeds",
]

# A value shorter than this is not worth showing cut; the block goes into "…and N more".
_MIN_USEFUL_VALUE = 120
# Below Discord's own cap, so that a long lead leaves room for the details.
_DESCRIPTION_WITH_BLOCKS_LIMIT = 2048
_INLINE_FACT_LIMIT = 24
_COMMAND = re.compile(r"(/\S+)(.*)", re.DOTALL)  # a help line: the command, what it does


def _more_words(answer: LocalizedAnswer) -> Callable[[int], str]:
    return lambda count: answer.say(W.UI_AND_MORE(count=count))


def _line(text: str, style: str) -> str:
    """One line of a block, escaped, with its style's markdown (added after escaping)."""
    if style == ITEMS:
        return "- " + escape_visible(text, FIELD_VALUE_LIMIT)
    if style == COMMANDS:
        match = _COMMAND.fullmatch(text)
        if match:
            command = match.group(1).replace("`", "")
            return f"`{command}`" + escape_visible(match.group(2), FIELD_VALUE_LIMIT)
    return escape_visible(text, FIELD_VALUE_LIMIT)


def block_field(
    block: Block, *, more: Callable[[int], str] = "…and {} more".format
) -> tuple[str, str, bool]:
    """An embed field (name, value, inline) for one block, each within its own limit."""
    name = clip(escape_visible(block.title, FIELD_NAME_LIMIT), FIELD_NAME_LIMIT)
    lines = [line for line in block.lines if line.strip()]
    # A line takes at least two units with its newline: no more than this many can show.
    shown = [_line(line, block.style) for line in lines[: FIELD_VALUE_LIMIT // 2]]
    unlisted = len(lines) - len(shown)
    value = (
        fit_items(shown, FIELD_VALUE_LIMIT, unlisted=unlisted, more=more) if lines else EMPTY_FIELD
    )
    # A card's short facts sit side by side; a long one (an organization's full name) takes
    # the whole width, or it would wrap word by word in a third of it.
    inline = block.style == FACT and measure(value) <= _INLINE_FACT_LIMIT
    return name or EMPTY_FIELD, value, inline


def suggestions_field(answer: LocalizedAnswer) -> tuple[str, str, bool] | None:
    if not answer.suggestions:
        return None
    items = [f"• {escape_visible(s, FIELD_VALUE_LIMIT)}" for s in answer.suggestions]
    return (
        clip(answer.say(W.UI_DID_YOU_MEAN()), FIELD_NAME_LIMIT),
        fit_items(items, FIELD_VALUE_LIMIT, more=_more_words(answer)),
        False,
    )


def more_field(answer: LocalizedAnswer, count: int) -> tuple[str, str, bool]:
    return (
        clip(answer.say(W.UI_AND_MORE(count=count)), FIELD_NAME_LIMIT),
        clip(answer.say(W.UI_AND_MORE_HINT()), FIELD_VALUE_LIMIT),
        False,
    )


def footer_text(answer: LocalizedAnswer) -> str:
    """The one-line source note (the localizer keeps it short; clipped all the same)."""
    return clip(neutralise_mentions(answer.source_note), FOOTER_LIMIT)


def description_text(answer: LocalizedAnswer, budget: int) -> str | None:
    """The lead, the lines of the blocks without a heading (a listing of one group), then
    the notes on how the question was read, as small text; within `budget`."""
    cap = min(budget, EMBED_DESCRIPTION_LIMIT)
    lead = escape_visible(answer.opening, cap)
    notes = [f"-# {escape_visible(note, cap)}" for note in answer.notes if note.strip()]
    items = [
        _line(line, block.style)
        for block in answer.blocks
        if not block.title
        for line in block.lines
        if line.strip()
    ]
    notes_text = "\n".join(notes)
    head = clip(lead, max(cap - measure(notes_text) - 1, cap // 2)) if lead else ""
    room = cap - measure(head) - measure(notes_text) - 2
    body = fit_items(items, room, more=_more_words(answer)) if items and room > 0 else ""
    text = "\n".join(part for part in (head, body, notes_text) if part)
    return clip(text, cap) or None


@dataclass(frozen=True)
class Reply:
    """One message: what `send`, `send_message`, `followup.send` and `reply` take."""

    content: str | None = None
    embeds: tuple[discord.Embed, ...] = ()
    omitted: int = 0  # blocks left out for want of room (said in the "…and N more" field)
    # Buttons and menus (bot.discord_app.components), as a View for discord.py's send methods.
    view: Layout | None = field(default=None, compare=False)

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for any send method; mentions are always off."""
        sent: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
        if self.content is not None:
            sent["content"] = self.content
        if self.embeds:
            sent["embeds"] = list(self.embeds)
        if self.view is not None:
            sent["view"] = self.view
        return sent


def message_total(embeds: Iterable[discord.Embed]) -> int:
    """The per-message embed total Discord enforces, measured like `measure`."""
    total = 0
    for embed in embeds:
        total += measure(embed.title or "") + measure(embed.description or "")
        total += sum(measure(f.name or "") + measure(f.value or "") for f in embed.fields)
        total += measure(embed.footer.text or "") + measure(embed.author.name or "")
    return total


def render_embeds(
    answer: LocalizedAnswer, fields: Mapping[str, KeyField], *, suggestions: bool = True
) -> tuple[list[discord.Embed], int]:
    """The answer as at most 10 embeds within every limit, and how many blocks were left out.

    The first embed carries the title and the description; the titled blocks follow as
    fields, 25 to an embed; the footer goes on the last one. Blocks that do not fit are
    replaced by one "…and N more" field rather than being cut at random.
    """
    colour = answer_colour(answer, fields)
    field = single_field(answer, fields)
    prefix = f"{field.emoji} " if field is not None and field.emoji else ""
    title = clip(prefix + escape_visible(answer.title, EMBED_TITLE_LIMIT), EMBED_TITLE_LIMIT)
    title = title if answer.title.strip() else ""
    footer = footer_text(answer)
    # Left out when buttons under the message offer every suggestion already.
    suggestion = suggestions_field(answer) if suggestions else None
    titled = [block for block in answer.blocks if block.title]
    # The "…and N more" field costs at most this much; it is reserved while packing blocks.
    more_reserve = sum(measure(part) for part in more_field(answer, 10**6)[:2])

    budget = EMBED_TOTAL_LIMIT - measure(title) - measure(footer) - more_reserve
    if suggestion:
        budget -= measure(suggestion[0]) + measure(suggestion[1])
    cap = _DESCRIPTION_WITH_BLOCKS_LIMIT if titled else EMBED_DESCRIPTION_LIMIT
    description = description_text(answer, min(cap, budget))
    if not (title or description or titled or suggestion):
        description = answer.say(W.UI_NO_ANSWER())  # Discord rejects an empty embed
    budget -= measure(description or "")

    pages: list[list[tuple[str, str, bool]]] = [[suggestion] if suggestion else []]
    slots = EMBEDS_PER_MESSAGE * EMBED_FIELDS_LIMIT - len(pages[0])
    placed = 0
    for index, block in enumerate(titled):
        name, value, inline = block_field(block, more=_more_words(answer))
        if slots - 1 < (1 if len(titled) - index - 1 else 0):
            break  # keep a slot for the "…and N more" field
        cost = measure(name) + measure(value)
        if cost > budget:
            room = budget - measure(name)
            if room < _MIN_USEFUL_VALUE:
                break
            value = clip(value, room)
            cost = measure(name) + measure(value)
        if len(pages[-1]) == EMBED_FIELDS_LIMIT:
            pages.append([])
        pages[-1].append((name, value, inline))
        budget -= cost
        slots -= 1
        placed += 1

    omitted = len(titled) - placed
    if omitted:
        if len(pages[-1]) == EMBED_FIELDS_LIMIT:
            pages.append([])
        pages[-1].append(more_field(answer, omitted))

    embeds: list[discord.Embed] = []
    for number, page in enumerate(pages):
        if number == 0:
            embed = discord.Embed(title=title or None, description=description, colour=colour)
        else:
            embed = discord.Embed(colour=colour)
        for name, value, inline in page:
            embed.add_field(name=name, value=value, inline=inline)
        embeds.append(embed)
    if footer:
        embeds[-1].set_footer(text=footer)
    return embeds, omitted


def question_echo(question: str, limit: int = MESSAGE_CONTENT_LIMIT) -> str:
    """The user's question quoted back as message content, inert and within the limit."""
    one_line = " ".join(question[: limit * 2].split())
    return clip(f"> {escape_visible(one_line, limit)}", limit)


def render_answer(
    answer: LocalizedAnswer,
    fields: Mapping[str, KeyField],
    *,
    echo_question: bool = False,
    suggestions: bool = True,
    view: Layout | None = None,
) -> Reply:
    """The whole reply to one answer: embeds, the quoted question when asked for, and the
    components under it (`view`) when it has some."""
    embeds, omitted = render_embeds(answer, fields, suggestions=suggestions)
    content = question_echo(answer.question) if echo_question and answer.question else None
    return Reply(content=content, embeds=tuple(embeds), omitted=omitted, view=view)


def plain_message(text: str) -> Reply:
    """A short text reply (errors, notices), escaped and within the content limit."""
    return Reply(
        content=clip(escape_visible(text, MESSAGE_CONTENT_LIMIT), MESSAGE_CONTENT_LIMIT)
        or EMPTY_FIELD
    )


def problems_message(header: str, problems: Sequence[str]) -> Reply:
    """A header and a bullet list of problems, as many as fit in one message."""
    items = [f"• {escape_visible(str(p), MESSAGE_CONTENT_LIMIT)}" for p in problems] or [
        "• (no details given)"
    ]
    head = clip(escape_visible(header, MESSAGE_CONTENT_LIMIT), MESSAGE_CONTENT_LIMIT // 4)
    body = fit_items(items, MESSAGE_CONTENT_LIMIT - measure(head) - 1)
    return Reply(content=f"{head}\n{body}")
