"""`python -m bot` / `kcbot`: one entry point, one sub-command per front-end.

With no sub-command the bot runs on Discord when a token is configured and otherwise starts
the offline console, so the README's first command does the main job on any machine.
Front-ends are imported lazily: `check` and `ask` never import discord.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import StorageSettings

EXIT_OK = 0
EXIT_INVALID = 1  # the knowledge base or the input is invalid
EXIT_USAGE = 2  # argparse's own code for a bad command line
LANG_OPTION = {
    "choices": ("auto", "en", "ja"),
    "default": "auto",
    "help": "reply language (default auto: the question's language)",
}


def version() -> str:
    """The installed distribution's version (pyproject.toml's), as pip reports it."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("kcbot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kcbot",
        description="Answers questions about a programme from its YAML knowledge base.",
        epilog="With no command: runs on Discord if DISCORD_TOKEN is set, else the console.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    knowledge_help = "knowledge base directory (default: $KNOWLEDGE_DIR, else the shipped one)"
    parser.add_argument("--knowledge", metavar="DIR", help=knowledge_help)
    # The option is accepted after the sub-command too (`check --knowledge DIR`); SUPPRESS
    # keeps a value given before the sub-command from being reset to None.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--knowledge", metavar="DIR", default=argparse.SUPPRESS, help=knowledge_help
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser(
        "check", parents=[common], help="validate the knowledge base and print a summary"
    )

    ask = commands.add_parser(
        "ask", parents=[common], help="answer one question, or one per line of standard input"
    )
    ask.add_argument("question", nargs="*", help="the question (omit to read standard input)")
    ask.add_argument("--json", action="store_true", help="print JSON (JSON Lines for stdin)")
    ask.add_argument("--lang", **LANG_OPTION)
    ask.add_argument(
        "--conversation",
        action="store_true",
        help="read the lines of standard input as one conversation (follow-ups in context)",
    )
    ask.add_argument(
        "--log", action="store_true", help="record the answers in the question log (DATABASE_URL)"
    )

    chat = commands.add_parser(
        "chat", parents=[common], help="interactive console with the Discord commands' forms"
    )
    chat.add_argument("--lang", **LANG_OPTION)

    draw = commands.add_parser(
        "map", parents=[common], help="draw the map of the clusters (a PNG file)"
    )
    draw.add_argument("--stage", help="first or second")
    draw.add_argument("--status", help="active or ended")
    draw.add_argument("--field", help="a key field, e.g. environment")
    draw.add_argument("--lang", choices=("en", "ja"), default="en", help="the labels' language")
    draw.add_argument("--out", required=True, metavar="FILE.png", help="where to write it")
    commands.add_parser("run", parents=[common], help="run the Discord bot (needs DISCORD_TOKEN)")

    sync = commands.add_parser(
        "sync", parents=[common], help="publish the slash commands to Discord"
    )
    sync.add_argument("--guild", type=int, metavar="ID", help="sync to one guild only")

    report = commands.add_parser(
        "report", help="the editors' report: unanswered questions, 👎 answers, answered rate"
    )
    report.add_argument(
        "--since", default="7d", metavar="PERIOD", help="how far back: 7d, 24h, 2w (default 7d)"
    )
    report.add_argument(
        "--format", choices=("text", "markdown", "csv", "json"), default="text", dest="fmt"
    )
    commands.add_parser(
        "health", help="exit 0 if the running bot's /healthz says it is healthy (METRICS_PORT)"
    )
    return parser


def _storage_settings() -> StorageSettings | int:
    """The question log's settings, or an exit code after saying what is wrong."""
    from bot.config import ConfigError, load_dotenv_once, storage_settings

    load_dotenv_once()
    try:
        return storage_settings()
    except ConfigError as exc:
        print(f"kcbot: configuration error: {exc}", file=sys.stderr)
        return EXIT_INVALID


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command
    if command is None:
        from bot.config import load_dotenv_once, token_configured

        load_dotenv_once()
        command = "run" if token_configured() else "chat"
        if command == "chat":
            print("No DISCORD_TOKEN configured: starting the offline console.", flush=True)

    if command == "check":
        from bot.kb.check import run_check

        return run_check(args.knowledge)
    if command == "map":
        from bot.console import load_application
        from bot.maps.offline import run_map

        app = load_application(args.knowledge)
        if app is None:
            return EXIT_INVALID
        return run_map(
            app,
            stage=args.stage,
            status=args.status,
            field=args.field,
            lang=args.lang,
            out=args.out,
        )
    if command in ("ask", "chat", "report"):
        storage = _storage_settings() if command != "ask" or args.log else None
        if isinstance(storage, int):
            return storage
        if command == "report":
            from bot.report.command import run_report

            return run_report(storage, args.since, args.fmt, sys.stdout, sys.stderr)
        from bot import console

        if command == "ask":
            return console.run_ask(
                args.knowledge,
                args.question,
                as_json=args.json,
                lang=args.lang,
                conversation=args.conversation,
                log=storage,
            )
        from bot import chat

        return chat.run_chat(args.knowledge, lang=getattr(args, "lang", "auto"), storage=storage)
    if command == "health":
        from bot.monitoring.probe import run_probe

        return run_probe()
    from bot.discord_app import runner

    if command == "run":
        return runner.run(args.knowledge)
    return runner.sync(args.knowledge, guild_id=args.guild)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
