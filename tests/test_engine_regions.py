"""bot.engine.regions: which clusters a question names, by alias, romanization, script or typo."""

from __future__ import annotations

import pytest

from bot.engine.answer import Ref
from bot.engine.regions import RegionIndex
from bot.engine.text import Text
from bot.engine.thresholds import REGION_ACCEPT as ACCEPT_SCORE
from bot.engine.thresholds import REGION_MIN_FUZZY_CHARS as MIN_FUZZY_CHARS
from bot.engine.vocabulary import STOPWORDS, domain_words


@pytest.fixture(scope="module")
def engine():
    """The engine's answers in English words."""
    from tests.support import Speaker

    return Speaker()


@pytest.fixture(scope="module")
def kb(engine):
    return engine.kb


@pytest.fixture(scope="module")
def index(kb):
    return RegionIndex(kb, vocabulary=STOPWORDS | domain_words(kb))


def heads(kb, place_id):
    """The ids of the clusters whose name names a place, in knowledge-base order."""
    return tuple(c.id for c in kb.clusters if place_id in c.places)


def resolve(index, text):
    return index.resolve(Text.parse(text))


# ----------------------------------------------------------------------------- exact


def test_a_place_name_finds_its_cluster_exactly(index, kb):
    """'Kyoto' finds the KYOTO cluster with full confidence and no fuzzy reading."""
    match = resolve(index, "Kyoto")
    assert match.cluster_ids == heads(kb, "kyoto") == ("kyoto-first",)
    assert match.confidence == 1.0
    assert match.fuzzy_spans == ()
    assert match.near_misses == ()


def test_a_cluster_alias_finds_that_cluster_only(index):
    """'keihanna' (an alias of KANSAI Science City) finds just that cluster."""
    assert resolve(index, "keihanna").cluster_ids == ("kansai-science-city-first",)


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("Hamamatu", "hamamatsu"),
        ("Kyouto", "kyoto"),
        ("Oogaki", "ogaki"),
        ("Ohgaki", "ogaki"),
        ("Kōbe", "kobe"),
        ("KOUBE", "kobe"),
        ("Ōsaka", "osaka"),
        ("Kitakyūshū", "kitakyushu"),
        ("Tokusima", "tokushima"),
        ("ＨＩＲＯＳＨＩＭＡ", "hiroshima"),
        ("Gihu", "gifu"),
        ("Aiti", "aichi"),
        ("Kitakyuusyuu", "kitakyushu"),
        ("Takamatu", "takamatsu"),
    ],
)
def test_romanization_variants_are_exact_matches(index, kb, typed, place):
    """Wāpuro, Kunrei and macron spellings are known spellings, not typos."""
    match = resolve(index, typed)
    assert match.cluster_ids == heads(kb, place)
    assert match.confidence == 1.0
    assert match.fuzzy_spans == ()


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("浜松の分野は何ですか", "hamamatsu"),
        ("きょうとの連絡先を教えて", "kyoto"),
        ("ハママツについて", "hamamatsu"),
        ("宇部は何ページ", "ube"),
        ("北九州学術研究都市の概要", "kitakyushu"),
    ],
)
def test_kanji_and_kana_are_found_inside_a_japanese_sentence(index, kb, question, place):
    """Japanese has no spaces: a place written in kanji or kana is found mid-sentence."""
    assert set(resolve(index, question).cluster_ids) <= set(heads(kb, place))
    assert resolve(index, question).cluster_ids


def test_latin_place_next_to_japanese_is_found(index, kb):
    """'hamamatsuの分野' finds Hamamatsu across the script boundary."""
    assert resolve(index, "hamamatsuの分野").cluster_ids == heads(kb, "hamamatsu")


@pytest.mark.parametrize(
    ("sentence", "hidden"),
    [
        ("それは言うべきだ", "うべ (Ube)"),
        ("さいとうさんに聞いて", "さいと (Saito)"),
        ("けっこうべんりです", "こうべ (Kobe)"),
        ("はままつりに行く", "はままつ (Hamamatsu)"),
        # A name written beside another counts only if the pair has word edges: さいと+うべ
        # here run into べき.
        ("さいとうべきだ", "さいと, うべ (Saito, Ube)"),
        ("ギフトのクラスター", "ギフ (Gifu)"),
        ("それはなごやかだ", "なごや (Nagoya)"),
    ],
)
def test_a_kana_spelling_inside_another_word_is_not_a_place(index, sentence, hidden):
    """Hiragana inside running hiragana is part of another word, not a place name."""
    assert resolve(index, sentence).cluster_ids == (), hidden


def _is_hiragana(text: str) -> bool:
    return all("\u3041" <= ch <= "\u309f" for ch in text)


def _is_katakana(text: str) -> bool:
    return all("\u30a1" <= ch <= "\u30ff" for ch in text)


def _kb_places():
    from tests.support import shipped_knowledge

    return shipped_knowledge().kb.places


# Saito has no katakana spelling on purpose: サイト is also the word for "website".
_NO_KATAKANA = {"saito"}


@pytest.mark.parametrize("place_id", sorted(_kb_places()))
def test_every_place_has_its_kana_readings(kb, place_id):
    """A place can be typed in hiragana and katakana (clusters.yaml `places:` aliases)."""
    spellings = kb.places[place_id].spellings
    assert any(_is_hiragana(s) for s in spellings), "no hiragana reading"
    if place_id not in _NO_KATAKANA:
        assert any(_is_katakana(s) for s in spellings), "no katakana reading"


KANA_READINGS = [
    (place.id, spelling)
    for place in _kb_places().values()
    for spelling in place.spellings
    if _is_hiragana(spelling) or _is_katakana(spelling)
]


@pytest.mark.parametrize(("place_id", "reading"), KANA_READINGS, ids=[r[1] for r in KANA_READINGS])
@pytest.mark.parametrize(
    "sentence",
    [
        "{}のクラスターの分野は？",
        "{}のクラスターって何の分野やってたの？",
        "{}は第何期？",
        "{}",
        "えっと、{}の分野",
    ],
)
def test_a_kana_reading_names_its_place_in_a_question(index, kb, place_id, reading, sentence):
    """Every kana reading, at a particle, at punctuation or alone, names its place."""
    match = resolve(index, sentence.format(reading))
    assert Ref("place", place_id) in match.labels
    assert set(heads(kb, place_id)) <= set(match.cluster_ids)


def _hiragana_of(kb, place_id):
    return next(s for s in kb.places[place_id].spellings if _is_hiragana(s))


def _katakana_of(kb, place_id):
    return next(s for s in kb.places[place_id].spellings if _is_katakana(s))


def _clusters_of_several_places():
    from tests.support import shipped_knowledge

    return [c for c in shipped_knowledge().kb.clusters if len(c.places) > 1]


@pytest.mark.parametrize("cluster", _clusters_of_several_places(), ids=lambda c: "-".join(c.places))
@pytest.mark.parametrize("separator", ["・", " ", "、", ""])
@pytest.mark.parametrize("script", [_hiragana_of, _katakana_of])
def test_places_written_in_kana_side_by_side_are_each_found(index, kb, cluster, separator, script):
    """「ぎふ・おおがきのクラスター」, 「ぎふおおがきの」: each kana name of a cluster named
    after several places is a word, at the separator or against the next name."""
    places = [p for p in cluster.places if p not in _NO_KATAKANA or script is _hiragana_of]
    question = separator.join(script(kb, p) for p in places) + "のクラスターの分野は？"
    labels = resolve(index, question).labels
    assert all(Ref("place", p) in labels for p in places), question
    assert cluster.id in resolve(index, question).cluster_ids


def test_a_kana_spelling_before_a_particle_is_a_place(index, kb):
    """'うべの' ends at the particle の, so it is Ube."""
    assert resolve(index, "うべの分野").cluster_ids == heads(kb, "ube")


def test_kyoto_is_not_found_inside_tokyo_metropolis(index):
    """'東京都の分野' (Tokyo's fields) names no cluster: 京都 there is part of 東京都."""
    assert resolve(index, "東京都の分野").cluster_ids == ()


def test_saito_is_not_found_inside_the_katakana_word_for_website(index):
    """'ウェブサイトはありますか' (is there a website?) names no cluster."""
    assert resolve(index, "ウェブサイトはありますか").cluster_ids == ()


# ----------------------------------------------------------------------------- shared places


@pytest.mark.parametrize("place", ["sendai", "hamamatsu", "saito", "kobe", "kansai", "sapporo"])
def test_a_shared_place_returns_every_cluster_it_heads(index, kb, place):
    """A place that heads two clusters finds both, in knowledge-base order."""
    expected = heads(kb, place)
    assert len(expected) >= 2  # the knowledge base shares these places on purpose
    assert resolve(index, kb.places[place].name).cluster_ids == expected


def test_the_longest_spelling_wins(index, kb):
    """'kansai science city' is that one cluster, not every cluster of 'kansai'."""
    assert len(heads(kb, "kansai")) == 2
    match = resolve(index, "kansai science city fields")
    assert match.cluster_ids == ("kansai-science-city-first",)
    assert match.consumed == frozenset({0, 1, 2})


def test_the_longest_spelling_wins_in_japanese(index):
    """'北大阪' (northern Osaka) is read whole, not as 大阪 plus a stray 北."""
    assert resolve(index, "北大阪の連絡先").cluster_ids == ("osaka-first",)


def test_two_places_in_one_question_give_both(index, kb):
    """'kyoto and ube' names two clusters."""
    assert resolve(index, "kyoto and ube").cluster_ids == heads(kb, "kyoto") + heads(kb, "ube")


# ----------------------------------------------------------------------------- fuzzy


def test_a_typo_is_read_as_the_clear_winner(index, kb):
    """'hamamtsu' is read as Hamamatsu, below full confidence, and says so."""
    match = resolve(index, "hamamtsu")
    assert match.cluster_ids == heads(kb, "hamamatsu")
    assert ACCEPT_SCORE / 100 <= match.confidence < 1.0
    assert match.fuzzy_spans == (("hamamtsu", Ref("place", "hamamatsu")),)


def test_a_typo_is_noted_in_the_answer(engine):
    """The reply tells the user how a misspelt place was read."""
    answer = engine.ask("what fields does hamamtsu cover")
    assert answer.answered
    assert "hamamtsu" in answer.summary
    assert "Hamamatsu" in answer.summary
    assert answer.confidence < 1.0


def test_a_near_miss_is_offered_not_accepted(index, kb):
    """'tokyo' is not a cluster: Kyoto is suggested, nothing is found."""
    match = resolve(index, "tokyo")
    assert match.cluster_ids == ()
    assert match.near_misses[0].target.cluster_ids == heads(kb, "kyoto")
    assert all(m.score < ACCEPT_SCORE for m in match.near_misses)


def test_a_near_miss_question_is_declined_with_the_suggestion(engine):
    """engine.ask('what fields does tokyo cover') says no and offers Kyoto."""
    answer = engine.ask("what fields does tokyo cover")
    assert answer.answered is False
    assert "Kyoto" in answer.suggestions
    assert "kyoto-first" not in answer.matches


def test_short_place_names_are_exact_only(index, kb):
    """'ube' is found; 'cube' is not read as Ube: words under the fuzzy length are not fuzzed."""
    assert len("ube") < MIN_FUZZY_CHARS
    assert resolve(index, "ube").cluster_ids == heads(kb, "ube")
    assert "ube-first" not in resolve(index, "cube").cluster_ids
    assert "ube-first" not in resolve(index, "ubee").cluster_ids


@pytest.mark.parametrize(
    "question",
    [
        "what fields does kyoto cover",
        "please give me the contact details of kyoto",
        "which stage and status is kyoto in",
        "what is the budget of kyoto",
    ],
)
def test_vocabulary_words_are_not_fuzzed_into_places(engine, question):
    """Grammar and intent words around a place are never misread as more places."""
    cluster_ids = {c.id for c in engine.kb.clusters}
    found = [m for m in engine.ask(question).matches if m in cluster_ids]
    assert found == ["kyoto-first"]


def test_a_fuzzy_match_needs_a_clear_margin(index, kb):
    """'hakamatsu' is as close to Hamamatsu as to Takamatsu: both offered, neither taken."""
    match = resolve(index, "hakamatsu")
    assert match.cluster_ids == ()
    offered = [m.target.cluster_ids for m in match.near_misses[:2]]
    assert sorted(offered) == sorted([heads(kb, "hamamatsu"), heads(kb, "takamatsu")])
    assert all(m.score >= ACCEPT_SCORE for m in match.near_misses[:2])


def test_an_ambiguous_typo_is_declined_with_both_suggestions(engine):
    """engine.ask('hakamatsu') asks which was meant instead of guessing."""
    answer = engine.ask("hakamatsu")
    assert answer.answered is False
    assert {"Hamamatsu", "Takamatsu"} <= set(answer.suggestions)


# ----------------------------------------------------------------------------- organizations


def test_an_organization_name_leads_to_its_clusters(index, kb):
    """'NOASTEC' finds the clusters it is the core organization of, marked as such."""
    match = resolve(index, "NOASTEC")
    expected = tuple(
        c.id for c in kb.clusters if c.organization is not None and c.organization.id == "noastec"
    )
    assert match.cluster_ids == expected
    assert match.via_organization is True


def test_a_place_name_is_not_an_organization(index):
    """Finding a place does not mark the question as asking about an organization."""
    assert resolve(index, "Sapporo").via_organization is False


@pytest.mark.parametrize(
    "name", ["NOASTEC", "財団法人科学技術交流財団", "株式会社インテリジェント・コスモス研究機構"]
)
def test_an_organization_name_is_answered_with_its_contact(engine, kb, name):
    """Asking about a core organization by name gets that organization's contact."""
    answer = engine.ask(name)
    assert answer.answered
    assert answer.intent.value == "contact"
    org_ids = [o.id for o in kb.organizations.values() if name in (o.short_name, o.name)]
    assert len(org_ids) == 1
    assert org_ids[0] in answer.matches


# ----------------------------------------------------------------------------- through ask


def test_an_upper_case_place_next_to_japanese_is_found(engine, kb):
    """'HAMAMATSUの分野' is answered like 'hamamatsuの分野'."""
    answer = engine.ask("HAMAMATSUの分野")
    assert answer.answered
    assert answer.matches[:2] == heads(kb, "hamamatsu")


def test_command_option_by_prefix_finds_the_unique_place(engine, kb):
    """A command option typed as a prefix ('hamam') finds the one place it starts."""
    answer = engine.region("hamam")
    assert answer.answered
    assert tuple(answer.matches) == heads(kb, "hamamatsu")


@pytest.mark.parametrize(("typed", "place_id"), [("ubes", "ube"), ("kyotos", "kyoto")])
def test_a_possessive_without_apostrophe_names_the_place(index, kb, typed, place_id):
    """'ubes page' is read as Ube's page: the plural/possessive 's' is dropped for names."""
    match = index.resolve(Text.parse(f"{typed} page number"))
    assert match.cluster_ids == heads(kb, place_id)


def test_a_word_ending_in_s_is_not_a_place_unless_its_stem_is_one(index):
    """'cubes' is not Ube: only an exact place name before the 's' counts."""
    assert index.resolve(Text.parse("cubes")).cluster_ids == ()


def test_a_place_that_heads_no_cluster_is_named_without_clusters(index):
    """東京都 is Tokyo (no cluster), not 京都 (Kyoto) inside it."""
    match = index.resolve(Text.parse("東京都の天気は"))
    assert match.cluster_ids == ()
    assert match.unclustered == (Ref("place", "tokyo"),)
