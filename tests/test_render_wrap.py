"""Display widths in terminal cells (`bot.render.wrap`): the short cuts count as the rule does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.wrap import char_width, display_width


def test_widths_of_latin_kana_kanji_and_marks():
    assert display_width("Hamamatsu") == 9
    assert display_width("浜松") == 4
    assert display_width("ｶﾅ") == 2  # half-width katakana: one cell each
    assert display_width("e\u0301") == 1  # a combining accent takes no cell
    assert display_width("a\u200bb") == 2  # nor does a zero-width space
    assert display_width("“quoted” – 2008…") == 16


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_display_width_is_the_sum_of_the_characters_widths(text):
    """ASCII text is counted by its length and other characters' widths are remembered;
    the width is always the sum over the characters."""
    assert display_width(text) == sum(char_width(ch) for ch in text)
