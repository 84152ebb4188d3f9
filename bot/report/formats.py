"""The report as text (a terminal, or a Discord code block), Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from bot.report.build import Breakdown, DisputedAnswer, QuestionGroup, Report
from bot.report.entries import Entry
from bot.report.mistakes import Example, RephrasedGroup, Rephrasing, UnreadGroup
from bot.storage.questionlog import LOW_CONFIDENCE

FORMATS = ("text", "markdown", "csv", "json")
NEXT_STEPS = (
    "Next: add the missing phrasings (knowledge/faq.yaml), aliases (knowledge/clusters.yaml) "
    "or words (knowledge/lexicon.yaml), run `python -m bot check`, then /reload "
    '(docs/knowledge-base.md, "What people asked and did not get").'
)
REPHRASED_RULE = (
    "the same person's next question on the same subject, within QUESTION_LOG_RETRY_SECONDS "
    "(60 by default) of the answer; grouped by the first question's answer"
)
OFFERED_RULE = "not given: the reply named the words and offered the rest as read"
GIVEN_RULE = "given: only the answering entry's own text held these words"
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
        f"Possible mistakes: {_count(report.answers_down, 'answer')} with 👎, "
        f"{_count(report.rephrased, 'question')} asked again at once, "
        f"{_count(report.given_unread, 'answer')} given despite unread words, "
        f"{_count(report.offered, 'offer')} for unread words.",
    ]


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _quoted(texts: tuple[str, ...]) -> str:
    return ", ".join(f"“{t}”" for t in texts)


def _section_title(kind: str, shown: int, total: int) -> str:
    title = {
        "unanswered": "Questions the bot could not answer",
        "unsure": f"Answered, but with low confidence (below {LOW_CONFIDENCE:.2f})",
        "offered": "Offered instead of answered",
        "given": "Answered despite unread words",
    }[kind]
    if total > shown:
        return f"{title}: {total} groups, the {shown} most asked"
    return f"{title}: {total} group{'s' if total != 1 else ''}"


def _rephrased_title(report: Report) -> str:
    title = f"Asked again right after the answer: {_count(report.rephrased, 'question')}"
    shown, total = len(report.rephrasings), report.rephrased_groups
    if total > shown:
        return f"{title} in {total} groups, the {shown} largest"
    return f"{title} in {total} group{'s' if total != 1 else ''}"


def _words_title(report: Report) -> str:
    return (
        f"Words the bot could not read: {_count(report.offered, 'offer')}, "
        f"{_count(report.given_unread, 'answer')} given"
    )


def _said(text: str) -> str:
    return f"“{text}”"


def _as_is(text: str) -> str:
    return text


def _pair(
    pair: Rephrasing, said: Callable[[str], str] = _said, code: Callable[[str], str] = _as_is
) -> str:
    """Both questions and the seconds between them; `said` shows a question, `code` a
    label (each format its own way)."""
    later = f"{pair.seconds:.0f} s later"
    answer = code(pair.second_answer.label)
    if pair.first is None or pair.second is None:
        return f"{later}, answered as {answer}"
    return f"{said(pair.first)} → {later} {said(pair.second)} ({answer})"


def _example(
    example: Example, said: Callable[[str], str] = _said, code: Callable[[str], str] = _as_is
) -> str:
    reading = f"read as {code(example.query)}" if example.query else "(no reading kept)"
    return f"{said(example.question)} {reading}" if example.question else reading


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
        lines += [f"              read as: {query}" for query in row.queries]
    return lines or ["  (no 👎 in this period)"]


def _text_rephrased(groups: tuple[RephrasedGroup, ...]) -> list[str]:
    lines = []
    for group in groups:
        lines.append(f"  {group.count:>4}×  {group.entry.label}")
        lines += [f"         read as: {query}" for query in group.queries]
        lines += [f"         {_pair(pair)}" for pair in group.pairs]
    return lines or ["  (none)"]


def _text_unread(groups: tuple[UnreadGroup, ...]) -> list[str]:
    lines = []
    for group in groups:
        lines.append(f"  {group.count:>4}×  {group.entry.label}")
        if group.words:
            lines.append(f"         words: {', '.join(group.words)}")
        lines += [f"         {_example(example)}" for example in group.examples]
    return lines or ["  (none)"]


def _text_words(report: Report) -> list[str]:
    lines = [_words_title(report)]
    if report.unread_words:
        width = max(12, *(len(w.word) for w in report.unread_words)) + 2
        lines.append(f"  {'word':<{width}}{'offered':>8}{'given':>8}")
        lines += [f"  {w.word:<{width}}{w.offered:>8,}{w.given:>8,}" for w in report.unread_words]
    lines += ["", _section_title("offered", len(report.offers), report.offer_groups)]
    lines += [f"  ({OFFERED_RULE})", *_text_unread(report.offers)]
    lines += ["", _section_title("given", len(report.given), report.given_groups)]
    lines += [f"  ({GIVEN_RULE})", *_text_unread(report.given)]
    return lines


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
    """The likely mistakes first (👎, asked again, unread words), then what was declined."""
    lines = [*headline(report), ""]
    if not report.texts_shown:
        lines += [NO_TEXTS, ""]
    lines += ["Answers with the most 👎", *_text_disputed(report.disputed)]
    title = _rephrased_title(report)
    lines += ["", title, f"  ({REPHRASED_RULE})", *_text_rephrased(report.rephrasings)]
    lines += ["", *_text_words(report)]
    if report.texts_shown:
        title = _section_title("unanswered", len(report.unanswered), report.unanswered_groups)
        lines += ["", title, *_text_groups(report.unanswered, "declined as")]
        lines += ["", _section_title("unsure", len(report.unsure), report.unsure_groups)]
        lines += _text_groups(report.unsure, "answered as")
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


def _md_code(text: str) -> str:
    """A reading or label as inline code (a backtick inside cannot end it early)."""
    return f"`{text.replace('`', 'ʼ')}`"


def _md_said(text: str) -> str:
    return _md(_said(text))


def _md_pair(pair: Rephrasing) -> str:
    return _pair(pair, _md_said, _md_code)


def _md_example(example: Example) -> str:
    return _example(example, _md_said, _md_code)


def _md_rephrased(groups: tuple[RephrasedGroup, ...]) -> list[str]:
    lines = []
    for number, group in enumerate(groups, 1):
        lines.append(f"{number}. **{group.count}×** {_md_code(group.entry.label)}  ")
        lines += [f"   read as: {_md_code(query)}  " for query in group.queries]
        lines += [f"   - {_md_pair(pair)}" for pair in group.pairs]
    return lines or ["(none)"]


def _md_unread(groups: tuple[UnreadGroup, ...]) -> list[str]:
    lines = []
    for number, group in enumerate(groups, 1):
        lines.append(f"{number}. **{group.count}×** {_md_code(group.entry.label)}  ")
        if group.words:
            lines.append(f"   words: {_md(', '.join(group.words))}  ")
        lines += [f"   - {_md_example(example)}" for example in group.examples]
    return lines or ["(none)"]


def _md_words(report: Report) -> list[str]:
    lines = [f"## {_words_title(report)}", ""]
    if report.unread_words:
        lines += ["| word | offered | given |", "|---|---:|---:|"]
        lines += [f"| {_md(w.word)} | {w.offered} | {w.given} |" for w in report.unread_words]
        lines.append("")
    title = _section_title("offered", len(report.offers), report.offer_groups)
    lines += [f"### {title}", "", f"_{OFFERED_RULE}_", "", *_md_unread(report.offers), ""]
    title = _section_title("given", len(report.given), report.given_groups)
    lines += [f"### {title}", "", f"_{GIVEN_RULE}_", "", *_md_unread(report.given), ""]
    return lines


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
    if not report.texts_shown:
        lines += [f"_{NO_TEXTS}_", ""]
    lines += ["## Answers with the most 👎", ""]
    if report.disputed:
        lines += ["| 👎 | 👍 | answer | asked as | read as |", "|---:|---:|---|---|---|"]
        for row in report.disputed:
            label = _md_code(row.entry.label) if row.entry else "(no longer in the log)"
            readings = "<br>".join(_md_code(q).replace("|", "\\|") for q in row.queries)
            lines.append(
                f"| {row.down} | {row.up} | {label} | {_md(_quoted(row.questions))} | {readings} |"
            )
    else:
        lines.append("(no 👎 in this period)")
    lines += ["", f"## {_rephrased_title(report)}", "", f"_{REPHRASED_RULE}_", ""]
    lines += [*_md_rephrased(report.rephrasings), "", *_md_words(report)]
    if report.texts_shown:
        title = _section_title("unanswered", len(report.unanswered), report.unanswered_groups)
        lines += [f"## {title}", "", *_md_groups(report.unanswered, "declined as"), ""]
        title = _section_title("unsure", len(report.unsure), report.unsure_groups)
        lines += [f"## {title}", "", *_md_groups(report.unsure, "answered as"), ""]
    lines += ["## Answered rate and latency", ""]
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
                " | ".join((*row.questions, *row.queries)),
            ]
        )
    for group in report.rephrasings:
        pairs = [_pair(pair) for pair in group.pairs]
        writer.writerow(
            [
                "rephrased",
                group.entry.label,
                group.count,
                *[""] * 5,
                " | ".join((*group.queries, *pairs)),
            ]
        )
    for w in report.unread_words:
        writer.writerow(
            ["unread_word", w.word, w.total, *[""] * 5, f"offered {w.offered}, given {w.given}"]
        )
    for section, unread in (("offered", report.offers), ("given_unread", report.given)):
        for group in unread:
            details = (*group.words, *(_example(e) for e in group.examples))
            writer.writerow(
                [section, group.entry.label, group.count, *[""] * 5, " | ".join(details)]
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


def _reading(stored: str | None) -> object:
    """A stored reading as JSON itself, not a string holding JSON."""
    if stored is None:
        return None
    try:
        return json.loads(stored)
    except ValueError:
        return stored


def _json_ready(value: object, name: str = "") -> object:
    """The report's data as JSON values: entries with their label, times as UTC text,
    readings as objects."""
    if name in ("since", "until", "last_seen") and isinstance(value, float):
        return when(value)
    if name == "query":
        return _reading(value)  # type: ignore[arg-type]
    if name == "queries":
        return [_reading(v) for v in value]  # type: ignore[union-attr]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {
            f.name: _json_ready(getattr(value, f.name), f.name) for f in dataclasses.fields(value)
        }
        if isinstance(value, Entry):
            data["label"] = value.label
        return data
    if isinstance(value, tuple):
        return [_json_ready(v) for v in value]
    return value


def render_json(report: Report) -> str:
    data = _json_ready(report)
    assert isinstance(data, dict)
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
