"""/reload: re-read the knowledge base without restarting; the old one stays on failure."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_app.cog import AnswerCog
from bot.discord_app.render import plain_message, problems_message
from bot.discord_app.replies import respond, say
from bot.engine import messages as M
from bot.kb.loader import KnowledgeBaseError

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

log = logging.getLogger(__name__)


class Admin(AnswerCog):
    """Commands for server managers and the bot's owners."""

    @app_commands.command()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    async def reload(self, interaction: discord.Interaction) -> None:
        """Re-read the knowledge base; on errors the current one stays live."""
        # default_permissions only sets what Discord shows by default; server admins can
        # change it, so the permission is checked again here.
        if not self.bot.is_admin(interaction):
            log.info("reload refused for user %s", interaction.user.id)
            notice = plain_message(say(interaction, M.DISCORD_NOT_ADMIN()))
            await respond(interaction, notice, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            knowledge = await self.bot.reload_knowledge()
        except KnowledgeBaseError as exc:
            problems = list(getattr(exc, "problems", ()) or [str(exc)])
            log.warning("reload by user %s failed: %d problems", interaction.user.id, len(problems))
            header = (
                f"The knowledge base has {len(problems)} problem(s); "
                "the previous version stays live:"
            )
            await respond(interaction, problems_message(header, problems), ephemeral=True)
            return
        kb = knowledge.kb
        log.info("knowledge base reloaded by user %s", interaction.user.id)
        summary = f"Reloaded: {len(kb.clusters)} clusters and {len(kb.faq)} FAQ entries."
        await respond(interaction, plain_message(summary), ephemeral=True)


async def setup(bot: KCBot) -> None:
    await bot.add_cog(Admin(bot))
