"""/reload end to end through the Discord double: a large rebuild never stalls the event loop,
reloads are bounded in time and never run two at once. 127.0.0.1 only, bounded loops."""

from __future__ import annotations

import asyncio
import importlib.util
import statistics
import threading
from pathlib import Path

import pytest

from bot.app import Knowledge
from bot.config import EngineCacheSetting
from bot.ops.engines import EngineSource
from bot.ops.isolated import IsolatedLoader
from tests.discord_double import DiscordDouble
from tests.support import shipped_knowledge
from tests.test_e2e_discord import kc_bot, response_text

REPO = Path(__file__).resolve().parent.parent
UNLIMITED = {"COMMAND_COOLDOWN_RATE": 1_000_000, "FREE_TEXT_COOLDOWN_RATE": 1_000_000}
# A large base, a seventh of the README's benchmark one (1,000 clusters, 10,000 FAQ entries;
# `benchmarks/bench_engine.py` times that): its rebuild still takes seconds, long enough
# to send bursts during it, and the suite does not wait half a minute for it.
LARGE_CLUSTERS, LARGE_FAQ_ENTRIES = 150, 1_500
LARGE_LIMITS = {"KNOWLEDGE_MAX_FILE_BYTES": 16 * 1024 * 1024, "KNOWLEDGE_MAX_VALUES": 1_000_000}
ACK_P99_TARGET = 0.100  # seconds: the target, printed here and measured in runs
# (runs here: p99 33-125 ms; 265 ms once, when the machine was overloaded). The guide keeps
# speed out of pass/fail tests: what is asserted is the mechanism (the bot's own process
# never builds the engine) and that every interaction sent meanwhile is acknowledged.
# Bursts of interactions while the base is rebuilt. With the build in a thread of the bot's
# process (before the child process), the same load gave p99 235-520 ms; with the child,
# 33-51 ms (shared 2-core machine). The 199 at once gave p50 1.3 s.
BURST = 10
BURST_INTERVAL = 0.1
MAX_PROBES = 2_000


def _benchmark_module():
    spec = importlib.util.spec_from_file_location(
        "bench_engine", REPO / "benchmarks/bench_engine.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def large_base(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("large-knowledge")
    _benchmark_module().generate_knowledge(
        directory, clusters=LARGE_CLUSTERS, faq_entries=LARGE_FAQ_ENTRIES
    )
    return directory


@pytest.fixture(scope="module")
def engine() -> Knowledge:
    return shipped_knowledge()


async def test_acks_stay_fast_while_a_large_base_is_rebuilt(
    engine, large_base, tmp_path, monkeypatch
):
    """The rebuild of a large base runs in a child process, never in
    the bot's (where it would hold the GIL), and interactions sent meanwhile are
    acknowledged fast (p99 printed against the 100 ms target)."""

    def built_in_the_bots_process(*args, **kwargs):
        raise AssertionError("the engine was built in the bot's own process")

    import bot.app
    from bot.ops.engines import BUILDER

    assert BUILDER == "bot.app:load"  # what a reload builds with, here or in the child
    monkeypatch.setattr(bot.app, "load", built_in_the_bots_process)
    env = {
        **UNLIMITED,
        **LARGE_LIMITS,
        "KNOWLEDGE_DIR": large_base,
        "ENGINE_CACHE_DIR": tmp_path / "cache",  # empty: a real build, not a cache hit
    }
    async with DiscordDouble() as double:
        async with kc_bot(double, engine, env) as bot:
            reload = await double.dispatch_interaction("reload", user=double.owner)
            assert (await reload.wait_response())["type"] == 5
            probes = []
            while not reload.followups and len(probes) < MAX_PROBES:
                probes += await asyncio.gather(
                    *(
                        double.dispatch_interaction("contact", {"region": "sapporo"})
                        for _ in range(BURST)
                    )
                )
                await asyncio.sleep(BURST_INTERVAL)
            report = (await reload.wait_followup(timeout=120))["content"]
            assert report == (
                f"Reloaded: {LARGE_CLUSTERS} clusters and {LARGE_FAQ_ENTRIES} FAQ entries."
            )
            for probe in probes:
                await probe.wait_response()
            latencies = sorted(probe.ack_latency for probe in probes)
            assert len(latencies) >= 5 * BURST, "the reload was too quick to measure anything"
            p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
            summary = f"{len(latencies)} acks: p50 {statistics.median(latencies) * 1000:.1f} ms"
            verdict = "met" if p99 <= ACK_P99_TARGET else "NOT met on this run"
            print(
                f"during the reload: {summary}, p99 {p99 * 1000:.1f} ms "
                f"(target {ACK_P99_TARGET * 1000:.0f} ms {verdict})"
            )
            assert len(bot.engine.kb.clusters) == LARGE_CLUSTERS
        double.assert_clean()


async def test_a_stuck_reload_times_out_and_a_second_one_is_refused(engine, tmp_path):
    """While a reload runs a second is refused at once; past the timeout the build is
    stopped, the old engine stays live, and the next reload can start."""
    stuck = IsolatedLoader(
        EngineSource(
            None,
            cache=EngineCacheSetting(enabled=False),
            builder="tests.ops_builders:sleeping_build",
        ),
        timeout=2.0,
    )
    async with DiscordDouble() as double:
        async with kc_bot(double, engine, UNLIMITED, knowledge_loader=stuck) as bot:
            first = await double.dispatch_interaction("reload", user=double.owner)
            await first.wait_response()
            second = await double.dispatch_interaction("reload", user=double.owner)
            refused = (await second.wait_followup())["content"]
            assert refused == "A reload is already running; try again when it has finished."
            assert not first.followups  # the first is still running

            stopped = (await first.wait_followup(timeout=30))["content"]
            assert stopped.startswith("The reload took too long and was stopped")
            assert bot.app.knowledge is engine
            contact = await double.dispatch_interaction("contact", {"region": "sapporo"})
            assert "NOASTEC" in response_text(await contact.wait_response())

            third = await double.dispatch_interaction("reload", user=double.owner)
            assert (await third.wait_followup(timeout=30))["content"].startswith(
                "The reload took too long"
            )
        double.assert_clean()


async def test_reload_does_not_wait_behind_map_drawings(engine):
    """/map draws in the event loop's default thread pool; however many drawings are queued
    there (here: more than it has threads, each held until the end of the test), /reload
    runs in its own worker and completes. Through the double: the owner's /reload answers
    "Reloaded" while every drawing is still waiting."""
    release = threading.Event()
    async with DiscordDouble() as double:
        async with kc_bot(double, engine, UNLIMITED, knowledge_loader=lambda: engine) as bot:
            drawings = [
                asyncio.ensure_future(asyncio.to_thread(release.wait, 60)) for _ in range(64)
            ]
            try:
                record = await double.dispatch_interaction("reload", user=double.owner)
                report = (await record.wait_followup(timeout=30))["content"]
                assert report.startswith("Reloaded:")
                assert bot.app.knowledge is engine
                assert not any(drawing.done() for drawing in drawings)
            finally:
                release.set()
                await asyncio.gather(*drawings)
        double.assert_clean()
