"""/ask and the "Ask kcbot" message menu: any question in free text, answered by the engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_app.cog import AnswerCog
from bot.discord_app.render import plain_message
from bot.discord_app.replies import respond, say
from bot.i18n import words as W

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

ASK_MENU = "Ask kcbot"  # the message menu's default (English) name; words in the catalogue


class Ask(AnswerCog):
    """Free-text questions as a slash command, and a message's text as a question."""

    def __init__(self, bot: KCBot) -> None:
        super().__init__(bot)
        self.menu = app_commands.ContextMenu(name=ASK_MENU, callback=self.ask_about_message)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command()
    @app_commands.describe(
        question="Your question, in your own words",
        private="Show the answer to you only",
    )
    async def ask(
        self, interaction: discord.Interaction, question: str, private: bool = False
    ) -> None:
        """Ask anything about the Knowledge Cluster Initiative."""
        if await self.reject_if_too_long(interaction, question):
            return
        # Others in the channel do not see a slash command's options: quote the question.
        await self.answer(interaction, "ask", question, echo_question=True, private=private)

    @ask.autocomplete("question")
    async def _complete_question(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices_for(interaction, current, "complete_question")

    async def ask_about_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The message's text, asked (it comes with the interaction: no Message Content
        intent is needed)."""
        await self.interaction_check(interaction)  # the shared cooldown; menus skip it
        text = message.content or ""
        if not text.strip():
            notice = plain_message(say(interaction, W.DISCORD_NO_TEXT()))
            await respond(interaction, notice, ephemeral=True)
            return
        if await self.reject_if_too_long(interaction, text):
            return
        await self.answer(interaction, "ask", text, echo_question=True)


async def setup(bot: KCBot) -> None:
    await bot.add_cog(Ask(bot))
