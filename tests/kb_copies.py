"""Editing a copy of the knowledge base the way the tests break it, and reading its problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.loader import KnowledgeBaseError, Problem, load_knowledge


def edit(directory: Path, name: str, old: str, new: str) -> str:
    """Replace the one occurrence of `old` in a copied file; returns the new text."""
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {name}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based line on which `needle` first occurs."""
    return text.count("\n", 0, text.index(needle)) + 1


def problems_of(directory: Path) -> list[Problem]:
    """Every problem `load_knowledge` finds (it must find one)."""
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(directory)
    return list(raised.value.problems)


def only_problem(directory: Path) -> Problem:
    problems = problems_of(directory)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]
