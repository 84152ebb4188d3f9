"""/about and /help."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_app.cog import AnswerCog

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot


class Info(AnswerCog):
    """What the bot is and how to use it."""

    @app_commands.command()
    async def about(self, interaction: discord.Interaction) -> None:
        """What this bot knows, and where its facts come from."""
        await self.answer(interaction, "about")

    @app_commands.command(name="help")
    async def help_(self, interaction: discord.Interaction) -> None:
        """The commands, and the kinds of questions the bot answers."""
        await self.answer(interaction, "help")


async def setup(bot: KCBot) -> None:
    await bot.add_cog(Info(bot))
