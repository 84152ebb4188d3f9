"""Follow-ups as queries (bot/engine/followup.py, kept between questions by
bot/conversations.py): a follow-up fills in what it leaves out from the previous question's
query. The issue's own examples, in English and Japanese: another year of a figure, a listing
narrowed to an area of Japan, an organization's other details, a pronoun's cluster, a status
asked of the cluster just named, one stage of a place heading two. tests/test_engine_followup.py
covers the rules' other cases; expectations here come from clusters.yaml, geography.yaml,
organizations.yaml and programme.yaml through the loaded base.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from bot.app import Application, Request
from bot.engine.answer import Answer, Intent
from bot.engine.reading.query import When
from bot.engine.turn import Turn
from tests.support import english, shipped_knowledge

GEOGRAPHY = Path(__file__).resolve().parent.parent / "knowledge" / "geography.yaml"


@functools.cache
def _engine():
    return shipped_knowledge().engine


def conversation(*questions: str) -> list[Answer]:
    answers: list[Answer] = []
    previous: Turn | None = None
    for question in questions:
        answer = _engine().ask(question, previous)
        answers.append(answer)
        previous = answer.turn
    return answers


def clusters(answer: Answer) -> set[str]:
    return {m for m in answer.matches if m in _engine().kb.clusters_by_id}


def budget(year: int) -> int | None:
    found = _engine().kb.programme.figure("budget", year)
    return None if found is None else found.amount


def stated_budgets(answer: Answer) -> dict[int, int]:
    return {m.kwargs["year"]: m.kwargs["amount"] for m in answer.summary if m.id == "figure.budget"}


# ------------------------------------------------------------------- another year ----


@pytest.mark.parametrize(
    ("first", "follow", "year"),
    [
        ("what was the 2004 budget?", "and the year before?", 2003),
        ("what was the budget in 2003", "and the year after?", 2004),
        ("what was the budget in 2003", "and 2004?", 2004),
        ("2004年度の予算は？", "前年は？", 2003),
        ("2003年度の予算は？", "翌年は？", 2004),
    ],
)
def test_another_year_of_the_same_figure(first, follow, year):
    _, after = conversation(first, follow)
    assert after.followup == "intent"
    assert after.answered
    assert after.query.time.years == (year,)
    assert stated_budgets(after)[year] == budget(year)
    assert after.query.asked.cues >= {"budget"}  # the figure carried over


@pytest.mark.parametrize(
    ("questions", "year"),
    [
        (("what was the 2004 budget?", "and the year before?", "and the year before?"), 2002),
        (("what was the 2004 budget?", "and for 2008?"), 2008),
    ],
)
def test_another_year_the_sources_have_no_figure_for_is_not_answered(questions, year):
    assert budget(year) is None
    last = conversation(*questions)[-1]
    assert last.followup == "intent"
    assert not last.answered
    assert last.intent is Intent.NOT_IN_SOURCES
    assert year in last.query.time.years


def test_another_year_needs_a_figure_before_it():
    _, follow = conversation("contact kyoto", "and the year before?")
    assert follow.followup is None


@pytest.mark.parametrize(
    "questions", [("and the year before?",), ("contact kyoto", "and the year before?")]
)
def test_a_year_relative_to_nothing_is_not_answered(questions):
    """Not the FAQ entry on how long a project lasts: there is no year to count from."""
    assert not conversation(*questions)[-1].answered


# ---------------------------------------------------------- a listing, by area ----


@functools.cache
def _geography() -> dict:
    return yaml.safe_load(GEOGRAPHY.read_text(encoding="utf-8"))


@functools.cache
def _locations() -> dict[str, tuple[str | None, str | None]]:
    """Each place of a cluster: (its prefecture, the region it is as a whole), read from
    knowledge/geography.yaml."""
    return {p["id"]: (p.get("prefecture"), p.get("region")) for p in _geography()["places"]}


@functools.cache
def _regions_of_prefectures() -> dict[str, str]:
    return {p["id"]: p["region"] for p in _geography()["prefectures"]}


def _region_of(place: str) -> str | None:
    prefecture, region = _locations().get(place, (None, None))
    return region or _regions_of_prefectures().get(prefecture)


def within_region(region: str, field: str | None = None, stage: str | None = None) -> set[str]:
    return {
        c.id
        for c in _engine().kb.clusters
        if any(_region_of(p) == region for p in c.places)
        and (field is None or field in c.fields)
        and (stage is None or c.stage == stage)
    }


@pytest.mark.parametrize(
    ("first", "follow", "region", "field", "stage"),
    [
        (
            "which clusters covered IT in the second stage?",
            "the one in kyushu — what's its core organization?",
            "kyushu",
            "it",
            "second",
        ),
        ("第2期でITのクラスターは？", "九州のものの中核機関は？", "kyushu", "it", "second"),
        (
            "which clusters work on life sciences",
            "the ones in kinki — their contacts?",
            "kinki",
            "life-sciences",
            None,
        ),
    ],
)
def test_a_listing_narrowed_to_an_area_with_what_is_asked_of_it(
    first, follow, region, field, stage
):
    _, after = conversation(first, follow)
    expected = within_region(region, field, stage)
    assert expected  # the example has clusters to narrow to
    assert after.followup == "refine"
    assert after.intent is Intent.CONTACT
    assert clusters(after) == expected


@pytest.mark.parametrize(
    ("first", "follow", "region", "field", "status"),
    [
        (
            "which clusters work on life sciences",
            "only the ones in kinki",
            "kinki",
            "life-sciences",
            None,
        ),
        ("ライフサイエンスのクラスターは？", "近畿のものだけ", "kinki", "life-sciences", None),
        ("list the ended clusters", "which of those are in kyushu?", "kyushu", None, "ended"),
    ],
)
def test_a_listing_narrowed_to_an_area(first, follow, region, field, status):
    """Nothing asked of the clusters but the area: the previous listing, within it."""
    _, after = conversation(first, follow)
    expected = {
        c
        for c in within_region(region, field)
        if status is None or _engine().kb.cluster(c).status == status
    }
    assert after.followup == "refine"
    assert clusters(after) == expected


# ------------------------------------------------------ an organization named before ----


@pytest.mark.parametrize(
    ("first", "follow", "detail", "given"),
    [
        ("what is MEXT's phone number?", "and its fax?", "fax", False),
        ("what is MEXT's phone number?", "and the address?", "address", False),
        ("who runs the knowledge cluster program?", "and its phone number?", "tel", True),
        ("文科省の担当部署は？", "電話番号も教えてください", "tel", True),
    ],
)
def test_an_organizations_other_details(first, follow, detail, given):
    """What organizations.yaml gives for the programme office (a tel, no fax, no address)
    is answered; what it lacks is said lacking, of the same organization."""
    office = _engine().kb.organizations[_engine().kb.programme.run_by]
    assert bool(getattr(office, detail)) is given
    _, after = conversation(first, follow)
    assert after.followup == "clusters"
    assert after.query.organizations == (office.id,)
    assert after.intent is Intent.CONTACT
    assert after.answered is given
    assert clusters(after) == set()


# ---------------------------------------------------------- pronouns and ellipses ----


def _core_organization(cluster_id: str) -> str:
    organization = _engine().kb.cluster(cluster_id).organization
    assert organization is not None
    return organization.id


@pytest.mark.parametrize(
    ("first", "follow", "cluster"),
    [
        ("gifu", "who's the core org?", "gifu-first"),
        ("岐阜の概要", "中核機関は？", "gifu-first"),
        ("tell me about the greater sendai area", "and its phone number?", "sendai-second"),
        ("広域仙台地域について", "その電話番号は？", "sendai-second"),
    ],
)
def test_a_pronoun_or_ellipsis_asks_of_the_cluster_just_named(first, follow, cluster):
    _, after = conversation(first, follow)
    assert after.followup == "clusters"
    assert after.intent is Intent.CONTACT
    assert clusters(after) == {cluster}
    assert _core_organization(cluster) in after.matches


@pytest.mark.parametrize(
    ("first", "follow", "cluster"),
    [
        ("tell me about kansai science city", "is it still active?", "kansai-science-city-first"),
        ("けいはんな学研都市について", "まだ実施中ですか？", "kansai-science-city-first"),
        ("tell me about ube", "is it still active?", "ube-first"),
        ("宇部について", "まだ実施中ですか？", "ube-first"),
    ],
)
def test_is_it_still_active_asks_the_status_of_the_cluster_just_named(first, follow, cluster):
    _, after = conversation(first, follow)
    assert after.followup == "clusters"
    assert after.intent is Intent.STAGE
    assert clusters(after) == {cluster}
    active = _engine().kb.cluster(cluster).status == "active"
    assert after.summary[0].id == ("claim.yes.then" if active else "claim.no")


@pytest.mark.parametrize(
    ("first", "follow", "stage"),
    [
        ("hamamatsu fields", "only the first stage one", "first"),
        ("hamamatsu fields", "just the second stage one", "second"),
        ("浜松の分野は？", "第1期のものだけ", "first"),
        ("浜松の分野は？", "第2期のものだけ", "second"),
    ],
)
def test_one_stage_of_a_place_heading_two(first, follow, stage):
    before, after = conversation(first, follow)
    hamamatsu = {c.id for c in _engine().kb.clusters if "hamamatsu" in c.places}
    assert clusters(before) == hamamatsu
    assert after.followup == "refine"
    assert after.intent is Intent.FIELDS
    assert clusters(after) == {c for c in hamamatsu if _engine().kb.cluster(c).stage == stage}


def test_a_follow_up_keeps_the_questions_time():
    """ "is it still active?" after a cluster: the follow-up's own words say when."""
    _, after = conversation("tell me about ube", "is it active now?")
    assert after.query.time.when is When.NOW
    assert "note.now" in [n.id for n in after.notes]


# -------------------------------------------------- through the application's store ----


def test_the_year_before_through_the_application():
    """The turn the conversation store keeps carries the query, so a follow-up asked
    through the pipeline fills in from it; another conversation has nothing to fill in."""
    app = Application(shipped_knowledge())

    def ask(text: str, key: str):
        return app.handle(Request("ask", text, conversation=key)).answer

    ask("what was the 2004 budget?", "chat")
    assert app.conversations.get("chat").query.time.years == (2004,)
    follow = ask("and the year before?", "chat")
    assert follow.followup == "intent"
    assert stated_budgets(follow)[2003] == budget(2003)
    assert ask("and the year before?", "someone else").followup is None


@pytest.mark.parametrize(
    ("first", "follow", "fields", "status"),
    [
        ("which clusters did only life sciences?", "how many is that?", ("life-sciences",), None),
        ("environment clusters", "and how many of those are active?", ("environment",), "active"),
        ("環境分野のクラスターは？", "そのうちいくつが実施中？", ("environment",), "active"),
    ],
)
def test_a_count_of_the_listing_just_shown(first, follow, fields, status):
    """ "how many is that?" counts the list just shown (it said all 24 clusters)."""
    listing, counted = conversation(first, follow)
    assert counted.intent is Intent.COUNT
    kb = _engine().kb
    only = listing.turn.query.clusters.fields.mode == "only"
    expected = {
        c.id
        for c in kb.clusters
        if (set(c.fields) == set(fields) if only else set(fields) <= set(c.fields))
        and (status is None or c.status == status)
    }
    assert clusters(counted) == expected


@pytest.mark.parametrize(
    ("first", "follow", "cluster"),
    [
        ("Tokushima?", "which of those is second stage?", "tokushima-first"),
        ("kyoto", "which of them is in the second stage?", "kyoto-first"),
    ],
)
def test_which_of_them_when_none_is_says_no_with_their_own_stage(first, follow, cluster):
    """Not every cluster of the stage as if the question were fresh: "No", and the stage of
    the clusters just named."""
    _, answer = conversation(first, follow)
    assert answer.followup == "refine"
    assert clusters(answer) == {cluster}
    assert english(answer.summary[0]) == "No."


@pytest.mark.parametrize(
    ("first", "follow", "status"),
    [
        ("Which clusters are in Kyushu?", "who runs the one that's still active?", "active"),
        ("environment clusters", "what is the contact of the active one?", "active"),
    ],
)
def test_one_of_the_list_just_shown_picked_by_its_status(first, follow, status):
    listing, answer = conversation(first, follow)
    kb = _engine().kb
    shown = {cid for cid in listing.matches if cid in kb.clusters_by_id}
    picked = {cid for cid in shown if kb.cluster(cid).status == status}
    assert len(picked) == 1
    assert answer.followup == "refine"
    assert clusters(answer) == picked


@pytest.mark.parametrize(
    ("first", "follow", "place"),
    [
        (
            "What's the phone number of the Sendai cluster office?",
            "sorry, I meant Hamamatsu",
            "hamamatsu",
        ),
        ("京都の分野は？", "いや、浜松の方", "hamamatsu"),
    ],
)
def test_a_correction_asks_the_previous_question_of_the_place_meant(first, follow, place):
    before, answer = conversation(first, follow)
    assert answer.followup == "intent"
    assert answer.intent is before.intent
    assert clusters(answer)
    assert all(place in _engine().kb.cluster(c).places for c in clusters(answer))


def test_it_after_a_question_about_the_programme_is_the_programme():
    _, answer = conversation(
        "what's the Knowledge Cluster Initiative called in Japanese?", "is it still running?"
    )
    assert answer.rule == "programme_fate"


def test_of_those_with_another_field_keeps_the_first_field_too():
    listing, narrowed = conversation(
        "第2期でライフサイエンスを扱っていたクラスターは？", "そのうちITもやってるのは？"
    )
    kb = _engine().kb
    expected = {
        c.id
        for c in kb.clusters
        if c.stage == "second" and {"life-sciences", "it"} <= set(c.fields)
    }
    assert clusters(narrowed) == expected
    assert clusters(narrowed) < clusters(listing)


def test_a_detail_asked_where_after_a_listing_of_a_place():
    """「中核機関はどこ？」 after Nagano's clusters: their core organization, not the FAQ
    entry on what a core organization is."""
    _, answer = conversation("長野県のクラスターの分野は？", "中核機関はどこ？")
    assert answer.followup == "clusters"
    assert all("nagano" in c for c in clusters(answer))


def test_the_n_th_one_with_a_question_asks_it_of_that_one():
    listing, answer = conversation(
        "list the first stage clusters that were still active in 2008",
        "the second one, what field was it?",
    )
    second = listing.turn.choices[1]
    assert answer.followup == "choice"
    assert answer.intent is Intent.FIELDS
    assert clusters(answer) == {second.id}


def test_which_organization_in_japanese_is_the_organization_not_its_address():
    answer = _engine().ask("福岡・北九州・飯塚の中核機関ってどこ？")
    assert answer.answered
    assert answer.intent is Intent.CONTACT
    assert not any(f.attribute == "address" for f in answer.facts)
