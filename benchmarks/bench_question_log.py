"""What the question log costs an answer: /ask interactions through the Discord double with
the log off, on SQLite and on PostgreSQL, acknowledgement latency compared.

Run:  python benchmarks/bench_question_log.py [--interactions 1000] [--window 50]
                                              [--runs 5] [--json]

Each run is a fresh double and bot (one process, one event loop, 127.0.0.1) answering the
development set's questions as /ask, at most WINDOW in flight. The modes are interleaved
(off, sqlite, postgresql, off, ...) so a noisy neighbour on the shared machine hits them
alike; medians over the runs are printed, with each mode's p99 as a ratio of the log-off
p99 (the target: at most 1.10), the median of each run's p99 over the log-off run of its
round ("paired"), and the process's CPU time per interaction (bot, writer and double).
With the log on, every answer also carries the 👍/👎 row and is written to the database;
after each run the rows are counted (all must be there).
PostgreSQL is a throwaway server (tests/postgres_server.py), a new database per run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `tests.*` lives in the repository, not the wheel
    sys.path.insert(0, str(ROOT))

from bot import app as application  # noqa: E402
from bot.app import Knowledge  # noqa: E402
from bot.storage.store import open_store  # noqa: E402
from bot.storage.urls import parse_database_url, sqlite_target  # noqa: E402
from tests.discord_double import DiscordDouble, latency_summary  # noqa: E402
from tests.postgres_server import ThrowawayPostgres  # noqa: E402
from tests.test_e2e_discord import kc_bot  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_discord import UNLIMITED, devset_questions, windowed  # noqa: E402

MODES = ("off", "sqlite", "postgresql")
PHASE_TIMEOUT = 120.0


async def one_run(
    knowledge: Knowledge,
    questions: list[str],
    count: int,
    window: int,
    mode: str,
    postgres: ThrowawayPostgres | None,
) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="kcbot-bench-"))
    env: dict[str, object] = {**UNLIMITED, "DATA_DIR": data_dir}
    if mode == "off":
        env["QUESTION_LOG"] = "false"
    elif mode == "postgresql":
        assert postgres is not None
        env["DATABASE_URL"] = await postgres.create_database("bench")
    cpu_started = time.process_time()
    async with DiscordDouble(max_messages_per_channel=1_000_000) as double:
        async with kc_bot(double, knowledge, env):
            loop = asyncio.get_running_loop()

            async def ask(i: int) -> None:
                record = await double.dispatch_interaction(
                    "ask", {"question": questions[i % len(questions)]}
                )
                await record.wait_response(timeout=PHASE_TIMEOUT)

            started = loop.time()
            await asyncio.wait_for(windowed(count, window, ask), PHASE_TIMEOUT)
            wall = loop.time() - started
        # Leaving kc_bot closed the bot, which wrote its queue out.
        cpu = time.process_time() - cpu_started  # this process: the bot, its writer, the double
        summary = latency_summary(double.ack_latencies)
        problems = len(double.violations) + len(double.pending_interactions())
    rows = None
    if mode != "off":
        target = (
            sqlite_target(data_dir / "kcbot.sqlite3")
            if mode == "sqlite"
            else parse_database_url(str(env["DATABASE_URL"]), data_dir)
        )
        store = open_store(target)
        await store.open()
        rows = len(await store.answers_since(0))
        await store.close()
    return {
        "mode": mode,
        "wall_s": wall,
        "per_second": summary["count"] / wall,
        "p50_ms": summary["p50"] * 1000,
        "p99_ms": summary["p99"] * 1000,
        "max_ms": summary["max"] * 1000,
        "cpu_us": cpu / count * 1e6,
        "rows": rows,
        "problems": problems,
    }


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    knowledge = application.load(None)
    questions = devset_questions()
    results: list[dict[str, Any]] = []
    with ThrowawayPostgres() as postgres:
        for _ in range(args.runs):
            for mode in MODES:
                results.append(
                    await one_run(
                        knowledge, questions, args.interactions, args.window, mode, postgres
                    )
                )
    return results


def medians(results: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    table = {}
    for mode in MODES:
        runs = [r for r in results if r["mode"] == mode]
        table[mode] = {
            key: statistics.median(r[key] for r in runs)
            for key in ("per_second", "p50_ms", "p99_ms", "max_ms", "cpu_us")
        }
    off = [r for r in results if r["mode"] == "off"]
    for mode in MODES:
        runs = [r for r in results if r["mode"] == mode]
        table[mode]["p99_ratio"] = table[mode]["p99_ms"] / table["off"]["p99_ms"]
        # Each run against the log-off run of the same round: drift on the machine cancels.
        table[mode]["paired_p99_ratio"] = statistics.median(
            r["p99_ms"] / o["p99_ms"] for r, o in zip(runs, off, strict=True)
        )
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interactions", type=int, default=1000)
    parser.add_argument("--window", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    started = time.perf_counter()
    results = asyncio.run(main_async(args))
    table = medians(results)
    lost = [r for r in results if r["rows"] is not None and r["rows"] != args.interactions]
    problems = sum(r["problems"] for r in results)
    if args.json:
        print(json.dumps({"runs": results, "medians": table}, indent=2))
    else:
        command = "python benchmarks/bench_question_log.py " + " ".join(
            sys.argv[1:] if argv is None else argv
        )
        print(f"$ {command.strip()}")
        print(
            f"{args.interactions} /ask interactions, {args.window} in flight, medians of "
            f"{args.runs} interleaved runs (ack: INTERACTION_CREATE written -> callback)"
        )
        print(
            f"  {'question log':<14}{'per s':>7}{'ack p50':>10}{'ack p99':>10}"
            f"{'p99/off':>9}{'paired':>8}{'CPU/ask':>10}"
        )
        for mode in MODES:
            row = table[mode]
            print(
                f"  {mode:<14}{row['per_second']:>7.0f}{row['p50_ms']:>8.1f}ms"
                f"{row['p99_ms']:>8.1f}ms{row['p99_ratio']:>9.3f}"
                f"{row['paired_p99_ratio']:>8.3f}{row['cpu_us']:>8.0f}us"
            )
        print(
            "  per run p99 (ms): "
            + "; ".join(
                f"{mode} " + ", ".join(f"{r['p99_ms']:.0f}" for r in results if r["mode"] == mode)
                for mode in MODES
            )
        )
        print(
            f"total {time.perf_counter() - started:.0f} s; rows written: "
            + ("all" if not lost else f"{len(lost)} runs short")
            + f"; double: {'clean' if not problems else f'{problems} problems'}"
        )
    return 1 if lost or problems else 0


if __name__ == "__main__":
    sys.exit(main())
