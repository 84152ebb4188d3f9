"""Abuse limits: per-user cooldowns and the question length cap.

The cooldown lives on the bot instance (built from `Settings`), not in a decorator's
closure, so two bots in one process (tests, shards in one process) never share buckets and
the rate can come from configuration.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from discord import app_commands


@dataclass(slots=True)
class _Window:
    start: float
    count: int


class UserCooldown:
    """At most `rate` uses per `per` seconds for each key (a user id), in fixed windows."""

    def __init__(
        self, rate: int, per: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate < 1 or per <= 0:
            raise ValueError(f"a cooldown needs rate >= 1 and per > 0, not {rate}/{per}")
        self.rate = rate
        self.per = per
        self._clock = clock
        self._windows: dict[Hashable, _Window] = {}
        self._next_prune = float("-inf")

    def hit(self, key: Hashable) -> float | None:
        """Count one use by `key`: None if allowed, else the seconds until it is."""
        now = self._clock()
        self._forget_expired(now)
        window = self._windows.get(key)
        if window is None or now >= window.start + self.per:
            self._windows[key] = _Window(now, 1)
            return None
        if window.count < self.rate:
            window.count += 1
            return None
        return window.start + self.per - now

    def _forget_expired(self, now: float) -> None:
        # At most once per window, so a hit costs O(1) however many users there are.
        if now < self._next_prune:
            return
        self._next_prune = now + self.per
        expired = [k for k, w in self._windows.items() if now >= w.start + self.per]
        for key in expired:
            del self._windows[key]

    def as_app_cooldown(self) -> app_commands.Cooldown:
        """The same limit as discord.py's type, for `app_commands.CommandOnCooldown`."""
        return app_commands.Cooldown(self.rate, self.per)


def question_too_long(text: str, max_length: int) -> bool:
    """Whether `text`, stripped, is longer than the configured cap."""
    return len(text.strip()) > max_length
