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
    (
        "第1期は第2期より何件多い？",
        ("stage", "first", lambda c: c["stage"] == "first"),
        ("stage", "second", lambda c: c["stage"] == "second"),
    ),
    (
        "第2期は第1期より何件少ない？",
        ("stage", "second", lambda c: c["stage"] == "second"),
        ("stage", "first", lambda c: c["stage"] == "first"),
    ),
    (
        "第Ⅰ期と第Ⅱ期でクラスターはいくつ違う？",
        ("stage", "first", lambda c: c["stage"] == "first"),
        ("stage", "second", lambda c: c["stage"] == "second"),
    ),
    (
        # the last stage is the Second Stage (a synonym in clusters.yaml)
        "how many fewer clusters did the last stage have than the first?",
        ("stage", "second", lambda c: c["stage"] == "second"),
        ("stage", "first", lambda c: c["stage"] == "first"),
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
        # the subtraction shown reads larger − smaller, whichever was named first
        "larger": max(first_count, second_count),
        "smaller": min(first_count, second_count),
    }


# ------------------------------------------------------------------------ stage gap

STAGE_GAPS = [
    "how many years between the first and second stage",
    "how long after the first stage did the second start?",
    "how many years between the stages?",
    "第2期は第1期の何年後に始まった？",
    "how many years apart are the first and second stages?",
    "第1期と第2期の間は何年？",
    "第1期と第2期の開始は何年離れている？",
    "how many years between the first and the last stage",
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
    "how many years did the program last?",
    "how long did it last?",
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


@pytest.mark.parametrize(
    "question",
    [
        "how long does each regional project last?",
        "how many years does a regional project run",
        "各地域の事業の期間はどれくらいですか？",
        "事業期間は何年ですか",
        "何年間支援されますか",
        "how many years does each project run?",
        "各プロジェクトは何年間？",
        "how long will the clusters be supported?",
    ],
)
def test_how_long_a_regional_project_lasts_is_not_the_programmes_span(question):
    """A region's project (a cluster noun is the subject) lasts the years programme.yaml
    gives per region, not the span of the programme as a whole."""
    answer = ask(question)
    assert answer.answered
    assert derived(answer, "figure.per_region.roughly") == {
        "amount": figure("per_region_per_year"),
        "years": figure("project_years"),
    }


@pytest.mark.parametrize(
    "question",
    ["what fields does each project work on?", "how many clusters does each project have"],
)
def test_a_regional_project_asked_something_else_is_not_its_figure(question):
    """ "each project" names the regions' projects; asked their fields or their number, the
    reply is not what a region gets a year."""
    answer = ask(question)
    assert "figure.per_region.roughly" not in {m.id for m in answer.summary}


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


@pytest.mark.parametrize(
    "question",
    ["how much would a region get in total over the five years?", "1地域あたり5年間で合計いくら？"],
)
def test_what_a_region_gets_over_the_project(question):
    yearly, years = figure("per_region_per_year"), figure("project_years")
    answer = ask(question)
    assert answer.answered
    assert derived(answer, "derived.total.roughly") == {
        "amount": yearly,
        "years": years,
        "total": yearly * years,
    }


@pytest.mark.parametrize(
    "question",
    ["how many regions could the 2004 budget fund?", "2004年度の予算で何地域を支援できる？"],
)
def test_how_many_regions_a_budget_funds(question):
    budget, yearly = figure("budget", 2004), figure("per_region_per_year")
    answer = ask(question)
    assert answer.answered
    shown = derived(answer, "derived.quotient")
    assert (shown["year"], shown["budget"], shown["amount"]) == (2004, budget, yearly)
    assert shown["count"] == budget // yearly


@pytest.mark.parametrize(
    "question",
    [
        "how many years did the program last?",
        "第1期は第2期より何件多い？",
        "第1期と第2期の間は何年？",
        "第1期と第2期の開始は何年離れている？",
        "1地域あたり5年間で合計いくら？",
        "2004年度の予算で何地域を支援できる？",
        "第1期と第2期で何件違う？",
        "how long will the clusters be supported?",
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


@pytest.mark.parametrize(
    "question",
    ["2003+2004 budget total", "what was the total budget for 2003 and 2004 combined?"],
)
def test_two_years_budgets_added_up(question):
    from tests.support import english, shipped_knowledge

    engine = shipped_knowledge().engine
    programme = engine.kb.programme
    total = sum(programme.figure("budget", y).amount for y in (2003, 2004))
    answer = engine.ask(question)
    assert answer.answered
    assert f"= {total / 1e9:g} billion yen" in english(answer.summary[-1])


def test_two_statuses_compared():
    from tests.support import english, shipped_knowledge

    engine = shipped_knowledge().engine
    kb = engine.kb
    active = sum(c.status == "active" for c in kb.clusters)
    ended = sum(c.status == "ended" for c in kb.clusters)
    answer = engine.ask(
        "were there more active or ended clusters in the 2008 edition, and by how many?"
    )
    assert answer.rule == "difference"
    said = english(answer.summary[0])
    assert f"({max(active, ended)} − {min(active, ended)})" in said


@pytest.mark.parametrize(
    ("question", "amount"),
    [
        ("was the 2004 budget 9b yen?", 9 * 10**9),
        (
            "at ~500M yen per region, how many regions could the 2004 budget have covered?",
            5 * 10**8,
        ),
    ],
)
def test_short_forms_of_amounts_are_read_as_written(question, amount):
    from tests.support import shipped_knowledge

    answer = shipped_knowledge().engine.ask(question)
    assert answer.query.asked.amount == amount
    assert answer.query.unexplained == ()
    assert answer.answered


@pytest.mark.parametrize(
    ("question", "total", "count", "average"),
    [
        ("on average how many of the 4 key fields does a cluster cover?", 35, 24, "1.46"),
        ("average number of fields of the second stage clusters", 10, 6, "1.67"),
        ("平均でいくつの分野を扱っていますか", 35, 24, "1.46"),
    ],
)
def test_the_average_number_of_key_fields_is_computed_and_shown(question, total, count, average):
    answer = shipped_knowledge().engine.ask(question)
    [said] = [m for m in answer.summary if m.id == "derived.average"]
    kwargs = said.kwargs
    assert (kwargs["total"], kwargs["count"], kwargs["average"]) == (total, count, average)


def test_the_years_between_its_start_and_its_fold_are_the_programme_s_span():
    answer = shipped_knowledge().engine.ask(
        "how many years between MEXT starting the initiative and it being folded into the "
        "new programme in fiscal 2010?"
    )
    assert answer.rule == "programme_span"


@pytest.mark.parametrize(
    "question",
    ["what was the average yearly budget across 2003 and 2004?", "2003と2004の予算の平均は？"],
)
def test_the_average_of_two_years_budgets_is_computed_and_shown(question):
    """An average asked of the budget had been answered with the two budgets alone."""
    answer = shipped_knowledge().engine.ask(question)
    [said] = [m for m in answer.summary if m.id == "derived.mean"]
    assert said.kwargs["mean"] == 7_950_000_000


@pytest.mark.parametrize(
    ("question", "count", "share"),
    [
        (
            "if you split the 2004 budget evenly across the 18 first-stage clusters, how much "
            "would each get?",
            18,
            500_000_000,
        ),
        ("on average how much did each of the 24 clusters get in 2004?", 24, 375_000_000),
        ("2004年度の予算を第2期のクラスターで均等に分けるといくら？", 6, 1_500_000_000),
    ],
)
def test_a_year_s_budget_split_over_clusters_is_a_division_said_to_be_one(question, count, share):
    answer = shipped_knowledge().engine.ask(question)
    assert answer.rule == "budget_split"
    [said] = [m for m in answer.summary if m.id == "derived.split"]
    assert (said.kwargs["count"], said.kwargs["share"]) == (count, share)
    assert "figure.per_region.yearly" in [m.id for m in answer.summary]


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("if each of the 6 second-stage regions got the usual amount, what's that total?", 6),
        (
            "if the 13 active clusters each got the per region amount, how much in total per year?",
            13,
        ),
    ],
)
def test_what_a_set_of_clusters_would_get_at_a_region_s_rate_is_shown(question, count):
    answer = shipped_knowledge().engine.ask(question)
    assert answer.rule == "rate_times"
    [said] = [m for m in answer.summary if m.id == "derived.times"]
    assert said.kwargs["count"] == count
    assert said.kwargs["total"] == count * 500_000_000
