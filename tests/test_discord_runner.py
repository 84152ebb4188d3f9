"""`python -m bot run`: one clear line and exit code 1 for every problem an operator must fix.

No network: the bot's `start` is replaced where a test gets that far.
"""

from __future__ import annotations

from pathlib import Path

import discord
import pytest

from bot import config
from bot.discord_app import runner
from bot.discord_app.client import KCBot

TOKEN = "MTIzNDU2Nzg5.very-secret-token"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No .env, no inherited settings, and no logging handlers installed on the root."""
    monkeypatch.setattr(config, "_dotenv_loaded", [None])
    for name in config.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(runner, "install_handler", lambda *args, **kwargs: None)


def fail_start(error: Exception):
    async def start(self: KCBot, token: str, *, reconnect: bool = True) -> None:
        raise error

    return start


def test_missing_token_exits_1_with_one_line(capsys):
    """Without DISCORD_TOKEN, run exits 1 and says which variable is missing."""
    assert runner.run() == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "DISCORD_TOKEN is not set" in err


def test_bad_setting_exits_1_naming_it(capsys, monkeypatch):
    """A bad configuration value exits 1 naming the variable and the value."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("COMMAND_COOLDOWN_RATE", "lots")
    assert runner.run() == 1
    assert "COMMAND_COOLDOWN_RATE='lots'" in capsys.readouterr().err


def test_invalid_knowledge_base_exits_1_listing_problems(capsys, monkeypatch, tmp_path):
    """An invalid knowledge base exits 1 after printing its problems."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    assert runner.run(str(tmp_path)) == 1
    err = capsys.readouterr().err
    assert "problem" in err
    assert "knowledge base is invalid" in err


def test_rejected_token_exits_1_without_showing_it(capsys, monkeypatch):
    """A token Discord rejects exits 1 with one line that does not contain the token."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setattr(KCBot, "start", fail_start(discord.LoginFailure("Improper token")))
    assert runner.run() == 1
    out, err = capsys.readouterr()
    assert "Discord rejected DISCORD_TOKEN" in err
    assert TOKEN not in out + err


def test_refused_intent_exits_1_explaining_the_portal_switch(capsys, monkeypatch):
    """A refused Message Content intent exits 1 saying where to enable it."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("FREE_TEXT_CHANNEL_IDS", "123456789012345678")
    monkeypatch.setattr(KCBot, "start", fail_start(discord.PrivilegedIntentsRequired(None)))
    assert runner.run() == 1
    assert "Privileged Gateway Intents" in capsys.readouterr().err


def test_clean_stop_exits_0(monkeypatch):
    """When the bot stops normally, run exits 0."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)

    async def start(self: KCBot, token: str, *, reconnect: bool = True) -> None:
        assert token == TOKEN
        assert self.settings.token == TOKEN

    monkeypatch.setattr(KCBot, "start", start)
    assert runner.run() == 0


def test_cli_knowledge_dir_wins_over_setting(monkeypatch, tmp_path):
    """--knowledge overrides KNOWLEDGE_DIR for the first load and for /reload."""
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path))  # empty: invalid if it were used
    shipped = str(Path(__file__).resolve().parents[1] / "knowledge")
    seen: list[KCBot] = []

    async def start(self: KCBot, token: str, *, reconnect: bool = True) -> None:
        seen.append(self)

    monkeypatch.setattr(KCBot, "start", start)
    assert runner.run(shipped) == 0
    assert seen[0].knowledge_loader().kb.clusters
