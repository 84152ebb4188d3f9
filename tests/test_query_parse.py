"""The parser, field by field: questions in English, Japanese and romaji (typos included) and
the parts of the `Query` they must read into (bot/engine/reading/parse.py).

Expectations come from the knowledge base: cluster ids, places, organizations, regions and
prefectures of knowledge/*.yaml, looked up through the loaded base (`at`, `run_by`) rather
than copied from the parser's output. A case where a careful reader expects something else
than the parser gives is a finding, kept here as a strict xfail with its reason.
"""

from __future__ import annotations

import functools

import pytest

from bot.engine.answer import Ref
from bot.engine.reading.query import Act, Mode, Query, Superlative, When
from bot.engine.text import Text
from tests.support import shipped_knowledge


@functools.cache
def _parser():
    return shipped_knowledge().engine.parser


def read(question: str) -> Query:
    return _parser().parse(Text.parse(question))


def _kb():
    return shipped_knowledge().kb


def at(*places: str) -> frozenset[str]:
    """The clusters whose name names one of `places` (clusters.yaml `places`)."""
    return frozenset(c.id for c in _kb().clusters if set(c.places) & set(places))


def run_by(organization: str) -> frozenset[str]:
    """The clusters whose core organization is `organization` (clusters.yaml)."""
    return frozenset(
        c.id for c in _kb().clusters if c.organization and c.organization.id == organization
    )


def within(place: str) -> frozenset[str]:
    """The clusters of `place` and of the places clusters.yaml puts within it."""
    inside = [p.id for p in _kb().places.values() if p.within and p.within.place == place]
    return at(place, *inside)


# ----------------------------------------------------------------- clusters.named ----

NAMED = [
    ("what fields does hamamatsu cover", at("hamamatsu")),
    ("hamamatu fields", at("hamamatsu")),  # a romanization variant listed as an alias
    ("hamamatsuu fields", at("hamamatsu")),  # a typo the names' fuzzy match accepts
    ("浜松の分野は？", at("hamamatsu")),
    ("ハママツの分野", at("hamamatsu")),
    ("HAMAMATSU no bunya wa?", at("hamamatsu")),
    ("kyouto contact", at("kyoto")),
    ("Ōgaki stage", at("ogaki")),
    ("oogaki", at("ogaki")),
    ("kitakyusyu", at("kitakyushu")),
    ("sendai", at("sendai")),
    ("kansai", at("kansai")),
    # A cluster's own name or alias is that cluster, not every cluster of its place.
    ("the kansai science city cluster", {"kansai-science-city-first"}),
    ("keihanna fields", {"kansai-science-city-first"}),
    ("greater sendai area contact", {"sendai-second"}),
    ("広域仙台地域の分野は？", {"sendai-second"}),
    ("北九州学術研究都市のページ", {"kitakyushu-first"}),
    # A core organization leads to its clusters.
    ("NOASTEC phone number", run_by("noastec")),
    # Places that head no cluster, or another place around a cluster's name.
    ("tokyo contact", set()),
    ("東京都の天気", set()),  # 東京都 contains 京都
    ("浜松町の分野", set()),  # 浜松町 is in Tokyo
]


@pytest.mark.parametrize(("question", "expected"), NAMED, ids=[row[0] for row in NAMED])
def test_named_clusters(question, expected):
    named = read(question).clusters.named
    assert set(named) == set(expected)
    order = [c.id for c in _kb().clusters]
    assert list(named) == sorted(named, key=order.index), "in knowledge-base order"


def test_a_place_heading_no_cluster_is_kept_as_such():
    names = read("tokyo contact").clusters.names
    assert names.unclustered == (Ref("place", "tokyo"),)
    assert names.cluster_ids == ()


def test_fields_written_into_a_name_describe_one_of_its_clusters():
    """ "the Sapporo IT cluster": both Sapporo clusters are named, and the field picks one."""
    query = read("the sapporo IT cluster")
    assert set(query.clusters.named) == at("sapporo")
    assert query.clusters.fields.fields == ("it",)
    assert query.clusters.described_by_fields
    assert not read("what fields does sapporo cover").clusters.described_by_fields


# --------------------------------------------------------- clusters.stage / status ----

TERMS = [
    ("list the second stage clusters", "second", None),
    ("第Ⅱ期のクラスター一覧", "second", None),
    ("dai ni ki clusters", "second", None),
    ("second-stage clusters", "second", None),
    ("secnd stage clusters", "second", None),  # spell-corrected
    ("phase 1 clusters", "first", None),
    ("stage one clusters", "first", None),
    ("which clusters have ended", None, "ended"),
    ("終了したクラスター", None, "ended"),
    ("実施中のクラスター", None, "active"),
    ("ongoing clusters", None, "active"),
    ("current clusters", None, "active"),  # a contextual word beside a cluster noun
    ("the clusters that are done", None, "ended"),
    # Negation turns a status into the other one (there are two).
    ("clusters no longer active", None, "ended"),
    ("clusters that are not active", None, "ended"),
    ("clusters that have not ended", None, "active"),
    ("ended first stage clusters", "first", "ended"),
    ("第1期の終了したクラスター", "first", "ended"),
    ("which first-stage clusters are still active and do life sciences?", "first", "active"),
    # Two stages offered as a choice are the question, not a filter.
    ("hamamatsu cluster was it 1st or 2nd stage?", None, None),
    # Contextual words that are no stage or status where they stand.
    ("what did the clusters do first", None, None),
    ("is it over?", None, None),
]


@pytest.mark.parametrize(("question", "stage", "status"), TERMS, ids=[row[0] for row in TERMS])
def test_stage_and_status(question, stage, status):
    clusters = read(question).clusters
    assert (clusters.stage, clusters.status) == (stage, status)


def test_every_stage_named_is_kept_in_order():
    assert read("how many years between the first and second stage").stages == (
        "first",
        "second",
    )
    assert read("the second stage and the first stage").stages == ("second", "first")


def test_a_status_word_in_a_yes_no_question_is_kept_as_said():
    """ "is it over?": no status filter (nothing says what is over), but a status word asked
    about, which a follow-up reads as asking the previous clusters' status."""
    query = read("is it over?")
    assert query.status_word
    assert not read("what is over there").status_word


# ---------------------------------------------------------------- clusters.fields ----

FIELDS = [
    # question, fields, mode, excluded, count
    ("which clusters work on environment", ("environment",), "any", (), None),
    ("環境分野のクラスターは？", ("environment",), "any", (), None),
    ("biotech clusters", ("life-sciences",), "any", (), None),
    ("nanotech", ("nanotech-materials",), "any", (), None),
    ("ナノテク・材料のクラスター", ("nanotech-materials",), "any", (), None),
    ("enviromental clusters", ("environment",), "any", (), None),  # spell-corrected
    ("IT clusters", ("it",), "any", (), None),
    ("it clusters", ("it",), "any", (), None),  # "it" before a domain noun is the field
    ("is it active", (), "any", (), None),  # the pronoun
    ("clusters in IT or environment", ("it", "environment"), "any", (), None),
    ("clusters that do IT and environment", ("it", "environment"), "all", (), None),
    ("ITと環境のクラスター", ("it", "environment"), "all", (), None),
    ("clusters working on both IT and life sciences", ("it", "life-sciences"), "all", (), None),
    ("clusters doing only life sciences", ("life-sciences",), "only", (), None),
    ("just nanotech clusters", ("nanotech-materials",), "only", (), None),
    ("環境だけのクラスター", ("environment",), "only", (), None),
    ("which clusters are not in life sciences", (), "any", ("life-sciences",), None),
    ("clusters other than environment", (), "any", ("environment",), None),
    ("clusters without IT", (), "any", ("it",), None),
    ("IT以外のクラスター", (), "any", ("it",), None),
    ("ライフサイエンス以外のクラスター", (), "any", ("life-sciences",), None),
    ("life sciences clusters that don't do IT", ("life-sciences",), "any", ("it",), None),
    ("clusters with two fields", (), "any", (), 2),
    ("clusters with a single field", (), "any", (), 1),
    ("分野が3つのクラスター", (), "any", (), 3),
    ("what are the four key fields", (), "any", (), None),  # the four fields, not a count
]


@pytest.mark.parametrize(
    ("question", "fields", "mode", "excluded", "count"), FIELDS, ids=[row[0] for row in FIELDS]
)
def test_field_constraints(question, fields, mode, excluded, count):
    constraint = read(question).clusters.fields
    assert constraint.fields == fields
    assert constraint.mode == mode
    assert constraint.excluded == excluded
    assert constraint.count == count


# ---------------------------------------------------- clusters.regions / prefectures ----

AREAS = [
    # question, regions, prefectures (geography.yaml ids)
    ("which clusters are in kyushu", ("kyushu",), ()),
    ("Kyūshū clusters", ("kyushu",), ()),
    ("九州のクラスター", ("kyushu",), ()),
    ("clusters in tohoku", ("tohoku",), ()),
    ("東北の知的クラスター", ("tohoku",), ()),
    ("kinki clusters", ("kinki",), ()),
    ("近畿地方のクラスター", ("kinki",), ()),
    ("clusters in shikoku", ("shikoku",), ()),
    ("is there a cluster in okinawa?", (), ("okinawa",)),
    ("沖縄県にクラスターはありますか", (), ("okinawa",)),
    ("hyogo prefecture clusters", (), ("hyogo",)),
    ("clusters in kagawa", (), ("kagawa",)),
    # A cluster's place is that place, not the region or prefecture of the same name.
    ("kansai", (), ()),
    ("kyoto", (), ()),
    ("hokkaido clusters", (), ()),
]


@pytest.mark.parametrize(
    ("question", "regions", "prefectures"), AREAS, ids=[row[0] for row in AREAS]
)
def test_regions_and_prefectures(question, regions, prefectures):
    clusters = read(question).clusters
    assert (clusters.regions, clusters.prefectures) == (regions, prefectures)


def test_the_areas_read_are_the_knowledge_bases():
    kb = _kb()
    for _question, regions, prefectures in AREAS:
        assert set(regions) <= set(kb.regions)
        assert set(prefectures) <= set(kb.prefectures)


def test_a_place_named_by_its_region_name_keeps_its_clusters():
    """Hokkaido is a place of clusters.yaml (with Sapporo within it) as well as a region and
    a prefecture of Japan: its clusters are named."""
    assert set(read("hokkaido clusters").clusters.named) == within("hokkaido")


# ----------------------------------------------------------- asked: cues and details ----

DETAILS = [
    ("kyoto denwa bangou", ("tel",)),
    ("札幌の電話番号", ("tel",)),
    ("sapporo phne number", ("tel",)),  # a four-letter typo of one cue
    ("greater sendai fax", ("fax",)),
    ("仙台のファックス番号", ("fax",)),
    ("greater sendai address", ("address",)),
    ("浜松の住所", ("address",)),
    ("kobe email", ("email",)),
    ("who is the core organization of gifu", ("organization",)),
    ("sapporo renrakusaki", ()),
    ("contact for sapporo", ()),
]


@pytest.mark.parametrize(("question", "details"), DETAILS, ids=[row[0] for row in DETAILS])
def test_a_contact_detail_asked_is_a_contact_question(question, details):
    asked = read(question).asked
    assert asked.details == details
    assert "contact" in asked.cues


CUES = [
    # question, cues it asks (intents.yaml names), cues it must not
    ("what fields does kyoto cover", {"fields"}, set()),
    ("where is ube", {"location"}, set()),
    ("show the second stage clusters on a map", {"map", "list"}, set()),
    ("why was the initiative started", {"purpose", "start"}, set()),
    ("what replaced the knowledge cluster initiative?", {"fate"}, set()),
    ("what is the english name of 知的クラスター創成事業?", {"name"}, set()),
    ("what stage is kyoto in", {"stage"}, set()),
    # A cue inside a stage's name or a cluster's name is part of the name.
    ("2nd stage clusters", set(), {"stage"}),
    ("kitakyushu science and research park contact", {"contact"}, {"fields"}),
]


@pytest.mark.parametrize(("question", "asked", "not_asked"), CUES, ids=[row[0] for row in CUES])
def test_cues_asked(question, asked, not_asked):
    cues = read(question).asked.cues
    assert asked <= cues
    assert not (not_asked & cues)


MISSING = [
    ("who directs the kyoto cluster", ("director",)),
    ("京都のクラスターの代表者は？", ("director",)),
    ("which universities take part in the kanazawa cluster", ("members",)),
    ("what patents did kobe produce", ("results",)),
    ("website of the ube cluster", ("website",)),
    ("宇部のホームページ", ("website",)),
    ("how many researchers work at the sendai cluster", ("staff",)),
    # A budget for a year the programme's figures do not have (programme.yaml: 2003, 2004).
    ("budget in 2008", ("budget_year",)),
    ("what is the budget now", ("budget_year",)),
    ("what was the budget in 2004", ()),
    ("2003年度の予算は？", ()),
]


@pytest.mark.parametrize(("question", "missing"), MISSING, ids=[row[0] for row in MISSING])
def test_facts_the_sources_lack(question, missing):
    assert read(question).asked.missing == missing


def test_the_budget_years_are_the_programmes():
    """The years a budget is "missing" for are those programme.yaml has no figure for."""
    years = {f.year for f in _kb().programme.figures_of("budget")}
    for year in range(2000, 2012):
        missing = read(f"what was the budget in {year}").asked.missing
        assert ("budget_year" in missing) is (year not in years), year


RANKS = [
    ("which cluster has the most fields", Superlative("most", "clusters", "fields")),
    ("which field has the most clusters", Superlative("most", "fields", "clusters")),
    ("which stage had more clusters", Superlative("most", "stages", "clusters")),
    ("which field has the fewest clusters", Superlative("fewest", "fields", "clusters")),
    ("いちばん多くのクラスターが取り組んだ分野は？", Superlative("most", "fields", "clusters")),
    ("what fields does kyoto cover", None),
]


@pytest.mark.parametrize(("question", "rank"), RANKS, ids=[row[0] for row in RANKS])
def test_superlatives(question, rank):
    assert read(question).asked.superlative == rank


PAGES = [
    ("what is on page 5", 5),
    ("46ページは？", 46),
    ("pg 24", 24),
    ("what is on the 30th page", 30),
    ("p. 48", 48),
    ("page no. 54", 54),
    ("what page is ube on", None),  # a page asked, none stated
]


@pytest.mark.parametrize(("question", "page"), PAGES, ids=[row[0] for row in PAGES])
def test_page_numbers(question, page):
    assert read(question).asked.page_number == page


AMOUNTS = [
    ("was the 2004 budget 6.9 billion yen?", 6_900_000_000),
    ("2004年の予算は69億円ですよね", 6_900_000_000),
    ("is it 500 million yen per region?", 500_000_000),
    ("was it 9bn?", 9_000_000_000),
    ("was the budget 9,000 million yen", 9_000_000_000),
    ("5,000万円ですか", 50_000_000),
    ("what was the 2004 budget", None),
]


@pytest.mark.parametrize(("question", "amount"), AMOUNTS, ids=[row[0] for row in AMOUNTS])
def test_amounts_of_yen(question, amount):
    assert read(question).asked.amount == amount


SECTIONS = [
    ("is there a section on the transition of cluster policy", ("transition",)),
    ("クラスター政策の変遷について", ("transition",)),
    ("what page is the collaboration with other ministries section on", ("collaboration",)),
    ("the icons section", ("icons",)),
    ("目次の項目は？", ()),  # the contents as a whole
]


@pytest.mark.parametrize(("question", "sections"), SECTIONS, ids=[row[0] for row in SECTIONS])
def test_sections_of_the_contents(question, sections):
    query = read(question)
    assert query.asked.sections == sections
    assert set(sections) <= {entry.id for entry in _kb().contents}


STATUS_ASKED = [
    # question, the named clusters' status asked, the programme's status asked
    ("is the fukuoka cluster done?", True, False),
    ("is toyama still going?", True, False),
    ("which hokkaido clusters have ended", False, False),  # a filter, not a question
    ("is the program still running", False, True),
    ("has the initiative ended?", False, True),
    ("are the clusters of the initiative still active", False, False),
    ("what fields does kyoto cover", False, False),
]


@pytest.mark.parametrize(
    ("question", "status", "programme_status"),
    STATUS_ASKED,
    ids=[row[0] for row in STATUS_ASKED],
)
def test_status_asked_of_clusters_or_of_the_programme(question, status, programme_status):
    asked = read(question).asked
    assert (asked.status, asked.programme_status) == (status, programme_status)


# --------------------------------------------------------------------------- time ----

TIMES = [
    ("what fields does kyoto cover", When.THEN, ()),
    ("what is the budget now", When.NOW, ()),
    ("is mext still funding clusters today", When.NOW, ()),
    ("京都は今も実施中ですか", When.NOW, ()),
    ("京都はまだ実施中ですか", When.NOW, ()),
    ("what was the budget in 2003", When.THEN, (2003,)),
    ("2004年度の予算", When.THEN, (2004,)),
    ("how did the budget change from 2003 to 2004", When.THEN, (2003, 2004)),
    ("what happened after 2009?", When.THEN, (2009,)),
]


@pytest.mark.parametrize(("question", "when", "years"), TIMES, ids=[row[0] for row in TIMES])
def test_time_asked_about(question, when, years):
    time = read(question).time
    assert (time.when, time.years) == (when, years)


@pytest.mark.parametrize(
    "question",
    ["is kyoto still active", "are the 13 active clusters still running?"],
)
def test_still_with_a_status_asks_about_now(question):
    assert read(question).time.when is When.NOW


# ---------------------------------------------------------------- presuppositions ----

PRESUPPOSED = [
    ("how many clusters were in the third stage", [("stage", 3)]),
    ("stage 3 clusters", [("stage", 3)]),
    ("第3期のクラスターはいくつ？", [("stage", 3)]),
    ("第三期のクラスター", [("stage", 3)]),
    ("list the fourth phase clusters", [("stage", 4)]),
    ("産業クラスター計画とは", [("programme", "industrial-cluster")]),
    ("what is the city area program", [("programme", "city-area")]),
    # Not a stage: the number of a Basic Plan, or a stage the sources have.
    ("the third science and technology basic plan", []),
    ("第3期科学技術基本計画", []),
    ("list the second stage clusters", []),
    ("what fields does kyoto cover", []),
]


@pytest.mark.parametrize(("question", "expected"), PRESUPPOSED, ids=[row[0] for row in PRESUPPOSED])
def test_presuppositions(question, expected):
    found = [(p.kind, p.ref) for p in read(question).presupposes]
    assert found == expected


def test_a_stage_presupposed_is_one_past_the_knowledge_bases_stages():
    count = len(_kb().stages)
    assert read(f"stage {count} clusters").presupposes == ()
    assert [p.ref for p in read(f"stage {count + 1} clusters").presupposes] == [count + 1]


def test_one_other_programme_is_presupposed_once():
    found = read("what is METI's industrial cluster project").presupposes
    assert [(p.kind, p.ref) for p in found] == [("programme", "industrial-cluster")]


def test_a_presupposition_keeps_the_words_as_typed():
    """Its words are echoed in the reply: side by side they are one phrase, apostrophe
    kept; named apart, each is said."""
    (joined,) = read("what is METI's industrial cluster project").presupposes
    assert joined.text == "METI's industrial cluster project"
    (apart,) = read("stage 3 clusters, or the third stage?").presupposes
    assert (apart.text, apart.ref) == ("stage 3 / third stage", 3)


# -------------------------------------------------------------------- unexplained ----

UNEXPLAINED = [
    ("who led the hamamatsu cluster", ("led",)),
    ("Who LED the Hamamatsu cluster", ("LED",)),  # as typed
    ("kyoto gizmo fields", ("gizmo",)),
    ("whcih clusters work on IT", ()),  # a typo of a grammar word
    ("what feilds does kyoto cover", ()),  # a typo of a cue, corrected
    ("京都の分野は？", ()),
    ("斎藤さんの電話番号", ()),  # a person named in passing
    # The hiragana function words inside an unread word (し) are part of it.
    ("京都でおいしい店は？", ("おいしい店",)),
    ("what fields does kyoto cover", ()),
    ("kyoto no bunya wa nan desu ka", ()),
]


@pytest.mark.parametrize(("question", "words"), UNEXPLAINED, ids=[row[0] for row in UNEXPLAINED])
def test_unexplained_words(question, words):
    assert read(question).unexplained == words


def test_a_japanese_content_run_is_one_word():
    assert read("京都の美味しい店").unexplained == ("美味しい店",)


# ------------------------------------------------------------------ organizations ----

ORGANIZATIONS = [
    ("what is MEXT's phone number?", ("mext-office",)),
    ("文科省の連絡先", ("mext-office",)),
    ("ministry of education contact", ("mext-office",)),
    # A core organization leads to its clusters; it is no organization apart.
    ("NOASTEC phone number", ()),
    ("what fields does kyoto cover", ()),
]


@pytest.mark.parametrize(
    ("question", "organizations"), ORGANIZATIONS, ids=[row[0] for row in ORGANIZATIONS]
)
def test_organizations_outside_the_clusters(question, organizations):
    assert read(question).organizations == organizations
    assert set(organizations) <= set(_kb().organizations)


PROGRAMME = [
    # question, the programme named, the programme is the subject
    ("is the program still running", True, True),
    ("who runs the knowledge cluster program?", True, True),
    ("知的クラスター創成事業はまだ続いていますか", True, True),
    ("is mext still funding clusters today", False, True),  # its runner is the subject
    ("are the clusters of the initiative still active", True, False),
    ("what fields does kyoto cover", False, False),
]


@pytest.mark.parametrize(
    ("question", "named", "subject"), PROGRAMME, ids=[row[0] for row in PROGRAMME]
)
def test_the_programme_named_and_as_subject(question, named, subject):
    query = read(question)
    assert (query.programme, query.programme_subject) == (named, subject)


# ------------------------------------------------------------------ mode and act ----

MODES = [
    ("is kyoto still active", Mode.YES_NO),
    ("京都は実施中ですか", Mode.YES_NO),
    ("the kyoto cluster was IT, wasn't it?", Mode.YES_NO),
    ("2004年の予算は69億円ですよね", Mode.YES_NO),
    ("how many clusters are there", Mode.COUNT),
    ("クラスターはいくつありますか", Mode.COUNT),
    ("kurasutaa wa ikutsu arimasu ka", Mode.COUNT),
    ("which clusters work on environment", Mode.LIST),
    ("list all clusters", Mode.LIST),
    ("which clusters have ended", Mode.LIST),
    ("what fields does kyoto cover", Mode.WH),
    ("who runs the knowledge cluster program?", Mode.WH),
    ("where is ube", Mode.WH),
    ("kyoto", Mode.STATEMENT),
    ("hamamatsu fields", Mode.STATEMENT),
]


@pytest.mark.parametrize(("question", "mode"), MODES, ids=[row[0] for row in MODES])
def test_mode(question, mode):
    assert read(question).mode is mode


ACTS = [
    ("", Act.EMPTY),
    ("<@123>", Act.EMPTY),
    ("hello", Act.GREETING),
    ("thanks!", Act.GREETING),
    ("こんにちは", Act.GREETING),
    ("hello, what fields does kyoto cover", Act.ASK),
    ("kyoto", Act.ASK),
]


@pytest.mark.parametrize(("question", "act"), ACTS, ids=[row[0] or "(empty)" for row in ACTS])
def test_act(question, act):
    assert read(question).act is act


# --------------------------------------------------------- composed constraints ----


def test_constraints_of_one_question_compose():
    """Issue 18's example: stage, status and field in one question, none lost."""
    query = read("which first-stage clusters are still active and do life sciences?")
    clusters = query.clusters
    assert (clusters.stage, clusters.status, clusters.fields.fields) == (
        "first",
        "active",
        ("life-sciences",),
    )
    assert query.mode is Mode.LIST
    assert query.unexplained == ()


def test_a_japanese_listing_composes_the_same_constraints():
    english = read("ended first stage IT clusters").clusters
    japanese = read("第1期の終了した情報通信のクラスター").clusters
    assert (
        (japanese.stage, japanese.status, japanese.fields.fields)
        == (
            english.stage,
            english.status,
            english.fields.fields,
        )
        == ("first", "ended", ("it",))
    )


# ------------------------------------------------------------------ spelling ----


@pytest.mark.parametrize(
    ("typed", "read"),
    [("budjet", "budget"), ("clsuters", "clusters"), ("feilds", "fields"), ("ocntact", "contact")],
)
def test_misspelt_vocabulary_is_read_as_the_word_meant(typed, read):
    lexicon = _engine_for_spelling().parser.lexicon
    assert lexicon.spell_corrected(Text.parse(f"what {typed} kyoto")).tokens[1] == read


@pytest.mark.parametrize("word", ["optics", "pages", "rankings"])
def test_a_word_is_not_corrected_into_one_that_starts_otherwise(word):
    """ "optics" is one edit-distance neighbourhood from "topics" (a fields cue), but a
    typo rarely changes a word's first letter: it stays a word nothing explains."""
    lexicon = _engine_for_spelling().parser.lexicon
    corrected = lexicon.spell_corrected(Text.parse(f"which cluster works on {word}"))
    assert corrected.tokens[-1] == word or corrected.tokens[-1][0] == word[0]


def _engine_for_spelling():
    return shipped_knowledge().engine


# ------------------------------------------------ readings: kana, katakana and romaji ----

# A question typed in kana or romaji reads as its kanji or English twin: the same clusters,
# stage, status and cues, and no word left unexplained. Places, organizations and the
# programme are found by their readings (clusters.yaml, organizations.yaml, lexicon.yaml).
READINGS = [
    # question, clusters named, cues asked (a subset), stage, status
    (
        "ぎふ・おおがきのクラスターって何の分野やってたの？",
        at("gifu", "ogaki"),
        {"fields"},
        None,
        None,
    ),
    ("ぎふおおがきのクラスターの分野は？", at("gifu", "ogaki"), {"fields"}, None, None),
    ("ギフ・オオガキの分野", at("gifu", "ogaki"), {"fields"}, None, None),
    ("とやま・たかおかのクラスターは第何期？", at("toyama", "takaoka"), {"stage"}, None, None),
    ("いいづかのクラスターは何期？", at("iizuka"), {"stage"}, None, None),
    ("tokusima no kurasutaa no bunya wa?", at("tokushima"), {"fields"}, None, None),
    ("hirosima no kurasuta no bunya oshiete", at("hiroshima"), {"fields"}, None, None),
    ("takamatsu kurasutaa wa dai nan ki?", at("takamatsu"), {"stage"}, None, None),
    ("gihu no kurasutā wa nan ki?", at("gifu"), {"stage"}, None, None),
    ("福岡・北九州・飯塚のクラスターは第何期？", {"fukuoka-second"}, {"stage"}, None, None),
    ("dai 2 ki no kurasuta no ichiran misete", set(), {"list"}, "second", None),
    ("第2期のクラスターの一覧を見せて", set(), {"list"}, "second", None),
    ("dai ichi ki no kurasta no ichiran", set(), {"list"}, "first", None),
    ("shuuryou shita kurasutaa no ichiran", set(), {"list"}, None, "ended"),
    ("jisshichuu no kurasutaa no ichiran", set(), {"list"}, None, "active"),
    ("owatta kurasutaa wa?", set(), set(), None, "ended"),
    (
        "kitakyushu gakujutsu kenkyu toshi no bunya oshiete",
        {"kitakyushu-first"},
        {"fields"},
        None,
        None,
    ),
    ("kitakyuushuu gakujutsu kenkyuu toshi no bunya", {"kitakyushu-first"}, {"fields"}, None, None),
    (
        "kansai bunka gakujutsu kenkyu toshi no bunya wa?",
        {"kansai-science-city-first"},
        {"fields"},
        None,
        None,
    ),
    ("keihanna no kurasutaa wa dai nan ki?", {"kansai-science-city-first"}, {"stage"}, None, None),
    ("noasutekku no fakkusu bangou wa?", run_by("noastec"), {"fax"}, None, None),
    ("ノーステックのファックス番号は？", run_by("noastec"), {"fax"}, None, None),
    ("kyoto no kurasutaa wa itsu owatta?", at("kyoto"), {"end"}, None, None),
    ("京都のクラスターはいつ終わった？", at("kyoto"), {"end"}, None, None),
    ("chiteki kurasutaa sousei jigyou tte itsu owatta no?", set(), {"end"}, None, None),
    ("知的クラスター創成事業っていつ終わったの？", set(), {"end"}, None, None),
    ("知的クラスター創成事業はいつ終了しましたか？", set(), {"end"}, None, None),
]


@pytest.mark.parametrize(
    ("question", "named", "asked", "stage", "status"), READINGS, ids=[r[0] for r in READINGS]
)
def test_a_question_in_kana_or_romaji_reads_like_its_twin(question, named, asked, stage, status):
    query = read(question)
    assert set(query.clusters.named) == set(named)
    assert asked <= query.asked.cues
    assert (query.clusters.stage, query.clusters.status) == (stage, status)
    assert query.unexplained == ()


@pytest.mark.parametrize(
    "question",
    [
        "chiteki kurasutaa sousei jigyou tte itsu owatta no?",
        "chiteki kurasuta sosei jigyo no yosan wa?",
        "知的クラスター創成事業っていつ終わったの？",
    ],
)
def test_the_programme_is_named_by_its_romaji_name(question):
    assert read(question).programme


@pytest.mark.parametrize(
    "question",
    ["どれが終わった？", "終了したのはどれ？", "北海道で終わったのは？", "京都は終わった？"],
)
def test_an_end_verb_without_itsu_is_the_clusters_status(question):
    """終わった asks when only beside いつ; elsewhere it is the status ended."""
    assert read(question).clusters.status == "ended"


def test_a_question_after_a_dash_is_a_yes_no_question():
    from bot.engine.reading.shape import is_yes_no
    from bot.engine.text import Text

    assert is_yes_no(Text.parse("The 9 billion yen in 2004 - was that what each region received?"))
    assert not is_yes_no(Text.parse("Kyoto - what fields?"))


def test_yes_as_a_tag_makes_a_yes_no_question():
    from bot.engine.reading.shape import is_yes_no
    from bot.engine.text import Text

    assert is_yes_no(
        Text.parse("Kitakyushu Science and Research Park was a second-stage cluster, yes?")
    )


@pytest.mark.parametrize(
    ("question", "named", "left_out"),
    [
        ("second stage IT clusters other than Hamamatsu?", (), at("hamamatsu")),
        ("浜松以外の第2期のクラスターは？", (), at("hamamatsu")),
        ("list clusters except sapporo and sendai", (), at("sapporo", "sendai")),
        ("which clusters besides Kyoto are in Kansai?", (), at("kyoto")),
        # the word excludes a field here, not the name
        ("what does Kyoto do other than nanotech?", at("kyoto"), frozenset()),
    ],
)
def test_a_name_after_an_exclusion_word_is_left_out_of_the_set(question, named, left_out):
    clusters = read(question).clusters
    assert frozenset(clusters.named) == frozenset(named)
    assert frozenset(clusters.excluded_names) == left_out
