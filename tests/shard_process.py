"""One kcbot process for the two-process shard test: `python tests/shard_process.py
REST_BASE GATEWAY_URL` runs the real `python -m bot run` (settings from the environment:
SHARD_COUNT, SHARD_IDS, DATABASE_URL, ...) against the Discord double at those addresses.

Only the two base addresses are redirected, exactly as `redirect_discord` does in-process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import discord.gateway
import discord.http
import yarl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    base, gateway = argv
    discord.http.Route.BASE = base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    from bot.cli import main as kcbot

    return kcbot(["run"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
