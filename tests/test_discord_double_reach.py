"""The Discord double's components, message commands and installations, with a minimal
discord.py bot (not the project's): what Discord enforces, the double enforces."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.discord_double import DiscordDouble, running_bot, validate_commands, validate_message

NONE = discord.AllowedMentions.none()


def row(*items: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(items)}


def button(custom_id: str, label: str = "Go", **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 2, "label": label, "custom_id": custom_id, **extra}


def menu(custom_id: str, count: int) -> dict[str, Any]:
    options = [{"label": f"o{i}", "value": f"v{i}"} for i in range(count)]
    return {"type": 3, "custom_id": custom_id, "options": options}


def errors_of(components: list[dict[str, Any]]) -> dict[str, Any]:
    return validate_message({"content": "x", "allowed_mentions": {}, "components": components})


# ------------------------------------------------------------------------ component limits ----


def test_components_within_discords_limits_pass():
    rows = [row(*(button(f"b{r}{i}") for i in range(5))) for r in range(4)]
    assert errors_of([*rows, row(menu("m", 25))]) == {}


@pytest.mark.parametrize(
    ("components", "where"),
    [
        ([row(button(f"b{r}")) for r in range(6)], "components"),  # 6 rows
        ([row(*(button(f"b{i}") for i in range(6)))], "components.0.components"),
        ([row(menu("m", 3), button("b"))], "components.0.components"),  # select not alone
        ([row(menu("m", 26))], "components.0.components.0.options"),
        ([row(menu("m", 0))], "components.0.components.0.options"),
        ([row(button("x" * 101))], "components.0.components.0.custom_id"),
        ([row(button("same"), button("same"))], "components.0.components.1.custom_id"),
        ([row(button("b", label="x" * 81))], "components.0.components.0.label"),
        ([row({"type": 2, "style": 2, "label": "no id"})], "components.0.components.0"),
        (
            [row({"type": 2, "style": 5, "label": "l", "custom_id": "c"})],
            "components.0.components.0",
        ),  # a link button needs a url, not a custom_id
        ([row({**menu("m", 2), "max_values": 3})], "components.0.components.0.max_values"),
        ([{"type": 2, "custom_id": "x", "label": "not in a row"}], "components.0"),
    ],
)
def test_components_beyond_discords_limits_are_refused(components, where):
    from tests.discord_double.limits import flatten

    problems = flatten(errors_of(components))
    assert any(p.startswith(f"{where}:") for p in problems), problems


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("integration_types", [0, 1], True),
        ("integration_types", [2], False),
        ("integration_types", [], False),
        ("contexts", [0, 1, 2], True),
        ("contexts", [3], False),
    ],
)
def test_sync_checks_install_types_and_contexts(field, value, ok):
    command = {"name": "ask", "description": "Ask", "type": 1, field: value}
    assert (validate_commands([command]) == {}) is ok


# --------------------------------------------------------------------------- the test bot ----


class Panel(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.add_item(discord.ui.Button(label="Go", custom_id="p:go"))
        select = discord.ui.Select(
            custom_id="p:pick",
            options=[
                discord.SelectOption(label="One", value="1"),
                discord.SelectOption(label="Two", value="2"),
            ],
        )
        self.add_item(select)


class ReachBot(commands.Bot):
    """Answers /panel with components, "Quote" on a message, and /where from anywhere."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=NONE,
            help_command=None,
            **kwargs,
        )
        self.clicks: list[tuple[str, list[str]]] = []

        @app_commands.command(name="panel", description="Components")
        async def panel(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("panel", view=Panel(), ephemeral=True)

        @app_commands.context_menu(name="Quote")
        async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(f"quoted: {message.content}")

        @app_commands.command(name="where", description="Where am I used")
        @app_commands.allowed_installs(guilds=True, users=True)
        @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
        async def where(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(
                f"guild install {interaction.is_guild_integration()}, user install "
                f"{interaction.is_user_integration()}",
                ephemeral=True,
            )

        @app_commands.command(name="serveronly", description="Guild installs only")
        async def serveronly(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("ok")

        for command in (panel, quote, where, serveronly):
            self.tree.add_command(command)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.component:
            data = interaction.data or {}
            self.clicks.append((data.get("custom_id"), data.get("values") or []))
            await interaction.response.send_message("clicked", ephemeral=True)


def reach_bot(**kwargs: Any) -> ReachBot:
    return ReachBot(**kwargs)


@pytest.fixture
async def double():
    async with DiscordDouble() as started:
        yield started


async def test_clicks_only_on_components_the_message_carries(double):
    async with running_bot(double, reach_bot) as bot:
        await bot.tree.sync()
        record = await double.dispatch_interaction("panel")
        await record.wait_response()
        panel = record.original
        click = await double.dispatch_component(panel, "p:go")
        await click.wait_response()
        pick = await double.dispatch_component(panel, "p:pick", component_type=3, values=["2"])
        await pick.wait_response()
        with pytest.raises(ValueError, match="no component"):
            await double.dispatch_component(panel, "p:forged")
        with pytest.raises(ValueError, match="not a valid pick"):
            await double.dispatch_component(panel, "p:pick", component_type=3, values=["9"])
        with pytest.raises(ValueError, match="ephemeral"):
            await double.dispatch_component(panel, "p:go", user=double.users[2])
    assert bot.clicks == [("p:go", []), ("p:pick", ["2"])]
    double.assert_clean()


async def test_a_message_command_brings_the_whole_target(double):
    async with running_bot(double, reach_bot) as bot:
        await bot.tree.sync()
        target = await double.dispatch_message("what is a cluster?")  # blanked for the bot
        assert target.data["content"] == ""
        record = await double.dispatch_message_command("Quote", int(target.data["id"]))
        body = await record.wait_response()
        with pytest.raises(KeyError, match="no message command"):
            await double.dispatch_message_command("Nope", int(target.data["id"]))
    data = record.payload["data"]
    assert data["type"] == 3
    assert data["resolved"]["messages"][data["target_id"]]["content"] == "what is a cluster?"
    assert body["data"]["content"] == "quoted: what is a cluster?"
    double.assert_clean()


async def test_installations_and_contexts(double):
    elsewhere = double.add_guild("Elsewhere", bot_member=False)
    group = double.group_dm(double.user, double.users[2])
    async with running_bot(double, reach_bot) as bot:
        await bot.tree.sync()
        sync = {c["name"]: c for c in double.command_syncs[-1].payload}
        assert sync["where"]["integration_types"] == [0, 1]
        assert sync["where"]["contexts"] == [0, 1, 2]
        own = await double.dispatch_interaction(
            "where", channel=elsewhere.text_channel, installed_by="user"
        )
        body = await own.wait_response()
        in_group = await double.dispatch_interaction("where", channel=group, installed_by="user")
        await in_group.wait_response()
        with pytest.raises(ValueError, match="not installed"):
            await double.dispatch_interaction("where", channel=elsewhere.text_channel)
        with pytest.raises(ValueError, match="not offered to installation type 1"):
            await double.dispatch_interaction("serveronly", installed_by="user")
    assert own.payload["authorizing_integration_owners"] == {"1": str(double.user.id)}
    assert own.payload["context"] == 0
    assert body["data"]["content"] == "guild install False, user install True"
    assert in_group.payload["context"] == 2
    assert "guild_id" not in in_group.payload
    double.assert_clean()


async def test_the_portal_must_allow_user_installs():
    async with DiscordDouble(install_types=(0,)) as double:
        async with running_bot(double, reach_bot) as bot:
            await bot.tree.sync()
            with pytest.raises(ValueError, match="portal"):
                await double.dispatch_interaction("where", installed_by="user")
        double.assert_clean()
