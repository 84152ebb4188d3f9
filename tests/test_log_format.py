"""The bot's logs as operators read them: plain text in files and `docker logs`, colour only
on a terminal, JSON lines for log shippers (LOG_FORMAT=json), and no voice warning.

The first tests run the real `python -m bot run` in its own process against the Discord
double, its stderr a pipe as under Docker or systemd; the others look at one part each.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import discord
import pytest

from bot.discord_app.runner import configure_logging
from bot.ops.logformat import JsonFormatter, install_handler, wants_colour
from bot.ops.logs import RedactSecrets
from tests.discord_double import DiscordDouble
from tests.test_e2e_shard_processes import START_TIMEOUT, start_shard, stop

ANSI = re.compile(r"\x1b\[[0-9;]*m")
VOICE_WARNING = "voice will NOT be supported"


async def run_bot_once(log_format: str, tmp_path: Path) -> str:
    """Start the bot in a process, have it answer one /ask, stop it with SIGINT (as Docker
    does) and return what it wrote (stderr and stdout, as `docker logs` shows them)."""
    env = {
        "DISCORD_TOKEN": "test-token",
        "SHARD_COUNT": "1",
        "DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": log_format,
        "DEV_GUILD_ID": "",
        "OWNER_IDS": "",
        "QUESTION_LOG": "false",
        "NO_COLOR": "",  # unset as far as the bot is concerned: the pipe alone turns colour off
    }
    async with DiscordDouble() as double:
        process = await start_shard(double, 0, env)
        try:
            await double.wait_connected(0, timeout=START_TIMEOUT)
            record = await double.dispatch_interaction(
                "ask", {"question": "what fields does kyoto cover"}, timeout=START_TIMEOUT
            )
            await record.wait_response(timeout=START_TIMEOUT)
        finally:
            code, output = await stop(process)
    assert code == 0, output
    return output


async def test_text_logs_in_a_pipe_have_no_colour_codes_and_no_voice_warning(tmp_path):
    """Not a terminal (a file, `docker logs`): plain lines in discord.py's layout, the
    answer line among them; the voice warning of this text-only bot is gone."""
    output = await run_bot_once("text", tmp_path)
    assert "\x1b[" not in output
    assert VOICE_WARNING not in output
    lines = output.splitlines()
    assert any("] bot.app: answered via=/ask " in line for line in lines), output
    assert re.match(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] \[INFO    \] ", lines[0]), lines[0]


async def test_json_logs_are_one_object_a_line_with_the_answer_fields(tmp_path):
    """LOG_FORMAT=json: every line of stderr is a JSON object with time, level, logger and
    message; the answer's values are keys of their own, with their types."""
    output = await run_bot_once("json", tmp_path)
    records = [json.loads(line) for line in output.splitlines()]
    assert records
    for record in records:
        assert {"time", "level", "logger", "message"} <= record.keys()
        assert record["time"].endswith("+00:00")
    assert not [r for r in records if VOICE_WARNING in r["message"]]
    (answer,) = [r for r in records if r["logger"] == "bot.app"]
    assert answer["via"] == "/ask"
    assert isinstance(answer["intent"], str)
    assert isinstance(answer["rule"], str)
    assert answer["answered"] is True
    assert isinstance(answer["latency_ms"], float)
    assert answer["guild"].isdigit()  # a snowflake, as a string: JSON's numbers lose digits
    assert answer["user"].isdigit()
    assert answer["message"].startswith("answered via=/ask ")


def test_voice_warnings_are_off_and_the_loggers_other_warnings_stay(monkeypatch):
    """A fresh process without PyNaCl and davey warns at the first client; after the
    bot's logging set-up it does not, and discord.client's other warnings still show."""
    from discord.voice_client import VoiceClient

    stream = io.StringIO()
    with restored_root():
        install_handler("INFO", handler=logging.StreamHandler(stream))
        # The state of a process that has made no client yet (an earlier test may have).
        monkeypatch.setattr(VoiceClient, "warn_nacl", True)
        monkeypatch.setattr(VoiceClient, "warn_dave", True)
        discord.Client(intents=discord.Intents.none())
        assert VOICE_WARNING in stream.getvalue()  # what every start printed before

        stream.seek(0)
        stream.truncate()
        monkeypatch.setattr(VoiceClient, "warn_nacl", True)
        monkeypatch.setattr(VoiceClient, "warn_dave", True)
        configure_logging("INFO", handler=logging.StreamHandler(stream))
        discord.Client(intents=discord.Intents.none())
        logging.getLogger("discord.client").warning("another warning of that logger")
    output = stream.getvalue()
    assert VOICE_WARNING not in output
    assert "another warning of that logger" in output


def test_text_is_coloured_on_a_terminal_only(monkeypatch):
    """A real pseudo-terminal gets colour; the same line without its colour codes is the
    plain line a pipe gets."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    with pseudo_terminal() as terminal, restored_root():
        pipe = io.StringIO()
        on_terminal = install_handler("INFO", handler=logging.StreamHandler(terminal))
        in_a_pipe = install_handler("INFO", handler=logging.StreamHandler(pipe))
        record = logging.makeLogRecord(
            {"name": "bot.app", "levelno": logging.WARNING, "levelname": "WARNING", "msg": "x"}
        )
        coloured = on_terminal.format(record)
        plain = in_a_pipe.format(record)
    assert "\x1b[" in coloured
    assert "\x1b[" not in plain
    assert ANSI.sub("", coloured) == plain
    assert plain.endswith("] [WARNING ] bot.app: x")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({}, True), ({"NO_COLOR": "1"}, False), ({"TERM": "dumb"}, False)],
)
def test_no_color_and_a_dumb_terminal_turn_colour_off(environ, expected):
    with pseudo_terminal() as terminal:
        assert wants_colour(terminal, environ) is expected
    assert wants_colour(io.StringIO(), {}) is False


def test_json_tracebacks_are_redacted_and_stay_on_one_line():
    """A token in an exception's message is removed from the JSON record too (the
    traceback is taken from what the redaction filter left), and the record is one line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactSecrets(["s3cret-bot-token"]))
    logger = logging.getLogger("kcbot-test-json")
    logger.addHandler(handler)
    try:
        try:
            raise RuntimeError("POST /webhooks/1/aW50ZXJhY3Rpb24 with s3cret-bot-token")
        except RuntimeError:
            logger.exception("request\nfailed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert output.count("\n") == 1
    (record,) = [json.loads(line) for line in output.splitlines()]
    assert record["message"] == "request\nfailed"
    assert record["level"] == "ERROR"
    assert "RuntimeError" in record["exception"]
    assert "s3cret-bot-token" not in output
    assert "aW50ZXJhY3Rpb24" not in output


def test_structured_fields_never_replace_the_four_keys():
    record = logging.makeLogRecord(
        {"name": "bot.app", "levelname": "INFO", "msg": "m", "fields": {"level": "x", "a": 1}}
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "INFO"
    assert entry["a"] == 1


def test_the_bots_logging_writes_to_stderr_when_no_handler_is_given(capsys):
    """`run` installs its own handler on stderr (regression: passing handler=None to
    discord.py raised AttributeError on every start)."""
    with restored_root():
        configure_logging("WARNING", secrets=["a-token-value"])
        logging.getLogger("kcbot-test").warning("seen with a-token-value")
    err = capsys.readouterr().err
    assert "] [WARNING ] kcbot-test: seen with [redacted]" in err


@contextlib.contextmanager
def pseudo_terminal() -> Iterator[TextIO]:
    """The terminal end of a real pseudo-terminal, as a text stream."""
    primary, secondary = os.openpty()
    try:
        with os.fdopen(secondary, "w") as terminal:
            yield terminal
    finally:
        os.close(primary)


@contextlib.contextmanager
def restored_root() -> Iterator[None]:
    """The root logger's handlers and level as they were before the block."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
