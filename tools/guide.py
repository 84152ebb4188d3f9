"""The parts of docs/knowledge-base.md that the knowledge base and the code determine.

    python tools/guide.py           # exit 1 and show what is out of date
    python tools/guide.py --write   # rewrite those parts from the data

Each generated part sits between `<!-- guide:NAME -->` and `<!-- /guide:NAME -->` (invisible
where the guide is rendered): what `check` prints on the shipped base, what it prints on a
copy with the mistakes of `MISTAKES`, and the example catalogue (lines of the English one).
The figures typed in the guide's prose (24 clusters, 47 prefectures, 1 MiB, ...) are tested
against the data by tests/test_guide.py, which also runs this check.
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python tools/guide.py`
    sys.path.insert(0, str(ROOT))

from bot.kb.check import run_check  # noqa: E402
from bot.kb.paths import MESSAGES_DIR, shipped_knowledge_dir  # noqa: E402

GUIDE = ROOT / "docs" / "knowledge-base.md"
SHIPPED_LABEL = "/srv/kcbot/knowledge"  # what the guide shows for the shipped directory
COPY_LABEL = "my-knowledge"
_PART = re.compile(
    r"(<!-- guide:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /guide:(?P=name) -->)", re.S
)


@dataclass(frozen=True)
class Mistake:
    """One mistake made in a copy of the shipped base: `old` becomes `new` in `file`; `check`
    reports it on the line of `at` (in the file as changed), saying `says`. A mistake that
    removes a message has no line of its own: `at` is None, and the report is placed after
    the message before it."""

    what: str  # as the guide lists it
    file: str
    old: str
    new: str
    at: str | None
    says: str


# One of each kind `check` reports, in as many files: all are reported in one run.
MISTAKES = (
    Mistake(
        "a tab in the indentation",
        "faq.yaml",
        "    topic: definition\n",
        "\ttopic: definition\n",
        at="\ttopic: definition",
        says="invalid YAML: a tab in the indentation",
    ),
    Mistake(
        "an unclosed quote",
        "faq.yaml",
        '    question: "How does a Knowledge Cluster work?"\n',
        '    question: "How does a Knowledge Cluster work?\n',
        at="Knowledge Cluster work?\n",
        says="invalid YAML: an unclosed quote",
    ),
    Mistake(
        "an unquoted year",
        "faq.yaml",
        "keywords: [japanese, japanese name, name, called,",
        "keywords: [japanese, japanese name, name, called, 2010,",
        at="called, 2010,",
        says="got the number 2010 (quote it",
    ),
    Mistake(
        "a FAQ entry without its Japanese question",
        "faq.yaml",
        '    question_ja: "知的クラスター創成事業の予算はいくらですか？"\n',
        "",
        at='question: "What is the budget of the Knowledge Cluster Initiative?"',
        says="[budget] no question_ja",
    ),
    Mistake(
        "an alias that spells another place",
        "clusters.yaml",
        "    places: [kanazawa]\n    aliases: []\n",
        "    places: [kanazawa]\n    aliases: [kobe]\n",
        at="aliases: [kobe]",
        says="[kanazawa-first] alias 'kobe' collides with place 'kobe'",
    ),
    Mistake(
        "an unknown field",
        "clusters.yaml",
        "    status: ended\n    fields: [it, life-sciences]\n    places: [hamamatsu]\n",
        "    status: ended\n    fields: [it, bio]\n    places: [hamamatsu]\n",
        at="fields: [it, bio]",
        says="[hamamatsu-first] fields: unknown field 'bio'",
    ),
    Mistake(
        "a misspelt key",
        "clusters.yaml",
        "    page: 46\n",
        "    pgae: 46\n",
        at="pgae: 46",
        says="[kobe-first] unknown key 'pgae'",
    ),
    Mistake(
        "a phrase under two intents",
        "intents.yaml",
        "    [map, maps, on a map,",
        "    [map, maps, located, on a map,",
        at="maps, located,",
        says="[map] phrase 'located' is also a phrase of intent 'location'",
    ),
    Mistake(
        "an organization dated by itself",
        "organizations.yaml",
        '    tel: "03-5253-4111 (extension 3892)"\n',
        '    tel: "03-5253-4111 (extension 3892)"\n    as_of: "2010"\n',
        at='as_of: "2010"',
        says="[mext-office] as_of: an organization is not dated itself",
    ),
    Mistake(
        "a colon inside an unquoted message",
        f"{MESSAGES_DIR}/en.yaml",
        '  ui.no_answer: "I have no answer to that."\n',
        "  ui.no_answer: Sorry: I have no answer to that.\n",
        at="ui.no_answer: Sorry:",
        says="invalid YAML: a colon inside an unquoted text",
    ),
    Mistake(
        "a message missing from the Japanese catalogue",
        f"{MESSAGES_DIR}/ja.yaml",
        '  card.stage: "段階"\n',
        "",
        at=None,
        says="[card.stage] message missing (the code uses it)",
    ),
)


def make_mistakes(directory: Path) -> None:
    """Make every mistake of `MISTAKES` in a copy of the knowledge base."""
    for mistake in MISTAKES:
        path = directory / mistake.file
        text = path.read_text(encoding="utf-8")
        if text.count(mistake.old) != 1:
            raise SystemExit(f"{mistake.what}: {mistake.old!r} is not once in {mistake.file}")
        path.write_text(text.replace(mistake.old, mistake.new), encoding="utf-8")


# The English catalogue's lines the guide shows as its example, with a comment on some.
CATALOGUE_EXAMPLE = {
    "lists": ("comma", "and", "or"),
    "messages": ("topics.title", "set.counted.fields"),
}
CATALOGUE_COMMENTS = {
    "lists:": "how a list parameter is joined",
    "  set.counted.fields:": "a message with plural forms, chosen by {count}",
}


def shipped_check() -> str:
    """What `check` prints on the shipped knowledge base."""
    out, err = io.StringIO(), io.StringIO()
    directory = shipped_knowledge_dir()
    status = run_check(directory, out=out, err=err)
    if status != 0:
        raise SystemExit(f"the shipped knowledge base does not pass check:\n{err.getvalue()}")
    return _fenced(out.getvalue().replace(str(directory), SHIPPED_LABEL))


def broken_check() -> str:
    """The mistakes, then what `check` prints on a copy with all of them."""
    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / COPY_LABEL
        shutil.copytree(shipped_knowledge_dir(), copy)
        make_mistakes(copy)
        err = io.StringIO()
        status = run_check(copy, out=io.StringIO(), err=err)
        report = err.getvalue().replace(str(copy), COPY_LABEL)
    files = sorted({m.file for m in MISTAKES}, key=[m.file for m in MISTAKES].index)
    lead = (
        f"On a copy with {len(MISTAKES)} mistakes in {len(files)} files "
        f"({_listed([m.what for m in MISTAKES])}), exit status {status} and, on standard "
        "error, every problem as `file:line [entry id] message` (the knowledge files in "
        "order, then the catalogues), then the count:"
    )
    return "\n".join(_wrapped(lead)) + "\n\n" + _fenced(report)


def catalogue_example() -> str:
    """The head of the English catalogue and a few of its messages, as they are written."""
    lines = (shipped_knowledge_dir() / MESSAGES_DIR / "en.yaml").read_text("utf-8").splitlines()
    shown: list[str] = []
    section = None
    keep = False
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            section = line.split(":")[0]
            keep = section in ("language", "name", *CATALOGUE_EXAMPLE)
        elif line.startswith("  ") and not line.startswith("   "):
            key = line.strip().split(":")[0]
            keep = key in CATALOGUE_EXAMPLE.get(section or "", ())
        if keep:
            comment = CATALOGUE_COMMENTS.get(line.rstrip())
            shown.append(f"{line:<40}# {comment}" if comment else line)
    for wanted in (key for keys in CATALOGUE_EXAMPLE.values() for key in keys):
        if not any(line.strip().startswith(f"{wanted}:") for line in shown):
            raise SystemExit(f"the English catalogue has no {wanted!r} for the guide's example")
    return "```yaml\n" + "\n".join(shown) + "\n```\n"


PARTS: dict[str, Callable[[], str]] = {
    "check-shipped": shipped_check,
    "check-broken": broken_check,
    "catalogue-example": catalogue_example,
}


def _fenced(text: str) -> str:
    return "```text\n" + text.rstrip("\n") + "\n```\n"


def _listed(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _wrapped(text: str, width: int = 92) -> list[str]:
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def regenerated(guide: str) -> str:
    """The guide with every generated part made anew."""

    def part(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in PARTS:
            raise SystemExit(f"the guide has a part {name!r} that tools/guide.py does not make")
        return match.group(1) + PARTS[name]() + match.group(4)

    found = {match.group("name") for match in _PART.finditer(guide)}
    if found != set(PARTS):
        raise SystemExit(f"the guide's generated parts are {sorted(found)}, not {sorted(PARTS)}")
    return _PART.sub(part, guide)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the guide's parts")
    args = parser.parse_args(argv)
    current = GUIDE.read_text(encoding="utf-8")
    fresh = regenerated(current)
    if fresh == current:
        print(f"{GUIDE.relative_to(ROOT)} is up to date")
        return 0
    if args.write:
        GUIDE.write_text(fresh, encoding="utf-8")
        print(f"rewrote {GUIDE.relative_to(ROOT)}")
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(
            current.splitlines(keepends=True), fresh.splitlines(keepends=True), "guide", "data"
        )
    )
    print("out of date: run python tools/guide.py --write", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
