"""What is wrong with a knowledge base: located problems, reported together in one error."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the knowledge base, located for the editor who fixes it."""

    file: str
    line: int | None
    entry_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        entry = f" [{self.entry_id}]" if self.entry_id else ""
        return f"{where}{entry} {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be loaded; `problems` lists everything found, in file order."""

    def __init__(self, problems: Iterable[Problem], directory: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.directory = directory
        super().__init__(self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        where = f" in {self.directory}" if self.directory else ""
        head = f"{count} problem{'s' if count != 1 else ''} in the knowledge base{where}:"
        return "\n".join([head, *(f"  {problem}" for problem in self.problems)])
