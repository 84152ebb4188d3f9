"""Sending replies to interactions and turning failures into friendly words."""

from __future__ import annotations

import contextlib
import logging
import math

import discord
from discord import app_commands

from bot.discord_app.render import Reply, plain_message
from bot.engine.answer import Msg
from bot.i18n import words as W

log = logging.getLogger(__name__)


class NotAdmin(app_commands.CheckFailure):
    """The user may not run an admin command (no Manage Server, not an owner)."""


def bot_is_member(interaction: discord.Interaction) -> bool:
    """Whether the bot is where the interaction happens: installed in the server, or in a
    DM with the user. A user-installed app used in another server or in a group DM is not,
    and answers there only to the asker."""
    if interaction.guild_id is not None:
        return interaction.is_guild_integration()
    return not interaction.context.private_channel


# `Interaction.extras` key: whether the interaction was deferred ephemerally.
_DEFERRED_EPHEMERAL = "kcbot.deferred_ephemeral"


async def defer_if_behind(interaction: discord.Interaction, *, ephemeral: bool) -> bool:
    """Acknowledge now, before the work, when a backlog would make later interactions
    late (`bot.discord_app.backlog`); True when deferred. `respond` then sends the answer
    as the deferred message."""
    backlog = getattr(interaction.client, "backlog", None)
    if backlog is None or interaction.response.is_done():
        return False
    if not backlog.should_defer(interaction):
        return False
    await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    interaction.extras[_DEFERRED_EPHEMERAL] = ephemeral
    backlog.deferred += 1
    acknowledged(interaction)
    return True


async def respond(
    interaction: discord.Interaction, reply: Reply, *, ephemeral: bool = False
) -> None:
    """Send `reply` as the interaction's response, or as a follow-up once it has one (the
    deferred message, when `defer_if_behind` deferred it)."""
    kwargs = reply.kwargs()
    if not interaction.response.is_done():
        await interaction.response.send_message(**kwargs, ephemeral=ephemeral)
        acknowledged(interaction)
        return
    if ephemeral and interaction.extras.get(_DEFERRED_EPHEMERAL) is False:
        # The deferral showed "thinking…" to everyone, and a follow-up would replace it
        # keeping its visibility: remove it, so that this reply is seen by the asker only.
        with contextlib.suppress(discord.NotFound):
            await interaction.delete_original_response()
        interaction.extras[_DEFERRED_EPHEMERAL] = None
    await interaction.followup.send(**kwargs, ephemeral=ephemeral)


def acknowledged(interaction: discord.Interaction) -> None:
    """Count an acknowledged interaction in the bot's metrics (when it keeps them)."""
    services = getattr(interaction.client, "services", None)
    if services is None:
        return
    try:
        services.acknowledged(interaction)
    except Exception:  # counting must never cost the user the reply
        log.warning("could not count an acknowledged interaction", exc_info=True)


def friendly_message(error: Exception) -> Msg:
    """What the user is told about a failed command; never internal details."""
    if isinstance(error, app_commands.CommandOnCooldown):
        return W.DISCORD_COOLDOWN(seconds=max(1, math.ceil(error.retry_after)))
    if isinstance(error, (NotAdmin, app_commands.MissingPermissions)):
        return W.DISCORD_NOT_ADMIN()
    if isinstance(error, app_commands.NoPrivateMessage):
        return W.DISCORD_GUILD_ONLY()
    if isinstance(error, app_commands.TransformerError):
        return W.DISCORD_BAD_OPTION()
    if isinstance(error, app_commands.CheckFailure):
        return W.DISCORD_NOT_HERE()
    return W.DISCORD_FAILURE()


def say(interaction: discord.Interaction, message: Msg) -> str:
    """A notice in the language the interaction's reply would be in."""
    from bot.discord_app.cog import request_for

    app = interaction.client.app  # type: ignore[attr-defined]
    return app.localizer.text(message, app.language_for(request_for(interaction, "ask")))


def is_expected(error: Exception) -> bool:
    """Errors that are the user's doing (cooldown, permissions): no traceback in the log."""
    return isinstance(error, (app_commands.CheckFailure, app_commands.TransformerError))


async def report_failure(interaction: discord.Interaction, error: Exception) -> None:
    """Log a failed command (with traceback when unexpected) and tell the user, ephemerally."""
    command = interaction.command.qualified_name if interaction.command else None
    if is_expected(error):
        log.info(
            "command %s refused: %s (guild=%s channel=%s user=%s)",
            command,
            type(error).__name__,
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id,
        )
    else:
        original = getattr(error, "original", error)
        log.error(
            "command %s failed (guild=%s channel=%s user=%s)",
            command,
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id,
            exc_info=(type(original), original, original.__traceback__),
        )
    try:
        notice = plain_message(say(interaction, friendly_message(error)))
        await respond(interaction, notice, ephemeral=True)
    except discord.HTTPException:
        # The interaction may have expired or the channel be gone; nothing more to say.
        log.warning("could not tell the user that command %s failed", command, exc_info=True)
