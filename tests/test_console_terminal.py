"""The console as a terminal program: `python -m bot chat` in a real pseudo-terminal (pexpect),
typed at as a person would: arrow keys, Backspace, Tab, Ctrl-C, Ctrl-D, `exit`, and the
history of an earlier session.

Every wait ends as soon as the expected text arrives; the timeout only bounds a hung run.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pexpect
import pytest

TIMEOUT = 60
WAIT_FOR_SELECT = 10  # seconds, then Ctrl-C is pressed anyway
LEFT, UP = "\x1b[D", "\x1b[A"
BACKSPACE = "\x7f"
ABOUT = "The Knowledge Cluster Initiative"  # the title of /about's reply
# The prompt at the start of a line; readline may switch terminal modes just before it.
CONTROL = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"
PROMPT = re.compile(rf"\r\n{CONTROL}> ")
# The kernel functions a task sleeps in while in select()/poll() (/proc/PID/wchan).
SELECT_WAITS = ("poll_schedule_timeout", "do_select", "do_sys_poll")


def as_a_terminal_starts_it() -> None:
    """Ctrl-C and Ctrl-\\ at their defaults in the console's process, as an interactive
    shell starts a program in the foreground. A test run started in the background (`&` in
    a script, as CI may start it) ignores both, and the console would inherit that: Ctrl-C
    would then do nothing at all."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Callable[..., pexpect.spawn]]:
    """Starts `python -m bot ARGS` (default: chat) in a pseudo-terminal of 100×30, with its
    data directory in `tmp_path` and any further settings given; every process is ended
    after the test."""
    started: list[pexpect.spawn] = []
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path),
        "TERM": "xterm",
        "INPUTRC": os.devnull,  # readline's default key bindings, whatever the machine's
        "LC_ALL": "C.UTF-8",
    }
    for name in ("DISCORD_TOKEN", "COLUMNS", "KNOWLEDGE_DIR"):
        env.pop(name, None)

    def start(*args: str, **settings: str) -> pexpect.spawn:
        child = pexpect.spawn(
            sys.executable,
            ["-m", "bot", *(args or ("chat",))],
            env={**env, **settings},
            encoding="utf-8",
            timeout=TIMEOUT,
            dimensions=(30, 100),
            preexec_fn=as_a_terminal_starts_it,
        )
        started.append(child)
        if not args:
            child.expect(PROMPT)  # the banner's end and the first prompt
        return child

    yield start
    for child in started:
        child.close(force=True)


def wait_until_it_waits_for_a_key(child: pexpect.spawn) -> None:
    """Until the console's main thread sleeps in select() on the terminal, as the kernel
    shows it (/proc's wchan: "0" while it runs); bounded, and a no-op where /proc does not
    tell."""
    wchan = Path(f"/proc/{child.pid}/wchan")
    deadline = time.monotonic() + WAIT_FOR_SELECT
    while time.monotonic() < deadline:
        try:
            if wchan.read_text().startswith(SELECT_WAITS):
                return
        except OSError:
            return
        time.sleep(0.01)


def ask(child: pexpect.spawn, keys: str) -> str:
    """Type `keys` at the prompt; what the console printed until its next prompt."""
    child.send(keys)
    child.expect(PROMPT)
    return child.before


def test_left_backspace_and_tab_edit_the_line(console):
    """ "/bout", four times Left, "a": the line is "/about". A Japanese character is deleted
    whole (a byte at a time would leave the line undecodable). Tab completes a command."""
    child = console()
    edited = ask(child, f"/bout{LEFT * 4}a\r")
    assert ABOUT in edited
    assert "Unknown command" not in edited
    japanese = ask(child, f"/aboutあ{BACKSPACE}\r")
    assert ABOUT in japanese
    assert "not valid text" not in japanese
    assert "no contact for Kyoto" in ask(child, "/conta\tkyoto\r")


def test_up_brings_back_the_previous_question(console):
    child = console()
    assert "Key fields of Kyoto" in ask(child, "what fields does kyoto cover\r")
    assert "Contact for" in ask(child, "/contact sapporo\r")
    again = ask(child, f"{UP}{UP}\r")
    assert "what fields does kyoto cover" in again  # the recalled line, as it was shown
    assert "Key fields of Kyoto" in again


def test_ctrl_c_drops_the_line_and_keeps_the_session(console):
    child = console()
    child.send("/abo")
    # As a person does, press Ctrl-C once the typing shows and the console waits for the
    # next key: a SIGINT that lands between two keys, before readline waits again (a
    # loaded machine, a test that types at once), is only seen at the next key, a CPython
    # readline limitation no program can work around.
    child.expect_exact("/abo")
    wait_until_it_waits_for_a_key(child)
    child.sendcontrol("c")
    child.expect(PROMPT)  # a fresh prompt, the process still running
    assert child.isalive()
    after = ask(child, "/help\r")
    assert "How to ask" in after
    assert "Unknown command /abo" not in child.before + after


def test_exit_leaves(console):
    """`exit` ends the session with status 0 (`quit`: the history test below; the other
    forms: test_console.py)."""
    child = console()
    child.send("exit\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert re.sub(CONTROL, "", child.before) == "exit\r\n"  # its echo, and no answer


def test_ctrl_d_leaves_with_the_shell_prompt_on_its_own_line(console):
    child = console()
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert re.sub(CONTROL, "", child.before) == "\r\n"  # after "> ", only that line's end


def test_the_history_survives_a_restart_and_is_private(console, tmp_path):
    first = console()
    assert "no contact for Kyoto" in ask(first, "/contact kyoto\r")
    first.send("exit\r")
    first.expect(pexpect.EOF)

    history = tmp_path / "console_history"
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    assert "/contact kyoto" in history.read_text(encoding="utf-8")
    assert "exit" not in history.read_text(encoding="utf-8")  # Up brings back a question

    second = console()
    assert "no contact for Kyoto" in ask(second, f"{UP}\r")


def test_a_history_that_cannot_be_kept_is_said_once_and_the_session_goes_on(console, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory\n", encoding="utf-8")
    child = console(DATA_DIR=str(blocked / "kcbot"), QUESTION_LOG="false")
    assert "history is not kept in" in child.before
    assert "no contact for Kyoto" in ask(child, "/contact kyoto\r")
    assert "no contact for Kyoto" in ask(child, f"{UP}\r")  # this session's history still works
    child.send("quit\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "history" not in child.before  # said once, not again on leaving


def test_ask_with_no_question_on_a_terminal_is_a_usage_error(console):
    child = console("ask")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "kcbot ask: no question" in child.before
