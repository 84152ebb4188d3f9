"""Interactions dispatched all at once to kcbot running as its own process, for
`bench_discord.py --at-once N`: this checkout's bot and, with `--against DIR`, another
checkout's (the first release, say), alternately, in the same minutes.

The Discord double runs in the benchmark's process and the bot in another one, as
`python -m bot run` of the checkout with only discord.py's two base addresses pointed at
the double (as `tests/shard_process.py` does), so both bots are measured against the same
double, each with its own code, and the double's own work is not on the bot's event loop.
The bot runs as deployed (question log on, SQLite in a throwaway data directory); every
interaction is a `/ask` from one user in one channel, the cooldown lifted.

Measured by the double for each burst: acknowledgement latency (INTERACTION_CREATE frame
written -> callback received; the double's deadline is lifted so every one is measured,
and those past Discord's 3 s are counted as late), the time until the last answer was
there (the callback's message, or the follow-up or edit that fills a deferral), and the
bot process's CPU time per interaction (from /proc, user + system, over the burst).
With `busy_core`, a bounded busy loop runs in another process during each burst.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.discord_double import DiscordDouble, InteractionRecord, percentile

ROOT = Path(__file__).resolve().parents[1]
DISCORD_DEADLINE = 3.0
START_TIMEOUT = 60.0
BURST_TIMEOUT = 120.0
WARM_UP = 20  # sequential interactions before each burst (imports, caches, a connection)
STEADY = 500  # interactions at a steady pace before the burst: the work of one, undeferred
STEADY_WINDOW = 4  # in flight at once then
BUSY_SECONDS = 60.0  # the busy loop's own bound; it is killed when the burst is over

# The bot's process: the checkout's own `python -m bot run`, redirected to the double.
LAUNCH = (
    "import sys, discord.http, discord.gateway, yarl\n"
    "discord.http.Route.BASE = sys.argv[1]\n"
    "discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])\n"
    "from bot.cli import main\n"
    "sys.exit(main(['run']))\n"
)
BUSY_LOOP = (
    f"import time\nend = time.monotonic() + {BUSY_SECONDS}\nwhile time.monotonic() < end: pass\n"
)


@dataclass(frozen=True)
class Checkout:
    name: str
    directory: Path
    python: str


@dataclass(frozen=True)
class BurstResult:
    name: str
    count: int
    acknowledged: int
    late: int
    deferred: int
    ack_p50: float
    ack_p99: float
    ack_max: float
    answered_max: float  # from the first frame written to the last answer there
    cpu_ms_per_interaction: float
    steady_cpu_ms: float  # per interaction, a few in flight at a time
    steady_deferred: int  # of those, deferred (none expected: nothing waits behind them)

    def line(self) -> str:
        return (
            f"  {self.name:<10} {self.acknowledged:>5}/{self.count:<5} acknowledged, "
            f"{self.late:>4} late; ack p50 {self.ack_p50 * 1000:6.0f} ms  "
            f"p99 {self.ack_p99 * 1000:6.0f} ms  max {self.ack_max * 1000:6.0f} ms; "
            f"deferred {self.deferred:>4}; all answered {self.answered_max:5.2f} s; "
            f"bot CPU {self.cpu_ms_per_interaction:5.2f} ms/interaction "
            f"({self.steady_cpu_ms:4.2f} at a steady pace, {self.steady_deferred} deferred)"
        )


def checkout(directory: str | Path, python: str | None = None) -> Checkout:
    """A checkout's bot, named by its commit (`+` when its files differ from it)."""
    path = Path(directory).resolve()
    if python is None:
        venv = path / ".venv" / "bin" / "python"
        python = str(venv) if venv.exists() else sys.executable
    return Checkout(_commit(path), path, python)


def _commit(path: Path) -> str:
    def git(*args: str) -> str:
        found = subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True)
        return found.stdout.strip()

    commit = git("rev-parse", "--short=7", "HEAD") or path.name
    changed = git("status", "--porcelain", "--untracked-files=no")
    return commit + ("+" if changed else "")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _answered_at(record: InteractionRecord, fills: dict[str, float]) -> float | None:
    """When the interaction's answer was there: its callback's message, or for a deferral
    the first follow-up or edit of the original."""
    if record.response is None:
        return None
    if record.response.get("type") == 4:
        return record.acked_at
    return fills.get(record.token)


def _fills(double: DiscordDouble) -> dict[str, float]:
    """Token -> time of the first webhook request filling it (follow-up or edit)."""
    found: dict[str, float] = {}
    for request in double.requests:
        if request.method in ("POST", "PATCH") and request.path.startswith("/webhooks/"):
            token = request.path.split("/")[3]
            found.setdefault(token, request.at)
    return found


async def _start_bot(double: DiscordDouble, bot: Checkout, data_dir: str) -> Any:
    env = {
        **os.environ,
        "PYTHONPATH": str(bot.directory),
        "DISCORD_TOKEN": double.token,
        "LOG_LEVEL": "WARNING",
        "DEV_GUILD_ID": "",
        "OWNER_IDS": "",
        "COMMAND_COOLDOWN_RATE": "10000000",
        "DATA_DIR": data_dir,
    }
    env.pop("DATABASE_URL", None)
    return await asyncio.create_subprocess_exec(
        bot.python,
        "-c",
        LAUNCH,
        double.base_url,
        double.gateway_url,
        cwd=data_dir,  # no stray .env is read
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def _stop(process: Any) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), 30)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()


async def one_burst(
    bot: Checkout, questions: Sequence[str], count: int, *, busy_core: bool
) -> BurstResult:
    with tempfile.TemporaryDirectory(prefix="kcbot-burst-") as data_dir:
        double = DiscordDouble(
            ack_deadline=BURST_TIMEOUT, max_messages_per_channel=10_000_000, default_timeout=60
        )
        async with double:
            process = await _start_bot(double, bot, data_dir)
            busy = None
            try:
                await double.wait_connected(0, timeout=START_TIMEOUT)
                for i in range(WARM_UP):
                    record = await double.dispatch_interaction(
                        "ask", {"question": questions[i % len(questions)]}, timeout=START_TIMEOUT
                    )
                    await record.wait_response(timeout=START_TIMEOUT)
                steady_cpu, steady_deferred = await _steady(double, process.pid, questions)
                await asyncio.sleep(0.5)
                if busy_core:
                    busy = await asyncio.create_subprocess_exec(sys.executable, "-c", BUSY_LOOP)
                    await asyncio.sleep(0.2)
                cpu_before = _cpu_seconds(process.pid)
                records = await asyncio.gather(
                    *(
                        double.dispatch_interaction(
                            "ask", {"question": questions[i % len(questions)]}, timeout=60
                        )
                        for i in range(count)
                    )
                )
                fills: dict[str, float] = {}

                def all_answered() -> bool:
                    nonlocal fills
                    if any(r.response is None for r in records):
                        return False
                    fills = _fills(double)
                    return all(_answered_at(r, fills) is not None for r in records)

                with contextlib.suppress(TimeoutError):
                    await double.wait_for(all_answered, BURST_TIMEOUT, "every answer")
                cpu = _cpu_seconds(process.pid) - cpu_before
            finally:
                if busy is not None and busy.returncode is None:
                    busy.kill()
                    await busy.wait()
                await _stop(process)
    latencies = [r.ack_latency for r in records if r.ack_latency is not None]
    start = min(r.dispatched_at for r in records if r.dispatched_at is not None)
    answered = [_answered_at(r, fills) for r in records]
    return BurstResult(
        name=bot.name,
        count=count,
        acknowledged=len(latencies),
        late=sum(latency > DISCORD_DEADLINE for latency in latencies) + count - len(latencies),
        deferred=sum(1 for r in records if (r.response or {}).get("type") == 5),
        ack_p50=percentile(latencies, 50) if latencies else float("nan"),
        ack_p99=percentile(latencies, 99) if latencies else float("nan"),
        ack_max=max(latencies, default=float("nan")),
        answered_max=max((a - start for a in answered if a is not None), default=float("nan")),
        cpu_ms_per_interaction=cpu * 1000 / count,
        steady_cpu_ms=steady_cpu * 1000 / STEADY,
        steady_deferred=steady_deferred,
    )


async def _steady(double: DiscordDouble, pid: int, questions: Sequence[str]) -> tuple[float, int]:
    """CPU seconds the bot spent on STEADY interactions, STEADY_WINDOW in flight, and how
    many of them it deferred."""
    semaphore = asyncio.Semaphore(STEADY_WINDOW)

    async def one(i: int) -> InteractionRecord:
        async with semaphore:
            record = await double.dispatch_interaction(
                "ask", {"question": questions[i % len(questions)]}, timeout=60
            )
            await record.wait_response(timeout=60)
            return record

    before = _cpu_seconds(pid)
    records = await asyncio.gather(*(one(i) for i in range(STEADY)))
    await asyncio.sleep(0.2)  # the echoes of the last replies
    deferred = sum(1 for r in records if (r.response or {}).get("type") == 5)
    return _cpu_seconds(pid) - before, deferred


async def compare(
    bots: Sequence[Checkout],
    questions: Sequence[str],
    count: int,
    *,
    runs: int,
    busy_core: bool,
) -> list[list[BurstResult]]:
    """`runs` rounds; in each, one burst per bot, the order alternating between rounds."""
    rounds: list[list[BurstResult]] = []
    for number in range(runs):
        order = list(bots) if number % 2 == 0 else list(reversed(bots))
        results = {}
        for bot in order:
            result = await one_burst(bot, questions, count, busy_core=busy_core)
            print(f"round {number + 1}: {result.line().strip()}", flush=True)
            results[bot.name] = result
        rounds.append([results[bot.name] for bot in bots])
    return rounds


def summary(rounds: list[list[BurstResult]]) -> list[str]:
    """Medians per bot, and each bot's slowest acknowledgement against the first bot's
    (median of the ratios of each round, and the ratio of the medians)."""
    lines = ["medians:"]
    bots = len(rounds[0])
    for index in range(bots):
        results = [r[index] for r in rounds]
        lines.append(
            BurstResult(
                name=results[0].name,
                count=results[0].count,
                acknowledged=round(statistics.median(r.acknowledged for r in results)),
                late=round(statistics.median(r.late for r in results)),
                deferred=round(statistics.median(r.deferred for r in results)),
                ack_p50=statistics.median(r.ack_p50 for r in results),
                ack_p99=statistics.median(r.ack_p99 for r in results),
                ack_max=statistics.median(r.ack_max for r in results),
                answered_max=statistics.median(r.answered_max for r in results),
                cpu_ms_per_interaction=statistics.median(r.cpu_ms_per_interaction for r in results),
                steady_cpu_ms=statistics.median(r.steady_cpu_ms for r in results),
                steady_deferred=round(statistics.median(r.steady_deferred for r in results)),
            ).line()
        )
        lines.append(
            f"  {'':<10} late per round: {[r.late for r in results]}; slowest ack per round "
            f"(s): {[round(r.ack_max, 2) for r in results]}"
        )
    for index in range(1, bots):
        paired = [r[0].ack_max / r[index].ack_max for r in rounds]
        cpu = [r[0].cpu_ms_per_interaction / r[index].cpu_ms_per_interaction for r in rounds]
        steady = [r[0].steady_cpu_ms / r[index].steady_cpu_ms for r in rounds]
        first, other = rounds[0][0].name, rounds[0][index].name
        lines.append(
            f"slowest ack {first} / {other}: median of rounds {statistics.median(paired):.2f} "
            f"(per round {[round(p, 2) for p in paired]})"
        )
        lines.append(
            f"bot CPU per interaction {first} / {other}: burst "
            f"{statistics.median(cpu):.2f}, steady pace {statistics.median(steady):.2f}"
        )
    return lines
