"""The one spelling normalization of the project.

The loader compares names and aliases by it (two spellings with the same key are the same
name to a reader), and the engine builds its indexes and reads questions with it, so what
`check` calls a collision is exactly what the engine would confuse.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
# Split where ASCII meets another script so "hamamatsuの分野" yields "hamamatsu" and "の分野".
_SCRIPT_BOUNDARY = re.compile(r"(?<=[A-Za-z0-9])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[A-Za-z0-9])")


def strip_diacritics(text: str) -> str:
    """NFKC with Latin diacritics removed (Kōbe, Kôbe → Kobe); case is kept."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    # Only the combining diacritics block: kana voicing marks (U+3099/309A) must survive.
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not 0x300 <= ord(ch) <= 0x36F)
    )


def fold(text: str) -> str:
    """NFKC, Latin diacritics removed (ō→o, ū→u), case-folded; punctuation kept."""
    return strip_diacritics(text).casefold()


def words(text: str) -> list[str]:
    """The words of already folded (or diacritic-free) text: punctuation and script changes
    separate them."""
    return _SCRIPT_BOUNDARY.sub(" ", _NON_WORD.sub(" ", text)).split()


def normalize(text: str) -> str:
    """The comparison and matching key: folded, one space between words.

    >>> normalize("  Kōbe ")
    'kobe'
    >>> normalize("Saito & Kobe")
    'saito kobe'
    >>> normalize("ＨＡＭＡＭＡＴＳＵ")
    'hamamatsu'
    """
    return " ".join(words(fold(text)))


def compact(text: str) -> str:
    """The key without spaces, for Japanese, which is written without them."""
    return "".join(words(fold(text)))


normalize_alias = normalize  # the name the loader's collision checks use


def phrase_key(text: str) -> str:
    """The key a phrase is looked up by in a question: its words for Latin text, and for
    Japanese, written without spaces, the compact form (how `PhraseMatcher` indexes it)."""
    normalized = normalize(text)
    return normalized if normalized.isascii() else normalized.replace(" ", "")
