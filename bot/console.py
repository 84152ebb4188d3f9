"""Offline front-ends: `ask` (one question or a batch on stdin) and `chat` (interactive).

They parse input, call the engine and print its answer; they never decide an answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from bot.config import ConfigError
from bot.engine import Answer, Engine
from bot.engine.render_text import answer_to_dict, render_plain
from bot.kb.loader import KnowledgeBaseError
from bot.kb.paths import resolve_knowledge_dir
from bot.ops.engines import load_configured_engine
from bot.ops.textio import json_line, prepare_output, read_line

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _load(knowledge: str | None, err: TextIO) -> Engine | None:
    directory = resolve_knowledge_dir(knowledge)
    try:
        return load_configured_engine(directory)
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
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`ask "QUESTION"` prints one answer; with no question, answers each line of stdin."""
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
    engine = _load(knowledge, err)
    if engine is None:
        return EXIT_INVALID
    if words:
        answer = engine.ask(question)
        out.write(_format(answer, question, as_json, one_line=False) + "\n")
        return EXIT_OK
    try:
        # Each line decoded on its own (a bad byte costs that line only) and bounded in size.
        while line := read_line(stdin):
            text = line.rstrip("\r\n")
            out.write(_format(engine.ask(text), text, as_json, one_line=True) + "\n")
            out.flush()
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        return EXIT_OK
    return EXIT_OK


def _format(answer: Answer, question: str, as_json: bool, *, one_line: bool) -> str:
    if as_json:
        return json_line(answer_to_dict(answer, question))
    text = render_plain(answer)
    return " | ".join(part for part in text.splitlines() if part.strip()) if one_line else text


# ----------------------------------------------------------------------------- chat


@dataclass(frozen=True)
class ConsoleCommand:
    usage: str
    needs_argument: bool
    run: Callable[[Engine, str], Answer]


def _stage_command(engine: Engine, argument: str) -> Answer:
    parts = argument.split()
    return engine.stage(parts[0] if parts else "", " ".join(parts[1:]) or None)


COMMANDS: dict[str, ConsoleCommand] = {
    "ask": ConsoleCommand("/ask QUESTION", True, lambda e, a: e.ask(a)),
    "region": ConsoleCommand("/region NAME", True, lambda e, a: e.region(a)),
    "contact": ConsoleCommand("/contact REGION", True, lambda e, a: e.contact(a)),
    "stage": ConsoleCommand("/stage first|second [active|ended]", True, _stage_command),
    "field": ConsoleCommand("/field FIELD", True, lambda e, a: e.field(a)),
    "about": ConsoleCommand("/about", False, lambda e, a: e.about()),
    "help": ConsoleCommand("/help", False, lambda e, a: e.help()),
}
QUIT = frozenset({"quit", "exit", "q"})


def handle_line(engine: Engine, line: str) -> str | None:
    """One console line to the text to print; None means quit."""
    text = line.strip()
    if not text:
        return ""
    if not text.startswith("/"):
        return render_plain(engine.ask(text))
    name, _, argument = text[1:].partition(" ")
    name = name.casefold()
    argument = argument.strip()
    if name in QUIT:
        return None
    command = COMMANDS.get(name)
    if command is None:
        known = ", ".join(c.usage for c in COMMANDS.values())
        return f"Unknown command /{name[:40]}. Commands: {known}, /quit."
    if command.needs_argument and not argument:
        return f"{command.usage}: this command needs an argument, e.g. {_example(name)}."
    return render_plain(command.run(engine, argument))


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
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """The interactive console, with the slash-command forms of the Discord bot."""
    stdin = stdin or sys.stdin
    out = prepare_output(out or sys.stdout, as_json=False)
    err = err or sys.stderr
    engine = _load(knowledge, err)
    if engine is None:
        return EXIT_INVALID
    kb = engine.kb
    interactive = stdin.isatty() if hasattr(stdin, "isatty") else False
    out.write(
        f"kcbot console: {len(kb.clusters)} clusters, {len(kb.faq)} FAQ entries from "
        f"{kb.directory}. Ask a question or type /help; /quit or Ctrl-D to leave.\n"
    )
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
        reply = handle_line(engine, line)
        if reply is None:
            return EXIT_OK
        if reply:
            out.write(reply + "\n\n")
            out.flush()
