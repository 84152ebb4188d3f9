"""The interactive console (`python -m bot chat`): free text and the slash-command forms
of the Discord bot, a conversation per session, `/lang`, `/sources` and `/map`.
"""

from __future__ import annotations

import contextlib
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TextIO

from bot.app import Application, Request
from bot.console import EXIT_INVALID, EXIT_OK, SESSIONS, load_application, start_log
from bot.console_input import PipedLines, TerminalLines, console_lines, history_file
from bot.i18n.language import AUTO
from bot.i18n.localize import LocalizedAnswer
from bot.ops.textio import prepare_output
from bot.render.plain import full_sources, render_plain
from bot.render.wrap import fitted, terminal_width, wrap

if TYPE_CHECKING:
    from bot.config import StorageSettings
    from bot.kb.model import KnowledgeBase


@dataclass
class ConsoleSession:
    """One console user: the language they chose, their conversation's key, the width of
    their terminal (None: lines are not wrapped) and the last reply (for /sources)."""

    lang: str = AUTO
    key: str = field(default_factory=lambda: f"console:{next(SESSIONS)}")
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
    usage: str  # {stages} and {statuses}: the knowledge base's, joined by |
    needs_argument: bool
    request: Callable[[str], Request] | None  # None: a command with its own handler

    def usage_for(self, kb: KnowledgeBase) -> str:
        return self.usage.format(stages="|".join(kb.stages), statuses="|".join(kb.statuses))


def _stage_request(argument: str) -> Request:
    stage, _, status = argument.partition(" ")
    return Request("stage", stage, {"status": status.strip() or None}, via="console")


def _command(name: str) -> Callable[[str], Request]:
    return lambda argument: Request(name, argument, via="console")


COMMANDS: dict[str, ConsoleCommand] = {
    "ask": ConsoleCommand("/ask QUESTION", True, _command("ask")),
    "region": ConsoleCommand("/region NAME", True, _command("region")),
    "contact": ConsoleCommand("/contact REGION", True, _command("contact")),
    "stage": ConsoleCommand("/stage {stages} [{statuses}]", True, _stage_request),
    "field": ConsoleCommand("/field FIELD", True, _command("field")),
    "about": ConsoleCommand("/about", False, lambda _: Request("about", via="console")),
    "help": ConsoleCommand("/help", False, lambda _: Request("help", via="console")),
    # Drawn by bot.maps.offline, which writes a file and prints its path.
    "map": ConsoleCommand("/map [{stages}] [{statuses}] [FIELD]", False, None),
    # The previous reply's sources in full (Discord's Sources button).
    "sources": ConsoleCommand("/sources", False, None),
}
# What ends the session, typed alone or as a slash command (also /q). Not 終了 or 終わり:
# the bot answers those (the ended clusters; whether the programme has ended).
LEAVE = frozenset({"exit", "quit"})
QUIT = LEAVE | {"q"}
# What Tab completes at the start of a line.
COMPLETIONS = tuple(f"/{name}" for name in (*COMMANDS, "lang", "quit"))


def leaves(text: str) -> bool:
    """Whether a line ends the session: "exit", "QUIT", full-width "ｅｘｉｔ" alone (so
    "exit codes" stays a question), or a slash form ("/q", "/quit now")."""
    line = unicodedata.normalize("NFKC", text).strip().casefold()
    if line.startswith("/"):
        command = line[1:].split(maxsplit=1)
        return bool(command) and command[0] in QUIT
    return line in LEAVE


def handle_line(app: Application, line: str, session: ConsoleSession | None = None) -> str | None:
    """One console line to the text to print; None means quit."""
    session = session or ConsoleSession()
    text = line.strip()
    if not text:
        return ""
    if leaves(text):
        return None
    if not text.startswith("/"):
        return session.show(app.handle(session.request(Request("ask", text))).reply)
    name, _, argument = text[1:].partition(" ")
    name = name.casefold()
    argument = argument.strip()
    if name == "lang":
        return _set_language(session, argument)
    command = COMMANDS.get(name)
    if command is None:
        known = ", ".join(c.usage_for(app.kb) for c in COMMANDS.values())
        return f"Unknown command /{name[:40]}. Commands: {known}, /lang auto|en|ja, /quit."
    if command.needs_argument and not argument:
        usage = command.usage_for(app.kb)
        return f"{usage}: this command needs an argument, e.g. {_example(app.kb, name)}."
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


def _example(kb: KnowledgeBase, name: str) -> str:
    """A command with an argument of the knowledge base's own: its first example question,
    the first place of its first cluster, its latest stage, its first field."""
    places = [kb.places[p].name.casefold() for c in kb.clusters for p in c.places]
    examples = kb.programme.examples
    argument = {
        "ask": examples[0].text("en") if examples else "",
        "region": places[0] if places else "",
        "contact": places[0] if places else "",
        "stage": next(reversed(kb.stages), ""),
        "field": next(iter(kb.fields), ""),
    }.get(name, "")
    return f"/{name} {argument}".rstrip()


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
    app = load_application(knowledge, err)
    if app is None:
        return EXIT_INVALID
    history = history_file(storage) if storage is not None else None
    with contextlib.ExitStack() as stack:
        if storage is not None and not start_log(stack, app, storage, err):
            return EXIT_INVALID
        lines = console_lines(stdin, history=history, commands=COMPLETIONS, err=err)
        return _chat(app, lang, stack.enter_context(lines), out)


def _chat(app: Application, lang: str, lines: PipedLines | TerminalLines, out: TextIO) -> int:
    kb = app.kb
    session = ConsoleSession(lang=lang, width=terminal_width())
    welcome = (
        f"kcbot console: {len(kb.clusters)} clusters, {len(kb.faq)} FAQ entries from "
        f"{kb.directory}. Ask a question or type /help; /sources for an answer's sources; "
        "/lang ja for Japanese replies; exit or Ctrl-D to leave."
    )
    out.write(fitted(welcome, session.width) + "\n")
    out.flush()
    while True:
        try:
            line = lines.read()
            if line is None:  # the end of the input, or Ctrl-D
                if lines.interactive:  # so the shell's prompt starts on a line of its own
                    out.write("\n")
                return EXIT_OK
            reply = handle_line(app, line, session)
        except KeyboardInterrupt:
            out.write("\n")
            if lines.interactive:  # Ctrl-C drops the line (or its answer), not the session
                continue
            return EXIT_OK
        except UnicodeDecodeError:
            out.write("That line was not valid text; please type it again.\n")
            continue
        if reply is None:
            lines.forget_last()
            return EXIT_OK
        if reply:
            out.write(fitted(reply, session.width) + "\n\n")
            out.flush()
