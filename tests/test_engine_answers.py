"""What each kind of answer says: the composed content of every intent, its sources,
its date, its confidence and its suggestions. Expected facts come from knowledge/*.yaml."""

from __future__ import annotations

import re

import pytest

from bot.engine import Intent
from bot.render.plain import render_plain
from tests.support import AS_OF_EDITION_TEXT, Speaker

# Questions that reach every intent the engine answers, one or more each.
QUESTIONS_BY_INTENT = {
    Intent.FIELDS: ["what fields does hamamatsu cover", "浜松の分野は"],
    Intent.CONTACT: ["contact for sendai", "北海道の連絡先", "NOASTEC phone number"],
    Intent.STAGE: ["what stage is kyoto", "is sapporo still active"],
    Intent.REGION: ["tell me about ube", "kobe"],
    Intent.PAGE: ["what page is ube on", "gifu page"],
    Intent.BUDGET: ["what is the budget", "what was the 2004 budget"],
    Intent.BY_FIELD: ["which clusters work on environment", "life sciences clusters"],
    Intent.BY_STAGE: ["list the second stage clusters", "list all clusters"],
    Intent.COUNT: ["how many clusters are there", "how many ended clusters"],
    Intent.FAQ: ["what is a knowledge cluster", "what is the purpose of the initiative"],
    Intent.HELP: ["help"],
}
ALL_QUESTIONS = [q for qs in QUESTIONS_BY_INTENT.values() for q in qs]
DECLINED = [
    "tokyo",
    "what fields does tokyo cover",
    "hakamatsu",
    "what is the weather in tokyo",
    "history of the programme",
    "collaboration between clusters maybe",
    "weather",
]
# Contacts are dated by their own sources (a 2004 address is never "as of 2008").
TIME_BOUND = {
    Intent.FIELDS,
    Intent.STAGE,
    Intent.REGION,
    Intent.PAGE,
    Intent.BY_FIELD,
    Intent.BY_STAGE,
    Intent.COUNT,
}


@pytest.fixture(scope="module")
def engine():
    """The engine's answers in English words, as a user reads them."""
    return Speaker()


@pytest.fixture(scope="module")
def kb(engine):
    return engine.kb


def cluster(kb, cluster_id):
    return kb.clusters_by_id[cluster_id]


def field_names(kb, cluster_id):
    return ", ".join(kb.fields[f].name for f in cluster(kb, cluster_id).fields)


def short_fields(kb, cluster_id, separator=", ", emoji=False):
    """A cluster's fields as a list or card shows them: the short labels ("IT"), each with
    its emoji on a card."""
    labels = []
    for field_id in cluster(kb, cluster_id).fields:
        field = kb.fields[field_id]
        label = field.short or field.name
        labels.append(f"{field.emoji} {label}" if emoji else label)
    return separator.join(labels)


def named_fields(kb, cluster_id):
    """A cluster's fields as an answer to "what fields" names them: emoji and the label
    every list uses ("IT", never sometimes "IT (Information Technology)")."""
    fields = (kb.fields[f] for f in cluster(kb, cluster_id).fields)
    return " · ".join(f"{field.emoji} {field.short or field.name}" for field in fields)


def card(answer):
    """A one-cluster card's facts: label -> value."""
    return {b.title: b.lines[0] for b in answer.blocks if b.style == "fact"}


def block_for(answer, cluster_id):
    (block,) = [b for b in answer.blocks if b.cluster_id == cluster_id]
    return block


def org_block_lines(answer, heading_part):
    (block,) = [b for b in answer.blocks if heading_part in b.title]
    return block.lines


@pytest.mark.parametrize(
    ("intent", "question"), [(i, q) for i, qs in QUESTIONS_BY_INTENT.items() for q in qs]
)
def test_each_question_reaches_its_intent(engine, intent, question):
    """The sample questions used below do reach the intent they stand for."""
    answer = engine.ask(question)
    assert answer.answered
    assert answer.intent is intent


# ----------------------------------------------------------------------------- fields


def test_fields_are_listed_in_printed_order(engine, kb):
    """A region's fields appear in the order the 2008 edition prints them, each by the one
    label lists and cards use too."""
    answer = engine.ask("what fields does hamamatsu cover")
    for cluster_id in ("hamamatsu-second", "hamamatsu-first"):
        block = block_for(answer, cluster_id)
        assert block.lines[0] == named_fields(kb, cluster_id)
        assert block.field_ids == cluster(kb, cluster_id).fields
    assert block_for(answer, "hamamatsu-second").lines[0] == (
        "💻 IT · 🔬 Nanotech/Materials · 🧬 Life Sciences"
    )
    assert field_names(kb, "hamamatsu-second") == (
        "IT (Information Technology), Nanotech/Materials, Life Sciences"
    )


def test_one_cluster_fields_summary_names_them(engine, kb):
    """With one cluster, the lead is the answer: its fields, nothing else (the title names
    the cluster already)."""
    answer = engine.ask("what fields does kyoto cover")
    assert answer.title == "Key fields of Kyoto"
    assert answer.summary == named_fields(kb, "kyoto-first")
    assert answer.summary == "🔬 Nanotech/Materials"


def test_a_field_asked_about_gets_a_verdict_per_cluster(engine):
    """'does hamamatsu cover environment' says, per cluster, that it is not listed."""
    answer = engine.ask("does hamamatsu cover environment")
    assert answer.intent is Intent.FIELDS
    for block in answer.blocks:
        assert block.lines[0] == "No: Environment is not one of its key fields."


def test_a_field_a_cluster_has_is_confirmed(engine):
    """'does kyoto work on nanotech' confirms Nanotech/Materials."""
    answer = engine.ask("does kyoto work on nanotech")
    lines = block_for(answer, "kyoto-first").lines
    assert lines == ("Yes: Nanotech/Materials is one of its key fields.", "🔬 Nanotech/Materials")


# ----------------------------------------------------------------------------- contact


def test_noastec_contact_lines_carry_tel_and_fax(engine, kb):
    """Hokkaido's contact gives NOASTEC's name, address, TEL and FAX from the knowledge base."""
    org = kb.organizations["noastec"]
    answer = engine.ask("contact for hokkaido")
    (block,) = answer.blocks
    assert block.title == f"{org.short_name} ({org.name})"  # the card is headed by its name
    assert f"TEL {org.tel} · FAX {org.fax}" in block.lines
    assert org.address in block.lines
    assert org.tel == "011-708-6525"
    assert org.fax == "011-708-6529"


def test_sendai_office_contact_lines_carry_tel_and_fax(engine):
    """Greater Sendai's contact is the Sendai office, TEL 022-346-9237, FAX 022-346-9238."""
    (block,) = engine.ask("contact for greater sendai").blocks
    assert "SENDAI KNOWLEDGE CLUSTER INITIATIVE office" in block.lines
    assert "TEL 022-346-9237 · FAX 022-346-9238" in block.lines


def test_a_region_without_contact_falls_back_to_the_programme_office(engine, kb):
    """Kyoto has no core organization: the title says so, and the MEXT programme office
    (03-5253-4111) is given under a heading that says what it is; it is not an answer."""
    assert cluster(kb, "kyoto-first").organization is None
    answer = engine.ask("contact for kyoto")
    assert kb.programme_office in answer.matches
    assert not answer.answered
    assert answer.title == "The sources give no contact for Kyoto"
    (block,) = answer.blocks  # the office's card, titled as the programme office
    office = kb.organizations[kb.programme_office].name
    assert block.title == f"Programme office: {office}"
    assert any(line.startswith("TEL 03-5253-4111") for line in block.lines)
    assert answer.summary == ""


def test_a_place_with_and_without_contact_gets_both(engine):
    """Sendai heads a cluster with a contact and one without: both parts are answered."""
    answer = engine.ask("contact for sendai")
    text = render_plain(answer)
    assert "022-346-9237" in text
    assert "03-5253-4111" in text
    assert "icr" in answer.matches


def test_an_organization_without_telephone_says_so(engine):
    """Hamamatsu's core organization has no telephone number in any source: the reply says so."""
    (block,) = engine.ask("contact for hamamatsu").blocks
    # Its note says what is missing; the card does not say "no" a second time. Its last
    # line dates the details by the document they come from (the JST article of 2005).
    assert block.lines[-2:] == (
        "The sources give the ward only, not a full address or telephone number.",
        "Details as of 2005.",
    )
    assert not any("TEL" in line or "FAX" in line or "no telephone" in line for line in block.lines)
    (fukuoka,) = engine.ask("contact for iizuka").blocks
    assert fukuoka.lines[-1] == "The sources give no address or telephone number."


def test_a_shared_organization_is_shown_once(engine):
    """NOASTEC runs both Sapporo clusters: one block names both, the contact is not repeated."""
    answer = engine.ask("contact for sapporo")
    assert answer.title == "Contact for Sapporo"
    (block,) = answer.blocks
    assert block.title.startswith("NOASTEC")
    assert {"hokkaido-second", "sapporo-first", "noastec"} <= set(answer.matches)


# ----------------------------------------------------------------------------- page / stage


def test_a_page_is_given_where_the_contents_prints_one(engine, kb):
    """UBE is on page 30 of the 2008 edition."""
    assert cluster(kb, "ube-first").page == 30
    answer = engine.ask("what page is ube on")
    assert answer.summary == "Page 30 of the 2008 edition."
    assert not answer.blocks


def test_a_missing_page_is_said_missing(engine, kb):
    """KYOTO has no page in the contents: the reply says so instead of inventing one."""
    assert cluster(kb, "kyoto-first").page is None
    answer = engine.ask("kyoto page")
    assert "gives no page" in answer.summary
    assert not answer.answered
    assert not re.search(r"page \d", render_plain(answer), re.IGNORECASE)


@pytest.mark.parametrize(
    ("cluster_id", "year"), [("kyoto-first", 2002), ("hamamatsu-second", 2007)]
)
def test_stage_answers_give_the_stage_and_its_start_year(engine, kb, cluster_id, year):
    """A stage answer names the stage, the year it started, and the status."""
    item = cluster(kb, cluster_id)
    stage = kb.stages[item.stage]
    assert stage.started == year
    place = kb.places[item.places[0]].name
    answer = engine.ask(f"what stage is {place}")
    if len(answer.matches) == 1:
        assert answer.summary == f"{stage.name} (from {year}), {kb.statuses[item.status].name}."
    else:  # the heading names stage and status; the line when the stage started
        block = block_for(answer, cluster_id)
        assert block.title.endswith(f"{stage.name}, {kb.statuses[item.status].name}")
        assert block.lines == (f"The {stage.name} started in {year}.",)


# ----------------------------------------------------------------------------- overview


def test_overview_lines_cover_stage_fields_places_organization_page(engine, kb):
    """An overview gives stage (with start), fields, places, core organization and page."""
    answer = engine.ask("tell me about gifu")
    assert answer.title == "Gifu/Ogaki"
    # A card: each fact once; its places are in its name, so they are not repeated.
    assert card(answer) == {
        "Stage": "First Stage (from 2002), active",
        "Key fields": short_fields(kb, "gifu-first", " · ", emoji=True),
        "Core organization": kb.organizations["gifu-foundation"].name,
        "Page": "24",
    }


def test_overview_without_organization_or_page_says_none(engine):
    """KYOTO's overview says the sources name no organization, and has no page line."""
    facts = card(engine.ask("tell me about kyoto"))
    assert facts["Core organization"] == "not in the sources"
    assert "Page" not in facts


def test_contact_answers_carry_their_sources_dates(engine):
    """NOASTEC's contact is the 2004 overview's; no footer stamps it with the 2008 edition:
    its card says its own date beside the 2013 link, and its number alone is dated 2004."""
    card = engine.ask("NOASTEC contact")
    assert card.as_of is None
    assert any("Details as of 2004." in line for block in card.blocks for line in block.lines)
    assert {f.as_of for f in card.answer.facts} == {"2004", "2013"}
    number = engine.ask("NOASTEC phone number")
    assert number.as_of == "as of 2004"
    assert {(f.attribute, f.as_of) for f in number.answer.facts} == {("tel", "2004")}


def test_a_shared_place_overview_says_how_many_clusters_it_heads(engine):
    """'kobe' overviews both clusters Kobe heads and says there are two."""
    answer = engine.ask("kobe")
    assert answer.summary == (
        "2 clusters carry the name Kobe. The sources name no core organization for them."
    )
    assert {b.cluster_id for b in answer.blocks} == {"kansai-second", "kobe-first"}


# ----------------------------------------------------------------------------- listings


def _group_titles(kb, cluster_ids):
    groups = {}
    for cid in cluster_ids:
        item = cluster(kb, cid)
        title = f"{kb.stages[item.stage].name}, {kb.statuses[item.status].name}"
        groups[title] = groups.get(title, 0) + 1
    return {f"{title} · {count}" for title, count in groups.items()}


def test_by_field_groups_clusters_by_stage_and_status(engine, kb):
    """'which clusters work on environment' lists them in stage/status groups with counts."""
    answer = engine.ask("which clusters work on environment")
    expected = [c.id for c in kb.clusters if "environment" in c.fields]
    assert list(answer.matches) == expected
    assert {b.title for b in answer.blocks} == _group_titles(kb, expected)
    assert answer.summary == f"{len(expected)} clusters:"


def test_by_field_lines_name_each_cluster_with_its_fields(engine, kb):
    """Each listed cluster shows its own fields, so the field asked about is visible."""
    answer = engine.ask("which clusters work on environment")
    lines = [line for b in answer.blocks for line in b.lines]
    assert "Aichi/Nagoya — " + short_fields(kb, "aichi-first") in lines


def test_by_stage_groups_and_counts_6_7_11(engine):
    """All clusters: 6 Second Stage (active), 7 First Stage (active), 11 First Stage (ended)."""
    answer = engine.ask("list all clusters")
    assert [b.title for b in answer.blocks] == [
        "Second Stage, active · 6",
        "First Stage, active · 7",
        "First Stage, ended · 11",
    ]
    assert answer.summary == "24 clusters:"
    assert [len(b.lines) for b in answer.blocks] == [6, 7, 11]
    assert len(answer.matches) == 24


def test_by_stage_filters_to_the_stage_asked(engine, kb):
    """'list the second stage clusters' lists exactly the Second Stage ones."""
    answer = engine.ask("list the second stage clusters")
    assert list(answer.matches) == [c.id for c in kb.clusters if c.stage == "second"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many clusters are there", 24),
        ("how many ended clusters", 11),
        ("how many second stage clusters", 6),
        ("how many first stage active clusters", 7),
        ("how many clusters work on environment", 3),
        ("how many life sciences clusters are in the second stage", 4),
    ],
)
def test_count_applies_its_filters(engine, question, expected):
    """A count answers the number of clusters matching stage, status and field."""
    answer = engine.ask(question)
    assert answer.intent is Intent.COUNT
    assert len(answer.matches) == expected
    assert answer.title.split(" ")[0] == str(expected)  # the number is the title


def test_count_of_everything_breaks_it_down_by_stage(engine):
    """The total count also gives each stage's total and the 6 / 7 / 11 breakdown."""
    answer = engine.ask("how many clusters are there")
    assert answer.title == "24 clusters in the 2008 edition"
    assert answer.summary == ("Second Stage, active: 6 · First Stage: 18 (Active: 7, Ended: 11)")
    assert not answer.blocks  # the clusters are one click away (menu, map), not listed


# ----------------------------------------------------------------------------- budget


def test_the_budget_question_gets_the_programme_figures(engine, kb):
    """'what is the budget' states each budget programme.yaml gives and what a region gets,
    cited to their source."""
    answer = engine.ask("what is the budget")
    assert answer.intent is Intent.BUDGET
    assert answer.answered
    for figure in kb.programme.figures_of("budget"):
        assert str(figure.year) in answer.summary
    assert "9 billion yen" in answer.summary
    assert "6.9 billion yen" in answer.summary
    assert "500 million yen a year" in answer.summary
    assert {source.id for source in answer.sources} == {"kci-2004-overview"}


def test_a_region_budget_says_there_is_no_regional_figure(engine):
    """A region's budget says the sources have no per-region figure, then the programme's."""
    answer = engine.ask("budget of kyoto")
    assert answer.intent is Intent.BUDGET
    assert "no budget figure for Kyoto" in answer.summary
    assert "budget" in answer.matches
    assert any("9 billion yen" in line for b in answer.blocks for line in b.lines)


# ----------------------------------------------------------------------------- invariants


@pytest.mark.parametrize("question", [q for q in ALL_QUESTIONS if q != "help"])
def test_answered_answers_cite_known_documents(engine, kb, question):
    """Every fact-bearing answer has sources, each a document of sources.yaml."""
    answer = engine.ask(question)
    assert answer.sources
    documents = {d.title: d for d in kb.documents.values()}
    for source in answer.sources:
        assert source.document in documents
        assert source.url == documents[source.document].url


def test_about_cites_its_sources(engine, kb):
    """/about is answered with sources from known documents."""
    answer = engine.about()
    titles = {d.title for d in kb.documents.values()}
    assert answer.sources
    assert {s.document for s in answer.sources} <= titles


def test_sources_cite_each_document_once(engine):
    """Several facts from one document give one Source, not one per fact."""
    answer = engine.ask("list all clusters")
    documents = [s.document for s in answer.sources]
    assert len(documents) == len(set(documents))


@pytest.mark.parametrize(
    "question", [q for i in QUESTIONS_BY_INTENT if i in TIME_BOUND for q in QUESTIONS_BY_INTENT[i]]
)
def test_time_bound_answers_are_dated(engine, question):
    """Stages, statuses, fields, pages and contacts are 'as of the 2008 edition'."""
    assert engine.ask(question).as_of == AS_OF_EDITION_TEXT


def test_the_stages_faq_is_dated(engine):
    """The FAQ on stages (which says 'active') carries the 2008 date."""
    answer = engine.ask("what are the first and second stages")
    assert answer.matches == ("stages",)
    assert answer.as_of == AS_OF_EDITION_TEXT


def test_timeless_faq_is_not_dated(engine):
    """A definition is not tied to an edition: no as_of."""
    assert engine.ask("what is a knowledge cluster").as_of is None


@pytest.mark.parametrize("question", ALL_QUESTIONS + DECLINED + ["", "hamamtsu"])
def test_confidence_is_between_0_and_1(engine, question):
    """Every answer's confidence is a number in 0..1."""
    confidence = engine.ask(question).confidence
    assert isinstance(confidence, float | int)
    assert 0.0 <= confidence <= 1.0


def test_exact_answers_are_more_confident_than_fuzzy_ones(engine):
    """A misspelt place lowers the confidence below an exact one."""
    exact = engine.ask("what fields does hamamatsu cover").confidence
    fuzzy = engine.ask("what fields does hamamtsu cover").confidence
    assert exact == 1.0
    assert fuzzy < exact


@pytest.mark.parametrize("question", [*DECLINED, ""])
def test_declined_answers_have_at_most_three_suggestions(engine, question):
    """A declined answer is not answered, cites nothing and offers at most three suggestions."""
    answer = engine.ask(question)
    assert answer.answered is False
    assert len(answer.suggestions) <= 3
    assert answer.sources == ()


@pytest.mark.parametrize("question", [*DECLINED, ""])
def test_every_suggestion_is_itself_answered(engine, question):
    """Each suggestion, sent back as a question, gets an answer."""
    for suggestion in engine.ask(question).suggestions:
        follow_up = engine.ask(suggestion)
        assert follow_up.answered, (suggestion, follow_up.intent)


def test_a_near_miss_summary_names_what_was_typed(engine):
    """The clarification quotes the unknown word and the places offered."""
    answer = engine.ask("tokyo")
    assert answer.intent is Intent.CLARIFY
    assert answer.title == "Did you mean Kyoto?"  # the question back is the title
    assert answer.summary == "Tokyo heads no cluster in the 2008 edition."


def test_the_empty_question_offers_examples(engine):
    """An empty message is not answered and suggests example questions."""
    answer = engine.ask("   ")
    assert answer.intent is Intent.EMPTY
    assert answer.answered is False
    assert answer.suggestions
    text = render_plain(answer)
    assert "Try: " + " | ".join(answer.suggestions) in text  # the buttons, in plain text


def test_the_answer_echoes_the_cleaned_question(engine):
    """Answer.question is the cleaned text: no mention, no markup noise."""
    answer = engine.ask("<@123> what fields does `kyoto` cover?")
    assert answer.question == "what fields does kyoto cover?"


def test_help_counts_come_from_the_knowledge_base(engine, kb):
    """/help states the number of clusters and topics the knowledge base holds."""
    answer = engine.help()
    assert f"{len(kb.clusters)} clusters and {len(kb.faq)} programme topics" in answer.summary
    assert answer.answered


def test_about_is_short_and_offers_the_other_topics(engine, kb):
    """/about is a few sentences (the definition as the sources word it, and what the bot
    knows, counted from the knowledge base); purpose, budget and sources are buttons."""
    answer = engine.about()
    topic_of = {e.id: e.topic for e in kb.faq}
    assert [topic_of[m] for m in answer.matches] == ["definition"]
    assert [topic_of[s.target.id] for s in answer.steps] == ["purpose", "budget", "sources"]
    assert f"lists {len(kb.clusters)} clusters in {len(kb.stages)} stages" in answer.summary
    assert len(answer.summary) < 600  # it was a 2,100-character essay
    assert not answer.blocks
    assert answer.as_of == AS_OF_EDITION_TEXT


def test_a_region_budget_answer_is_not_stamped_with_the_2008_edition(engine):
    """The budget figures are the 2004 overview's; the answer must not date them 2008."""
    answer = engine.ask("what is kyoto's budget")
    assert answer.intent.value == "budget"
    assert answer.as_of is None
    assert "9 billion yen" in " ".join(line for block in answer.blocks for line in block.lines)
