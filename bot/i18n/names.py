"""Names in readable case: "Hamamatsu" for the official HAMAMATSU.

The 2008 edition prints the places in a cluster's name in capitals ("HOKKAIDO Area (with
Sapporo as the core)", "FUKUOKA/KITAKYUSHU/IIZUKA"). A reply keeps those capitals where
the name is the point (a title) and writes them as the knowledge base writes the place
elsewhere (lists, sentences), so nothing shouts. Only words that are a place's name in
capitals change: no name is invented, and any other word is left as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+")


def readable_name(official: str, place_names: Iterable[str]) -> str:
    """`official` with each all-capitals word that is a place's name written as the place."""
    by_capitals = {name.upper(): name for name in place_names if name}

    def readable(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) > 1 and word.isupper():
            return by_capitals.get(word, word)
        return word

    return _WORD.sub(readable, official)
