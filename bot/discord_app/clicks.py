"""Answering a click on a step (a button or a menu option) of an earlier reply.

The custom_id says what to ask (see `components`); it is checked against the live
knowledge base, since anyone can send any custom_id and a reload may have removed what an
old message names. A click is a question in the clicker's conversation, answered in the
language of the message it belongs to; the answer is shown only to the clicker when the
message was someone else's, or when its asker chose a private answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import discord

from bot.app import Application, Request
from bot.discord_app.components import BUILTIN_ACTIONS
from bot.discord_app.custom_ids import StepCall
from bot.discord_app.render import plain_message
from bot.discord_app.replies import defer_if_behind, respond
from bot.engine.answer import Msg
from bot.engine.turn import CLUSTER_BEARING, clusters_of
from bot.i18n import words as W

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

log = logging.getLogger(__name__)


# A feature's own step (e.g. "map"): called with the interaction, the checked call and
# whether the answer must be private. Registered in `KCBot.step_actions`.
StepAction = Callable[[discord.Interaction, StepCall, bool], Awaitable[None]]


def owner_id(message: discord.Message | None) -> int | None:
    """Who a reply of the bot answers: the user of the interaction it responds to, or the
    author of the message it replies to; None when that cannot be known."""
    if message is None:
        return None
    metadata = message.interaction_metadata
    if metadata is not None:
        return metadata.user.id
    reference = message.reference
    if reference is not None and isinstance(reference.resolved, discord.Message):
        return reference.resolved.author.id
    return None


def is_valid(call: StepCall | None, app: Application, actions: dict[str, StepAction]) -> bool:
    """Whether a call names a language, an action and a target the live bot knows."""
    if call is None or call.lang not in app.localizer.languages or call.target is None:
        return False
    target = call.target
    if call.action in actions:
        return True  # the feature's handler checks its target (it may be gone: it says so)
    if call.action == "ask":
        return target.kind == "example" and app.kb.programme.example(target.id) is not None
    if call.action == "faq":
        return target.kind == "faq" and target.id in app.engine.library.faq_by_id
    if call.action in BUILTIN_ACTIONS and target.kind in CLUSTER_BEARING:
        return bool(clusters_of(app.engine.library, target))
    return False


def request_for_click(
    interaction: discord.Interaction, call: StepCall, app: Application
) -> Request:
    from bot.discord_app.cog import request_for

    target = call.target
    assert target is not None
    kind = "select" if (interaction.data or {}).get("values") else "button"
    if call.action == "ask":
        question = app.localizer.name(target, "", call.lang)
        base = request_for(interaction, "ask", question)
    else:
        options = {"action": call.action, "kind": target.kind, "id": target.id}
        base = request_for(interaction, "show", "", options)
    return replace(base, lang=call.lang, via=f"{kind}:{call.action}")


async def answer_click(interaction: discord.Interaction, call: StepCall | None) -> None:
    bot: KCBot = interaction.client  # type: ignore[assignment]
    app = bot.app
    custom_id = (interaction.data or {}).get("custom_id")
    if not is_valid(call, app, bot.step_actions):
        log.info("component %r clicked by user %s is not valid", custom_id, interaction.user.id)
        await stale_notice(interaction, call)
        return
    assert call is not None
    retry_after = bot.command_cooldown.hit(interaction.user.id)
    if retry_after is not None:
        await _notice(interaction, W.DISCORD_COOLDOWN(seconds=max(1, round(retry_after))), call)
        return
    private = call.private or owner_id(interaction.message) != interaction.user.id
    custom = bot.step_actions.get(call.action)
    if custom is not None:
        await custom(interaction, call, private)
        return
    from bot.discord_app.cog import answer_reply

    deferred = await defer_if_behind(interaction, ephemeral=private)
    async with bot.backlog.turn(deferred):
        started = time.perf_counter()
        response = app.handle(request_for_click(interaction, call, app))
        reply = answer_reply(bot, response, private=private)
        bot.backlog.answered(time.perf_counter() - started)
    await respond(interaction, reply, ephemeral=private)


async def stale_notice(interaction: discord.Interaction, call: StepCall | None) -> None:
    """The polite private answer to a click that names nothing the bot still knows."""
    await _notice(interaction, W.DISCORD_STALE_BUTTON(), call)


async def _notice(interaction: discord.Interaction, message: Msg, call: StepCall | None) -> None:
    from bot.discord_app.cog import request_for

    app = interaction.client.app  # type: ignore[attr-defined]
    languages = app.localizer.languages
    if call is not None and call.lang in languages:
        lang = call.lang
    else:
        lang = app.language_for(request_for(interaction, "ask"))
    await respond(interaction, plain_message(app.localizer.text(message, lang)), ephemeral=True)
