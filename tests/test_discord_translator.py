"""Slash-command localizations from the catalogues (bot/discord_app/translator.py)."""

from __future__ import annotations

import logging

import discord
import pytest
from discord import app_commands

from bot.app import Application
from bot.discord_app.client import KCBot, create_bot
from bot.discord_app.translator import CatalogueTranslator, message_id, valid_name
from bot.engine.answer import Msg
from bot.i18n.words import COMMAND_CHOICES, COMMAND_OPTIONS
from tests.support import english, shipped_knowledge


@pytest.fixture
async def bot() -> KCBot:
    bot = create_bot(discord_settings(), shipped_knowledge())
    await bot.setup_hook()
    return bot


def discord_settings():
    from bot.config import Settings

    return Settings()


async def payloads(bot: KCBot, kind=discord.AppCommandType.chat_input) -> dict[str, dict]:
    tree = bot.tree
    return {
        c.name: await c.get_translated_payload(tree, tree.translator)
        for c in tree.get_commands(type=kind)
    }


def test_the_catalogue_knows_every_command_of_the_tree():
    """Each registered command and option has its catalogue words (a new command that
    forgets them fails here)."""
    assert set(COMMAND_OPTIONS) >= {"ask", "contact", "region", "stage", "field", "about"}


async def test_code_defaults_are_the_english_catalogue(bot):
    """The English words in the code (Discord's defaults) are the en catalogue's."""
    for name, payload in (await payloads(bot)).items():
        assert name in COMMAND_OPTIONS, f"/{name} has no catalogue words"
        assert payload["name"] == english(Msg(f"command.{name}.name"))
        assert payload["description"] == english(Msg(f"command.{name}.description"))
        assert [o["name"] for o in payload["options"]] == list(COMMAND_OPTIONS[name])
        for option in payload["options"]:
            key = f"command.{name}.{option['name']}"
            assert option["description"] == english(Msg(f"{key}.description"))
            for choice in option.get("choices") or []:
                assert choice["value"] in COMMAND_CHOICES
                assert choice["name"] == english(Msg(f"command.choice.{choice['value']}"))


async def test_japanese_localizations_for_every_part(bot):
    for name, payload in (await payloads(bot)).items():
        assert valid_name(payload["name_localizations"]["ja"]), name
        assert payload["description_localizations"]["ja"]
        for option in payload["options"]:
            assert valid_name(option["name_localizations"]["ja"])
            assert option["description_localizations"]["ja"]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("連絡先", True),
        ("再読み込み", True),
        ("contact", True),
        ("my-cmd_2", True),
        ("Contact", False),
        ("two words", False),
        ("", False),
        ("x" * 33, False),
        ("a/b", False),
    ],
)
def test_discord_name_rules(text, ok):
    assert valid_name(text) is ok


async def test_a_name_breaking_discords_rules_is_left_out(caplog):
    """A catalogue name with a space would make Discord refuse the whole sync: the
    translator leaves it out (Discord then shows the English default) and says why."""

    class Broken:
        languages = ("en", "ja")

        def catalogue(self, lang):
            return shipped_knowledge().localizer.catalogue(lang)

        def text(self, message, lang):
            return "二つの 言葉"

    app = Application(shipped_knowledge())
    app.knowledge = type(app.knowledge)(app.engine, Broken())  # type: ignore[arg-type]
    translator = CatalogueTranslator(app)
    command = app_commands.Command(name="contact", description="d", callback=_noop)
    context = app_commands.TranslationContext(
        app_commands.TranslationContextLocation.command_name, command
    )
    with caplog.at_level(logging.WARNING):
        result = await translator.translate(
            app_commands.locale_str("contact"), discord.Locale.japanese, context
        )
    assert result is None
    assert "command.contact.name" in caplog.text


async def _noop(interaction: discord.Interaction) -> None:  # pragma: no cover
    return None


def test_contexts_map_to_catalogue_ids():
    command = app_commands.Command(name="stage", description="d", callback=_stage)
    where = app_commands.TranslationContextLocation
    parameter = app_commands.Parameter(command._params["status"], command)
    assert (
        message_id(app_commands.TranslationContext(where.command_name, command))
        == "command.stage.name"
    )
    assert (
        message_id(app_commands.TranslationContext(where.parameter_description, parameter))
        == "command.stage.status.description"
    )
    choice = app_commands.Choice(name="Active", value="active")
    assert (
        message_id(app_commands.TranslationContext(where.choice_name, choice))
        == "command.choice.active"
    )


async def _stage(interaction: discord.Interaction, stage: str, status: str | None = None) -> None:
    return None  # pragma: no cover
