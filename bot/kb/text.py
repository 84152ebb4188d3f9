"""The one spelling normalization the knowledge base uses to compare names and aliases.

Two spellings that normalize to the same key are the same name to a reader, so the loader
uses this to find collisions. It is deliberately small: the engine has its own, richer query
normalizer and may build on this one.
"""

from __future__ import annotations

import re
import unicodedata

# Long vowels written with a macron (Hepburn) or a circumflex (Kunrei): Kōbe = Kobe = Kôbe.
# Mapped one by one rather than by stripping every combining mark, which would also strip the
# dakuten from kana (ぎ -> き).
_LONG_VOWELS = str.maketrans(
    {
        "ā": "a", "ē": "e", "ī": "i", "ō": "o", "ū": "u",
        "â": "a", "ê": "e", "î": "i", "ô": "o", "û": "u",
    }
)  # fmt: skip

# Runs of anything that is neither a letter, a digit nor a combining mark (spaces,
# punctuation, symbols such as &, ・, /, -) separate words.
_SEPARATORS = re.compile(r"[^\w\u3099\u309a]+|_+")


def normalize_alias(text: str) -> str:
    """The comparison key of a name: NFKC, casefolded, macrons gone, one space between words.

    >>> normalize_alias("  Kōbe ")
    'kobe'
    >>> normalize_alias("Saito & Kobe")
    'saito kobe'
    >>> normalize_alias("ＨＡＭＡＭＡＴＳＵ")
    'hamamatsu'
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_LONG_VOWELS)
    return _SEPARATORS.sub(" ", folded).strip()
