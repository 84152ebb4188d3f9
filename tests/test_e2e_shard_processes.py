"""Two bot processes, one shard each, writing to one PostgreSQL server: the deployment of
docker-compose.yml, with the Discord double in place of Discord.

Each process is the real `python -m bot run` (through `tests/shard_process.py`, which only
points discord.py at the double); it is stopped with SIGINT, as Docker's STOPSIGNAL does,
and writes its queued records out before exiting.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.storage.records import DOWN
from bot.storage.urls import parse_database_url
from tests.discord_double import DiscordDouble
from tests.storage_support import opened

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0


async def start_shard(
    double: DiscordDouble, shard: int, env: dict[str, str]
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "tests" / "shard_process.py"),
        double.base_url,
        double.gateway_url,
        env={**os.environ, **env, "SHARD_IDS": str(shard)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def stop(process: asyncio.subprocess.Process) -> tuple[int, str]:
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
    try:
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    except asyncio.TimeoutError:
        process.kill()
        output, _ = await process.communicate()
    return process.returncode or 0, (output or b"").decode("utf-8", "replace")


async def test_two_shard_processes_write_to_one_postgres(postgres_url, tmp_path):
    secret = "shared-secret-for-both-processes"
    env = {
        "DISCORD_TOKEN": "test-token",
        "SHARD_COUNT": "2",
        "DATABASE_URL": postgres_url,
        "DATA_DIR": str(tmp_path),
        "FEEDBACK_SECRET": secret,
        "LOG_LEVEL": "WARNING",
        "DEV_GUILD_ID": "",
        "OWNER_IDS": "",
    }
    async with DiscordDouble(shard_count=2) as double:
        processes = [await start_shard(double, shard, env) for shard in (0, 1)]
        try:
            for shard in (0, 1):
                await double.wait_connected(shard, timeout=START_TIMEOUT)
            records = {}
            # A question each (the guilds' own words would be words the engine cannot read).
            places = iter(("kyoto", "ube", "sapporo", "kobe"))
            for guild in double.guilds:
                record = await double.dispatch_interaction(
                    "ask",
                    {"question": f"what fields does {next(places)} cover"},
                    channel=guild.text_channel,
                    timeout=START_TIMEOUT,
                )
                await record.wait_response(timeout=START_TIMEOUT)
                records[guild.shard_id(2)] = record
            # A 👎 on the answer of the second process, clicked where it was sent.
            answer = records[1].original
            [down] = [
                c["custom_id"]
                for row in answer["components"]
                for c in row["components"]
                if ":down:" in c["custom_id"]
            ]
            click = await double.dispatch_component(answer, down)
            await click.wait_response(timeout=10)
        finally:
            results = [await stop(p) for p in processes]
        for code, output in results:
            assert code == 0, output
        delivered = {d.shard_id for d in double.deliveries if d.event == "INTERACTION_CREATE"}
        assert delivered == {0, 1}
        double.assert_clean()

    async with opened(parse_database_url(postgres_url, tmp_path)) as store:
        answers = await store.answers_since(0)
        votes = await store.votes_since(0)
    assert len(answers) == 2
    assert {a.route for a in answers} == {"/ask"}
    assert [(v.vote, v.answer_id in {a.answer_id for a in answers}) for v in votes] == [
        (DOWN, True)
    ]


@pytest.fixture(autouse=True)
def _needs_the_launcher():
    assert (ROOT / "tests" / "shard_process.py").exists()
