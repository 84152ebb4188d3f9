"""/report: the editors' report, seen only by the person who asked.

Server managers and the bot's owners may ask. The log spans every server the bot is in,
so question texts are shown to the owners (OWNER_IDS), or, with QUESTION_LOG_GUILD on, to a
server's managers for their own server's questions; other managers get the counts only.
"""

from __future__ import annotations

import io
import logging
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.render import MESSAGE_CONTENT_LIMIT, plain_message
from bot.discord_app.replies import acknowledged, respond, say
from bot.i18n import words as W
from bot.report.command import DEFAULT_SINCE, parse_since, report_from
from bot.report.formats import FORMATS, headline, render, when

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

log = logging.getLogger(__name__)

FLUSH_SECONDS = 2.0
_EXTENSIONS = {"text": "txt", "markdown": "md", "csv": "csv", "json": "json"}


def _fits_inline(text: str) -> bool:
    return len(text) + len("```\n```") <= MESSAGE_CONTENT_LIMIT


class ReportCog(commands.Cog):
    def __init__(self, bot: KCBot) -> None:
        self.bot = bot

    @app_commands.command(name="report")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(
        since="How far back: 7d (the default), 24h, 2w, ...",
        format="text, or a file in Markdown, CSV or JSON",
    )
    @app_commands.choices(format=[app_commands.Choice(name=name, value=name) for name in FORMATS])
    async def report(
        self,
        interaction: discord.Interaction,
        since: str = DEFAULT_SINCE,
        format: app_commands.Choice[str] | None = None,
    ) -> None:
        """Likely mistakes (👎, asked again, unread words), unanswered questions, answered rate."""
        if not self.bot.is_admin(interaction):
            notice = say(interaction, W.DISCORD_NOT_ADMIN())
            await respond(interaction, plain_message(notice), ephemeral=True)
            return
        writer = self.bot.services.writer
        if writer is None or not writer.opened:
            notice = say(interaction, W.REPORT_OFF())
            await respond(interaction, plain_message(notice), ephemeral=True)
            return
        try:
            period = parse_since(since)
        except ValueError:
            notice = say(interaction, W.REPORT_BAD_PERIOD(value=since[:40]))
            await respond(interaction, plain_message(notice), ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        acknowledged(interaction)
        await writer.flush(FLUSH_SECONDS)  # include the answers of the last second too
        owner = interaction.user.id in self.bot.settings.owner_ids
        per_server = self.bot.settings.storage.keep_guild_id and interaction.guild_id
        guild_id = str(interaction.guild_id) if per_server and not owner else None
        report = await report_from(
            writer.store, period, guild_id=guild_id, texts_shown=owner or guild_id is not None
        )
        fmt = format.value if format else "text"
        text = render(report, fmt)
        log.info("report (%s, %s) sent to user %s", since, fmt, interaction.user.id)
        if fmt == "text" and _fits_inline(text):
            await interaction.followup.send(
                f"```\n{text.replace('```', 'ʼʼʼ')}```",
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return
        if fmt == "text":  # too long for a message: the Markdown file reads better
            fmt, text = "markdown", render(report, "markdown")
        name = f"kcbot-report-{when(time.time(), date_only=True)}.{_EXTENSIONS[fmt]}"
        await interaction.followup.send(
            "\n".join(headline(report)),
            file=discord.File(io.BytesIO(text.encode("utf-8")), filename=name),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: KCBot) -> None:
    await bot.add_cog(ReportCog(bot))
