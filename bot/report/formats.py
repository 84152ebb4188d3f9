"""The report as text (a terminal, or a Discord code block), Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from bot.report.build import Breakdown, DisputedAnswer, QuestionGroup, Report
from bot.storage.questionlog import LOW_CONFIDENCE

FORMATS = ("text", "markdown", "csv", "json")
NEXT_STEPS = (
    "Next: add the missing phrasings (knowledge/faq.yaml) or aliases (knowledge/clusters.yaml), "
    "run `python -m bot check`, then /reload."
)
NO_TEXTS = (
    "Question texts are left out: the log spans every server the bot is in (set "
    "QUESTION_LOG_GUILD=true for per-server reports, or ask one of the bot's owners)."
)


def when(seconds: float, *, date_only: bool = False) -> str:
    moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return moment.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M UTC")


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _days(report: Report) -> str:
    days = (report.until - report.since) / 86_400
    return f"{days:.0f} days" if days >= 1.5 else f"{days * 24:.0f} hours"


def headline(report: Report) -> list[str]:
    return [
        f"kcbot report: {when(report.since)} to {when(report.until)} ({_days(report)}), "
        f"{report.scope}",
        f"{_count(report.answers, 'answer')}: {report.answered:,} answered "
        f"({_rate(report.answered, report.answers)}), {report.declined:,} declined; "
        f"{report.low_confidence:,} answered with low confidence.",
        f"Feedback: {report.votes_up:,} 👍, {report.votes_down:,} 👎.",
    ]


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _quoted(texts: tuple[str, ...]) -> str:
    return ", ".join(f"“{t}”" for t in texts)


def _section_title(kind: str, shown: int, total: int) -> str:
    title = {
        "unanswered": "Questions the bot could not answer",
        "unsure": f"Answered, but with low confidence (below {LOW_CONFIDENCE:.2f})",
    }[kind]
    if total > shown:
        return f"{title}: {total} groups, the {shown} most asked"
    return f"{title}: {total} group{'s' if total != 1 else ''}"


# ------------------------------------------------------------------------------- text


def _text_groups(groups: tuple[QuestionGroup, ...], verb: str) -> list[str]:
    lines = []
    for group in groups:
        lines.append(f"  {group.count:>4}×  {group.text}")
        if group.examples:
            lines.append(f"         also asked as: {_quoted(group.examples)}")
        lines.append(
            f"         {verb}: {'; '.join(group.answered_as)} · last asked "
            f"{when(group.last_seen, date_only=True)}"
        )
    return lines or ["  (none)"]


def _text_disputed(rows: tuple[DisputedAnswer, ...]) -> list[str]:
    lines = []
    for row in rows:
        label = row.entry.label if row.entry else "(answers no longer in the log)"
        lines.append(f"  {row.down:>4} 👎 {row.up:>4} 👍  {label}")
        if row.questions:
            lines.append(f"              asked as: {_quoted(row.questions)}")
    return lines or ["  (no 👎 in this period)"]


def _tables(report: Report) -> list[str]:
    """The three breakdowns as aligned tables, one column width for all of them."""
    tables = _breakdowns(report)
    width = max(len(f"by {title}") for title, _ in tables)
    width = max([width, *(len(r.key) for _, rows in tables for r in rows)]) + 2
    lines: list[str] = []
    for title, rows in tables:
        lines += [
            "",
            f"  {'by ' + title:<{width}}{'answers':>9}{'answered':>10}{'p50 ms':>9}{'p95 ms':>9}",
        ]
        for row in rows:
            lines.append(
                f"  {row.key:<{width}}{row.answers:>9,}{_rate(row.answered, row.answers):>10}"
                f"{row.p50_ms:>9.1f}{row.p95_ms:>9.1f}"
            )
    return lines


def _breakdowns(report: Report) -> tuple[tuple[str, tuple[Breakdown, ...]], ...]:
    return (("route", report.by_route), ("rule", report.by_rule), ("language", report.by_language))


def render_text(report: Report) -> str:
    lines = [*headline(report), ""]
    if report.texts_shown:
        lines += [_section_title("unanswered", len(report.unanswered), report.unanswered_groups)]
        lines += _text_groups(report.unanswered, "declined as")
        lines += ["", _section_title("unsure", len(report.unsure), report.unsure_groups)]
        lines += _text_groups(report.unsure, "answered as")
    else:
        lines += [NO_TEXTS]
    lines += ["", "Answers with the most 👎", *_text_disputed(report.disputed)]
    lines += ["", "Answered rate and latency", *_tables(report)]
    lines += ["", NEXT_STEPS]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- markdown


def _md(text: str) -> str:
    """A question shown literally in Markdown: no formatting, links or table breaks."""
    escaped = "".join(f"\\{ch}" if ch in "\\`*_{}[]<>()#+-.!|~" else ch for ch in text)
    return escaped.replace("\n", " ")


def _md_groups(groups: tuple[QuestionGroup, ...], verb: str) -> list[str]:
    lines = []
    for number, group in enumerate(groups, 1):
        lines.append(f"{number}. **{group.count}×** {_md(group.text)}  ")
        if group.examples:
            lines.append(f"   also asked as: {_md(_quoted(group.examples))}  ")
        lines.append(
            f"   {verb}: `{'`; `'.join(group.answered_as)}` · last asked "
            f"{when(group.last_seen, date_only=True)}"
        )
    return lines or ["(none)"]


def _md_table(title: str, rows: tuple[Breakdown, ...]) -> list[str]:
    lines = [f"| {title} | answers | answered | p50 ms | p95 ms |", "|---|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(
            f"| `{row.key}` | {row.answers:,} | {_rate(row.answered, row.answers)} | "
            f"{row.p50_ms:.1f} | {row.p95_ms:.1f} |"
        )
    return lines


def render_markdown(report: Report) -> str:
    first, *rest = headline(report)
    lines = [f"# {first}", "", *rest, ""]
    if report.texts_shown:
        title = _section_title("unanswered", len(report.unanswered), report.unanswered_groups)
        lines += [f"## {title}", "", *_md_groups(report.unanswered, "declined as"), ""]
        title = _section_title("unsure", len(report.unsure), report.unsure_groups)
        lines += [f"## {title}", "", *_md_groups(report.unsure, "answered as"), ""]
    else:
        lines += [f"_{NO_TEXTS}_", ""]
    lines += ["## Answers with the most 👎", ""]
    if report.disputed:
        lines += ["| 👎 | 👍 | answer | asked as |", "|---:|---:|---|---|"]
        for row in report.disputed:
            label = f"`{row.entry.label}`" if row.entry else "(no longer in the log)"
            lines.append(f"| {row.down} | {row.up} | {label} | {_md(_quoted(row.questions))} |")
    else:
        lines.append("(no 👎 in this period)")
    lines += ["", "## Answered rate and latency", ""]
    for title, rows in _breakdowns(report):
        lines += [*_md_table(title, rows), ""]
    lines.append(NEXT_STEPS)
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------- csv, json

CSV_COLUMNS = (
    "section",
    "item",
    "count",
    "answered_rate",
    "p50_ms",
    "p95_ms",
    "down",
    "up",
    "details",
)


# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...) sends
# data away, @SUM(...) runs, a tab or carriage return can hide one behind it): questions are
# stored as typed, so any Discord user could plant one for the editors.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """OWASP's advice against CSV injection: a text cell that starts like a formula gets a
    leading apostrophe, so the spreadsheet shows it as text (every cell is also quoted, so
    a separator or quote inside one cannot start a new cell)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class _NeutralisedWriter:
    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Sequence[object]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])


def render_csv(report: Report) -> str:
    """One table for a spreadsheet: a `section` column says which part a row belongs to.
    No cell can run as a formula (`neutralise`)."""
    out = io.StringIO()
    writer = _NeutralisedWriter(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerow(
        [
            "summary",
            "answers",
            report.answers,
            f"{report.answered / report.answers:.4f}" if report.answers else "",
            "",
            "",
            report.votes_down,
            report.votes_up,
            f"{when(report.since)} to {when(report.until)}, {report.scope}",
        ]
    )
    for section, groups in (("unanswered", report.unanswered), ("low_confidence", report.unsure)):
        for group in groups:
            writer.writerow(
                [
                    section,
                    group.text,
                    group.count,
                    "",
                    "",
                    "",
                    "",
                    "",
                    " | ".join((*group.examples, *group.answered_as)),
                ]
            )
    for row in report.disputed:
        writer.writerow(
            [
                "thumbs_down",
                row.entry.label if row.entry else "",
                row.down + row.up,
                "",
                "",
                "",
                row.down,
                row.up,
                " | ".join(row.questions),
            ]
        )
    for section, rows in _breakdowns(report):
        for b in rows:
            writer.writerow(
                [
                    section,
                    b.key,
                    b.answers,
                    f"{b.answered_rate:.4f}",
                    f"{b.p50_ms:.2f}",
                    f"{b.p95_ms:.2f}",
                    "",
                    "",
                    "",
                ]
            )
    return out.getvalue()


def render_json(report: Report) -> str:
    data = dataclasses.asdict(report)
    data["since"], data["until"] = when(report.since), when(report.until)
    for section in ("unanswered", "unsure"):
        for group in data[section]:
            group["last_seen"] = when(group["last_seen"])
    data["declined"] = report.declined
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "csv": render_csv,
    "json": render_json,
}


def render(report: Report, fmt: str = "text") -> str:
    return RENDERERS[fmt](report)
