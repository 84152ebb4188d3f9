"""The question log for front-ends without an event loop (the console, `ask --log`).

The writer runs on its own event loop in a daemon thread; `submit` hands records to it
thread-safely and returns at once. Leaving the `with` block writes what is queued.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from concurrent.futures import Future

from bot.storage.records import AnswerRecord, QuestionText, VoteRecord
from bot.storage.store import Store
from bot.storage.writer import DEFAULT_LIMITS, LogWriter, WriterLimits

log = logging.getLogger(__name__)


class BackgroundLog:
    def __init__(
        self,
        store: Store,
        *,
        retention_days: int = 30,
        limits: WriterLimits = DEFAULT_LIMITS,
    ) -> None:
        self._store = store
        self._retention_days = retention_days
        self._limits = limits
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="question-log", daemon=True)
        self.writer: LogWriter | None = None

    def __enter__(self) -> BackgroundLog:
        self._thread.start()
        started: Future[LogWriter] = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        try:
            self.writer = started.result(timeout=self._limits.close_timeout)
        except BaseException:
            self._stop_loop()
            raise
        return self

    def _run(self) -> None:
        # The kernel hands a process signal to any thread that does not block it; Ctrl-C
        # taken by this thread would leave the main thread's readline waiting for a key
        # (the line is not dropped until the next one). Threads this one starts (the
        # store's executor) inherit the mask.
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        self._loop.run_forever()

    async def _start(self) -> LogWriter:
        writer = LogWriter(self._store, retention_days=self._retention_days, limits=self._limits)
        await writer.start()
        return writer

    def submit(self, record: AnswerRecord | VoteRecord | QuestionText) -> None:
        writer = self.writer
        if writer is not None:
            self._loop.call_soon_threadsafe(writer.submit, record)

    def __exit__(self, *exc: object) -> None:
        writer = self.writer
        if writer is not None:
            closing = asyncio.run_coroutine_threadsafe(writer.close(), self._loop)
            try:
                closing.result(timeout=self._limits.close_timeout + 5)
            except Exception:
                log.warning("question log: could not write the last records", exc_info=True)
        self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()
