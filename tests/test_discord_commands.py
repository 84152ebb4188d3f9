"""Slash-command callbacks, autocomplete, cooldowns, errors, /reload and the bot's set-up.

Callbacks are called directly with strict fakes built from discord.py's own classes
(`create_autospec(..., spec_set=True)`), so a misspelt method or keyword fails the test.
The engine is the real one over the shipped knowledge base, except where a test needs an
engine that fails.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from unittest import mock

import discord
import pytest
from discord import app_commands

from bot import app as application
from bot.app import Knowledge
from bot.commands.admin import Admin
from bot.commands.ask import Ask
from bot.commands.info import Info
from bot.commands.lookup import Lookup
from bot.config import Settings
from bot.discord_app.client import (
    EXTENSIONS,
    INVITE_PERMISSIONS,
    KCBot,
    create_bot,
    invite_url,
)
from bot.discord_app.limits import UserCooldown
from bot.discord_app.render import MESSAGE_CONTENT_LIMIT, measure
from bot.i18n import words as W
from bot.kb.loader import KnowledgeBaseError, Problem
from tests.support import english

USER_ID = 111111111111111111
OWNER_ID = 222222222222222222
GUILD_ID = 333333333333333333
CHANNEL_ID = 444444444444444444
NO_MENTIONS = {"parse": []}  # AllowedMentions.none(): nobody, not even the replied-to user
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
MESSAGE_MENUS = {"Ask kcbot"}


def make_bot(knowledge: Knowledge, **settings: object) -> KCBot:
    return create_bot(Settings(**settings), knowledge)


@pytest.fixture
def bot(knowledge: Knowledge) -> KCBot:
    return make_bot(knowledge, owner_ids=frozenset({OWNER_ID}))


def make_interaction(
    bot: KCBot,
    *,
    user_id: int = USER_ID,
    guild_id: int | None = GUILD_ID,
    manage_guild: bool = False,
    command: app_commands.Command | None = None,
) -> mock.NonCallableMagicMock:
    """A strict fake `discord.Interaction` whose response becomes done once used."""
    interaction = mock.create_autospec(discord.Interaction, instance=True, spec_set=True)
    response = mock.create_autospec(discord.InteractionResponse, instance=True, spec_set=True)
    response.is_done.return_value = False

    def finish(*args: object, **kwargs: object) -> None:
        response.is_done.return_value = True

    response.send_message.side_effect = finish
    response.defer.side_effect = finish
    interaction.response = response
    interaction.followup = mock.create_autospec(discord.Webhook, instance=True, spec_set=True)
    user = mock.create_autospec(discord.Member, instance=True, spec_set=True)
    user.id = user_id
    interaction.user = user
    interaction.guild_id = guild_id
    interaction.channel_id = CHANNEL_ID
    interaction.permissions = discord.Permissions(manage_guild=manage_guild)
    interaction.command = command
    interaction.client = bot
    interaction.extras = {}
    return interaction


def sent(interaction: mock.NonCallableMagicMock) -> dict:
    """The keyword arguments of the one message the interaction sent, wherever it went."""
    calls = interaction.response.send_message.await_args_list + (
        interaction.followup.send.await_args_list
    )
    assert len(calls) == 1, calls
    return calls[0].kwargs


def embed_text(kwargs: dict) -> str:
    return str([embed.to_dict() for embed in kwargs.get("embeds", [])])


def assert_no_mentions(kwargs: dict) -> None:
    assert kwargs["allowed_mentions"].to_dict() == NO_MENTIONS


# --- answering commands -------------------------------------------------------------------


async def test_ask_answers_publicly_with_embeds(bot):
    """/ask sends the engine's answer as embeds, visible to everyone."""
    cog = Ask(bot)
    interaction = make_interaction(bot, command=cog.ask)
    await cog.ask.callback(cog, interaction, question="Which clusters work in nanotech?")
    kwargs = sent(interaction)
    assert kwargs["ephemeral"] is False
    assert "Kyoto" in embed_text(kwargs)  # a listing writes names in readable case


async def test_ask_sends_with_no_mentions(bot):
    """/ask replies with AllowedMentions.none()."""
    cog = Ask(bot)
    interaction = make_interaction(bot, command=cog.ask)
    await cog.ask.callback(cog, interaction, question="who runs Sapporo?")
    assert_no_mentions(sent(interaction))


@pytest.mark.parametrize("ping", ["@everyone", "<@&123456789012345678>", "<@456>"])
async def test_ask_echo_pings_nobody(bot, ping):
    """A mention in the question is echoed inert."""
    cog = Ask(bot)
    interaction = make_interaction(bot, command=cog.ask)
    await cog.ask.callback(cog, interaction, question=f"{ping} who runs Sapporo?")
    kwargs = sent(interaction)
    assert ping not in kwargs["content"]
    assert ping not in embed_text(kwargs)


async def test_ask_rejects_overlong_question_ephemerally(knowledge):
    """A question over MAX_QUESTION_LENGTH gets an ephemeral message naming the limit."""
    bot = make_bot(knowledge, max_question_length=50)
    cog = Ask(bot)
    interaction = make_interaction(bot, command=cog.ask)
    await cog.ask.callback(cog, interaction, question="x" * 51)
    kwargs = sent(interaction)
    assert kwargs["ephemeral"] is True
    assert "51 characters" in kwargs["content"]
    assert "up to 50" in kwargs["content"]


async def test_question_at_the_limit_is_answered(knowledge):
    """A question of exactly MAX_QUESTION_LENGTH is answered, not refused."""
    bot = make_bot(knowledge, max_question_length=len("who runs Sapporo?"))
    cog = Ask(bot)
    interaction = make_interaction(bot, command=cog.ask)
    await cog.ask.callback(cog, interaction, question="who runs Sapporo?")
    assert sent(interaction)["ephemeral"] is False


async def test_contact_gives_the_core_organization(bot):
    """/contact shows the core organization's telephone number for a known region."""
    cog = Lookup(bot)
    interaction = make_interaction(bot, command=cog.contact)
    await cog.contact.callback(cog, interaction, region="Sapporo")
    assert "011-708-6525" in embed_text(sent(interaction))


async def test_contact_without_details_names_the_programme_office(bot):
    """A region with no contact in the knowledge base falls back to the programme office,
    titled as what it is."""
    cog = Lookup(bot)
    interaction = make_interaction(bot, command=cog.contact)
    await cog.contact.callback(cog, interaction, region="Kobe")
    text = embed_text(sent(interaction))
    assert "The sources give no contact for Kobe" in text
    assert "Programme office: Ministry of Education" in text
    assert "03-5253-4111" in text


async def test_contact_revalidates_typed_values(bot):
    """A value that is no autocomplete choice is still checked by the engine."""
    cog = Lookup(bot)
    interaction = make_interaction(bot, command=cog.contact)
    await cog.contact.callback(cog, interaction, region="Atlantis")
    assert "Unknown region" in embed_text(sent(interaction))


async def test_contact_rejects_overlong_region(knowledge):
    """An option value over the length cap is refused ephemerally too."""
    bot = make_bot(knowledge, max_question_length=20)
    cog = Lookup(bot)
    interaction = make_interaction(bot, command=cog.contact)
    await cog.contact.callback(cog, interaction, region="S" * 21)
    assert sent(interaction)["ephemeral"] is True


async def test_region_gives_an_overview(bot):
    """/region lists each cluster a place heads."""
    cog = Lookup(bot)
    interaction = make_interaction(bot, command=cog.region)
    await cog.region.callback(cog, interaction, name="Sendai")
    text = embed_text(sent(interaction))
    assert "Greater Sendai Area · Second Stage, active" in text
    assert "Sendai · First Stage, ended" in text


async def test_stage_filters_by_stage_and_status(bot):
    """/stage passes the chosen stage and status values to the engine."""
    cog = Lookup(bot)
    interaction = make_interaction(bot, command=cog.stage)
    await cog.stage.callback(
        cog,
        interaction,
        stage="first",
        status="ended",
    )
    text = embed_text(sent(interaction))
    assert "Ended clusters of the First Stage" in text
    assert "11 clusters:" in text


async def test_stage_without_status_lists_both(bot):
    """/stage with no status covers active and ended clusters."""
    cog = Lookup(bot)
    interaction = make_interaction(bot, command=cog.stage)
    await cog.stage.callback(cog, interaction, stage="first")
    text = embed_text(sent(interaction))
    assert "Active · 7" in text
    assert "Ended · 11" in text


async def test_field_uses_the_field_colour(bot):
    """/field answers about one key field are drawn in that field's colour."""
    cog = Lookup(bot)
    interaction = make_interaction(bot, command=cog.field)
    await cog.field.callback(cog, interaction, field="nanotech")
    (first, *_) = sent(interaction)["embeds"]
    assert first.colour == discord.Colour.from_str(
        bot.engine.kb.fields["nanotech-materials"].colour
    )


async def test_about_answers(bot):
    """/about sends the engine's about answer."""
    cog = Info(bot)
    interaction = make_interaction(bot, command=cog.about)
    await cog.about.callback(cog, interaction)
    about = bot.app.localizer.localize(bot.engine.about())
    assert about.title in embed_text(sent(interaction))


async def test_help_answers(bot):
    """/help sends the engine's help answer."""
    cog = Info(bot)
    interaction = make_interaction(bot, command=cog.help_)
    await cog.help_.callback(cog, interaction)
    help_answer = bot.app.localizer.localize(bot.engine.help())
    assert help_answer.title in embed_text(sent(interaction))


async def test_answer_is_logged_without_the_question(bot, caplog):
    """One INFO line per answer, with intent and ids but not the question's text."""
    cog = Ask(bot)
    interaction = make_interaction(bot, command=cog.ask)
    with caplog.at_level(logging.INFO, logger="bot.app"):
        await cog.ask.callback(cog, interaction, question="who runs Sapporo, please?")
    (record,) = [r for r in caplog.records if r.levelno == logging.INFO]
    line = record.getMessage()
    assert "intent=contact" in line
    assert "via=/ask" in line
    assert "rule=region" in line
    assert f"user={USER_ID}" in line
    assert "please" not in line


# --- autocomplete -------------------------------------------------------------------------


async def test_region_autocomplete_offers_engine_choices(bot):
    """Region autocomplete returns the engine's matches as Discord choices."""
    cog = Lookup(bot)
    choices = await cog._complete_contact(make_interaction(bot), "sapp")
    assert "sapporo-first" in {choice.value for choice in choices}


async def test_region_autocomplete_respects_discord_limits(bot):
    """At most 25 choices, each name and value 1..100 characters, even for empty input."""
    cog = Lookup(bot)
    for current in ("", "a", "x" * 5000):
        choices = await cog._complete_name(make_interaction(bot), current)
        assert len(choices) <= 25
        assert all(0 < len(c.name) <= 100 and 0 < len(c.value) <= 100 for c in choices)


async def test_field_autocomplete_offers_the_key_fields(bot):
    """Field autocomplete with no input offers the four key fields."""
    cog = Lookup(bot)
    choices = await cog._complete_field(make_interaction(bot), "")
    assert {choice.value for choice in choices} == set(bot.engine.kb.fields)


# --- cooldowns and errors -----------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_user_cooldown_says_how_long_to_wait():
    """Past the rate, the cooldown returns the seconds left in the window."""
    clock = FakeClock()
    cooldown = UserCooldown(2, 30, clock=clock)
    assert cooldown.hit(1) is None
    clock.now += 10
    assert cooldown.hit(1) is None
    clock.now += 5
    assert cooldown.hit(1) == pytest.approx(15)


def test_user_cooldown_window_resets():
    """Once the window has passed, the user may ask again."""
    clock = FakeClock()
    cooldown = UserCooldown(1, 30, clock=clock)
    cooldown.hit(1)
    clock.now += 30
    assert cooldown.hit(1) is None


def test_user_cooldown_window_resets_between_prunes():
    """A window that ended is over even if idle users have not been pruned yet."""
    clock = FakeClock()
    cooldown = UserCooldown(1, 30, clock=clock)
    cooldown.hit("a")  # prunes at 1000; the next prune is due at 1030
    clock.now = 1020
    cooldown.hit(1)  # user 1's window: 1020..1050
    clock.now = 1035
    cooldown.hit("b")  # prunes at 1035 (user 1 still active); next prune due at 1065
    clock.now = 1050
    assert cooldown.hit(1) is None


def test_user_cooldown_forgets_idle_users():
    """Expired windows are dropped, so memory does not grow with every user ever seen."""
    clock = FakeClock()
    cooldown = UserCooldown(1, 30, clock=clock)
    for user_id in range(1000):
        cooldown.hit(user_id)
    clock.now += 31
    cooldown.hit("someone new")
    assert len(cooldown._windows) == 1


async def test_cooldown_refuses_past_the_rate(knowledge):
    """After COMMAND_COOLDOWN_RATE commands a user gets CommandOnCooldown."""
    bot = make_bot(knowledge, command_cooldown_rate=2, command_cooldown_seconds=60)
    cog = Ask(bot)
    interaction = make_interaction(bot, command=cog.ask)
    assert await cog.interaction_check(interaction)
    assert await cog.interaction_check(interaction)
    with pytest.raises(app_commands.CommandOnCooldown) as caught:
        await cog.interaction_check(interaction)
    assert 0 < caught.value.retry_after <= 60


async def test_cooldown_is_per_user(knowledge):
    """One user's cooldown does not hold back another."""
    bot = make_bot(knowledge, command_cooldown_rate=1, command_cooldown_seconds=60)
    cog = Ask(bot)
    await cog.interaction_check(make_interaction(bot, user_id=1))
    assert await cog.interaction_check(make_interaction(bot, user_id=2))


async def test_cooldown_is_shared_across_command_cogs(knowledge):
    """Spreading commands over cogs does not escape the one per-user cooldown."""
    bot = make_bot(knowledge, command_cooldown_rate=1, command_cooldown_seconds=60)
    await Ask(bot).interaction_check(make_interaction(bot))
    with pytest.raises(app_commands.CommandOnCooldown):
        await Lookup(bot).interaction_check(make_interaction(bot))


async def test_cooldowns_are_per_bot(knowledge):
    """Two bots in one process keep separate cooldowns (no module-level buckets)."""
    first = make_bot(knowledge, command_cooldown_rate=1)
    second = make_bot(knowledge, command_cooldown_rate=1)
    await Ask(first).interaction_check(make_interaction(first))
    assert await Ask(second).interaction_check(make_interaction(second))


async def test_error_handler_replies_ephemerally_and_logs_traceback(bot, caplog):
    """An unexpected failure gets a friendly ephemeral reply and a logged traceback."""
    interaction = make_interaction(bot, command=Ask(bot).ask)
    error = app_commands.CommandInvokeError(Ask(bot).ask, RuntimeError("boom"))
    with caplog.at_level(logging.ERROR):
        await bot.tree.on_error(interaction, error)
    kwargs = sent(interaction)
    assert (kwargs["content"], kwargs["ephemeral"]) == (english(W.DISCORD_FAILURE()), True)
    assert_no_mentions(kwargs)
    (record,) = caplog.records
    assert record.exc_info[1].args == ("boom",)


async def test_error_after_response_uses_followup(bot):
    """When the interaction was already answered or deferred, the error goes as a follow-up."""
    interaction = make_interaction(bot, command=Ask(bot).ask)
    await interaction.response.defer()
    await bot.tree.on_error(interaction, app_commands.AppCommandError("late"))
    interaction.followup.send.assert_awaited_once()
    assert interaction.followup.send.await_args.kwargs["ephemeral"] is True


async def test_cooldown_error_says_when_to_retry(bot, caplog):
    """A cooldown is explained with the wait, and logged without a traceback."""
    interaction = make_interaction(bot, command=Ask(bot).ask)
    error = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 30), 12.2)
    with caplog.at_level(logging.INFO):
        await bot.tree.on_error(interaction, error)
    assert "wait 13 s" in sent(interaction)["content"]
    assert all(record.exc_info is None for record in caplog.records)


async def test_error_reply_failure_is_logged_not_raised(bot, caplog):
    """If even the error reply fails (interaction expired), the handler logs and returns."""
    interaction = make_interaction(bot, command=Ask(bot).ask)
    interaction.response.send_message.side_effect = discord.NotFound(
        mock.Mock(status=404, reason="Not Found"), "Unknown interaction"
    )
    with caplog.at_level(logging.WARNING):
        await bot.tree.on_error(interaction, app_commands.AppCommandError("x"))
    assert any("could not tell the user" in r.getMessage() for r in caplog.records)


# --- /reload ------------------------------------------------------------------------------


def reload_bot(knowledge: Knowledge, loader: mock.Mock) -> KCBot:
    return create_bot(Settings(owner_ids=frozenset({OWNER_ID})), knowledge, knowledge_loader=loader)


async def test_reload_refused_for_ordinary_members(knowledge):
    """/reload without Manage Server or owner id is refused ephemerally; nothing reloads."""
    loader = mock.Mock(return_value=knowledge)
    bot = reload_bot(knowledge, loader)
    cog = Admin(bot)
    interaction = make_interaction(bot, command=cog.reload)
    await cog.reload.callback(cog, interaction)
    expected = (english(W.DISCORD_NOT_ADMIN()), True)
    assert (sent(interaction)["content"], sent(interaction)["ephemeral"]) == expected
    loader.assert_not_called()


async def test_reload_is_hidden_from_members_by_default():
    """/reload defaults to Manage Server in Discord's own permission settings."""
    permissions = Admin.reload.default_permissions
    assert permissions == discord.Permissions(manage_guild=True)


async def test_reload_by_owner_swaps_the_engine(knowledge):
    """An owner's /reload defers, builds a new engine and makes it live."""
    fresh = application.load(None)
    loader = mock.Mock(return_value=fresh)
    bot = reload_bot(knowledge, loader)
    cog = Admin(bot)
    interaction = make_interaction(bot, user_id=OWNER_ID, command=cog.reload)
    await cog.reload.callback(cog, interaction)
    interaction.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    assert bot.app.knowledge is fresh
    kwargs = interaction.followup.send.await_args.kwargs
    assert kwargs["ephemeral"] is True
    assert f"{len(fresh.kb.clusters)} clusters" in kwargs["content"]


async def test_reload_allowed_with_manage_server(knowledge):
    """A member with Manage Server may reload."""
    fresh = application.load(None)
    bot = reload_bot(knowledge, mock.Mock(return_value=fresh))
    cog = Admin(bot)
    await cog.reload.callback(cog, make_interaction(bot, manage_guild=True, command=cog.reload))
    assert bot.app.knowledge is fresh


async def test_reload_of_invalid_knowledge_keeps_the_old_engine(knowledge):
    """An invalid knowledge base leaves the running engine live and lists the problems."""
    problems = [
        Problem("clusters.yaml", i, f"c{i}", "stage must be first or second") for i in range(300)
    ]
    loader = mock.Mock(side_effect=KnowledgeBaseError(problems, "/srv/knowledge"))
    bot = reload_bot(knowledge, loader)
    cog = Admin(bot)
    interaction = make_interaction(bot, user_id=OWNER_ID, command=cog.reload)
    await cog.reload.callback(cog, interaction)
    assert bot.app.knowledge is knowledge
    kwargs = interaction.followup.send.await_args.kwargs
    assert kwargs["ephemeral"] is True
    assert "clusters.yaml:0 stage must be first or second" in kwargs["content"]
    assert "[c0]" not in kwargs["content"]  # entry ids are file content
    assert measure(kwargs["content"]) <= MESSAGE_CONTENT_LIMIT
    assert "more" in kwargs["content"].splitlines()[-1]


async def test_reload_runs_the_loader_off_the_event_loop(knowledge):
    """The knowledge base is re-read in a worker thread, not on the event loop's thread."""
    threads: list[threading.Thread] = []

    def loader() -> Knowledge:
        threads.append(threading.current_thread())
        return knowledge

    bot = reload_bot(knowledge, mock.Mock(side_effect=loader))
    await bot.reload_knowledge()
    assert len(threads) == 1
    assert threads[0] is not threading.main_thread()


async def test_reload_brings_changed_words_however_often_they_were_used(knowledge, kb_copy):
    """The words of messages are remembered per knowledge base (`Localizer`): after a
    /reload whose catalogue words changed, replies and their buttons use the new words,
    although the old ones were just used for the same question."""
    import shutil

    from bot.app import Request
    from bot.discord_app.cog import answer_reply
    from bot.i18n.loading import MESSAGES_DIR
    from bot.kb.paths import shipped_knowledge_dir

    shutil.copytree(shipped_knowledge_dir() / MESSAGES_DIR, kb_copy / MESSAGES_DIR)
    english_words = kb_copy / MESSAGES_DIR / "en.yaml"
    text = english_words.read_text(encoding="utf-8")
    for old, new in (
        ('fields.title: "Key fields of ', 'fields.title: "The fields of '),
        ('ui.sources_button: "Sources"', 'ui.sources_button: "Citations"'),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    english_words.write_text(text, encoding="utf-8")
    bot = reload_bot(knowledge, mock.Mock(side_effect=lambda: application.load(kb_copy)))

    def asked() -> tuple[str, list[str]]:
        response = bot.app.handle(Request("ask", "kyoto fields"))
        reply = answer_reply(bot, response, private=False)
        labels = [
            button.get("label")
            for row in reply.view.to_components()
            for button in row["components"]
        ]
        return reply.embeds[0].title, labels

    for _ in range(3):
        title, labels = asked()
        assert title.endswith("Key fields of Kyoto")
        assert "Sources" in labels
    await bot.reload_knowledge()
    title, labels = asked()
    assert title.endswith("The fields of Kyoto")
    assert "Citations" in labels
    assert "Sources" not in labels


# --- the bot itself -----------------------------------------------------------------------


async def test_setup_hook_registers_every_command(bot):
    """setup_hook loads every extension and registers all slash commands."""
    await bot.setup_hook()
    assert {command.name for command in bot.tree.get_commands()} == ALL_COMMANDS | MESSAGE_MENUS
    assert not bot.failed_extensions


async def test_broken_extension_does_not_stop_the_others(knowledge, caplog):
    """An extension that fails to load is logged; the others still load."""
    bot = KCBot(
        settings=Settings(),
        knowledge=knowledge,
        extensions=("bot.commands.does_not_exist", *EXTENSIONS),
    )
    with caplog.at_level(logging.ERROR, logger="bot.discord_app.client"):
        await bot.setup_hook()
    assert set(bot.failed_extensions) == {"bot.commands.does_not_exist"}
    assert {command.name for command in bot.tree.get_commands()} == ALL_COMMANDS | MESSAGE_MENUS
    assert any(record.exc_info for record in caplog.records)


async def test_no_sync_on_start_without_dev_guild(bot):
    """Without DEV_GUILD_ID, starting never syncs commands."""
    with mock.patch.object(bot.tree, "sync", autospec=True) as sync:
        await bot.setup_hook()
    sync.assert_not_called()


async def test_dev_guild_gets_commands_synced_on_start(knowledge):
    """With DEV_GUILD_ID, start-up copies the global commands there and syncs that guild."""
    bot = make_bot(knowledge, dev_guild_id=GUILD_ID)
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]) as sync:
        await bot.setup_hook()
    sync.assert_awaited_once()
    assert sync.await_args.kwargs["guild"].id == GUILD_ID
    copied = {c.name for c in bot.tree.get_commands(guild=discord.Object(GUILD_ID))}
    assert copied == ALL_COMMANDS | MESSAGE_MENUS


def test_bot_never_pings_by_default(knowledge):
    """The client's default allowed_mentions is none, whatever the caller passes."""
    bot = create_bot(Settings(), knowledge, allowed_mentions=discord.AllowedMentions.all())
    assert bot.allowed_mentions.to_dict() == NO_MENTIONS


def test_message_content_intent_off_by_default(knowledge):
    """Without free-text channels the privileged Message Content intent is not requested."""
    assert not make_bot(knowledge).intents.message_content


def test_message_content_intent_on_for_free_text_channels(knowledge):
    """Listing free-text channels requests the Message Content intent."""
    bot = make_bot(knowledge, free_text_channel_ids=frozenset({CHANNEL_ID}))
    assert bot.intents.message_content


def test_client_options_reach_discord_py(knowledge):
    """Extra constructor options go to discord.py's client unchanged."""
    bot = create_bot(Settings(), knowledge, guild_ready_timeout=0.1)
    assert bot._connection.guild_ready_timeout == 0.1


def test_no_message_cache_is_kept(knowledge):
    """Nothing reads discord.py's message cache: it is off (the gateway's messages, the
    bot's own replies among them, are not kept), unless a caller asks for one."""
    assert create_bot(Settings(), knowledge)._connection.max_messages is None
    assert create_bot(Settings(), knowledge, max_messages=50)._connection.max_messages == 50


async def test_run_freezes_what_exists_at_the_first_ready_only(knowledge, monkeypatch):
    """`python -m bot run` (its process its own) moves what exists once the bot is first
    ready out of the collector's walks and collects the young less often, once; a bot
    sharing its process (the tests) never."""
    from bot.discord_app import client, runner

    calls: list[object] = []
    monkeypatch.setattr(client.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(client.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(client.gc, "set_threshold", lambda *t: calls.append(t))
    monkeypatch.setattr(client.gc, "get_threshold", lambda: (700, 10, 10))
    shared = create_bot(Settings(), knowledge)
    await shared.on_ready()
    assert calls == []
    own = runner._build(Settings(), knowledge, None)
    for _ in range(3):  # a reconnection is ready again
        await own.on_ready()
    assert calls == ["collect", "freeze", (client.YOUNG_OBJECTS, 10, 10)]


def test_shards_come_from_settings(knowledge):
    """SHARD_COUNT and SHARD_IDS configure the auto-sharded client."""
    bot = make_bot(knowledge, shard_count=4, shard_ids=(1, 3))
    assert (bot.shard_count, bot.shard_ids) == (4, [1, 3])


def test_deployment_docs_give_the_invite_permissions():
    """docs/discord.md's invite link carries exactly the permissions the bot asks for."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "discord.md").read_text()
    link = invite_url(1234).replace("1234", "APPLICATION_ID")
    assert link in docs
    assert f"permissions={INVITE_PERMISSIONS.value}" in link
