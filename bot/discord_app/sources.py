"""The Sources button: a reply's full citations, one click away, shown to the clicker only.

Under an answer the footer is one short line ("Source: 2008 edition, p. 1 · as of 2008");
the button shows every cited document in full: its title (a link where the document has
an address: only then is a link known to be the source), the places cited in it, and the
year its facts describe. Like every component, it keeps what it needs in its custom_id
(`kc:src:LANG:DIGEST:n.n.n`, the numbers of `CitationIndex`), so it works after a restart
and on any shard; a reload that changed the sources makes old buttons say so politely.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord

from bot.discord_app.components import ComponentContext
from bot.discord_app.layout import Button
from bot.discord_app.render import Reply
from bot.discord_app.replies import respond
from bot.discord_app.style import PROGRAMME_COLOUR
from bot.discord_app.text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    clip,
    escape,
    fit_items,
)
from bot.engine import messages as M
from bot.i18n import words as W
from bot.i18n.localize import LocalizedAnswer, Source

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

log = logging.getLogger(__name__)

PREFIX = "kc:src:"
NAMESPACE = "src"
CUSTOM_ID_LIMIT = 100
BUTTON_LABEL_LIMIT = 80
_EMOJI = "📚"
_LANG = re.compile(r"[a-z]{2,3}")


def sources_id(reply: LocalizedAnswer, index_code: str | None) -> str | None:
    """The button's custom_id, or None when the citations cannot be written in one."""
    if index_code is None:
        return None
    custom_id = f"{PREFIX}{reply.lang}:{index_code}"
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else None


class SourcesButton(discord.ui.DynamicItem[discord.ui.Button], template=r"kc:src:(?P<data>.*)"):
    """The Sources button; what it cites is read again from its custom_id on each click."""

    def __init__(self, item: discord.ui.Button) -> None:
        super().__init__(item)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str], /
    ) -> SourcesButton:
        return cls(discord.ui.Button(custom_id=match.string))

    async def callback(self, interaction: discord.Interaction) -> None:
        await show_sources(interaction, self.custom_id)


def sources_row(bot: KCBot):
    """A row builder (`KCBot.component_rows`) giving a reply with sources its button."""

    def build(reply: LocalizedAnswer, context: ComponentContext) -> list[list[Button]]:
        if not reply.sources:
            return []
        index = bot.app.engine.library.citation_index
        custom_id = sources_id(reply, index.encode(reply.answer.citations))
        if custom_id is None:
            return []
        label = clip(reply.say(W.UI_SOURCES_BUTTON()), BUTTON_LABEL_LIMIT)
        return [[Button(custom_id, label, discord.ButtonStyle.secondary, _EMOJI)]]

    return build


def citation_lines(sources: Sequence[Source], as_of: dict[str, str]) -> list[str]:
    """Each source in full, as markdown: the title (linked when it has an address), the
    places cited, and the year its facts describe."""
    lines = []
    for source in sources:
        title = escape(source.document)
        if source.url:
            title = f"[{title}](<{source.url}>)" if ")" not in source.url else title
        parts = [f"**{title}**"]
        if source.where:
            parts.append(escape(source.where))
        year = as_of.get(source.id)
        if year:
            parts.append(year)
        lines.append("- " + " · ".join(parts))
    return lines


async def show_sources(interaction: discord.Interaction, custom_id: str) -> None:
    bot: KCBot = interaction.client  # type: ignore[assignment]
    app = bot.app
    lang, _, code = custom_id.removeprefix(PREFIX).partition(":")
    engine = app.engine
    cited = engine.library.citation_index.decode(code) if _LANG.fullmatch(lang) else None
    if cited is None or lang not in app.localizer.languages:
        log.info("sources button %.100r names no citation of this knowledge base", custom_id)
        from bot.discord_app.clicks import stale_notice

        await stale_notice(interaction, None)
        return
    localizer = app.localizer
    sources = [localizer.source(c, lang) for c in cited]
    documents = engine.kb.documents
    as_of = {
        s.id: localizer.text(M.AS_OF_YEAR(year=documents[s.id].as_of), lang)
        for s in sources
        if documents[s.id].as_of
    }
    embed = discord.Embed(
        title=clip(localizer.text(W.UI_SOURCES_TITLE(), lang), EMBED_TITLE_LIMIT),
        description=fit_items(citation_lines(sources, as_of), EMBED_DESCRIPTION_LIMIT),
        colour=PROGRAMME_COLOUR,
    )
    await respond(interaction, Reply(embeds=(embed,)), ephemeral=True)
