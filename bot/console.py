"""The offline `ask` front-end (one question, or a batch on stdin), and what it shares
with the interactive console (`bot.chat`): loading the application, the question log.

They parse input into a `Request`, hand it to the application pipeline and print the
reply; they never decide an answer.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from bot.app import Application, Request
from bot.config import ConfigError
from bot.i18n.language import AUTO
from bot.i18n.localize import LocalizedAnswer
from bot.kb.loader import KnowledgeBaseError
from bot.kb.paths import resolve_knowledge_dir
from bot.ops.engines import load_configured
from bot.ops.textio import json_line, prepare_output, read_line
from bot.render.plain import answer_to_dict, render_one_line, render_plain
from bot.render.wrap import terminal_width

if TYPE_CHECKING:
    from bot.config import StorageSettings

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
SESSIONS = itertools.count(1)  # numbers the console's conversations


def load_application(knowledge: str | None, err: TextIO | None = None) -> Application | None:
    """The application on a knowledge base, or None (every problem printed) when invalid."""
    return _load(knowledge, err or sys.stderr)


def _load(knowledge: str | None, err: TextIO) -> Application | None:
    directory = resolve_knowledge_dir(knowledge)
    try:
        return Application(load_configured(directory))
    except ConfigError as exc:
        print(f"kcbot: configuration error: {exc}", file=err)
        return None
    except KnowledgeBaseError as exc:
        print(f"kcbot: the knowledge base in {directory} is invalid:", file=err)
        for problem in exc.problems:
            print(f"  {problem}", file=err)
        print("Run `python -m bot check` for the full report.", file=err)
        return None


def run_ask(
    knowledge: str | None,
    words: Sequence[str],
    *,
    as_json: bool = False,
    lang: str = AUTO,
    conversation: bool = False,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    log: StorageSettings | None = None,
) -> int:
    """`ask "QUESTION"` prints one answer; with no question, answers each line of stdin,
    each on its own, or as one conversation (follow-ups read in context) with
    `conversation`; a terminal on stdin with no question is a usage error. The answers go
    to the question log only when `log` is given (`ask --log`)."""
    stdin = stdin or sys.stdin
    out = prepare_output(out or sys.stdout, as_json=as_json)
    err = err or sys.stderr
    question = " ".join(words)
    if words and not question.strip():
        print(
            "kcbot ask: the question is empty; ask something, e.g. "
            'kcbot ask "how many clusters are there"',
            file=err,
        )
        return EXIT_USAGE
    if not words and stdin.isatty():  # no batch to read, only a person waiting
        print(
            'kcbot ask: no question; ask one (kcbot ask "how many clusters are there"), '
            "pipe questions in, one a line, or run `kcbot chat` for a conversation",
            file=err,
        )
        return EXIT_USAGE
    app = _load(knowledge, err)
    if app is None:
        return EXIT_INVALID
    with contextlib.ExitStack() as stack:
        if log is not None and not start_log(stack, app, log, err):
            return EXIT_INVALID
        key = f"ask:{next(SESSIONS)}" if conversation else None
        return _answer_all(app, words, question, lang, as_json, stdin, out, key)


def start_log(
    stack: contextlib.ExitStack, app: Application, storage: StorageSettings, err: TextIO
) -> bool:
    from bot.storage.frontends import start_question_log

    return start_question_log(stack, app, storage, err)


def _answer_all(
    app: Application,
    words: Sequence[str],
    question: str,
    lang: str,
    as_json: bool,
    stdin: TextIO,
    out: TextIO,
    key: str | None,
) -> int:
    """The answers to the question, or to each line of stdin (one conversation when `key`
    names one)."""
    if words:
        reply = app.handle(Request("ask", question, lang=lang, via="ask")).reply
        text = _format(reply, question, as_json, one_line=False)
        if not as_json and hasattr(out, "isatty") and out.isatty():  # a person reads it
            text = _format_for(reply, terminal_width())
        out.write(text + "\n")
        return EXIT_OK
    try:
        # Each line decoded on its own (a bad byte costs that line only) and bounded in size.
        while line := read_line(stdin):
            text = line.rstrip("\r\n")
            request = Request("ask", text, lang=lang, conversation=key, via="ask")
            reply = app.handle(request).reply
            out.write(_format(reply, text, as_json, one_line=True) + "\n")
            out.flush()
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        return EXIT_OK
    return EXIT_OK


def _format_for(reply: LocalizedAnswer, width: int) -> str:
    return render_plain(reply, width)


def _format(reply: LocalizedAnswer, question: str, as_json: bool, *, one_line: bool) -> str:
    if as_json:
        return json_line(answer_to_dict(reply, question))
    return render_one_line(reply) if one_line else render_plain(reply)
