"""Play questions through the local Discord double and draw the bot's replies as Discord shows them.

    python tools/discord_screens.py OUT_DIR [--set NAME ...] [--width PX ...] [--payloads-only]
    python tools/discord_screens.py --docs      # regenerate docs/screenshots/ (both widths)

Runs the real bot (discord.py client, the shipped knowledge) against the double on
127.0.0.1, plays each step of the chosen sets (slash commands with a client locale,
mentions, clicks), records exactly what the bot sent, writes OUT_DIR/steps.json in the
format of ../shared/tools/discord_view/render.py, and runs that renderer (headless
Chromium; needs Debian's chromium and fonts-noto-cjk) to OUT_DIR/NN-slug.png, once per
width: at several widths, into OUT_DIR/<width>/ each (780 is a desktop client, 420 a phone
held upright). Each set runs on a bot of its own, so no conversation carries over from one
set to the next.

`kinds-en` and `kinds-ja` play every kind of reply (one cluster, a place with several, a
listing, a count, contacts with and without a known contact, the Sources button, a
programme answer, a decline, a did-you-mean, a fact the sources lack, help, about, a
follow-up, a map, a notice, a greeting). `--docs` draws the pictures the README and
docs/screenshots/ show (`DOC_SHOTS`), at desktop width as NAME.png and at phone width as
NAME-phone.png. Look at every picture, at both widths.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import functools
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
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

# Each step: ("slash", name, options, locale), ("mention", text), ("click", label, step)
# (a button of step's reply, 1-based), ("select", value, step) (a pick in its menu),
# ("menu", name, text) (a message menu on a message saying text), ("as_other", step) (the
# next click or pick is by another user).
SETS: dict[str, list[tuple[Any, ...]]] = {
    "conversation-en": [
        ("mention", "who runs the sapporo cluster"),
        ("mention", "and its phone number?"),
        ("slash", "region", {"name": "hamamatsu"}, "en-US"),
        ("select", "hamamatsu-first", 3),
        ("click", "Contact details", 4),
        ("mention", "tokyo contact"),
        ("click", "Kyoto", 6),
        ("mention", "which clusters work on environment"),
        ("mention", "only the active ones"),
        ("menu", "Ask kcbot", "what page is ube on?"),
        ("as_other",),
        ("click", "Overview", 10),
        ("slash", "ask", {"question": "what is the weather in Paris"}, "en-US"),
        ("click", "Show on a map", 9),
        ("mention", "who directs the kyoto cluster?"),
        ("mention", "and its website?"),  # a lacking fact, of the same cluster
        ("mention", "what about ube?"),  # the same lacking fact, of another place
        ("mention", "is the program still running?"),  # the programme's own status
    ],
    "conversation-ja": [
        ("mention", "京都の分野は？"),
        ("mention", "その連絡先は？"),
        ("mention", "神戸は？"),
        ("mention", "二つ目"),
        ("click", "概要", 4),
        ("slash", "ask", {"question": "環境分野のクラスターは？", "private": True}, "ja"),
        ("mention", "実施中のクラスター一覧"),
        ("mention", "第II期は？"),
        ("slash", "region", {"name": "仙台"}, "ja"),
        ("select", "sendai-first", 9),
        ("click", "地図で見る", 10),
        ("mention", "京都の連絡先は？"),
        ("mention", "その所長は？"),
        ("mention", "宇部は？"),
        ("mention", "知的クラスター創成事業はまだ続いていますか"),
    ],
    "en": [
        ("slash", "contact", {"region": "sapporo"}, "en-US"),
        ("slash", "region", {"name": "hamamatsu"}, "en-US"),
        ("slash", "stage", {"stage": "second"}, "en-US"),
        ("mention", "what is a knowledge cluster?"),
        ("mention", "tokyo"),
    ],
    "kinds-en": [
        ("slash", "region", {"name": "kyoto"}, "en-US"),  # 1 one cluster
        ("slash", "region", {"name": "hamamatsu"}, "en-US"),  # 2 a place with two clusters
        ("slash", "stage", {"stage": "first"}, "en-US"),  # 3 a listing in groups
        ("slash", "field", {"field": "environment"}, "en-US"),  # 4 a listing of one field
        ("mention", "how many clusters are there?"),  # 5 a count
        ("slash", "contact", {"region": "sapporo"}, "en-US"),  # 6 a contact
        ("click", "Sources", 6),  # 7 the full citations
        ("mention", "who do I contact about the Kyoto cluster?"),  # 8 no contact known
        ("mention", "what is a knowledge cluster?"),  # 9 a programme answer
        ("mention", "who won the world cup?"),  # 10 a decline
        ("mention", "tokyo"),  # 11 did you mean
        ("mention", "who directs the kyoto cluster?"),  # 12 not in the sources
        ("slash", "help", {}, "en-US"),  # 13
        ("slash", "about", {}, "en-US"),  # 14
        ("mention", "who runs the sendai cluster"),  # 15
        ("mention", "and its phone number?"),  # 16 a follow-up
        ("slash", "map", {"stage": "second"}, "en-US"),  # 17 a map
        ("slash", "ask", {"question": "why " * 130}, "en-US"),  # 18 a notice (too long)
        ("mention", "hello"),  # 19 a greeting
        ("mention", "does kyoto work on IT?"),  # 20 a yes/no about a field
        ("mention", "how many clusters work in environment?"),  # 21 a count that names a few
        ("mention", "what fields does hamamatsu cover?"),  # 22 the fields asked, in full
    ],
    # The replies added in wave 3's last session, to look at as a user sees them.
    "wave3": [
        ("mention", "chiteki kurasutaa sousei jigyou tte nani?"),  # the programme named alone
        ("mention", "core organizations of the clusters in kyushu"),  # an area, one by one
        ("mention", "were there 7 second stage clusters?"),  # a claimed count
        ("mention", "what field was the nagano prefecture region cluster?"),
        ("mention", "and the other one?"),  # the sibling follow-up
        (
            "mention",
            "if you split the 2004 budget evenly over the 18 first-stage clusters, how much each?",
        ),
        ("mention", "目次で最初に載っているクラスターは？"),  # the contents' order
    ],
    # The replies added in wave 3's third session.
    "wave3-followups": [
        ("mention", "what was Kitakyushu Science and Research Park's focus?"),
        ("mention", "ended or active?"),  # a status alone, of the cluster just answered
        ("mention", "ok and in japanese?"),  # the previous answer again, in Japanese
        ("mention", "second stage IT clusters other than Hamamatsu?"),  # a name left out
        ("mention", "Is Kyoto the only cluster that did nothing but nanotech?"),
        ("mention", "how many stages were there?"),  # stages counted, not clusters
        ("mention", "The initiative started in 2001, correct?"),  # a year claimed
    ],
    "kinds-ja": [
        ("slash", "region", {"name": "京都"}, "ja"),
        ("slash", "region", {"name": "浜松"}, "ja"),
        ("slash", "stage", {"stage": "first"}, "ja"),
        ("slash", "field", {"field": "environment"}, "ja"),
        ("mention", "クラスターはいくつありますか"),
        ("slash", "contact", {"region": "札幌"}, "ja"),
        ("click", "出典", 6),
        ("mention", "京都の連絡先は？"),
        ("mention", "知的クラスターとは？"),
        ("mention", "今日の天気は？"),
        ("mention", "東京"),
        ("mention", "京都のクラスターの代表者は？"),
        ("slash", "help", {}, "ja"),
        ("slash", "about", {}, "ja"),
        ("mention", "仙台のクラスターの中核機関は？"),
        ("mention", "その電話番号は？"),
        ("slash", "map", {"stage": "second"}, "ja"),
        ("slash", "ask", {"question": "なぜ" * 260}, "ja"),
        ("mention", "こんにちは"),
        ("mention", "京都はITの分野ですか？"),
        ("mention", "環境分野のクラスターはいくつ？"),
        ("mention", "浜松の分野は？"),
    ],
    "one-fact-en": [
        ("mention", "contact for sendai"),  # 1 the card
        ("mention", "and the fax?"),  # 2 one fact asked: one line
        ("click", "Full contact card", 2),  # 3 the card, one click away
        ("slash", "contact", {"region": "hokkaido"}, "en-US"),  # 4
        ("mention", "what's the phone number?"),  # 5
        ("mention", "who runs the Sapporo cluster?"),  # 6 the organization in a sentence
        ("mention", "what is the phone number of NOASTEC"),  # 7
        ("mention", "sendai office postcode"),  # 8
        ("slash", "contact", {"region": "kyoto"}, "en-US"),  # 9 a substitute, titled as one
        ("mention", "kanazawa phone number"),  # 10 a substitute for one fact
        ("mention", "what's MEXT's phone number?"),  # 11 an organization's detail
        ("mention", "contact details and key fields of Ube? What are the fields of Kyoto?"),
    ],
    "one-fact-ja": [
        ("mention", "仙台の連絡先は？"),
        ("mention", "FAXは？"),
        ("click", "連絡先をすべて見る", 2),
        ("mention", "札幌のクラスターについて教えて"),
        ("mention", "中核機関は？"),
        ("slash", "contact", {"region": "京都"}, "ja"),
        ("mention", "金沢の電話番号は？"),
        ("mention", "浜松の電話番号は？"),
        ("mention", "京都と金沢の分野は？まだ実施中ですか？"),
    ],
    "reading-en": [
        ("mention", "who led the hamamatsu cluster?"),  # 1 an unread word: an offer
        ("mention", "what percentage of the first stage clusters are still active"),  # 2
        ("mention", "what was the budget of the ended clusters?"),  # 3 none per cluster
        ("mention", "is there a cluster in okinawa?"),  # 4 a listing's No
        ("mention", "list the active clusters"),  # 5
        ("mention", "which of them are in kyushu?"),  # 6 narrowed to an area
        ("mention", "how many more clusters were in the first stage than in the second?"),
        ("mention", "what fields does kyoto cover? zorblat"),  # 8 an unread clause
        ("mention", "has the hamamatsu cluster ended?"),  # 9 same-named clusters told apart
    ],
    "reading-ja": [
        ("mention", "浜松を率いたのは誰？"),
        ("mention", "第1期のクラスターのうち実施中の割合は？"),
        ("mention", "終了したクラスターの予算は？"),
        ("mention", "沖縄にクラスターはある？"),
        ("mention", "実施中のクラスター"),
        ("mention", "そのうち九州のものは？"),
        ("mention", "終了したクラスターは？"),
    ],
    "ja": [
        ("slash", "contact", {"region": "sapporo"}, "ja"),
        ("slash", "region", {"name": "浜松"}, "ja"),
        ("slash", "stage", {"stage": "second"}, "ja"),
        ("mention", "知的クラスターとは？"),
        ("mention", "京都の連絡先は？"),
    ],
}


# The pictures docs/screenshots/ keeps (`--docs`): (set, step number, file name).
DOC_SHOTS = (
    ("kinds-en", 1, "one-cluster"),
    ("kinds-en", 2, "place"),
    ("kinds-en", 3, "listing"),
    ("kinds-en", 5, "count"),
    ("kinds-en", 6, "contact"),
    ("kinds-en", 7, "sources"),
    ("kinds-en", 8, "contact-none"),
    ("kinds-en", 10, "decline"),
    ("kinds-en", 11, "did-you-mean"),
    ("kinds-en", 13, "help"),
    ("kinds-en", 14, "about"),
    ("kinds-ja", 2, "place-ja"),
    ("kinds-ja", 4, "listing-ja"),
    ("kinds-ja", 8, "contact-none-ja"),
    ("kinds-ja", 16, "followup-ja"),
    ("kinds-en", 17, "map-reply"),
    ("kinds-ja", 17, "map-reply-ja"),
)
DOCS = ROOT / "docs" / "screenshots"


class ScreenBot(KCBot):
    """No 5 s pause before a non-initial IDENTIFY (the double answers at once)."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


def _prompt(step: tuple[Any, ...]) -> Any:
    if step[0] == "slash":
        _, name, options, locale = step
        return {"slash": {"name": name, "options": options, "locale": locale}}
    if step[0] == "click":
        return {"click": {"label": step[1], "step": step[2]}}
    if step[0] == "select":
        return {"select": {"values": [step[1]], "step": step[2]}}
    if step[0] == "menu":
        return {"menu": {"name": step[1], "text": step[2]}}
    return {"mention": step[1]}


class Player:
    """Plays steps through the double, remembering each step's first reply message (the
    one a later click or pick is on)."""

    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        self.messages: list[dict[str, Any] | None] = []
        self.clicker = double.user

    async def play(self, step: tuple[Any, ...]) -> list[dict[str, Any]]:
        if step[0] == "as_other":
            self.clicker = self.double.users[2]
            return []
        replies, message = await self._play(step)
        self.messages.append(message)
        self.clicker = self.double.user
        return replies

    async def _play(self, step: tuple[Any, ...]) -> tuple[list[dict[str, Any]], Any]:
        double = self.double
        if step[0] in ("click", "select"):
            message = self.messages[step[2] - 1]
            items = [c for row in message["components"] for c in row["components"]]
            if step[0] == "click":
                (custom_id,) = [c["custom_id"] for c in items if c.get("label") == step[1]]
                record = await double.dispatch_component(message, custom_id, user=self.clicker)
            else:
                (menu,) = [c for c in items if c["type"] == 3]
                record = await double.dispatch_component(
                    message,
                    menu["custom_id"],
                    component_type=3,
                    values=[step[1]],
                    user=self.clicker,
                )
            replies = [await record.wait_response()]
            if replies[0].get("type") == 5:  # deferred: the answer is the follow-up
                replies.append(await record.wait_followup())
            return _with_files(replies, record), record.original
        if step[0] == "menu":
            target = await double.dispatch_message(step[2])
            record = await double.dispatch_message_command(step[1], int(target.data["id"]))
            replies = [await record.wait_response()]
            if replies[0].get("type") == 5:  # deferred: the answer is the follow-up
                replies.append(await record.wait_followup())
            return _with_files(replies, record), record.original
        if step[0] == "slash":
            _, name, options, locale = step
            record = await double.dispatch_interaction(name, options, locale=locale)
            replies = [await record.wait_response()]
            if replies[0].get("type") == 5:  # deferred (a map being drawn): wait for it
                replies.append(await record.wait_followup())
                return _with_files(replies, record), record.original
            replies += record.followups
            return replies, record.original
        replies = await _play_mention(double, step)
        return replies, replies[0]


def _with_files(replies: list[dict[str, Any]], record: Any) -> list[dict[str, Any]]:
    """The last reply with the files uploaded for it (a map), as the renderer takes them."""
    uploads = getattr(record, "uploads", None) or []
    if uploads:
        replies[-1] = {
            **replies[-1],
            "_files": [
                {"filename": u["filename"], "data": base64.b64encode(u["data"]).decode()}
                for u in uploads
            ],
        }
    return replies


async def _play_mention(double: DiscordDouble, step: tuple[Any, ...]) -> list[dict[str, Any]]:
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
    for name in sets:  # a bot of its own for each set: no conversation carries over
        async with DiscordDouble() as double, _data_dir() as data_dir:
            settings = load_settings(
                {
                    "DISCORD_TOKEN": double.token,
                    "DEV_GUILD_ID": str(double.guild.id),
                    # A set plays faster than a person types: no cooldown gets in the way.
                    "COMMAND_COOLDOWN_RATE": "1000",
                    "FREE_TEXT_COOLDOWN_RATE": "1000",
                    # The question log and 👍/👎 votes in a throwaway SQLite file.
                    "DATA_DIR": data_dir,
                }
            )

            factory = functools.partial(ScreenBot, settings=settings, knowledge=knowledge)
            async with running_bot(double, factory):
                player = Player(double)
                for step in SETS[name]:
                    replies = await player.play(step)
                    if step[0] != "as_other":
                        steps.append({"prompt": _prompt(step), "replies": replies})
    return steps


@contextlib.asynccontextmanager
async def _data_dir() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory(prefix="kcbot-screens-") as path:
        yield path


def render(steps: list[dict[str, Any]], out: Path, width: int) -> int:
    payloads = out / "steps.json"
    payloads.write_text(json.dumps(steps, ensure_ascii=False, indent=1), encoding="utf-8")
    command = [sys.executable, str(RENDERER), str(payloads), str(out), "--width", str(width)]
    return subprocess.run(command, check=False, stdout=subprocess.DEVNULL).returncode


# The widths pictures are drawn at: a desktop client, and a phone held upright.
DESKTOP_WIDTH = 780
PHONE_WIDTH = 420
DOC_WIDTHS = {DESKTOP_WIDTH: "", PHONE_WIDTH: "-phone"}  # width: the file name's suffix


def write_docs(widths: dict[int, str] = DOC_WIDTHS) -> int:
    """Draw the `DOC_SHOTS` steps at each width and put them in docs/screenshots/ under
    their names (with the width's suffix)."""
    wanted = list(dict.fromkeys(name for name, _, _ in DOC_SHOTS))
    steps = asyncio.run(record_steps(wanted))
    firsts = {}
    position = 0
    for name in wanted:
        firsts[name] = position
        position += sum(1 for step in SETS[name] if step[0] != "as_other")
    chosen = [steps[firsts[name] + number - 1] for name, number, _ in DOC_SHOTS]
    for width, suffix in widths.items():
        with tempfile.TemporaryDirectory() as tmp:
            code = render(chosen, Path(tmp), width)
            pictures = sorted(Path(tmp).glob("*.png"))
            if code or len(pictures) != len(DOC_SHOTS):
                print(f"the renderer failed at {width} px (exit {code}, {len(pictures)} pictures)")
                return code or 1
            DOCS.mkdir(parents=True, exist_ok=True)
            for picture, (_, _, file_name) in zip(pictures, DOC_SHOTS, strict=True):
                shutil.copyfile(picture, DOCS / f"{file_name}{suffix}.png")
                print(DOCS / f"{file_name}{suffix}.png")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--set", action="append", choices=sorted(SETS), dest="sets")
    parser.add_argument(
        "--width",
        type=int,
        action="append",
        dest="widths",
        help=f"in px, once or more (default {DESKTOP_WIDTH}; a phone: {PHONE_WIDTH})",
    )
    parser.add_argument("--payloads-only", action="store_true")
    parser.add_argument("--docs", action="store_true", help="regenerate docs/screenshots/")
    args = parser.parse_args(argv)
    if args.docs:
        return write_docs()
    if args.out is None:
        parser.error("give OUT_DIR, or --docs")
    args.out.mkdir(parents=True, exist_ok=True)
    steps = asyncio.run(record_steps(args.sets or sorted(SETS)))
    payloads = args.out / "steps.json"
    payloads.write_text(json.dumps(steps, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(steps)} steps written to {payloads}")
    if args.payloads_only:
        return 0
    widths = list(dict.fromkeys(args.widths or [DESKTOP_WIDTH]))
    if len(widths) == 1:
        return render(steps, args.out, widths[0])
    for width in widths:
        (args.out / str(width)).mkdir(exist_ok=True)
        code = render(steps, args.out / str(width), width)
        if code:
            return code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
