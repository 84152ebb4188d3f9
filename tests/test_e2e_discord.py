"""End to end: the real discord.py client running kcbot against the Discord double.

Every command and the free-text listener are driven over the wire (gateway events in, REST
calls out) and checked as Discord would see them; every test ends with
``double.assert_clean()`` (no violation, no unhandled route, every interaction acknowledged).

The bot is ``E2EBot``: ``KCBot`` with discord.py's 5 s pause before a non-initial IDENTIFY
removed (second shard, re-IDENTIFY after INVALID_SESSION). That pause paces Discord's identify
rate limit, which the double does not have; the bot's own behaviour is unchanged.
The helpers here are also used by ``test_e2e_load_faults.py`` and ``benchmarks/bench_discord.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import discord
import pytest

from bot import config
from bot.app import Knowledge
from bot.config import Settings, load_settings
from bot.discord_app import runner
from bot.discord_app.client import KCBot
from bot.engine.answer import Msg
from bot.i18n import words as W
from tests.discord_double import (
    Delivery,
    DiscordDouble,
    DoubleTimeoutError,
    InteractionRecord,
    redirect_discord,
    running_bot,
)
from tests.support import english

ALL_COMMANDS = {
    "ask",
    "contact",
    "region",
    "stage",
    "field",
    "about",
    "help",
    "reload",
    "map",
    "report",
}
MESSAGE_MENUS = {"Ask kcbot"}  # context-menu commands (type 3) beside the slash commands
PROGRAMME_OFFICE_TEL = "03-5253-4111"
NOASTEC_TEL = "011-708-6525"
EPHEMERAL = 1 << 6
CALLBACK_MESSAGE, CALLBACK_DEFERRED = 4, 5
# How long "the bot says nothing" is watched for, after a later message proved the bot had
# already processed the earlier one (events are handled in order).
QUIET_WAIT = 0.3


# ------------------------------------------------------------------ shared helpers ----


class E2EBot(KCBot):
    """KCBot for tests against the double: no 5 s sleep before a non-initial IDENTIFY."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


def e2e_settings(double: DiscordDouble, **env: object) -> Settings:
    """Settings as `load_settings` builds them: the double's token, its first guild as the
    dev guild, its ``owner`` as the bot's owner; ``env`` adds or overrides variables."""
    variables = {
        "DISCORD_TOKEN": double.token,
        "DEV_GUILD_ID": str(double.guild.id),
        "OWNER_IDS": str(double.owner.id),
    }
    variables.update({name: str(value) for name, value in env.items()})
    return load_settings(variables)


def bot_factory(settings: Settings, knowledge: Knowledge, **options: Any) -> Callable[..., E2EBot]:
    """A factory for `running_bot`: forwards its keywords (guild_ready_timeout) to the bot."""

    def factory(**kwargs: Any) -> E2EBot:
        return E2EBot(settings=settings, knowledge=knowledge, **options, **kwargs)

    return factory


@contextlib.asynccontextmanager
async def kc_bot(
    double: DiscordDouble,
    knowledge: Knowledge,
    env: Mapping[str, object] | None = None,
    **options: Any,
) -> AsyncIterator[E2EBot]:
    """kcbot connected to ``double`` and ready (its dev-guild commands already synced)."""
    settings = e2e_settings(double, **dict(env or {}))
    async with running_bot(double, bot_factory(settings, knowledge, **options)) as bot:
        yield bot


def message_text(message: Mapping[str, Any] | None, *, footer: bool = True) -> str:
    """What a reader sees of a message body: content, then each embed's parts (the footer,
    which cites the sources, only if ``footer``)."""
    if not message:
        return ""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for field in embed.get("fields") or []:
            parts += [field.get("name") or "", field.get("value") or ""]
        if footer:
            parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(part for part in parts if part)


def response_text(body: Mapping[str, Any], *, footer: bool = True) -> str:
    return message_text(body.get("data"), footer=footer)


def _reference_id(message: Mapping[str, Any]) -> str | None:
    reference = message.get("message_reference") or {}
    found = reference.get("message_id")
    return None if found is None else str(found)


def replies_to(double: DiscordDouble, delivery: Delivery) -> list[dict[str, Any]]:
    """Messages the bot created as replies to the dispatched message."""
    wanted = str(delivery.data["id"])
    return [m for m in double.messages if _reference_id(m) == wanted]


async def wait_reply(
    double: DiscordDouble, delivery: Delivery | None, timeout: float | None = None
) -> dict[str, Any]:
    """The bot's reply to a dispatched message (bounded wait)."""
    assert delivery is not None, "the message was not delivered (intents?)"
    return await double.wait_for(
        lambda: next(iter(replies_to(double, delivery)), None),
        timeout,
        f"a reply to message {delivery.data['id']}",
    )


def request_body_of(double: DiscordDouble, message: Mapping[str, Any]) -> dict[str, Any]:
    """The body of the POST that created a channel message (to see `allowed_mentions`)."""
    for record in double.requests_matching("POST /channels/*/messages"):
        if (
            record.status == 200
            and isinstance(record.body, dict)
            and str(message["channel_id"]) in record.path
            and message_text(record.body) == message_text(message)
        ):
            return record.body
    raise AssertionError("no request created this message")


async def ask(
    double: DiscordDouble, name: str, options: dict[str, Any] | None = None, **kwargs: Any
) -> tuple[InteractionRecord, dict[str, Any]]:
    record = await double.dispatch_interaction(name, options, **kwargs)
    return record, await record.wait_response()


def assert_no_pings(body: Mapping[str, Any]) -> None:
    """The project's mention policy: `allowed_mentions` present and allowing nobody."""
    allowed = body.get("allowed_mentions")
    assert allowed is not None, body
    assert allowed.get("parse") == []
    assert not allowed.get("users")
    assert not allowed.get("roles")
    assert not allowed.get("replied_user")


# ----------------------------------------------------------------------- fixtures ----


# ------------------------------------------------------------------- slash commands ----


async def test_contact_kyoto_names_the_programme_office(double, knowledge):
    """/contact kyoto: no contact in the sources, so the MEXT programme office is given."""
    async with kc_bot(double, knowledge):
        record, body = await ask(double, "contact", {"region": "kyoto"})
    assert body["type"] == CALLBACK_MESSAGE
    text = response_text(body)
    assert "Kyoto" in text
    assert "no contact" in text
    assert PROGRAMME_OFFICE_TEL in text
    assert_no_pings(body["data"])
    assert record.ack_latency is not None
    assert record.ack_latency < 1.0
    double.assert_clean()


async def test_contact_sapporo_gives_noastec(double, knowledge):
    async with kc_bot(double, knowledge):
        _, body = await ask(double, "contact", {"region": "sapporo"})
    text = response_text(body)
    assert "NOASTEC" in text
    assert NOASTEC_TEL in text
    double.assert_clean()


async def test_stage_second_lists_six_clusters(double, knowledge):
    async with kc_bot(double, knowledge):
        _, body = await ask(double, "stage", {"stage": "second"})
    text = response_text(body)
    assert "6 clusters" in text
    for cluster in ("Hokkaido", "Sendai", "Nagano", "Hamamatsu", "Kansai", "Fukuoka"):
        assert cluster in text  # a list writes the names in readable case
    double.assert_clean()


async def test_stage_first_ended_lists_only_ended_clusters(double, knowledge):
    async with kc_bot(double, knowledge):
        _, body = await ask(double, "stage", {"stage": "first", "status": "ended"})
    text = response_text(body, footer=False)  # the footer cites the contents of all stages
    assert "Ended clusters of the First Stage" in text
    assert "Kobe" in text
    assert "active" not in text.replace("Sources", "")
    assert "Second Stage" not in text
    double.assert_clean()


async def test_region_hamamatsu_shows_both_clusters(double, knowledge):
    async with kc_bot(double, knowledge):
        _, body = await ask(double, "region", {"name": "hamamatsu"})
    text = response_text(body)
    assert "Hamamatsu\n2 clusters carry the name Hamamatsu." in text
    assert "Second Stage, active\n" in text
    assert "First Stage, ended\n" in text
    double.assert_clean()


async def test_field_environment(double, knowledge):
    async with kc_bot(double, knowledge):
        _, body = await ask(double, "field", {"field": "environment"})
    text = response_text(body)
    assert "Environment" in text
    for cluster in ("Aichi/Nagoya", "Kansai Science City", "Kitakyushu"):
        assert cluster in text
    double.assert_clean()


async def test_ask_answers_and_quotes_the_question(double, knowledge):
    async with kc_bot(double, knowledge):
        _, body = await ask(double, "ask", {"question": "Who runs the Sapporo cluster?"})
    assert body["type"] == CALLBACK_MESSAGE
    assert not (body["data"].get("flags") or 0) & EPHEMERAL
    text = response_text(body)
    assert "Who runs the Sapporo cluster?" in text  # quoted: others do not see the option
    assert "NOASTEC" in text
    assert_no_pings(body["data"])
    double.assert_clean()


@pytest.mark.parametrize("command", ["about", "help"])
async def test_about_and_help(double, knowledge, command):
    async with kc_bot(double, knowledge):
        _, body = await ask(double, command)
    text = response_text(body)
    assert "Knowledge Cluster" in text
    if command == "help":
        for name in ("/contact", "/region", "/stage", "/field", "/ask"):
            assert name in text
    double.assert_clean()


@pytest.mark.parametrize(("command", "option"), [("contact", "region"), ("region", "name")])
async def test_autocomplete_hamam_offers_hamamatsu(double, knowledge, command, option):
    async with kc_bot(double, knowledge):
        record = await double.dispatch_autocomplete(command, {option: "hamam"}, focused=option)
        await record.wait_response()
    choices = record.choices
    assert choices, record.response
    assert len(choices) <= 25
    for choice in choices:
        assert 1 <= len(choice["name"]) <= 100
        assert 1 <= len(str(choice["value"])) <= 100
    assert "Hamamatsu" in choices[0]["name"] or "HAMAMATSU" in choices[0]["name"]
    values = {c["value"] for c in choices}
    assert {"hamamatsu-first", "hamamatsu-second"} <= values
    double.assert_clean()


async def test_autocomplete_choice_is_accepted_by_the_command(double, knowledge):
    """The value a user picks from the autocomplete list works as the command's option."""
    async with kc_bot(double, knowledge):
        record = await double.dispatch_autocomplete("field", {"field": "env"}, focused="field")
        await record.wait_response()
        value = record.choices[0]["value"]
        _, body = await ask(double, "field", {"field": value})
    assert "Environment" in response_text(body)
    double.assert_clean()


# ---------------------------------------------------------------------- free text ----


async def test_mention_gets_an_embed_with_the_fields(double, knowledge):
    async with kc_bot(double, knowledge):
        delivery = await double.dispatch_message(
            "what fields does Hamamatsu cover", mention_bot=True
        )
        reply = await wait_reply(double, delivery)
    assert reply["embeds"], reply
    assert reply["type"] == 19  # a reply to the question
    assert reply["message_reference"]["message_id"] == delivery.data["id"]
    text = message_text(reply)
    assert "Hamamatsu" in text
    for field in ("💻 IT", "🔬 Nanotech/Materials", "🧬 Life Sciences"):
        assert field in text
    assert_no_pings(request_body_of(double, reply))
    double.assert_clean()


async def test_dm_gets_a_reply(double, knowledge):
    async with kc_bot(double, knowledge):
        delivery = await double.dispatch_message("who runs the sapporo cluster?", dm=True)
        reply = await wait_reply(double, delivery)
    assert int(reply["channel_id"]) == double.dm_channel(double.user).id
    assert "NOASTEC" in message_text(reply)
    double.assert_clean()


async def test_message_from_a_bot_is_ignored(double, knowledge):
    other_bot = double.add_user("otherbot")
    other_bot.bot = True
    async with kc_bot(double, knowledge):
        from_bot = await double.dispatch_message(
            "what fields does Hamamatsu cover", mention_bot=True, author=other_bot
        )
        from_bot_dm = await double.dispatch_message("who runs sapporo?", dm=True, author=other_bot)
        # A later human question is answered, so the bot has read the earlier messages.
        human = await double.dispatch_message("who runs sapporo?", mention_bot=True)
        await wait_reply(double, human)
        await asyncio.sleep(QUIET_WAIT)
        assert from_bot is not None
        assert from_bot_dm is not None
        assert replies_to(double, from_bot) == []
        assert replies_to(double, from_bot_dm) == []
        assert double.messages_in(double.dm_channel(other_bot)) == []
    double.assert_clean()


async def test_everyone_in_a_slash_question_pings_nobody(double, knowledge):
    async with kc_bot(double, knowledge):
        record, body = await ask(
            double, "ask", {"question": "@everyone @here who runs the Sapporo cluster?"}
        )
    assert_no_pings(body["data"])
    text = response_text(body)
    assert "who runs the Sapporo cluster?" in text  # the question is quoted...
    assert "@everyone" not in text  # ...without a working @everyone or @here
    assert "@here" not in text
    assert record.original is not None
    assert record.original["mention_everyone"] is False
    double.assert_clean()


async def test_everyone_in_a_mention_pings_nobody(double, knowledge):
    async with kc_bot(double, knowledge):
        delivery = await double.dispatch_message(
            "@everyone what fields does Hamamatsu cover", mention_bot=True
        )
        reply = await wait_reply(double, delivery)
    body = request_body_of(double, reply)
    assert_no_pings(body)
    assert "@everyone" not in message_text(reply)
    assert reply["mention_everyone"] is False
    assert reply["mentions"] == []
    double.assert_clean()


async def test_free_text_channel_answers_questions_and_ignores_chatter(double, knowledge):
    """With the Message Content intent (allowed by the double), a listed channel is served."""
    async with kc_bot(double, knowledge, {"FREE_TEXT_CHANNEL_IDS": double.channel.id}) as bot:
        assert bot.intents.message_content
        chatter = await double.dispatch_message("lunch at noon anyone?")
        question = await double.dispatch_message("what fields does Hamamatsu cover")
        reply = await wait_reply(double, question)
        await asyncio.sleep(QUIET_WAIT)
    assert chatter is not None
    assert chatter.data["content"] == "lunch at noon anyone?"
    assert "Nanotech/Materials" in message_text(reply)
    assert replies_to(double, chatter) == []
    double.assert_clean()


async def test_free_text_channel_without_message_content_stays_silent(double, knowledge):
    """The bot runs without the Message Content intent: the double blanks channel messages;
    the bot says nothing about them, and still answers a mention in the same channel."""
    intents = discord.Intents.default()
    intents.message_content = False
    env = {"FREE_TEXT_CHANNEL_IDS": double.channel.id}
    async with kc_bot(double, knowledge, env, intents=intents) as bot:
        assert not bot.intents.message_content
        blanked = await double.dispatch_message("what fields does Hamamatsu cover")
        mention = await double.dispatch_message("who runs sapporo?", mention_bot=True)
        reply = await wait_reply(double, mention)
        await asyncio.sleep(QUIET_WAIT)
    assert blanked is not None
    assert blanked.data["content"] == ""  # what Discord sends without the intent
    assert replies_to(double, blanked) == []
    assert "NOASTEC" in message_text(reply)
    double.assert_clean()


async def test_message_content_refused_by_discord_fails_start_clearly(knowledge):
    """Free-text channels need the privileged intent; if the app may not use it, start-up
    fails with PrivilegedIntentsRequired (the runner turns it into a one-line exit)."""
    async with DiscordDouble(privileged_intents=0) as double:
        with pytest.raises(discord.PrivilegedIntentsRequired):
            async with kc_bot(double, knowledge, {"FREE_TEXT_CHANNEL_IDS": double.channel.id}):
                pytest.fail("the bot should not become ready")
        assert [r.accepted for r in double.identifies] == [False]
        double.assert_clean()


# ---------------------------------------------------------- refusals and failures ----


async def test_cooldown_and_overlong_questions_are_refused_ephemerally(double, knowledge):
    """Past the per-user rate, and for an over-long option, the user alone is told why."""
    env = {"COMMAND_COOLDOWN_RATE": 2, "FREE_TEXT_COOLDOWN_RATE": 1}
    async with kc_bot(double, knowledge, env):
        bodies = [
            (await ask(double, "ask", {"question": "who runs sapporo?"}))[1] for _ in range(3)
        ]
        _, overlong = await ask(double, "contact", {"region": "x" * 600}, user=double.owner)
        answered = await double.dispatch_message("who runs sapporo?", mention_bot=True)
        await wait_reply(double, answered)
        flood = [
            await double.dispatch_message("who runs sapporo?", mention_bot=True) for _ in range(3)
        ]
        notice = await wait_reply(double, flood[0])
        later = await double.dispatch_message(
            "who runs sapporo?", mention_bot=True, author=double.owner
        )
        await wait_reply(double, later)
        await asyncio.sleep(QUIET_WAIT)
    assert [b["data"].get("flags") or 0 for b in bodies] == [0, 0, EPHEMERAL]
    assert "please wait" in bodies[2]["data"]["content"]
    assert overlong["data"]["flags"] & EPHEMERAL
    assert "600 characters" in overlong["data"]["content"]
    assert "please wait" in notice["content"]
    # One notice per window, not one per message.
    assert [len(replies_to(double, d)) for d in flood] == [1, 0, 0]
    double.assert_clean()


async def test_a_failing_engine_gets_a_generic_ephemeral_reply(
    double, knowledge, monkeypatch, caplog
):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("engine bug")

    async with kc_bot(double, knowledge):
        monkeypatch.setattr(knowledge.engine, "ask", broken)
        _, body = await ask(double, "ask", {"question": "who runs sapporo?"})
        delivery = await double.dispatch_message("who runs sapporo?", mention_bot=True)
        reply = await wait_reply(double, delivery)
    assert body["data"]["flags"] & EPHEMERAL
    assert body["data"]["content"] == english(W.DISCORD_FAILURE())
    assert reply["content"] == english(W.DISCORD_FAILURE())
    assert "engine bug" not in message_text(reply)
    logged = [r for r in caplog.records if r.exc_info and "engine bug" in str(r.exc_info[1])]
    assert len(logged) == 2  # the command and the free-text answer, with tracebacks
    double.assert_clean()


# ------------------------------------------------------------------ command syncing ----


def _option_summary(command: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        option["name"]: {
            "type": option["type"],
            "required": option.get("required", False),
            "autocomplete": option.get("autocomplete", False),
            "choices": [c["value"] for c in option.get("choices") or []],
        }
        for option in command.get("options") or []
    }


EXPECTED_OPTIONS = {
    "ask": {
        "question": {"type": 3, "required": True, "autocomplete": True, "choices": []},
        "private": {"type": 5, "required": False, "autocomplete": False, "choices": []},
    },
    "contact": {"region": {"type": 3, "required": True, "autocomplete": True, "choices": []}},
    "region": {"name": {"type": 3, "required": True, "autocomplete": True, "choices": []}},
    "field": {"field": {"type": 3, "required": True, "autocomplete": True, "choices": []}},
    "stage": {
        "stage": {
            "type": 3,
            "required": True,
            "autocomplete": True,  # the knowledge base's stages
            "choices": [],
        },
        "status": {
            "type": 3,
            "required": False,
            "autocomplete": True,  # the knowledge base's statuses
            "choices": [],
        },
    },
    "about": {},
    "help": {},
    "reload": {},
    "map": {
        "stage": {
            "type": 3,
            "required": False,
            "autocomplete": True,  # the knowledge base's stages
            "choices": [],
        },
        "status": {
            "type": 3,
            "required": False,
            "autocomplete": True,  # the knowledge base's statuses
            "choices": [],
        },
        "field": {"type": 3, "required": False, "autocomplete": True, "choices": []},
    },
    "report": {
        "since": {"type": 3, "required": False, "autocomplete": False, "choices": []},
        "format": {
            "type": 3,
            "required": False,
            "autocomplete": False,
            "choices": ["text", "markdown", "csv", "json"],
        },
    },
}


def assert_payload_is_the_tree(
    payload: list[dict[str, Any]], tree_payload: list[dict[str, Any]]
) -> None:
    by_name = {command["name"]: command for command in payload}
    assert len(by_name) == len(payload), "duplicate command names"
    assert set(by_name) == ALL_COMMANDS | MESSAGE_MENUS
    assert sorted(payload, key=lambda c: c["name"]) == sorted(tree_payload, key=lambda c: c["name"])
    for name in MESSAGE_MENUS:
        assert by_name.pop(name)["type"] == 3
    for name, command in by_name.items():
        assert 1 <= len(command["description"]) <= 100
        assert _option_summary(command) == EXPECTED_OPTIONS[name], name
    manage_guild = discord.Permissions(manage_guild=True).value
    assert int(by_name["reload"]["default_member_permissions"]) == manage_guild
    assert int(by_name["report"]["default_member_permissions"]) == manage_guild


async def translated(bot: E2EBot, commands: list[Any]) -> list[dict[str, Any]]:
    """The commands as the tree sends them: with the catalogues' localizations."""
    return [await c.get_translated_payload(bot.tree, bot.tree.translator) for c in commands]


async def test_dev_guild_sync_on_start_and_global_sync_match_the_tree(double, knowledge):
    async with kc_bot(double, knowledge) as bot:
        # Start-up synced the dev guild only, before the gateway connected.
        assert [sync.guild_id for sync in double.command_syncs] == [double.guild.id]
        guild_sync = double.command_syncs[0]
        assert guild_sync.accepted
        tree_guild = await translated(
            bot, bot.tree.get_commands(guild=discord.Object(id=double.guild.id))
        )
        assert_payload_is_the_tree(guild_sync.payload, tree_guild)
        synced_names = {c["name"] for c in double.guild_commands[double.guild.id]}
        assert synced_names == ALL_COMMANDS | MESSAGE_MENUS

        synced = await bot.tree.sync()
        global_sync = await double.wait_for_sync(guild=None)
        tree_global = await translated(bot, bot.tree.get_commands())
        assert_payload_is_the_tree(global_sync.payload, tree_global)
        assert {c.name for c in synced} == ALL_COMMANDS | MESSAGE_MENUS
        assert global_sync.payload == guild_sync.payload

        # A command dispatched as Discord would for the synced global command works.
        _, body = await ask(double, "contact", {"region": "sapporo"}, command_guild=False)
        assert NOASTEC_TEL in response_text(body)
    double.assert_clean()


async def test_runner_sync_publishes_the_same_commands(double, knowledge, monkeypatch, capsys):
    """`python -m bot sync` (runner.sync: its own event loop, log in, PUT, log out), to the
    dev guild and globally, sends what the running bot syncs on start."""
    monkeypatch.setattr(config, "_dotenv_loaded", [None])
    for name in config.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISCORD_TOKEN", double.token)
    monkeypatch.setattr(discord.utils, "setup_logging", lambda **kwargs: None)
    async with kc_bot(double, knowledge):
        on_start = double.command_syncs[0].payload
        with redirect_discord(double):
            assert await asyncio.to_thread(runner.sync, None, double.guild.id) == 0
            assert await asyncio.to_thread(runner.sync, None, None) == 0
    out = capsys.readouterr().out
    assert f"Synced 11 commands to guild {double.guild.id}" in out
    assert "Synced 11 commands to all guilds (global)" in out
    guild_syncs = [s for s in double.command_syncs if s.guild_id == double.guild.id]
    global_syncs = [s for s in double.command_syncs if s.guild_id is None]
    assert len(guild_syncs) == 2
    assert len(global_syncs) == 1
    assert guild_syncs[1].payload == on_start
    assert global_syncs[0].payload == on_start
    # runner.sync never opened a gateway connection: only the running bot identified.
    assert len(double.identifies) == 1
    double.assert_clean()


# ----------------------------------------------------------------------- /reload ----


async def test_reload_refused_for_a_member(double, knowledge):
    async with kc_bot(double, knowledge) as bot:
        _, body = await ask(double, "reload", user=double.user)
        assert bot.app.knowledge is knowledge
    assert body["type"] == CALLBACK_MESSAGE
    assert body["data"]["flags"] & EPHEMERAL
    assert body["data"]["content"] == english(W.DISCORD_NOT_ADMIN())
    double.assert_clean()


async def test_reload_by_the_owner_swaps_the_engine(double, knowledge):
    async with kc_bot(double, knowledge) as bot:
        record, body = await ask(double, "reload", user=double.owner)
        assert body["type"] == CALLBACK_DEFERRED
        assert body["data"]["flags"] & EPHEMERAL
        followup = await record.wait_followup()
        assert followup["flags"] & EPHEMERAL
        assert re.fullmatch(r"Reloaded: \d+ clusters and \d+ FAQ entries\.", followup["content"]), (
            followup
        )
        assert bot.app.knowledge is not knowledge
        # The new engine answers.
        _, answer = await ask(double, "contact", {"region": "sapporo"})
        assert NOASTEC_TEL in response_text(answer)
    assert record.content == followup["content"]  # it replaced the "thinking" message
    double.assert_clean()


async def test_unaddressed_message_outside_free_text_channels_is_ignored(double, knowledge):
    """A message that neither mentions the bot nor is in a listed channel gets no reply
    (and the bounded wait for one fails quickly)."""
    async with kc_bot(double, knowledge):
        delivery = await double.dispatch_message("hello", channel="random")
        with pytest.raises(DoubleTimeoutError):
            await wait_reply(double, delivery, timeout=0.2)
    double.assert_clean()


# ------------------------------------------------------------------------- Japanese ----


def _localized_names(command: Mapping[str, Any]) -> list[str]:
    names = [command["name_localizations"]["ja"]]
    for option in command.get("options") or []:
        names.append(option["name_localizations"]["ja"])
    return names


async def test_sync_payload_carries_the_japanese_localizations(double, knowledge):
    """Every command, option and choice is named and described in Japanese, from the
    catalogue, within Discord's rules (the double refuses a payload that breaks them)."""

    def ja(message: Msg) -> str:
        return knowledge.localizer.text(message, "ja")

    async with kc_bot(double, knowledge):
        sync = double.command_syncs[0]
    assert sync.accepted
    by_name = {command["name"]: command for command in sync.payload}
    assert by_name["contact"]["name_localizations"]["ja"] == "連絡先"
    assert by_name["stage"]["description_localizations"]["ja"].startswith("段階ごと")
    assert by_name["Ask kcbot"]["name_localizations"]["ja"] == ja(Msg("command.ask_kcbot.name"))
    for command in sync.payload:
        if command["type"] != 1:  # a message menu has a name only
            continue
        assert "ja" in command["description_localizations"], command["name"]
        for name in _localized_names(command):
            assert name == name.lower()
            assert 1 <= len(name) <= 32
            assert not any(ch.isspace() for ch in name)
        for option in command.get("options") or []:
            assert "ja" in option["description_localizations"]
            for choice in option.get("choices") or []:
                words = Msg(f"command.choice.{choice['value']}")
                assert choice["name_localizations"]["ja"] == ja(words)
    double.assert_clean()


async def test_a_japanese_user_gets_a_japanese_reply(double, knowledge):
    """A slash command from a client set to Japanese is answered in Japanese."""
    async with kc_bot(double, knowledge):
        _, body = await ask(double, "contact", {"region": "sapporo"}, locale="ja")
    text = response_text(body)
    assert "連絡先" in text
    assert "電話 011-708-6525" in text
    assert "公益財団法人北海道科学技術総合振興センター" in text
    double.assert_clean()


async def test_an_english_question_from_a_japanese_client_is_answered_in_english(double, knowledge):
    """The question's own language wins over the client's."""
    async with kc_bot(double, knowledge):
        _, body = await ask(
            double, "ask", {"question": "what fields does Kyoto cover"}, locale="ja"
        )
    text = response_text(body)
    assert "Key fields of Kyoto\n🔬 Nanotech/Materials" in text
    double.assert_clean()


async def test_a_japanese_mention_is_answered_in_japanese(double, knowledge):
    async with kc_bot(double, knowledge):
        delivery = await double.dispatch_message("浜松の分野は？", mention_bot=True)
        reply = await wait_reply(double, delivery)
    text = message_text(reply)
    assert "浜松の重点分野" in text
    assert "ナノテク・材料" in text  # the one label every list uses
    double.assert_clean()


async def test_japanese_autocomplete_labels(double, knowledge):
    """Choices for a Japanese client are labelled in Japanese; the values stay ids."""
    async with kc_bot(double, knowledge):
        record = await double.dispatch_autocomplete(
            "field", {"field": ""}, focused="field", locale="ja"
        )
        await record.wait_response()
    names = [choice["name"] for choice in record.choices]
    assert "環境（Environment）" in names
    assert {choice["value"] for choice in record.choices} == set(knowledge.kb.fields)
    double.assert_clean()
