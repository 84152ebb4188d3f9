"""Free-text questions: when the bot is mentioned, in DMs, and in configured channels.

`question_for` is the whole decision, pure and tested on its own; the cog around it only
reads the message, applies the cooldown and the length cap, and replies.

Mentions and DMs carry their content even without the privileged Message Content intent;
listening in `FREE_TEXT_CHANNEL_IDS` needs it (the bot requests it when they are set).
In those channels the bot answers every message, but stays quiet when it has nothing to
say (out-of-domain chatter, empty questions): it is not a chat partner for the channel.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.app import Request
from bot.discord_app.cog import answer_reply
from bot.discord_app.limits import UserCooldown, question_too_long
from bot.discord_app.render import plain_message
from bot.engine.answer import Msg
from bot.i18n import words as W

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

log = logging.getLogger(__name__)

# Message types a person writes; joins, pins, boosts and the like are not questions.
_USER_MESSAGE_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})


@dataclass(frozen=True, slots=True)
class Incoming:
    """What the decision needs to know about a message, read off a `discord.Message`."""

    content: str
    author_is_bot: bool
    is_dm: bool
    channel_id: int
    parent_channel_id: int | None  # a thread's parent channel
    mentioned_user_ids: frozenset[int]
    is_user_message: bool = True


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    route: str  # "mention", "dm" or "channel"


def strip_mentions_of(content: str, user_id: int) -> str:
    """Remove every `<@id>` / `<@!id>` of the bot, and tidy the space left behind."""
    stripped = re.sub(rf"<@!?{user_id}>", " ", content)
    return " ".join(stripped.split())


def question_for(
    incoming: Incoming, *, bot_user_id: int, free_text_channel_ids: Collection[int]
) -> Question | None:
    """The question a message asks the bot, or None when the bot should not answer."""
    if incoming.author_is_bot or not incoming.is_user_message:
        return None
    if incoming.is_dm:
        route = "dm"
    elif bot_user_id in incoming.mentioned_user_ids:
        route = "mention"
    elif incoming.channel_id in free_text_channel_ids or (
        incoming.parent_channel_id is not None
        and incoming.parent_channel_id in free_text_channel_ids
    ):
        route = "channel"
    else:
        return None
    text = strip_mentions_of(incoming.content, bot_user_id)
    if not text:
        return None
    return Question(text=text, route=route)


def incoming_from(message: discord.Message) -> Incoming:
    channel = message.channel
    return Incoming(
        content=message.content or "",
        # Webhook messages have bot authors too, so they are ignored as well.
        author_is_bot=message.author.bot or message.webhook_id is not None,
        is_dm=isinstance(channel, discord.DMChannel),
        channel_id=channel.id,
        parent_channel_id=getattr(channel, "parent_id", None),
        mentioned_user_ids=frozenset(user.id for user in message.mentions),
        is_user_message=message.type in _USER_MESSAGE_TYPES,
    )


class FreeText(commands.Cog):
    """Answers questions written as ordinary messages."""

    def __init__(self, bot: KCBot) -> None:
        self.bot = bot
        # One "slow down" notice per window, so a flood gets one reply, not one per message.
        self.notice_cooldown = UserCooldown(1, bot.settings.free_text_cooldown_seconds)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if me is None:
            return
        question = question_for(
            incoming_from(message),
            bot_user_id=me.id,
            free_text_channel_ids=self.bot.settings.free_text_channel_ids,
        )
        if question is None:
            return
        try:
            await self.answer(message, question)
        except discord.HTTPException as exc:
            # Only a 403 points at the channel's permissions; a 5xx is Discord's own trouble.
            hint = " (missing permissions?)" if isinstance(exc, discord.Forbidden) else ""
            log.warning(
                "could not reply in channel %s: HTTP %s%s",
                message.channel.id,
                exc.status,
                hint,
                exc_info=True,
            )
        except Exception:
            log.exception(
                "free-text answer failed (guild=%s channel=%s user=%s)",
                message.guild.id if message.guild else None,
                message.channel.id,
                message.author.id,
            )
            notice = self._say(self._request(message, question), W.DISCORD_FAILURE())
            await self._send(message, plain_message(notice).kwargs(), quiet=True)

    def _request(self, message: discord.Message, question: Question) -> Request:
        guild = message.guild
        return Request(
            "ask",
            question.text,
            guild_locale=str(guild.preferred_locale) if guild else None,
            conversation=(message.channel.id, message.author.id),
            via=f"text:{question.route}",
            origin={
                "guild": guild.id if guild else None,
                "channel": message.channel.id,
                "user": message.author.id,
            },
            unsolicited=question.route == "channel",
        )

    def _say(self, request: Request, notice: Msg) -> str:
        app = self.bot.app
        return app.localizer.text(notice, app.language_for(request))

    async def answer(self, message: discord.Message, question: Question) -> None:
        settings = self.bot.settings
        user_id = message.author.id
        request = self._request(message, question)
        retry_after = self.bot.free_text_cooldown.hit(user_id)
        if retry_after is not None:
            log.info("free text from user %s on cooldown", user_id)
            if self.notice_cooldown.hit(user_id) is None:
                notice = W.DISCORD_COOLDOWN_NOTICE(seconds=max(1, round(retry_after)))
                await self._send(message, plain_message(self._say(request, notice)).kwargs())
            return
        limit = settings.max_question_length
        if question_too_long(question.text, limit):
            notice = W.DISCORD_TOO_LONG(length=len(question.text.strip()), limit=limit)
            await self._send(message, plain_message(self._say(request, notice)).kwargs())
            return

        app = self.bot.app
        response = app.handle(request)
        if response.silent:
            log.debug("channel message %s is not a question for the bot", message.id)
            return
        await self._send(message, answer_reply(self.bot, response, private=False).kwargs())

    async def _send(self, message: discord.Message, kwargs: dict, *, quiet: bool = False) -> None:
        """Reply to `message` without pinging its author (or anyone)."""
        try:
            await message.channel.send(
                **kwargs,
                reference=message.to_reference(fail_if_not_exists=False),
                mention_author=False,
            )
        except discord.HTTPException:
            if not quiet:
                raise
            log.warning("could not send to channel %s", message.channel.id, exc_info=True)


async def setup(bot: KCBot) -> None:
    await bot.add_cog(FreeText(bot))
