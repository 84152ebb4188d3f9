"""Follow-up questions in the engine: each rule, in English and Japanese, and what a fresh
question does instead (bot/engine/followup.py, bot/engine/turn.py, bot/engine/steps.py)."""

from __future__ import annotations

import pytest

from bot.engine.answer import Answer, Intent, Ref
from bot.engine.cues import read_cues
from bot.engine.followup import RULE_NAMES
from bot.engine.text import Text
from bot.engine.turn import Turn
from tests.support import Speaker, shipped_knowledge


def conversation(*questions: str) -> list[Answer]:
    """Each question answered with the previous answer's turn, as the application does."""
    engine = shipped_knowledge().engine
    answers: list[Answer] = []
    previous: Turn | None = None
    for question in questions:
        answer = engine.ask(question, previous)
        answers.append(answer)
        previous = answer.turn
    return answers


def words(answer: Answer, lang: str = "en") -> str:
    from bot.render.plain import render_plain

    return render_plain(shipped_knowledge().localizer.localize(answer, lang))


def clusters(answer: Answer) -> list[str]:
    known = shipped_knowledge().kb.clusters_by_id
    return [m for m in answer.matches if m in known]


# ------------------------------------------------------------------- rule: clusters ----


@pytest.mark.parametrize(
    ("first", "follow", "intent", "cluster"),
    [
        (
            "what fields does the greater sendai cluster cover",
            "and its phone number?",
            Intent.CONTACT,
            "sendai-second",
        ),
        ("what fields does ube cover", "what page is it on?", Intent.PAGE, "ube-first"),
        ("what fields does ube cover", "its fields", Intent.FIELDS, "ube-first"),
        ("what fields does ube cover", "is it still active?", Intent.STAGE, "ube-first"),
        ("広域仙台地域の分野は？", "その連絡先は？", Intent.CONTACT, "sendai-second"),
        ("広域仙台地域の分野は？", "電話番号は？", Intent.CONTACT, "sendai-second"),
        ("what fields does ube cover", "何ページ？", Intent.PAGE, "ube-first"),
        # a contact is a cluster's, whatever the FAQ says
        (
            "what fields does the greater sendai cluster cover",
            "phone number?",
            Intent.CONTACT,
            "sendai-second",
        ),
    ],
)
def test_a_pronoun_or_ellipsis_asks_about_the_previous_clusters(first, follow, intent, cluster):
    _first, second = conversation(first, follow)
    assert second.followup == "clusters"
    assert second.intent is intent
    assert clusters(second) == [cluster]
    assert second.answered


def test_a_followup_for_a_contact_the_sources_lack_is_not_answered():
    """Ube has no contact in the sources: the programme office stands in, not as the answer."""
    _first, second = conversation("what fields does ube cover", "and its phone number?")
    assert second.followup == "clusters"
    assert second.intent is Intent.CONTACT
    assert not second.answered


def test_the_reply_says_what_it_carried_over():
    """The answer leads; what was carried over is a note on how the question was read
    (Discord shows it as small text under the answer)."""
    _, second = conversation("who runs the kyoto cluster", "and its page?")
    assert [note.id for note in second.notes] == ["note.followup.clusters"]
    assert "Page of Kyoto\nThe 2008 edition's" in words(second)
    assert "\n\nFollowing up on Kyoto.\n" in words(second)
    _, japanese = conversation("京都の分野は？", "その連絡先は？")
    assert "前の質問に続けて、京都についてお答えします。" in words(japanese, "ja")


def test_a_listings_clusters_carry_over_too():
    _, second = conversation("which clusters work on environment", "and their contacts?")
    assert second.followup == "clusters"
    assert second.intent is Intent.CONTACT
    assert set(clusters(second)) == {"aichi-first", "kansai-science-city-first", "kitakyushu-first"}


@pytest.mark.parametrize(
    ("first", "follow"),
    [
        ("contact kyoto", "who directs it?"),
        ("contact kyoto", "and its website?"),
        ("京都の連絡先は？", "その所長は？"),
    ],
)
def test_a_fact_the_sources_lack_is_asked_of_the_previous_clusters(first, follow):
    """Not a decline ("I only answer questions about ..."): the bot says which cluster's
    fact the sources do not give."""
    _, second = conversation(first, follow)
    assert second.followup == "clusters"
    assert second.rule == "not_in_sources"
    assert not second.answered
    assert clusters(second) == ["kyoto-first"]


# --------------------------------------------------------------------- rule: intent ----


@pytest.mark.parametrize(
    ("first", "follow", "lang", "expected"),
    [
        ("who directs the kyoto cluster?", "what about ube?", "en", "who directs it"),
        ("京都のクラスターの代表者は？", "宇部は？", "ja", "代表者・責任者"),
    ],
)
def test_a_new_place_gets_the_previous_question_the_sources_could_not_answer(
    first, follow, lang, expected
):
    _, second = conversation(first, follow)
    assert second.followup == "intent"
    assert second.rule == "not_in_sources"
    assert not second.answered
    assert clusters(second) == ["ube-first"]
    assert expected in words(second, lang)


@pytest.mark.parametrize(
    ("first", "follow", "intent", "expected"),
    [
        ("contact kyoto", "what about Kobe?", Intent.CONTACT, {"kansai-second", "kobe-first"}),
        ("what page is ube on", "how about tokushima?", Intent.PAGE, {"tokushima-first"}),
        ("京都の連絡先", "神戸は？", Intent.CONTACT, {"kansai-second", "kobe-first"}),
        ("what fields does ube cover", "kanazawa?", Intent.FIELDS, {"kanazawa-first"}),
        ("which clusters work on environment", "and what about ube?", Intent.FIELDS, {"ube-first"}),
    ],
)
def test_a_new_place_alone_gets_the_previous_question(first, follow, intent, expected):
    _, second = conversation(first, follow)
    assert second.followup == "intent"
    assert second.intent is intent
    assert set(clusters(second)) == expected


def test_a_listing_by_field_carries_its_field_to_a_place():
    _, second = conversation("which clusters work on environment", "what about ube?")
    assert "No: Environment is not one of its key fields." in words(second)


# --------------------------------------------------------------------- rule: refine ----


@pytest.mark.parametrize(
    ("first", "follow", "expected"),
    [
        ("which clusters work on environment", "only the active ones", {"aichi-first"}),
        (
            "list the active clusters",
            "what about the second stage?",
            {
                "hokkaido-second",
                "sendai-second",
                "nagano-second",
                "hamamatsu-second",
                "kansai-second",
                "fukuoka-second",
            },
        ),
        ("環境分野のクラスターは？", "実施中のものだけ", {"aichi-first"}),
        (
            "実施中のクラスター一覧",
            "第II期は？",
            {
                "hokkaido-second",
                "sendai-second",
                "nagano-second",
                "hamamatsu-second",
                "kansai-second",
                "fukuoka-second",
            },
        ),
    ],
)
def test_a_filter_narrows_the_previous_listing(first, follow, expected):
    _, second = conversation(first, follow)
    assert second.followup == "refine"
    assert set(clusters(second)) == expected


def test_a_count_stays_a_count_when_refined():
    _, second = conversation("how many clusters work on IT", "only the ended ones?")
    assert second.followup == "refine"
    assert second.intent is Intent.COUNT
    assert "Narrowed down from your previous list (11 clusters working in IT" in words(second)


def test_changing_a_filter_says_so_rather_than_narrowed():
    _, second = conversation("list the active clusters", "what about the ended ones?")
    assert second.followup == "refine"
    assert "with the filter you asked for instead" in words(second)
    assert len(clusters(second)) == 11


# --------------------------------------------------------------------- rule: choice ----


@pytest.mark.parametrize(
    ("follow", "expected"),
    [
        ("the second one", "hamamatsu-first"),
        ("the first one", "hamamatsu-second"),
        ("2", "hamamatsu-first"),
        ("the last one please", "hamamatsu-first"),
        ("二つ目", "hamamatsu-first"),
        ("最初の", "hamamatsu-second"),
        ("2番目のクラスター", "hamamatsu-first"),
    ],
)
def test_an_ordinal_picks_one_of_several_clusters(follow, expected):
    _, second = conversation("hamamatsu", follow)
    assert second.followup == "choice"
    assert clusters(second) == [expected]


def test_a_pick_keeps_what_was_asked():
    _, second = conversation("contact hamamatsu", "the second one")
    assert second.intent is Intent.CONTACT
    assert "Option 2 of my previous reply: Hamamatsu." in words(second)


def test_a_pick_after_did_you_mean():
    first, second = conversation("tokyo contact", "the first one")
    assert not first.answered
    assert second.followup == "choice"
    assert second.intent is Intent.CONTACT
    assert clusters(second) == ["kyoto-first"]


def test_a_pick_out_of_range_is_an_ordinary_question():
    _, second = conversation("hamamatsu", "the fifth one")
    assert second.followup is None


# ----------------------------------------------------------------------- no context ----


@pytest.mark.parametrize(
    ("first", "follow"),
    [
        ("contact kyoto", "what fields does ube cover"),  # a place and what is asked
        ("contact kyoto", "what is the budget?"),  # a strong FAQ question
        ("contact kyoto", "which clusters work on environment"),  # a fresh listing
        ("which clusters work on environment", "which clusters are active"),  # no narrowing
        ("contact kyoto", "the second one"),  # nothing was offered to pick from
        ("what is a knowledge cluster", "and its phone number?"),  # nothing to carry
        ("hamamatsu", "tell me about kobe"),  # a fresh question about a place
        ("神戸の概要", "環境分野のクラスターは？"),  # a set of clusters, not "its" field
        ("ube overview", "and the environment clusters?"),
        ("contact kyoto", "what is the weather in Paris"),  # unknown words: not an ellipsis
    ],
)
def test_a_fresh_complete_question_ignores_the_context(first, follow):
    engine = shipped_knowledge().engine
    _, second = conversation(first, follow)
    alone = engine.ask(follow)
    assert second.followup is None
    assert (second.rule, second.intent, second.matches) == (alone.rule, alone.intent, alone.matches)


def test_without_a_previous_turn_nothing_changes():
    engine = shipped_knowledge().engine
    assert engine.ask("and its phone number?").followup is None


def test_every_rule_has_a_name_the_json_reports():
    assert RULE_NAMES == ("language", "choice", "refine", "sibling", "clusters", "intent")


# ------------------------------------------------------------------------ cues, turns ----


@pytest.mark.parametrize(
    ("text", "ordinal"),
    [
        ("the second one", 2),
        ("second", 2),
        ("option 3", 3),
        ("the last", -1),
        ("一つ目", 1),
        ("三番目でお願いします", 3),
        ("second stage", None),
        ("the second stage one", None),
        ("十番目", 10),
        ("最後の", -1),
    ],
)
def test_ordinals(text, ordinal):
    assert read_cues(Text.parse(text)).ordinal == ordinal


def test_an_empty_message_keeps_the_turn():
    engine = shipped_knowledge().engine
    first = engine.ask("contact kyoto")
    empty = engine.ask("   ", first.turn)
    assert empty.turn == first.turn


def test_the_turn_records_a_listing_and_its_choices_in_the_order_shown():
    (answer,) = conversation("which clusters work on environment")
    turn = answer.turn
    assert turn.intent is Intent.BY_FIELD
    assert turn.fields == ("environment",)
    assert [ref.id for ref in turn.choices] == list(turn.clusters)
    assert turn.clusters[0] == "aichi-first"  # the active First Stage group comes first


def test_commands_leave_turns_for_follow_ups():
    engine = shipped_knowledge().engine
    listing = engine.stage("second", "active")
    assert (listing.turn.stage, listing.turn.status) == ("second", "active")
    follow = engine.ask("only the IT ones", listing.turn)
    assert follow.followup == "refine"
    assert set(clusters(follow)) == {
        "hokkaido-second",
        "sendai-second",
        "hamamatsu-second",
        "fukuoka-second",
    }


# --------------------------------------------------------------------------- steps ----


def test_one_cluster_offers_its_other_aspects_and_its_sibling():
    answer = shipped_knowledge().engine.contact("hamamatsu-second")
    steps = [(s.kind, s.action, s.target) for s in answer.steps]
    assert steps == [
        ("next", "region", Ref("cluster", "hamamatsu-second")),
        ("next", "map", Ref("cluster", "hamamatsu-second")),
        ("next", "fields", Ref("cluster", "hamamatsu-second")),
        ("next", "contact", Ref("cluster", "hamamatsu-first")),
    ]


def test_a_place_with_several_clusters_offers_a_choice():
    answer = shipped_knowledge().engine.region("sendai")
    choices = [s.target.id for s in answer.steps if s.kind == "choice"]
    assert choices == ["sendai-second", "sendai-first"]
    assert [(s.action, s.target) for s in answer.steps if s.kind == "next"] == [
        ("contact", Ref("place", "sendai")),
        ("map", Ref("place", "sendai")),
    ]


def test_did_you_mean_steps_ask_what_was_asked():
    answer = shipped_knowledge().engine.ask("tokyo contact")
    assert next((s.action, s.target) for s in answer.steps if s.kind == "suggestion") == (
        "contact",
        Ref("place", "kyoto"),
    )


def test_engine_show_answers_a_step_and_refuses_what_is_gone():
    engine = shipped_knowledge().engine
    shown = engine.show("page", Ref("cluster", "ube-first"))
    assert shown.answered
    assert shown.intent is Intent.PAGE
    assert shown.rule == "show.page"
    gone = engine.show("page", Ref("cluster", "atlantis"))
    assert not gone.answered
    assert not engine.show("launch", Ref("cluster", "ube-first")).answered
    assert engine.show("faq", Ref("faq", "budget")).answered


def test_a_long_listing_offers_no_choice_but_can_be_refined(monkeypatch):
    """Past MAX_CHOICES clusters a reply is read, not picked from: no menu, no "the second
    one", nothing per cluster to build for a base of a thousand; its filters still narrow."""
    import bot.engine.turn as turn_module

    monkeypatch.setattr(turn_module, "MAX_CHOICES", 5)
    engine = shipped_knowledge().engine
    listing = engine.ask("which clusters work on IT")
    assert len(clusters(listing)) == 11
    assert (listing.turn.clusters, listing.turn.choices) == ((), ())
    assert not [s for s in listing.steps if s.kind == "choice"]
    assert engine.ask("the second one", listing.turn).followup is None
    refined = engine.ask("only the active ones", listing.turn)
    assert refined.followup == "refine"
    assert "Narrowed down from your previous list (11 clusters working in IT" in words(refined)


def test_a_listing_offers_its_map_and_the_map_step_draws_the_same_clusters():
    engine = shipped_knowledge().engine
    listing = engine.ask("which active clusters work on environment")
    (step,) = [s for s in listing.steps if s.action == "map"]
    assert step.target == Ref("view", "-.active.environment")
    shown = engine.show("map", step.target)
    assert shown.intent is Intent.MAP
    assert shown.map.clusters == tuple(clusters(listing))
    assert engine.show("map", Ref("view", "-.active.astrology")).map is None
    place = engine.show("map", Ref("place", "hamamatsu"))
    assert place.intent is Intent.LOCATION
    assert set(place.map.clusters) == {"hamamatsu-second", "hamamatsu-first"}


def test_a_map_is_followed_up_like_a_listing():
    engine = shipped_knowledge().engine
    first = engine.map("second")
    refined = engine.ask("only the IT ones", first.turn)
    assert refined.followup == "refine"
    assert refined.intent is Intent.MAP
    located = engine.ask("what about ube?", first.turn)
    assert located.followup == "intent"
    assert located.intent is Intent.LOCATION


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        (
            "what field was the nagano prefecture region cluster?",
            "and the other one?",
            "nagano-first",
        ),
        ("はままつの第1期クラスターの分野は？", "じゃあ第2期のは？", "hamamatsu-second"),
        (
            "fields of the first stage hamamatsu cluster",
            "and the second stage one?",
            "hamamatsu-second",
        ),
    ],
)
def test_the_other_cluster_of_the_place_just_answered(first, then, expected):
    """ "and the other one?" had got the FAQ entry on other ministries; 「じゃあ第2期のは？」
    the one on the stages."""
    engine = shipped_knowledge().engine
    before = engine.ask(first)
    answer = engine.ask(then, before.turn)
    assert answer.followup == "sibling"
    assert answer.matches[:1] == (expected,)
    assert answer.intent is Intent.FIELDS


def test_the_other_one_of_a_place_with_one_cluster_is_no_faq_entry():
    engine = shipped_knowledge().engine
    answer = engine.ask("and the other one?", engine.ask("kyoto fields").turn)
    assert answer.intent is not Intent.FAQ


def test_is_it_still_active_asks_of_the_same_cluster_not_its_sibling():
    engine = shipped_knowledge().engine
    before = engine.ask("What fields did the first-stage Sapporo cluster do?")
    answer = engine.ask("is it still active?", before.turn)
    assert answer.followup != "sibling"
    assert answer.matches[:1] == ("sapporo-first",)


@pytest.mark.parametrize(
    ("first", "then", "status"),
    [
        ("what was Kitakyushu Science and Research Park's focus?", "which stage?", "ended"),
        ("what was Kitakyushu Science and Research Park's focus?", "ended or active?", "ended"),
        ("tell me about the Kitakyushu Science and Research Park cluster", "still going?", "ended"),
        ("kyoto fields?", "active?", "active"),
    ],
)
def test_a_stage_or_status_alone_asks_it_of_the_cluster_just_answered(first, then, status):
    """ "which stage?" had got the FAQ entry on the stages, "ended or active?" whether the
    programme still runs, "still going?" the list of active clusters."""
    engine = shipped_knowledge().engine
    before = engine.ask(first)
    answer = engine.ask(then, before.turn)
    assert answer.followup == "clusters"
    assert answer.intent is Intent.STAGE
    assert answer.matches[:1] == before.matches[:1]
    assert status in Speaker().words(answer).summary.lower()


@pytest.mark.parametrize("then", ["what are the stages?", "what is the second stage?"])
def test_the_programme_s_stages_named_are_no_follow_up_of_a_cluster(then):
    engine = shipped_knowledge().engine
    answer = engine.ask(then, engine.ask("kyoto fields?").turn)
    assert answer.followup is None
    assert "kyoto" not in answer.matches


def test_a_correction_names_the_cluster_meant():
    """ "no i meant the second stage one" had got the list of first-stage clusters: "no"
    read as negating "second stage", and "stage one" as the first stage."""
    engine = shipped_knowledge().engine
    before = engine.ask("what fields did the Hamamatsu cluster cover in the first stage?")
    answer = engine.ask("no i meant the second stage one", before.turn)
    assert answer.followup == "sibling"
    assert answer.matches[:1] == ("hamamatsu-second",)
    assert answer.intent is Intent.FIELDS


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("where's the second stage map?", "and the first stage one?"),
        ("第2期の地図はどこ？", "第1期のは？"),
    ],
)
def test_the_edition_s_map_of_the_other_stage(first, then):
    engine = shipped_knowledge().engine
    before = engine.ask(first)
    assert before.rule == "contents_section"
    assert before.query.asked.sections == ("map-second",)
    answer = engine.ask(then, before.turn)
    assert answer.followup == "intent"
    assert answer.query.asked.sections == ("map-first",)


def test_a_count_of_stages_after_a_listing_counts_stages_and_a_count_counts_the_set():
    """After "Is Kyoto the only cluster that did nothing but nanotech?", "how many stages
    were there?" had been "counted from your previous list" as Kyoto's key fields."""
    engine = shipped_knowledge().engine
    before = engine.ask("Is Kyoto the only cluster that did nothing but nanotech?")
    stages = engine.ask("how many stages were there?", before.turn)
    assert stages.rule == "count_terms"
    assert stages.followup is None
    counted = engine.ask("how many are there?", before.turn)
    assert counted.followup == "refine"
    assert set(counted.matches) == {"nagano-second", "kyoto-first", "nagano-first"}
