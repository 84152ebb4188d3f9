"""Acknowledging every interaction of a burst in time: defer first when a backlog builds up.

Discord allows 3 s from an interaction's creation to its acknowledgement. The bot answers
on one event loop: answered in full one after another, the last of a burst of 1,000 would
wait for the work of all 999 before it. So each interaction is numbered as the gateway
delivers it, before any handler runs, and when one is about to be answered the backlog
projects when the last of those waiting behind it would be acknowledged if each were
answered in full. Past `budget`, the interaction is deferred first (a small request:
Discord shows "thinking…") and its answer follows as the deferred message; with nothing
queued behind, an answer is its own acknowledgement (one request instead of two).

Deferred answers then take turns, one at a time, and only once a moment has passed
without a new arrival (`turn`): while the gateway is still delivering a burst, its
interactions are acknowledged before the backlog's answers are worked out. Answers are
held back at most `hold_limit` while arrivals go on, so sustained load cannot starve them.

An interaction's age is counted from its creation (Discord's clock, in its id) or from its
arrival here, whichever is longer: frames wait in the socket while the loop is busy, and a
clock behind Discord's must not hide that. How long an answer takes is learnt as the bot
answers (a moving average of its work on the event loop), so a busier machine defers
sooner.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

# From creation to acknowledgement, what the last interaction waiting may be allowed:
# well inside Discord's 3 s, leaving the rest to the gateway's delivery and the network.
ACK_BUDGET_SECONDS = 0.5
# What an answer's work is taken to cost before the first one is measured.
FIRST_ESTIMATE_SECONDS = 0.002
SMOOTHING = 0.2  # the weight of each new measurement in the moving average
# A deferred answer waits for this long without an arrival before it is worked out ...
QUIET_SECONDS = 0.002
# ... but answers are not held back longer than this while arrivals go on.
HOLD_LIMIT_SECONDS = 1.0

_ARRIVAL = "kcbot.arrival"  # key in `Interaction.extras`: (arrival number, clock)


class InteractionBacklog:
    """Interactions delivered by the gateway, and the cost of answering one."""

    def __init__(
        self,
        budget: float = ACK_BUDGET_SECONDS,
        *,
        first_estimate: float = FIRST_ESTIMATE_SECONDS,
        clock: Callable[[], float] = time.perf_counter,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.budget = budget
        self.answer_seconds = first_estimate
        self.arrivals = 0
        self.deferred = 0  # how many were deferred first (for tests and the benchmark)
        self._clock = clock
        self._wall_clock = wall_clock
        self.hold_limit = HOLD_LIMIT_SECONDS
        self._turn = asyncio.Lock()
        self._held_since: float | None = None  # when answers began to be held back
        self._seen = 0  # the arrivals when the last deferred answer was let through

    def arrived(self, interaction: Any) -> None:
        """Called as the gateway delivers `interaction`, before any handler runs."""
        self.arrivals += 1
        interaction.extras[_ARRIVAL] = (self.arrivals, self._clock())

    def age(self, interaction: Any) -> float:
        """Seconds since the interaction was created or, if longer, since it arrived."""
        found = interaction.extras.get(_ARRIVAL)
        here = self._clock() - found[1] if found is not None else 0.0
        created = getattr(interaction, "created_at", None)
        if isinstance(created, datetime):
            return max(here, self._wall_clock() - created.timestamp())
        return here

    def should_defer(self, interaction: Any) -> bool:
        """Whether answering this one and those behind it in full would acknowledge the
        last of them past the budget."""
        found = interaction.extras.get(_ARRIVAL)
        if found is None:  # never seen arriving: a handler called directly (unit tests)
            return False
        waiting = self.arrivals - found[0] + 1  # this one and those that arrived after it
        return self.age(interaction) + waiting * self.answer_seconds > self.budget

    def answered(self, seconds: float) -> None:
        """Learn from one answer's work on the event loop."""
        if seconds >= 0:
            self.answer_seconds += SMOOTHING * (seconds - self.answer_seconds)

    @contextlib.asynccontextmanager
    async def turn(self, deferred: bool) -> AsyncIterator[None]:
        """Around a deferred answer's work: one at a time, after the arrivals (see the
        module's docstring). An answer that was not deferred goes at once: it is its own
        acknowledgement."""
        if not deferred:
            yield
            return
        async with self._turn:
            await self._after_arrivals()
            yield

    async def _after_arrivals(self) -> None:
        """Wait while interactions keep arriving: until QUIET_SECONDS pass without one, or
        answers have been held for `hold_limit` (then, until a quiet moment, answers only
        take turns with the arrivals)."""
        while self.arrivals != self._seen:
            self._seen = self.arrivals
            if self._held_since is None:
                self._held_since = self._clock()
            elif self._clock() - self._held_since >= self.hold_limit:
                return
            await asyncio.sleep(QUIET_SECONDS)
        self._held_since = None
