"""Acknowledging every interaction of a burst in time: defer first when a backlog builds up.

Discord allows 3 s from an interaction's creation to its acknowledgement. The bot answers
on one event loop: answered in full one after another, the last of a burst of 1,000 would
wait for the work of all 999 before it. So each interaction is numbered as the gateway
delivers it, before any handler runs, and when one is about to be answered the backlog
projects when the last of those waiting behind it would be acknowledged if each were
answered in full. Past `budget`, the interaction is deferred first (a small request:
Discord shows "thinking…") and its answer follows as the deferred message; with nothing
queued behind, an answer is its own acknowledgement (one request instead of two).

Deferred answers then take turns, one at a time, and only while no interaction that
arrived is still waiting for its acknowledgement (`turn`): a burst's acknowledgements all
go out before the backlog's answers are worked out. Answers are held back at most
`hold_limit` in a row, so sustained load cannot starve them (they then take turns with
the acknowledgements).

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
# While acknowledgements are due, a deferred answer looks again this often ...
POLL_SECONDS = 0.002
# ... but answers are not held back longer than this in a row (then they take turns with
# the acknowledgements): the last of a burst must be acknowledged within Discord's 3 s.
HOLD_LIMIT_SECONDS = 2.0
# An interaction not acknowledged after this long no longer can be (Discord's deadline).
ACK_DEADLINE_SECONDS = 3.0

_ARRIVAL = "kcbot.arrival"  # key in `Interaction.extras`: (arrival number, clock)
_AT_ONCE = contextlib.nullcontext()  # an answer not deferred: nothing to wait for


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
        # Interactions that arrived in the last ACK_DEADLINE_SECONDS and may still be
        # waiting for their acknowledgement, in the order they arrived.
        self._unacknowledged: dict[int, tuple[float, Any]] = {}

    def arrived(self, interaction: Any) -> None:
        """Called as the gateway delivers `interaction`, before any handler runs."""
        self.arrivals += 1
        now = self._clock()
        interaction.extras[_ARRIVAL] = (self.arrivals, now)
        waiting = self._unacknowledged
        while waiting:  # the oldest first: drop those past Discord's deadline
            oldest = next(iter(waiting))
            if now - waiting[oldest][0] <= ACK_DEADLINE_SECONDS:
                break
            del waiting[oldest]
        waiting[interaction.id] = (now, interaction)

    def acknowledgements_due(self) -> int:
        """How many interactions that arrived are still waiting for their acknowledgement
        (answered, deferred or refused: discord.py's `response.is_done()`)."""
        waiting = self._unacknowledged
        now = self._clock()
        for key, (arrived_at, interaction) in list(waiting.items()):
            if now - arrived_at > ACK_DEADLINE_SECONDS or interaction.response.is_done():
                del waiting[key]
        return len(waiting)

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

    def turn(self, deferred: bool) -> contextlib.AbstractAsyncContextManager[None]:
        """Around a deferred answer's work: one at a time, after the acknowledgements due
        (see the module's docstring). An answer that was not deferred goes at once: it is its own
        acknowledgement."""
        return self._deferred_turn() if deferred else _AT_ONCE

    @contextlib.asynccontextmanager
    async def _deferred_turn(self) -> AsyncIterator[None]:
        async with self._turn:
            await self._after_acknowledgements()
            yield

    async def _after_acknowledgements(self) -> None:
        """Wait while acknowledgements are due, at most `hold_limit` in a row (past that,
        until none is due, answers take turns with the acknowledgements)."""
        while self.acknowledgements_due():
            if self._held_since is None:
                self._held_since = self._clock()
            elif self._clock() - self._held_since >= self.hold_limit:
                return
            await asyncio.sleep(POLL_SECONDS)
        self._held_since = None
