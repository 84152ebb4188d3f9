"""Writes off the answer path: a bounded queue drained by one background task in batches.

`submit()` never blocks and never raises: it appends to an in-memory queue, or counts the
record as dropped when the queue is full. The task writes what has gathered once per
`flush_interval` (at once when a full batch is waiting, or when `flush()` asks). When the
database is down, locked, read-only or full, a batch is retried a few times and then
dropped and counted; the count is logged at most once a minute. `close()` writes what is
left before returning.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.storage.migrate import SchemaTooNew
from bot.storage.records import AnswerRecord, VoteRecord
from bot.storage.store import Store

log = logging.getLogger(__name__)

Record = AnswerRecord | VoteRecord
DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class WriterLimits:
    capacity: int = 10_000  # records waiting at most; more are dropped (and counted)
    batch_size: int = 100  # small: a batch's rows are bound on the event loop's thread
    flush_interval: float = 1.0  # seconds a record may wait for others to share its batch
    attempts: int = 3  # tries per batch before it is dropped
    retry_delay: float = 1.0  # doubled after each failure ...
    max_retry_delay: float = 30.0  # ... up to this
    report_every: float = 60.0  # drop counts and errors are logged at most this often
    purge_every: float = 3_600.0
    close_timeout: float = 10.0


DEFAULT_LIMITS = WriterLimits()


class LogWriter:
    """The question log's writer for one process (its own event loop's thread only)."""

    def __init__(
        self,
        store: Store,
        *,
        retention_days: int = 30,
        limits: WriterLimits = DEFAULT_LIMITS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.retention_days = retention_days
        self.limits = limits
        self._clock = clock
        self._pending: deque[Record] = deque()
        self._has_work = asyncio.Event()
        self._closing = asyncio.Event()
        self._hurry = asyncio.Event()  # write now: set by flush() and close()
        self._idle = asyncio.Event()  # nothing queued or being written
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self.opened = False
        self.disabled: str | None = None  # why nothing will ever be written (schema too new)
        self.written = 0
        self.dropped_full = 0  # refused: the queue was full, closed or disabled
        self.dropped_failed = 0  # taken, but the database would not store them
        self.last_error: str | None = None  # the current trouble; None once writes succeed
        self._last_failure: str | None = None  # why the last records were lost
        self._reported = (0, 0)
        self._last_report = float("-inf")
        self._next_purge = float("-inf")

    # -- the answer path
    def submit(self, record: Record) -> bool:
        """Queue `record`; False (and counted as dropped) when the queue is full or closed."""
        if len(self._pending) >= self.limits.capacity or self.disabled or self._closing.is_set():
            self.dropped_full += 1
            return False
        self._pending.append(record)
        self._has_work.set()
        self._idle.clear()
        return True

    @property
    def depth(self) -> int:
        return len(self._pending)

    @property
    def dropped(self) -> int:
        return self.dropped_full + self.dropped_failed

    @property
    def healthy(self) -> bool:
        """Open and writing: the last write (if any) succeeded."""
        return self.opened and self.last_error is None and not self.disabled

    # -- lifetime
    async def start(self, *, open_timeout: float = 5.0) -> None:
        """Open the database (waiting at most `open_timeout`) and start writing.

        Raises `SchemaTooNew` when the database belongs to a newer kcbot. A database that
        cannot be reached does not stop the start: it is retried in the background.
        """
        try:
            await asyncio.wait_for(self.store.open(), open_timeout)
            self.opened = True
            log.info("question log: writing to %s", self.store.target.display)
        except SchemaTooNew:
            raise
        except Exception as exc:  # down, refused, bad credentials, timed out
            self.last_error = _describe(exc)
            log.warning(
                "question log: %s cannot be opened (%s); answers go on, and up to %d records "
                "wait in memory while it is retried",
                self.store.target.display,
                self.last_error,
                self.limits.capacity,
            )
        self._task = asyncio.create_task(self._run(), name="question-log-writer")

    async def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything submitted so far is written or dropped (for tests, reports)."""
        self._hurry.set()
        try:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._idle.wait(), timeout)
        finally:
            if not self._closing.is_set():
                self._hurry.clear()

    async def close(self) -> None:
        """Write what is queued (one try per batch), then close the database."""
        self._closing.set()
        self._hurry.set()
        self._has_work.set()
        task = self._task
        if task is not None:
            try:
                await asyncio.wait_for(task, self.limits.close_timeout)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                self._lose_all()
            except Exception:
                log.exception("question log: the writer failed while closing")
        self._report(force=True)
        with contextlib.suppress(Exception):
            await self.store.close()
        self.opened = False

    # -- the background task
    async def _run(self) -> None:
        retry_delay = self.limits.retry_delay
        while not (self._closing.is_set() and not self._pending):
            if self.disabled:  # nothing will ever be written: wait for close()
                self._lose_all()
                await self._has_work.wait()
                continue
            if not self.opened:
                if self._closing.is_set():  # shutting down must not wait on a dead database
                    self._lose_all()
                elif await self._reopen():
                    retry_delay = self.limits.retry_delay
                else:  # records wait in the queue meanwhile (and are refused once it is full)
                    await self._linger(retry_delay)
                    retry_delay = min(retry_delay * 2, self.limits.max_retry_delay)
                self._report()
                continue
            # Wake for work, or to purge an idle log on time.
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._has_work.wait(), max(self._seconds_to_purge(), 0))
            if self._pending and len(self._pending) < self.limits.batch_size:
                await self._linger(self.limits.flush_interval, self._hurry)
            if self._pending:
                await self._write_batch()
            await self._purge_if_due()
            if not self._pending:
                self._has_work.clear()
                self._idle.set()
            self._report()

    def _lose_all(self) -> None:
        self._lose(len(self._pending))
        self._pending.clear()
        self._has_work.clear()
        self._idle.set()

    def _seconds_to_purge(self) -> float:
        return self._next_purge - self._clock()

    async def _linger(self, seconds: float, until: asyncio.Event | None = None) -> None:
        """Wait `seconds`, or less if `until` (default: closing) is set meanwhile."""
        event = self._closing if until is None else until
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)

    async def _reopen(self) -> bool:
        try:
            await self.store.open()
        except SchemaTooNew as exc:
            self.disabled = str(exc)
            log.error("question log: nothing will be written: %s", exc)
            return False
        except Exception as exc:
            self.last_error = _describe(exc)
            return False
        self.opened = True
        self.last_error = None
        log.info("question log: %s is reachable again", self.store.target.display)
        return True

    async def _write_batch(self) -> None:
        size = min(len(self._pending), self.limits.batch_size)
        batch = [self._pending.popleft() for _ in range(size)]
        answers = [r for r in batch if isinstance(r, AnswerRecord)]
        votes = [r for r in batch if isinstance(r, VoteRecord)]
        delay = self.limits.retry_delay
        attempt = 0
        while True:
            attempt += 1
            try:
                await self.store.write(answers, votes)
            except Exception as exc:  # locked, read-only, full, connection lost
                self.last_error = _describe(exc)
                # While closing, one try: shutting down must not wait on a dead database.
                if attempt >= self.limits.attempts or self._closing.is_set():
                    self._lose(len(batch))
                    return
                await self._linger(delay)
                delay = min(delay * 2, self.limits.max_retry_delay)
            else:
                self.written += len(batch)
                if self.last_error is not None:
                    log.info("question log: writing to %s again", self.store.target.display)
                self.last_error = None
                return

    async def _purge_if_due(self) -> None:
        now = self._clock()
        if now < self._next_purge:
            return
        self._next_purge = now + self.limits.purge_every
        try:
            removed = await self.store.purge(now - self.retention_days * DAY)
        except Exception as exc:
            log.warning("question log: purge failed (%s); retried later", _describe(exc))
            return
        if removed:
            log.info(
                "question log: purged %d rows older than %d days", removed, self.retention_days
            )

    # -- counting what is lost
    def _lose(self, count: int) -> None:
        self.dropped_failed += max(count, 0)
        self._last_failure = self.disabled or self.last_error or self._last_failure

    def _report(self, *, force: bool = False) -> None:
        """One warning line for the records lost since the last one, at most once per
        `report_every` seconds (and once more when closing)."""
        now = time.monotonic()
        full = self.dropped_full - self._reported[0]
        failed = self.dropped_failed - self._reported[1]
        if not (full or failed) or (
            not force and now - self._last_report < self.limits.report_every
        ):
            return
        log.warning(
            "question log: dropped %d records (%d with the queue full, %d not written: %s); "
            "%d dropped since start",
            full + failed,
            full,
            failed,
            self._last_failure or "–",
            self.dropped,
        )
        self._reported = (self.dropped_full, self.dropped_failed)
        self._last_report = now


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
