"""Turning raw chat text into something safe to match and to echo.

Two forms of a question are kept side by side: the *cleaned* text (mentions, markup and
invisible characters removed, length bounded) that a front-end may echo, and the *normalized*
tokens (NFKC, no diacritics, case-folded, no punctuation) that the indexes match against.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.kb.text import compact, fold, normalize, strip_diacritics, words

__all__ = [
    "MAX_QUESTION_CHARS",
    "SCAN_CHARS",
    "PhraseHit",
    "PhraseMatcher",
    "Text",
    "clean_question",
    "compact",
    "fold",
    "normalize",
]

MAX_QUESTION_CHARS = 600  # longer questions are cut here: nothing useful is that long
SCAN_CHARS = MAX_QUESTION_CHARS * 2  # what is read at all, so a 1 MB paste costs nothing

# Discord's markup that pings or renders as an entity: users, roles, channels, slash
# commands, custom emoji, timestamps, and the two mass mentions.
_DISCORD_TOKEN = re.compile(
    r"<(?:@[!&]?\d{1,25}|#\d{1,25}|/[^<>\s]{1,100}:\d{1,25}|a?:\w{1,64}:\d{1,25}"
    r"|t:-?\d{1,20}(?::[tTdDfFR])?)>"
    r"|@(?:everyone|here)",
    re.IGNORECASE,
)
_MARKDOWN_LINK = re.compile(r"\[([^\]]{0,200})\]\([^)\s]{0,500}\)")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# Format characters: zero-width space, joiners, direction marks and the like.
_FORMAT_CATEGORIES = frozenset({"Cf", "Cs", "Co", "Cn"})


def _without_discord_tokens(text: str) -> str:
    """Mentions and other Discord tokens blanked out, found as if no format character were
    there (so "<@\u200b123>" goes too); elsewhere invisible characters separate words."""
    if text.isprintable():  # no control or format character at all: the common case
        return _DISCORD_TOKEN.sub(" ", text)
    visible: list[str] = []
    origin: list[int] = []
    for position, ch in enumerate(text):
        if unicodedata.category(ch) not in _FORMAT_CATEGORIES:
            visible.append(ch)
            origin.append(position)
    joined = "".join(visible)
    blanked = list(text)
    for match in _DISCORD_TOKEN.finditer(joined):
        for position in range(origin[match.start()], origin[match.end() - 1] + 1):
            blanked[position] = " "
    return "".join(
        " "
        if unicodedata.category(ch) in _FORMAT_CATEGORIES or ch < " " or "\x7f" <= ch < "\xa0"
        else ch
        for ch in blanked
    )


def clean_question(raw: str) -> str:
    """User text made safe to match and to echo: no mentions, links, markup noise or
    control characters, white space collapsed, cut to MAX_QUESTION_CHARS."""
    text = unicodedata.normalize("NFKC", raw[:SCAN_CHARS])
    text = _without_discord_tokens(text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = text.replace("`", " ")
    # What is left of a broken mention ("<@0YOO:B!") is echoed apart, so that no reply
    # quoting the question carries the start of one.
    text = text.replace("<@", "< @").replace("<#", "< #")
    text = " ".join(text.split())
    cut = text[:MAX_QUESTION_CHARS]
    # A Latin word cut in two would be read as a word nothing explains ("ple" of "please").
    following = text[MAX_QUESTION_CHARS : MAX_QUESTION_CHARS + 1]
    if following.isascii() and following.isalnum() and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip()


@dataclass(frozen=True, slots=True)
class Text:
    """A question prepared once for every index: cleaned, tokenized, compacted."""

    raw: str
    cleaned: str
    tokens: tuple[str, ...]
    cased_tokens: tuple[str, ...]  # the same tokens before case folding ("IT" vs "it")
    compact: str

    @classmethod
    def parse(cls, raw: str) -> Text:
        cleaned = clean_question(raw)
        # Split before case folding, so each folded token lines up with its cased original.
        cased_tokens = tuple(words(strip_diacritics(cleaned)))
        tokens = tuple(token.casefold() for token in cased_tokens)
        return cls(raw, cleaned, tokens, cased_tokens, "".join(tokens))

    @property
    def normalized(self) -> str:
        return " ".join(self.tokens)

    @property
    def is_empty(self) -> bool:
        return not self.tokens


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PhraseHit(Generic[T]):
    payload: T
    phrase: str
    start: int  # token span for Latin phrases; character span in Text.compact otherwise
    end: int
    latin: bool


class PhraseMatcher(Generic[T]):
    """Finds known phrases in a query by exact lookup, never by scanning the vocabulary.

    Latin phrases match whole tokens (n-gram dictionary lookups); phrases in Japanese match
    as substrings of the compact text (a dictionary lookup per position and known length),
    so the cost depends on the question's length, not on the number of phrases.
    """

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._latin: dict[tuple[str, ...], list[T]] = {}
        self._other: dict[str, list[T]] = {}
        for phrase, payload in phrases:
            normalized = normalize(phrase)
            if not normalized:
                continue
            if normalized.isascii():
                self._latin.setdefault(tuple(normalized.split()), []).append(payload)
            else:
                self._other.setdefault(normalized.replace(" ", ""), []).append(payload)
        # A position whose word starts no phrase is skipped at once: a long message of
        # words no phrase starts with costs one set look-up per word.
        self._longest_from: dict[str, int] = {}  # the most words a phrase starting so has
        for key in self._latin:
            self._longest_from[key[0]] = max(self._longest_from.get(key[0], 0), len(key))
        self._other_lengths = sorted({len(key) for key in self._other}, reverse=True)
        self._other_initials = frozenset(key[0] for key in self._other)

    def __len__(self) -> int:
        return len(self._latin) + len(self._other)

    def find(self, query: Text, *, longest_only: bool = False) -> list[PhraseHit[T]]:
        """Every phrase in the query; with longest_only, leftmost-longest without overlaps."""
        return self._find_latin(query.tokens, longest_only) + self._find_other(
            query.compact, longest_only
        )

    def _find_latin(self, tokens: tuple[str, ...], longest_only: bool) -> list[PhraseHit[T]]:
        hits: list[PhraseHit[T]] = []
        position = 0
        count = len(tokens)
        longest_from = self._longest_from
        while position < count:
            longest = longest_from.get(tokens[position])
            if longest is None:
                position += 1
                continue
            advanced = False
            for size in range(min(longest, count - position), 0, -1):
                key = tokens[position : position + size]
                payloads = self._latin.get(key)
                if payloads is None:
                    continue
                phrase = " ".join(key)
                hits.extend(PhraseHit(p, phrase, position, position + size, True) for p in payloads)
                if longest_only:
                    position += size
                    advanced = True
                    break
            if not advanced:
                position += 1
        return hits

    def _find_other(self, text: str, longest_only: bool) -> list[PhraseHit[T]]:
        if not self._other or text.isascii():  # its phrases all hold a non-ASCII letter
            return []
        hits: list[PhraseHit[T]] = []
        position = 0
        length = len(text)
        while position < length:
            advanced = False
            if text[position] not in self._other_initials:
                position += 1
                continue
            for size in self._other_lengths:
                if position + size > length:
                    continue
                piece = text[position : position + size]
                payloads = self._other.get(piece)
                if payloads is None:
                    continue
                hits.extend(PhraseHit(p, piece, position, position + size, False) for p in payloads)
                if longest_only:
                    position += size
                    advanced = True
                    break
            if not advanced:
                position += 1
        return hits
