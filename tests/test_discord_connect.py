"""Start-up that rides out the network, and one line for what only the operator can fix.

Discord is "unreachable" through a closed port on 127.0.0.1; the double stands in for it
once it is back. Every loop is bounded.
"""

from __future__ import annotations

import asyncio
import logging
import socket

import discord
import discord.http
import pytest

from bot.discord_app import runner
from bot.discord_app.connect import run_until_stopped
from tests.discord_double import DiscordDouble, redirect_discord
from tests.test_e2e_discord import bot_factory, e2e_settings

FIRST_DELAY = 0.05


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def engine():
    """The shipped knowledge (engine and catalogues) the bots start with."""
    from tests.support import shipped_knowledge

    return shipped_knowledge()


async def test_network_down_at_start_is_retried_with_backoff_until_discord_is_back(
    engine, monkeypatch, caplog
):
    """Unreachable at start: one warning line per attempt, delays doubling, no traceback;
    once Discord answers, the bot connects and serves."""
    async with DiscordDouble() as double:
        settings = e2e_settings(double)
        make = bot_factory(settings, engine)
        bots = []
        delays: list[float] = []

        def make_bot(current_engine):
            bots.append(make(guild_ready_timeout=0.1))
            return bots[-1]

        async def sleep(delay: float) -> None:
            delays.append(delay)
            if len(delays) == 3:  # the network is back
                monkeypatch.setattr(discord.http.Route, "BASE", double.base_url)
            await asyncio.sleep(0)

        with redirect_discord(double, monkeypatch):
            monkeypatch.setattr(
                discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port()}/api/v10"
            )
            with caplog.at_level(logging.DEBUG):
                task = asyncio.create_task(
                    run_until_stopped(
                        make_bot,
                        engine,
                        double.token,
                        max_delay=0.15,
                        first_delay=FIRST_DELAY,
                        sleep=sleep,
                    )
                )
                await double.wait_for_identify(timeout=20)
                record = await double.dispatch_interaction("contact", {"region": "sapporo"})
                assert "SAPPORO" in str(await record.wait_response())
                await bots[-1].close()
                await asyncio.wait_for(task, 10)
        double.assert_clean()
    assert delays == [0.05, 0.1, 0.15]  # doubling, capped
    warnings = [r for r in caplog.records if r.name == "bot.discord_app.connect"]
    assert len(warnings) == 3
    for attempt, warning in enumerate(warnings, 1):
        message = warning.getMessage()
        assert "\n" not in message
        assert message.startswith("cannot reach Discord (ClientConnectorError")
        assert f"attempt {attempt} failed" in message
        assert warning.exc_info is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Unclosed" not in caplog.text


async def test_token_reset_while_running_exits_1_with_one_line(engine, capsys):
    """Gateway close 4004 while running: exit code 1 and one line, no traceback."""
    async with DiscordDouble() as double:
        make = bot_factory(e2e_settings(double), engine)
        bots = []

        def make_bot(current_engine):
            bots.append(make(guild_ready_timeout=0.1))
            return bots[-1]

        with redirect_discord(double):
            task = asyncio.create_task(
                runner.exit_code_of(
                    run_until_stopped(make_bot, engine, double.token, max_delay=1.0)
                )
            )
            await double.wait_connected(0, timeout=20)
            await double.close_connection(0, code=4004)
            code = await asyncio.wait_for(task, 20)
    assert code == 1
    assert len(bots) == 1  # not retried
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Discord rejected DISCORD_TOKEN (gateway close 4004" in err
    assert "Traceback" not in err


async def test_rejected_token_at_login_is_not_retried(engine, capsys):
    """A wrong token at login: exit 1 at once, one line."""
    async with DiscordDouble() as double:
        make = bot_factory(e2e_settings(double), engine)
        with redirect_discord(double):
            code = await runner.exit_code_of(
                run_until_stopped(
                    lambda current: make(guild_ready_timeout=0.1),
                    engine,
                    "wrong-token",
                    max_delay=1.0,
                )
            )
    assert code == 1
    assert "Discord rejected DISCORD_TOKEN" in capsys.readouterr().err
