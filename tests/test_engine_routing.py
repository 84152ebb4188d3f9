"""Routing: the named rules, in order, and which one answers each kind of question."""

from __future__ import annotations

import pytest

from bot.engine.evaluation.evaluate import RULES
from tests.support import shipped_knowledge

# One question (or more) per rule; every rule of RULES must appear here.
QUESTIONS_BY_RULE = {
    "empty": ["", "   ", "<@123>"],
    "greeting": ["hello", "thanks!", "こんにちは"],
    "off_topic": ["what is the weather like", "best ramen in fukuoka"],
    "not_in_sources": ["who directs the kyoto cluster", "website of the ube cluster"],
    "region": ["what fields does hamamatsu cover", "contact kyoto", "NOASTEC phone number"],
    "contents_position": [
        "In the contents, which cluster is listed first under the second stage?",
        "目次で最初に載っているクラスターは？",
    ],
    "contents_page": ["what is on page 5", "46ページは？"],
    "contents_section": ["is there a section on the transition of cluster policy"],
    "contents_pages": ["which clusters have a page"],
    "contents_list": ["which sections does the 2008 edition have", "目次の項目は？"],
    "premise": [
        "how many clusters were in the third stage",
        "第3期のクラスターはいくつ？",
        "what is METI's industrial cluster project",
        "okinawa",
    ],
    "area": ["which clusters are in kyushu", "is there a cluster in okinawa?"],
    "budget_split": [
        "if you split the 2004 budget evenly across the 18 first-stage clusters, how much each?"
    ],
    "rate_times": [
        "if each of the 6 second-stage regions got the usual amount, what's that total?"
    ],
    "average": [
        "on average how many key fields does a cluster cover?",
        "平均でいくつの分野を扱っていますか",
    ],
    "area_difference": ["were there more clusters in tohoku or in kyushu"],
    "area_clusters": [
        "core organizations of the clusters in kyushu",
        "静岡県のクラスターの中核機関は？",
    ],
    "programme_figure": [
        "what was the budget in 2008",
        "what is the budget",
        "how much did each region get per year?",
    ],
    "unknown_place": ["what fields does tokyo cover", "hakamatsu"],
    "programme_fate": [
        "is the program still running",
        "has the initiative ended?",
        "知的クラスター創成事業はまだ続いていますか",
        "what replaced the knowledge cluster initiative?",
    ],
    "stage_end": ["when will the second stage end?"],
    "cluster_end": [
        "when did the hamamatsu cluster end?",
        "why did the kyoto cluster end?",
        "when was the Kanazawa cluster discontinued?",
    ],
    "programme_start": ["when did the knowledge cluster initiative start?"],
    "programme_names": ["what is the english name of 知的クラスター創成事業?"],
    "programme_topic": ["in a sentence or two, what was the programme actually trying to achieve?"],
    "programme_overview": ["chiteki kurasutaa sousei jigyou tte nani?", "explain the program"],
    "programme_missing": ["how many patents did the clusters produce?"],
    "share": ["what percentage of clusters work on IT"],
    "difference": ["how many more clusters were in the first stage than in the second?"],
    "stage_gap": ["how many years between the first and second stage"],
    "programme_span": ["how long did the knowledge cluster initiative run"],
    "rank": ["which cluster has the most fields", "which field has the most clusters"],
    "map": ["show the second stage clusters on a map", "環境のクラスターの地図"],
    "count": ["how many clusters are there", "how many ended clusters"],
    "set_contact": ["list every cluster's phone number", "全クラスターの電話番号は？"],
    "count_prefectures": [
        "how many prefectures have a cluster?",
        "クラスターがある都道府県はいくつ？",
    ],
    "by_field": ["which clusters work on environment", "life sciences"],
    "by_stage": ["list the second stage clusters", "which clusters have ended"],
    "faq": ["what is a knowledge cluster", "what is the purpose of the initiative"],
    # The key fields as fields.yaml lists them, where no FAQ entry answers the question
    # (the shipped "what are the key fields" is its FAQ entry's).
    "key_fields": ["what themes are there", "topics?"],
    "page_not_listed": ["what page are the contact details on?"],
    "relative_year": ["and the year before?"],
    "set_budget": ["what was the budget of the ended clusters?"],
    "sources_say": [
        "what serves as the base of knowledge creation?",
        "what does the cluster stimulate interaction between?",
    ],
    "each_run_by": [
        "Who implemented the projects on the ground in each region?",
        "who runs each cluster?",
        "who implements each regional project, MEXT itself?",
    ],
    "programme_runner": ["who runs the knowledge cluster program?"],
    "count_terms": ["how many stages were there?", "how many key fields are there?"],
    "the_only_one": ["Is Kyoto the only cluster that did nothing but nanotech?"],
    "set_organizations": ["who runs each nano cluster?", "who ran the second stage clusters?"],
    "organization": ["what is MEXT's phone number?", "文科省の連絡先"],
    "list_all": ["list all clusters"],
    "about": ["who are you"],
    "help": ["help"],
    "decline": ["how do I cook pasta", "asdfghjkl qwerty"],
}


@pytest.fixture(scope="module")
def engine():
    return shipped_knowledge().engine


def test_rule_names_are_unique_and_the_last_rule_always_applies():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert RULES[-1].name == "decline"


def test_every_rule_is_covered_here():
    assert set(QUESTIONS_BY_RULE) == {rule.name for rule in RULES}


@pytest.mark.parametrize(
    ("rule", "question"), [(r, q) for r, qs in QUESTIONS_BY_RULE.items() for q in qs]
)
def test_each_question_is_answered_by_its_rule(engine, rule, question):
    """Answer.rule names the rule that answered, so a wrong answer points at one rule."""
    assert engine.ask(question).rule == rule


@pytest.mark.parametrize(
    ("call", "rule"),
    [
        (lambda e: e.contact("kyoto"), "command.contact"),
        (lambda e: e.region("hamamatsu"), "command.region"),
        (lambda e: e.stage("second"), "command.stage"),
        (lambda e: e.field("environment"), "command.field"),
        (lambda e: e.map("second"), "command.map"),
        (lambda e: e.about(), "command.about"),
        (lambda e: e.help(), "command.help"),
    ],
)
def test_commands_name_themselves_as_the_rule(engine, call, rule):
    assert call(engine).rule == rule


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        # The programme's status is asked only where the programme is the subject.
        ("is the program still active", "programme_fate"),
        ("is mext still funding clusters today", "programme_fate"),
        ("does the knowledge cluster initiative still exist", "programme_fate"),
        ("are the clusters still active", "by_stage"),
        ("are the clusters of the initiative still active", "by_stage"),
        ("is kyoto still active", "region"),
        ("what is the purpose of the program", "faq"),
    ],
)
def test_the_programme_status_is_asked_of_the_programme_itself(engine, question, rule):
    answer = engine.ask(question)
    assert answer.rule == rule
    if rule == "programme_fate":
        assert answer.answered
        assert any(fact.attribute == "successor" for fact in answer.facts)
