"""Arithmetic over the knowledge base's figures (bot/engine/evaluation/arithmetic.py and the
budget arithmetic of bot/engine/facts/programme.py): every number an answer states equals
what this file computes itself from knowledge/clusters.yaml and knowledge/programme.yaml,
read with PyYAML, not through the engine. A copy of the base with other figures gives other
results, so the numbers come from the data.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from bot.engine.answer import Ref
from bot.engine.core import build_engine
from tests.kb_copies import edit
from tests.support import shipped_knowledge

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


@functools.cache
def _yaml(name: str):
    return yaml.safe_load((KNOWLEDGE / name).read_text(encoding="utf-8"))


def clusters() -> list[dict]:
    return _yaml("clusters.yaml")["clusters"]


def stage_started(stage: str) -> int:
    return next(s["started"] for s in _yaml("clusters.yaml")["stages"] if s["id"] == stage)


def figure(kind: str, year: int | None = None) -> int:
    return next(
        f["amount"]
        for f in _yaml("programme.yaml")["figures"]
        if f["kind"] == kind and (year is None or f.get("year") == year)
    )


def ask(question: str, engine=None):
    return (engine or shipped_knowledge().engine).ask(question)


def derived(answer, message_id: str) -> dict:
    """The parameters of the answer's message `message_id` (the computation shown)."""
    (found,) = [m for m in answer.summary if m.id == message_id]
    return found.kwargs


# ---------------------------------------------------------------------------- share

SHARES = [
    ("what percentage of clusters work on IT", lambda c: "it" in c["fields"]),
    ("what share of the clusters have ended?", lambda c: c["status"] == "ended"),
    ("終了したクラスターの割合は？", lambda c: c["status"] == "ended"),
    ("what proportion of the clusters are in the second stage", lambda c: c["stage"] == "second"),
    (
        "what percentage of clusters work on IT and environment",
        lambda c: {"it", "environment"} <= set(c["fields"]),
    ),
    (
        "what percentage of clusters work only on life sciences",
        lambda c: c["fields"] == ["life-sciences"],
    ),
    (
        "what percentage of clusters do not work on life sciences",
        lambda c: "life-sciences" not in c["fields"],
    ),
]


@pytest.mark.parametrize(("question", "wanted"), SHARES, ids=[s[0] for s in SHARES])
def test_a_share_of_the_clusters(question, wanted):
    part = [c["id"] for c in clusters() if wanted(c)]
    answer = ask(question)
    assert answer.rule == "share"
    assert answer.answered
    shown = derived(answer, "derived.share")
    assert (shown["count"], shown["total"], shown["percent"]) == (
        len(part),
        len(clusters()),
        round(100 * len(part) / len(clusters())),
    )
    assert shown["whole"].id == "derived.share.all"  # of every cluster
    assert set(answer.matches) == set(part)


@pytest.mark.parametrize(
    ("question", "whole", "part"),
    [
        (
            "what percentage of the first stage clusters are still active",
            lambda c: c["stage"] == "first",
            lambda c: c["status"] == "active",
        ),
        (
            "what share of the IT clusters have ended?",
            lambda c: "it" in c["fields"],
            lambda c: c["status"] == "ended",
        ),
    ],
    ids=["first stage still active", "IT clusters ended"],
)
def test_a_share_of_a_named_whole(question, whole, part):
    within = [c for c in clusters() if whole(c)]
    count = len([c for c in within if part(c)])
    shown = derived(ask(question), "derived.share")
    assert (shown["count"], shown["total"]) == (count, len(within))


# ----------------------------------------------------------------------- difference

DIFFERENCES = [
    (
        "how many more clusters were in the first stage than in the second?",
        ("stage", "first", lambda c: c["stage"] == "first"),
        ("stage", "second", lambda c: c["stage"] == "second"),
    ),
    (
        "how many fewer clusters were in the second stage than in the first?",
        ("stage", "second", lambda c: c["stage"] == "second"),
        ("stage", "first", lambda c: c["stage"] == "first"),
    ),
    (
        "how many more clusters work on life sciences than on IT?",
        ("field", "life-sciences", lambda c: "life-sciences" in c["fields"]),
        ("field", "it", lambda c: "it" in c["fields"]),
    ),
    (
        "第1期と第2期の差は？",
        ("stage", "first", lambda c: c["stage"] == "first"),
        ("stage", "second", lambda c: c["stage"] == "second"),
    ),
]


@pytest.mark.parametrize(
    ("question", "first", "second"), DIFFERENCES, ids=[d[0] for d in DIFFERENCES]
)
def test_the_difference_between_two_groups(question, first, second):
    (first_kind, first_id, in_first), (second_kind, second_id, in_second) = first, second
    first_count = sum(1 for c in clusters() if in_first(c))
    second_count = sum(1 for c in clusters() if in_second(c))
    more = (first_kind, first_id) if first_count >= second_count else (second_kind, second_id)
    answer = ask(question)
    assert answer.rule == "difference"
    assert answer.answered
    assert derived(answer, "derived.difference") == {
        "first": Ref(first_kind, first_id),
        "first_count": first_count,
        "second": Ref(second_kind, second_id),
        "second_count": second_count,
        "difference": abs(first_count - second_count),
        "more": Ref(*more),
    }


# ------------------------------------------------------------------------ stage gap

STAGE_GAPS = [
    "how many years between the first and second stage",
    "how long after the first stage did the second start?",
    "how many years between the stages?",
    "第2期は第1期の何年後に始まった？",
]


@pytest.mark.parametrize("question", STAGE_GAPS)
def test_the_years_between_the_stages(question):
    answer = ask(question)
    assert answer.rule == "stage_gap"
    assert answer.answered
    assert derived(answer, "derived.years_between") == {
        "first": Ref("stage", "first"),
        "second": Ref("stage", "second"),
        "years": stage_started("second") - stage_started("first"),
    }
    started = {
        m.kwargs["stage"].id: m.kwargs["year"] for m in answer.summary if m.id == "stage.started"
    }
    assert started == {"first": stage_started("first"), "second": stage_started("second")}


# ------------------------------------------------------------------- programme span

SPANS = [
    "how long did the knowledge cluster initiative run",
    "how long did the programme run for?",
    "事業は何年続いた？",
]


@pytest.mark.parametrize("question", SPANS)
def test_how_long_the_programme_ran(question):
    programme = _yaml("programme.yaml")
    start = programme["started"]["year"]
    end = programme["successor"]["from_fiscal_year"]
    answer = ask(question)
    assert answer.rule == "programme_span"
    assert answer.answered
    assert derived(answer, "derived.span") == {"start": start, "end": end, "years": end - start}


# ----------------------------------------------------------------- budget arithmetic


@pytest.mark.parametrize(
    "question",
    [
        "how much did the budget increase from 2003 to 2004?",
        "2003年度から2004年度で予算はいくら増えた？",
    ],
)
def test_the_change_of_the_budget(question):
    old, new = figure("budget", 2003), figure("budget", 2004)
    answer = ask(question)
    assert answer.answered
    shown = derived(answer, "derived.change")
    assert (shown["old_year"], shown["new_year"]) == (2003, 2004)
    assert shown["difference"] == abs(new - old)
    assert shown["percent"] == round(100 * abs(new - old) / old)
    assert shown["direction"].id == ("direction.up" if new >= old else "direction.down")


def test_what_a_region_gets_over_the_project():
    yearly, years = figure("per_region_per_year"), figure("project_years")
    answer = ask("how much would a region get in total over the five years?")
    assert answer.answered
    assert derived(answer, "derived.total.roughly") == {
        "amount": yearly,
        "years": years,
        "total": yearly * years,
    }


def test_how_many_regions_a_budget_funds():
    budget, yearly = figure("budget", 2004), figure("per_region_per_year")
    answer = ask("how many regions could the 2004 budget fund?")
    assert answer.answered
    shown = derived(answer, "derived.quotient")
    assert (shown["year"], shown["budget"], shown["amount"]) == (2004, budget, yearly)
    assert shown["count"] == budget // yearly


@pytest.mark.xfail(
    strict=True,
    reason="finding: plain arithmetic questions are offered, not answered, for a word the "
    "lexicon lacks: 'last' (how long did it last), Japanese 多い, 支援, 離れ, and 間 of 5年間 "
    "and の間 (the cues are より何件, 何年後, 1地域あたり, ...), so the share of questions the "
    "arithmetic rules reach is smaller in Japanese than in English",
)
@pytest.mark.parametrize(
    "question",
    [
        "how many years did the program last?",
        "第1期は第2期より何件多い？",
        "第1期と第2期の間は何年？",
        "第1期と第2期の開始は何年離れている？",
        "1地域あたり5年間で合計いくら？",
        "2004年度の予算で何地域を支援できる？",
    ],
)
def test_arithmetic_questions_are_read_whole(question):
    answer = ask(question)
    assert answer.answered, answer.rule


# ---------------------------------------------------------- the figures are the data's


def test_other_figures_give_other_results(kb_copy):
    """A base whose Second Stage starts in 2008 and whose 2003 budget is 7.2 billion yen
    answers with 6 years and a change of 1.8 billion: nothing is computed from constants."""
    edit(kb_copy, "clusters.yaml", "started: 2007", "started: 2008")
    edit(kb_copy, "programme.yaml", "amount: 6900000000", "amount: 7200000000")
    engine = build_engine(kb_copy)
    gap = derived(
        ask("how many years between the first and second stage", engine), "derived.years_between"
    )
    assert gap["years"] == 2008 - stage_started("first")
    change = derived(
        ask("how much did the budget increase from 2003 to 2004?", engine), "derived.change"
    )
    assert change["difference"] == figure("budget", 2004) - 7_200_000_000
