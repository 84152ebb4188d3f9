"""How a question qualifies what it asks: earned stage/status filters, field quantifiers,
superlatives, page numbers and years.

A word only becomes a filter in a context that makes it one: "one" names the First Stage
in "stage one", never in "one question"; "done" names the ended clusters in "the cluster
done" or "the done ones", never in "are you done". A status word after the clusters it
speaks of ("is the Fukuoka cluster done?") asks for their status rather than filtering them.
Everything here is pure and works on the already normalized `Text`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.engine.text import PhraseHit, Text

CLUSTER_NOUNS = frozenset(
    "cluster clusters ones project projects region regions area areas".split()
)
STAGE_NOUNS = frozenset("stage stages phase phases period".split())
# The programme itself as a question's subject ("is the programme still running?").
PROGRAMME_NOUNS = frozenset("program programme initiative kci mext".split())
_JA_PROGRAMME = "事業"
FIELD_NOUNS = frozenset("field fields area areas discipline disciplines sector sectors".split())
RANKED_NOUNS = {
    "cluster": "clusters",
    "clusters": "clusters",
    "field": "fields",
    "fields": "fields",
    "area": "fields",
    "areas": "fields",
    "stage": "stages",
    "stages": "stages",
    "phase": "stages",
    "place": "places",
    "places": "places",
    "city": "places",
    "cities": "places",
    "region": "places",
    "regions": "places",
    "prefecture": "places",
}
_YES_NO_OPENERS = frozenset(
    "is are was were has have had did does do will would can could isnt arent hasnt".split()
)
_JA_MODIFIED_NOUNS = ("クラスター", "クラスタ", "もの", "方", "ほう", "ところ", "地域")
_JA_LINKS = ("している", "した", "してる", "の", "な", "中の")
_JA_QUESTION_ENDINGS = ("か", "かな", "かね", "の")  # a yes/no question's last word

_PAGE_EN = re.compile(r"\b(?:page|pg|pp?)\s*\.?\s*(?:no\.?\s*)?(\d{1,3})\b", re.IGNORECASE)
_PAGE_EN_ORDINAL = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)?\s+page\b", re.IGNORECASE)
_PAGE_JA = re.compile(r"(\d{1,3})\s*(?:ページ|頁|ぺーじ)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_NUMBERS = {
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
}
_FIELD_COUNT_EN = re.compile(
    r"\b(one|single|two|three|four|[1-4])\s+(?:key\s+|research\s+)?(?:fields?|areas?)\b",
    re.IGNORECASE,
)
_FIELD_COUNT_JA = re.compile(r"([1-4一二三四])\s*つの(?:重点)?分野|分野が\s*([1-4一二三四])\s*つ")


@dataclass(frozen=True, slots=True)
class Superlative:
    """ "which cluster has the most fields": rank `ranked` by how many `counted` each has."""

    direction: str  # "most" | "fewest"
    ranked: str  # "clusters" | "fields" | "stages" | "places"
    counted: str  # "fields" | "clusters"


def earned(
    hit: PhraseHit, query: Text, contextual: Collection[str], nouns: Collection[str]
) -> bool:
    """Whether a stage or status word is used as one here. Its own name and synonyms always
    are; a contextual word only beside a noun that makes it one, or alone."""
    if hit.phrase not in contextual:
        return True
    if not hit.latin:
        return len(query.compact) <= len(hit.phrase) + len("クラスター")
    tokens = query.tokens
    window = (*tokens[max(0, hit.start - 3) : hit.start], *tokens[hit.end : hit.end + 2])
    if any(token in nouns for token in window):
        return True
    others = [t for i, t in enumerate(tokens) if not hit.start <= i < hit.end]
    return not others or all(t in CLUSTER_NOUNS or t in ("the", "list", "show") for t in others)


def modifies_a_noun(hit: PhraseHit, query: Text, region_positions: Collection[int]) -> bool:
    """ "the ended Hamamatsu one", "終了したクラスター": the status word qualifies what
    follows it (a filter), rather than being said of it ("is it ended?")."""
    if hit.latin:
        if hit.end >= len(query.tokens):
            return False
        following = query.tokens[hit.end]
        return following in CLUSTER_NOUNS or following == "one" or hit.end in region_positions
    rest = query.compact[hit.end :]
    for link in _JA_LINKS:
        if rest.startswith(link):
            rest = rest[len(link) :]
            break
    return rest.startswith(_JA_MODIFIED_NOUNS)


def is_which_question(query: Text) -> bool:
    """ "which Hokkaido clusters have ended", "どのクラスターが終了": a status word there
    picks clusters out rather than asking theirs."""
    first = query.tokens[0] if query.tokens else ""
    return (
        first in ("which", "what", "list", "show")
        or "どの" in query.compact
        or "どれ" in query.compact
    )


def is_yes_no(query: Text) -> bool:
    if query.tokens and query.tokens[0] in _YES_NO_OPENERS:
        return True
    text = query.cleaned.rstrip(" 。?？!！")
    return not text.isascii() and text.endswith(_JA_QUESTION_ENDINGS)


def names_the_programme(query: Text) -> bool:
    """The programme is what the question is about: it is named before any cluster noun
    ("is MEXT still funding clusters?", not "are the clusters of the initiative active?")."""
    tokens = query.tokens
    for position, token in enumerate(tokens):
        if token in PROGRAMME_NOUNS:
            return True
        in_the_name = position > 0 and tokens[position - 1] == "knowledge"
        if token in CLUSTER_NOUNS and not in_the_name:  # "the Knowledge Cluster Initiative"
            return False
    return _JA_PROGRAMME in query.cleaned


def negated(hit: PhraseHit, not_hits: Sequence[PhraseHit], query: Text) -> bool:
    """A "not" word just before a Latin phrase ("not in life sciences", "don't work on IT")
    or a Japanese one just after ("IT以外", "ライフサイエンスではない")."""
    end = hit.end if not hit.latin else sum(len(t) for t in query.tokens[: hit.end])
    for neg in not_hits:
        if hit.latin and neg.latin and 0 <= hit.start - neg.end <= 3:
            return True
        if not neg.latin and 0 <= neg.start - end <= 3:
            return True
    return False


def near(hit: PhraseHit, others: Sequence[PhraseHit], before: int, after: int) -> bool:
    """Whether one of `others` is within `before` positions before or `after` after `hit`
    (tokens for Latin phrases, characters for Japanese ones)."""
    for other in others:
        if other.latin != hit.latin:
            continue
        if 0 <= hit.start - other.end <= before or 0 <= other.start - hit.end <= after:
            return True
    return False


def joined_by_and(field_hits: Sequence[PhraseHit], query: Text) -> bool:
    """ "IT and Environment", "ITと環境": two fields joined by "and" (both), not "or"."""
    latin = sorted((h for h in field_hits if h.latin), key=lambda h: h.start)
    for first, second in pairwise(latin):
        between = query.tokens[first.end : second.start]
        if "or" in between or "either" in between:
            return False
        if "and" in between or "plus" in between:
            return True
    other = sorted((h for h in field_hits if not h.latin), key=lambda h: h.start)
    for first, second in pairwise(other):
        between = query.compact[first.end : second.start]
        if "か" in between or "または" in between or "又は" in between:
            return False
        if between in ("と", "も", "および", "及び", "・", "、", "や"):
            return True
    return False


def superlative(
    query: Text, most: Sequence[PhraseHit], fewest: Sequence[PhraseHit]
) -> Superlative | None:
    hits = [("most", h) for h in most] + [("fewest", h) for h in fewest]
    if not hits:
        return None
    direction, hit = hits[0]
    if hit.latin:
        counted = next(
            (RANKED_NOUNS[t] for t in query.tokens[hit.end : hit.end + 5] if t in RANKED_NOUNS),
            None,
        )
        asked = next(
            (
                RANKED_NOUNS[query.tokens[i + 1]]
                for i, t in enumerate(query.tokens[:-1])
                if t in ("which", "what") and query.tokens[i + 1] in RANKED_NOUNS
            ),
            None,
        )
    else:
        before = query.compact[: hit.start]
        counted = _ja_noun(before[-6:])
        asked = _ja_noun(query.compact[hit.end :])
    if counted in ("stages", "places"):  # "which is bigger, the first or second stage"
        return Superlative(direction, counted, "clusters")
    if counted is None or counted == asked:
        counted = "clusters" if asked in ("fields", "stages", "places") else "fields"
    if counted == "fields":
        return Superlative(direction, "clusters", "fields")
    ranked = asked if asked in ("fields", "stages", "places") else "fields"
    return Superlative(direction, ranked, "clusters")


def _ja_noun(text: str) -> str | None:
    found = [
        (text.rfind(word), kind)
        for word, kind in (("分野", "fields"), ("クラスター", "clusters"), ("期", "stages"))
        if word in text
    ]
    return max(found)[1] if found else None


def page_number(query: Text) -> int | None:
    text = query.cleaned
    for pattern in (_PAGE_EN, _PAGE_EN_ORDINAL, _PAGE_JA):
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def field_count(query: Text) -> int | None:
    """ "clusters with exactly two fields", "分野が3つのクラスター": a number of key fields
    (not "the four key fields", which names the plan's four)."""
    text = query.cleaned
    match = _FIELD_COUNT_EN.search(text)
    if match and not re.search(r"\b(?:the|all)\s+(?:four|4)\b", text, re.IGNORECASE):
        word = match.group(1).lower()
        return int(word) if word.isdigit() else _NUMBERS[word]
    match = _FIELD_COUNT_JA.search(text)
    if match and "4つの重点分野" not in text:
        word = match.group(1) or match.group(2)
        return int(word) if word.isdigit() else _NUMBERS[word]
    return None


def years(query: Text) -> tuple[int, ...]:
    return tuple(int(y) for y in dict.fromkeys(_YEAR.findall(query.cleaned)))
