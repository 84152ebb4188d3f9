"""/ask: any question in free text, answered by the engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_app.cog import AnswerCog

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot


class Ask(AnswerCog):
    """Free-text questions as a slash command."""

    @app_commands.command()
    @app_commands.describe(question="e.g. Who runs the Sapporo cluster? Which clusters do IT?")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        """Ask anything about the Knowledge Cluster Initiative."""
        if await self.reject_if_too_long(interaction, question):
            return
        # Others in the channel do not see a slash command's options: quote the question.
        await self.answer(interaction, "ask", question, echo_question=True)


async def setup(bot: KCBot) -> None:
    await bot.add_cog(Ask(bot))
