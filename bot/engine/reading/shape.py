"""The shape of a question, beyond its words: yes/no or which, a greeting and nothing else, a
listing's title ("環境分野のクラスターは？"), fields written as part of a cluster's name ("the
Sapporo IT cluster"), the programme as the question's subject.
"""

from __future__ import annotations

import re

from bot.engine.cues import OPENERS
from bot.engine.regions import RegionMatch
from bot.engine.text import PhraseHit, Text

_YES_NO_OPENERS = frozenset(
    "is are was were has have had did does do will would can could isnt arent hasnt wasnt".split()
)
_JA_QUESTION_ENDINGS = ("か", "かな", "かね", "の")  # a yes/no question's last word
# A tag question makes a statement a yes/no question: "it was IT, wasn't it?", "right?".
_TAG_ENDINGS = (
    ("isn", "t", "it"),
    ("wasn", "t", "it"),
    ("weren", "t", "they"),
    ("aren", "t", "they"),
    ("didn", "t", "it"),
    ("didn", "t", "they"),
    ("right",),
    ("yes",),  # "Kitakyushu … was a second-stage cluster, yes?"
    ("correct",),
    ("true",),
    ("isnt", "it"),
    ("wasnt", "it"),
    ("right", "isn", "t", "it"),
)
# A casual question is a statement with a question mark: 「東京にクラスターはある？」,
# 「まだ実施中？」 is yes/no; no Japanese question with a question word is (「どこにある？」).
_JA_PLAIN_ENDINGS = ("る", "た", "ます", "ました", "ない", "です", "でした", "中", "済み")
_JA_QUESTION_WORDS = (
    "何",
    "なに",
    "なん",
    "どこ",
    "いつ",
    "どの",
    "どれ",
    "どう",
    "どんな",
    "誰",
    "だれ",
    "いくつ",
    "いくら",
    "なぜ",
    "どうして",
    "どちら",
)
_JA_TAGS = ("ですよね", "だよね", "でしたよね", "ですね", "よね", "でしょ", "でしょう", "じゃない")
_GREETING_FILLER = frozenset("kcbot bot there everyone all guys folks".split())
_JA_GRAMMAR = frozenset("のはがをにでともやへかなだ？?、。！!")
# A verb ending that makes the word before it describe the noun: 「終了したクラスター」 is
# the clusters that ended, a listing's title as much as 「終了のクラスター」.
_JA_ADNOMINAL_ENDINGS = ("されている", "している", "された", "した", "する")


_ASKED_AFTER_A_DASH = re.compile(
    r"\s[-–—:]\s*(?:was|is|were|are|did|does|do|has|have)\s+(?:that|this|it|they|there)\b",
    re.IGNORECASE,
)
_STATED_EXISTENCE = frozenset(
    {("there", "were"), ("there", "are"), ("there", "was"), ("there", "is")}
)


def is_yes_no(text: Text) -> bool:
    """ "is Kyoto still active?", 「京都は実施中ですか」, "the Kyoto cluster was IT, wasn't
    it?", 「2004年の予算は69億円ですよね」."""
    tokens = text.tokens
    # "and is it still active?", "so was it IT?": a joining word before the question.
    while tokens and tokens[0] in OPENERS:
        tokens = tokens[1:]
    if tokens and tokens[0] in _YES_NO_OPENERS:
        return True
    # "The 9 billion yen in 2004 - was that what each region received?": the question after
    # a dash or colon that sets out what it asks about.
    if _ASKED_AFTER_A_DASH.search(text.cleaned):
        return True
    # "so there were 30 clusters?": a statement asked back.
    if tuple(tokens[:2]) in _STATED_EXISTENCE and text.cleaned.rstrip().endswith("?"):
        return True
    if any(tokens[-len(tag) :] == tag for tag in _TAG_ENDINGS if len(tokens) > len(tag)):
        return True
    cleaned = text.cleaned.rstrip(" 。?？!！")
    if cleaned.isascii():
        return False
    if any(word in cleaned for word in _JA_QUESTION_WORDS):  # 「いつ始まりましたか」
        return False
    if cleaned.endswith(_JA_QUESTION_ENDINGS) or cleaned.endswith(_JA_TAGS):
        return True
    asked = text.cleaned.rstrip(" 。!！").endswith(("?", "？"))
    return asked and cleaned.endswith(_JA_PLAIN_ENDINGS)


def is_which_question(text: Text) -> bool:
    """ "which Hokkaido clusters have ended", "どのクラスターが終了": a status word there
    picks clusters out rather than asking theirs."""
    first = text.tokens[0] if text.tokens else ""
    return (
        first in ("which", "what", "list", "show")
        or "どの" in text.compact
        or "どれ" in text.compact
    )


def names_the_programme(
    text: Text, programme: frozenset[str], ja_programme: tuple[str, ...], clusters: frozenset[str]
) -> bool:
    """The programme is what the question is about: it is named before any cluster noun
    ("is the program still running?", not "are the clusters of the initiative active?");
    `programme` are the English words naming it, `clusters` the nouns for clusters."""
    tokens = text.tokens
    for position, token in enumerate(tokens):
        if token in programme and token not in clusters:
            return True
        # "the Knowledge Cluster Initiative": a cluster noun inside the programme's name
        named = (position + 1 < len(tokens) and tokens[position + 1] in programme) or (
            position > 0 and tokens[position - 1] in programme
        )
        if token in clusters and not named:
            return False
    return any(word in text.cleaned for word in ja_programme)


def describes_a_cluster(
    field_hits: list[PhraseHit], text: Text, regions: RegionMatch, nouns: frozenset[str]
) -> bool:
    """ "the Sapporo IT cluster", "IT cluster in Sapporo", "札幌のITクラスター": fields
    written as part of a cluster's name, which pick one of the place's clusters."""
    places = set(regions.consumed)
    tokens = text.tokens
    for hit in field_hits:
        following = tokens[hit.end] if hit.end < len(tokens) else ""
        if following.startswith(("クラスター", "クラスタ")) or (
            not hit.latin and text.compact[hit.end :].startswith(("クラスター", "クラスタ"))
        ):
            return True
        if not hit.latin:
            continue
        beside_place = hit.start - 1 in places or hit.end in places
        if beside_place and (following in nouns or following == "" or hit.end in places):
            return True
        if following in ("cluster", "clusters") and places & set(range(hit.end + 1, hit.end + 4)):
            return True
    return False


def japanese_is_noun_phrase(text: Text, hits: list[PhraseHit], nouns: tuple[str, ...]) -> bool:
    """ "環境分野のクラスターは？": the Japanese words are all recognised vocabulary,
    particles and the word cluster, as in a listing's title."""
    japanese = "".join(t for t in text.tokens if not t.isascii())
    if not japanese:
        return True
    compact = text.compact
    covered = [False] * len(compact)
    for hit in hits:
        if not hit.latin:
            covered[hit.start : hit.end] = [True] * (hit.end - hit.start)
    rest = "".join(
        ch for ch, done in zip(compact, covered, strict=True) if not done and not ch.isascii()
    )
    for word in (*nouns, *_JA_ADNOMINAL_ENDINGS):  # the longest first
        rest = rest.replace(word, "")
    return all(ch in _JA_GRAMMAR for ch in rest)


def greeting_only(
    text: Text, intent_hits: list[PhraseHit], field_hits, regions: RegionMatch, stopwords
) -> bool:
    """Only greeting or thanks words (and the bot's name): nothing is asked."""
    if not intent_hits or field_hits or regions.cluster_ids or regions.unclustered:
        return False
    if any(hit.payload != "greeting" for hit in intent_hits):
        return False
    greeting_positions = {p for h in intent_hits if h.latin for p in range(h.start, h.end)}
    rest = [
        t
        for i, t in enumerate(text.tokens)
        if i not in greeting_positions
        and t.isascii()
        and t not in _GREETING_FILLER
        and t not in stopwords
    ]
    japanese = "".join(t for t in text.tokens if not t.isascii())
    for hit in intent_hits:
        if not hit.latin:
            japanese = japanese.replace(hit.phrase, "", 1)
    return not rest and len(japanese) <= 2
