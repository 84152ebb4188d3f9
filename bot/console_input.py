"""Where the console's lines come from: a person at a terminal, or a pipe.

At a terminal the lines are read with `input()` through the standard library's `readline`
(GNU readline; libedit on macOS): the arrow keys edit the line and walk the history, Ctrl-R
searches it, Tab completes a slash command. The history is kept between sessions in a file
in the data directory (private to the user, the last `HISTORY_LENGTH` lines); each session
appends only its own lines, so two consoles open at once lose none. Where Python has no
`readline` (Windows), `input()` still reads the line, with the terminal's own editing.

`readline` rather than prompt_toolkit: it is in the standard library and does all the
console needs, wide characters included, without adding a package to every install.

From a pipe, each line is decoded on its own and bounded in size (`bot.ops.textio`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

from bot.ops.textio import read_line

if TYPE_CHECKING:
    from bot.config import StorageSettings

PROMPT = "> "
HISTORY_FILE = "console_history"
HISTORY_LENGTH = 1000


def history_file(storage: StorageSettings) -> Path:
    """The console's history, in the data directory (DATA_DIR; see bot.storage.paths)."""
    from bot.storage.paths import data_dir

    return data_dir(storage) / HISTORY_FILE


class PipedLines:
    """Lines from a pipe or a file: no prompt, no editing."""

    interactive = False

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __enter__(self) -> PipedLines:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self) -> str | None:
        """The next line; None at the end of the input. A line that is not valid text
        raises UnicodeDecodeError and costs only itself."""
        return read_line(self.stream, errors="strict") or None

    def forget_last(self) -> None:
        return None


class TerminalLines:
    """Lines typed at a terminal, edited with readline, with a history kept in `history`
    (None: this session's only). Problems with the history file are told on `err` once;
    the session goes on without it."""

    interactive = True

    def __init__(self, history: Path | None, commands: Sequence[str], err: TextIO) -> None:
        self.history = history
        self.commands = tuple(commands)
        self.err = err
        self.readline: ModuleType | None = None
        self._loaded = 0  # history lines that came from the file

    def __enter__(self) -> TerminalLines:
        try:
            import readline
        except ImportError:
            return self
        self.readline = readline
        readline.set_completer_delims(" \t\n")  # a slash command is one word, "/" included
        readline.set_completer(self._complete)
        libedit = "libedit" in (readline.__doc__ or "")
        readline.parse_and_bind("bind ^I rl_complete" if libedit else "tab: complete")
        readline.set_history_length(HISTORY_LENGTH)
        if self.history is not None:
            self._load(readline, self.history)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.readline is not None and self.history is not None:
            self._save(self.readline, self.history)

    def read(self) -> str | None:
        """The next line; None when the user leaves with Ctrl-D. Ctrl-C raises
        KeyboardInterrupt and the line typed so far is dropped."""
        try:
            return input(PROMPT)
        except EOFError:
            return None

    def forget_last(self) -> None:
        """Keep the line just read out of the history (the `exit` that ended a session,
        so Up in the next one brings back the last question)."""
        readline = self.readline
        if readline is not None and readline.get_current_history_length() > self._loaded:
            readline.remove_history_item(readline.get_current_history_length() - 1)

    def _complete(self, text: str, state: int) -> str | None:
        assert self.readline is not None
        if self.readline.get_begidx() != 0:  # only the command, the line's first word
            return None
        matches = [f"{command} " for command in self.commands if command.startswith(text)]
        return matches[state] if state < len(matches) else None

    def _load(self, readline: ModuleType, path: Path) -> None:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # private from the start
            readline.read_history_file(str(path))
        except OSError as exc:
            self._give_up(path, exc)
            return
        self._loaded = readline.get_current_history_length()

    def _save(self, readline: ModuleType, path: Path) -> None:
        new = readline.get_current_history_length() - self._loaded
        try:
            if hasattr(readline, "append_history_file"):  # trims the file to the length too
                if new > 0:
                    readline.append_history_file(new, str(path))
            else:  # some libedit builds: the whole history, which holds the file's lines
                readline.write_history_file(str(path))
        except OSError as exc:
            self._give_up(path, exc)

    def _give_up(self, path: Path, exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        print(f"kcbot: the console's history is not kept in {path}: {reason}", file=self.err)
        self.history = None


def console_lines(
    stdin: TextIO, *, history: Path | None, commands: Sequence[str], err: TextIO
) -> PipedLines | TerminalLines:
    """A terminal's lines when `stdin` is the process's own terminal, else a pipe's."""
    if stdin is sys.stdin and stdin.isatty():
        return TerminalLines(history, commands, err)
    return PipedLines(stdin)
