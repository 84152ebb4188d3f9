"""Several questions in one message (`bot.engine.several`): one block per question, in the
order asked, each with its answer first, under a title that counts them (issue 19 §1)."""

from __future__ import annotations

import pytest

from bot.app import Application, Request
from bot.engine.answer import Intent
from bot.engine.several import clauses, has_full_stop
from tests.support import shipped_knowledge


@pytest.fixture(scope="module")
def app() -> Application:
    return Application(shipped_knowledge())


def ask(app: Application, text: str, lang: str = "en"):
    return app.handle(Request("ask", text, lang=lang)).reply


def test_each_question_gets_its_block_in_the_order_asked(app):
    """Not one title stitched from the answers' titles: a count title, then the blocks."""
    reply = ask(app, "what is the purpose of the initiative? and how many clusters work on IT?")
    assert reply.title == "Answers to your 2 questions"
    assert ";" not in reply.title
    first, second = reply.blocks
    assert first.title == "What is the purpose of the Knowledge Cluster Initiative?"
    assert first.lines[0].startswith("The purpose is")  # the answer first
    assert second.title == "11 clusters working in IT"


def test_a_one_fact_answer_is_headed_by_its_question(app):
    """A block whose answer is one fact: the question as asked heads it, the fact is its
    first line (the fact is not made a heading with nothing under it)."""
    reply = ask(app, "what's the fax of sapporo? and what fields does kyoto cover?")
    fax, fields = reply.blocks
    assert fax.title == "“what's the fax of sapporo?”"
    assert fax.lines[0] == "The fax number for Sapporo is 011-708-6529 (NOASTEC)"
    assert fields.title == "Key fields of Kyoto"


def test_a_card_in_a_block_is_one_line(app):
    """The organization card of a block is one line under it, in that block, not after every
    block."""
    reply = ask(app, "contact details and key fields of Ube? What are the fields of Kyoto?")
    ube, kyoto = reply.blocks
    assert ube.title == "Ube: contact details and key fields"
    assert ube.lines[0] == "Contact details: The sources give no contact for Ube"
    assert any(line.startswith("Programme office:") for line in ube.lines)
    assert kyoto.lines == ("🔬 Nanotech/Materials",)


def test_japanese_blocks_lead_in_japanese(app):
    reply = ask(app, "仙台の電話番号は？京都の分野は？", "ja")
    assert reply.title == "2つのご質問への回答"
    phone, fields = reply.blocks
    assert phone.lines[0].startswith("仙台（Greater Sendai Area）の電話番号：022-346-9237")
    assert fields.title == "京都の重点分野"


def test_where_is_it_asks_of_the_clusters_before(app):
    """ "…, and where is it?" names no cluster: it asks where the clusters of the clause
    before are, as "…, and what page is it on?" asks their page."""
    reply = ask(app, "what fields does ube cover and where is it?")
    assert reply.intent.value != "several"
    assert "Yamaguchi" in reply.blocks[1].lines[0]


def test_a_japanese_comma_before_and_starts_a_new_question():
    assert clauses("what's it called in japanese、and what was it folded into?") == [
        "what's it called in japanese",
        "what was it folded into?",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "In the contents, which cluster is listed first under the second stage?",
        "in kyushu, which clusters are there?",
        "For the second stage, which clusters did IT?",
    ],
)
def test_a_leading_phrase_frames_the_question_after_it(text):
    assert clauses(text) == [text]


def test_letters_number_the_questions_too():
    assert clauses("(a) how many first-stage clusters? (b) how many second-stage?") == [
        "how many first-stage clusters?",
        "how many second-stage?",
    ]


def test_both_after_named_clusters_asks_of_them():
    answer = shipped_knowledge().engine.ask("ube & tokushima: same field? both active?")
    assert set(answer.matches) == {"ube-first", "tokushima-first"}


def test_tell_me_all_after_a_question_is_that_question():
    answer = shipped_knowledge().engine.ask("IT系のクラスターってどこ？全部教えて")
    kb = shipped_knowledge().engine.kb
    assert set(answer.matches) == {c.id for c in kb.clusters if "it" in c.fields}


def test_a_later_question_with_a_pronoun_follows_up_the_one_before():
    """ "what fields did it cover" is the fields of the cluster on page 54, not the
    programme's four key fields."""
    engine = shipped_knowledge().engine
    on_page = {c.id for c in engine.kb.clusters if c.page == 54}
    answer = engine.ask("Which cluster is on page 54 and what fields did it cover?")
    assert len(on_page) == 1
    assert on_page <= set(answer.matches)
    assert not any(engine.faq.has_entry(m) for m in answer.matches)


def test_and_before_a_yes_no_question_keeps_it_one():
    answer = shipped_knowledge().engine.ask("what fields does kyoto cover? and is it still active?")
    assert answer.matches == ("kyoto-first",)


@pytest.mark.parametrize(
    "message",
    [
        "Is the Aichi/Nagoya cluster still running? My company is thinking of joining.",
        "Which clusters are in Kyushu? We're looking for R&D partners down there.",
    ],
)
def test_a_sentence_of_context_after_a_question_is_no_question(message):
    answer = shipped_knowledge().engine.ask(message)
    assert answer.answered
    assert answer.intent is not Intent.SEVERAL


def test_a_question_after_another_is_still_one():
    """ "also the budget." asks something: not an aside, whatever its shape."""
    answer = shipped_knowledge().engine.ask("what fields does kyoto cover? also the budget.")
    assert {"fields", "budget"} <= answer.query.asked.cues


@pytest.mark.parametrize(
    ("message", "cluster"),
    [
        ("I'm writing a report for school. What fields does Kyoto cover?", "kyoto-first"),
        (
            "Hello, I am a researcher from Germany visiting Tokusima next month. "
            "Is there a knowledge cluster in Tokusima and what is its field?",
            "tokushima-first",
        ),
        ("My company is based near Hamamatsu. What fields does it work on?", "hamamatsu-second"),
    ],
)
def test_a_sentence_of_context_before_the_question_is_its_setting(message, cluster):
    """Not answered, its words not read as the question's ("school", "Germany", "near"),
    but what it names is what the question's "it" means."""
    answer = shipped_knowledge().engine.ask(message)
    assert answer.answered
    assert answer.intent is Intent.FIELDS
    assert cluster in answer.matches
    assert not answer.query.unexplained


def test_the_programme_named_in_the_setting_is_what_it_means():
    answer = shipped_knowledge().engine.ask(
        "doing a write-up on MEXT's cluster programme. in a sentence or two, what was it "
        "actually trying to achieve?"
    )
    assert answer.matches == ("purpose",)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I'm writing a report. What fields?", True),
        ("I saw the 2004. What budget?", True),
        ("Mr. Saito's phone number", False),
        ("what is on p. 54", False),
    ],
)
def test_a_full_stop_ends_a_sentence_after_a_word_or_a_year(text, found):
    assert has_full_stop(text) is found


def test_a_full_stop_after_a_question_without_a_question_mark_keeps_it_one():
    answer = shipped_knowledge().engine.ask("Kyoto fields. And its stage?")
    assert answer.intent is not Intent.SEVERAL
    assert {"fields", "stage"} <= answer.query.asked.cues


def test_a_claim_before_the_question_is_checked_not_taken_as_its_setting():
    answer = shipped_knowledge().engine.ask(
        "Since the Nagano Prefecture Region cluster has already ended, is there a successor "
        "project we could join?"
    )
    assert answer.intent is Intent.SEVERAL
    assert "nagano-second" in answer.matches


@pytest.mark.parametrize(
    "message",
    [
        "I'm curious about the Sendai cluster. What's the phone number?",
        "I'm curious about the Sendai cluster. What's its phone number?",
    ],
)
def test_a_statement_naming_what_the_question_asks_of_is_its_subject(message):
    """With or without a pronoun, the phone number asked is the Sendai cluster's: never a
    FAQ entry answering "what's the phone number?" on its own."""
    answer = shipped_knowledge().engine.ask(message)
    assert answer.answered
    assert "sendai-second" in answer.matches
    assert answer.query.asked.details == ("tel",)


def test_a_quoted_title_is_one_name_whatever_marks_are_in_it():
    assert clauses("「知的クラスターとは？」は何ページですか") == [
        "「知的クラスターとは？」は何ページですか"
    ]
    assert clauses('is "What is a Knowledge Cluster?" on page 1?') == [
        'is "What is a Knowledge Cluster?" on page 1?'
    ]


def test_a_condition_is_part_of_the_question_after_it():
    question = (
        "if you split the 2004 budget over the first-stage clusters, how much would each get?"
    )
    assert clauses(question) == [question]


def test_a_clause_naming_the_programme_alone_asks_what_it_is():
    """It had been dropped as saying nothing, and 「ざっくり教えて」 answered instead."""
    answer = shipped_knowledge().engine.ask("知的クラスター創成事業ってどんな事業？ざっくり教えて")
    assert answer.rule == "programme_overview"


def test_the_other_case_of_a_yes_no_question_is_the_same_question():
    answer = shipped_knowledge().engine.ask(
        "For my report: did any second-stage cluster have Environment as a key field? "
        "If not, which clusters did?"
    )
    assert answer.intent is not Intent.SEVERAL
    assert answer.answered


def test_a_field_named_in_passing_in_a_statement_after_a_question_is_an_aside():
    answer = shipped_knowledge().engine.ask(
        "Is the Aichi/Nagoya cluster still running? My company is thinking of joining a "
        "materials project there."
    )
    assert answer.intent is not Intent.SEVERAL
    assert answer.answered


def test_two_contact_details_asked_in_two_clauses_are_both_answered():
    """ "…, and what's the office fax?" had been dropped: only the core organization."""
    answer = shipped_knowledge().engine.ask(
        "Greater Sendai: who's the core organisation, and what's the office fax?"
    )
    assert answer.answered
    assert {"organization", "fax"} <= {fact.attribute for fact in answer.facts}


@pytest.mark.parametrize(
    "message",
    [
        "who actually ran each regional project day to day? some kind of admin body?",
        "who implements each regional project, MEXT itself?",
    ],
)
def test_the_askers_guess_after_a_question_is_no_question_of_its_own(message):
    answer = shipped_knowledge().engine.ask(message)
    assert answer.intent is not Intent.SEVERAL
    assert answer.rule == "each_run_by"
    assert answer.answered


@pytest.mark.parametrize(
    "message",
    [
        "other than Hamamatsu, which second stage clusters cover nanotech?",
        "which second stage clusters cover nanotech, other than Hamamatsu?",
    ],
)
def test_a_clause_leaving_clusters_out_is_said_of_the_question(message):
    answer = shipped_knowledge().engine.ask(message)
    assert answer.intent is not Intent.SEVERAL
    assert answer.answered
    assert "nagano-second" in answer.matches
    assert "hamamatsu-second" not in answer.matches


def test_and_when_after_a_question_asks_it_of_that_question():
    answer = shipped_knowledge().engine.ask(
        "Which Basic Plan asked for selective support of regions that could become "
        "world-class clusters, and when?"
    )
    assert answer.intent is not Intent.SEVERAL
    assert answer.matches == ("third-basic-plan",)
    assert answer.answered


def test_a_long_dash_ends_the_askers_setting():
    answer = shipped_knowledge().engine.ask(
        "I'm writing a short report for my regional economics seminar (due friday, ugh 😩) "
        "and my prof wants the headline number — what was the government budget for the "
        "Knowledge Cluster Initiative in 2004, in yen?"
    )
    assert answer.answered
    assert answer.rule == "programme_figure"


@pytest.mark.parametrize(
    ("message", "aside"),
    [
        (
            "when did the knowledge cluster thing actually kick off? i keep seeing both 2001 "
            "and 2002 online and im confused",
            True,
        ),
        ("what fields does kyoto cover? I need the phone number too", False),
    ],
)
def test_a_first_person_remark_after_a_question_is_an_aside_unless_it_asks(message, aside):
    answer = shipped_knowledge().engine.ask(message)
    assert answer.intent is not Intent.SEVERAL
    if aside:
        assert answer.rule == "programme_start"
        assert answer.answered
    else:
        assert "contact" in answer.query.asked.cues
