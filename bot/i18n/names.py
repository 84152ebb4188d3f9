"""How clusters are named in a reply: readable case ("Hamamatsu" for the official
HAMAMATSU), and whether their places' names can stand for them (浜松, 北海道・札幌).

The 2008 edition prints the places in a cluster's name in capitals ("HOKKAIDO Area (with
Sapporo as the core)", "FUKUOKA/KITAKYUSHU/IIZUKA"). A reply keeps those capitals where
the name is the point (a title) and writes them as the knowledge base writes the place
elsewhere (lists, sentences), so nothing shouts. Only words that are a place's name in
capitals change: no name is invented, and any other word is left as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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


def places_label_the_name(official: str, place_names: Sequence[str]) -> bool:
    """Whether a cluster's places, written one after the other, name it faithfully.

    They do when they are several ("HOKKAIDO Area (with Sapporo as the core)": Hokkaido and
    Sapporo), or when the name is that one place and nothing else ("HAMAMATSU"). A single
    place with more words ("KANSAI Science City", "Greater SENDAI Area") would be shortened
    into the name of the place itself, which is another thing (all of Kansai; the Sendai of
    the first-stage SENDAI cluster): such a cluster keeps its official name.
    """
    if len(place_names) != 1:
        return bool(place_names)
    place = place_names[0].casefold()
    return all(word.casefold() == place for word in _WORD.findall(official))
