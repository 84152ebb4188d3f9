"""The words that make a question a follow-up, read once: pronouns, openers, narrowing
words, an ordinal picking one of several ("the second one", 「二つ目」).

They are grammar, not knowledge, so they live here rather than in the knowledge base's
intents (`bot.engine.vocabulary` keeps the English stopwords the same way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine.text import Text

# -- English cues (normalized tokens)
_PRONOUNS = frozenset("it its they them their theirs that this those these there same".split())
# Words that open a question carrying on from another ("and its fax?", "so was it IT?").
OPENERS = frozenset("and also so then plus but ok okay now".split())
_OPENER_PAIRS = frozenset({("what", "about"), ("how", "about"), ("what", "of"), ("same", "for")})
_NARROWING = frozenset("only just ones among amongst filter narrow those them these".split())
# "sorry, I meant Hamamatsu", 「いや、浜松の方」: the previous question, of another place.
_CORRECTIONS = frozenset("meant mean oops sorry correction instead actually".split())
_JA_CORRECTIONS = ("じゃなくて", "ではなく", "の間違い", "間違えました", "いや", "訂正")
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
    "seventh": 7,
    "7th": 7,
    "eighth": 8,
    "8th": 8,
    "ninth": 9,
    "9th": 9,
    "tenth": 10,
    "10th": 10,
    "last": -1,
    "former": 1,
    "latter": -1,
}
_PICK_FILLERS = frozenset(
    """the a one ones option choice cluster number no please pls plz i mean meant want take
    pick choose show me that this ok okay yes s let us go with for about tell more on of
    them those then and what how""".split()
)
_SHORT_TOKENS = 6  # an English question this short with nothing unknown in it is elliptical
_CLUSTER_WORDS = frozenset({"cluster", "clusters"})
_JA_CLUSTER_WORDS = ("クラスター", "クラスタ")

# -- Japanese cues (on the compact text: no spaces, no punctuation)
_JA_PRONOUNS = (
    "その",
    "それ",
    "そこ",
    "そちら",
    "こちら",
    "この",
    "これ",
    "ここ",
    "あの",
    "あれ",
    "同じ",
    "上記",
    "前の",
    "さっきの",
    "先ほどの",
)
_JA_OPENERS = (
    "では",
    "じゃあ",
    "じゃ",
    "それでは",
    "それなら",
    "あと",
    "ちなみに",
    "ところで",
    "なら",
)
_JA_ENDINGS = ("は", "も", "はどう", "はどうですか", "はどうでしょう", "の場合は", "については")
_JA_NARROWING = ("だけ", "のみ", "のうち", "の中で", "の中", "そのうち", "に絞", "限定")
_KANJI_DIGITS = {ch: n for n, ch in enumerate("一二三四五六七八九十", start=1)}
_JA_PICK = re.compile(
    r"^(?:じゃあ|では|それでは)?(?:その)?"
    r"(?P<n>最初|最後|[0-9一二三四五六七八九十]{1,2}(?:つ目|つめ|番目|個目|番)"
    r"|ひとつ目|ひとつめ|ふたつ目|ふたつめ|みっつ目|みっつめ)"
    r"(?:の|のもの|のほう|の方|のクラスター|のやつ|の候補)?"
    r"(?:で|を|が|は)?(?:お願いします|おねがいします|ください|下さい|です)?$"
)
_JA_WORD_NUMBERS = {"最初": 1, "最後": -1, "ひと": 1, "ふた": 2, "みっ": 3}
_SHORT_JA_CHARS = 12


@dataclass(frozen=True, slots=True)
class Cues:
    """The follow-up words of a question, read once."""

    pronoun: bool = False  # "it", "their", その
    opener: bool = False  # "and …", "what about …", 「では…」, 「…は？」
    what_about: bool = False  # "what about …": its "about" asks for no overview
    narrowing: bool = False  # "only", "just", "ones", だけ, のうち
    ordinal: int | None = None  # n of "the n-th one" when that is the whole question (-1: last)
    short: bool = False  # a few words: an ellipsis if nothing in it is unknown
    question_mark: bool = False
    correction: bool = False  # "sorry, I meant …", 「…じゃなくて」
    # "the second one, what field was it?": one of several picked, and something asked of it
    picked: int | None = None
    names_clusters: bool = False  # "clusters", クラスター: a question about a set of them


def read_cues(query: Text) -> Cues:
    tokens = query.tokens
    latin = [t for t in tokens if t.isascii()]
    compact = "".join(t for t in tokens if not t.isascii())
    what_about = any(tuple(tokens[i : i + 2]) in _OPENER_PAIRS for i in range(2))
    opener = bool(tokens) and (tokens[0] in OPENERS or what_about)
    if compact:
        opener = opener or compact.startswith(_JA_OPENERS) or compact.endswith(_JA_ENDINGS)
    return Cues(
        pronoun=any(t in _PRONOUNS for t in latin) or any(p in compact for p in _JA_PRONOUNS),
        opener=opener,
        what_about=what_about,
        narrowing=any(t in _NARROWING for t in latin) or any(n in compact for n in _JA_NARROWING),
        ordinal=_ordinal(tokens),
        short=len(tokens) <= _SHORT_TOKENS and len(compact) <= _SHORT_JA_CHARS,
        question_mark=query.cleaned.rstrip().endswith("?"),
        picked=_picked(tokens),
        correction=any(t in _CORRECTIONS for t in latin)
        or any(c in compact for c in _JA_CORRECTIONS),
        names_clusters=any(t in _CLUSTER_WORDS for t in latin)
        or any(w in compact for w in _JA_CLUSTER_WORDS),
    )


def _picked(tokens: tuple[str, ...]) -> int | None:
    """The position "the n-th one" picks at the start of a longer question."""
    words = list(tokens[1:] if tokens[:1] == ("the",) else tokens)
    if len(words) > 2 and words[0] in _ORDINALS and words[1] in ("one", "cluster"):
        return _ORDINALS[words[0]]
    return None


def _ordinal(tokens: tuple[str, ...]) -> int | None:
    """The position a question picks when it says nothing but that ("the second one",
    "option 2", 「二つ目」), else None."""
    japanese = any(not t.isascii() for t in tokens)
    if japanese and all(not t.isascii() or t.isdigit() for t in tokens):
        match = _JA_PICK.match("".join(tokens))  # "2番目" is read as two tokens
        if match is None:
            return None
        word = match["n"]
        for prefix, number in _JA_WORD_NUMBERS.items():
            if word.startswith(prefix):
                return number
        digits = "".join(ch for ch in word if ch.isdecimal() or ch in _KANJI_DIGITS)
        if digits.isdecimal():
            return int(digits)
        return _kanji_number(digits)
    rest = [t for t in tokens if t not in _PICK_FILLERS]
    if len(rest) != 1:
        return None
    word = rest[0]
    if word in _ORDINALS:
        return _ORDINALS[word]
    return int(word) if word.isdecimal() and 0 < int(word) <= 25 else None


def _kanji_number(text: str) -> int | None:
    if text == "十":
        return 10
    if len(text) == 2 and text[0] == "十":
        return 10 + _KANJI_DIGITS[text[1]]
    return _KANJI_DIGITS.get(text) if len(text) == 1 else None
