"""The base of every command cog: cooldown check, length cap, render-and-send, logging."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Request, Response
from bot.discord_app.feedback import with_feedback
from bot.discord_app.limits import question_too_long
from bot.discord_app.render import Reply, plain_message, render_answer
from bot.discord_app.replies import respond, say
from bot.engine import Choice
from bot.engine import messages as M
from bot.i18n.localize import Localizer

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

# Discord shows at most 25 autocomplete choices, each name and value 1..100 characters.
MAX_CHOICES = 25
CHOICE_TEXT_LIMIT = 100


class AnswerCog(commands.Cog):
    """Commands that answer from the engine; every command here shares one user cooldown."""

    def __init__(self, bot: KCBot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        # Runs before each command of the cog (not before autocomplete, which must stay fast
        # and is limited by Discord itself).
        retry_after = self.bot.command_cooldown.hit(interaction.user.id)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(
                self.bot.command_cooldown.as_app_cooldown(), retry_after
            )
        return True

    async def reject_if_too_long(self, interaction: discord.Interaction, text: str) -> bool:
        """Tell the user (ephemerally) and return True when `text` exceeds the cap."""
        limit = self.bot.settings.max_question_length
        if not question_too_long(text, limit):
            return False
        notice = M.DISCORD_TOO_LONG(length=len(text.strip()), limit=limit)
        await respond(interaction, plain_message(say(interaction, notice)), ephemeral=True)
        return True

    def choice_language(self, interaction: discord.Interaction, typed: str = "") -> str:
        """The language of autocomplete labels: the typed text's, else the user's."""
        return self.bot.app.language_for(request_for(interaction, "ask", typed))

    async def answer(
        self,
        interaction: discord.Interaction,
        command: str,
        text: str = "",
        *,
        echo_question: bool = False,
        **options: str | None,
    ) -> None:
        """Answer the interaction through the application pipeline and send the reply."""
        response = self.bot.app.handle(request_for(interaction, command, text, options))
        await respond(interaction, answer_reply(self.bot, response, echo_question=echo_question))


def answer_reply(bot: KCBot, response: Response, *, echo_question: bool = False) -> Reply:
    """The message for an answer, from a command or free text: embeds, and the buttons
    under it (👍/👎 feedback). The one place buttons are added to answers."""
    reply = render_answer(response.reply, bot.app.kb.fields, echo_question=echo_question)
    return with_feedback(bot, response, reply)


def request_for(
    interaction: discord.Interaction,
    command: str,
    text: str = "",
    options: dict[str, str | None] | None = None,
) -> Request:
    """The pipeline's request for an interaction: who asks where, in which locale."""
    name = interaction.command.qualified_name if interaction.command else command
    return Request(
        command,
        text,
        options or {},
        locale=str(interaction.locale) if interaction.locale else None,
        guild_locale=str(interaction.guild_locale) if interaction.guild_locale else None,
        conversation=(interaction.channel_id, interaction.user.id),
        via=f"/{name}",
        origin={
            "guild": interaction.guild_id,
            "channel": interaction.channel_id,
            "user": interaction.user.id,
        },
    )


def to_choices(
    choices: Iterable[Choice], localizer: Localizer, lang: str
) -> list[app_commands.Choice[str]]:
    """Engine choices as Discord choices: at most 25, name and value clipped to 100."""
    result: list[app_commands.Choice[str]] = []
    for choice in list(choices)[:MAX_CHOICES]:
        name = localizer.text(choice.label, lang)[:CHOICE_TEXT_LIMIT].strip()
        value = str(choice.value)[:CHOICE_TEXT_LIMIT]
        if name and value:
            result.append(app_commands.Choice(name=name, value=value))
    return result
