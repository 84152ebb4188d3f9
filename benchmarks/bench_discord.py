"""The bot's speed over the wire: the Discord double and the real discord.py client running
kcbot, in one process, on 127.0.0.1.

Run:  python benchmarks/bench_discord.py [--interactions N] [--messages N] [--window W]
                                         [--burst B] [--clicks C] [--json]
      python benchmarks/bench_discord.py --at-once 1000 [--against DIR ...] [--runs R]
                                         [--busy-core]

Four phases, each on a fresh double and bot (so each starts from the same state):
- /ask interactions with the development set's questions, at most W in flight;
- the same number of /ask interactions in bursts of B dispatched at once;
- free-text questions mentioning the bot, at most W in flight;
- C interactions dispatched at once, a third /ask, a third clicks on a reply's next-step
  buttons and a third picks in its cluster menu (by its asker and by others, so public and
  private answers), every reply carrying its own buttons.
Prints throughput (completed per second of wall time) and p50/p99/max latency: for an
interaction, from the INTERACTION_CREATE frame written to the accepted callback (measured by
the double); for a message, from dispatch to the bot's reply created at the double.
The double and the bot share one core (one event loop), so the figures are what the bot
does while its "Discord" also runs; compare ratios between runs, not single figures.
Exits 1 if the double saw any problem (a late acknowledgement, an invalid message, ...).

`--at-once N` measures something else: N `/ask` interactions dispatched at once to the bot
running as its own process (`burst_processes.py`), R rounds, alternating with the bots of
the other checkouts given with `--against DIR` (each with DIR/.venv/bin/python when it has
one, else this Python), optionally with a busy loop on the machine's other core; it prints
each burst, the medians and the ratios of the slowest acknowledgements, and exits 1 if
any of this checkout's interactions was acknowledged after Discord's 3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `tests.discord_double` lives in the repository, not the wheel
    sys.path.insert(0, str(ROOT))

from bot import app as application  # noqa: E402
from bot.app import Knowledge  # noqa: E402
from tests.discord_double import DiscordDouble, latency_summary  # noqa: E402
from tests.test_e2e_discord import kc_bot  # noqa: E402

UNLIMITED = {"COMMAND_COOLDOWN_RATE": 10_000_000, "FREE_TEXT_COOLDOWN_RATE": 10_000_000}
PHASE_TIMEOUT = 60.0  # seconds; a phase that takes longer is abandoned (and reported)


def devset_questions(max_length: int = 500) -> list[str]:
    """The development set's literal questions (not the generated hostile ones)."""
    entries = yaml.safe_load((ROOT / "tests" / "devset.yaml").read_text(encoding="utf-8"))
    questions = [str(e["q"]).strip() for e in entries if isinstance(e, dict) and "q" in e]
    return [q for q in questions if q and len(q) <= max_length]


def new_double() -> DiscordDouble:
    # Every response and reply is a message in one channel: lift the runaway guard.
    return DiscordDouble(max_messages_per_channel=1_000_000)


async def windowed(count: int, window: int, one: Callable[[int], Awaitable[Any]]) -> None:
    """Run ``one(0..count-1)`` with at most ``window`` in flight."""
    semaphore = asyncio.Semaphore(window)

    async def run(i: int) -> None:
        async with semaphore:
            await one(i)

    await asyncio.gather(*(run(i) for i in range(count)))


class ReplyWatcher:
    """Stamps, once per new bot message, the loop time a reply to a dispatched message was
    created (one watcher, rather than one predicate per waiter re-scanning every message)."""

    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        self.seen = 0
        self.waiting: dict[str, asyncio.Future[float]] = {}
        self.task: asyncio.Task | None = None

    def expect(self, message_id: str) -> asyncio.Future[float]:
        future = asyncio.get_running_loop().create_future()
        self.waiting[message_id] = future
        return future

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        messages = self.double.messages
        while True:
            await self.double.wait_for(lambda: len(messages) > self.seen, timeout=PHASE_TIMEOUT)
            now = loop.time()
            for message in messages[self.seen :]:
                ref = (message.get("message_reference") or {}).get("message_id")
                future = self.waiting.pop(str(ref), None) if ref is not None else None
                if future is not None and not future.done():
                    future.set_result(now)
            self.seen = len(messages)

    def __enter__(self) -> ReplyWatcher:
        self.task = asyncio.ensure_future(self.run())
        return self

    def __exit__(self, *exc: object) -> None:
        if self.task is not None:
            self.task.cancel()


def _result(
    name: str, count: int, wall: float, latencies: Sequence[float], double: DiscordDouble
) -> dict[str, Any]:
    summary = latency_summary(latencies)
    return {
        "phase": name,
        "count": count,
        "completed": summary["count"],
        "wall_s": wall,
        "per_second": summary["count"] / wall if wall > 0 else 0.0,
        "p50_ms": summary["p50"] * 1000,
        "p99_ms": summary["p99"] * 1000,
        "max_ms": summary["max"] * 1000,
        "problems": [str(v) for v in double.violations]
        + [f"unhandled route {r}" for r in double.unhandled_routes]
        + [f"never acknowledged: /{r.name}" for r in double.pending_interactions()],
    }


async def bench_interactions(
    knowledge: Knowledge,
    questions: list[str],
    count: int,
    *,
    window: int | None = None,
    burst: int | None = None,
) -> dict[str, Any]:
    name = f"/ask, window {window}" if window else f"/ask, bursts of {burst}"
    async with new_double() as double:
        async with kc_bot(double, knowledge, UNLIMITED):
            loop = asyncio.get_running_loop()

            async def one(i: int) -> None:
                record = await double.dispatch_interaction(
                    "ask", {"question": questions[i % len(questions)]}
                )
                await record.wait_response(timeout=PHASE_TIMEOUT)

            started = loop.time()
            if window:
                await asyncio.wait_for(windowed(count, window, one), PHASE_TIMEOUT)
            else:
                assert burst
                for first in range(0, count, burst):
                    size = min(burst, count - first)
                    await asyncio.wait_for(
                        asyncio.gather(*(one(first + i) for i in range(size))), PHASE_TIMEOUT
                    )
            wall = loop.time() - started
        return _result(name, count, wall, double.ack_latencies, double)


async def bench_messages(
    knowledge: Knowledge, questions: list[str], count: int, window: int
) -> dict[str, Any]:
    async with new_double() as double:
        async with kc_bot(double, knowledge, UNLIMITED):
            loop = asyncio.get_running_loop()
            latencies: list[float] = []
            with ReplyWatcher(double) as watcher:

                async def one(i: int) -> None:
                    sent = loop.time()
                    delivery = await double.dispatch_message(
                        questions[i % len(questions)], mention_bot=True
                    )
                    assert delivery is not None
                    replied = watcher.expect(str(delivery.data["id"]))
                    # A reply created before expect() ran is impossible: the bot has not
                    # had the loop yet (dispatch returns right after writing the frame).
                    latencies.append(await asyncio.wait_for(replied, PHASE_TIMEOUT) - sent)

                started = loop.time()
                await asyncio.wait_for(windowed(count, window, one), PHASE_TIMEOUT)
                wall = loop.time() - started
        return _result(f"mentions, window {window}", count, wall, latencies, double)


async def bench_clicks(knowledge: Knowledge, questions: list[str], count: int) -> dict[str, Any]:
    """/ask, button clicks and menu picks, all dispatched at once."""
    async with new_double() as double:
        async with kc_bot(double, knowledge, UNLIMITED):
            setup = await double.dispatch_interaction("contact", {"region": "hamamatsu"})
            await setup.wait_response(timeout=PHASE_TIMEOUT)
            message = setup.original
            assert message is not None
            items = [c for row in message["components"] for c in row["components"]]
            buttons = [c["custom_id"] for c in items if c["type"] == 2]
            (menu,) = [c for c in items if c["type"] == 3]
            values = [o["value"] for o in menu["options"]]
            users = [double.user, double.users[2]]  # the asker (public) and someone else
            loop = asyncio.get_running_loop()

            async def one(i: int) -> None:
                user = users[i % 2]
                if i % 3 == 0:
                    record = await double.dispatch_interaction(
                        "ask", {"question": questions[i % len(questions)]}, user=user
                    )
                elif i % 3 == 1:
                    record = await double.dispatch_component(
                        message, buttons[i % len(buttons)], user=user
                    )
                else:
                    record = await double.dispatch_component(
                        message,
                        menu["custom_id"],
                        component_type=3,
                        values=[values[i % len(values)]],
                        user=user,
                    )
                await record.wait_response(timeout=PHASE_TIMEOUT)

            started = loop.time()
            await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(count))), PHASE_TIMEOUT)
            wall = loop.time() - started
        latencies = [
            r.ack_latency
            for r in double.interactions.values()
            if r is not setup and r.ack_latency is not None
        ]
        return _result(f"mixed, {count} at once", count, wall, latencies, double)


def _line(result: dict[str, Any], what: str) -> str:
    return (
        f"  {result['phase']:<22} {result['completed']:>5}/{result['count']:<5} in "
        f"{result['wall_s']:6.2f} s = {result['per_second']:7.1f}/s   {what} p50 "
        f"{result['p50_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms  "
        f"max {result['max_ms']:7.1f} ms"
    )


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    knowledge = application.load(None)
    questions = devset_questions()
    return [
        await bench_interactions(knowledge, questions, args.interactions, window=args.window),
        await bench_interactions(knowledge, questions, args.interactions, burst=args.burst),
        await bench_messages(knowledge, questions, args.messages, args.window),
        await bench_clicks(knowledge, questions, args.clicks),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--interactions",
        type=int,
        default=1000,
        help="interactions per interaction phase (default 1000)",
    )
    parser.add_argument(
        "--messages", type=int, default=1000, help="mentions in the message phase (default 1000)"
    )
    parser.add_argument("--window", type=int, default=50, help="in flight at once (default 50)")
    parser.add_argument(
        "--burst",
        type=int,
        default=250,
        help="interactions dispatched at once per burst (default 250)",
    )
    parser.add_argument(
        "--clicks", type=int, default=500, help="interactions at once in the clicks phase"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--at-once",
        type=int,
        help="only the burst of this many /ask at once to the bot as its own process",
    )
    parser.add_argument(
        "--against",
        action="append",
        default=[],
        help="another checkout to run the burst against (repeatable)",
    )
    parser.add_argument("--runs", type=int, default=5, help="burst rounds (default 5)")
    parser.add_argument(
        "--busy-core", action="store_true", help="a busy loop in another process meanwhile"
    )
    args = parser.parse_args(argv)
    if args.at_once is not None:
        return burst_main(args, argv)
    if min(args.interactions, args.messages, args.window, args.burst, args.clicks) < 1:
        parser.error("counts must be at least 1")

    # The bot logs a line per answer; thousands of them would time the terminal.
    logging.basicConfig(level=logging.ERROR)
    # The bot keeps its question log as deployed, but in a throwaway data directory.
    UNLIMITED.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="kcbot-bench-"))
    command = "python benchmarks/bench_discord.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    started = time.perf_counter()
    results = asyncio.run(main_async(args))
    total = time.perf_counter() - started
    problems = [p for r in results for p in r["problems"]]
    if args.json:
        print(
            json.dumps({"command": command.strip(), "total_s": total, "results": results}, indent=2)
        )
    else:
        print(f"$ {command.strip()}")
        print(
            "kcbot over the Discord double (127.0.0.1, one process, one event loop), "
            f"Python {sys.version.split()[0]}"
        )
        print("interactions (latency: INTERACTION_CREATE written -> callback accepted):")
        print(_line(results[0], "ack"))
        print(_line(results[1], "ack"))
        print("free-text messages (latency: dispatched -> reply created):")
        print(_line(results[2], "reply"))
        print("slash commands, button clicks and menu picks at once (latency: ack):")
        print(_line(results[3], "ack"))
        print(
            f"total {total:.1f} s; double: "
            + ("clean" if not problems else f"{len(problems)} problem(s)")
        )
        for problem in problems[:20]:
            print(f"  ! {problem}")
    return 1 if problems else 0


def burst_main(args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    from benchmarks.burst_processes import checkout, compare, summary

    if args.at_once < 1 or args.runs < 1:
        raise SystemExit("--at-once and --runs must be at least 1")
    logging.basicConfig(level=logging.ERROR)
    bots = [checkout(ROOT, sys.executable)] + [checkout(other) for other in args.against]
    command = "python benchmarks/bench_discord.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    print(f"$ {command.strip()}")
    print(
        f"{args.at_once} /ask at once to kcbot as its own process; Discord double in this one "
        f"(127.0.0.1){'; a busy loop on the other core' if args.busy_core else ''}; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )
    rounds = asyncio.run(
        compare(bots, devset_questions(), args.at_once, runs=args.runs, busy_core=args.busy_core)
    )
    for line in summary(rounds):
        print(line)
    return 1 if any(r[0].late for r in rounds) else 0


if __name__ == "__main__":
    sys.exit(main())
