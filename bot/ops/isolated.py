"""Building an engine in a child process, bounded in time, for /reload.

Building the engine for a large base is seconds of pure-Python work; in a thread it would
hold the GIL and stall the event loop (interactions missed Discord's 3 s deadline). A child
process builds it (or takes it from the cache), and hands it back pickled on a pipe; this
process only unpickles it, quietly (see `bot.ops.pickling`). A child that takes longer than
the timeout is killed, and whatever it was reading (a stalled network share, a FIFO) cannot
hang the bot.

The child is started with `subprocess`, not `multiprocessing`: nothing of the bot's own
process (its event loop, its sockets, its `__main__`) is copied or re-run in it.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import Any

from bot.kb.problems import KnowledgeBaseError
from bot.ops import pickling
from bot.ops.engines import EngineSource

# The child gets the parent's import path, so it builds with exactly the same code.
_BOOTSTRAP = (
    "import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
    "from bot.ops.isolated import child_main; child_main()"
)
_BUILT, _INVALID, _FAILED = b"0", b"1", b"2"
BUILD_NICENESS = 10

_children: set[subprocess.Popen] = set()
_children_lock = threading.Lock()


class ReloadInProgress(Exception):
    """A reload is already running; a second one is refused rather than queued."""


class ReloadTimedOut(TimeoutError):
    """Building the engine took longer than the reload timeout; the child was stopped."""


class BuildFailed(RuntimeError):
    """The child process could not build an engine (it crashed, or the builder raised)."""


def build_isolated(source: EngineSource, timeout: float) -> Any:
    """The engine `source` describes, built in a child process within `timeout` seconds.

    Raises `KnowledgeBaseError` for an invalid base, `ReloadTimedOut`, or `BuildFailed`.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", _BOOTSTRAP, json.dumps(sys.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    with _children_lock:
        _children.add(child)
    try:
        output, _ = child.communicate(pickle.dumps(source), timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise ReloadTimedOut(
            f"building the engine took longer than {timeout:g} s and was stopped"
        ) from None
    finally:
        with _children_lock:
            _children.discard(child)
    status, body = output[:1], memoryview(output)[1:]
    if child.returncode == 0 and status == _BUILT:
        return pickling.loads_quietly(body)
    if child.returncode == 0 and status == _INVALID:
        raise pickle.loads(body)
    reason = bytes(body).decode("utf-8", "replace") if status == _FAILED else "no answer"
    raise BuildFailed(f"the build process failed (exit code {child.returncode}): {reason}")


def stop_all_builds() -> None:
    """Kill the build processes still running (the bot is closing)."""
    with _children_lock:
        children = list(_children)
    for child in children:
        child.kill()


def child_main() -> None:
    """The child's side: read an `EngineSource` on stdin, answer on stdout, log on stderr."""
    answer = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answer
    if hasattr(os, "nice"):
        os.nice(BUILD_NICENESS)  # background work: the bot's own process keeps the CPU first
    source = pickle.load(sys.stdin.buffer)
    try:
        reply = _BUILT + source.payload()
    except KnowledgeBaseError as exc:
        reply = _INVALID + pickle.dumps(exc)
    except Exception as exc:
        traceback.print_exc()
        reply = _FAILED + f"{type(exc).__name__}: {exc}".encode()
    answer.write(reply)
    answer.flush()


@dataclass(frozen=True, slots=True)
class IsolatedLoader:
    """The bot's /reload loader: `loader()` builds `source` in a child process."""

    source: EngineSource
    timeout: float

    def __call__(self) -> Any:
        return build_isolated(self.source, self.timeout)
