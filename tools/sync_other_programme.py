"""Bring the test base for another programme (`tests/other_programme/`) up to the shipped
catalogues: its `messages/` and `intents.yaml` become copies of `knowledge/`'s, and its
lexicon's grammar (function words, connectives, negation) the shipped lexicon's, while its
nouns, programme names and other programmes stay its own.

A knowledge base for another programme shares these generic parts with this one;
`tests/test_other_programme.py` fails when they drift, and this is the fix.

usage: python tools/sync_other_programme.py [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "knowledge"
OTHER = ROOT / "tests" / "other_programme"
COPIED = ("messages/en.yaml", "messages/ja.yaml", "intents.yaml")
SHARED_LEXICON_KEYS = ("function", "connectives", "negation")
_TOP_KEY = re.compile(r"^([a-z_]+):", re.M)


def blocks(text: str) -> dict[str, str]:
    """Each top-level key's value as written: from its key's line to the next comment or
    key at the top level (each base keeps its own comments, which give its own examples)."""
    lines = text.splitlines(keepends=True)
    found: dict[str, str] = {}
    key = None
    for line in lines:
        match = _TOP_KEY.match(line)
        if match:
            key = match.group(1)
            found[key] = line
        elif key is not None and (line.startswith("#") or not line.strip()):
            key = None
        elif key is not None:
            found[key] += line
    return found


def synced_lexicon(shipped: str, other: str) -> str:
    theirs = blocks(shipped)
    result = other
    for key, text in blocks(other).items():
        if key in SHARED_LEXICON_KEYS:
            result = result.replace(text, theirs[key])
    return result


def planned() -> dict[Path, str]:
    """Every file of the other base that differs from what it should be, with its text."""
    changes = {}
    for name in COPIED:
        text = (SHIPPED / name).read_text(encoding="utf-8")
        if (OTHER / name).read_text(encoding="utf-8") != text:
            changes[OTHER / name] = text
    lexicon = OTHER / "lexicon.yaml"
    current = lexicon.read_text(encoding="utf-8")
    wanted = synced_lexicon((SHIPPED / "lexicon.yaml").read_text(encoding="utf-8"), current)
    if wanted != current:
        changes[lexicon] = wanted
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say what would change")
    args = parser.parse_args(argv)
    changes = planned()
    for path, text in changes.items():
        print(f"{'out of date' if args.check else 'rewrote'}: {path.relative_to(ROOT)}")
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if not changes:
        print("tests/other_programme shares the shipped catalogues and grammar.")
    return 1 if changes and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
