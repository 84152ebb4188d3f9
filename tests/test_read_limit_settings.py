"""The read limits are settings: `check`, `ask`, `run` and /reload all honour them."""

from __future__ import annotations

import shutil
from pathlib import Path

import discord
import pytest

from bot import config, console
from bot.discord_app import runner
from bot.discord_app.client import KCBot
from bot.kb.check import run_check
from bot.kb.paths import shipped_knowledge_dir

# One comment line makes faq.yaml bigger than the default 1 MiB limit.
PADDING = "# " + "x" * (1024 * 1024) + "\n"
RAISED = str(4 * 1024 * 1024)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No .env, no inherited settings, no logging handlers installed on the root."""
    monkeypatch.setattr(config, "_dotenv_loaded", [None])
    for name in config.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ENGINE_CACHE_DIR", "off")
    monkeypatch.setattr(discord.utils, "setup_logging", lambda **kwargs: None)


@pytest.fixture
def big_base(tmp_path: Path) -> Path:
    """The shipped base with a faq.yaml of just over 1 MiB."""
    target = tmp_path / "knowledge"
    shutil.copytree(shipped_knowledge_dir(), target)
    faq = target / "faq.yaml"
    faq.write_text(PADDING + faq.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_check_refuses_a_big_file_by_default(big_base, capsys):
    """With the default limits a file over 1 MiB is refused."""
    assert run_check(str(big_base)) == 1
    assert "over the 1,048,576-byte limit" in capsys.readouterr().err


def test_check_accepts_it_with_the_limit_raised(big_base, capsys, monkeypatch):
    """KNOWLEDGE_MAX_FILE_BYTES raises the limit for `check`."""
    monkeypatch.setenv("KNOWLEDGE_MAX_FILE_BYTES", RAISED)
    assert run_check(str(big_base)) == 0, capsys.readouterr().err


def test_check_names_a_bad_limit(big_base, capsys, monkeypatch):
    """An unusable limit stops `check` with one line naming the variable."""
    monkeypatch.setenv("KNOWLEDGE_MAX_VALUES", "lots")
    assert run_check(str(big_base)) == 1
    assert "KNOWLEDGE_MAX_VALUES='lots'" in capsys.readouterr().err


def test_lowered_value_limit_is_honoured(big_base, capsys, monkeypatch):
    """KNOWLEDGE_MAX_VALUES lowers the number of values a file may hold."""
    monkeypatch.setenv("KNOWLEDGE_MAX_FILE_BYTES", RAISED)
    monkeypatch.setenv("KNOWLEDGE_MAX_VALUES", "100")
    assert run_check(str(big_base)) == 1
    assert "more than 100 values in one file" in capsys.readouterr().err


def test_ask_honours_the_raised_limit(big_base, capsys, monkeypatch):
    """`ask` loads the big base once the limit is raised."""
    monkeypatch.setenv("KNOWLEDGE_MAX_FILE_BYTES", RAISED)
    assert console.run_ask(str(big_base), ["what is a knowledge cluster"]) == 0


def test_run_and_reload_honour_the_raised_limit(big_base, monkeypatch):
    """`run` starts on the big base with the limit raised, and /reload's loader reads it too."""
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.token")
    monkeypatch.setenv("KNOWLEDGE_MAX_FILE_BYTES", RAISED)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(big_base))
    seen: list[KCBot] = []

    async def start(self: KCBot, token: str, *, reconnect: bool = True) -> None:
        seen.append(self)

    monkeypatch.setattr(KCBot, "start", start)
    assert runner.run() == 0
    assert seen[0].knowledge_loader().kb.faq
