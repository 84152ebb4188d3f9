"""Stopping the real bot process: SIGTERM exactly as SIGINT, and a stop under load.

The bot is `python -m bot run` (through `tests/shard_process.py`, which only points
discord.py at the double), with its question log in a SQLite file of the test's own.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.storage.urls import SQLITE_FILE_NAME
from tests.discord_double import DiscordDouble, InteractionRecord

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0


async def start_bot(double: DiscordDouble, data_dir: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "DISCORD_TOKEN": double.token,
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "INFO",
        "DEV_GUILD_ID": "",
        "OWNER_IDS": "",
        "COMMAND_COOLDOWN_RATE": "1000000",
    }
    env.pop("DATABASE_URL", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "tests" / "shard_process.py"),
        double.base_url,
        double.gateway_url,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    await double.wait_connected(0, timeout=START_TIMEOUT)
    return process


async def stop(process: asyncio.subprocess.Process, sig: int) -> tuple[int, str]:
    process.send_signal(sig)
    try:
        output, _ = await asyncio.wait_for(process.communicate(), STOP_TIMEOUT)
    except asyncio.TimeoutError:
        process.kill()
        output, _ = await process.communicate()
    return process.returncode, (output or b"").decode("utf-8", "replace")


def logged_answers(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / SQLITE_FILE_NAME) as db:
        return db.execute("SELECT COUNT(*) FROM answer_log").fetchone()[0]


def answer_sent(record: InteractionRecord) -> bool:
    """The asker got the answer: in the callback, or in the follow-up of a deferral."""
    if record.response is None:
        return False
    return record.response["type"] == 4 or bool(record.followups)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_stop_signal_keeps_every_logged_answer_and_closes_the_gateway(tmp_path, sig):
    async with DiscordDouble(ack_deadline=60.0) as double:
        process = await start_bot(double, tmp_path)
        for start in range(0, 200, 20):
            records = await asyncio.gather(
                *(
                    double.dispatch_interaction("ask", {"question": f"kyoto fields {n}"})
                    for n in range(start, start + 20)
                )
            )
            for record in records:
                await record.wait_response(timeout=30)
        code, output = await stop(process, sig)
        assert code == 0, output
        assert not double.session_valid(0)  # closed by the bot (1000), not dropped
    assert "Traceback" not in output
    assert logged_answers(tmp_path) == 200


async def test_a_stop_during_a_burst_finishes_what_runs_and_says_what_it_abandoned(tmp_path):
    async with DiscordDouble(ack_deadline=60.0) as double:
        process = await start_bot(double, tmp_path)
        records = await asyncio.gather(
            *(
                double.dispatch_interaction("ask", {"question": f"what fields does kyoto {n}"})
                for n in range(500)
            )
        )
        await double.wait_for(
            lambda: any(r.response for r in records), timeout=30, what="a first answer"
        )
        code, output = await stop(process, signal.SIGINT)
    assert code == 0, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if "stopping: the gateway is closed" in line]
    assert len(lines) == 1, output[-3000:]
    found = re.search(r"(\d+) were abandoned", lines[0])
    abandoned = int(found[1]) if found else 0
    sent = sum(answer_sent(r) for r in records)
    acknowledged_unanswered = sum(r.response is not None and not answer_sent(r) for r in records)
    assert sent > 0
    # Whatever was acknowledged but not answered was counted as abandoned ...
    assert acknowledged_unanswered <= abandoned
    # ... and every answer the log records as given was given, but for those abandoned.
    assert sent <= logged_answers(tmp_path) <= sent + abandoned
