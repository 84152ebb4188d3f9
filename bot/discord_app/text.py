"""Discord's text limits, measured, and text made inert: the primitives every message uses.

Lengths are measured in UTF-16 code units, which is never less than the code points Python
counts, so an answer full of emoji or kanji stays under the limit however Discord counts.
Text that may echo the user is escaped: markdown is neutralised and every `@` that could
form a mention gets a zero-width space, so `@everyone` or `<@&123>` in a question pings
nobody even before `AllowedMentions.none()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import discord

MESSAGE_CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000  # per embed, and per message summed over its embeds

ELLIPSIS = "…"
EMPTY_FIELD = "\u200b"  # Discord rejects empty field names and values

_MENTION = re.compile(r"@(everyone|here|[!&]?\d)")
# Every character that markdown escaping (discord.py's `escape_markdown`: `_ \ ~ | * ``,
# and `>`, `[`, `#`, `-` that may start a quote, a link, a heading or a list) or a mention
# needs: text without any is inert as it is (most lines of an answer).
_MARKUP = re.compile(r"[_\\~|*`>\[#\-@]")


def measure(text: str) -> int:
    """Length in UTF-16 code units: an upper bound for how Discord counts characters."""
    if text.isascii():
        return len(text)
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
    if _MARKUP.search(text) is None:
        return text
    return neutralise_mentions(discord.utils.escape_markdown(text))


def escape_visible(text: str, limit: int) -> str:
    """`text` escaped, reading only what can be shown: escaping (a regex with lookahead) is
    applied to the first `limit` characters, so a 5,000-character line costs no more than a
    short one."""
    return escape(text[: limit + 1])
