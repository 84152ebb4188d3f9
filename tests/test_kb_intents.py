"""`intents.yaml`: a phrase signals one intent, unless it is declared shared with its intents."""

from __future__ import annotations

import pytest

from bot.engine.reading.parse import Parser
from bot.engine.text import Text
from bot.kb.loader import load_knowledge
from tests.kb_copies import edit, line_of, problems_of


def test_a_phrase_under_two_intents_is_refused_with_both_lines(kb_copy):
    """Pasting a phrase into a second intent's list names both places."""
    text = edit(
        kb_copy, "intents.yaml", "  map:\n    [map, maps,", "  map:\n    [map, maps, located,"
    )
    (problem,) = problems_of(kb_copy)
    first = line_of(text, "located, location")
    assert (problem.file, problem.line, problem.entry_id) == (
        "intents.yaml",
        line_of(text, "maps, located"),
        "map",
    )
    assert f"'located' is also a phrase of intent 'location' (line {first})" in problem.message
    assert "shared_phrases" in problem.message


@pytest.mark.parametrize("spelling", ["Located", "ＬＯＣＡＴＥＤ", "  located  "])
def test_phrases_are_compared_as_the_engine_reads_them(kb_copy, spelling):
    """Case, width and spaces do not make a second phrase: the engine would read one."""
    edit(
        kb_copy, "intents.yaml", "  map:\n    [map, maps,", f'  map:\n    [map, maps, "{spelling}",'
    )
    (problem,) = problems_of(kb_copy)
    assert "is also a phrase of intent 'location'" in problem.message


def test_japanese_phrases_are_compared_without_spaces(kb_copy):
    edit(kb_copy, "intents.yaml", "  map:\n    [map, maps,", "  map:\n    [map, maps, 所在 地,")
    (problem,) = problems_of(kb_copy)
    assert "'所在 地' is also a phrase of intent 'location'" in problem.message


def test_a_phrase_listed_twice_in_one_intent_is_reported(kb_copy):
    text = edit(kb_copy, "intents.yaml", "  map:\n    [map, maps,", "  map:\n    [map, maps, map,")
    (problem,) = problems_of(kb_copy)
    assert problem.line == line_of(text, "maps, map,")
    assert problem.message == f"phrase 'map' is listed twice (first on line {problem.line})"


def test_shipped_shared_phrases_signal_each_of_their_intents():
    """A declared shared phrase is in each of its intents' phrases, as the engine reads them."""
    kb = load_knowledge()
    assert kb.shared_phrases["どこ"] == ("location", "list")
    assert "どこ" in kb.intents["location"]
    assert "どこ" in kb.intents["list"]
    parser = Parser(kb)
    assert {"location", "list"} <= parser.parse(Text.parse("宇部はどこ")).cues


def test_a_new_shared_phrase_needs_no_other_change(kb_copy):
    """Declaring a phrase shared is the whole edit: both intents then read it."""
    edit(
        kb_copy,
        "intents.yaml",
        "shared_phrases:\n",
        "shared_phrases:\n  whereabouts of: [location, map]\n",
    )
    kb = load_knowledge(kb_copy)
    assert "whereabouts of" in kb.intents["location"]
    assert "whereabouts of" in kb.intents["map"]


def test_a_shared_phrase_also_in_a_list_is_refused(kb_copy):
    text = edit(
        kb_copy,
        "intents.yaml",
        "shared_phrases:\n",
        "shared_phrases:\n  located: [location, map]\n",
    )
    (problem,) = problems_of(kb_copy)
    assert (problem.line, problem.entry_id) == (line_of(text, "located, location"), "location")
    shared_line = line_of(text, "  located: [location, map]")
    assert f"declared under shared_phrases (line {shared_line}): list it there only" in str(problem)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[location]", "intents: needs at least 2 items, has 1"),
        ("[location, location]", "intents: 'location' is listed twice"),
        ("[location, whereabout]", "shared_phrases: unknown intent 'whereabout'"),
        ("location", "intents: expected a list, got the string 'location'"),
    ],
)
def test_a_shared_phrase_names_two_known_intents(kb_copy, value, message):
    text = edit(
        kb_copy,
        "intents.yaml",
        "shared_phrases:\n",
        f"shared_phrases:\n  whereabouts of: {value}\n",
    )
    (problem,) = problems_of(kb_copy)
    assert (problem.file, problem.line) == ("intents.yaml", line_of(text, "whereabouts of:"))
    assert problem.message.startswith(message), problem.message


def test_a_shared_phrase_declared_twice_is_refused(kb_copy):
    text = edit(
        kb_copy,
        "intents.yaml",
        "shared_phrases:\n",
        "shared_phrases:\n  Explain: [overview, content]\n",
    )
    (problem,) = problems_of(kb_copy)
    assert problem.line == line_of(text, "  explain: [overview")
    assert f"declared twice (first on line {line_of(text, '  Explain:')})" in problem.message
