"""The base of every command cog: cooldown check, length cap, render-and-send, logging."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Request, Response
from bot.discord_app.components import render_with_steps
from bot.discord_app.limits import question_too_long
from bot.discord_app.render import Reply, plain_message
from bot.discord_app.replies import bot_is_member, defer_if_behind, respond, say
from bot.engine import Choice
from bot.i18n import words as W
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
        notice = W.DISCORD_TOO_LONG(length=len(text.strip()), limit=limit)
        await respond(interaction, plain_message(say(interaction, notice)), ephemeral=True)
        return True

    def choice_language(self, interaction: discord.Interaction, typed: str = "") -> str:
        """The language of autocomplete labels: the typed text's, else the user's."""
        return self.bot.app.language_for(request_for(interaction, "ask", typed))

    def choices_for(
        self, interaction: discord.Interaction, current: str, rank: str
    ) -> list[app_commands.Choice[str]]:
        """Autocomplete: the engine's `rank` method ("complete_region", "complete_field",
        ...) on the text typed so far, labelled in the typed text's language (else the
        user's), within Discord's limits."""
        current = current[: self.bot.settings.max_question_length]
        app = self.bot.app
        ranked = getattr(app.engine, rank)(current, limit=MAX_CHOICES)
        return to_choices(ranked, app.localizer, self.choice_language(interaction, current))

    async def answer(
        self,
        interaction: discord.Interaction,
        command: str,
        text: str = "",
        *,
        echo_question: bool = False,
        private: bool = False,
        **options: str | None,
    ) -> None:
        """Answer the interaction through the application pipeline and send the reply.

        The reply is shown only to the asker when they ask for that (`private`), where the
        bot is not a member (a user-installed app in someone else's server or a group DM),
        and when it is not an answer ("I don't know", "did you mean"): nobody else needs
        to see those. Clicks on its buttons stay private in the first two cases only, so a
        "did you mean" chosen in a server is answered there for everyone.
        """
        keep_private = private or not bot_is_member(interaction)
        # In a burst, acknowledge first: the answers of those queued behind must not make
        # them late (the answer then replaces Discord's "thinking…").
        backlog = self.bot.backlog
        deferred = await defer_if_behind(interaction, ephemeral=keep_private)
        async with backlog.turn(deferred):
            started = time.perf_counter()
            response = self.bot.app.handle(request_for(interaction, command, text, options))
            reply = answer_reply(
                self.bot, response, private=keep_private, echo_question=echo_question
            )
            backlog.answered(time.perf_counter() - started)
        ephemeral = keep_private or not response.answer.answered
        await respond(interaction, reply, ephemeral=ephemeral)


def answer_reply(
    bot: KCBot,
    response: Response,
    *,
    private: bool,
    echo_question: bool = False,
    without: Collection[str] = (),
) -> Reply:
    """The message for an answer (a command, free text, a click): its embeds and the
    components under it (steps, the cluster menu, the rows other features add such as
    👍/👎 feedback), leaving out the step actions named in `without`. The one place
    components are added to answers."""
    return render_with_steps(
        response.reply,
        bot.app.kb.fields,
        private=private,
        extra=bot.component_rows,
        actions=[action for action in bot.step_actions if action not in without],
        echo_question=echo_question,
        answer_id=response.id,
    )


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
    """Engine choices as Discord choices: at most 25, name and value clipped to 100; a
    choice with no value sends its name (a question asked as shown)."""
    result: list[app_commands.Choice[str]] = []
    for choice in list(choices)[:MAX_CHOICES]:
        name = localizer.text(choice.label, lang)[:CHOICE_TEXT_LIMIT].strip()
        value = str(choice.value or name)[:CHOICE_TEXT_LIMIT]
        if name and value:
            result.append(app_commands.Choice(name=name, value=value))
    return result
