"""Stopping the bot: SIGINT and SIGTERM alike, and what is running gets a few seconds.

A terminal's Ctrl-C and Docker (the image's STOPSIGNAL) send SIGINT; `kill`, Kubernetes,
podman and `systemctl kill` send SIGTERM. Either one starts the same stop (`KCBot.close`):
the gateway is closed first, so no new event comes in; the interactions and messages
already being answered get `STOP_GRACE_SECONDS` to finish (their replies still go out);
what is left then is abandoned, in one log line with its number; then the HTTP session and
the question log are closed, the log's queue written out. A second signal during the stop
cuts it short.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOP_GRACE_SECONDS = 5.0
# The tasks discord.py runs an event's handlers in: slash commands (and autocomplete),
# components, and messages for the free-text listener.
HANDLER_TASKS = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-dynamic-item-",
    "discord.py: on_message",
)


class StopSignals:
    """While installed, SIGINT and SIGTERM request a stop: `requested` is set and the
    watched bot is closed; a second signal cancels `task` (the one that installed it)."""

    def __init__(self) -> None:
        self.requested = asyncio.Event()
        self._bot: Any = None
        self._task = asyncio.current_task()
        self._closing: asyncio.Future[Any] | None = None

    def watch(self, bot: Any) -> None:
        """The bot a signal closes (each connection attempt makes a new one)."""
        self._bot = bot
        if self.requested.is_set():
            self._close()

    def _received(self, signum: int) -> None:
        name = signal.Signals(signum).name
        if self.requested.is_set():
            log.warning("%s again while stopping: stopping at once", name)
            if self._task is not None:
                self._task.cancel()
            return
        log.info("%s received: stopping", name)
        self.requested.set()
        self._close()

    def _close(self) -> None:
        if self._bot is not None and self._closing is None:
            self._closing = asyncio.ensure_future(self._bot.close())

    async def wait(self, delay: float, sleep: Callable[[float], Awaitable[Any]]) -> None:
        """`sleep(delay)`, cut short by a stop request."""
        sleeping = asyncio.ensure_future(sleep(delay))
        stopping = asyncio.ensure_future(self.requested.wait())
        try:
            await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeping, stopping):
                task.cancel()

    @contextlib.contextmanager
    def installed(self) -> Iterator[StopSignals]:
        loop = asyncio.get_running_loop()
        added = []
        for sig in STOP_SIGNALS:
            try:
                loop.add_signal_handler(sig, self._received, sig)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                continue
            added.append(sig)
        try:
            yield self
        finally:
            for sig in added:
                loop.remove_signal_handler(sig)


async def finish_running(bot: Any, grace: float = STOP_GRACE_SECONDS) -> int:
    """Close the gateway, give the handlers already running `grace` seconds, cancel what
    is left; one log line. Returns how many were abandoned."""
    for shard in list(getattr(bot, "shards", {}).values()):
        with contextlib.suppress(Exception):  # already closed, never connected
            await shard.disconnect()
    current = asyncio.current_task()
    running = {
        task
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and task.get_name().startswith(HANDLER_TASKS)
    }
    if not running:
        log.info("stopping: the gateway is closed and nothing was being answered")
        return 0
    _, pending = await asyncio.wait(running, timeout=grace)
    for task in pending:
        task.cancel()
    level = logging.WARNING if pending else logging.INFO
    log.log(
        level,
        "stopping: the gateway is closed; of %d events being answered, %d finished and %d "
        "were abandoned after %g s",
        len(running),
        len(running) - len(pending),
        len(pending),
        grace,
    )
    return len(pending)
