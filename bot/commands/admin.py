"""/reload: re-read the knowledge base without restarting; the old one stays on failure."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_app.cog import AnswerCog
from bot.discord_app.render import plain_message, problems_message
from bot.discord_app.replies import respond, say
from bot.i18n import words as W
from bot.kb.loader import KnowledgeBaseError
from bot.ops.isolated import BuildFailed, ReloadInProgress, ReloadTimedOut

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

log = logging.getLogger(__name__)

RELOAD_FAILURES = {
    ReloadInProgress: W.DISCORD_RELOAD_RUNNING,
    ReloadTimedOut: W.DISCORD_RELOAD_TIMED_OUT,
    BuildFailed: W.DISCORD_RELOAD_FAILED,
}


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
            notice = plain_message(say(interaction, W.DISCORD_NOT_ADMIN()))
            await respond(interaction, notice, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            knowledge = await self.bot.reload_knowledge()
        except (ReloadInProgress, ReloadTimedOut, BuildFailed) as exc:
            log.warning("reload by user %s failed: %s", interaction.user.id, exc)
            reply = say(interaction, RELOAD_FAILURES[type(exc)]())
            await respond(interaction, plain_message(reply), ephemeral=True)
            return
        except KnowledgeBaseError as exc:
            # Shown in Discord: positions only, never file content or server paths (a file
            # may be a symlink to anything the bot can read). `kcbot check` on the server
            # and the log below give the whole report.
            problems = exc.redacted() or ["(no details given)"]
            log.warning(
                "reload by user %s failed: %d problems\n%s", interaction.user.id, len(problems), exc
            )
            header = say(interaction, W.DISCORD_RELOAD_PROBLEMS(count=len(problems)))
            await respond(interaction, problems_message(header, problems), ephemeral=True)
            return
        kb = knowledge.kb
        log.info("knowledge base reloaded by user %s", interaction.user.id)
        summary = W.DISCORD_RELOADED(clusters=len(kb.clusters), entries=len(kb.faq))
        await respond(interaction, plain_message(say(interaction, summary)), ephemeral=True)


async def setup(bot: KCBot) -> None:
    await bot.add_cog(Admin(bot))
