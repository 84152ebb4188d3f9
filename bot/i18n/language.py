"""Which language a reply is in.

The rule, in order (documented in docs/discord.md):
1. a language forced by the user (`--lang`, the console's `/lang`);
2. the script of the question, when it decides: kana, or kanji with at most one Latin word,
   is Japanese; a sentence of Latin words is English (a lone name such as "kyoto" decides
   nothing);
3. the asker's Discord language (`interaction.locale`): a slash command says who asks in
   which language, and follows it even after an exchange in the other one;
4. the language the conversation was in: free text has no client language, so a mentioned
   follow-up such as "kobe?" goes on in it;
5. the server's language (`guild_locale`, a message's guild preferred locale), so a public
   reply in a Japanese server is Japanese when the asker's client language is one the bot
   does not speak;
6. English.
"""

from __future__ import annotations

import re
from collections.abc import Collection

DEFAULT_LANGUAGE = "en"
AUTO = "auto"
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_SENTENCE_WORDS = 2  # Latin words that make a question English rather than a name


def script_language(text: str) -> str | None:
    """'ja' or 'en' when the question's script decides, else None."""
    if not text:
        return None
    latin_words = len(_LATIN_WORD.findall(text))
    if _KANA.search(text) or (_KANJI.search(text) and latin_words <= 1):
        return "ja"
    return "en" if latin_words >= _SENTENCE_WORDS else None


def locale_language(locale: str | None, supported: Collection[str]) -> str | None:
    """A Discord locale ("ja", "en-US", "en-GB") as a supported language, else None."""
    if not locale:
        return None
    base = str(locale).split("-")[0].lower()
    return base if base in supported else None


def choose_language(
    *,
    supported: Collection[str],
    forced: str | None = None,
    text: str = "",
    conversation: str | None = None,
    locale: str | None = None,
    guild_locale: str | None = None,
) -> str:
    if forced and forced != AUTO and forced in supported:
        return forced
    for candidate in (
        script_language(text),
        locale_language(locale, supported),
        conversation,
        locale_language(guild_locale, supported),
    ):
        if candidate in supported:
            return candidate
    return DEFAULT_LANGUAGE
