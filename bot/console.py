"""Offline front-ends: `ask` (one question or a batch on stdin) and `chat` (interactive).

They parse input into a `Request`, hand it to the application pipeline and print the
reply; they never decide an answer.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TextIO

from bot.app import Application, Request
from bot.config import ConfigError
from bot.i18n.language import AUTO
from bot.i18n.localize import LocalizedAnswer
from bot.kb.loader import KnowledgeBaseError
from bot.kb.paths import resolve_knowledge_dir
from bot.ops.engines import load_configured
from bot.ops.textio import json_line, prepare_output, read_line
from bot.render.plain import answer_to_dict, full_sources, render_one_line, render_plain
from bot.render.wrap import fitted, terminal_width, wrap

if TYPE_CHECKING:
    from bot.config import StorageSettings

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
_SESSIONS = itertools.count(1)  # numbers the console's conversations


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
    `conversation`. The answers go to the question log only when `log` is given
    (`ask --log`)."""
    stdin = stdin or sys.stdin
    out = prepare_output(out or sys.stdout, as_json=as_json)
    err = err or sys.stderr
    question = " ".join(words)
    if words and not question.strip():
        print(
            "kcbot ask: the question is empty; ask something, e.g. "
            'kcbot ask "what fields does Hamamatsu cover"',
            file=err,
        )
        return EXIT_USAGE
    app = _load(knowledge, err)
    if app is None:
        return EXIT_INVALID
    with contextlib.ExitStack() as stack:
        if log is not None and not _start_log(stack, app, log, err):
            return EXIT_INVALID
        key = f"ask:{next(_SESSIONS)}" if conversation else None
        return _answer_all(app, words, question, lang, as_json, stdin, out, key)


def _start_log(
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


# ----------------------------------------------------------------------------- chat


@dataclass
class ConsoleSession:
    """One console user: the language they chose, their conversation's key, the width of
    their terminal (None: lines are not wrapped) and the last reply (for /sources)."""

    lang: str = AUTO
    key: str = field(default_factory=lambda: f"console:{next(_SESSIONS)}")
    width: int | None = None
    last: LocalizedAnswer | None = None

    def request(self, request: Request) -> Request:
        return replace(request, lang=self.lang, conversation=self.key, via="console")

    def show(self, reply: LocalizedAnswer) -> str:
        self.last = reply
        return render_plain(reply, self.width)


LANGUAGES = ("auto", "en", "ja")


@dataclass(frozen=True)
class ConsoleCommand:
    usage: str
    needs_argument: bool
    request: Callable[[str], Request] | None  # None: a command with its own handler


def _stage_request(argument: str) -> Request:
    stage, _, status = argument.partition(" ")
    return Request("stage", stage, {"status": status.strip() or None}, via="console")


def _command(name: str) -> Callable[[str], Request]:
    return lambda argument: Request(name, argument, via="console")


COMMANDS: dict[str, ConsoleCommand] = {
    "ask": ConsoleCommand("/ask QUESTION", True, _command("ask")),
    "region": ConsoleCommand("/region NAME", True, _command("region")),
    "contact": ConsoleCommand("/contact REGION", True, _command("contact")),
    "stage": ConsoleCommand("/stage first|second [active|ended]", True, _stage_request),
    "field": ConsoleCommand("/field FIELD", True, _command("field")),
    "about": ConsoleCommand("/about", False, lambda _: Request("about", via="console")),
    "help": ConsoleCommand("/help", False, lambda _: Request("help", via="console")),
    # Drawn by bot.maps.offline, which writes a file and prints its path.
    "map": ConsoleCommand("/map [first|second] [active|ended] [FIELD]", False, None),
    # The previous reply's sources in full (Discord's Sources button).
    "sources": ConsoleCommand("/sources", False, None),
}
QUIT = frozenset({"quit", "exit", "q"})


def handle_line(app: Application, line: str, session: ConsoleSession | None = None) -> str | None:
    """One console line to the text to print; None means quit."""
    session = session or ConsoleSession()
    text = line.strip()
    if not text:
        return ""
    if not text.startswith("/"):
        return session.show(app.handle(session.request(Request("ask", text))).reply)
    name, _, argument = text[1:].partition(" ")
    name = name.casefold()
    argument = argument.strip()
    if name in QUIT:
        return None
    if name == "lang":
        return _set_language(session, argument)
    command = COMMANDS.get(name)
    if command is None:
        known = ", ".join(c.usage for c in COMMANDS.values())
        return f"Unknown command /{name[:40]}. Commands: {known}, /lang auto|en|ja, /quit."
    if command.needs_argument and not argument:
        return f"{command.usage}: this command needs an argument, e.g. {_example(name)}."
    if name == "sources":
        return _sources(session)
    if command.request is None:
        from bot.maps.offline import console_map  # Pillow is loaded only when a map is drawn

        return console_map(app, argument, session.request)
    return session.show(app.handle(session.request(command.request(argument))).reply)


def _sources(session: ConsoleSession) -> str:
    last = session.last
    if last is None or not last.sources:
        return "/sources shows the full sources of the previous answer; there is none yet."
    lines = full_sources(last).splitlines()
    if session.width is None:
        return "\n".join(lines)
    return "\n".join(w for line in lines for w in wrap(line, session.width, "", "  "))


def _set_language(session: ConsoleSession, argument: str) -> str:
    choice = argument.casefold()
    if choice not in LANGUAGES:
        return f"/lang auto|en|ja: auto answers in the question's language (now: {session.lang})."
    session.lang = choice
    if choice == AUTO:
        return "Replies in the language of each question."
    return f"Replies in {'Japanese' if choice == 'ja' else 'English'} from now on."


def _example(name: str) -> str:
    return {
        "ask": "/ask what is a knowledge cluster",
        "region": "/region hamamatsu",
        "contact": "/contact kyoto",
        "stage": "/stage second",
        "field": "/field environment",
    }.get(name, f"/{name}")


def _read_line(stdin: TextIO) -> str:
    """One line, decoded on its own: a bad byte costs that line only, not the ones after it
    that the text layer had already read ahead."""
    return read_line(stdin, errors="strict")


def run_chat(
    knowledge: str | None,
    *,
    lang: str = AUTO,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    storage: StorageSettings | None = None,
) -> int:
    """The interactive console, with the slash-command forms of the Discord bot. Its
    answers go to the question log when `storage` is given (and the log is on)."""
    stdin = stdin or sys.stdin
    out = prepare_output(out or sys.stdout, as_json=False)
    err = err or sys.stderr
    app = _load(knowledge, err)
    if app is None:
        return EXIT_INVALID
    with contextlib.ExitStack() as stack:
        if storage is not None and not _start_log(stack, app, storage, err):
            return EXIT_INVALID
        return _chat(app, lang, stdin, out)


def _chat(app: Application, lang: str, stdin: TextIO, out: TextIO) -> int:
    kb = app.kb
    interactive = stdin.isatty() if hasattr(stdin, "isatty") else False
    session = ConsoleSession(lang=lang, width=terminal_width())
    welcome = (
        f"kcbot console: {len(kb.clusters)} clusters, {len(kb.faq)} FAQ entries from "
        f"{kb.directory}. Ask a question or type /help; /sources for an answer's sources; "
        "/lang ja for Japanese replies; /quit or Ctrl-D to leave."
    )
    out.write(fitted(welcome, session.width) + "\n")
    out.flush()
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        try:
            line = _read_line(stdin)
        except KeyboardInterrupt:
            out.write("\n")
            return EXIT_OK
        except UnicodeDecodeError:
            out.write("That line was not valid text; please type it again.\n")
            continue
        if not line:
            return EXIT_OK
        reply = handle_line(app, line, session)
        if reply is None:
            return EXIT_OK
        if reply:
            out.write(fitted(reply, session.width) + "\n\n")
            out.flush()
