"""The base of every command cog: cooldown check, length cap, render-and-send, logging."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.limits import question_too_long, too_long_message
from bot.discord_app.render import plain_message, render_answer
from bot.discord_app.replies import log_answer, respond
from bot.engine.answer import Answer

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

log = logging.getLogger(__name__)

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
        await respond(interaction, plain_message(too_long_message(text, limit)), ephemeral=True)
        return True

    async def send_answer(
        self,
        interaction: discord.Interaction,
        answer: Answer,
        started: float,
        *,
        echo_question: bool = False,
    ) -> None:
        reply = render_answer(answer, self.bot.engine.kb.fields, echo_question=echo_question)
        await respond(interaction, reply)
        command = interaction.command.qualified_name if interaction.command else "?"
        log_answer(
            f"/{command}",
            answer,
            started,
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            user_id=interaction.user.id,
        )


class _NamedValue(Protocol):
    name: str
    value: str


def to_choices(choices: Iterable[_NamedValue]) -> list[app_commands.Choice[str]]:
    """Engine choices as Discord choices: at most 25, name and value clipped to 100."""
    result: list[app_commands.Choice[str]] = []
    for choice in list(choices)[:MAX_CHOICES]:
        name = str(choice.name)[:CHOICE_TEXT_LIMIT].strip()
        value = str(choice.value)[:CHOICE_TEXT_LIMIT]
        if name and value:
            result.append(app_commands.Choice(name=name, value=value))
    return result
