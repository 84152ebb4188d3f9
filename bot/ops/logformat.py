"""How the bot's log lines look: text for people, or JSON lines for log shippers (LOG_FORMAT).

Text keeps discord.py's layout (`[time] [LEVEL   ] logger: message`) and is coloured only
when its stream is a terminal and NO_COLOR (no-color.org) is unset: discord.py's own
formatter also colours whenever it runs in Docker, which puts ANSI codes into `docker logs`
and files. JSON is one object a line: `time` (ISO 8601, UTC), `level`, `logger`, `message`,
the record's structured fields as their own keys (the answer line's route, rule, intent,
latency, ...) and `exception` when there is a traceback.

Both take a traceback from `exc_text`, which `RedactSecrets` has already cleaned: discord.py's
colour formatter and python-json-logger format `exc_info` again, which would print the
tokens the filter removed; that is why these few lines are ours rather than a library's.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from bot.ops.logs import redact_handlers
from bot.ops.textio import json_line

LOG_FORMATS = ("text", "json")
FIELDS = "fields"  # the `extra` key under which a record carries its structured fields
TEXT_LAYOUT = "[{asctime}] [{levelname:<8}] {name}: {message}"  # discord.py's plain layout
TIME_LAYOUT = "%Y-%m-%d %H:%M:%S"

_RESET = "\x1b[0m"
_DIM, _NAME = "\x1b[30;1m", "\x1b[35m"
_LEVEL_COLOURS = {  # discord.py's colours, so a terminal looks as its users know it
    logging.DEBUG: "\x1b[40;1m",
    logging.INFO: "\x1b[34;1m",
    logging.WARNING: "\x1b[33;1m",
    logging.ERROR: "\x1b[31m",
    logging.CRITICAL: "\x1b[41m",
}


def structured(**values: Any) -> dict[str, dict[str, Any]]:
    """`extra=` for a record whose values JSON logs keep as their own keys."""
    return {FIELDS: values}


def record_fields(record: logging.LogRecord) -> Mapping[str, Any]:
    values = getattr(record, FIELDS, None)
    return values if isinstance(values, Mapping) else {}


class TextFormatter(logging.Formatter):
    """discord.py's layout; with `colour`, the time, level and logger in ANSI colours."""

    def __init__(self, *, colour: bool = False) -> None:
        super().__init__(TEXT_LAYOUT, TIME_LAYOUT, style="{")
        self.colour = colour

    def formatMessage(self, record: logging.LogRecord) -> str:
        if not self.colour:
            return super().formatMessage(record)
        level = _LEVEL_COLOURS.get(record.levelno, _LEVEL_COLOURS[logging.DEBUG])
        return (
            f"{_DIM}[{record.asctime}]{_RESET} {level}[{record.levelname:<8}]{_RESET} "
            f"{_NAME}{record.name}{_RESET}: {record.message}"
        )


class JsonFormatter(logging.Formatter):
    """One JSON object a line (newlines and U+2028 inside values escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record_fields(record).items():
            entry.setdefault(key, value)  # the four keys above are never overwritten
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json_line(entry)


def wants_colour(stream: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only for a person at a terminal who has not asked for none."""
    env = os.environ if environ is None else environ
    is_terminal = bool(getattr(stream, "isatty", None) and stream.isatty())
    return is_terminal and not env.get("NO_COLOR") and env.get("TERM") != "dumb"


def formatter_for(log_format: str, stream: Any) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    if log_format == "text":
        return TextFormatter(colour=wants_colour(stream))
    raise ValueError(f"unknown log format {log_format!r}; known: {', '.join(LOG_FORMATS)}")


def install_handler(
    level: str,
    *,
    log_format: str = "text",
    secrets: Iterable[str] = (),
    handler: logging.Handler | None = None,
) -> logging.Handler:
    """Log everything at `level` and above to `handler` (default: stderr) in `log_format`,
    with tokens and `secrets` redacted from every record before any handler writes it."""
    handler = handler or logging.StreamHandler()
    handler.setFormatter(formatter_for(log_format, getattr(handler, "stream", None)))
    root = logging.getLogger()
    root.setLevel(getattr(logging, level))
    root.addHandler(handler)
    redact_handlers(root, secrets)
    return handler
