"""Evaluation (bot/engine/evaluation/): why the named rules are in the order they are, what
coverage does to an answer with a word it could not read, and the verdicts and notes the
premises add.

An order test takes a question that two rules both accept, shows that the earlier one
answers, and what the later one would have said instead: each pair is one reason for the
order of `RULES`.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from bot.engine.answer import Intent
from bot.engine.evaluation import evaluate as E
from bot.engine.evaluation.context import Context
from bot.engine.evaluation.coverage import UNSURE_RULE, covered, still_unexplained
from bot.engine.evaluation.evaluate import RULES, evaluate
from bot.engine.text import Text
from tests.support import english, shipped_knowledge

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
RULE = {rule.name: rule for rule in RULES}
POSITION = {rule.name: index for index, rule in enumerate(RULES)}


@functools.cache
def _engine():
    return shipped_knowledge().engine


def context(question: str) -> Context:
    return _engine()._context(Text.parse(question))


def answered_by(rule: str, ctx: Context):
    """The answer `rule` gives to the context, coverage applied as evaluate() applies it."""
    engine = _engine()
    return covered(ctx.query, RULE[rule].then(ctx, rule), ctx.faq, engine.kb.clusters_by_id)


def _clusters(answer) -> set[str]:
    return {m for m in answer.matches if m in _engine().kb.clusters_by_id}


# ------------------------------------------------------------------ the order of RULES

# question, the rule that answers, a later rule that would also have answered, and what
# the later one would have got wrong.
ORDER = [
    # A named cluster beats a FAQ entry that matches every word: Kyoto's fields, not the
    # programme's four key fields.
    ("what are the key fields of kyoto", "region", "faq"),
    # Kyoto's budget is no figure the sources give: the programme's budget is offered as
    # such (answered=False), where the FAQ entry on the budget would have answered.
    ("what is the budget of the kyoto cluster", "region", "faq"),
    # A false premise is said before anything is counted (24 clusters in no third stage).
    ("how many clusters were in the third stage", "premise", "count"),
    # Food named after a place is not the place's cluster.
    ("kobe beef", "off_topic", "region"),
    # A fact the sources lack is said missing rather than the cluster's card shown.
    ("who directs the kyoto cluster", "not_in_sources", "region"),
    # An area of Japan with no cluster: "No", not "did you mean Kanazawa?".
    ("is there a cluster in okinawa?", "area", "unknown_place"),
    # "tokyo" heads no cluster: said so, not the FAQ entry on the key fields.
    ("what fields does tokyo cover", "unknown_place", "faq"),
    # Arithmetic before the listings it is computed from.
    (
        "how many more clusters were in the first stage than in the second?",
        "difference",
        "by_stage",
    ),
    ("what percentage of clusters work on IT", "share", "faq"),
    ("which cluster has the most fields", "rank", "faq"),
    # A count is a number, not the listing it counts.
    ("how many clusters work on IT", "count", "by_field"),
    # A field alone is its listing, not the FAQ entry on the Basic Plan that names it.
    ("life sciences", "by_field", "faq"),
    # "list all knowledge cluster projects" lists them (issue 18: "list all the clusters" got the
    # definition of a cluster).
    ("list all knowledge cluster projects", "list_all", "faq"),
    # A map asked for is drawn.
    ("environment clusters on a map", "map", "by_field"),
]


@pytest.mark.parametrize(("question", "winner", "loser"), ORDER, ids=[r[0] for r in ORDER])
def test_the_earlier_rule_answers_what_both_accept(question, winner, loser):
    ctx = context(question)
    assert RULE[winner].when(ctx), "the earlier rule accepts it"
    assert RULE[loser].when(ctx), "the later rule accepts it too"
    assert POSITION[winner] < POSITION[loser]
    answer = evaluate(ctx)
    assert answer.rule in (winner, f"{UNSURE_RULE}:{winner}")
    instead = answered_by(loser, ctx)
    assert (instead.rule, instead.intent, instead.matches, instead.answered) != (
        answer.rule,
        answer.intent,
        answer.matches,
        answer.answered,
    )


def test_a_named_cluster_gets_its_own_facts_not_the_faqs():
    ctx = context("what are the key fields of kyoto")
    assert ctx.strong  # the FAQ entry on the key fields matches every word
    answer = evaluate(ctx)
    assert answer.intent is Intent.FIELDS
    assert _clusters(answer) == {"kyoto-first"}
    assert _clusters(answered_by("faq", ctx)) == set()


def test_a_premise_is_said_where_a_count_would_have_answered():
    ctx = context("how many clusters were in the third stage")
    answer = evaluate(ctx)
    assert answer.intent is Intent.NOT_IN_SOURCES
    assert not answer.answered
    counted = answered_by("count", ctx)
    assert counted.answered
    assert counted.intent is Intent.COUNT


def test_the_budget_of_a_cluster_is_a_substitute_not_an_answer():
    answer = evaluate(context("what is the budget of the kyoto cluster"))
    assert answer.intent is Intent.BUDGET
    assert not answer.answered
    assert answered_by("faq", context("what is the budget of the kyoto cluster")).answered


# ------------------------------------------------------- a listing answers a listing only


@pytest.mark.parametrize(
    "question",
    [
        "what was the budget of the ended clusters?",
        "who funded the ended clusters",
        "終了したクラスターの予算は？",
        "why did the ended clusters end",
        "what is the contact of the ended clusters",
    ],
)
def test_a_listing_does_not_answer_an_attribute_of_its_clusters(question):
    """The ended clusters are a listing; their budget (or contact, purpose) is not in it."""
    ctx = context(question)
    assert ctx.query.clusters.status == "ended"
    assert not RULE["by_stage"].when(ctx)
    assert evaluate(ctx).rule not in ("by_stage", "by_field", "list_all")
    plain = replace(ctx.query, asked=replace(ctx.query.asked, cues=frozenset({"list"})))
    assert RULE["by_stage"].when(Context(ctx.lib, ctx.faq, plain))


@pytest.mark.parametrize(
    "question",
    ["budget of the second stage clusters", "what was the budget of the ended clusters?"],
)
def test_a_budget_of_a_set_of_clusters_is_not_given_as_answered(question):
    assert not _engine().ask(question).answered


# -------------------------------------------------------------------------- coverage


def test_an_unread_word_turns_the_answer_into_an_offer_of_what_was_read():
    ctx = context("who led the hamamatsu cluster")
    assert ctx.query.unexplained == ("led",)
    answer = evaluate(ctx)
    read = evaluate(Context(ctx.lib, ctx.faq, replace(ctx.query, unexplained=())))
    assert read.answered
    assert read.rule == "region"
    assert answer.rule == f"{UNSURE_RULE}:region"
    assert not answer.answered
    assert answer.intent is Intent.CLARIFY
    assert answer.suggestions[0] == read.title  # the first offer is what it read
    assert answer.summary[0].kwargs["words"] == ("led",)
    assert answer.summary[1].kwargs["reading"] == read.title
    assert answer.confidence == round(read.confidence * 0.5, 3)
    assert (answer.facts, answer.sections, answer.map) == ((), (), None)


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("what fields does the kyoto gizmo cover", "region"),
        ("which clusters work on environment zorblat", "by_field"),
        ("how many clusters are there banana", "count"),
        ("京都の宇宙船の分野は？", "region"),
    ],
)
def test_every_rule_that_answers_is_subject_to_coverage(question, rule):
    answer = _engine().ask(question)
    assert answer.rule == f"{UNSURE_RULE}:{rule}"
    assert not answer.answered


def test_a_faq_entry_explains_its_own_words():
    """ "purpose" is no cue, but the entry on the purpose explains it."""
    ctx = context("what is the purpose of the initiative?")
    assert ctx.query.unexplained == ("purpose",)
    answer = evaluate(ctx)
    assert answer.rule == "faq"
    assert answer.answered
    assert still_unexplained(ctx.query, answer, ctx.faq) == ()


def test_a_quoted_sentence_of_the_sources_explains_its_words():
    ctx = context("what serves as the base of knowledge creation?")
    answer = evaluate(ctx)
    assert answer.rule == "sources_say"
    assert answer.answered
    assert still_unexplained(ctx.query, answer, ctx.faq) == ()


def test_declines_keep_their_own_words():
    ctx = context("asdfghjkl qwerty")
    declined = E._decline(ctx, "decline")
    assert not declined.answered
    assert covered(ctx.query, declined, ctx.faq) is declined


def test_an_unsure_offer_offers_each_cluster_it_read():
    answer = _engine().ask("who led the hamamatsu cluster")
    offered = {s.target.id for s in answer.steps if s.kind == "suggestion" and s.target}
    assert offered >= {"hamamatsu-second", "hamamatsu-first"}


def test_an_unsure_offer_shows_distinct_suggestions():
    """Two clusters of one name (HAMAMATSU, First and Second Stage) are offered by their
    headings, so a reader can tell them apart."""
    knowledge = shipped_knowledge()
    answer = knowledge.engine.ask("who led the hamamatsu cluster")
    shown = knowledge.localizer.localize(answer, "en").suggestions
    assert len({s.casefold() for s in shown}) == len(shown), shown


# --------------------------------------------------------------- premises and verdicts


@functools.cache
def _budgets() -> dict[int, int]:
    """The budget figures of programme.yaml, read here without the engine."""
    data = yaml.safe_load((KNOWLEDGE / "programme.yaml").read_text(encoding="utf-8"))
    return {f["year"]: f["amount"] for f in data["figures"] if f["kind"] == "budget"}


@pytest.mark.parametrize(
    ("question", "year", "amount"),
    [
        ("was the 2004 budget 6.9 billion yen?", 2004, 6_900_000_000),
        ("was the 2003 budget 6.9 billion yen?", 2003, 6_900_000_000),
        ("was the 2004 budget 9 billion yen?", 2004, 9_000_000_000),
        ("2004年の予算は69億円ですよね", 2004, 6_900_000_000),
        ("2003年度の予算は69億円でしたか", 2003, 6_900_000_000),
    ],
)
def test_a_claimed_budget_is_confirmed_or_denied_first(question, year, amount):
    answer = _engine().ask(question)
    assert answer.answered
    verdict = "claim.yes" if _budgets()[year] == amount else "claim.no"
    assert answer.summary[0].id == verdict
    stated = {
        m.kwargs["year"]: m.kwargs["amount"] for m in answer.summary if m.id == "figure.budget"
    }
    assert stated[year] == _budgets()[year]


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("is there a cluster in okinawa?", "claim.no"),
        ("is there a cluster in kyushu?", "claim.yes"),
        ("沖縄県にクラスターはありますか", "claim.no"),
        ("are there clusters in hyogo prefecture?", "claim.yes"),
        ("is there a cluster in shikoku?", "claim.yes"),
        ("is there a cluster in tokyo?", "claim.no"),
        ("is the tokyo cluster still active", "claim.no"),
        ("東京にクラスターはある？", "claim.no"),
    ],
)
def test_a_yes_no_question_about_a_set_of_clusters_says_yes_or_no_first(question, verdict):
    """The verdict first, and once: a place heading no cluster is an empty listing like an
    area of Japan without one."""
    summary = [m.id for m in _engine().ask(question).summary]
    assert summary[0] == verdict
    assert summary.count("claim.yes") + summary.count("claim.no") == 1


def test_now_is_answered_as_of_the_sources_with_what_became_of_the_programme():
    answer = _engine().ask("is kyoto active now")
    assert answer.summary[0].id == "claim.yes.then"  # kyoto-first: active in the 2008 edition
    assert "note.now" in [n.id for n in answer.notes]
    then = _engine().ask("is kyoto active")
    assert "note.now" not in [n.id for n in then.notes]


@pytest.mark.parametrize(
    "question", ["is kyoto still active", "are the 13 active clusters still running?"]
)
def test_still_active_gets_the_note_on_now(question):
    assert "note.now" in [n.id for n in _engine().ask(question).notes]


# ------------------------------------------------------------ a status left out


def _with_a_third_status(kb_copy: Path):
    """A base with a third status, "suspended", held by its first ended cluster."""
    from bot.engine.core import build_engine

    path = kb_copy / "clusters.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "\nplaces:\n",
        '\n  - {id: suspended, name: suspended, name_ja: "中断", synonyms: [suspended]}\n'
        "\nplaces:\n",
        1,
    )
    path.write_text(text.replace("status: ended", "status: suspended", 1), encoding="utf-8")
    return build_engine(kb_copy)


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("which clusters are not active?", "by_stage"),
        ("how many clusters are not active?", "count"),
    ],
)
def test_a_negated_status_with_no_one_other_lists_every_other_status(kb_copy, question, rule):
    engine = _with_a_third_status(kb_copy)
    statuses = {c.status for c in engine.kb.clusters}
    assert statuses == {"active", "ended", "suspended"}
    answer = engine.ask(question)
    assert (answer.rule, answer.answered) == (rule, True)
    assert set(answer.matches) == {c.id for c in engine.kb.clusters if c.status != "active"}
    assert "note.statuses.not" in [note.id for note in answer.notes]


# ------------------------------------------------------------ words of asking, read right


@pytest.mark.parametrize(
    "question",
    ["name a cluster that works on the environment", "name some clusters doing IT"],
)
def test_name_as_a_verb_asks_for_clusters_not_a_name(question):
    """ "name a cluster that …" lists clusters; only "what is the name …" asks a name."""
    answer = _engine().ask(question)
    assert answer.intent is Intent.BY_FIELD
    assert answer.matches


@pytest.mark.parametrize("question", ["who funds the program?", "who paid for the initiative?"])
def test_who_funds_the_programme_is_who_runs_it(question):
    answer = _engine().ask(question)
    assert answer.rule == "programme_runner"
    assert answer.answered


@pytest.mark.parametrize("question", ["what was the total budget?", "予算の総額は？"])
def test_a_total_budget_of_the_programme_is_not_in_the_sources(question):
    """The sources give some years' budgets and a region's amount, no programme total: the
    figures they give, not a region's total as if it were the programme's."""
    answer = _engine().ask(question)
    assert not answer.answered
    assert answer.summary[0].id == "missing.budget_total.programme"
    assert "figure.budget" in [m.id for m in answer.summary]


def test_a_total_asked_of_a_region_is_the_region_s():
    answer = _engine().ask("how much does a region get in total?")
    assert answer.answered
    assert {"derived.total", "derived.total.roughly"} & {m.id for m in answer.summary}


@pytest.mark.parametrize(
    "question", ["how many prefectures have a cluster?", "クラスターがある都道府県はいくつ？"]
)
def test_a_count_of_prefectures_counts_prefectures(question):
    """Prefectures counted from where the clusters' places lie, not the clusters."""
    kb = _engine().kb
    expected = {kb.locations[p].prefecture for c in kb.clusters for p in c.places}
    answer = _engine().ask(question)
    assert answer.rule == "count_prefectures"
    assert answer.title.kwargs["count"] == len(expected - {None})
    [named] = [m for m in answer.summary if m.id == "count.prefectures"]
    assert {ref.id for ref in named.kwargs["prefectures"]} == expected - {None}


def test_a_count_of_prefectures_keeps_the_question_s_constraints():
    everything = _engine().ask("how many prefectures have a cluster?").title.kwargs["count"]
    active = _engine().ask("how many prefectures have an active cluster?").title.kwargs["count"]
    assert 0 < active < everything


@pytest.mark.parametrize(
    "question", ["which clusters got the most money?", "どのクラスターが一番予算が多い？"]
)
def test_clusters_compared_by_money_get_no_invented_ranking(question):
    """The sources give no money per cluster: said so, with the programme's figures, not a
    ranking and not the programme's budget as the answer."""
    answer = _engine().ask(question)
    assert answer.rule == "set_budget"
    assert not answer.answered


def test_what_each_cluster_gets_is_the_regions_figure():
    answer = _engine().ask("how much does each cluster get?")
    assert answer.rule == "programme_figure"
    assert answer.answered


@pytest.mark.parametrize("word", ["finished", "discontinued", "completed"])
def test_words_for_ended_list_the_ended_clusters(word):
    answer = _engine().ask(f"which clusters {word}?")
    kb = _engine().kb
    assert set(answer.matches) == {c.id for c in kb.clusters if c.status == "ended"}


@pytest.mark.parametrize(
    "question",
    [
        "list every cluster's phone number",
        "what are the contacts of the second stage clusters",
        "全クラスターの電話番号は？",
    ],
)
def test_a_contact_of_clusters_not_named_offers_them_one_at_a_time(question):
    """Not the programme office's card as if it were theirs: the clusters asked of, to
    choose one, each step asking for its contact."""
    answer = _engine().ask(question)
    assert answer.rule == "set_contact"
    assert not answer.answered
    assert answer.suggestions
    assert all(ref.kind == "cluster" for ref in answer.suggestions)


def test_whom_to_contact_about_the_programme_is_still_its_office():
    assert _engine().ask("whom do I contact about the programme?").rule == "faq"


def test_a_place_named_as_its_prefecture_is_the_prefecture():
    """ "Fukuoka Prefecture" is every cluster with a place in it (Kitakyushu's too), not the
    clusters carrying the name Fukuoka; "Fukuoka" alone still names those."""
    kb = _engine().kb
    in_prefecture = {
        c.id for c in kb.clusters if any(kb.locations[p].prefecture == "fukuoka" for p in c.places)
    }
    named = {c.id for c in kb.clusters if "fukuoka" in c.places}
    assert named < in_prefecture
    assert set(_engine().ask("how many clusters are in fukuoka prefecture?").matches) == (
        in_prefecture
    )
    assert set(_engine().ask("clusters in fukuoka").matches) == named


def test_a_cluster_named_after_its_prefecture_keeps_its_name():
    """The NAGANO Prefecture Region cluster's own name is no prefecture named."""
    answer = _engine().ask("nagano prefecture fields")
    assert answer.rule == "region"
    assert answer.matches == ("nagano-second",)


@pytest.mark.parametrize("question", ["what does KCI stand for?", "what is KCI short for?"])
def test_what_an_abbreviation_stands_for_is_the_programme_s_names(question):
    assert _engine().ask(question).rule == "programme_names"


@pytest.mark.parametrize(
    "question",
    [
        "when did the hamamatsu cluster end?",
        "why did the kyoto cluster end?",
        "when was the Kanazawa cluster discontinued?",
        "なぜ札幌のクラスターは終了したのですか",
    ],
)
def test_a_cluster_s_end_date_or_reason_is_not_in_the_sources(question):
    """No cluster's end date or reason is in the sources: said so, with each cluster's status
    as of them, never the stage's start year passed off as the answer."""
    answer = _engine().ask(question)
    assert answer.rule == "cluster_end"
    assert not answer.answered
    assert answer.matches
    assert "no end date" in english(answer.summary[0]) or "no reasons" in english(answer.summary[0])


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("did kyoto end?", "No"),
        ("did the kyoto cluster end?", "No"),
        ("has the hiroshima cluster stopped?", "Yes"),
    ],
)
def test_a_verb_of_ending_claims_the_ended_status(question, verdict):
    """ "did Kyoto end?" said "Yes." because Kyoto exists; the verb claims the ended status,
    checked against the cluster's own."""
    answer = _engine().ask(question)
    assert answer.rule == "region"
    assert english(answer.summary[0]).startswith(verdict)


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("Did the Nagano/Ueda cluster cover anything other than nanotech?", "No"),
        ("does hamamatsu do anything besides IT?", "Yes"),
        ("京都はナノテク以外の分野もやってた？", "No"),
    ],
)
def test_a_field_besides_those_left_out_is_a_claim_checked(question, verdict):
    answer = _engine().ask(question)
    assert answer.rule == "region"
    assert english(answer.summary[0]).startswith(verdict)


@pytest.mark.parametrize(
    "question", ["which page is the Kyoto cluster on?", "what page is kanazawa on"]
)
def test_a_page_the_contents_do_not_print_is_not_answered(question):
    answer = _engine().ask(question)
    assert answer.intent is Intent.PAGE
    assert not answer.answered


def test_a_section_known_by_its_title_alone_answers_its_page_not_its_contents():
    """The contents give the collaboration section's page, never what it says."""
    where = _engine().ask("what page is the collaboration section on?")
    what = _engine().ask("which other ministries and agencies did MEXT collaborate with?")
    assert (where.rule, what.rule) == ("contents_section", "contents_section")
    assert where.answered
    assert not what.answered


# A question in kana or romaji is answered by the rule its English twin is answered by.
READINGS = [
    (
        "ぎふ・おおがきのクラスターって何の分野やってたの？",
        "what fields did the gifu/ogaki cluster work on?",
    ),
    ("tokusima no kurasutaa no bunya wa?", "what are the fields of the tokushima cluster?"),
    ("takamatsu kurasutaa wa dai nan ki?", "which stage is the takamatsu cluster?"),
    ("dai 2 ki no kurasuta no ichiran misete", "show the list of second stage clusters"),
    (
        "kitakyushu gakujutsu kenkyu toshi no bunya oshiete",
        "fields of kitakyushu science and research park",
    ),
    ("noasutekku no fakkusu bangou wa?", "what is NOASTEC's fax number?"),
    (
        "chiteki kurasutaa sousei jigyou tte itsu owatta no?",
        "when did the knowledge cluster initiative end?",
    ),
    (
        "知的クラスター創成事業っていつ終わったの？",
        "when did the knowledge cluster initiative end?",
    ),
    ("福岡・北九州・飯塚のクラスターは第何期？", "which stage is fukuoka/kitakyushu/iizuka?"),
    ("kyoto no kurasutaa wa itsu owatta?", "when did the kyoto cluster end?"),
]


@pytest.mark.parametrize(("question", "twin"), READINGS, ids=[r[0] for r in READINGS])
def test_a_reading_is_answered_as_its_english_twin(question, twin):
    engine = _engine()
    answer, expected = engine.ask(question), engine.ask(twin)
    assert (answer.rule, answer.answered) == (expected.rule, expected.answered)
    assert answer.matches == expected.matches


def test_an_empty_listing_says_what_the_stage_s_clusters_are_instead():
    answer = _engine().ask("are any of the second stage clusters no longer active?")
    said = " ".join(english(m) for m in answer.summary)
    kb = _engine().kb
    second = [c for c in kb.clusters if c.stage == "second"]
    assert {c.status for c in second} == {"active"}
    assert said.startswith("No.")
    assert f"The {len(second)} clusters of the Second Stage are active." in said


def test_where_a_core_organization_is_based_is_its_address():
    answer = _engine().ask("where is the Aichi/Nagoya cluster's core organization based?")
    organization = _engine().kb.organizations["astf"]
    assert any(
        fact.attribute == "address" and fact.value == organization.address for fact in answer.facts
    )


def test_the_programme_said_to_be_another_ministry_s_gets_whose_it_is():
    answer = _engine().ask("The knowledge cluster initiative was a METI program, wasn't it?")
    assert answer.rule == "premise"
    assert answer.answered
    assert any("MEXT" in english(m) for m in answer.summary)


@pytest.mark.parametrize(
    "question",
    [
        "which cluster best shows how a knowledge cluster works?",
        "which cluster stressed local initiative?",
    ],
)
def test_a_question_for_clusters_is_not_answered_by_a_text_about_the_programme(question):
    answer = _engine().ask(question)
    assert not answer.answered
    assert answer.intent is Intent.CLARIFY


def test_a_question_about_clusters_asking_for_text_keeps_its_text():
    answer = _engine().ask(
        "What did the Third Science and Technology Basic Plan say about clusters?"
    )
    assert answer.rule == "faq"
    assert answer.answered


@pytest.mark.parametrize(
    "question",
    [
        "What suite is the Sendai knowledge cluster office in?",
        "Hokkaido Area cluster (the one with Sapporo as the core): which fields?",
        "does the knowledge cluster initiative still exist today or nah",
    ],
)
def test_one_unread_word_around_a_detail_asked_of_a_named_subject_is_passed_over(question):
    """The detail is answered, with a note naming the word not read."""
    ctx = context(question)
    assert len(ctx.query.unexplained) == 1
    answer = evaluate(ctx)
    assert answer.answered
    assert any(english(note).startswith("I did not read") for note in answer.notes)


@pytest.mark.parametrize(
    "question",
    [
        "who led the Hamamatsu cluster?",  # the unread word is what is asked
        "how many years did the initiative run before it was folded into the new programme?",
        "what's the fastest shinkansen from Tokyo to Sendai?",
    ],
)
def test_an_unread_word_that_may_be_the_question_is_not_passed_over(question):
    answer = evaluate(context(question))
    assert not any(english(note).startswith("I did not read") for note in answer.notes)


def test_the_fields_of_a_cluster_in_an_area_without_one_is_a_false_premise():
    answer = _engine().ask("沖縄の知的クラスターはどの分野でしたか？")
    assert answer.rule == "premise"
    assert not answer.answered


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("how do you say 'good morning' in japanese?", "off_topic"),
        ("how do you say knowledge cluster initiative in japanese?", "programme_names"),
    ],
)
def test_how_to_say_something_is_about_the_programme_only_when_it_is_named(question, rule):
    assert _engine().ask(question).rule == rule


def test_both_statuses_named_count_every_cluster_of_the_stage():
    answer = _engine().ask("how many first stage clusters were there altogether (active + ended)?")
    kb = _engine().kb
    assert set(answer.matches) == {c.id for c in kb.clusters if c.stage == "first"}


@pytest.mark.parametrize(
    "question",
    [
        "how many companies took part in the knowledge clusters in total?",
        "how many patents were filed?",
    ],
)
def test_a_count_of_what_the_sources_do_not_give_is_not_a_count_of_clusters(question):
    answer = _engine().ask(question)
    assert not answer.answered
    assert answer.intent is Intent.NOT_IN_SOURCES


@pytest.mark.parametrize(
    "question", ["clusters in the kansai region", "list the kansai area clusters"]
)
def test_the_kansai_region_is_the_area_not_the_clusters_named_kansai(question):
    from bot.engine.answer import Ref
    from bot.engine.facts.library import Selection

    answer = _engine().ask(question)
    in_kinki = {c.id for c in _engine().library.select(Selection(areas=(Ref("region", "kinki"),)))}
    named_kansai = {c.id for c in _engine().kb.clusters if "kansai" in c.places}
    assert set(answer.matches) == in_kinki
    assert in_kinki > named_kansai


@pytest.mark.parametrize(
    "question",
    ["are there four key fields?", "the program has like 4 priority fields right? which ones"],
)
def test_the_programme_s_number_of_key_fields_is_no_cluster_s(question):
    """Not "clusters listing exactly 4 key fields: none", nor a "No" from that."""
    answer = _engine().ask(question)
    assert answer.answered
    assert not answer.query.clusters.fields.count
    assert not english(answer.summary[0]).startswith("No")


@pytest.mark.parametrize(
    "question",
    [
        "chiteki kurasutaa sousei jigyou tte nani shiteru no",
        "yo what even is the knowledge cluster initiative?? never heard of it",
        "explain the program",
        "知的クラスター創成事業とは",
    ],
)
def test_the_programme_named_alone_is_told_what_it_is(question):
    """By any of its names, with nothing else asked: who runs it and since when, what a
    cluster is, and what became of it since its sources."""
    answer = _engine().ask(question)
    assert answer.rule == "programme_overview"
    assert answer.answered
    ids = [m.id for m in answer.summary]
    assert ids[:2] == ["programme.overview", "faq.answer"]
    assert [n.id for n in answer.notes] == ["note.now"]
    assert {f.attribute for f in answer.facts} == {"run_by", "started"}


@pytest.mark.parametrize(
    "question", ["what is the program", "what is the initiative", "what was the programme"]
)
def test_the_programme_s_generic_names_alone_pick_no_faq_entry(question):
    """ "programme" matched "is the programme over" and "initiative" "who runs the
    initiative": a generic word is no evidence for one entry over another."""
    assert not context(question).strong
    assert _engine().ask(question).rule == "programme_overview"


def test_a_faq_entry_the_question_s_own_words_pick_still_answers():
    answer = _engine().ask("how does the program work")
    assert (answer.rule, answer.matches) == ("faq", ("how-it-works",))


@pytest.mark.parametrize(
    "question",
    ["core organizations of the clusters in kyushu", "九州の知的クラスターの中核機関を教えて"],
)
def test_a_fact_asked_of_an_area_s_clusters_is_answered_cluster_by_cluster(question):
    """The listing shows no core organization: each cluster of Kyushu is answered, and the
    two the sources name none for are said to lack one (not hidden behind the place name
    they share with the one that has)."""
    answer = _engine().ask(question)
    assert answer.rule == "area_clusters"
    assert answer.answered
    kyushu = {"fukuoka-second", "fukuoka-first", "kitakyushu-first"}
    assert _clusters(answer) == kyushu
    said = [answer.title, *(line for s in answer.sections for line in s.lines)]
    ids = [m.id for m in said if hasattr(m, "id")]
    assert ids == ["contact.fact.organization", "contact.none.organization"]
    assert {r.id for r in said[1].kwargs["clusters"]} == {"fukuoka-first", "kitakyushu-first"}


def test_a_listing_of_an_area_stays_a_listing():
    assert _engine().ask("list the clusters in kyushu").rule == "area"


@pytest.mark.parametrize(
    "question",
    [
        "which clusters are located in kyushu",
        "where are the clusters in shikoku",
        "which clusters in kyushu have a page?",
    ],
)
def test_where_an_area_s_clusters_are_or_which_have_a_fact_is_its_listing(question):
    assert _engine().ask(question).rule == "area"


@pytest.mark.parametrize(
    "question",
    ["life sci clusters in kansai that have already ended?", "which clusters are in kansai"],
)
def test_clusters_in_kansai_are_the_area_s(question):
    """After a preposition of place, "Kansai" is the area of Japan (five clusters), not the
    two clusters named Kansai: "life sci … ended" had got the stage of the active one."""
    answer = _engine().ask(question)
    assert answer.rule == "area"
    assert "kansai-science-city-first" in _clusters(answer)
    assert "kansai-second" in _clusters(answer) or "ended" in question


def test_the_kansai_cluster_is_still_the_cluster():
    assert _engine().ask("is the kansai cluster active").rule == "region"


@pytest.mark.parametrize(
    ("question", "more", "counts"),
    [
        ("Kyushu or Shikoku — which region had more knowledge clusters?", "kyushu", (3, 2)),
        ("were there more clusters in tohoku or in kyushu", "kyushu", (2, 3)),
    ],
)
def test_two_areas_compared_by_their_clusters(question, more, counts):
    """Two areas named with "more": each area's count and the difference, not the listing
    of both (which answered nothing asked), and no "Yes"/"No" to a question of which."""
    answer = _engine().ask(question)
    assert answer.rule == "area_difference"
    [said] = answer.summary
    params = said.kwargs
    assert (params["first_count"], params["second_count"]) == counts
    assert params["more"].id == more
    assert params["difference"] == 1


def test_a_difference_within_an_area_counts_only_the_area_s_clusters():
    answer = _engine().ask("how many more first stage clusters than second stage in kyushu")
    params = answer.summary[0].kwargs
    assert (params["first_count"], params["second_count"]) == (2, 1)


def test_it_after_an_auxiliary_is_the_pronoun_not_the_field():
    engine = _engine()
    first = engine.ask("hamamatsu")
    answer = engine.ask("what fields does it work on?", first.turn)
    said = [*answer.summary, *(line for s in answer.sections for line in s.lines)]
    assert "fields.named" in [getattr(m, "id", None) for m in said]
    assert not answer.query.clusters.fields.fields
    assert "hamamatsu-second" in answer.matches


@pytest.mark.parametrize(
    "question", ["what is the aim of the kyoto cluster", "京都クラスターの目的は？"]
)
def test_a_cluster_s_own_aims_are_not_in_the_sources(question):
    """The sources give the programme's purpose, no cluster's: not Kyoto's card as if it
    answered."""
    answer = _engine().ask(question)
    assert not answer.answered
    assert answer.query.asked.missing == ("aims",)


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("were there 7 second stage clusters?", "claim.no"),
        ("were there six second stage clusters?", "claim.yes"),
        ("So there were 30 clusters in total in the 2008 edition?", "claim.no"),
        ("there are 3 clusters in kyushu?", "claim.yes"),
        ("第2期のクラスターは7件でしたか？", "claim.no"),
        ("does kyoto have 2 clusters?", "claim.no"),
        ("does hamamatsu have 2 clusters?", "claim.yes"),
    ],
)
def test_a_number_of_clusters_claimed_is_checked_not_merely_that_some_exist(question, verdict):
    """ "were there 7 second stage clusters?" was answered "Yes" because there were some."""
    answer = _engine().ask(question)
    assert answer.query.asked.clusters_claimed is not None
    assert answer.summary[0].id == verdict


@pytest.mark.parametrize(
    "question",
    ["is there a stage 2 cluster in kyoto?", "what is on page 5?", "clusters with two fields"],
)
def test_a_stage_page_or_field_number_is_no_number_of_clusters(question):
    assert _engine().ask(question).query.asked.clusters_claimed is None


@pytest.mark.parametrize(
    "question",
    [
        "what is the contact of the tokushima nanotech cluster?",
        "why did the tokushima nanotech cluster get so much more money than the others?",
        "徳島のナノテククラスターの連絡先は？",
    ],
)
def test_fields_said_of_a_named_cluster_that_it_does_not_list_are_a_false_premise(question):
    """Tokushima is a Life Sciences cluster: said before what was asked is answered."""
    answer = _engine().ask(question)
    [premise] = [m for m in answer.summary if m.id == "premise.fields_not_listed"]
    assert [r.id for r in premise.kwargs["fields"]] == ["nanotech-materials"]
    assert [r.id for r in premise.kwargs["listed"]] == ["life-sciences"]


def test_fields_that_pick_one_of_a_place_s_clusters_are_no_false_premise():
    answer = _engine().ask("the Sapporo IT cluster's stage")
    assert not any(m.id == "premise.fields_not_listed" for m in answer.summary)
    assert answer.matches[:1] == ("sapporo-first",)


@pytest.mark.parametrize(
    "question",
    [
        "Intelligent Cosmos Research Institute - which cluster was that the core org for?",
        "インテリジェント・コスモスはどのクラスターの中核機関？",
    ],
)
def test_a_core_organization_named_as_people_type_it_leads_to_its_cluster(question):
    answer = _engine().ask(question)
    assert answer.answered
    assert "sendai-second" in answer.matches


@pytest.mark.parametrize(
    "question",
    [
        "how many years did the initiative run before it was folded into the new programme?",
        "how long did the programme run",
    ],
)
def test_how_long_the_programme_ran_is_its_span_not_its_fate_alone(question):
    answer = _engine().ask(question)
    assert answer.rule == "programme_span"
    assert "derived.span" in [m.id for m in answer.summary]


def test_who_implements_each_regional_project_is_not_the_programme_s_runner():
    answer = _engine().ask("who actually implements each regional project, MEXT itself?")
    assert answer.rule != "programme_runner"


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("clusters not in life sciences", "by_field.title.not"),
        (
            "ライフサイエンス以外のクラスター（ライフサイエンスを扱っていないもの）を一覧にして",
            "by_field.title.not",
        ),
        ("ended clusters not in IT", "by_field.title.not.status"),
    ],
)
def test_a_listing_of_clusters_without_a_field_is_titled_so(question, title):
    """Titled "Clusters working in Life Sciences" before, over the nine that do not; and a
    field restated inside its own negation had emptied the listing."""
    answer = _engine().ask(question)
    assert answer.title.id == title
    assert len(answer.matches) > 0


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("did each region get about 500 million yen a year?", "claim.yes"),
        ("did each region get 9 billion yen a year?", "claim.no"),
    ],
)
def test_a_claimed_amount_per_region_is_checked(question, verdict):
    assert _engine().ask(question).summary[0].id == verdict


def test_how_much_bigger_asks_the_change():
    answer = _engine().ask("how much bigger was the 2004 budget than 2003's?")
    assert "derived.change" in [m.id for m in answer.summary]


@pytest.mark.parametrize(
    "question",
    [
        "wait is nagano/ueda the same cluster as the nagano prefecture one??",
        "長野・上田と長野県は同じクラスター？",
    ],
)
def test_two_names_asked_to_be_one_cluster_are_said_to_be_two(question):
    answer = _engine().ask(question)
    assert answer.summary[0].id == "clusters.distinct"
    assert {"nagano-first", "nagano-second"} <= set(answer.matches)


@pytest.mark.parametrize(
    ("question", "rule"),
    [("where's ube in the booklet", "region"), ("where do your sources come from", "faq")],
)
def test_where_a_cluster_is_in_the_edition_is_its_page(question, rule):
    answer = _engine().ask(question)
    assert answer.rule == rule
    assert (answer.intent is Intent.PAGE) == (rule == "region")


def test_the_budgets_of_years_asked_beside_a_region_s_amount_are_both_given():
    answer = _engine().ask(
        "What was the budget in 2003 and in 2004, and roughly how much did each region get?"
    )
    ids = [m.id for m in answer.summary]
    assert ids.count("figure.budget") == 2
    assert any(i.startswith("figure.per_region") for i in ids)


@pytest.mark.parametrize(
    "question",
    ["how many pages does the 2008 edition have in total?", "2008年版は全部で何ページ？"],
)
def test_the_edition_s_length_is_not_a_count_of_its_clusters(question):
    answer = _engine().ask(question)
    assert answer.rule == "page_not_listed"
    assert not answer.answered


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("kankyou bunya no kurasutaa wa ikutsu aru?", "environment"),
        ("四つの重点分野って何ですか？", None),
        ("広域仙台のクラスター事務所って電話何番？", None),
    ],
)
def test_romaji_fields_kanji_numbers_and_office_words_are_read(question, expected):
    answer = _engine().ask(question)
    assert answer.answered
    assert not answer.query.unexplained
    if expected:
        assert answer.query.clusters.fields.fields == (expected,)


@pytest.mark.parametrize(
    ("question", "claimed"),
    [("which of the 5 key fields did Hiroshima cover?", 5), ("5つの重点分野は？", 5)],
)
def test_a_wrong_number_of_key_fields_is_corrected_first(question, claimed):
    answer = _engine().ask(question)
    first = answer.summary[0]
    assert first.id == "premise.key_fields"
    assert (first.kwargs["count"], first.kwargs["claimed"]) == (4, claimed)


def test_the_right_number_of_key_fields_is_not_corrected():
    answer = _engine().ask("what are the four key fields?")
    assert not any(m.id == "premise.key_fields" for m in answer.summary)


def test_two_basic_plans_in_japanese_are_no_third_stage_and_their_gap_no_faq_answer():
    """「第3期の科学技術基本計画」 is a plan, not a third stage; the years between two plans
    are computed by no FAQ entry on one of them: offered, not answered."""
    answer = _engine().ask("第2期と第3期の科学技術基本計画、閣議決定は何年離れてる？")
    assert answer.rule != "premise"
    assert not answer.answered


@pytest.mark.parametrize("question", ["is kyoto still active?", "京都は今も実施中ですか？"])
def test_yes_to_is_it_still_running_is_said_as_of_the_sources(question):
    """A bare "Yes." to "is it still running?" claimed today what the sources say of 2008."""
    answer = _engine().ask(question)
    assert answer.summary[0].id == "claim.yes.then"


def test_yes_to_a_question_about_then_is_plain():
    assert _engine().ask("was kyoto active?").summary[0].id == "claim.yes"


@pytest.mark.parametrize(
    ("question", "cluster"),
    [
        (
            "In the contents, which cluster is listed first under the second stage?",
            "hokkaido-second",
        ),
        ("目次で最初に載っているクラスターは？", "hokkaido-second"),
        ("which ended cluster is listed last?", "kitakyushu-first"),
    ],
)
def test_the_first_or_last_cluster_the_contents_list(question, cluster):
    answer = _engine().ask(question)
    assert answer.rule == "contents_position"
    assert answer.matches == (cluster,)


def test_a_word_of_the_lexicon_is_not_corrected_into_a_cue():
    """ "listed" had been read as "lasted" (how long)."""
    ctx = context("which cluster is listed first?")
    assert "listed" in ctx.query.text.tokens
    assert "how_long" not in ctx.query.cues


def test_the_office_in_charge_of_the_programme_is_its_runner_s_card():
    """ "which MEXT office was in charge?" had got the runner's name alone."""
    answer = _engine().ask("which MEXT office was in charge of the programme in 2010?")
    assert answer.rule == "programme_runner"
    assert answer.answered
    assert answer.title.id == "organization.contact.title"
    plain = _engine().ask("who runs the program?")
    assert plain.title.id == "programme.run_by"


def test_a_claim_tagged_yes_is_checked():
    answer = _engine().ask("Kitakyushu Science and Research Park was a second-stage cluster, yes?")
    assert answer.summary[0].id == "claim.no"
    assert answer.answered


def test_a_set_without_the_clusters_left_out_says_so():
    answer = _engine().ask("second stage IT clusters other than Hamamatsu?")
    assert answer.answered
    assert not {"hamamatsu-second", "hamamatsu-first"} & set(answer.matches)
    assert {"hokkaido-second", "sendai-second", "fukuoka-second"} <= set(answer.matches)
    assert any(note.id == "note.left_out" for note in answer.notes)


@pytest.mark.parametrize(
    ("question", "kind"),
    [("how many stages were there?", "stage"), ("how many key fields are there?", "field")],
)
def test_a_count_of_stages_or_fields_counts_them_not_clusters(question, kind):
    """Both had been answered "24 clusters in the 2008 edition"."""
    answer = _engine().ask(question)
    assert answer.rule == "count_terms"
    assert answer.intent is not Intent.COUNT
    if kind == "stage":
        assert answer.title.kwargs["count"] == 2


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("The initiative started in 2001, correct?", "claim.no"),
        ("did the programme start in 2002?", "claim.yes"),
        ("did the second stage start in 2008?", "claim.no"),
        ("the second stage began in 2007, right?", "claim.yes"),
    ],
)
def test_a_start_year_claimed_is_confirmed_or_denied_first(question, verdict):
    answer = _engine().ask(question)
    assert answer.rule == "programme_start"
    assert answer.summary[0].id == verdict


def test_a_detail_the_runner_lacks_is_said_missing_not_answered():
    """ "the email address of the MEXT office that ran the programme" had been given the
    office's card as an answer: the sources give it no e-mail."""
    answer = _engine().ask(
        "Can I have the email address of the MEXT office that ran the programme?"
    )
    assert answer.rule == "programme_runner"
    assert not answer.answered


@pytest.mark.parametrize(
    ("question", "verdict", "others"),
    [
        ("Is Kyoto the only cluster that did nothing but nanotech?", "claim.no", "nagano-first"),
        ("is hamamatsu the only second stage cluster doing nanotech?", "claim.no", "nagano-second"),
        ("is Aichi the only environment cluster still active?", "claim.yes", None),
        ("環境分野で実施中なのは愛知だけですか？", "claim.yes", None),
    ],
)
def test_the_only_one_claimed_is_checked_against_the_set(question, verdict, others):
    """ "Is Kyoto the only cluster that did nothing but nanotech?" had been answered "Yes:
    Nanotech/Materials is one of its key fields"."""
    answer = _engine().ask(question)
    assert answer.rule == "the_only_one"
    assert [m.id for m in answer.summary].count("claim.yes") + [m.id for m in answer.summary].count(
        "claim.no"
    ) == 1
    assert answer.summary[0].id == verdict
    if others:
        assert others in answer.matches


def test_what_a_clusters_web_page_says_is_the_faq_entry_on_it_not_its_page_number():
    """A FAQ question offered as a suggestion ("What does the Sendai cluster's page say?")
    had been answered as the Sendai clusters' page in the edition, unanswered."""
    assert _engine().ask("What does the Sendai cluster's page say?").rule == "faq"
    assert _engine().ask("what does the kyoto page say?").rule == "region"


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("the Sendai cluster office phone is 022-346-9238, right?", "claim.no.other_detail"),
        ("is NOASTEC's fax 011-708-6529?", "claim.yes"),
        ("仙台の電話番号は022-346-9237ですか？", "claim.yes"),
        ("is the sapporo phone 011-708-1234?", "claim.no"),
    ],
)
def test_a_number_claimed_for_a_contact_detail_is_checked(question, verdict):
    """The Sendai office's fax number claimed as its phone had been answered with the phone
    number and no "No"."""
    answer = _engine().ask(question)
    assert verdict in [m.id for m in answer.summary]


def test_a_remark_in_parentheses_is_part_of_the_question_before_it():
    answer = _engine().ask("how many clusters work on IT? (only the active ones)")
    assert answer.intent is Intent.COUNT
    assert answer.query.clusters.status == "active"


@pytest.mark.parametrize(
    ("question", "organization", "lacking"),
    [
        ("who runs each nano cluster?", "astf", "kyoto-first"),
        ("who ran the second stage clusters?", "noastec", "nagano-second"),
        ("第2期のクラスターの中核機関は？", "noastec", "kansai-second"),
    ],
)
def test_the_core_organizations_of_a_set_are_given_cluster_by_cluster(
    question, organization, lacking
):
    """ "who runs each nano cluster?" had been answered with who runs the programme, "who
    ran the second stage clusters?" with the FAQ entry on the stages."""
    answer = _engine().ask(question)
    assert answer.rule == "set_organizations"
    assert organization in answer.matches
    assert lacking in answer.matches  # said to lack one, not left out
