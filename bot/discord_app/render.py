"""Turn an answer (localized: `LocalizedAnswer`) into a Discord message Discord always accepts.

Pure functions: no I/O and no client, so every limit is tested on its own. Every Discord
limit is enforced here, not left to the API to reject:

* message content 2,000 characters; at most 10 embeds per message;
* embed title 256, description 4,096, at most 25 fields, field name 256, field value 1,024,
  footer 2,048, and 6,000 in total per embed *and* per message across its embeds.

Lengths are measured in UTF-16 code units, which is never less than the code points Python
counts, so an answer full of emoji or kanji stays under the limit however Discord counts.
Text that may echo the user (the question, but the engine can quote it anywhere) is escaped:
markdown is neutralised and every `@` that could form a mention gets a zero-width space, so
`@everyone` or `<@&123>` in a question pings nobody even before `AllowedMentions.none()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.engine import messages as M
from bot.i18n.localize import Block, LocalizedAnswer, Source
from bot.kb.model import KeyField

MESSAGE_CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000  # per embed, and per message summed over its embeds

NEUTRAL_COLOUR = discord.Colour(0x5D6D7E)  # no single key field: slate grey
ELLIPSIS = "…"
EMPTY_FIELD = "\u200b"  # Discord rejects empty field names and values
_SEPARATOR = " · "
# A value shorter than this is not worth showing cut; the block goes into "…and N more".
_MIN_USEFUL_VALUE = 120
# Soft caps below Discord's own, so that a long source list or summary leaves room for the
# blocks, which are the answer itself.
_FOOTER_SOFT_LIMIT = 600
_DESCRIPTION_WITH_BLOCKS_LIMIT = 2048

_MENTION = re.compile(r"@(everyone|here|[!&]?\d)")


def measure(text: str) -> int:
    """Length in UTF-16 code units: an upper bound for how Discord counts characters."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clip(text: str, limit: int, marker: str = ELLIPSIS) -> str:
    """`text` unchanged if it fits in `limit`, else cut and ended with `marker`."""
    if measure(text) <= limit:
        return text
    budget = max(limit - measure(marker), 0)
    kept: list[str] = []
    used = 0
    for ch in text:
        width = 2 if ord(ch) > 0xFFFF else 1
        if used + width > budget:
            break
        kept.append(ch)
        used += width
    return "".join(kept).rstrip() + marker


def fit_items(
    items: Sequence[str],
    limit: int,
    *,
    separator: str = "\n",
    more: Callable[[int], str] = "…and {} more".format,
    unlisted: int = 0,
) -> str:
    """Join as many whole `items` as fit in `limit`, then say how many were left out.

    `unlisted` counts further items the caller did not pass (they could never fit) so the
    note still gives the true number. When not even the first item fits beside the note,
    that item is cut instead.
    """
    if not unlisted:
        joined = separator.join(items)
        if measure(joined) <= limit:
            return joined
    total = len(items) + unlisted

    def tail(count: int) -> str:
        return separator + more(count) if count else ""

    kept: list[str] = []
    used = 0
    for index, item in enumerate(items):
        cost = measure(item) + (measure(separator) if kept else 0)
        if used + cost + measure(tail(total - index - 1)) > limit:
            break
        kept.append(item)
        used += cost
    if not kept:
        if not items:
            return more(total)
        return clip(items[0], limit - measure(tail(total - 1))) + tail(total - 1)
    return separator.join(kept) + tail(total - len(kept))


def neutralise_mentions(text: str) -> str:
    """Break every `@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&id>` with a zero-width space."""
    return _MENTION.sub("@\u200b\\1", text)


def escape(text: str) -> str:
    """Make text shown in rendered markdown inert: no formatting, links or mentions."""
    return neutralise_mentions(discord.utils.escape_markdown(text))


def _colour_of(key_field: KeyField) -> discord.Colour | None:
    try:
        return discord.Colour.from_str(key_field.colour)
    except (ValueError, TypeError):
        return None


def field_ids_of(answer: LocalizedAnswer) -> tuple[str, ...]:
    """The key fields an answer's blocks are about, in first-seen order."""
    seen: dict[str, None] = {}
    for block in answer.blocks:
        for field_id in block.field_ids:
            seen.setdefault(field_id, None)
    return tuple(seen)


def answer_colour(answer: LocalizedAnswer, fields: Mapping[str, KeyField]) -> discord.Colour:
    """The key field's colour when the answer is about exactly one field, else neutral."""
    known = [f for f in field_ids_of(answer) if f in fields]
    if len(known) == 1:
        return _colour_of(fields[known[0]]) or NEUTRAL_COLOUR
    return NEUTRAL_COLOUR


def emoji_prefix(field_ids: Iterable[str], fields: Mapping[str, KeyField]) -> str:
    emojis = "".join(fields[f].emoji for f in field_ids if f in fields and fields[f].emoji)
    return f"{emojis} " if emojis else ""


def _cite(source: Source) -> str:
    # The footer renders no markdown and no links: a plain citation, URLs go in embed.url.
    return ", ".join(part for part in (source.document, source.where) if part)


def footer_text(answer: LocalizedAnswer) -> str:
    """Sources, then the "as of" note; the note survives however many sources there are."""
    as_of = clip(neutralise_mentions(answer.as_of), _FOOTER_SOFT_LIMIT // 4) if answer.as_of else ""
    citations = list(dict.fromkeys(_cite(s) for s in answer.sources if _cite(s)))
    if not citations:
        return as_of
    label = answer.say(M.UI_SOURCES_LABEL(count=len(citations)))
    suffix = _SEPARATOR + as_of if as_of else ""
    sources = fit_items(
        [neutralise_mentions(c) for c in citations],
        _FOOTER_SOFT_LIMIT - measure(label) - measure(suffix),
        separator="; ",
        more=lambda count: answer.say(M.UI_AND_MORE_SOURCES(count=count)),
    )
    return label + sources + suffix


def _first_url(answer: LocalizedAnswer) -> str | None:
    return next((s.url for s in answer.sources if s.url), None)


def _escape_visible(text: str, limit: int) -> str:
    # Only the first `limit` characters can ever be shown: escaping (a regex with lookahead)
    # is applied to those alone, so a 5,000-character line costs no more than a short one.
    return escape(text[: limit + 1])


def block_field(
    block: Block,
    fields: Mapping[str, KeyField],
    *,
    more: Callable[[int], str] = "…and {} more".format,
) -> tuple[str, str]:
    """An embed field (name, value) for one block, each within its own limit."""
    title = _escape_visible(block.title, FIELD_NAME_LIMIT)
    name = clip(emoji_prefix(block.field_ids, fields) + title, FIELD_NAME_LIMIT)
    lines = [line for line in block.lines if line.strip()]
    # A line takes at least two units with its newline: no more than this many can show.
    shown = [_escape_visible(line, FIELD_VALUE_LIMIT) for line in lines[: FIELD_VALUE_LIMIT // 2]]
    unlisted = len(lines) - len(shown)
    value = (
        fit_items(shown, FIELD_VALUE_LIMIT, unlisted=unlisted, more=more) if lines else EMPTY_FIELD
    )
    return name or EMPTY_FIELD, value


def suggestions_field(answer: LocalizedAnswer) -> tuple[str, str] | None:
    if not answer.suggestions:
        return None
    items = [f"• {_escape_visible(s, FIELD_VALUE_LIMIT)}" for s in answer.suggestions]
    more = _more_words(answer)
    return clip(answer.say(M.UI_DID_YOU_MEAN()), FIELD_NAME_LIMIT), fit_items(
        items, FIELD_VALUE_LIMIT, more=more
    )


def _more_words(answer: LocalizedAnswer) -> Callable[[int], str]:
    return lambda count: answer.say(M.UI_AND_MORE(count=count))


def more_field(answer: LocalizedAnswer, count: int) -> tuple[str, str]:
    return (
        clip(answer.say(M.UI_AND_MORE(count=count)), FIELD_NAME_LIMIT),
        clip(answer.say(M.UI_AND_MORE_HINT()), FIELD_VALUE_LIMIT),
    )


@dataclass(frozen=True)
class Reply:
    """One message: what `send`, `send_message`, `followup.send` and `reply` take."""

    content: str | None = None
    embeds: tuple[discord.Embed, ...] = ()
    omitted: int = 0  # blocks left out for want of room (said in the "…and N more" field)
    # Buttons and menus (bot.discord_app.components); a View has no value equality.
    view: discord.ui.View | None = field(default=None, compare=False)

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

    The first embed carries the title and summary; the blocks follow as fields, 25 to an
    embed; the footer (sources, "as of") goes on the last one. Blocks that do not fit are
    replaced by one "…and N more" field rather than being cut at random.
    """
    colour = answer_colour(answer, fields)
    single_field = [f for f in field_ids_of(answer) if f in fields]
    title_prefix = emoji_prefix(single_field, fields) if len(single_field) == 1 else ""
    title = (
        clip(title_prefix + _escape_visible(answer.title, EMBED_TITLE_LIMIT), EMBED_TITLE_LIMIT)
        or None
    )
    footer = footer_text(answer)
    # Left out when buttons under the message offer every suggestion already.
    suggestion = suggestions_field(answer) if suggestions else None
    # The "…and N more" field costs at most this much; it is reserved while packing blocks.
    more_reserve = sum(map(measure, more_field(answer, 10**6)))

    budget = EMBED_TOTAL_LIMIT - measure(title or "") - measure(footer) - more_reserve
    if suggestion:
        budget -= sum(map(measure, suggestion))
    cap = _DESCRIPTION_WITH_BLOCKS_LIMIT if answer.blocks else EMBED_DESCRIPTION_LIMIT
    description = clip(_escape_visible(answer.summary, cap), min(cap, budget)) or None
    if title is None and description is None and not answer.blocks and not suggestion:
        description = answer.say(M.UI_NO_ANSWER())  # Discord rejects an empty embed
    budget -= measure(description or "")

    pages: list[list[tuple[str, str]]] = [[suggestion] if suggestion else []]
    slots = EMBEDS_PER_MESSAGE * EMBED_FIELDS_LIMIT - len(pages[0])
    placed = 0
    for index, block in enumerate(answer.blocks):
        name, value = block_field(block, fields, more=_more_words(answer))
        remaining_after = len(answer.blocks) - index - 1
        if slots - 1 < (1 if remaining_after else 0):
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
        pages[-1].append((name, value))
        budget -= cost
        slots -= 1
        placed += 1

    omitted = len(answer.blocks) - placed
    if omitted:
        if len(pages[-1]) == EMBED_FIELDS_LIMIT:
            pages.append([])
        pages[-1].append(more_field(answer, omitted))

    embeds: list[discord.Embed] = []
    for number, page in enumerate(pages):
        if number == 0:
            embed = discord.Embed(
                title=title, description=description, colour=colour, url=_first_url(answer)
            )
        else:
            embed = discord.Embed(colour=colour)
        for name, value in page:
            embed.add_field(name=name, value=value, inline=False)
        embeds.append(embed)
    if footer:
        embeds[-1].set_footer(text=footer)
    return embeds, omitted


def question_echo(question: str, limit: int = MESSAGE_CONTENT_LIMIT) -> str:
    """The user's question quoted back as message content, inert and within the limit."""
    one_line = " ".join(question[: limit * 2].split())
    return clip(f"> {_escape_visible(one_line, limit)}", limit)


def render_answer(
    answer: LocalizedAnswer,
    fields: Mapping[str, KeyField],
    *,
    echo_question: bool = False,
    suggestions: bool = True,
) -> Reply:
    """The whole reply to one answer: embeds, and the quoted question when asked for."""
    embeds, omitted = render_embeds(answer, fields, suggestions=suggestions)
    content = question_echo(answer.question) if echo_question and answer.question else None
    return Reply(content=content, embeds=tuple(embeds), omitted=omitted)


def plain_message(text: str) -> Reply:
    """A short text reply (errors, notices), escaped and within the content limit."""
    return Reply(
        content=clip(_escape_visible(text, MESSAGE_CONTENT_LIMIT), MESSAGE_CONTENT_LIMIT)
        or EMPTY_FIELD
    )


def problems_message(header: str, problems: Sequence[str]) -> Reply:
    """A header and a bullet list of problems, as many as fit in one message."""
    items = [f"• {_escape_visible(str(p), MESSAGE_CONTENT_LIMIT)}" for p in problems] or [
        "• (no details given)"
    ]
    head = clip(_escape_visible(header, MESSAGE_CONTENT_LIMIT), MESSAGE_CONTENT_LIMIT // 4)
    body = fit_items(items, MESSAGE_CONTENT_LIMIT - measure(head) - 1)
    return Reply(content=f"{head}\n{body}")
