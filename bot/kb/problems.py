"""What is wrong with a knowledge base: located problems, reported together in one error.

A problem's message may quote the file (a value, an unknown key, a list of known ids). Such
text is put in with `quoted()` or `verbatim()`, which mark where it is, so that the message
can be shown in two ways: whole, to the editor on the server (`check`, the logs), and with
every quoted piece replaced by "…" (`Problem.redacted()`), where people who cannot read the
server's files see it (a /reload reply in Discord). Marks never reach `message` itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use marks around quoted file content
REDACTED = "…"


def verbatim(text: object) -> str:
    """File content to put in a message as it is (a number, a list of ids)."""
    cleaned = str(text).replace(_OPEN, "\ufffd").replace(_CLOSE, "\ufffd")
    return f"{_OPEN}{cleaned}{_CLOSE}"


def quoted(value: object) -> str:
    """File content to put in a message quoted (`repr` of a string)."""
    return verbatim(repr(value) if isinstance(value, str) else f"'{value}'")


def _unmark(message: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The message without marks, and where the marked pieces are in it."""
    if _OPEN not in message:
        return message.replace(_CLOSE, ""), ()
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for char in message:
        if char == _OPEN:
            start = length if start is None else start
        elif char == _CLOSE:
            if start is not None:
                spans.append((start, length))
            start = None
        else:
            parts.append(char)
            length += 1
    if start is not None:  # an unclosed mark: hide everything after it
        spans.append((start, length))
    return "".join(parts), tuple(spans)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the knowledge base, located for the editor who fixes it."""

    file: str
    line: int | None
    entry_id: str | None
    message: str
    quoted_spans: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if _OPEN in self.message or _CLOSE in self.message:
            message, spans = _unmark(self.message)
            object.__setattr__(self, "message", message)
            object.__setattr__(self, "quoted_spans", spans)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        entry = f" [{self.entry_id}]" if self.entry_id else ""
        return f"{where}{entry} {self.message}"

    def redacted(self, directory: str | os.PathLike[str] | None = None) -> str:
        """File and line, and the message without anything quoted from the files.

        No entry id either (it is file content too), and the file relative to `directory`.
        """
        message, end = [], 0
        for start, stop in self.quoted_spans:
            message += [self.message[end:start], REDACTED]
            end = stop
        message.append(self.message[end:])
        file = _relative(self.file, directory)
        if file is None:  # the directory itself
            return "".join(message)
        where = file if self.line is None else f"{file}:{self.line}"
        return f"{where} {''.join(message)}"


def _relative(file: str, directory: str | os.PathLike[str] | None) -> str | None:
    path = Path(file)
    if not path.is_absolute():
        return file
    if directory is not None:
        base = Path(directory)
        if path == base:
            return None
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return path.name


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be loaded; `problems` lists everything found, in file order.

    `gaps` are what `check` also reports but would not have stopped the load on their own
    (a missing translation), so that one run of `check` shows everything.
    """

    def __init__(
        self,
        problems: Iterable[Problem],
        directory: str | None = None,
        gaps: Iterable[Problem] = (),
    ) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.directory = directory
        self.gaps: tuple[Problem, ...] = tuple(gaps)
        super().__init__(self.problems)

    def __reduce__(self) -> tuple:
        # The default would rebuild the error from `args` alone and lose the directory.
        return type(self), (self.problems, self.directory, self.gaps)

    def __str__(self) -> str:
        count = len(self.problems)
        where = f" in {self.directory}" if self.directory else ""
        head = f"{count} problem{'s' if count != 1 else ''} in the knowledge base{where}:"
        return "\n".join([head, *(f"  {problem}" for problem in self.problems)])

    def redacted(self) -> list[str]:
        """Each problem as `Problem.redacted` shows it: no file content, no server path."""
        return [problem.redacted(self.directory) for problem in self.problems]
