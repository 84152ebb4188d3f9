"""The engine and knowledge layers never import discord (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = r"""
import importlib, importlib.util, json, sys

for name in ("bot.kb", "bot.console", "bot.i18n.localize", "bot.kb.check"):
    if importlib.util.find_spec(name) is not None:
        importlib.import_module(name)

from bot import app
from bot.render.plain import answer_to_dict, render_plain

application = app.Application(app.load())
response = application.handle(app.Request("ask", "what fields does kyoto cover"))
render_plain(response.reply)
answer_to_dict(response.reply)
answer = response.answer

loaded = sorted(
    m for m in sys.modules
    if m == "discord" or m.startswith("discord.") or m.startswith("bot.discord_app")
)
print(json.dumps({"answered": answer.answered, "loaded": loaded}))
"""


def test_engine_does_not_import_discord(tmp_path):
    """Importing the engine, knowledge, catalogue and console layers, building the
    application and answering through it loads no discord."""
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
