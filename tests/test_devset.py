"""The development sets: realistic questions and what their replies must say.

Two sets of the same format: `tests/devset.yaml`, the tuning set, and
`tests/devset_heldout.yaml`, written before the mechanisms it measures and never tuned on
(its threshold is its own, lower and honest). `test_devset_is_well_formed` checks each file
alone and passes without the engine. `test_devset_pass_rate` runs every question through the
engine, prints a report of the failures and the pass rate per tag (`pytest -n0 -s` shows it on
success too), and requires the set's overall pass rate.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

DEVSET_PATH = Path(__file__).with_name("devset.yaml")
HELDOUT_PATH = Path(__file__).with_name("devset_heldout.yaml")
MIN_QUESTIONS = 150
# Close under the scores: at 0.95 a change of layout once broke 19 tuning entries and this
# test still passed. Held-out: 193/203 when its Japanese expectations matched the wave-2
# replies; after the Japanese wording and the answered-means-the-asked-fact rule changed
# them, the wave-2 engine scores 176/203 on it and the query language 185/203, its misses
# mostly declines of questions with a word it cannot read (precision first).
PASS_RATE = 0.99
HELDOUT_PASS_RATE = 0.90


@dataclass(frozen=True)
class DevSet:
    name: str
    path: Path
    pass_rate: float
    every_intent: bool  # the set must have a question of every intent


DEVSETS = (
    DevSet("devset", DEVSET_PATH, PASS_RATE, every_intent=True),
    DevSet("heldout", HELDOUT_PATH, HELDOUT_PASS_RATE, every_intent=False),
)

# The values of bot.engine.answer.Intent, spelled out so that this file's own checks do not
# depend on the engine package importing; `test_intents_match_the_answer_type` ties the two.
INTENTS = frozenset(
    {
        "fields",
        "contact",
        "stage",
        "region",
        "by_field",
        "by_stage",
        "count",
        "page",
        "budget",
        "faq",
        "about",
        "help",
        "clarify",
        "out_of_domain",
        "empty",
        "greeting",
        "not_in_sources",
        "contents",
        "rank",
        "several",
        "location",
        "map",
    }
)
DECLINING_INTENTS = frozenset({"clarify", "out_of_domain", "empty", "greeting", "not_in_sources"})

REQUIRED_KEYS = frozenset({"answered", "tag"})
OPTIONAL_KEYS = frozenset(
    {"intent", "contains", "not_contains", "suggestions_contain", "lang", "reply_lang"}
)
# A conversation: `tag` and `turns`, each turn an entry without `tag`, which may name the
# follow-up rule that must read it in context (`followup`), or `none`.
CONVERSATION_KEYS = frozenset({"tag", "turns"})
TURN_KEYS = frozenset({"followup"})
FOLLOWUP_RULES = frozenset({"language", "choice", "refine", "sibling", "clusters", "intent"})
LANGUAGES = frozenset({"en", "ja"})
QUESTION_KEYS = frozenset({"q", "q_repeat"})
REPEAT_KEYS = frozenset({"text", "times", "prefix", "suffix"})


def load_devset(path: Path = DEVSET_PATH) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def question_text(entry: Mapping[str, Any]) -> str:
    """The message an entry stands for: `q`, or `q_repeat` expanded (a conversation: its
    questions in order)."""
    if "turns" in entry:
        return " → ".join(question_text(turn) for turn in entry["turns"])
    if "q" in entry:
        return entry["q"]
    repeat = entry["q_repeat"]
    return repeat.get("prefix", "") + repeat["text"] * repeat["times"] + repeat.get("suffix", "")


def label(entry: Mapping[str, Any]) -> str:
    """A short printable form of an entry's question for reports."""
    if "turns" in entry:
        return " → ".join(label(turn) for turn in entry["turns"])
    if "q_repeat" in entry:
        repeat = entry["q_repeat"]
        return f"{repeat.get('prefix', '')}{repeat['text']!r} x {repeat['times']}"
    return repr(entry["q"])


def _alternatives(item: str | list[str]) -> list[str]:
    return [item] if isinstance(item, str) else list(item)


def conversation_problems(entry: Mapping[str, Any]) -> list[str]:
    """What is wrong with a conversation entry's shape."""
    problems: list[str] = []
    unknown = set(entry) - CONVERSATION_KEYS
    if unknown:
        problems.append(f"unknown keys {sorted(unknown)}")
    turns = entry.get("turns")
    if not isinstance(turns, list) or len(turns) < 2:
        return [*problems, "turns must be a list of at least two questions"]
    for number, turn in enumerate(turns, start=1):
        if not isinstance(turn, dict):
            problems.append(f"turn {number} is not a mapping")
            continue
        if "tag" in turn:
            problems.append(f"turn {number}: the tag belongs to the conversation")
        followup = turn.get("followup")
        if "followup" in turn and followup not in FOLLOWUP_RULES | {"none"}:
            problems.append(
                f"turn {number}: followup must be none or one of {sorted(FOLLOWUP_RULES)}"
            )
        as_entry = {k: v for k, v in turn.items() if k not in TURN_KEYS}
        as_entry["tag"] = entry.get("tag")
        problems += [f"turn {number}: {p}" for p in entry_problems(as_entry)]
    return problems


def entry_problems(entry: Mapping[str, Any]) -> list[str]:
    """What is wrong with one entry's shape (empty when it is well-formed)."""
    if "turns" in entry:
        return conversation_problems(entry)
    problems: list[str] = []
    keys = set(entry)
    missing = REQUIRED_KEYS - keys
    if missing:
        problems.append(f"missing keys {sorted(missing)}")
    if len(keys & QUESTION_KEYS) != 1:
        problems.append("needs exactly one of q / q_repeat")
    unknown = keys - REQUIRED_KEYS - OPTIONAL_KEYS - QUESTION_KEYS
    if unknown:
        problems.append(f"unknown keys {sorted(unknown)}")
    if "q" in entry and not isinstance(entry["q"], str):
        problems.append("q must be a string")
    if "q_repeat" in entry:
        repeat = entry["q_repeat"]
        if not isinstance(repeat, dict) or not {"text", "times"} <= set(repeat):
            problems.append("q_repeat needs text and times")
        elif set(repeat) - REPEAT_KEYS:
            problems.append(f"q_repeat has unknown keys {sorted(set(repeat) - REPEAT_KEYS)}")
        elif not isinstance(repeat["times"], int) or repeat["times"] < 1:
            problems.append("q_repeat.times must be a positive integer")
    if not isinstance(entry.get("answered"), bool):
        problems.append("answered must be true or false")
    for key in ("lang", "reply_lang"):
        if key in entry and entry[key] not in LANGUAGES:
            problems.append(f"{key} must be one of {sorted(LANGUAGES)}")
    if not isinstance(entry.get("tag"), str) or not entry.get("tag"):
        problems.append("tag must be a non-empty string")
    intent = entry.get("intent")
    if intent is not None:
        if intent not in INTENTS:
            problems.append(f"unknown intent {intent!r}")
        elif intent in DECLINING_INTENTS and entry.get("answered") is not False:
            problems.append(f"intent {intent} declines, so answered must be false")
    for key in ("contains", "not_contains", "suggestions_contain"):
        items = entry.get(key, [])
        if not isinstance(items, list):
            problems.append(f"{key} must be a list")
            continue
        for item in items:
            alternatives = item if isinstance(item, list) else [item]
            if key != "contains" and isinstance(item, list):
                problems.append(f"{key} items must be strings (alternatives only in contains)")
            if not alternatives or not all(isinstance(a, str) and a for a in alternatives):
                problems.append(f"{key} has an empty or non-string item: {item!r}")
    return problems


@pytest.mark.parametrize("devset", DEVSETS, ids=lambda d: d.name)
def test_devset_is_well_formed(devset):
    """The set has enough questions, every intent, and entries of the documented shape."""
    entries = load_devset(devset.path)
    assert isinstance(entries, list)
    assert len(entries) >= MIN_QUESTIONS, f"only {len(entries)} questions"

    problems = [
        f"#{index} {label(entry)}: {problem}"
        for index, entry in enumerate(entries)
        if isinstance(entry, dict)
        for problem in entry_problems(entry)
    ]
    problems += [f"#{i} is not a mapping" for i, e in enumerate(entries) if not isinstance(e, dict)]
    assert not problems, "\n".join(problems)

    covered = {entry["intent"] for entry in entries if "intent" in entry}
    if devset.every_intent:
        assert covered == INTENTS, f"intents with no question: {sorted(INTENTS - covered)}"

    seen = collections.Counter((question_text(entry), entry.get("lang")) for entry in entries)
    duplicates = [question for question, count in seen.items() if count > 1]
    assert not duplicates, f"duplicate questions: {duplicates}"


def test_intents_match_the_answer_type():
    """The intent names used here are exactly the engine's Intent values."""
    from bot.engine.answer import Intent

    assert {intent.value for intent in Intent} == INTENTS


# --------------------------------------------------------------------------- pass rate


@pytest.fixture(scope="module")
def app():
    """The application pipeline over the shipped knowledge (language chosen as for a user);
    an import error here is a failure, not a skip."""
    from bot.app import Application
    from tests.support import shipped_knowledge

    return Application(shipped_knowledge())


def reply_to(app: Any, entry: Mapping[str, Any], conversation: object = None) -> Any:
    """The entry's question answered through the pipeline, in words."""
    from bot.app import Request

    request = Request(
        "ask", question_text(entry), lang=entry.get("lang"), conversation=conversation
    )
    return app.handle(request).reply


def checks(
    app: Any, entry: Mapping[str, Any], number: int
) -> list[tuple[Mapping[str, Any], Any, str, list[str]]]:
    """(question, reply, its text, what it misses) for an entry, or for each turn of a
    conversation asked in order in a conversation of its own."""
    from bot.render.plain import render_plain

    turns = entry.get("turns", [entry])
    key = f"devset:{number}" if "turns" in entry else None
    results = []
    for turn in turns:
        try:
            answer = reply_to(app, turn, key)
            text = render_plain(answer)
            misses = check(turn, answer, text)
            followup = turn.get("followup")
            if followup is not None and (answer.answer.followup or "none") != followup:
                misses.append(f"followup={answer.answer.followup}, expected {followup}")
        except Exception as exc:  # the engine must never raise: count it as a failure
            answer, text, misses = None, "", [f"raised {exc.__class__.__name__}: {exc}"]
        results.append((turn, answer, text, misses))
    return results


def check(entry: Mapping[str, Any], answer: Any, text: str) -> list[str]:
    """The ways an answer misses an entry's expectations (empty when it passes)."""
    misses: list[str] = []
    folded = text.casefold()
    if answer.answered is not entry["answered"]:
        misses.append(f"answered={answer.answered}, expected {entry['answered']}")
    intent = getattr(answer.intent, "value", answer.intent)
    if "intent" in entry and intent != entry["intent"]:
        misses.append(f"intent={intent}, expected {entry['intent']}")
    for item in entry.get("contains", []):
        alternatives = _alternatives(item)
        if not any(alt.casefold() in folded for alt in alternatives):
            misses.append(f"missing {' | '.join(alternatives)!r}")
    for item in entry.get("not_contains", []):
        if item.casefold() in folded:
            misses.append(f"must not contain {item!r}")
    if "reply_lang" in entry and answer.lang != entry["reply_lang"]:
        misses.append(f"replied in {answer.lang}, expected {entry['reply_lang']}")
    suggestions = [s.casefold() for s in answer.suggestions]
    for item in entry.get("suggestions_contain", []):
        if not any(item.casefold() in suggestion for suggestion in suggestions):
            misses.append(f"no suggestion contains {item!r} (got {list(answer.suggestions)})")
    return misses


@pytest.mark.parametrize("devset", DEVSETS, ids=lambda d: d.name)
def test_devset_pass_rate(app, devset):
    """At least the set's pass rate of its questions get the expected answer (each turn of
    a conversation counts as one question)."""
    entries = load_devset(devset.path)
    per_tag: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])  # passed, total
    failures: list[str] = []
    results = [
        (entry["tag"], *result)
        for number, entry in enumerate(entries)
        for result in checks(app, entry, number)
    ]
    for tag, entry, answer, text, misses in results:
        tally = per_tag[tag]
        tally[1] += 1
        if not misses:
            tally[0] += 1
            continue
        expected = {k: entry[k] for k in ("answered", "intent", "contains") if k in entry}
        got = (
            f"intent={getattr(answer.intent, 'value', answer.intent)} "
            f"answered={answer.answered} suggestions={list(answer.suggestions)}"
            if answer is not None
            else "no answer"
        )
        failures.append(
            f"[{tag}] {label(entry)}\n"
            f"    expected: {expected}\n"
            f"    problems: {'; '.join(misses)}\n"
            f"    got: {got}\n"
            f"    text: {text[:300]!r}"
        )

    passed = sum(tally[0] for tally in per_tag.values())
    total = sum(tally[1] for tally in per_tag.values())
    rate = passed / total
    lines = [f"{devset.name}: {passed}/{total} passed ({rate:.1%})", "per tag:"]
    lines += [
        f"  {tag:<14} {ok:>3}/{n:<3} {ok / n:6.1%}" for tag, (ok, n) in sorted(per_tag.items())
    ]
    if failures:
        lines += ["failures:", *failures]
    report = "\n".join(lines)
    print(report)
    assert rate >= devset.pass_rate, report


def test_every_followup_rule_is_in_the_devset_in_english_and_japanese():
    """Each follow-up rule, and a fresh question in a conversation, has a dev-set turn in
    each language."""
    from bot.engine.followup import RULE_NAMES
    from bot.i18n.language import script_language

    assert set(RULE_NAMES) == FOLLOWUP_RULES
    covered = {
        (turn["followup"], script_language(turn["q"]) or "en")
        for entry in load_devset()
        for turn in entry.get("turns", [])
        if "followup" in turn
    }
    wanted = {(rule, lang) for rule in (*FOLLOWUP_RULES, "none") for lang in LANGUAGES}
    assert wanted <= covered, f"missing: {sorted(wanted - covered)}"
