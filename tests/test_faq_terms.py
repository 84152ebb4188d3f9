"""The words FAQ matching compares: stems, ordinals and Japanese bigrams."""

from __future__ import annotations

import pytest

from bot.engine.faq import content_terms
from bot.engine.vocabulary import STOPWORDS
from tests.support import shipped_knowledge


def terms(text: str) -> list[str]:
    return content_terms(text.split(), STOPWORDS)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("started", "start"),
        ("funding", "funded"),
        ("clusters", "cluster"),
        ("universities", "university"),
        ("2nd", "second"),
        ("1st", "first"),
    ],
)
def test_inflections_and_ordinals_meet_on_one_term(one, other):
    assert terms(one) == terms(other)


def test_different_words_stay_apart():
    assert len(set(terms("start stage state status"))) == 4


def test_stopwords_go_and_japanese_becomes_bigrams():
    assert terms("why is the budget") == ["budget"]
    assert terms("予算") == ["予算"]


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("why did mext start this program", "purpose"),
        ("what is the 2nd stage trying to do", "stages"),
    ],
)
def test_a_verb_form_or_a_digit_ordinal_finds_the_entry(question, entry):
    answer = shipped_knowledge().engine.ask(question)
    assert answer.answered
    assert answer.matches == (entry,)
