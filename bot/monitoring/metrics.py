"""The bot's Prometheus metrics, in a registry of its own (two bots in one process, as in
the tests, never collide). Answers are counted by an `Application` listener; the question
log's queue is read when scraped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.app import Response

# Engine answers take well under a millisecond; the tail is the event loop's, not the engine's.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


class _LogCollector(Collector):
    """The question log writer's queue depth and totals, read at scrape time."""

    def __init__(self, writer: Callable[[], object | None]) -> None:
        self._writer = writer

    def collect(self) -> Iterator[Metric]:
        writer = self._writer()
        depth = GaugeMetricFamily(
            "kcbot_log_queue_depth", "Question-log records waiting to be written"
        )
        dropped = CounterMetricFamily(
            "kcbot_log_dropped_records", "Question-log records dropped (queue full or write failed)"
        )
        written = CounterMetricFamily("kcbot_log_written_records", "Question-log records written")
        lost = CounterMetricFamily(
            "kcbot_log_lost_records",
            "Question-log records written to a SQLite file that was then deleted or replaced",
        )
        up = GaugeMetricFamily(
            "kcbot_log_database_up",
            "1 when the question log's database is open, its last write and check succeeded "
            "(what /healthz says as database)",
        )
        if writer is not None:
            depth.add_metric([], getattr(writer, "depth", 0))
            dropped.add_metric([], getattr(writer, "dropped", 0))
            written.add_metric([], getattr(writer, "written", 0))
            lost.add_metric([], getattr(writer, "lost_with_file", 0))
            up.add_metric([], 1.0 if getattr(writer, "healthy", False) else 0.0)
        yield from (depth, dropped, written, lost, up)


class Metrics:
    def __init__(self, writer: Callable[[], object | None] = lambda: None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.answers = Counter(
            "kcbot_answers",
            "Answers given",
            ("route", "rule", "answered"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "kcbot_answer_latency_seconds",
            "Time to answer in the pipeline",
            ("route",),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.acks = Counter(
            "kcbot_interaction_acks",
            "Interactions acknowledged",
            ("kind",),
            registry=self.registry,
        )
        self.ack_latency = Histogram(
            "kcbot_interaction_ack_seconds",
            "From the interaction's creation (Discord's clock) to its acknowledgement",
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.votes = Counter(
            "kcbot_feedback_votes", "Feedback button clicks", ("vote",), registry=self.registry
        )
        self.registry.register(_LogCollector(writer))
        # The labelled children, found once (every answer counts in two of them).
        self._answer_counters: dict[tuple[str, str, str], Any] = {}
        self._latency_histograms: dict[str, Any] = {}
        self._ack_counters: dict[str, Any] = {}

    def observe(self, response: Response) -> None:
        """An `Application` listener."""
        route = response.request.via or response.request.command
        answer = response.answer
        key = (route, answer.rule, "true" if answer.answered else "false")
        counter = self._answer_counters.get(key)
        if counter is None:  # labels() validates and locks: once per kind of answer
            counter = self._answer_counters[key] = self.answers.labels(*key)
        counter.inc()
        histogram = self._latency_histograms.get(route)
        if histogram is None:
            histogram = self._latency_histograms[route] = self.latency.labels(route)
        histogram.observe(response.latency_ms / 1000)

    def acknowledged(self, kind: str, seconds: float | None) -> None:
        counter = self._ack_counters.get(kind)
        if counter is None:
            counter = self._ack_counters[kind] = self.acks.labels(kind)
        counter.inc()
        if seconds is not None and seconds >= 0:
            self.ack_latency.observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
