"""bot.engine.text: cleaning chat text, folding it for matching, and finding known phrases."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot.engine.text import (
    MAX_QUESTION_CHARS,
    SCAN_CHARS,
    PhraseMatcher,
    Text,
    clean_question,
    compact,
    fold,
    normalize,
)

# Every entity form Discord renders from message text, one of each.
MENTIONS = [
    "<@123456789012345678>",  # user
    "<@!123456789012345678>",  # user (nickname form)
    "<@&234567890123456789>",  # role
    "<#345678901234567890>",  # channel
    "@everyone",
    "@here",
    "</contact:456789012345678901>",  # slash command
    "<:kyoto:567890123456789012>",  # custom emoji
    "<a:dance:567890123456789012>",  # animated custom emoji
    "<t:1700000000:R>",  # timestamp
    "<t:1700000000>",  # timestamp, default style
]
# What would still ping or render as an entity, checked independently of the module's regex.
LIVE_ENTITY = re.compile(
    r"<@[!&]?\d+>|<#\d+>|</[^<>\s]+:\d+>|<a?:\w+:\d+>|<t:-?\d+(?::\w)?>|@everyone|@here",
    re.IGNORECASE,
)
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


# ----------------------------------------------------------------------------- fold/normalize


def test_full_width_latin_is_folded_to_ascii():
    """NFKC turns full-width letters into ASCII: ｋｙｏｔｏ reads as kyoto."""
    assert normalize("ｋｙｏｔｏ") == "kyoto"
    assert normalize("ＫＹＯＴＯ　ＦＩＥＬＤＳ") == "kyoto fields"


def test_macrons_are_removed():
    """Long-vowel marks go: Ōgaki, Kyūshū and kōbe fold to plain ASCII."""
    assert fold("Ōgaki") == "ogaki"
    assert fold("Kyūshū") == "kyushu"
    assert normalize("kōbe") == "kobe"


@pytest.mark.parametrize("kana", ["が", "ガ", "パ", "ぴ", "ヴ", "ず"])
def test_kana_voicing_marks_survive_folding(kana):
    """Dakuten/handakuten are kept: が is not folded to か (nor split into two characters)."""
    assert fold(kana) == kana
    assert normalize(kana) == kana
    assert len(unicodedata.normalize("NFD", kana)) == 2  # the input does carry a mark


def test_half_width_katakana_is_composed_with_its_voicing():
    """Half-width ｶﾞ becomes the single full-width ガ, not カ plus a mark."""
    assert normalize("ｶﾞ") == "ガ"
    assert normalize("ﾊﾏﾏﾂ") == "ハママツ"


def test_case_is_folded_not_just_lowered():
    """casefold, not lower: ß matches ss, and upper case matches lower case."""
    assert fold("KYOTO") == "kyoto"
    assert fold("Straße") == "strasse"


def test_fold_keeps_punctuation_and_normalize_drops_it():
    """fold only folds; normalize turns punctuation runs into single spaces."""
    assert fold("Kyoto?!") == "kyoto?!"
    assert normalize("  Kyoto?!...  fields,,  (please)  ") == "kyoto fields please"
    assert normalize("NAGANO/UEDA") == "nagano ueda"
    assert normalize("kita-kyushu") == "kita kyushu"


def test_markdown_emphasis_is_not_part_of_the_words():
    """**bold**, _italic_, ~~strike~~ and ||spoiler|| leave only the words to match."""
    query = Text.parse("**Kyoto** _fields_ ~~old~~ ||secret|| > quoted")
    assert query.tokens == ("kyoto", "fields", "old", "secret", "quoted")


def test_underscore_separates_words():
    """An underscore is punctuation for matching, so snake_case splits into words."""
    assert normalize("hamamatsu_fields") == "hamamatsu fields"


def test_normalize_of_only_punctuation_is_empty():
    """A message of nothing but symbols has no tokens at all."""
    assert normalize("?!…——***") == ""
    assert Text.parse("?!…——***").is_empty


# ----------------------------------------------------------------------------- clean_question


def test_code_fences_and_inline_code_are_stripped():
    """Backticks never reach the cleaned text; the words inside them still count."""
    cleaned = clean_question("```\nkyoto\n``` `fields`")
    assert "`" not in cleaned
    assert Text.parse("```\nkyoto\n``` `fields`").tokens == ("kyoto", "fields")


def test_markdown_link_keeps_its_text_and_drops_its_target():
    """[kyoto](https://...) reads as 'kyoto'; the URL is neither echoed nor matched."""
    cleaned = clean_question("what about [kyoto](https://evil.example/path?x=1) fields")
    assert cleaned == "what about kyoto fields"


def test_bare_urls_are_removed():
    """A pasted link is noise for matching and is not echoed."""
    assert clean_question("kyoto https://example.com/a/b?c=d fields") == "kyoto fields"


@pytest.mark.parametrize("mention", MENTIONS)
def test_every_discord_mention_form_is_removed(mention):
    """Users, roles, channels, commands, emoji, timestamps and mass mentions all go."""
    cleaned = clean_question(f"kyoto {mention} fields")
    assert cleaned == "kyoto fields"


def test_mentions_are_removed_case_insensitively():
    """@EVERYONE and @Here are removed like their lower-case forms."""
    assert clean_question("@EVERYONE kyoto @Here") == "kyoto"


def test_a_mention_is_never_a_token():
    """The numbers inside a mention are not read as words."""
    assert Text.parse("<@123> <#456> <@&789>").is_empty


@pytest.mark.parametrize("invisible", ZERO_WIDTH)
@pytest.mark.parametrize("mention", MENTIONS)
def test_mentions_split_by_invisible_characters_cannot_ping(mention, invisible):
    """A zero-width character anywhere inside a mention leaves no live entity behind."""
    for cut in range(1, len(mention)):
        text = f"kyoto {mention[:cut]}{invisible}{mention[cut:]} fields"
        cleaned = clean_question(text)
        assert not LIVE_ENTITY.search(cleaned), (text, cleaned)
        assert invisible not in cleaned


def test_mentions_split_by_a_zero_width_space_are_removed():
    """A mention split by U+200B is removed as a whole, like the unsplit mention."""
    leftovers = {}
    for mention in MENTIONS:
        split = f"{mention[:2]}\u200b{mention[2:]}"
        cleaned = clean_question(f"kyoto {split} fields")
        if cleaned != "kyoto fields":
            leftovers[split] = cleaned
    assert leftovers == {}


def test_control_characters_are_removed():
    """C0/C1 controls and DEL never reach the cleaned text."""
    controls = "".join(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)))
    cleaned = clean_question(f"kyoto{controls}fields")
    assert all(unicodedata.category(ch) != "Cc" for ch in cleaned)
    assert cleaned == "kyoto fields"


def test_bidi_and_format_characters_are_removed():
    """Right-to-left overrides and other format characters cannot hide in an echo."""
    cleaned = clean_question("\u202ekyoto\u202c\u2066fields\u2069")
    assert all(unicodedata.category(ch) != "Cf" for ch in cleaned)
    assert cleaned == "kyoto fields"


def test_white_space_is_collapsed_and_trimmed():
    """Tabs, newlines and runs of spaces become single spaces; ends are trimmed."""
    assert clean_question("  \tkyoto\n\n   fields \r\n") == "kyoto fields"


def test_very_long_input_is_cut_to_the_limit():
    """A 10,000-character message is cut to MAX_QUESTION_CHARS and still parses."""
    text = "kyoto fields " * 800
    cleaned = clean_question(text)
    assert 0 < len(cleaned) <= MAX_QUESTION_CHARS
    assert cleaned == cleaned.strip()
    assert text.startswith(cleaned)
    assert len(Text.parse(text).tokens) <= MAX_QUESTION_CHARS


def test_huge_input_is_read_only_at_its_start():
    """Megabytes of text cost what a short question does: only the first SCAN_CHARS are
    read, so what follows changes nothing."""
    text = "あ<@1>k " * 500_000
    query = Text.parse(text)
    assert len(query.cleaned) <= MAX_QUESTION_CHARS
    assert query.cleaned == Text.parse(text[:SCAN_CHARS]).cleaned
    assert Text.parse(text + "hamamatsu").tokens == query.tokens


def test_cleaned_text_keeps_case_and_japanese():
    """Cleaning is for echoing: it keeps the user's case and script."""
    assert clean_question("What about 浜松 and Ōgaki?") == "What about 浜松 and Ōgaki?"


# ----------------------------------------------------------------------------- Text


def test_japanese_compact_form_has_no_spaces():
    """compact() joins the tokens, since Japanese is written without spaces."""
    assert compact("浜松 の 分野") == "浜松の分野"
    assert compact("Hamamatsu の分野") == "hamamatsuの分野"
    assert Text.parse("京都、の　連絡先？").compact == "京都の連絡先"


def test_script_boundary_splits_latin_from_japanese():
    """'hamamatsuの分野' gives the tokens 'hamamatsu' and 'の分野'."""
    assert Text.parse("hamamatsuの分野").tokens == ("hamamatsu", "の分野")
    assert Text.parse("浜松it").tokens == ("浜松", "it")
    assert normalize("HAMAMATSUの分野") == "hamamatsu の分野"


def test_script_boundary_splits_upper_case_latin_from_japanese():
    """'HAMAMATSUの分野' splits like 'hamamatsuの分野' does."""
    assert Text.parse("HAMAMATSUの分野").tokens == ("hamamatsu", "の分野")
    assert Text.parse("浜松IT").tokens == ("浜松", "it")


def test_digits_next_to_japanese_are_split_off():
    """'第2期' splits where ASCII digits meet kanji."""
    assert Text.parse("第2期").tokens == ("第", "2", "期")


def test_cased_tokens_keep_the_original_case():
    """cased_tokens tell 'IT' from 'it' and line up with the folded tokens."""
    query = Text.parse("Is IT in Ōgaki?")
    assert query.cased_tokens == ("Is", "IT", "in", "Ogaki")
    assert query.tokens == ("is", "it", "in", "ogaki")


def test_normalized_is_the_tokens_joined_by_spaces():
    """Text.normalized equals normalize() of the cleaned text."""
    query = Text.parse("  What FIELDS does <@1> Ōgaki cover?? ")
    assert query.normalized == "what fields does ogaki cover"
    assert query.normalized == normalize(query.cleaned)


def test_blank_or_invisible_text_is_an_empty_query():
    """An empty or blank message is an empty query."""
    assert Text.parse("").is_empty
    assert Text.parse(" \u200b\n\t ").is_empty


# ----------------------------------------------------------------------------- PhraseMatcher


def _hits(matcher, text, *, longest_only):
    return [
        (h.payload, h.phrase) for h in matcher.find(Text.parse(text), longest_only=longest_only)
    ]


def test_latin_phrases_match_leftmost_longest():
    """'phone number of' wins over its parts 'phone' and 'number of'."""
    matcher = PhraseMatcher(
        [("phone", "short"), ("number of", "count"), ("phone number of", "contact")]
    )
    assert _hits(matcher, "what is the phone number of kyoto", longest_only=True) == [
        ("contact", "phone number of")
    ]


def test_latin_leftmost_wins_over_a_later_overlap():
    """Of two overlapping phrases, the one starting first is taken, the other skipped."""
    matcher = PhraseMatcher([("life science", "a"), ("science city", "b")])
    assert _hits(matcher, "life science city", longest_only=True) == [("a", "life science")]


def test_without_longest_only_every_phrase_is_found():
    """find() without longest_only reports overlapping phrases too."""
    matcher = PhraseMatcher(
        [("phone", "short"), ("number of", "count"), ("phone number of", "contact")]
    )
    found = set(_hits(matcher, "phone number of kyoto", longest_only=False))
    assert found == {("contact", "phone number of"), ("short", "phone"), ("count", "number of")}


def test_latin_phrases_match_whole_words_only():
    """'it' is not found inside 'with' or 'kitakyushu'."""
    matcher = PhraseMatcher([("it", "it")])
    assert _hits(matcher, "with kitakyushu", longest_only=True) == []
    assert _hits(matcher, "with it", longest_only=True) == [("it", "it")]


def test_japanese_phrases_match_leftmost_longest():
    """'連絡先' wins over '連絡' and '先'; the span is in compact characters."""
    matcher = PhraseMatcher([("連絡", "a"), ("連絡先", "b"), ("先", "c")])
    hits = matcher.find(Text.parse("京都の連絡先"), longest_only=True)
    assert [(h.payload, h.phrase, h.start, h.end, h.latin) for h in hits] == [
        ("b", "連絡先", 3, 6, False)
    ]


def test_japanese_leftmost_wins_over_a_later_overlap():
    """In '浜松本', '浜松' (leftmost) is taken and the overlapping '松本' is not."""
    matcher = PhraseMatcher([("浜松", "hamamatsu"), ("松本", "matsumoto")])
    assert _hits(matcher, "浜松本", longest_only=True) == [("hamamatsu", "浜松")]
    assert set(_hits(matcher, "浜松本", longest_only=False)) == {
        ("hamamatsu", "浜松"),
        ("matsumoto", "松本"),
    }


def test_japanese_phrases_match_across_spaces_and_punctuation():
    """A Japanese phrase is found in the compact text even if the user spaced it out."""
    matcher = PhraseMatcher([("連絡先", "contact")])
    assert _hits(matcher, "連絡 先", longest_only=True) == [("contact", "連絡先")]


def test_phrases_are_normalized_like_questions():
    """A phrase written 'Phone-Number' matches 'PHONE number'; 'ｋｙｏｔｏ' matches 'kyoto'."""
    matcher = PhraseMatcher([("Phone-Number", "contact"), ("ｋｙｏｔｏ", "kyoto")])
    assert _hits(matcher, "PHONE number for Kyoto", longest_only=True) == [
        ("contact", "phone number"),
        ("kyoto", "kyoto"),
    ]


def test_one_phrase_may_carry_several_payloads():
    """A phrase listed twice reports both payloads at the same place."""
    matcher = PhraseMatcher([("sendai", "sendai-second"), ("sendai", "sendai-first")])
    assert _hits(matcher, "sendai", longest_only=True) == [
        ("sendai-second", "sendai"),
        ("sendai-first", "sendai"),
    ]


def test_empty_phrases_are_ignored():
    """Phrases that normalize to nothing are not stored and never match."""
    matcher = PhraseMatcher([("", "a"), ("???", "b"), ("kyoto", "c")])
    assert len(matcher) == 1
    assert _hits(matcher, "??? kyoto", longest_only=True) == [("c", "kyoto")]


class CountingLookups(dict):
    """A phrase table that counts the look-ups made in it."""

    lookups = 0

    def get(self, key, default=None):
        type(self).lookups += 1
        return super().get(key, default)


def test_matcher_cost_is_per_question_word_not_per_phrase(monkeypatch):
    """Finding phrases costs look-ups per position of the question, bounded by the phrases'
    lengths, whatever the number of phrases: 2,000 phrases or 20 cost the same."""

    def lookups(phrases: int) -> int:
        matcher = PhraseMatcher([(f"phrase{i} word", i) for i in range(phrases)] + [("連絡先", -1)])
        matcher._latin = CountingLookups(matcher._latin)
        matcher._other = CountingLookups(matcher._other)
        monkeypatch.setattr(CountingLookups, "lookups", 0)
        assert matcher.find(query, longest_only=True)
        return CountingLookups.lookups

    query = Text.parse("連絡先 phrase7 word " * 30)
    positions = len(query.tokens) + len(query.compact)
    assert 0 < lookups(20) == lookups(2000) <= 2 * positions
