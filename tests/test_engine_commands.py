"""The slash-command entry points of the engine (/contact, /region, /stage, /field) and
their autocomplete: ids, place names, free text and garbage in, a typed Answer out."""

from __future__ import annotations

import pytest

from bot.discord_app.cog import CHOICE_TEXT_LIMIT, MAX_CHOICES, to_choices
from bot.engine import Intent
from bot.engine.complete import TYPED_CHARS
from bot.engine.text import SCAN_CHARS, normalize
from bot.render.plain import render_plain
from tests.support import Speaker

GARBAGE = ["", "   ", "<@1>", "x" * 10_000, "DROP TABLE clusters;--", "\x00\x1b[2J", "🎌🎌🎌"]
EMPTY_LIKE = ["", "   ", "<@1>", "@everyone", "\u200b\u200b"]


@pytest.fixture(scope="module")
def engine():
    """The engine's answers in English words, as a user reads them."""
    return Speaker()


@pytest.fixture(scope="module")
def kb(engine):
    return engine.kb


def heads(kb, place_id):
    return tuple(c.id for c in kb.clusters if place_id in c.places)


def cluster_matches(kb, answer):
    ids = set(kb.clusters_by_id)
    return tuple(m for m in answer.matches if m in ids)


# ----------------------------------------------------------------------------- /contact, /region


@pytest.mark.parametrize("command", ["contact", "region"])
def test_a_cluster_id_selects_exactly_that_cluster(engine, kb, command):
    """An autocomplete value ('hamamatsu-first') answers for that one cluster only."""
    answer = getattr(engine, command)("hamamatsu-first")
    assert answer.answered
    assert cluster_matches(kb, answer) == ("hamamatsu-first",)
    assert answer.confidence == 1.0


@pytest.mark.parametrize("value", ["Sendai", "sendai", "仙台", "せんだい", "what about sendai?"])
def test_a_place_or_free_text_selects_every_cluster_of_the_place(engine, kb, value):
    """A place name, in any script or inside a sentence, gives every cluster it heads."""
    answer = engine.region(value)
    assert answer.answered
    assert answer.intent is Intent.REGION
    assert cluster_matches(kb, answer) == heads(kb, "sendai")


def test_contact_command_answers_with_the_contact_intent(engine):
    """/contact always composes a contact answer, even for a bare place name."""
    answer = engine.contact("hokkaido")
    assert answer.intent is Intent.CONTACT
    assert "011-708-6525" in render_plain(answer)


def test_region_command_answers_with_an_overview(engine):
    """/region composes the overview, not a contact, even for an organization's name."""
    answer = engine.region("NOASTEC")
    assert answer.intent is Intent.REGION
    assert answer.answered


@pytest.mark.parametrize("command", ["contact", "region"])
@pytest.mark.parametrize("value", EMPTY_LIKE)
def test_an_empty_region_option_is_not_answered(engine, command, value):
    """Nothing usable ('', blanks, a bare mention) gets the empty answer with examples."""
    answer = getattr(engine, command)(value)
    assert answer.answered is False
    assert answer.intent is Intent.EMPTY
    assert answer.suggestions


@pytest.mark.parametrize("command", ["contact", "region"])
@pytest.mark.parametrize("value", ["x" * 10_000, "DROP TABLE clusters;--", "🎌🎌🎌"])
def test_garbage_region_option_is_declined_briefly(engine, command, value):
    """Garbage is declined with a short message, never an exception, and only its first
    characters are read: however long it is, it costs what they cost."""
    answer = getattr(engine, command)(value)
    assert answer.answered is False
    assert answer.intent in (Intent.CLARIFY, Intent.EMPTY, Intent.OUT_OF_DOMAIN)
    assert len(render_plain(answer)) < 500
    assert answer == getattr(engine, command)(value[:SCAN_CHARS])


def test_an_unknown_region_names_the_value_and_examples(engine):
    """'/region atlantis' says no cluster matches 'atlantis' and names real places: the
    first the knowledge base lists."""
    answer = engine.region("atlantis")
    assert answer.answered is False
    assert "atlantis" in answer.summary
    assert "Hokkaido, Sapporo or Sendai" in answer.summary


def test_a_near_missed_region_option_offers_the_place(engine):
    """A near miss is offered, not accepted: '/region ktoyo' suggests Kyoto."""
    answer = engine.region("ktoyo")
    assert answer.answered is False
    assert "Kyoto" in answer.suggestions


def test_tokyo_as_a_region_option_offers_kyoto(engine):
    """'/region tokyo' is declined and offers Kyoto, as engine.ask('tokyo') does."""
    assert "Kyoto" in engine.ask("tokyo").suggestions
    answer = engine.region("tokyo")
    assert answer.answered is False
    assert "Kyoto" in answer.suggestions


def test_a_unique_prefix_is_enough(engine, kb):
    """'/contact hamam' (a prefix only one place has) answers for Hamamatsu."""
    answer = engine.contact("hamam")
    assert answer.answered
    assert cluster_matches(kb, answer) == heads(kb, "hamamatsu")
    assert answer.confidence < 1.0


def test_a_stage_word_narrows_the_place(engine, kb):
    """'/contact hamamatsu ended' answers for the ended Hamamatsu cluster only."""
    answer = engine.contact("hamamatsu ended")
    assert cluster_matches(kb, answer) == ("hamamatsu-first",)


def test_a_stage_the_place_lacks_is_said_not_ignored(engine):
    """'/contact kyoto second stage' says Kyoto has no Second Stage cluster, like ask() does."""
    asked = engine.ask("contact for kyoto second stage")
    assert "no cluster in the Second Stage" in asked.summary
    assert "no cluster in the Second Stage" in engine.contact("kyoto second stage").summary


def test_a_fuzzy_region_option_says_how_it_was_read(engine):
    """'/region hamamtsu' tells the user it was read as Hamamatsu, like ask() does."""
    assert "hamamtsu" in engine.ask("hamamtsu").summary
    assert "hamamtsu" in engine.region("hamamtsu").summary


# ----------------------------------------------------------------------------- /stage


@pytest.mark.parametrize(
    ("stage", "status", "expected"),
    [
        ("second", None, 6),
        ("first", "active", 7),
        ("first", "ended", 11),
        ("first", None, 18),
        (None, "active", 13),
        ("", None, 24),
        (None, None, 24),
    ],
)
def test_stage_command_selects_by_stage_and_status(engine, kb, stage, status, expected):
    """/stage lists exactly the clusters of the stage and status given."""
    answer = engine.stage(stage, status)
    assert answer.answered
    assert answer.intent is Intent.BY_STAGE
    selected = [
        c.id
        for c in kb.clusters
        if (not stage or c.stage == stage) and (not status or c.status == status)
    ]
    assert list(answer.matches) == selected
    assert len(selected) == expected


@pytest.mark.parametrize(
    "spelling", ["2nd", "Second Stage", "第2期", "第II期", "phase two", "SECOND"]
)
def test_stage_command_accepts_synonyms(engine, kb, spelling):
    """Any spelling of the stage in the knowledge base selects it."""
    answer = engine.stage(spelling)
    assert list(answer.matches) == [c.id for c in kb.clusters if c.stage == "second"]


def test_stage_command_groups_by_status(engine):
    """The First Stage is listed in two groups, active then ended, with their counts; the
    groups name only the status (the stage is the title's)."""
    answer = engine.stage("first")
    assert answer.title == "Clusters of the First Stage"
    assert answer.summary == "18 clusters:"
    assert [b.title for b in answer.blocks] == ["Active · 7", "Ended · 11"]


def test_an_empty_combination_is_answered_with_none(engine):
    """'/stage second ended' is a valid question whose answer is: no such cluster."""
    answer = engine.stage("second", "ended")
    assert answer.answered
    assert answer.matches == ()
    assert answer.title == "Ended clusters of the Second Stage"
    assert answer.summary == (
        "None in the 2008 edition. The 6 clusters of the Second Stage are active."
    )


@pytest.mark.parametrize("bad", ["third", "DROP TABLE", "zzz"])
def test_an_unknown_stage_is_named_in_the_refusal(engine, bad):
    """An unknown stage is refused, naming the bad value and the valid ones."""
    answer = engine.stage(bad)
    assert answer.answered is False
    assert answer.intent is Intent.CLARIFY
    assert bad.lower() in answer.summary
    assert "first" in answer.summary
    assert "second" in answer.summary


def test_an_unknown_status_is_named_in_the_refusal(engine):
    """'/stage second paused' names 'paused' and the statuses there are."""
    answer = engine.stage("second", "paused")
    assert answer.answered is False
    assert "paused" in answer.summary
    assert "active" in answer.summary
    assert "ended" in answer.summary


def test_both_bad_options_are_named(engine):
    """A bad stage and a bad status are both reported in one answer."""
    summary = engine.stage("third", "paused").summary
    assert "third" in summary
    assert "paused" in summary


def test_a_huge_stage_value_is_refused_with_a_short_message(engine):
    """10,000 characters of stage are refused as their first characters would be (the
    rest is never read), and the echo is bounded."""
    answer = engine.stage("x" * 10_000, "y" * 10_000)
    assert answer == engine.stage("x" * SCAN_CHARS, "y" * SCAN_CHARS)
    assert answer.answered is False
    assert len(answer.summary) < 300


def test_a_mention_as_stage_is_not_echoed(engine):
    """'/stage <@1>' is refused without echoing a mention."""
    answer = engine.stage("<@1>")
    assert answer.answered is False
    assert "<@" not in render_plain(answer)


# ----------------------------------------------------------------------------- /field


@pytest.mark.parametrize(
    ("value", "field_id"),
    [
        ("environment", "environment"),
        ("life-sciences", "life-sciences"),
        ("nano", "nanotech-materials"),
        ("Nanotech/Materials", "nanotech-materials"),
        ("IT", "it"),
        ("環境", "environment"),
        ("bio", "life-sciences"),
    ],
)
def test_field_command_lists_the_clusters_of_a_field(engine, kb, value, field_id):
    """/field by id, name, synonym or Japanese lists exactly the clusters with that field."""
    answer = engine.field(value)
    assert answer.answered
    assert answer.intent is Intent.BY_FIELD
    assert list(answer.matches) == [c.id for c in kb.clusters if field_id in c.fields]


def test_field_command_narrows_by_stage_in_free_text(engine, kb):
    """'/field life sciences second stage' lists the Second Stage ones only."""
    answer = engine.field("life sciences second stage")
    expected = [c.id for c in kb.clusters if "life-sciences" in c.fields and c.stage == "second"]
    assert list(answer.matches) == expected


@pytest.mark.parametrize("value", ["cooking", *GARBAGE])
def test_an_unknown_field_is_refused_with_the_key_fields(engine, kb, value):
    """An unknown or empty field is refused, listing the four key fields."""
    answer = engine.field(value)
    assert answer.answered is False
    assert answer.intent is Intent.CLARIFY
    for field in kb.fields.values():
        assert (field.short or field.name) in answer.summary
    assert len(answer.suggestions) <= 3


# ----------------------------------------------------------------------------- autocomplete


def test_region_completion_puts_the_typed_place_first(engine):
    """complete_region('hamam') offers the Hamamatsu choices before anything else."""
    choices = engine.complete_region("hamam")
    first = {c.value for c in choices[:3]}
    assert first == {"hamamatsu-second", "hamamatsu-first", "Hamamatsu"}


def test_region_completion_offers_the_place_first_and_nothing_unrelated(engine):
    """For 'hamam' the place comes first (it covers both clusters), then its two clusters,
    and nothing else: TOYAMA/TAKAOKA used to follow as a fuzzy match."""
    choices = engine.complete_region("hamam")
    assert [c.value for c in choices] == ["Hamamatsu", "hamamatsu-second", "hamamatsu-first"]


def test_a_clear_prefix_brings_only_names_that_contain_it(engine, kb):
    """Every prefix (4+ letters) of every place heading a cluster: each choice offered is a
    cluster or place one of whose spellings contains what was typed."""
    spellings: dict[str, set[str]] = {}
    for cluster in kb.clusters:
        names = {normalize(s) for s in (cluster.name, *cluster.aliases)}
        names |= {normalize(s) for p in cluster.places for s in kb.places[p].spellings}
        spellings[cluster.id] = names
    for place in kb.places.values():
        spellings[place.name] = {normalize(s) for s in place.spellings}
    for place_id in {p for c in kb.clusters for p in c.places}:
        name = normalize(kb.places[place_id].name)
        for end in range(4, len(name) + 1):
            typed = name[:end]
            for choice in engine.complete_region(typed):
                assert any(typed in s for s in spellings[choice.value]), (typed, choice)


def test_region_completion_without_input_lists_every_cluster(engine, kb):
    """An empty option shows one choice per cluster (24), in the order of the edition."""
    choices = engine.complete_region("")
    assert [c.value for c in choices] == [c.id for c in kb.clusters]
    assert len(choices) == 24


@pytest.mark.parametrize(
    "typed",
    ["", "h", "ha", "s", "sen", "kyo", "浜", "さ", "kansai", "o", "a", "zzzz", "x" * 10_000],
)
def test_region_choices_respect_discord_limits(engine, typed):
    """As sent to Discord: at most 25 choices, names and values of 1 to 100 characters,
    no duplicates, however many the engine ranks."""
    ranked = engine.engine.complete_region(typed, limit=1000)
    choices = to_choices(ranked, engine.knowledge.localizer, "en")
    assert len(choices) <= MAX_CHOICES == 25
    for choice in choices:
        assert 1 <= len(choice.name) <= CHOICE_TEXT_LIMIT == 100
        assert 1 <= len(choice.value) <= CHOICE_TEXT_LIMIT
    assert len({c.value for c in choices}) == len(choices)
    assert len({c.value for c in ranked}) == len(ranked)


@pytest.mark.parametrize(
    "typed", ["", "h", "ha", "s", "k", "ka", "o", "浜", "さ", "fu", "to", "na"]
)
def test_every_region_choice_is_answered_by_the_command(engine, typed):
    """Each choice value sent back to /region gets an answer."""
    for choice in engine.complete_region(typed):
        answer = engine.region(choice.value)
        assert answer.answered, (typed, choice)


def test_a_shared_place_choice_covers_all_its_clusters(engine, kb):
    """The 'Sendai — all 2 clusters' choice answers for both Sendai clusters."""
    (choice,) = [c for c in engine.complete_region("sendai") if c.value == "Sendai"]
    assert "2" in choice.name
    assert cluster_matches(kb, engine.region(choice.value)) == heads(kb, "sendai")


@pytest.mark.parametrize(("limit", "most"), [(0, 0), (1, 1), (5, 5), (1000, 1000), (-3, 0)])
def test_region_completion_limit_is_honoured(engine, limit, most):
    """The engine ranks as many choices as asked for (none for a negative limit); how many
    a front-end shows is the front-end's limit."""
    choices = engine.complete_region("a", limit=limit)
    assert len(choices) <= most
    if most:
        assert choices


def test_region_completion_of_garbage_is_empty_and_read_only_at_its_start(engine):
    """Unmatchable input returns no choice, and only what a name could be is read of it:
    a valid name followed by 10,000 characters completes as the name does."""
    assert engine.complete_region("qqqqqqqqqq" * 1000) == []
    typed = "hamamatsu".ljust(TYPED_CHARS)
    assert engine.complete_region(typed + "q" * 10_000) == engine.complete_region("hamamatsu")


def test_field_completion_puts_the_typed_field_first(engine):
    """complete_field('nano') offers Nanotech/Materials first."""
    choices = engine.complete_field("nano")
    assert choices[0].value == "nanotech-materials"


@pytest.mark.parametrize(
    ("typed", "field_id"),
    [
        ("env", "environment"),
        ("life", "life-sciences"),
        ("ナノ", "nanotech-materials"),
        ("IT", "it"),
    ],
)
def test_field_completion_matches_names_and_japanese(engine, typed, field_id):
    """A prefix of a field's name or Japanese name puts that field first."""
    assert engine.complete_field(typed)[0].value == field_id


def test_field_completion_without_input_lists_the_four_fields(engine, kb):
    """An empty option shows the four key fields, named in English and Japanese."""
    choices = engine.complete_field("")
    assert [c.value for c in choices] == list(kb.fields)
    for choice in choices:
        field = kb.fields[choice.value]
        assert choice.name == f"{field.name} ({field.name_ja})"


@pytest.mark.parametrize("typed", ["", "nano", "zzz", "x" * 10_000])
def test_every_field_choice_is_answered_by_the_command(engine, typed):
    """Each field choice value sent back to /field gets an answer; garbage gets no choice."""
    choices = engine.complete_field(typed)
    assert len(choices) <= len(engine.kb.fields)
    for choice in choices:
        assert 1 <= len(choice.name) <= CHOICE_TEXT_LIMIT
        assert engine.field(choice.value).answered
    if typed.startswith(("z", "x")):
        assert choices == []
