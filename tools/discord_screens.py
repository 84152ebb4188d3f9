"""Play questions through the local Discord double and draw the bot's replies as Discord shows them.

    python tools/discord_screens.py OUT_DIR [--set NAME ...] [--width 780] [--payloads-only]

Runs the real bot (discord.py client, the shipped knowledge) against the double on
127.0.0.1, plays each step of the chosen sets (slash commands with a client locale,
mentions), records exactly what the bot sent, writes OUT_DIR/steps.json in the format of
../shared/tools/discord_view/render.py, and runs that renderer (headless Chromium; needs
Debian's chromium and fonts-noto-cjk) to OUT_DIR/NN-slug.png. Look at every picture.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import app as application  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.discord_app.client import KCBot  # noqa: E402
from tests.discord_double import DiscordDouble  # noqa: E402
from tests.discord_double.harness import running_bot  # noqa: E402

RENDERER = ROOT.parent / "shared" / "tools" / "discord_view" / "render.py"

# Each step: ("slash", name, options, locale) or ("mention", text).
SETS: dict[str, list[tuple[Any, ...]]] = {
    "en": [
        ("slash", "contact", {"region": "sapporo"}, "en-US"),
        ("slash", "region", {"name": "hamamatsu"}, "en-US"),
        ("slash", "stage", {"stage": "second"}, "en-US"),
        ("mention", "what is a knowledge cluster?"),
        ("mention", "tokyo"),
    ],
    "ja": [
        ("slash", "contact", {"region": "sapporo"}, "ja"),
        ("slash", "region", {"name": "浜松"}, "ja"),
        ("slash", "stage", {"stage": "second"}, "ja"),
        ("mention", "知的クラスターとは？"),
        ("mention", "京都の連絡先は？"),
    ],
}


class ScreenBot(KCBot):
    """No 5 s pause before a non-initial IDENTIFY (the double answers at once)."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


def _prompt(step: tuple[Any, ...]) -> Any:
    if step[0] == "slash":
        _, name, options, locale = step
        return {"slash": {"name": name, "options": options, "locale": locale}}
    return {"mention": step[1]}


async def _play(double: DiscordDouble, step: tuple[Any, ...]) -> list[dict[str, Any]]:
    if step[0] == "slash":
        _, name, options, locale = step
        record = await double.dispatch_interaction(name, options, locale=locale)
        replies = [await record.wait_response()]
        replies += record.followups
        return replies
    delivery = await double.dispatch_message(step[1], mention_bot=True)
    wanted = str(delivery.data["id"])
    for _ in range(200):
        found = [
            m
            for m in double.messages
            if str((m.get("message_reference") or {}).get("message_id")) == wanted
        ]
        if found:
            return found
        await asyncio.sleep(0.02)
    raise TimeoutError(f"no reply to {step[1]!r}")


async def record_steps(sets: list[str]) -> list[dict[str, Any]]:
    knowledge = application.load()
    steps: list[dict[str, Any]] = []
    async with DiscordDouble() as double:
        settings = load_settings(
            {"DISCORD_TOKEN": double.token, "DEV_GUILD_ID": str(double.guild.id)}
        )

        def factory(**options: Any) -> ScreenBot:
            return ScreenBot(settings=settings, knowledge=knowledge, **options)

        async with running_bot(double, factory):
            for name in sets:
                for step in SETS[name]:
                    steps.append({"prompt": _prompt(step), "replies": await _play(double, step)})
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--set", action="append", choices=sorted(SETS), dest="sets")
    parser.add_argument("--width", type=int, default=780)
    parser.add_argument("--payloads-only", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    steps = asyncio.run(record_steps(args.sets or sorted(SETS)))
    payloads = args.out / "steps.json"
    payloads.write_text(json.dumps(steps, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(steps)} steps written to {payloads}")
    if args.payloads_only:
        return 0
    command = [
        sys.executable,
        str(RENDERER),
        str(payloads),
        str(args.out),
        "--width",
        str(args.width),
    ]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
