"""Composed rules: typed items built from the items of a question's chart.

Each rule is named and reads like Duckling's: a pattern of typed items (and the words
between them) and what they make. "not in life sciences" is <negation> <field> → an
excluded field; "IT and Environment" <field> <and> <field> → both; "the third stage"
<ordinal> <stage noun> → a stage the sources do not have. A rule only adds items; the
reading (`bot.engine.reading.parse`) assembles the query from what the rules made, and a
word a rule used is explained.

English patterns read left to right over words; Japanese ones over the characters of the
question, where a negation or limit follows what it applies to (IT以外, 環境だけ).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.engine.reading import chart as K
from bot.engine.reading.chart import Chart, Item
from bot.engine.reading.query import Superlative
from bot.engine.text import Text

# Items the rules make (and the parse reads).
EXCLUDED_FIELD = "excluded_field"  # value: field id
FIELDS_ALL = "fields_all"  # value: field ids joined by "and"
FIELDS_ONLY = "fields_only"  # value: field ids limited by "only"
STAGE_TERM = "stage_term"  # an earned stage (value: stage id)
STATUS_TERM = "status_term"  # an earned status (value: status id)
EXCLUDED_STAGE = "excluded_stage"  # a negated stage that has no one other (value: stage id)
EXCLUDED_STATUS = "excluded_status"  # a negated status that has no one other (value: id)
UNKNOWN_STAGE = "unknown_stage"  # value: the stage's number ("the third stage")
PAGE = "page"  # value: page number
YEAR = "year"  # value: year
FIELD_COUNT = "field_count"  # value: a number of key fields
RANK = "rank"  # value: Superlative
AMOUNT = "amount"  # an amount of yen said in the question (value: int)
CLUSTER_COUNT = "cluster_count"  # a number of clusters the question states (value: int)
KEY_FIELDS_COUNT = "key_fields_count"  # "the 5 key fields": the programme's, stated (int)
PLAN = "plan"  # "the Third Basic Plan": a plan's number, not a stage (value: int)

# What a Japanese status word qualifies: the clusters (or the places they are in), or a
# noun standing for them (終了したもの). Only the clusters make a contextual word a status:
# 現在のクラスター is the active ones, 現在のところ "for now".
_JA_CLUSTER_NOUNS = ("クラスター", "クラスタ", "知的クラスタ", "プロジェクト", "地域")
_JA_MODIFIED_NOUNS = (*_JA_CLUSTER_NOUNS, "もの", "方", "ほう", "ところ")
_JA_WHEN = "いつ"
_JA_LINKS = ("している", "した", "してる", "の", "な", "中の")
_ORDINAL_WORDS = {
    "first": 1,
    "1st": 1,
    "one": 1,
    "second": 2,
    "2nd": 2,
    "two": 2,
    "third": 3,
    "3rd": 3,
    "three": 3,
    "fourth": 4,
    "4th": 4,
    "four": 4,
    "fifth": 5,
    "5th": 5,
    "five": 5,
}
_KANJI_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
# Text normalization (NFKC, case) has already made 第Ⅲ期 and 第III期 read 第iii期.
_JA_STAGE = re.compile(r"第([0-9一二三四五]|[ivx]+)(?:期|段階|ステージ)")
_ROMAN = re.compile(r"(x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10}
_JA_PLAN_AFTER = ("科学技術基本計画", "基本計画", "科学技術")
_JA_PLAN_REACH = 12  # 「第2期と第3期の科学技術基本計画」: the plan named after both numbers
_EN_PLAN_AFTER = ("science", "basic", "plan")
_PLAN_ORDINALS = re.compile(
    r"\b(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\b|第[0-9一二三四五]期"
)


# "which cluster is listed first under the second stage?", 「目次で最初に載っているクラスター」,
# "last entry in the table of contents?": an end of the contents' order.
_FIRST_WORDS = frozenset({"first", "1st", "top"})
_LAST_WORDS = frozenset({"last", "final"})
_LISTED_WORDS = frozenset({"listed", "entry", "entries", "item", "items", "appears"})
_JA_FIRST = ("最初", "一番目", "1番目", "先頭", "トップ")
_JA_LAST = ("最後", "末尾")
_JA_LISTED = ("目次", "載っ", "掲載")


def contents_end(text: Text) -> str | None:
    """ "first" or "last" when the question asks which entry the contents list there."""
    tokens = set(text.tokens)
    compact = text.compact
    if not (tokens & _LISTED_WORDS or any(w in compact for w in _JA_LISTED)):
        return None
    if tokens & _LAST_WORDS or any(w in compact for w in _JA_LAST):
        return "last"
    if tokens & _FIRST_WORDS or any(w in compact for w in _JA_FIRST):
        return "first"
    return None


_SOLE_NOUNS = frozenset({"one", "cluster", "clusters", "region", "project"})
_JA_SOLE = ("唯一", "だけですか", "だけでしたか", "だけ？", "だけなの", "のみですか")


def claims_the_only_one(text: Text) -> bool:
    """ "Is Kyoto the only cluster that did nothing but nanotech?", 「…のは京都だけですか？」:
    a named cluster claimed to be alone in a set."""
    tokens = text.tokens
    sole = any(
        tokens[i : i + 2] == ("the", "only") and set(tokens[i + 2 : i + 6]) & _SOLE_NOUNS
        for i in range(len(tokens) - 2)
    )
    return sole or any(w in text.compact for w in _JA_SOLE)


_PHONE = re.compile(r"(?<![\d-])0\d{1,4}-\d{1,4}-\d{3,4}(?![\d-])")


def number_claimed(text: Text) -> str | None:
    """A telephone or fax number said in the question ("the Sendai office phone is
    022-346-9238, right?"), which a yes/no question claims."""
    found = _PHONE.search(text.cleaned)
    return found.group(0) if found else None


def plans_numbered(text: Text) -> int:
    """How many Basic Plans a question numbers ("the 2nd and 3rd basic plans",
    「第2期と第3期の科学技術基本計画」): a computation over two of them is asked of both."""
    if "basic plan" not in text.normalized and "基本計画" not in text.compact:
        return 0
    return len({m.group(0) for m in _PLAN_ORDINALS.finditer(f"{text.normalized} {text.compact}")})


_PAGE_EN = re.compile(r"\b(?:page|pg|pp?)\s*\.?\s*(?:no\.?\s*)?(\d{1,3})\b", re.IGNORECASE)
_PAGE_EN_ORDINAL = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)?\s+page\b", re.IGNORECASE)
_PAGE_JA = re.compile(r"(\d{1,3})\s*(?:ページ|頁|ぺーじ)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# "6.9 billion yen", "500 million", "9bn", "69億円", "5,000万円"
# "6.9 billion", "9bn", "500M yen", "~500m": the short forms as chat writes them.
_AMOUNT_EN = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(billion|bn|million|mn|m|b)\b(?!\s*(?:years?|clusters?|regions?))",
    re.IGNORECASE,
)
_AMOUNT_JA = re.compile(r"(\d+(?:[.,]\d+)?)\s*(億|万)")
_SCALE = {
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "億": 10**8,
    "万": 10**4,
}
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
# "were there 30 clusters?", "7 second stage clusters", 「クラスターは30件」: a number of
# clusters stated, not asked (a stage, page or field count before the noun is not one).
_COUNT_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
}
_CLUSTER_COUNT_EN = re.compile(
    r"(?<!stage )(?<!phase )(?<!page )(?<!p\. )\b(\d{1,3}|" + "|".join(_COUNT_WORDS) + r")"
    r"\s+(?:(?!fields?\b|areas?\b|years?\b)[a-z][a-z/&.-]*\s+){0,4}?"
    r"(?:knowledge\s+)?(?:clusters?|regions|projects)\b",
    re.IGNORECASE,
)
_CLUSTER_COUNT_JA = re.compile(
    r"(?:(?:クラスター|クラスタ)[^0-9。？?]{0,8}?(\d{1,3})\s*(?:件|個|つ)"
    r"|(\d{1,3})\s*(?:件|個|つ)の?(?:[^0-9。？?]{0,8}?)(?:クラスター|クラスタ))"
)
# "which of the 5 key fields…", 「5つの重点分野」: how many key fields the programme has, said.
_KEY_FIELDS_EN = re.compile(
    r"\bthe\s+(\d{1,2}|" + "|".join(_COUNT_WORDS) + r")\s+(?:key|priority|main)\s+fields\b",
    re.IGNORECASE,
)
_KEY_FIELDS_JA = re.compile(r"(\d{1,2})\s*つの重点分野")
_CLUSTER_VERBS = frozenset("cover covers covered covering work works worked do does did".split())
_FIELD_COUNT_JA = re.compile(r"([1-4一二三四])\s*つの(?:重点)?分野|分野が\s*([1-4一二三四])\s*つ")
_RANKED_NOUNS = {
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


@dataclass(frozen=True, slots=True)
class Reading:
    """What the rules need besides the chart: the knowledge base's stage and status ids, its
    contextual words and the lexicon's generic nouns."""

    stage_ids: tuple[str, ...]
    status_ids: tuple[str, ...]
    contextual: frozenset[str]
    cluster_nouns: frozenset[str]  # lexicon.yaml's nouns for clusters and places
    stage_nouns: frozenset[str]
    asking: frozenset[str] = frozenset()  # contextual words that are also cues ("end")


Rule = Callable[[Chart, Reading], list[Item]]


def _tokens(chart: Chart, item: Item) -> tuple[int, int]:
    first, end, _ = chart.place(item)
    return first, end


def _latin(chart: Chart, item: Item) -> bool:
    return chart.place(item)[2]


def _cues(chart: Chart, name: str) -> list[Item]:
    return [item for item in chart.of_kind(K.CUE) if item.value == name]


def before(chart: Chart, item: Item, other: Item, within: int) -> bool:
    """`other` ends at most `within` words before `item` starts (same script)."""
    if _latin(chart, item) != _latin(chart, other):
        return False
    if _latin(chart, item):
        return 0 <= _tokens(chart, item)[0] - _tokens(chart, other)[1] <= within
    return 0 <= item.start - other.end <= within


def after(chart: Chart, item: Item, other: Item, within: int) -> bool:
    return before(chart, other, item, within)


def negated(chart: Chart, item: Item) -> Item | None:
    """<negation> (up to three words) <item> in English; <item> <negation> in Japanese,
    where the negation follows within three characters (IT以外, 環境ではない)."""
    negations = chart.memo.get(K.NEGATION)
    if negations is None:
        negations = chart.memo[K.NEGATION] = sorted(chart.of_kind(K.NEGATION), key=_by_start)
    if not negations:
        return None
    # Only the nearest negations can be close enough: the last one ending before the item
    # (English) and the first one starting after it (Japanese).
    index = bisect_right(negations, item.start, key=lambda n: n.end)
    nearest = [n for n in negations[max(0, index - 2) : index + 2] if n is not item]
    for negation in nearest:
        if negation.covers(item) or item.covers(negation):
            continue
        if _answers_back(chart, negation):
            continue
        if _latin(chart, item) and _latin(chart, negation) and before(chart, item, negation, 3):
            return negation
        if not _latin(chart, negation) and 0 <= negation.start - item.end <= 3:
            return negation
    return None


def _answers_back(chart: Chart, negation: Item) -> bool:
    """ "no i meant the second stage one", "no, the first one": a "no" opening the message
    answers the previous reply; it negates nothing in the question."""
    first, end, latin = chart.place(negation)
    return latin and first == 0 and chart.text.tokens[first:end] == ("no",)


def _by_start(item: Item) -> tuple[int, int]:
    return item.start, item.end


# -- the rules ------------------------------------------------------------------------------


def excluded_fields(chart: Chart, reading: Reading) -> list[Item]:
    """<negation> <field>: "not in life sciences", "IT以外" exclude the field."""
    made = []
    for field in chart.of_kind(K.FIELD):
        negation = negated(chart, field)
        if negation is not None:
            made.append(_joined(EXCLUDED_FIELD, field.value, (negation, field), "excluded_field"))
    return made


def fields_joined(chart: Chart, reading: Reading) -> list[Item]:
    """<field> <and> <field>: both ("IT and Environment", 「ITと環境」); "or" or "either"
    between them keeps either; "both" anywhere asks for all of them."""
    positive = _positive_fields(chart)
    if len({f.value for f in positive}) < 2:
        return []
    if _cues(chart, "both"):
        return [_joined(FIELDS_ALL, _ids(positive), tuple(positive), "both_fields")]
    for first, second in pairwise(sorted(positive, key=lambda f: f.start)):
        between = [i for i in chart.items if first.end <= i.start and i.end <= second.start]
        if any(i.kind == K.OR for i in between) or _words_between(chart, first, second) & {
            "or",
            "either",
        }:
            return []
        if any(i.kind == K.AND for i in between) or _words_between(chart, first, second) & {
            "and",
            "plus",
        }:
            return [_joined(FIELDS_ALL, _ids(positive), (first, second), "fields_and")]
        if not _latin(chart, first) and _japanese_between(chart, first, second) in (
            "と",
            "も",
            "および",
            "及び",
            "や",
        ):
            return [_joined(FIELDS_ALL, _ids(positive), (first, second), "fields_and")]
    return []


def fields_only(chart: Chart, reading: Reading) -> list[Item]:
    """<only> <field> / <field> <only>: "just life sciences", 「環境だけ」: those fields and
    no other."""
    positive = _positive_fields(chart)
    tokens = chart.text.tokens
    for only in _cues(chart, "only"):
        first, _, latin = chart.place(only)
        if latin and first and tokens[first - 1] == "the":
            continue  # "the only environment cluster": one cluster alone, not one field
        for field in positive:
            if before(chart, field, only, 3) or after(chart, field, only, 4):
                return [_joined(FIELDS_ONLY, _ids(positive), (only, field), "only_fields")]
    return []


def earned_terms(chart: Chart, reading: Reading) -> list[Item]:
    """A stage or status word is one only where it is used as one: its own name and
    synonyms always; a contextual word ("one", "over", "done") beside a noun that makes it
    one ("stage one", "the clusters done") or alone. <negation> <term> is never the term:
    it is the other term when there are two ("not active" is ended), else the term left
    out."""
    made = []
    for kind, known, nouns, built, excluded in (
        (K.STAGE, reading.stage_ids, reading.stage_nouns, STAGE_TERM, EXCLUDED_STAGE),
        (
            K.STATUS,
            reading.status_ids,
            reading.cluster_nouns | reading.stage_nouns,
            STATUS_TERM,
            EXCLUDED_STATUS,
        ),
    ):
        terms = list(chart.of_kind(kind))
        earned = [
            t
            for t in terms
            if _earned(chart, t, reading.contextual, nouns, reading.cluster_nouns, reading.asking)
        ]
        # "the first and second stage", "more in the first stage than in the second": a
        # word joined to a term of its kind is one too.
        earned += [t for t in terms if t not in earned and _joined_to(chart, t, earned)]
        # "the second stage one": "one" is the pronoun after "second stage", not "stage one"
        # (of two terms sharing a word, the one read first)
        earned = [
            t
            for t in earned
            if not any(o.start < t.start < o.end and o.value != t.value for o in earned)
        ]
        for term in sorted(earned, key=lambda t: t.start):
            negation = negated(chart, term)
            if negation is not None and len(known) == 2:
                other = next(t for t in known if t != term.value)
                made.append(_joined(built, other, (negation, term), f"negated_{kind}"))
            elif negation is not None:
                made.append(_joined(excluded, term.value, (negation, term), f"excluded_{kind}"))
            else:
                made.append(_joined(built, term.value, (term,), f"earned_{kind}"))
    return made


_JOINING = frozenset("and or than vs versus to from between".split())


def _joined_to(chart: Chart, term: Item, earned: Sequence[Item]) -> bool:
    """A word that a joining word ("and", "than", "to") links to an earned term of its kind
    within four words."""
    if not _latin(chart, term):
        return False
    first, end = _tokens(chart, term)
    tokens = chart.text.tokens
    for other in earned:
        if not _latin(chart, other):
            continue
        other_first, other_end = _tokens(chart, other)
        gap = tokens[end:other_first] if other_first >= end else tokens[other_end:first]
        if len(gap) <= 4 and _JOINING & set(gap):
            return True
    return False


def unknown_stages(chart: Chart, reading: Reading) -> list[Item]:
    """<ordinal> <stage noun> ("the third stage", "stage 3", 第3期) naming a stage past the
    sources' stages: a stage the question presupposes. A plan's number is not a stage
    ("the Third Science and Technology Basic Plan", 第3期科学技術基本計画)."""
    made = []
    tokens = chart.text.tokens
    count = len(reading.stage_ids)
    stage_nouns = reading.stage_nouns
    for position, token in enumerate(tokens):
        number = _ORDINAL_WORDS.get(token)
        if number is None and token.isdecimal() and len(token) == 1:
            number = int(token)
        if number is None or number <= count:
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        preceding = tokens[position - 1] if position > 0 else ""
        if following in stage_nouns or (preceding in stage_nouns and token.isdigit()):
            end = position + 2 if following in stage_nouns else position + 1
            start = position if following in stage_nouns else position - 1
            if following in stage_nouns and tokens[end : end + 1] and tokens[end] in _EN_PLAN_AFTER:
                continue
            span = chart.latin_span(start, end)
            made.append(Item(UNKNOWN_STAGE, number, *span, rule="ordinal_stage"))
    compact = chart.text.compact
    for match in _JA_STAGE.finditer(compact):
        number = _stage_number(match.group(1))
        if number is None:
            continue
        # 「第3期科学技術基本計画」, 「第2期と第3期の科学技術基本計画」: a Basic Plan's number.
        after = compact[match.end() : match.end() + _JA_PLAN_REACH]
        if any(after.lstrip("との、・").startswith(w) or f"の{w}" in after for w in _JA_PLAN_AFTER):
            made.append(Item(PLAN, number, match.start(), match.end(), rule="plan_number"))
        elif number > count:
            made.append(Item(UNKNOWN_STAGE, number, match.start(), match.end(), rule="ja_stage"))
    return made


def numbers(chart: Chart, reading: Reading) -> list[Item]:
    """Page numbers ("page 5", "5ページ"), years (2004, 2004年度), amounts of yen ("6.9
    billion yen", 「69億円」) and numbers of key fields ("clusters with two fields",
    「分野が3つ」; not "the four key fields")."""
    text = chart.text.cleaned
    made = []
    for pattern in (_PAGE_EN, _PAGE_EN_ORDINAL, _PAGE_JA):
        match = pattern.search(text)
        if match:
            made.append(_number_item(chart, PAGE, int(match.group(1)), "page_number"))
            break
    for year in dict.fromkeys(_YEAR.findall(text)):
        made.append(_number_item(chart, YEAR, int(year), "year"))
    for pattern in (_AMOUNT_EN, _AMOUNT_JA):
        for match in pattern.finditer(text):
            number = float(match.group(1).replace(",", ""))
            value = round(number * _SCALE[match.group(2).lower()])
            written = "".join(match.group(0).casefold().split())
            position = chart.text.compact.find(written)
            if position >= 0:  # on the words as written: "500m" is explained by the amount
                made.append(Item(AMOUNT, value, position, position + len(written), "amount"))
            else:
                made.append(_number_item(chart, AMOUNT, value, "amount"))
    match = _CLUSTER_COUNT_EN.search(text)
    if match:
        word = match.group(1).lower()
        value = int(word) if word.isdecimal() else _COUNT_WORDS[word]
        made.append(_number_item(chart, CLUSTER_COUNT, value, "cluster_count"))
    else:
        match = _CLUSTER_COUNT_JA.search(text)
        if match:
            made.append(
                _number_item(
                    chart, CLUSTER_COUNT, int(match.group(1) or match.group(2)), "cluster_count"
                )
            )
    match = _KEY_FIELDS_EN.search(text) or _KEY_FIELDS_JA.search(text)
    if match:
        word = match.group(1).lower()
        value = int(word) if word.isdecimal() else _COUNT_WORDS[word]
        made.append(_number_item(chart, KEY_FIELDS_COUNT, value, "key_fields_count"))
    match = _FIELD_COUNT_EN.search(text)
    # "clusters with two fields", "does Hamamatsu cover three fields?"; not "are there four
    # key fields?" or "the program has 4 priority fields": the programme's, not a cluster's.
    of_clusters = bool(set(chart.text.tokens) & (reading.cluster_nouns | _CLUSTER_VERBS))
    if (
        match
        and of_clusters
        and not re.search(r"\b(?:the|all)\s+(?:four|4)\b", text, re.IGNORECASE)
    ):
        word = match.group(1).lower()
        value = int(word) if word.isdecimal() else _NUMBERS[word]
        made.append(_number_item(chart, FIELD_COUNT, value, "field_count"))
    else:
        match = _FIELD_COUNT_JA.search(text)
        if match and "4つの重点分野" not in text and "四つの重点分野" not in text:
            word = match.group(1) or match.group(2)
            value = int(word) if word.isdecimal() else _NUMBERS[word]
            made.append(_number_item(chart, FIELD_COUNT, value, "field_count"))
    return made


def ranking(chart: Chart, reading: Reading) -> list[Item]:
    """<most|fewest> ... <noun>: "which cluster has the most fields", "which stage had more
    clusters", 「いちばん多くのクラスターが取り組んだ分野」."""
    hits = [("most", h) for h in _cues(chart, "most")] + [
        ("fewest", h) for h in _cues(chart, "fewest")
    ]
    if not hits:
        return []
    direction, hit = min(hits, key=lambda pair: pair[1].start)
    tokens = chart.text.tokens
    if _latin(chart, hit):
        _, end = _tokens(chart, hit)
        counted = next(
            (_RANKED_NOUNS[t] for t in tokens[end : end + 5] if t in _RANKED_NOUNS), None
        )
        asked = next(
            (
                _RANKED_NOUNS[tokens[i + 1]]
                for i, t in enumerate(tokens[:-1])
                if t in ("which", "what") and tokens[i + 1] in _RANKED_NOUNS
            ),
            None,
        )
    else:
        compact = chart.text.compact
        counted = _ja_noun(compact[: hit.start][-6:])
        asked = _ja_noun(compact[hit.end :])
    if counted in ("stages", "places"):
        value = Superlative(direction, counted, "clusters")
    else:
        if counted is None or counted == asked:
            counted = "clusters" if asked in ("fields", "stages", "places") else "fields"
        if counted == "fields":
            value = Superlative(direction, "clusters", "fields")
        else:
            ranked = asked if asked in ("fields", "stages", "places") else "fields"
            value = Superlative(direction, ranked, "clusters")
    return [Item(RANK, value, hit.start, hit.end, rule="superlative", parts=(hit,))]


# Stage and status terms first: the cues inside a term's name ("2nd stage") are not asked.
TERM_RULES: tuple[tuple[str, Rule], ...] = (("earned_terms", earned_terms),)
RULES: tuple[tuple[str, Rule], ...] = (
    ("excluded_fields", excluded_fields),
    ("fields_joined", fields_joined),
    ("fields_only", fields_only),
    ("unknown_stages", unknown_stages),
    ("numbers", numbers),
    ("ranking", ranking),
)


def apply_terms(chart: Chart, reading: Reading) -> None:
    for _, rule in TERM_RULES:
        chart.extend(rule(chart, reading))


def apply(chart: Chart, reading: Reading) -> None:
    """Every other rule, in order, each adding what it makes to the chart."""
    for _, rule in RULES:
        chart.extend(rule(chart, reading))


# -- predicates the parse shares -------------------------------------------------------------


def modifies_a_noun(
    chart: Chart, item: Item, name_positions: frozenset[int], cluster_nouns: frozenset[str]
) -> bool:
    """ "the ended Hamamatsu one", "終了したクラスター": the status word qualifies what
    follows it (a filter), rather than being said of it ("is it ended?")."""
    tokens = chart.text.tokens
    if _latin(chart, item):
        _, end = _tokens(chart, item)
        if end >= len(tokens):
            return False
        following = tokens[end]
        return following in cluster_nouns or following == "one" or end in name_positions
    return _ja_qualifies(chart, item, _JA_MODIFIED_NOUNS)


def _ja_qualifies(chart: Chart, item: Item, nouns: tuple[str, ...]) -> bool:
    """A Japanese word followed by one of `nouns`, directly or through a link (の, な,
    した): 終了したクラスター, 現在のクラスター."""
    rest = chart.text.compact[item.end :]
    for link in _JA_LINKS:
        if rest.startswith(link):
            rest = rest[len(link) :]
            break
    return rest.startswith(nouns)


# -- helpers ----------------------------------------------------------------------------------


def _earned(
    chart: Chart,
    term: Item,
    contextual: frozenset[str],
    nouns: frozenset[str],
    cluster_nouns: frozenset[str],
    asking: frozenset[str] = frozenset(),
) -> bool:
    phrase = chart.text.compact[term.start : term.end]
    latin = _latin(chart, term)
    if latin:
        first, end = _tokens(chart, term)
        phrase = " ".join(chart.text.tokens[first:end])
    if phrase not in contextual:
        return True
    if not latin:
        # The word alone, or qualifying the clusters wherever it stands.
        alone = len(chart.text.compact) <= len(phrase) + len("クラスター")
        if alone or _ja_qualifies(chart, term, _JA_CLUSTER_NOUNS):
            return True
        # A verb that also asks (終わった) is the clusters' status (「どれが終わった？」),
        # but the predicate asked about in 「いつ終わった？」, as "end" is in English.
        return phrase in asking and _JA_WHEN not in chart.text.compact
    tokens = chart.text.tokens
    first, end = _tokens(chart, term)
    if phrase in asking:
        # "current clusters"; not "the end" or "when will the second stage end?": a word that
        # asks something is a status before its noun, or as the verb of a yes/no question
        # about a cluster (read by the parser).
        return any(token in nouns for token in tokens[end : end + 2])
    window = (*tokens[max(0, first - 3) : first], *tokens[end : end + 2])
    if any(token in nouns for token in window):
        return True
    others = [t for i, t in enumerate(tokens) if not first <= i < end]
    return not others or all(t in cluster_nouns or t in ("the", "list", "show") for t in others)


def _positive_fields(chart: Chart) -> list[Item]:
    excluded = {part for item in chart.of_kind(EXCLUDED_FIELD) for part in item.parts}
    return [f for f in chart.of_kind(K.FIELD) if f not in excluded]


def _ids(fields: Sequence[Item]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.value for f in sorted(fields, key=lambda f: f.start)))


def _joined(kind: str, value: object, parts: tuple[Item, ...], rule: str) -> Item:
    return Item(kind, value, min(p.start for p in parts), max(p.end for p in parts), rule, parts)


def _words_between(chart: Chart, first: Item, second: Item) -> set[str]:
    if not (_latin(chart, first) and _latin(chart, second)):
        return set()
    _, start = _tokens(chart, first)
    end, _ = _tokens(chart, second)
    return set(chart.text.tokens[start:end])


def _japanese_between(chart: Chart, first: Item, second: Item) -> str:
    return chart.text.compact[first.end : second.start]


def _number_item(chart: Chart, kind: str, value: int, rule: str) -> Item:
    """A number found in the cleaned text, placed on the chart at its digits (or nowhere
    when written as a word)."""
    digits = str(value)
    position = chart.text.compact.find(digits)
    if position < 0:
        return Item(kind, value, 0, 0, rule)
    return Item(kind, value, position, position + len(digits), rule)


def _stage_number(numeral: str) -> int | None:
    """The number of a Japanese stage name's numeral: a digit, a kanji or a (lower-cased)
    Roman numeral; None for letters that are no Roman numeral ("第iix期")."""
    if numeral.isdecimal():
        return int(numeral)
    if numeral in _KANJI_NUMBERS:
        return _KANJI_NUMBERS[numeral]
    if not _ROMAN.fullmatch(numeral):
        return None
    values = [_ROMAN_DIGITS[letter] for letter in numeral]
    # A smaller value before a larger one is subtracted (iv, ix).
    return sum(
        -v if v < following else v for v, following in zip(values, [*values[1:], 0], strict=True)
    )


def _ja_noun(text: str) -> str | None:
    found = [
        (text.rfind(word), kind)
        for word, kind in (("分野", "fields"), ("クラスター", "clusters"), ("期", "stages"))
        if word in text
    ]
    return max(found)[1] if found else None
