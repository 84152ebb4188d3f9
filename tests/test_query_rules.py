"""The composed rules of bot/engine/reading/rules.py, one by one, on charts built by hand.

Each test places the lexicon's items itself (a negation here, a field there) on the chart of
a question and runs one rule, so a rule's pattern is tested apart from the lexicon that
feeds it: what it makes, from which parts, and what it leaves alone. The `Reading` is the
shipped knowledge base's (its stage and status ids, contextual words and generic nouns),
or one with a third stage or status, where the rules must follow the data.
"""

from __future__ import annotations

import dataclasses
import functools

import pytest

from bot.engine.reading import chart as K
from bot.engine.reading import rules as R
from bot.engine.reading.chart import Chart, Item
from bot.engine.reading.query import Superlative
from bot.engine.text import Text
from tests.support import shipped_knowledge


@functools.cache
def shipped_reading() -> R.Reading:
    parser = shipped_knowledge().engine.parser
    lexicon = parser.lexicon
    return R.Reading(
        parser.stage_ids,
        parser.status_ids,
        lexicon.contextual,
        lexicon.cluster_nouns,
        lexicon.stage_nouns,
    )


def _span(chart: Chart, words: str) -> tuple[int, int]:
    """Where `words` stand: whole English tokens, or a Japanese substring."""
    if words.isascii():
        wanted = tuple(words.lower().split())
        tokens = chart.text.tokens
        for first in range(len(tokens) - len(wanted) + 1):
            if tokens[first : first + len(wanted)] == wanted:
                return chart.latin_span(first, first + len(wanted))
        raise AssertionError(f"{words!r} is not among the tokens {tokens}")
    start = chart.text.compact.index(words)
    return start, start + len(words)


def chart_of(question: str, *marks: tuple[str, object, str]) -> Chart:
    """The chart of `question` with the items (kind, value, words) placed on it."""
    chart = Chart(Text.parse(question))
    for kind, value, words in marks:
        chart.add(Item(kind, value, *_span(chart, words)))
    return chart


def made(chart: Chart, rule, reading: R.Reading | None = None) -> list[tuple[str, object]]:
    return [(item.kind, item.value) for item in rule(chart, reading or shipped_reading())]


# ------------------------------------------------------------------ excluded_fields ----


def test_a_negation_before_a_field_excludes_it():
    chart = chart_of(
        "not in life sciences",
        (K.NEGATION, None, "not"),
        (K.FIELD, "life-sciences", "life sciences"),
    )
    (item,) = R.excluded_fields(chart, shipped_reading())
    assert (item.kind, item.value, item.rule) == (
        R.EXCLUDED_FIELD,
        "life-sciences",
        "excluded_field",
    )
    negation, field = chart.items
    assert item.parts == (negation, field)
    assert item.span == (negation.start, field.end)


@pytest.mark.parametrize(
    ("question", "negation", "field", "field_words", "excluded"),
    [
        ("IT以外のクラスター", "以外", "it", "it", [(R.EXCLUDED_FIELD, "it")]),
        ("環境ではない", "ではない", "environment", "環境", [(R.EXCLUDED_FIELD, "environment")]),
        # Too far: a negation reaches three words (English) or characters (Japanese).
        (
            "not a cluster that people say is in life sciences",
            "not",
            "life-sciences",
            "life sciences",
            [],
        ),
        ("環境のクラスターではない", "ではない", "environment", "環境", []),
        # English negates what follows, not what precedes.
        ("life sciences not", "not", "life-sciences", "life sciences", []),
    ],
)
def test_how_far_and_which_way_a_negation_reaches(question, negation, field, field_words, excluded):
    chart = chart_of(question, (K.NEGATION, None, negation), (K.FIELD, field, field_words))
    assert made(chart, R.excluded_fields) == excluded


def test_a_negation_excludes_only_the_field_it_stands_before():
    chart = chart_of(
        "IT but not environment",
        (K.FIELD, "it", "it"),
        (K.NEGATION, None, "not"),
        (K.FIELD, "environment", "environment"),
    )
    assert made(chart, R.excluded_fields) == [(R.EXCLUDED_FIELD, "environment")]


# ------------------------------------------------------------------- fields_joined ----


def _two_fields(question: str, first: str, second: str, *between) -> Chart:
    """IT, then Environment, at `first` and `second`, with the items `between`."""
    return chart_of(question, (K.FIELD, "it", first), *between, (K.FIELD, "environment", second))


BOTH = [(R.FIELDS_ALL, ("it", "environment"))]


@pytest.mark.parametrize(
    ("chart", "expected"),
    [
        (_two_fields("IT and environment", "it", "environment", (K.AND, None, "and")), BOTH),
        (_two_fields("ITと環境", "it", "環境", (K.AND, None, "と")), BOTH),
        # The words themselves, where the lexicon put no connective between the fields.
        (_two_fields("IT plus environment", "it", "environment"), BOTH),
        (_two_fields("情報と環境", "情報", "環境"), BOTH),
        (_two_fields("情報及び環境", "情報", "環境"), BOTH),
        (_two_fields("情報や環境", "情報", "環境"), BOTH),
        # Either of them, or nothing joining them: no "both".
        (_two_fields("IT or environment", "it", "environment", (K.OR, None, "or")), []),
        (_two_fields("IT or environment", "it", "environment"), []),
        (_two_fields("情報か環境", "情報", "環境"), []),
        (_two_fields("IT environment", "it", "environment"), []),
    ],
    ids=["and", "と item", "plus", "と", "及び", "や", "or item", "or", "か", "nothing between"],
)
def test_two_fields_joined_by_and_are_both_asked(chart, expected):
    assert made(chart, R.fields_joined) == expected


def test_both_anywhere_asks_for_every_field_named():
    chart = _two_fields("IT environment both", "it", "environment", (K.CUE, "both", "both"))
    (item,) = R.fields_joined(chart, shipped_reading())
    assert (item.value, item.rule) == (("it", "environment"), "both_fields")


def test_an_excluded_field_is_not_joined():
    """ "IT and not environment": environment is excluded, so there is only one field to
    ask both of."""
    chart = _two_fields(
        "IT and not environment",
        "it",
        "environment",
        (K.AND, None, "and"),
        (K.NEGATION, None, "not"),
    )
    chart.extend(R.excluded_fields(chart, shipped_reading()))
    assert made(chart, R.fields_joined) == []


def test_one_field_is_never_joined():
    chart = chart_of("IT and IT", (K.FIELD, "it", "it"), (K.AND, None, "and"))
    chart.add(Item(K.FIELD, "it", *chart.latin_span(2, 3)))
    assert made(chart, R.fields_joined) == []


# --------------------------------------------------------------------- fields_only ----


@pytest.mark.parametrize(
    ("question", "only", "field", "field_words", "expected"),
    [
        ("only life sciences", "only", "life-sciences", "life sciences", True),
        ("life sciences only", "only", "life-sciences", "life sciences", True),
        ("環境だけ", "だけ", "environment", "環境", True),
        ("環境のみ", "のみ", "environment", "環境", True),
        (
            "only the clusters that are in life sciences",
            "only",
            "life-sciences",
            "life sciences",
            False,
        ),
    ],
)
def test_only_beside_a_field_limits_to_it(question, only, field, field_words, expected):
    chart = chart_of(question, (K.CUE, "only", only), (K.FIELD, field, field_words))
    found = R.fields_only(chart, shipped_reading())
    assert [(i.kind, i.value, i.rule) for i in found] == (
        [(R.FIELDS_ONLY, (field,), "only_fields")] if expected else []
    )


def test_no_only_no_limit():
    chart = chart_of("life sciences", (K.FIELD, "life-sciences", "life sciences"))
    assert made(chart, R.fields_only) == []


# -------------------------------------------------------------------- earned_terms ----


@pytest.mark.parametrize(
    ("question", "words", "status", "expected"),
    [
        # A status's name or synonym is one wherever it stands.
        ("what ended in 2005", "ended", "ended", [(R.STATUS_TERM, "ended")]),
        # A contextual word is one beside a cluster noun, or alone...
        ("the clusters that are done", "done", "ended", [(R.STATUS_TERM, "ended")]),
        ("done", "done", "ended", [(R.STATUS_TERM, "ended")]),
        ("current clusters", "current", "active", [(R.STATUS_TERM, "active")]),
        # ... and only there.
        ("what have you done", "done", "ended", []),
        ("is it over", "over", "ended", []),
    ],
)
def test_a_status_word_is_one_where_it_is_used_as_one(question, words, status, expected):
    chart = chart_of(question, (K.STATUS, status, words))
    assert made(chart, R.earned_terms) == expected


def test_a_negated_status_is_the_other_status():
    chart = chart_of("not active", (K.NEGATION, None, "not"), (K.STATUS, "active", "active"))
    (item,) = R.earned_terms(chart, shipped_reading())
    assert (item.kind, item.value, item.rule) == (R.STATUS_TERM, "ended", "negated_status")


def test_a_stage_word_joined_to_a_stage_is_one_too():
    """ "the first and second stage": "second" is a stage beside its noun, "first" by the
    "and" joining it to "second"."""
    chart = chart_of(
        "the first and second stage",
        (K.STAGE, "first", "first"),
        (K.STAGE, "second", "second"),
    )
    assert made(chart, R.earned_terms) == [(R.STAGE_TERM, "first"), (R.STAGE_TERM, "second")]
    alone = chart_of("the first thing to say", (K.STAGE, "first", "first"))
    assert made(alone, R.earned_terms) == []


def test_a_japanese_contextual_word_is_a_status_in_a_short_title():
    chart = chart_of("現在クラスター", (K.STATUS, "active", "現在"))
    assert made(chart, R.earned_terms) == [(R.STATUS_TERM, "active")]
    long = chart_of("現在の予算はいくらですか", (K.STATUS, "active", "現在"))
    assert made(long, R.earned_terms) == []


def test_a_japanese_contextual_word_before_no_and_a_cluster_noun_is_a_status():
    chart = chart_of("現在のクラスター", (K.STATUS, "active", "現在"))
    assert made(chart, R.earned_terms) == [(R.STATUS_TERM, "active")]


def test_a_negated_status_is_never_read_as_itself():
    three = dataclasses.replace(shipped_reading(), status_ids=("active", "ended", "suspended"))
    chart = chart_of("not active", (K.NEGATION, None, "not"), (K.STATUS, "active", "active"))
    assert (R.STATUS_TERM, "active") not in made(chart, R.earned_terms, three)


def test_a_negated_term_with_no_one_other_is_left_out():
    """With three statuses (or stages) "not active" names no one other: the status is
    excluded, built from the negation and the term."""
    three = dataclasses.replace(shipped_reading(), status_ids=("active", "ended", "suspended"))
    chart = chart_of("not active", (K.NEGATION, None, "not"), (K.STATUS, "active", "active"))
    (item,) = R.earned_terms(chart, three)
    assert (item.kind, item.value, item.rule) == (R.EXCLUDED_STATUS, "active", "excluded_status")
    assert item.parts == tuple(chart.items)
    stages = dataclasses.replace(shipped_reading(), stage_ids=("first", "second", "third"))
    chart = chart_of(
        "not the second stage", (K.NEGATION, None, "not"), (K.STAGE, "second", "second stage")
    )
    assert made(chart, R.earned_terms, stages) == [(R.EXCLUDED_STAGE, "second")]


# ------------------------------------------------------------------ unknown_stages ----


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("the third stage", [(R.UNKNOWN_STAGE, 3)]),
        ("stage 3", [(R.UNKNOWN_STAGE, 3)]),
        ("a fifth phase", [(R.UNKNOWN_STAGE, 5)]),
        ("第3期", [(R.UNKNOWN_STAGE, 3)]),
        ("第三期のクラスター", [(R.UNKNOWN_STAGE, 3)]),
        ("第4段階", [(R.UNKNOWN_STAGE, 4)]),
        # Stages the sources have.
        ("stage 2", []),
        ("the second stage", []),
        ("第2期", []),
        # A Basic Plan's number is no stage, even past the stages.
        ("the third science and technology basic plan", []),
        ("the third phase basic plan", []),
        ("第3期科学技術基本計画", [(R.PLAN, 3)]),
        ("第2期基本計画", [(R.PLAN, 2)]),
    ],
)
def test_a_stage_past_the_sources_is_presupposed(question, expected):
    assert made(chart_of(question), R.unknown_stages) == expected


@pytest.mark.parametrize("question", ["第Ⅲ期", "第III期のクラスター", "第Ⅳ期"])
def test_a_roman_numeral_stage_past_the_sources_is_presupposed(question):
    assert [kind for kind, _ in made(chart_of(question), R.unknown_stages)] == [R.UNKNOWN_STAGE]


def test_the_stages_the_data_has_are_never_unknown():
    three = dataclasses.replace(shipped_reading(), stage_ids=("first", "second", "third"))
    assert made(chart_of("the third stage"), R.unknown_stages, three) == []
    assert made(chart_of("the fourth stage"), R.unknown_stages, three) == [(R.UNKNOWN_STAGE, 4)]


def test_an_unknown_stage_spans_its_words():
    chart = chart_of("how many clusters in stage 3")
    (item,) = R.unknown_stages(chart, shipped_reading())
    assert chart.text.compact[item.start : item.end] == "stage3"
    assert item.rule == "ordinal_stage"


# ------------------------------------------------------------------------- numbers ----


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("page 5", [(R.PAGE, 5)]),
        ("what is on p. 48", [(R.PAGE, 48)]),
        ("5ページ", [(R.PAGE, 5)]),
        ("the 30th page", [(R.PAGE, 30)]),
        ("2003 and 2004", [(R.YEAR, 2003), (R.YEAR, 2004)]),
        ("2004 or 2004", [(R.YEAR, 2004)]),
        ("2004年度", [(R.YEAR, 2004)]),
        ("12345", []),
        ("6.9 billion yen", [(R.AMOUNT, 6_900_000_000)]),
        ("500 million", [(R.AMOUNT, 500_000_000)]),
        ("9bn", [(R.AMOUNT, 9_000_000_000)]),
        ("69億円", [(R.AMOUNT, 6_900_000_000)]),
        ("5,000万円", [(R.AMOUNT, 50_000_000)]),
        ("clusters with two fields", [(R.FIELD_COUNT, 2)]),
        ("clusters with 3 key fields", [(R.FIELD_COUNT, 3)]),
        ("分野が3つ", [(R.FIELD_COUNT, 3)]),
        ("二つの分野", [(R.FIELD_COUNT, 2)]),
        ("the four key fields", [(R.KEY_FIELDS_COUNT, 4)]),
        ("which of the 5 key fields", [(R.KEY_FIELDS_COUNT, 5)]),
        ("4つの重点分野", [(R.KEY_FIELDS_COUNT, 4)]),
    ],
)
def test_numbers(question, expected):
    assert made(chart_of(question), R.numbers) == expected


def test_a_number_is_placed_at_its_digits():
    chart = chart_of("what is on page 46")
    (item,) = R.numbers(chart, shipped_reading())
    assert chart.text.compact[item.start : item.end] == "46"


# ------------------------------------------------------------------------- ranking ----


@pytest.mark.parametrize(
    ("question", "cue", "words", "expected"),
    [
        (
            "which cluster has the most fields",
            "most",
            "most",
            Superlative("most", "clusters", "fields"),
        ),
        (
            "which field has the most clusters",
            "most",
            "most",
            Superlative("most", "fields", "clusters"),
        ),
        (
            "which stage has the most clusters",
            "most",
            "most",
            Superlative("most", "stages", "clusters"),
        ),
        (
            "which place has the most clusters",
            "most",
            "most",
            Superlative("most", "places", "clusters"),
        ),
        (
            "which field has the fewest clusters",
            "fewest",
            "fewest",
            Superlative("fewest", "fields", "clusters"),
        ),
        (
            "いちばん多くのクラスターが取り組んだ分野",
            "most",
            "いちばん多く",
            Superlative("most", "fields", "clusters"),
        ),
    ],
)
def test_superlatives(question, cue, words, expected):
    chart = chart_of(question, (K.CUE, cue, words))
    assert made(chart, R.ranking) == [(R.RANK, expected)]


def test_the_first_superlative_decides_the_direction():
    chart = chart_of(
        "which field has the fewest clusters and which the most",
        (K.CUE, "fewest", "fewest"),
        (K.CUE, "most", "most"),
    )
    (item,) = R.ranking(chart, shipped_reading())
    assert item.value.direction == "fewest"


def test_no_superlative_no_ranking():
    assert made(chart_of("which clusters work on IT"), R.ranking) == []


# --------------------------------------------------------------- shared predicates ----


@pytest.mark.parametrize(
    ("question", "words", "names", "expected"),
    [
        ("the ended hamamatsu one", "ended", {2}, True),
        ("the ended clusters", "ended", set(), True),
        ("is hamamatsu ended", "ended", {1}, False),
        ("終了したクラスター", "終了", set(), True),
        ("終了のクラスター", "終了", set(), True),
        ("京都は終了しましたか", "終了", set(), False),
    ],
)
def test_a_status_word_modifying_a_noun_is_a_filter(question, words, names, expected):
    chart = chart_of(question, (K.STATUS, "ended", words))
    (status,) = chart.items
    nouns = shipped_reading().cluster_nouns
    assert R.modifies_a_noun(chart, status, frozenset(names), nouns) is expected


def test_rules_only_add_items():
    """A rule adds what it makes; it never removes or replaces what the chart had."""
    chart = chart_of(
        "not IT and environment only",
        (K.NEGATION, None, "not"),
        (K.FIELD, "it", "it"),
        (K.AND, None, "and"),
        (K.FIELD, "environment", "environment"),
        (K.CUE, "only", "only"),
    )
    before = list(chart.items)
    R.apply_terms(chart, shipped_reading())
    R.apply(chart, shipped_reading())
    assert chart.items[: len(before)] == before
    assert all(item.rule for item in chart.items[len(before) :])
