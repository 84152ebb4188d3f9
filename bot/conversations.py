"""Where conversations live between questions: the last turn of each, in memory only.

Keyed by `Request.conversation` (Discord: channel and user; the console: its session).
A conversation idle for longer than `idle_seconds` is forgotten, and at most `capacity`
are kept: the least recently used goes first. Nothing is written to disk. One lock makes
it safe for the bot's event loop and the worker threads that may answer beside it; every
operation is O(1) but the pruning of expired entries, which stops at the first live one.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from bot.engine.turn import Turn

DEFAULT_IDLE_SECONDS = 600.0
DEFAULT_CAPACITY = 10_000


class ConversationStore:
    """The last turn of each conversation, least recently used first."""

    def __init__(
        self,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        capacity: int = DEFAULT_CAPACITY,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if idle_seconds <= 0 or capacity < 1:
            raise ValueError(
                f"a conversation store needs idle_seconds > 0 and capacity >= 1, "
                f"not {idle_seconds} and {capacity}"
            )
        self.idle_seconds = idle_seconds
        self.capacity = capacity
        self._clock = clock
        self._turns: OrderedDict[Hashable, tuple[float, Turn]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._turns)

    def get(self, key: Hashable | None) -> Turn | None:
        """The conversation's last turn, unless it has been idle too long."""
        if key is None:
            return None
        with self._lock:
            now = self._clock()
            self._forget_idle(now)
            found = self._turns.get(key)
            return None if found is None else found[1]

    def put(self, key: Hashable | None, turn: Turn) -> None:
        """Remember `turn` as the conversation's last; the oldest go past the capacity."""
        if key is None:
            return
        with self._lock:
            now = self._clock()
            self._turns[key] = (now, turn)
            self._turns.move_to_end(key)
            self._forget_idle(now)
            while len(self._turns) > self.capacity:
                self._turns.popitem(last=False)

    def forget(self, key: Hashable | None) -> None:
        with self._lock:
            self._turns.pop(key, None)

    def _forget_idle(self, now: float) -> None:
        # Entries are in order of last use, so the idle ones are all at the front.
        while self._turns:
            key, (used, _) = next(iter(self._turns.items()))
            if now - used <= self.idle_seconds:
                return
            del self._turns[key]
