"""Slash commands in the users' languages: discord.py's Translator fed by the catalogues.

Every name, description, option and choice of the commands is a catalogue message
(`command.NAME.name`, `command.NAME.OPTION.description`, `command.choice.VALUE`, ...), so
the sync payload carries `name_localizations` and `description_localizations` from the
same words as the replies. The English words double as the defaults in the code; a test
keeps the two equal. A localization that breaks Discord's rules is left out (Discord would
refuse the whole sync), with a warning naming it.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.engine.answer import Msg
from bot.i18n.language import locale_language

if TYPE_CHECKING:
    from bot.app import Application

log = logging.getLogger(__name__)

MAX_NAME = 32
MAX_TEXT = 100  # descriptions and choice names
_NAMES = (Where.command_name, Where.group_name, Where.parameter_name)


def command_key(name: str) -> str:
    """A command's key in the catalogue: its default name, context menus' spaces as _."""
    return name.casefold().replace(" ", "_")


def message_id(context: app_commands.TranslationContextTypes) -> str | None:
    """The catalogue message that words this part of a command."""
    location, data = context.location, context.data
    if location in (Where.command_name, Where.group_name):
        return f"command.{command_key(data.qualified_name)}.name"
    if location in (Where.command_description, Where.group_description):
        return f"command.{command_key(data.qualified_name)}.description"
    if location in (Where.parameter_name, Where.parameter_description):
        part = "name" if location is Where.parameter_name else "description"
        return f"command.{command_key(data.command.qualified_name)}.{data.name}.{part}"
    if location is Where.choice_name:
        return f"command.choice.{data.value}"
    return None


def valid_name(text: str) -> bool:
    """Discord's rule for command and option names: 1-32 letters, digits, - or _, in lower
    case where the script has case."""
    return (
        0 < len(text) <= MAX_NAME
        and all(ch in "-_" or unicodedata.category(ch)[0] in "LN" for ch in text)
        and text == text.lower()
    )


class CatalogueTranslator(app_commands.Translator):
    """Reads the live catalogues through the application, so a reload reaches the next sync."""

    def __init__(self, app: Application) -> None:
        self.app = app

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        localizer = self.app.localizer
        lang = locale_language(locale.value, localizer.languages)
        key = message_id(context)
        if lang is None or key is None:
            return None
        if not localizer.catalogue(lang).has(key):
            return None  # Discord then shows the default, English, words
        text = localizer.text(Msg(key), lang)
        if isinstance(context.data, app_commands.ContextMenu):
            # A menu's name is shown as written: spaces and capitals are allowed.
            fits = 0 < len(text) <= MAX_NAME
        elif context.location in _NAMES:
            fits = valid_name(text)
        else:
            fits = 0 < len(text) <= MAX_TEXT
        if not fits:
            log.warning("catalogue %s: %s %r breaks Discord's rules; left out", lang, key, text)
            return None
        return text


def use_catalogue_defaults(tree: app_commands.CommandTree, app: Application) -> None:
    """Each command's default description (what a client in a language no catalogue has
    sees) from the English catalogue, as the knowledge base fills it in: a description that
    names the programme ({programme}) names the one being served, not the code's default."""
    localizer = app.localizer
    english = localizer.catalogue("en")
    for command in tree.walk_commands(type=discord.AppCommandType.chat_input):
        key = f"command.{command_key(command.qualified_name)}.description"
        if not english.has(key):
            continue
        text = localizer.text(Msg(key), "en")
        if 0 < len(text) <= MAX_TEXT:
            command.description = text
