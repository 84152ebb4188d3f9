"""The one spelling normalization of the project.

The loader compares names and aliases by it (two spellings with the same key are the same
name to a reader), and the engine builds its indexes and reads questions with it, so what
`check` calls a collision is exactly what the engine would confuse.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
# Only the combining diacritics block: kana voicing marks (U+3099/309A) must survive.
_COMBINING_DIACRITIC = re.compile("[\u0300-\u036f]")
# Split where ASCII meets another script so "hamamatsuの分野" yields "hamamatsu" and "の分野".
_SCRIPT_BOUNDARY = re.compile(r"(?<=[A-Za-z0-9])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[A-Za-z0-9])")


def strip_diacritics(text: str) -> str:
    """NFKC with Latin diacritics removed (Kōbe, Kôbe → Kobe); case is kept."""
    composed = unicodedata.normalize("NFKC", text)
    if composed.isascii():  # most text: nothing to decompose
        return composed
    decomposed = unicodedata.normalize("NFD", composed)
    if not _COMBINING_DIACRITIC.search(decomposed):
        return composed  # NFKC text is already composed: NFC(NFD(it)) is itself
    return unicodedata.normalize("NFC", _COMBINING_DIACRITIC.sub("", decomposed))


def fold(text: str) -> str:
    """NFKC, Latin diacritics removed (ō→o, ū→u), case-folded; punctuation kept."""
    return strip_diacritics(text).casefold()


def words(text: str) -> list[str]:
    """The words of already folded (or diacritic-free) text: punctuation and script changes
    separate them."""
    spaced = _NON_WORD.sub(" ", text)
    if spaced.isascii():  # one script: no boundary to find
        return spaced.split()
    return _SCRIPT_BOUNDARY.sub(" ", spaced).split()


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
