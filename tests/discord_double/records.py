"""What the double records, and the bounded waiting primitive every awaitable is built on."""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_TIMEOUT = 5.0


class DoubleTimeoutError(TimeoutError):
    """A wait on the double ran out of time (the message says what was awaited)."""


class Notifier:
    """Wakes every waiter whenever the double records something; waits are always bounded."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait_for(
        self, predicate: Callable[[], T | None], timeout: float | None, what: str
    ) -> T:
        """Return ``predicate()`` as soon as it is truthy; raise DoubleTimeoutError after
        ``timeout`` seconds."""
        timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise DoubleTimeoutError(f"timed out after {timeout:.2f}s waiting for {what}")
            event = self._event
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)


@dataclass
class Violation:
    """Something the bot did that Discord would reject (or that the project forbids)."""

    kind: str
    detail: str
    route: str | None = None
    body: Any = None

    def __str__(self) -> str:
        where = f" [{self.route}]" if self.route else ""
        return f"{self.kind}{where}: {self.detail}"


@dataclass
class RequestRecord:
    """One REST request as the double saw it, and what it answered."""

    method: str
    path: str  # relative to /api/v10, e.g. "/channels/1/messages"
    query: dict[str, str]
    body: Any  # parsed JSON (or payload_json of a multipart body), else None
    files: list[dict[str, Any]] = field(default_factory=list)  # {"name", "filename", "size"}
    status: int = 0
    at: float = 0.0  # loop time

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class GatewayRecord:
    """An IDENTIFY or RESUME received by the double."""

    op: str  # "IDENTIFY" or "RESUME"
    shard_id: int | None
    data: dict[str, Any]
    path: str  # the URL path the client connected to ("/" or the resume gateway path)
    query: dict[str, str]
    accepted: bool = True
    at: float = 0.0


@dataclass
class Delivery:
    """A dispatch event sent (or buffered for resume) on a shard's session."""

    event: str
    shard_id: int
    seq: int
    session_id: str
    data: dict[str, Any]


class InteractionRecord:
    """An interaction the double dispatched, and everything the bot did with it."""

    def __init__(
        self,
        notifier: Notifier,
        *,
        id: int,
        token: str,
        kind: str,
        name: str,
        payload: dict[str, Any],
        deadline: float,
    ) -> None:
        self._notifier = notifier
        self.id = id
        self.token = token
        self.kind = kind  # "command", "autocomplete" or "component"
        self.name = name
        self.payload = payload  # the INTERACTION_CREATE ``d`` as dispatched
        self.deadline = deadline
        self.dispatched_at: float | None = None  # loop time the frame was written
        self.acked_at: float | None = None
        self.response: dict[str, Any] | None = None  # the accepted callback body {"type", "data"}
        self.rejected_callbacks: list[dict[str, Any]] = []  # callbacks answered with an error
        self.followups: list[dict[str, Any]] = []  # POST /webhooks/{app}/{token} bodies
        self.edits: list[dict[str, Any]] = []  # PATCH .../messages/@original bodies
        self.original: dict[str, Any] | None = None  # the original response message, as edited
        self.original_deleted = False
        self.timeout_recorded = False
        self.messages: dict[int, dict[str, Any]] = {}  # message id -> message payload
        # Files uploaded with the response, follow-ups and edits (multipart parts):
        # {"name": "files[0]", "filename", "size", "data", "content_type"}
        self.uploads: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return f"<InteractionRecord {self.kind} /{self.name} id={self.id} response={self.response}>"

    @property
    def ack_latency(self) -> float | None:
        """Seconds from dispatch to the accepted callback (``None`` before it)."""
        if self.acked_at is None or self.dispatched_at is None:
            return None
        return self.acked_at - self.dispatched_at

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        """The autocomplete choices of the accepted callback."""
        if self.response is None:
            return None
        return (self.response.get("data") or {}).get("choices")

    @property
    def content(self) -> str | None:
        """The visible content of the original response message (after edits)."""
        if self.original is None:
            return None
        return self.original.get("content")

    async def wait_response(self, timeout: float | None = None) -> dict[str, Any]:
        """The accepted callback body ``{"type": ..., "data": ...}``."""
        return await self._notifier.wait_for(
            lambda: self.response, timeout, f"the callback of interaction /{self.name}"
        )

    async def wait_followup(self, n: int = 1, timeout: float | None = None) -> dict[str, Any]:
        """The ``n``-th follow-up body (1-based)."""
        return await self._notifier.wait_for(
            lambda: self.followups[n - 1] if len(self.followups) >= n else None,
            timeout,
            f"follow-up #{n} of interaction /{self.name}",
        )

    async def wait_edit(self, n: int = 1, timeout: float | None = None) -> dict[str, Any]:
        """The ``n``-th edit body of the original response (1-based)."""
        return await self._notifier.wait_for(
            lambda: self.edits[n - 1] if len(self.edits) >= n else None,
            timeout,
            f"edit #{n} of interaction /{self.name}",
        )

    async def wait_content(self, timeout: float | None = None) -> str:
        """The first non-empty visible content of the original response (sent or edited in)."""
        return await self._notifier.wait_for(
            lambda: self.content or None, timeout, f"content of interaction /{self.name}"
        )

    async def wait_until(
        self,
        predicate: Callable[[InteractionRecord], bool],
        timeout: float | None = None,
        what: str = "a condition",
    ) -> None:
        await self._notifier.wait_for(
            lambda: predicate(self) or None, timeout, f"{what} on interaction /{self.name}"
        )


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0 < q <= 100) of ``values``."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(values: Sequence[float]) -> dict[str, float]:
    """``{"count", "p50", "p99", "max", "mean"}`` of latencies in seconds (zeros when empty)."""
    if not values:
        return {"count": 0, "p50": 0.0, "p99": 0.0, "max": 0.0, "mean": 0.0}
    return {
        "count": len(values),
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max": max(values),
        "mean": sum(values) / len(values),
    }
