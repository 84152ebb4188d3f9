"""The editors' guide (docs/knowledge-base.md) says what the data and the code say: its
generated parts are current, and every figure typed in its prose is the data's."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.discord_app.translator import MAX_NAME
from bot.i18n.catalogue import PLURAL_CATEGORIES
from bot.i18n.sources import SOURCE_NOTE_LIMIT
from bot.kb import _yaml
from bot.kb.geography import COAST_TOLERANCE_KM
from bot.kb.loader import load_knowledge
from bot.kb.model import KnowledgeBase
from bot.kb.paths import shipped_knowledge_dir
from bot.kb.schema import MIN_ALTERNATES
from tools import guide

GUIDE = Path(guide.GUIDE)
WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def prose() -> str:
    """The guide's text with line breaks and runs of spaces read as one space."""
    return re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8"))


def word(number: int) -> str:
    return WORDS[number] if number < len(WORDS) else str(number)


def largest_file_kib() -> int:
    """The largest shipped file, in KiB to the nearest ten (the guide says "about")."""
    directory = shipped_knowledge_dir()
    sizes = [path.stat().st_size for path in directory.rglob("*.yaml")]
    return int(round(max(sizes) / 1024, -1))


def named_hamamatsu(kb: KnowledgeBase) -> int:
    return sum(1 for cluster in kb.clusters if cluster.name == "HAMAMATSU")


# (what the guide says, how the data says it): each phrase must be in the guide as the data
# makes it. When one fails, change the guide's words to the data's.
FIGURES: list[tuple[str, Callable[[KnowledgeBase], str]]] = [
    ("clusters", lambda kb: f"and the {len(kb.clusters)} `clusters:`"),
    ("key fields", lambda kb: f"`source:` and the {word(len(kb.fields))} key `fields:`"),
    ("regions", lambda kb: f"the {word(len(kb.regions))} `regions:`"),
    ("prefectures", lambda kb: f"the {len(kb.prefectures)} `prefectures:`"),
    ("prefecture codes", lambda kb: f"(JIS X 0401, 1–{len(kb.prefectures)}:"),
    ("file limit", lambda kb: f"under {_yaml.MAX_FILE_BYTES // 2**20} MiB"),
    ("largest file", lambda kb: f"(the largest is about {largest_file_kib()} KiB)"),
    ("refused size", lambda kb: f"a file over {_yaml.MAX_FILE_BYTES // 2**20} MiB (refused"),
    ("depth", lambda kb: f"nesting deeper than {_yaml.MAX_DEPTH} levels"),
    ("values", lambda kb: f"more than {_yaml.MAX_NODES:,} values"),
    ("alternates", lambda kb: f"at least {MIN_ALTERNATES} other phrasings"),
    ("alternates, how-to", lambda kb: f"at least {word(MIN_ALTERNATES)} `alternates`"),
    ("source note", lambda kb: f"the note is cut to {SOURCE_NOTE_LIMIT} characters"),
    ("coast", lambda kb: f"(more than {COAST_TOLERANCE_KM:g} km off its coast)"),
    ("command names", lambda kb: f"at most {MAX_NAME} characters"),
    ("plural forms", lambda kb: "Plural forms (" + ", ".join(f"`{c}`" for c in PLURAL_CATEGORIES)),
    (
        "stages and statuses",
        lambda kb: "any number of stages and statuses, each with its own",
    ),
    ("HAMAMATSU", lambda kb: f"HAMAMATSU is the name of {word(named_hamamatsu(kb))} clusters"),
]


def test_the_generated_parts_are_current():
    """What `check` prints (on the shipped base and on a broken copy) and the example
    catalogue are the guide's words; `python tools/guide.py --write` renews them."""
    current = GUIDE.read_text(encoding="utf-8")
    assert guide.regenerated(current) == current, "run: python tools/guide.py --write"


@pytest.mark.parametrize(("name", "phrase"), FIGURES, ids=[name for name, _ in FIGURES])
def test_a_figure_in_the_guide_is_the_datas(name, phrase):
    expected = phrase(load_knowledge())
    assert expected in prose(), f"the guide should say {expected!r} ({name})"


def test_the_data_sets_are_named_with_their_versions():
    """The versions geography.yaml's `as_of:` lists are those the guide names."""
    text = prose()
    for version in load_knowledge().geography_as_of:
        assert version in text, f"the guide should name {version}"
