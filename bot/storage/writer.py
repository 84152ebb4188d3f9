"""Writes off the answer path: a bounded queue drained by one background task in batches.

`submit()` never blocks and never raises: it appends to an in-memory queue, or counts the
record as dropped when the queue is full. The task writes what has gathered once per
`flush_interval` (at once when a full batch is waiting, or when `flush()` asks).

When the database is down, locked, read-only or full, a batch that could not be written
goes back to the head of the queue and is tried again, the delay doubling up to
`max_retry_delay`: records wait (up to `capacity`) for as long as the outage lasts, and
only records refused by a full queue are lost. The trouble is logged when it starts and
at most once a minute while it lasts, and so are the drops. A SQLite file deleted or
replaced while open is noticed (`Store.replaced`): the batch written into it goes back to
the queue, the records written to it earlier are counted as lost with it, and the file is
created and migrated again. `close()` writes what is left (one try per batch: a stop must
not wait on a dead database) and always logs the final count.
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
from bot.storage.records import AnswerRecord, QuestionText, VoteRecord
from bot.storage.store import Store

log = logging.getLogger(__name__)

Record = AnswerRecord | VoteRecord | QuestionText
DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class WriterLimits:
    capacity: int = 10_000  # records waiting at most; more are dropped (and counted)
    batch_size: int = 100  # small: a batch's rows are bound on the event loop's thread
    flush_interval: float = 1.0  # seconds a record may wait for others to share its batch
    retry_delay: float = 1.0  # after a failed write, doubled after each failure ...
    max_retry_delay: float = 10.0  # ... up to this
    report_every: float = 60.0  # trouble and drops are logged at most this often
    purge_every: float = 3_600.0
    check_every: float = 5.0  # how often an idle writer checks the database is still there
    ping_timeout: float = 2.0
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
        self._writing = 0  # records of the batch being written
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
        self.dropped_failed = 0  # taken, but never written (the stop found the database down)
        self.lost_with_file = 0  # written to a SQLite file that was then deleted or replaced
        self.last_error: str | None = None  # the current trouble; None once writes succeed
        self._ping_error: str | None = None  # the database did not answer the last check
        self._written_to_file = 0  # written to the database opened last
        self._last_failure: str | None = None  # why the last records were lost
        self._reported = (0, 0)
        self._last_report = float("-inf")
        self._last_trouble_report = float("-inf")
        self._last_check = float("-inf")
        self._next_purge = float("-inf")

    # -- the answer path
    def submit(self, record: Record) -> bool:
        """Queue `record`; False (and counted as dropped) when the queue is full or closed."""
        if self.depth >= self.limits.capacity or self.disabled or self._closing.is_set():
            self.dropped_full += 1
            return False
        self._pending.append(record)
        self._has_work.set()
        self._idle.clear()
        return True

    @property
    def depth(self) -> int:
        """Records waiting, the batch being written included."""
        return len(self._pending) + self._writing

    @property
    def dropped(self) -> int:
        return self.dropped_full + self.dropped_failed

    @property
    def healthy(self) -> bool:
        """Open and writing: the last write (if any) succeeded, the last check answered and
        the database is still the one opened. What /healthz and `kcbot_log_database_up`
        both say."""
        return (
            self.opened
            and self.last_error is None
            and self._ping_error is None
            and not self.disabled
            and not self.store.replaced()
        )

    # -- lifetime
    async def start(self, *, open_timeout: float = 5.0) -> None:
        """Open the database (waiting at most `open_timeout`) and start writing.

        Raises `SchemaTooNew` when the database belongs to a newer kcbot. A database that
        cannot be reached does not stop the start: it is retried in the background.
        """
        try:
            await asyncio.wait_for(self.store.open(), open_timeout)
            self._opened()
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

    async def check(self) -> bool:
        """Ask the database (at most every `check_every` seconds) whether it answers, and
        notice a deleted file; returns `healthy`. For /healthz: an idle writer learns of
        trouble here rather than at its next write."""
        now = time.monotonic()
        if self.opened and now - self._last_check >= self.limits.check_every:
            self._last_check = now
            if self.store.replaced():
                self._has_work.set()  # the writer reopens it
            else:
                try:
                    await asyncio.wait_for(self.store.ping(), self.limits.ping_timeout)
                except Exception as exc:  # down, locked past the timeout
                    self._ping_error = _describe(exc)
                else:
                    self._ping_error = None
        return self.healthy

    async def close(self) -> None:
        """Write what is queued (one try per batch), close the database, log the count."""
        if self._closing.is_set() and self._task is None:
            return
        self._closing.set()
        self._hurry.set()
        self._has_work.set()
        task, self._task = self._task, None
        if task is not None:
            try:
                await asyncio.wait_for(task, self.limits.close_timeout)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                self._lose_all()
            except Exception:
                log.exception("question log: the writer failed while closing")
                self._lose_all()
        with contextlib.suppress(Exception):
            await self.store.close()
        self.opened = False
        log.log(
            logging.WARNING if self.dropped or self.lost_with_file else logging.INFO,
            "question log: closed; %d records written, %d dropped (%d with the queue full, "
            "%d not written: %s), %d lost with a deleted database file",
            self.written,
            self.dropped,
            self.dropped_full,
            self.dropped_failed,
            self._last_failure or "–",
            self.lost_with_file,
        )

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
            # Wake for work, to purge an idle log on time, or to check the file is there.
            wake = min(self._seconds_to_purge(), self.limits.check_every)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._has_work.wait(), max(wake, 0))
            if await self._file_gone():
                continue
            if self._pending and len(self._pending) < self.limits.batch_size:
                await self._linger(self.limits.flush_interval, self._hurry)
            if self._pending:
                if await self._write_batch():
                    retry_delay = self.limits.retry_delay
                elif self._closing.is_set():
                    self._lose_all()
                else:
                    await self._linger(retry_delay)
                    retry_delay = min(retry_delay * 2, self.limits.max_retry_delay)
            if self.opened:
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

    def _opened(self) -> None:
        self.opened = True
        self._written_to_file = 0
        self._ping_error = None

    async def _reopen(self) -> bool:
        try:
            await self.store.open()
        except SchemaTooNew as exc:
            self.disabled = str(exc)
            log.error("question log: nothing will be written: %s", exc)
            return False
        except Exception as exc:
            self._trouble(exc)
            return False
        self._opened()
        self.last_error = None
        log.info("question log: %s is open again", self.store.target.display)
        return True

    async def _file_gone(self) -> bool:
        """When the database file was deleted or replaced: count what went with it, close
        it; the loop opens (creates and migrates) a new one."""
        if not self.store.replaced():
            return False
        self.lost_with_file += self._written_to_file
        self.last_error = "the database file was deleted or replaced"
        log.warning(
            "question log: %s was deleted or replaced while open: the %d records written to "
            "it since it was opened are gone with it; a new one is created, and records "
            "wait in memory meanwhile",
            self.store.target.display,
            self._written_to_file,
        )
        with contextlib.suppress(Exception):
            await self.store.close()
        self.opened = False
        return True

    async def _write_batch(self) -> bool:
        """Write the next batch; on failure (or into a file deleted meanwhile) it goes back
        to the head of the queue. True unless the database refused it."""
        size = min(len(self._pending), self.limits.batch_size)
        batch = [self._pending.popleft() for _ in range(size)]
        answers = [r for r in batch if isinstance(r, AnswerRecord)]
        votes = [r for r in batch if isinstance(r, VoteRecord)]
        texts = [r for r in batch if isinstance(r, QuestionText)]
        self._writing = size
        try:
            await self.store.write(answers, votes, texts)
        except Exception as exc:  # locked, read-only, full, connection lost
            self._pending.extendleft(reversed(batch))
            self._trouble(exc)
            return False
        finally:
            self._writing = 0
        if self.store.replaced():  # written into a file no longer there: write it again
            self._pending.extendleft(reversed(batch))
            await self._file_gone()
            return True
        self.written += len(batch)
        self._written_to_file += len(batch)
        if self.last_error is not None:
            log.info("question log: writing to %s again", self.store.target.display)
        self.last_error = None
        self._ping_error = None
        return True

    def _trouble(self, exc: BaseException) -> None:
        """The database refused: remember why, and say so at most once per `report_every`."""
        self.last_error = _describe(exc)
        now = time.monotonic()
        if now - self._last_trouble_report < self.limits.report_every:
            return
        self._last_trouble_report = now
        log.warning(
            "question log: cannot write to %s (%s); %d records wait in memory (at most %d) "
            "and are retried",
            self.store.target.display,
            self.last_error,
            len(self._pending),
            self.limits.capacity,
        )

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
        if count:
            self._last_failure = self.disabled or self.last_error or self._last_failure

    def _report(self) -> None:
        """One warning line for the records lost since the last one, at most once per
        `report_every` seconds (`close` logs the totals)."""
        now = time.monotonic()
        full = self.dropped_full - self._reported[0]
        failed = self.dropped_failed - self._reported[1]
        if not (full or failed) or now - self._last_report < self.limits.report_every:
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
