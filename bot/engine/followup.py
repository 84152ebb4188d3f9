"""Follow-up questions: a question read in the light of the previous turn.

Four named rules, tried in this order; `Answer.followup` names the one that applied:

- `choice`: "the second one", 「二つ目」 after a reply that offered several clusters (a
  place heading several, a listing, a "did you mean") → that cluster.
- `refine`: a stage, status or field with a narrowing word after a listing ("only the
  active ones", "what about the second stage?", 「実施中のものだけ」) → the previous listing,
  filtered.
- `clusters`: a pronoun or an elliptical question about a region's aspect that names no
  place ("and its phone number?", "what page is it on?", 「その連絡先は？」) → the previous
  answer's clusters.
- `intent`: a new place and nothing asked of it, as a follow-up ("what about Kobe?",
  「神戸は？」) → the previous question, asked of that place.

A fresh, complete question (a place and what is asked of it, a listing with no narrowing
word, a question the FAQ answers well) matches no rule and ignores the context. A rule only
rewrites the `Interpretation`; routing then answers it as any question, and the reply gets
a note saying what was carried over.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.engine import messages as M
from bot.engine.answer import Intent, Msg
from bot.engine.facts.library import distinct_names
from bot.engine.facts.listing import described
from bot.engine.interpret import Interpretation
from bot.engine.regions import RegionMatch
from bot.engine.routing import Context
from bot.engine.text import Query
from bot.engine.turn import REGION_INTENTS, Turn, clusters_of

# The intents.yaml name of each region intent (what a rewritten reading asks for).
INTENT_WORDS = {
    Intent.CONTACT: "contact",
    Intent.FIELDS: "fields",
    Intent.STAGE: "stage",
    Intent.PAGE: "page",
    Intent.BUDGET: "budget",
    Intent.LOCATION: "location",
    Intent.REGION: "overview",
}
# What a refined listing stays: a count, a map, or a list.
_LISTING_WORDS = {Intent.COUNT: "count", Intent.MAP: "map"}
_ASPECT_WORDS = frozenset(INTENT_WORDS.values())
_SET_WORDS = frozenset({"list", "count"})

# -- English cues (normalized tokens)
_PRONOUNS = frozenset("it its they them their theirs that this those these there same".split())
_OPENERS = frozenset("and also so then plus but ok okay now".split())
_OPENER_PAIRS = frozenset({("what", "about"), ("how", "about"), ("what", "of"), ("same", "for")})
_NARROWING = frozenset("only just ones among amongst filter narrow those them these".split())
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10, "last": -1, "former": 1, "latter": -1,
}  # fmt: skip
_PICK_FILLERS = frozenset(
    """the a one ones option choice cluster number no please pls plz i mean meant want take
    pick choose show me that this ok okay yes s let us go with for about tell more on of
    them those then and what how""".split()
)
_SHORT_TOKENS = 6  # an English question this short with nothing unknown in it is elliptical
_CLUSTER_WORDS = frozenset({"cluster", "clusters"})
_JA_CLUSTER_WORDS = ("クラスター", "クラスタ")

# -- Japanese cues (on the compact text: no spaces, no punctuation)
_JA_PRONOUNS = ("その", "それ", "そこ", "そちら", "こちら", "この", "これ", "ここ", "あの",
                "あれ", "同じ", "上記", "前の", "さっきの", "先ほどの")  # fmt: skip
_JA_OPENERS = ("では", "じゃあ", "じゃ", "それでは", "それなら", "あと", "ちなみに", "ところで",
               "なら")  # fmt: skip
_JA_ENDINGS = ("は", "も", "はどう", "はどうですか", "はどうでしょう", "の場合は", "については")
_JA_NARROWING = ("だけ", "のみ", "のうち", "の中で", "に絞", "限定")
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
    names_clusters: bool = False  # "clusters", クラスター: a question about a set of them


def read_cues(query: Query) -> Cues:
    tokens = query.tokens
    latin = [t for t in tokens if t.isascii()]
    compact = "".join(t for t in tokens if not t.isascii())
    what_about = any(tuple(tokens[i : i + 2]) in _OPENER_PAIRS for i in range(2))
    opener = bool(tokens) and (tokens[0] in _OPENERS or what_about)
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
        names_clusters=any(t in _CLUSTER_WORDS for t in latin)
        or any(w in compact for w in _JA_CLUSTER_WORDS),
    )


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
        digits = "".join(ch for ch in word if ch.isdigit() or ch in _KANJI_DIGITS)
        if digits.isdigit():
            return int(digits)
        return _kanji_number(digits)
    rest = [t for t in tokens if t not in _PICK_FILLERS]
    if len(rest) != 1:
        return None
    word = rest[0]
    if word in _ORDINALS:
        return _ORDINALS[word]
    return int(word) if word.isdigit() and 0 < int(word) <= 25 else None


def _kanji_number(text: str) -> int | None:
    if text == "十":
        return 10
    if len(text) == 2 and text[0] == "十":
        return 10 + _KANJI_DIGITS[text[1]]
    return _KANJI_DIGITS.get(text) if len(text) == 1 else None


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A question rewritten with what it carries over, and the note that says so."""

    rule: str
    reading: Interpretation
    note: Msg


def names_place(reading: Interpretation) -> bool:
    regions = reading.regions
    return bool(regions.cluster_ids or regions.near_misses or regions.unclustered)


def asks_about_region(reading: Interpretation, cues: Cues) -> bool:
    """Whether the question asks for an aspect of a region (its contact, fields, ...)."""
    aspects = reading.intents & _ASPECT_WORDS
    if cues.what_about:
        aspects -= {INTENT_WORDS[Intent.REGION]}
    return bool(aspects or reading.fields)


def asks_for_a_set(reading: Interpretation) -> bool:
    """ "which clusters …", "how many …": a question about a set of clusters."""
    return bool(reading.intents & _SET_WORDS)


def _about(cluster_ids: tuple[str, ...]) -> RegionMatch:
    return RegionMatch(cluster_ids, frozenset(), (), 1.0)


def _asking(intent: Intent) -> frozenset[str]:
    return frozenset({INTENT_WORDS[intent]})


def carried_intent(turn: Turn) -> tuple[Intent, tuple[str, ...]] | None:
    """The question a new place inherits, with the fields it asked about: a listing's
    questions become the same question about one place."""
    if turn.intent in REGION_INTENTS and turn.intent is not Intent.REGION:
        return turn.intent, turn.fields if turn.intent is Intent.FIELDS else ()
    if turn.intent is Intent.BY_FIELD:
        return Intent.FIELDS, turn.fields
    if turn.intent is Intent.BY_STAGE:
        return Intent.STAGE, ()
    if turn.intent is Intent.MAP:
        return Intent.LOCATION, ()  # where that place is, which a front-end can draw
    return None


Rule = Callable[[Context, Turn, Cues], "FollowUp | None"]


def _choice(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    if cues.ordinal is None or not previous.choices:
        return None
    count = len(previous.choices)
    index = count - 1 if cues.ordinal == -1 else cues.ordinal - 1
    if not 0 <= index < count:
        return None
    target = previous.choices[index]
    clusters = clusters_of(context.lib, target)
    if not clusters:
        return None
    intent = previous.intent if previous.intent in REGION_INTENTS else Intent.REGION
    reading = replace(
        context.reading,
        regions=_about(clusters),
        intents=_asking(intent),
        fields=previous.fields if intent is Intent.FIELDS else (),
        stage=None,
        status=None,
        leftover=(),
        noun_phrase=False,
    )
    return FollowUp("choice", reading, M.NOTE_FOLLOWUP_CHOICE(position=index + 1, target=target))


def _refine(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    reading = context.reading
    if not previous.is_listing or names_place(reading) or not reading.has_filters:
        return None
    if not (cues.narrowing or cues.opener or cues.pronoun):
        return None
    lib = context.lib
    shown = lib.select(previous.stage, previous.status, previous.fields)
    before = described(shown, previous.stage, previous.status, previous.fields)
    rewritten = replace(
        reading,
        regions=_about(()),
        intents=frozenset({_LISTING_WORDS.get(previous.intent, "list")}),
        fields=reading.fields or previous.fields,
        stage=reading.stage or previous.stage,
        status=reading.status or previous.status,
        leftover=(),
        noun_phrase=True,
    )
    replaced = (
        (reading.fields and previous.fields and set(reading.fields) != set(previous.fields))
        or (reading.stage and previous.stage and reading.stage != previous.stage)
        or (reading.status and previous.status and reading.status != previous.status)
    )
    note = M.NOTE_FOLLOWUP_CHANGED if replaced else M.NOTE_FOLLOWUP_NARROWED
    return FollowUp("refine", rewritten, note(previous=before))


def _clusters(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    reading = context.reading
    if (
        not previous.clusters
        or names_place(reading)
        or asks_for_a_set(reading)
        or (cues.names_clusters and not cues.pronoun)  # 「環境分野のクラスターは？」
        or not asks_about_region(reading, cues)
    ):
        return None
    elliptical = cues.short and not reading.leftover and not context.strong
    if not (cues.pronoun or cues.opener or elliptical):
        return None
    kb = context.lib.kb
    names = distinct_names(kb.cluster(c) for c in previous.clusters)
    rewritten = replace(reading, regions=_about(previous.clusters), leftover=())
    return FollowUp("clusters", rewritten, M.NOTE_FOLLOWUP_CLUSTERS(clusters=names))


def _intent(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    reading = context.reading
    if not reading.regions.cluster_ids or asks_about_region(reading, cues):
        return None
    bare = cues.question_mark and not reading.leftover and not reading.intents
    if not (cues.opener or bare):
        return None
    carried = carried_intent(previous)
    if carried is None:
        return None
    intent, fields = carried
    rewritten = replace(reading, intents=_asking(intent), fields=fields, leftover=())
    topic = M.TOPICS[intent.value]()
    return FollowUp("intent", rewritten, M.NOTE_FOLLOWUP_INTENT(topic=topic))


RULES: tuple[tuple[str, Rule], ...] = (
    ("choice", _choice),
    ("refine", _refine),
    ("clusters", _clusters),
    ("intent", _intent),
)
RULE_NAMES = tuple(name for name, _ in RULES)


def follow_up(context: Context, previous: Turn | None) -> FollowUp | None:
    """The first rule that reads the question in the previous turn's light, if any."""
    if previous is None:
        return None
    cues = read_cues(context.reading.query)
    for _, rule in RULES:
        found = rule(context, previous, cues)
        if found is not None:
            return found
    return None
