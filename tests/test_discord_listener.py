"""Free-text questions: the pure decision (mention, DM, channel, bot, empty) and the listener.

The listener runs against the real engine with strict fakes of discord.py's `Message`,
channels and users.
"""

from __future__ import annotations

import logging
from unittest import mock

import discord

from bot.app import Knowledge
from bot.commands.free_text import (
    FreeText,
    Incoming,
    Question,
    incoming_from,
    question_for,
    strip_mentions_of,
)
from bot.config import Settings
from bot.discord_app.client import KCBot, create_bot
from bot.engine import Engine
from bot.i18n import words as W
from tests.support import english

BOT_ID = 900000000000000001
USER_ID = 111111111111111111
OTHER_ID = 555555555555555555
GUILD_ID = 333333333333333333
CHANNEL_ID = 444444444444444444
FREE_CHANNEL_ID = 666666666666666666
NO_MENTIONS = {"parse": []}  # AllowedMentions.none()


def incoming(**changes: object) -> Incoming:
    base: dict[str, object] = {
        "content": "who runs Sapporo?",
        "author_is_bot": False,
        "is_dm": False,
        "channel_id": CHANNEL_ID,
        "parent_channel_id": None,
        "mentioned_user_ids": frozenset(),
    }
    base.update(changes)
    return Incoming(**base)  # type: ignore[arg-type]


def decide(message: Incoming, channels: frozenset[int] = frozenset()) -> Question | None:
    return question_for(message, bot_user_id=BOT_ID, free_text_channel_ids=channels)


# --- the decision -------------------------------------------------------------------------


def test_direct_message_is_answered():
    """Any non-empty DM is a question."""
    assert decide(incoming(is_dm=True)) == Question("who runs Sapporo?", "dm")


def test_mention_is_answered_without_the_mention():
    """A message mentioning the bot is a question, with the mention removed."""
    message = incoming(content=f"<@{BOT_ID}> who runs Sapporo?", mentioned_user_ids={BOT_ID})
    assert decide(message) == Question("who runs Sapporo?", "mention")


def test_nickname_mention_is_removed_too():
    """The `<@!id>` form of the bot's mention is removed as well."""
    message = incoming(content=f"who runs <@!{BOT_ID}> Sapporo?", mentioned_user_ids={BOT_ID})
    assert decide(message).text == "who runs Sapporo?"


def test_configured_channel_is_answered_without_mention():
    """In a FREE_TEXT_CHANNEL_IDS channel every message is a question."""
    assert decide(incoming(channel_id=FREE_CHANNEL_ID), frozenset({FREE_CHANNEL_ID})).route == (
        "channel"
    )


def test_thread_of_configured_channel_is_answered():
    """A thread inside a configured channel counts as that channel."""
    message = incoming(channel_id=777, parent_channel_id=FREE_CHANNEL_ID)
    assert decide(message, frozenset({FREE_CHANNEL_ID})).route == "channel"


def test_other_channel_without_mention_is_ignored():
    """A guild message that neither mentions the bot nor is in a listed channel is ignored."""
    assert decide(incoming(), frozenset({FREE_CHANNEL_ID})) is None


def test_mention_of_someone_else_is_ignored():
    """Mentioning another user is not addressing the bot."""
    assert decide(incoming(mentioned_user_ids={OTHER_ID})) is None


def test_bots_are_ignored_even_in_dms():
    """Messages from bots (the bot itself included) are never answered."""
    assert decide(incoming(author_is_bot=True, is_dm=True)) is None


def test_bots_are_ignored_when_they_mention_the_bot():
    """Another bot mentioning this one gets no answer (no bot-to-bot loops)."""
    assert decide(incoming(author_is_bot=True, mentioned_user_ids={BOT_ID})) is None


def test_system_messages_are_ignored():
    """Joins, pins and other system messages are not questions."""
    assert decide(incoming(is_dm=True, is_user_message=False)) is None


def test_empty_message_is_ignored():
    """An empty message (an attachment or sticker only) is ignored."""
    assert decide(incoming(content="", is_dm=True)) is None


def test_bare_mention_is_ignored():
    """A message that is only the bot's mention leaves no question and is ignored."""
    message = incoming(content=f"  <@{BOT_ID}>  <@!{BOT_ID}> ", mentioned_user_ids={BOT_ID})
    assert decide(message) is None


def test_other_mentions_stay_in_the_question():
    """Only the bot's own mention is removed; others stay (and are escaped when echoed)."""
    assert strip_mentions_of(f"<@{BOT_ID}> ask <@{OTHER_ID}>", BOT_ID) == f"ask <@{OTHER_ID}>"


# --- reading a discord.Message ------------------------------------------------------------


def fake_user(user_id: int, *, bot: bool = False) -> mock.NonCallableMagicMock:
    user = mock.create_autospec(discord.Member, instance=True, spec_set=True)
    user.id = user_id
    user.bot = bot
    return user


def fake_channel(kind: type = discord.TextChannel, channel_id: int = CHANNEL_ID):
    channel = mock.create_autospec(kind, instance=True, spec_set=True)
    channel.id = channel_id
    return channel


def fake_message(
    content: str,
    *,
    author: mock.NonCallableMagicMock | None = None,
    channel: mock.NonCallableMagicMock | None = None,
    mentions: tuple[int, ...] = (),
    webhook_id: int | None = None,
) -> mock.NonCallableMagicMock:
    message = mock.create_autospec(discord.Message, instance=True, spec_set=True)
    message.id = 1
    message.content = content
    message.author = author or fake_user(USER_ID)
    message.channel = channel or fake_channel()
    is_dm = isinstance(message.channel, discord.DMChannel)
    guild = None if is_dm else mock.create_autospec(discord.Guild, instance=True, spec_set=True)
    if guild is not None:
        guild.id = GUILD_ID
    message.guild = guild
    message.mentions = [fake_user(user_id) for user_id in mentions]
    message.type = discord.MessageType.default
    message.webhook_id = webhook_id
    message.to_reference.return_value = discord.MessageReference(
        message_id=1, channel_id=message.channel.id, fail_if_not_exists=False
    )
    return message


def test_dm_channel_is_read_as_dm():
    """A message in a DMChannel is read as a DM."""
    message = fake_message("hi", channel=fake_channel(discord.DMChannel))
    assert incoming_from(message).is_dm


def test_webhook_is_read_as_a_bot():
    """Webhook messages are treated like bots' messages."""
    assert incoming_from(fake_message("hi", webhook_id=42)).author_is_bot


def test_thread_parent_is_read():
    """A thread's parent channel id is read for the channel check."""
    thread = fake_channel(discord.Thread, channel_id=777)
    thread.parent_id = FREE_CHANNEL_ID
    assert incoming_from(fake_message("hi", channel=thread)).parent_channel_id == FREE_CHANNEL_ID


# --- the listener -------------------------------------------------------------------------


def listening_bot(knowledge: Knowledge, **settings: object) -> KCBot:
    bot = create_bot(Settings(**settings), knowledge)
    me = mock.create_autospec(discord.ClientUser, instance=True, spec_set=True)
    me.id = BOT_ID
    bot._connection.user = me  # what login would set
    return bot


def sends(message: mock.NonCallableMagicMock) -> list[dict]:
    return [call.kwargs for call in message.channel.send.await_args_list]


async def test_mention_gets_a_reply_without_pings(knowledge):
    """A mention is answered in the channel as a reply that pings nobody."""
    bot = listening_bot(knowledge)
    message = fake_message(f"<@{BOT_ID}> who runs Sapporo?", mentions=(BOT_ID,))
    await FreeText(bot).on_message(message)
    (kwargs,) = sends(message)
    assert "NOASTEC" in str([e.to_dict() for e in kwargs["embeds"]])
    assert kwargs["allowed_mentions"].to_dict() == NO_MENTIONS
    assert kwargs["mention_author"] is False
    assert kwargs["reference"].message_id == 1


async def test_dm_gets_a_reply(knowledge):
    """A DM is answered."""
    bot = listening_bot(knowledge)
    message = fake_message("who runs Sapporo?", channel=fake_channel(discord.DMChannel))
    await FreeText(bot).on_message(message)
    assert len(sends(message)) == 1


async def test_own_message_gets_no_reply(knowledge):
    """The bot never answers itself."""
    bot = listening_bot(knowledge)
    message = fake_message(
        "who runs Sapporo?", author=fake_user(BOT_ID, bot=True), mentions=(BOT_ID,)
    )
    await FreeText(bot).on_message(message)
    message.channel.send.assert_not_called()


async def test_nothing_happens_before_login(knowledge):
    """Before the bot knows its own user, messages are ignored."""
    bot = create_bot(Settings(), knowledge)
    message = fake_message("who runs Sapporo?", channel=fake_channel(discord.DMChannel))
    await FreeText(bot).on_message(message)
    message.channel.send.assert_not_called()


async def test_configured_channel_answers_questions(knowledge):
    """In a configured channel a question is answered without a mention."""
    bot = listening_bot(knowledge, free_text_channel_ids=frozenset({FREE_CHANNEL_ID}))
    message = fake_message("who runs Sapporo?", channel=fake_channel(channel_id=FREE_CHANNEL_ID))
    await FreeText(bot).on_message(message)
    assert len(sends(message)) == 1


async def test_configured_channel_stays_quiet_on_chatter(knowledge):
    """In a configured channel, chatter the bot cannot answer gets no reply."""
    bot = listening_bot(knowledge, free_text_channel_ids=frozenset({FREE_CHANNEL_ID}))
    message = fake_message("lol nice weather", channel=fake_channel(channel_id=FREE_CHANNEL_ID))
    await FreeText(bot).on_message(message)
    message.channel.send.assert_not_called()


async def test_mention_gets_a_reply_even_to_chatter(knowledge):
    """Addressed directly, the bot says what it can answer rather than staying silent."""
    bot = listening_bot(knowledge)
    message = fake_message(f"<@{BOT_ID}> lol nice weather", mentions=(BOT_ID,))
    await FreeText(bot).on_message(message)
    assert len(sends(message)) == 1


async def test_overlong_question_is_refused_with_the_limit(knowledge):
    """A question over MAX_QUESTION_LENGTH gets a message naming the limit, not an answer."""
    bot = listening_bot(knowledge, max_question_length=40)
    message = fake_message("who runs Sapporo? " * 5, channel=fake_channel(discord.DMChannel))
    await FreeText(bot).on_message(message)
    (kwargs,) = sends(message)
    assert "up to 40 characters" in kwargs["content"]
    assert "embeds" not in kwargs


async def test_cooldown_gives_one_notice_then_silence(knowledge):
    """Past the free-text rate a user gets one "slow down" notice, then nothing."""
    bot = listening_bot(knowledge, free_text_cooldown_rate=1, free_text_cooldown_seconds=60)
    cog = FreeText(bot)
    messages = [
        fake_message("who runs Sapporo?", channel=fake_channel(discord.DMChannel)) for _ in range(3)
    ]
    for message in messages:
        await cog.on_message(message)
    answered, noticed, silent = (sends(m) for m in messages)
    assert "embeds" in answered[0]
    assert "wait" in noticed[0]["content"]
    assert silent == []


async def test_cooldown_is_per_user_for_free_text(knowledge):
    """Another user is not held back by someone else's free-text cooldown."""
    bot = listening_bot(knowledge, free_text_cooldown_rate=1, free_text_cooldown_seconds=60)
    cog = FreeText(bot)
    dm = fake_channel(discord.DMChannel)
    await cog.on_message(fake_message("who runs Sapporo?", channel=dm))
    other = fake_message("who runs Sapporo?", author=fake_user(OTHER_ID), channel=dm)
    await cog.on_message(other)
    assert "embeds" in sends(other)[0]


async def test_missing_permission_is_logged_not_raised(knowledge, caplog):
    """If the bot may not post in the channel, the failure is logged and swallowed."""
    bot = listening_bot(knowledge)
    message = fake_message(f"<@{BOT_ID}> who runs Sapporo?", mentions=(BOT_ID,))
    message.channel.send.side_effect = discord.Forbidden(
        mock.Mock(status=403, reason="Forbidden"), "Missing Permissions"
    )
    with caplog.at_level(logging.WARNING, logger="bot.commands.free_text"):
        await FreeText(bot).on_message(message)
    assert any("could not reply" in record.getMessage() for record in caplog.records)


async def test_engine_failure_gets_an_apology_and_a_traceback(knowledge, caplog):
    """An unexpected error is logged with its traceback and the user gets a short apology."""
    bot = listening_bot(knowledge)
    broken = mock.create_autospec(Engine, instance=True, spec_set=True)
    broken.ask.side_effect = RuntimeError("boom")
    bot.app.knowledge = Knowledge(broken, bot.app.localizer)
    message = fake_message("who runs Sapporo?", channel=fake_channel(discord.DMChannel))
    with caplog.at_level(logging.ERROR, logger="bot.commands.free_text"):
        await FreeText(bot).on_message(message)
    (kwargs,) = sends(message)
    assert kwargs["content"] == english(W.DISCORD_FAILURE())
    (record,) = [r for r in caplog.records if r.name == "bot.commands.free_text"]
    assert record.levelno == logging.ERROR
    assert record.exc_info[1].args == ("boom",)


async def test_free_text_answer_is_logged_without_the_question(knowledge, caplog):
    """The answer log line has the route and ids, not the text."""
    bot = listening_bot(knowledge)
    message = fake_message("who runs Sapporo secretly?", channel=fake_channel(discord.DMChannel))
    with caplog.at_level(logging.INFO, logger="bot.app"):
        await FreeText(bot).on_message(message)
    (record,) = [r for r in caplog.records if r.levelno == logging.INFO]
    assert "via=text:dm" in record.getMessage()
    assert "secretly" not in record.getMessage()
