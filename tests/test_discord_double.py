"""Tests of the Discord double (tests/discord_double) with a minimal discord.py bot.

The bot here is NOT the project's bot: it is the smallest discord.py ``commands.Bot`` that
exercises what the double implements (app commands, autocomplete, an on_message reply).
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.discord_double import (
    DiscordDouble,
    DoubleTimeoutError,
    fast_http_backoff,
    latency_summary,
    running_bot,
    validate_choices,
    validate_commands,
    validate_message,
)
from tests.discord_double.server import RESUME_PATH

# ------------------------------------------------------------------------ the test bot ----


@app_commands.command(name="echo", description="Repeat a text")
@app_commands.describe(text="What to repeat", times="How many times")
async def echo_cmd(
    interaction: discord.Interaction, text: str, times: app_commands.Range[int, 1, 5] = 1
) -> None:
    await interaction.response.send_message(text * times)


@echo_cmd.autocomplete("text")
async def echo_complete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    count = 30 if current == "many" else 3
    return [
        app_commands.Choice(name=f"{current or 'x'}-{i}", value=f"{current}{i}")
        for i in range(count)
    ]


@app_commands.command(name="twice", description="Acknowledge twice")
async def twice_cmd(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("first")
    # discord.py refuses a second response itself; reset its guard to reach "Discord".
    interaction.response._response_type = None
    try:
        await interaction.response.send_message("second")
    except discord.HTTPException as exc:
        interaction.client.errors.append(exc)  # type: ignore[attr-defined]


@app_commands.command(name="long", description="Answer beyond Discord's limits")
async def long_cmd(interaction: discord.Interaction, what: str) -> None:
    try:
        if what == "content":
            await interaction.response.send_message("x" * 2001)
        else:
            embed = discord.Embed(title="t" * 256, description="d" * 4096)
            for i in range(4):
                embed.add_field(name=f"f{i}", value="v" * 1024)
            await interaction.response.send_message(embed=embed)
    except discord.HTTPException as exc:
        interaction.client.errors.append(exc)  # type: ignore[attr-defined]
        await interaction.response.send_message("sorry, too long")


@app_commands.command(name="slow", description="Answer too late")
async def slow_cmd(interaction: discord.Interaction) -> None:
    await asyncio.sleep(0.5)
    try:
        await interaction.response.send_message("late")
    except discord.HTTPException as exc:
        interaction.client.errors.append(exc)  # type: ignore[attr-defined]


@app_commands.command(name="think", description="Defer, follow up, edit")
async def think_cmd(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.followup.send("thought")
    await interaction.edit_original_response(content="edited")
    await interaction.followup.send("second")


@app_commands.command(name="whois", description="Name a member")
async def whois_cmd(interaction: discord.Interaction, who: discord.Member) -> None:
    await interaction.response.send_message(f"{who.name} in {who.guild.name}")


@app_commands.command(name="attach", description="Answer with a file")
async def attach_cmd(interaction: discord.Interaction) -> None:
    file = discord.File(io.BytesIO(b"knowledge cluster"), filename="kc.txt")
    await interaction.response.send_message("see file", file=file)


@app_commands.command(name="picture", description="Answer with a file of a given size")
@app_commands.describe(size="bytes", image="the embed's image URL")
async def picture_cmd(
    interaction: discord.Interaction, size: int = 8, image: str = "attachment://kc.png"
) -> None:
    file = discord.File(io.BytesIO(b"\x89PNG" + b"\0" * (size - 4)), filename="kc.png")
    embed = discord.Embed(title="map").set_image(url=image)
    await interaction.response.send_message(embed=embed, file=file)


class PanelView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)

    @discord.ui.button(label="Update", custom_id="panel:update")
    async def update(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="updated", view=None)

    @discord.ui.button(label="Later", custom_id="panel:later")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.defer()
        await interaction.followup.send("later", ephemeral=True)


@app_commands.command(name="panel", description="A message with buttons")
async def panel_cmd(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("panel", view=PanelView())


kc_group = app_commands.Group(name="kc", description="Knowledge clusters")
kc_sources = app_commands.Group(name="sources", description="Sources", parent=kc_group)


@kc_group.command(name="about", description="About a cluster")
async def kc_about(interaction: discord.Interaction, name: str) -> None:
    await interaction.response.send_message(f"about {name}")


@kc_sources.command(name="list", description="List sources")
async def kc_sources_list(interaction: discord.Interaction, limit: int = 3) -> None:
    await interaction.response.send_message(f"{limit} sources", ephemeral=True)


class _MiniMixin:
    """Shared behaviour: records messages and errors; replies "pong" to "ping"."""

    errors: list[Exception]
    seen: list[discord.Message]
    user: discord.ClientUser | None

    def _setup_mini(self, tree: app_commands.CommandTree) -> None:
        self.errors = []
        self.seen = []
        for command in (
            echo_cmd,
            twice_cmd,
            long_cmd,
            slow_cmd,
            think_cmd,
            whois_cmd,
            attach_cmd,
            picture_cmd,
            panel_cmd,
            kc_group,
        ):
            tree.add_command(command)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before every non-initial IDENTIFY (2nd shard, re-identify after
        INVALID_SESSION) to respect Discord's identify rate limit; the double has none."""

    async def on_message(self, message: discord.Message) -> None:  # no prefix commands
        if message.author == self.user:
            return
        self.seen.append(message)
        if "react" in message.content:
            await message.add_reaction("\N{THUMBS UP SIGN}")
        if "ping" in message.content:
            try:
                await message.channel.send("pong")
            except discord.HTTPException as exc:
                self.errors.append(exc)


def _bot_kwargs(message_content: bool, kwargs: dict[str, Any]) -> dict[str, Any]:
    intents = discord.Intents.default()
    intents.message_content = message_content
    intents.members = kwargs.pop("members", False)
    return {
        "command_prefix": commands.when_mentioned,
        "intents": intents,
        "allowed_mentions": discord.AllowedMentions.none(),
        "help_command": None,
        **kwargs,
    }


class MiniBot(_MiniMixin, commands.Bot):
    def __init__(self, *, message_content: bool = False, **kwargs: Any) -> None:
        super().__init__(**_bot_kwargs(message_content, kwargs))
        self._setup_mini(self.tree)


class MiniShardedBot(_MiniMixin, commands.AutoShardedBot):
    def __init__(self, *, message_content: bool = False, **kwargs: Any) -> None:
        super().__init__(**_bot_kwargs(message_content, kwargs))
        self._setup_mini(self.tree)


def mini_bot(**kwargs: Any) -> MiniBot:
    """Bot factory: forwards ``guild_ready_timeout`` (and anything else) to discord.Client."""
    return MiniBot(**kwargs)


async def eventually(predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll a bot-side condition (bounded)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (result := predicate()):
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
    return result


# ---------------------------------------------------------------------------- fixtures ----

_ALWAYS_ALLOWED = ("voice will NOT be supported",)


@pytest.fixture(autouse=True)
def expected_logs(caplog: pytest.LogCaptureFixture):
    """Fail a test on any warning/error logged by discord.py (a wrongly shaped payload shows
    up there); a test appends substrings of the warnings it expects to the yielded list."""
    caplog.set_level(logging.INFO)
    expected: list[str] = []
    yield expected
    records = caplog.get_records("setup") + caplog.get_records("call")
    unexpected = [
        f"{r.name}: {r.getMessage()}"
        for r in records
        if r.name.startswith("discord")
        and r.levelno >= logging.WARNING
        and not any(s in r.getMessage() for s in (*_ALWAYS_ALLOWED, *expected))
    ]
    assert not unexpected, "discord.py logged:\n" + "\n".join(unexpected)


# ------------------------------------------------------------------------------- tests ----


@pytest.mark.parametrize("compression", [False, True])
async def test_login_ready_and_guild_available(compression: bool) -> None:
    """The bot logs in, IDENTIFYs, gets READY and its guild (text or zlib-stream frames)."""
    async with DiscordDouble(transport_compression=compression) as double:
        async with running_bot(double, mini_bot) as bot:
            assert bot.user is not None
            assert bot.user.id == double.bot_user.id
            assert bot.application_id == double.application_id
            guild = bot.get_guild(double.guild.id)
            assert guild is not None
            assert not guild.unavailable
            assert guild.member_count == len(double.guild.members)
            assert guild.me is not None
            assert {c.name for c in guild.text_channels} == {"general", "random"}
            assert guild.default_role.id == guild.id
            assert bot.latency < 5
            assert bot.ws is not None
            assert bot.ws.sequence == double.sequence(0) == 2  # READY, GUILD_CREATE
        [identify] = double.identifies
        assert identify.data["intents"] == discord.Intents.default().value
        assert identify.query["v"] == "10"
        assert identify.query["encoding"] == "json"
        assert identify.path == "/"
        assert double.heartbeats >= 1
        double.assert_clean()


async def test_members_intent_needs_no_chunking(discord_double: DiscordDouble) -> None:
    """With the members intent every member comes in GUILD_CREATE, so no chunk is requested."""
    double = discord_double
    async with running_bot(double, lambda **kw: MiniBot(members=True, **kw)) as bot:
        guild = bot.get_guild(double.guild.id)
        assert guild is not None
        assert guild.chunked
        assert {m.name for m in guild.members} == {u.username for u in double.guild.members}
        await guild.chunk()  # a no-op when chunked; must not hang
    assert double.intents(0) & (1 << 1)
    double.assert_clean()


async def test_slash_command_response(discord_double: DiscordDouble) -> None:
    """A dispatched slash command's callback is recorded with the expected content."""
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("echo", {"text": "hi", "times": 3})
        response = await rec.wait_response()
        assert response["type"] == 4
        assert response["data"]["content"] == "hihihi"
        assert response["data"]["allowed_mentions"] == {"parse": []}
        assert rec.content == "hihihi"
        assert rec.ack_latency is not None
        assert 0 <= rec.ack_latency < 3
        message = await double.next_message()
        assert message["content"] == "hihihi"
        assert message["type"] == 20
    assert double.latency_summary()["count"] == 1
    double.assert_clean()


async def test_member_option_and_subcommands(discord_double: DiscordDouble) -> None:
    """A member option comes with resolved data; sub-command (group) paths are dispatched."""
    double = discord_double
    bob = double.users[2]
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("whois", {"who": bob})
        assert (await rec.wait_response())["data"]["content"] == f"bob in {double.guild.name}"
        rec = await double.dispatch_interaction("kc about", {"name": "Kyoto"})
        assert (await rec.wait_response())["data"]["content"] == "about Kyoto"
        rec = await double.dispatch_interaction("kc sources list", {"limit": 7})
        response = await rec.wait_response()
        assert response["data"]["content"] == "7 sources"
        assert response["data"]["flags"] == 64
        assert double.messages_in(double.channel)[-1]["flags"] & 64
    double.assert_clean()


async def test_file_upload_multipart(discord_double: DiscordDouble) -> None:
    """A response with a file is multipart: payload_json is parsed and the file recorded."""
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("attach")
        response = await rec.wait_response()
        assert response["data"]["content"] == "see file"
        [request] = double.requests_matching("POST /interactions/*/callback")
        [upload] = request.files
        assert upload["filename"] == "kc.txt"
        assert upload["data"] == b"knowledge cluster"
        [attachment] = rec.original["attachments"] if rec.original else []
        assert attachment["filename"] == "kc.txt"
        assert attachment["size"] == len(b"knowledge cluster")
    double.assert_clean()


async def test_embed_image_from_an_attached_file(discord_double: DiscordDouble) -> None:
    """An embed showing `attachment://kc.png` with that file attached: the upload and its
    `attachments` entry are recorded, and the stored embed points at the attachment's URL."""
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("picture", {"size": 2048})
        response = await rec.wait_response()
        assert response["data"]["embeds"][0]["image"]["url"] == "attachment://kc.png"
        assert [entry["filename"] for entry in response["data"]["attachments"]] == ["kc.png"]
        [upload] = rec.uploads
        assert (upload["name"], upload["filename"], upload["size"]) == ("files[0]", "kc.png", 2048)
        assert rec.original is not None
        [attachment] = rec.original["attachments"]
        assert rec.original["embeds"][0]["image"]["url"] == attachment["url"]
    double.assert_clean()


async def test_attachment_over_the_upload_limit_is_refused(
    discord_double: DiscordDouble, expected_logs: list[str]
) -> None:
    """A file over 10 MiB gets Discord's 413 (40005) and is recorded as a violation."""
    expected_logs.append("Ignoring exception in command 'picture'")
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("picture", {"size": 10 * 1024 * 1024 + 1})
        await double.wait_for(lambda: double.pop_violations("attachment_too_large") or None)
        assert rec.response is None
        [request] = double.requests_matching("POST /interactions/*/callback")
        assert request.status == 413
    double.assert_clean(allow_pending=True)


async def test_embed_image_naming_no_uploaded_file_is_refused(
    discord_double: DiscordDouble, expected_logs: list[str]
) -> None:
    """`attachment://other.png` when only kc.png is uploaded: Discord would show no picture;
    the double refuses it with a form error on the embed's image URL."""
    expected_logs.append("Ignoring exception in command 'picture'")
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("picture", {"image": "attachment://other.png"})
        [violation] = await double.wait_for(
            lambda: double.pop_violations("invalid_interaction_response") or None
        )
        assert "embeds.0.image.url" in violation.detail
        assert rec.response is None
    double.assert_clean(allow_pending=True)


async def test_button_components(discord_double: DiscordDouble) -> None:
    """Buttons on a command's response: an UPDATE_MESSAGE edit and a deferred update."""
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("panel")
        await rec.wait_response()
        panel = rec.original
        assert panel is not None
        assert panel["components"][0]["components"][0]["custom_id"] == "panel:update"
        later = await double.dispatch_component(panel, "panel:later")
        assert (await later.wait_response())["type"] == 6
        assert (await later.wait_followup())["content"] == "later"
        click = await double.dispatch_component(panel, "panel:update")
        response = await click.wait_response()
        assert response["type"] == 7
        assert response["data"]["content"] == "updated"
        assert panel["content"] == "updated"
        assert panel["components"] == []
    double.assert_clean()


async def test_autocomplete_choices(discord_double: DiscordDouble) -> None:
    """An autocomplete interaction records the choices the bot offered."""
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_autocomplete("echo", {"text": "ky"}, focused="text")
        response = await rec.wait_response()
        assert response["type"] == 8
        assert rec.choices == [{"name": f"ky-{i}", "value": f"ky{i}"} for i in range(3)]
        focused = rec.payload["data"]["options"][0]
        assert focused == {"name": "text", "type": 3, "value": "ky", "focused": True}
    double.assert_clean()


async def test_autocomplete_too_many_choices(
    discord_double: DiscordDouble, expected_logs: list[str]
) -> None:
    """More than 25 autocomplete choices is answered 400 and recorded as a violation."""
    expected_logs.append("Ignoring exception in autocomplete")
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_autocomplete("echo", {"text": "many"}, focused="text")
        await double.wait_for(lambda: rec.rejected_callbacks, what="the rejected callback")
        assert rec.response is None
    [violation] = double.pop_violations("invalid_interaction_response")
    assert "data.choices" in violation.detail
    assert "25 or fewer" in violation.detail


async def test_second_acknowledgement_is_40060(discord_double: DiscordDouble) -> None:
    """A second callback for one interaction gets Discord's 40060 error at the client."""
    double = discord_double
    async with running_bot(double, mini_bot) as bot:
        rec = await double.dispatch_interaction("twice")
        assert (await rec.wait_response())["data"]["content"] == "first"
        [error] = await eventually(lambda: bot.errors)
        assert isinstance(error, discord.HTTPException)
        assert error.status == 400
        assert error.code == 40060
    [violation] = double.pop_violations("interaction_already_acknowledged")
    assert violation.route is not None
    assert violation.route.endswith("/callback")
    double.assert_clean()


@pytest.mark.parametrize("what", ["content", "embed"])
async def test_message_limits_violation(discord_double: DiscordDouble, what: str) -> None:
    """Content over 2000 chars or embeds over 6000 chars are refused (50035) and recorded."""
    double = discord_double
    async with running_bot(double, mini_bot) as bot:
        rec = await double.dispatch_interaction("long", {"what": what})
        assert (await rec.wait_response())["data"]["content"] == "sorry, too long"
        [error] = bot.errors
        assert isinstance(error, discord.HTTPException)
        assert error.code == 50035
    [violation] = double.pop_violations("invalid_interaction_response")
    if what == "content":
        assert "data.content: Must be 2000 or fewer in length." in violation.detail
    else:
        assert "Embed size exceeds maximum size of 6000" in violation.detail
    double.assert_clean()


async def test_allowed_mentions_required() -> None:
    """A message without allowed_mentions is refused and recorded (project policy)."""
    async with DiscordDouble() as double:
        bot_factory = lambda **kw: MiniBot(allowed_mentions=None, **kw)  # noqa: E731
        async with running_bot(double, bot_factory) as bot:
            await double.dispatch_message("ping", mention_bot=True)
            [error] = await eventually(lambda: bot.errors)
            assert isinstance(error, discord.HTTPException)
            assert error.status == 400
        [violation] = double.pop_violations("invalid_message")
        assert "allowed_mentions" in violation.detail
        double.assert_clean()


async def test_content_blanked_without_intent(discord_double: DiscordDouble) -> None:
    """Without MESSAGE_CONTENT, an unmentioned guild message arrives with empty content."""
    double = discord_double
    async with running_bot(double, mini_bot) as bot:
        delivery = await double.dispatch_message("hello ping", embeds=[{"title": "e"}])
        assert delivery is not None
        assert delivery.data["content"] == ""
        assert delivery.data["embeds"] == []
        [message] = await eventually(lambda: bot.seen)
        assert message.content == ""
        assert message.embeds == []
        assert message.guild is not None
        assert message.guild.id == double.guild.id
    assert double.messages == []  # "ping" was invisible, so no reply
    double.assert_clean()


async def test_content_kept_with_intent(discord_double: DiscordDouble) -> None:
    """With MESSAGE_CONTENT, an unmentioned guild message keeps its content."""
    double = discord_double
    async with running_bot(double, lambda **kw: MiniBot(message_content=True, **kw)) as bot:
        await double.dispatch_message("hello ping")
        [message] = await eventually(lambda: bot.seen)
        assert message.content == "hello ping"
        assert (await double.next_message())["content"] == "pong"
    double.assert_clean()


async def test_mention_keeps_content_and_reply(discord_double: DiscordDouble) -> None:
    """A message mentioning the bot keeps its content; the bot's reply is recorded."""
    double = discord_double
    async with running_bot(double, mini_bot) as bot:
        await double.dispatch_message("ping", mention_bot=True)
        reply = await double.next_message(double.channel)
        assert reply["content"] == "pong"
        assert reply["author"]["id"] == str(double.bot_user.id)
        [message] = bot.seen
        assert message.content == f"<@{double.bot_user.id}> ping"
        assert bot.user in message.mentions
        # Like Discord, the bot's own reply came back over the gateway (and was ignored).
        assert [d.data["content"] for d in double.deliveries if d.event == "MESSAGE_CREATE"][
            -1
        ] == "pong"
    double.assert_clean()


async def test_reaction_recorded(discord_double: DiscordDouble) -> None:
    """A reaction the bot adds to a user's message is recorded."""
    double = discord_double
    async with running_bot(double, mini_bot):
        delivery = await double.dispatch_message("react", mention_bot=True)
        assert delivery is not None
        await double.wait_for(lambda: double.reactions, what="a reaction")
        assert double.reactions == [
            {
                "channel_id": double.channel.id,
                "message_id": int(delivery.data["id"]),
                "emoji": "\N{THUMBS UP SIGN}",
            }
        ]
    double.assert_clean()


async def test_direct_message(discord_double: DiscordDouble) -> None:
    """A DM keeps its content without the intent; the reply goes to the DM channel."""
    double = discord_double
    async with running_bot(double, mini_bot) as bot:
        await double.dispatch_message("ping", dm=True)
        dm = double.dm_channel(double.user)
        reply = await double.next_message(dm)
        assert reply["content"] == "pong"
        [message] = bot.seen
        assert isinstance(message.channel, discord.DMChannel)
        assert message.guild is None
        assert message.content == "ping"
        assert message.author.id == double.user.id
    double.assert_clean()


async def test_dm_interaction(discord_double: DiscordDouble) -> None:
    """A slash command used in a DM carries ``user`` instead of ``member`` and is answered."""
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("echo", {"text": "dm"}, dm=True)
        assert (await rec.wait_response())["data"]["content"] == "dm"
        assert "member" not in rec.payload
        assert rec.payload["user"]["id"] == str(double.user.id)
    double.assert_clean()


async def test_deferred_followup_and_edit(discord_double: DiscordDouble) -> None:
    """defer → follow-up (replaces the thinking message) → edit → second follow-up."""
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("think")
        assert (await rec.wait_response())["type"] == 5
        assert (await rec.wait_followup(1))["content"] == "thought"
        assert (await rec.wait_edit(1))["content"] == "edited"
        assert (await rec.wait_followup(2))["content"] == "second"
        assert rec.content == "edited"
        contents = [m["content"] for m in double.messages_in(double.channel)]
        assert contents == ["edited", "second"]
    double.assert_clean()


async def test_command_sync_recorded(discord_double: DiscordDouble) -> None:
    """tree.sync() and tree.sync(guild=...) are recorded and echoed back with ids."""
    double = discord_double
    async with running_bot(double, mini_bot) as bot:
        synced = await bot.tree.sync()
        assert {c.name for c in synced} == {
            "echo",
            "twice",
            "long",
            "slow",
            "think",
            "whois",
            "attach",
            "picture",
            "panel",
            "kc",
        }
        assert all(c.id for c in synced)
        sync = await double.wait_for_sync()
        echo = next(c for c in sync.payload if c["name"] == "echo")
        assert [o["name"] for o in echo["options"]] == ["text", "times"]
        assert echo["options"][0]["autocomplete"] is True
        assert echo["options"][1]["min_value"] == 1
        assert echo["options"][1]["max_value"] == 5

        guild = discord.Object(double.guild.id)
        bot.tree.copy_global_to(guild=guild)
        guild_synced = await bot.tree.sync(guild=guild)
        assert all(c.guild_id == double.guild.id for c in guild_synced)
        assert (await double.wait_for_sync(guild=double.guild)).guild_id == double.guild.id
        assert {c["name"] for c in double.guild_commands[double.guild.id]} == {
            c.name for c in synced
        }
        # A dispatched command now resolves to the guild command, and still works.
        rec = await double.dispatch_interaction("echo", {"text": "g"})
        assert rec.payload["data"]["guild_id"] == str(double.guild.id)
        assert (await rec.wait_response())["data"]["content"] == "g"
    double.assert_clean()


async def test_invalid_commands_rejected(discord_double: DiscordDouble) -> None:
    """A command body Discord would refuse (bad name) is answered 50035 and recorded."""
    double = discord_double
    async with running_bot(double, mini_bot) as bot:
        assert bot.application_id is not None
        with pytest.raises(discord.HTTPException) as info:
            await bot.http.bulk_upsert_global_commands(
                bot.application_id, [{"name": "Bad Name", "description": "x", "type": 1}]
            )
        assert info.value.code == 50035
    [violation] = double.pop_violations("invalid_commands")
    assert "0.name" in violation.detail
    double.assert_clean()


async def test_429_on_callback_is_retried(
    discord_double: DiscordDouble, expected_logs: list[str]
) -> None:
    """A 429 with Retry-After on the callback: discord.py waits, retries, the answer lands."""
    expected_logs.append("rate limited")
    double = discord_double
    double.inject_429("POST /interactions/*/callback", times=1, retry_after=0.3)
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("echo", {"text": "rl"})
        assert (await rec.wait_response())["data"]["content"] == "rl"
        attempts = double.requests_matching("POST /interactions/*/callback")
        assert [r.status for r in attempts] == [429, 200]
        assert attempts[1].at - attempts[0].at >= 0.3
        assert rec.ack_latency is not None
        assert rec.ack_latency >= 0.3
    double.assert_clean()


async def test_500_on_send_raises_after_retries(discord_double: DiscordDouble) -> None:
    """Five 500s on message send: discord.py retries then raises DiscordServerError."""
    double = discord_double
    double.inject_500("POST /channels/*/messages", times=5)
    with fast_http_backoff():
        async with running_bot(double, mini_bot) as bot:
            await double.dispatch_message("ping", mention_bot=True)
            [error] = await eventually(lambda: bot.errors)
            assert isinstance(error, discord.DiscordServerError)
            assert error.status == 500
            assert len(double.requests_matching("POST /channels/*/messages")) == 5
            assert double.messages == []
    double.assert_clean()


async def test_single_500_is_retried(discord_double: DiscordDouble) -> None:
    """One 500 on message send is retried transparently by discord.py."""
    double = discord_double
    double.inject_500("POST /channels/*/messages", times=1)
    with fast_http_backoff():
        async with running_bot(double, mini_bot) as bot:
            await double.dispatch_message("ping", mention_bot=True)
            assert (await double.next_message())["content"] == "pong"
            assert bot.errors == []
    double.assert_clean()


@pytest.mark.parametrize(
    "fault", ["drop_1006", "close_4000", "reconnect_op7", "invalid_session_resumable"]
)
async def test_resume_after_disconnect(discord_double: DiscordDouble, fault: str) -> None:
    """After a dropped/closed connection the client RESUMEs, missed events are replayed and
    later interactions still work."""
    double = discord_double
    async with running_bot(double, mini_bot) as bot:
        if fault == "drop_1006":
            await double.drop_connection(0)
        elif fault == "close_4000":
            await double.close_connection(0, code=4000)
        elif fault == "reconnect_op7":
            await double.request_reconnect(0)
        else:
            await double.invalidate_session(0, resumable=True)
        # Sent while the client is (or is about to be) away: replayed on RESUME.
        await double.dispatch_message("missed", mention_bot=True)
        resume = await double.wait_for_resume()
        assert resume.path == RESUME_PATH
        assert resume.data["session_id"] == double.deliveries[0].session_id  # READY's
        [message] = await eventually(lambda: bot.seen)
        assert message.content.endswith("missed")
        await double.wait_connected(0)
        rec = await double.dispatch_interaction("echo", {"text": "after"})
        assert (await rec.wait_response())["data"]["content"] == "after"
        await eventually(lambda: bot.ws is not None and bot.ws.sequence == double.sequence(0))
    assert len([i for i in double.identifies if i.accepted]) == 1
    double.assert_clean()


async def test_invalid_session_reidentifies(discord_double: DiscordDouble) -> None:
    """INVALID_SESSION (d=false) makes the client IDENTIFY again and get a new READY."""
    double = discord_double
    async with running_bot(double, mini_bot):
        await double.invalidate_session(0, resumable=False)
        second = await double.wait_for_identify(2)
        assert second.accepted
        await double.wait_connected(0)
        rec = await double.dispatch_interaction("echo", {"text": "new session"})
        assert (await rec.wait_response())["data"]["content"] == "new session"
    assert double.resumes == []
    double.assert_clean()


async def test_two_shards_route_guild_events() -> None:
    """With AutoShardedBot and two shards, each guild's events arrive on its own shard."""
    async with DiscordDouble(shard_count=2) as double:
        assert [g.shard_id(2) for g in double.guilds] == [0, 1]
        async with running_bot(double, MiniShardedBot) as bot:
            assert bot.shard_count == 2
            assert sorted(i.data["shard"] for i in double.identifies) == [[0, 2], [1, 2]]
            assert len({c["number"] for c in double.connections}) == 2
            for guild in double.guilds:
                delivery = await double.dispatch_message(
                    "ping", mention_bot=True, channel=guild.text_channel
                )
                assert delivery is not None
                assert delivery.shard_id == guild.shard_id(2)
                assert (await double.next_message(guild.text_channel))["content"] == "pong"
                rec = await double.dispatch_interaction(
                    "echo", {"text": guild.name}, channel=guild.text_channel
                )
                assert (await rec.wait_response())["data"]["content"] == guild.name
            assert [m.guild.shard_id for m in bot.seen if m.guild] == [0, 1]
            await double.close_connection(1, code=4000)
            await double.wait_for_resume(shard_id=1)
            await double.wait_connected(1)
            rec = await double.dispatch_interaction(
                "echo", {"text": "s1"}, channel=double.guilds[1].text_channel
            )
            assert (await rec.wait_response())["data"]["content"] == "s1"
        double.assert_clean()


async def test_late_acknowledgement_is_violation() -> None:
    """A callback after the ack deadline gets 10062 Unknown interaction and is recorded."""
    async with DiscordDouble(ack_deadline=0.3) as double:
        async with running_bot(double, mini_bot) as bot:
            rec = await double.dispatch_interaction("slow")
            [error] = await eventually(lambda: bot.errors)
            assert isinstance(error, discord.NotFound)
            assert error.code == 10062
            assert rec.response is None
        [violation] = double.pop_violations("interaction_not_acknowledged")
        assert "/slow" in violation.detail
        double.assert_clean()


async def test_unhandled_route_recorded(discord_double: DiscordDouble) -> None:
    """A route the double does not implement is answered 404 and fails assert_clean()."""
    double = discord_double
    async with running_bot(double, mini_bot) as bot:
        with pytest.raises(discord.NotFound):
            await bot.fetch_premium_sticker_packs()
    assert double.unhandled_routes == ["GET /sticker-packs"]
    with pytest.raises(AssertionError, match="unhandled route: GET /sticker-packs"):
        double.assert_clean()


async def test_disallowed_privileged_intent() -> None:
    """Requesting a privileged intent the app lacks closes the gateway with 4014."""
    async with DiscordDouble(privileged_intents=0) as double:
        with pytest.raises(discord.PrivilegedIntentsRequired):
            async with running_bot(double, lambda **kw: MiniBot(message_content=True, **kw)):
                pass
        assert [i.accepted for i in double.identifies] == [False]


async def test_unacknowledged_interaction_fails_assert_clean(
    discord_double: DiscordDouble, expected_logs: list[str]
) -> None:
    """An interaction the bot never answered makes assert_clean() fail."""
    expected_logs.append("Ignoring exception in command tree")  # CommandNotFound
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("no-such-command")
        with pytest.raises(DoubleTimeoutError):
            await rec.wait_response(timeout=0.2)
    assert double.pending_interactions() == [rec]
    with pytest.raises(AssertionError, match="never acknowledged"):
        double.assert_clean()
    double.assert_clean(allow_pending=True)


async def test_wait_times_out_quickly(discord_double: DiscordDouble) -> None:
    """Waits on the double are bounded and say what they waited for."""
    with pytest.raises(DoubleTimeoutError, match="a message in channel"):
        await discord_double.next_message(timeout=0.05)


def test_validators() -> None:
    """The limit checks agree with Discord's documented limits."""
    ok = {"content": "x" * 2000, "allowed_mentions": {"parse": []}}
    assert validate_message(ok) == {}
    assert "content" in validate_message({**ok, "content": "x" * 2001})
    assert "allowed_mentions" in validate_message({"content": "hi"})
    assert validate_message({"content": "hi"}, require_allowed_mentions=False) == {}
    assert validate_message({"allowed_mentions": {}})["__empty__"]
    fields = [{"name": "n", "value": "v"}] * 26
    errors = validate_message({**ok, "embeds": [{"fields": fields}] * 11})
    assert "fields" in errors["embeds"]["0"]
    assert "_errors" in errors["embeds"]
    embed = {
        "title": "t" * 257,
        "description": "d" * 4097,
        "footer": {"text": "f" * 2049},
        "author": {"name": "a" * 257},
        "fields": [{"name": "n" * 257, "value": "v" * 1025}],
    }
    bad = validate_message({**ok, "embeds": [embed]})["embeds"]["0"]
    assert set(bad) == {"title", "description", "footer", "author", "fields"}
    assert validate_choices([{"name": "a", "value": "b"}] * 25) == {}
    assert "_errors" in validate_choices([{"name": "a", "value": "b"}] * 26)["choices"]
    assert "name" in validate_choices([{"name": "", "value": "b"}])["choices"]["0"]
    assert "value" in validate_choices([{"name": "a", "value": "v" * 101}])["choices"]["0"]
    assert validate_commands([{"name": "ask", "description": "Ask", "type": 1}]) == {}
    assert "name" in validate_commands([{"name": "Ask", "description": "Ask"}])["0"]
    assert latency_summary([0.1, 0.2, 0.3, 0.4])["p50"] == 0.2
    assert latency_summary([])["count"] == 0


def _button(custom_id: str | None, **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 2, "label": "ok", "custom_id": custom_id, **extra}


def test_component_limits_are_enforced():
    """Buttons as Discord checks them: rows, ids, labels, duplicates, link buttons."""
    base = {"content": "hi", "allowed_mentions": {"parse": []}}

    def errors(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return validate_message({**base, "components": rows})

    assert errors([{"type": 1, "components": [_button("a"), _button("b")]}]) == {}
    assert "components" in errors([{"type": 1, "components": [_button("x")]}] * 6)
    assert errors([{"type": 1, "components": [_button(f"{i}") for i in range(6)]}])
    assert errors([{"type": 1, "components": [_button("x" * 101)]}])
    assert errors([{"type": 1, "components": [_button("same"), _button("same")]}])
    assert errors([{"type": 1, "components": [_button("a", label="x" * 81)]}])
    assert errors([{"type": 1, "components": [_button(None)]}])
    link = {"type": 2, "style": 5, "label": "docs", "url": "https://example.com"}
    assert errors([{"type": 1, "components": [link]}]) == {}


async def test_a_click_must_be_on_a_component_the_message_shows(discord_double):
    """The double, like Discord's clients, cannot click a button a message does not show."""
    double = discord_double
    async with running_bot(double, mini_bot):
        rec = await double.dispatch_interaction("panel")
        await rec.wait_response()
        with pytest.raises(ValueError, match="has no component 'panel:forged'"):
            await double.dispatch_component(rec.original, "panel:forged")
    double.assert_clean()
