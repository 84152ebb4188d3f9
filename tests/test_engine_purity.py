"""The engine and knowledge layers never import discord (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = r"""
import importlib, importlib.util, json, sys

for name in ("bot.kb", "bot.console"):
    if importlib.util.find_spec(name) is not None:
        importlib.import_module(name)

from bot.engine import build_engine
from bot.engine.render_text import render_plain

engine = build_engine()
answer = engine.ask("what fields does kyoto cover")
render_plain(answer)

loaded = sorted(
    m for m in sys.modules
    if m == "discord" or m.startswith("discord.") or m.startswith("bot.discord_app")
)
print(json.dumps({"answered": answer.answered, "loaded": loaded}))
"""


def test_engine_does_not_import_discord(tmp_path):
    """Importing bot.engine (and bot.kb, bot.console), building and asking loads no discord."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=tmp_path,  # the installed package, not the working directory
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["loaded"] == [], f"discord layer imported: {report['loaded']}"
    assert report["answered"] is True
