"""`python -m bot report [--since 7d] [--format text|markdown|csv|json]` and the data
behind `/report`: the question log read back and summed up for the editors."""

from __future__ import annotations

import asyncio
import re
import time
from typing import TextIO

from bot.config import StorageSettings
from bot.report.build import Report, build_report
from bot.report.formats import render
from bot.storage.migrate import SchemaTooNew
from bot.storage.paths import database_target
from bot.storage.store import Store, open_store

EXIT_OK = 0
EXIT_FAILED = 1
DEFAULT_SINCE = "7d"
_UNITS = {"m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
_DURATION = re.compile(r"\s*(\d{1,5})\s*([mhdw]?)\s*", re.IGNORECASE)


class ReportError(Exception):
    """Why there is no report: the message is for the person who asked for it."""


def parse_since(text: str) -> float:
    """A period like `7d`, `24h`, `90m`, `2w` (a bare number is days), in seconds."""
    match = _DURATION.fullmatch(text or "")
    if match is None or int(match[1]) == 0:
        raise ValueError(f"--since {text!r}: give a period such as 7d, 24h, 90m or 2w")
    return int(match[1]) * _UNITS[(match[2] or "d").lower()]


async def report_from(
    store: Store,
    period: float,
    *,
    now: float | None = None,
    guild_id: str | None = None,
    texts_shown: bool = True,
) -> Report:
    """Read the last `period` seconds of the log (one server's, with `guild_id`)."""
    until = time.time() if now is None else now
    since = until - period
    answers = await store.answers_since(since, guild_id=guild_id)
    votes = await store.votes_since(since)
    known = {a.answer_id for a in answers}
    referred = {v.answer_id for v in votes} | {a.rephrases for a in answers if a.rephrases}
    older = await store.answers_by_id(referred - known)
    if guild_id is not None:  # votes carry no server: keep those on this server's answers
        ours = known | {a.answer_id for a in older if a.guild_id == guild_id}
        votes = [v for v in votes if v.answer_id in ours]
    return build_report(
        answers,
        votes,
        since=since,
        until=until,
        voted_answers=older,
        scope="this server" if guild_id is not None else "every server",
        texts_shown=texts_shown,
    )


async def _read(storage: StorageSettings, period: float, fmt: str) -> str:
    target = database_target(storage)
    if target.kind == "sqlite" and target.path is not None and not target.path.exists():
        raise ReportError(
            f"there is no question log at {target.path} yet: the bot creates it when it first "
            "answers (see DATA_DIR and DATABASE_URL in .env.example)"
        )
    store = open_store(target)
    try:
        await store.open()
    except SchemaTooNew as exc:
        raise ReportError(str(exc)) from None
    except Exception as exc:
        raise ReportError(f"cannot open {target.display}: {exc}") from None
    try:
        return render(await report_from(store, period), fmt)
    finally:
        await store.close()


def run_report(storage: StorageSettings, since: str, fmt: str, out: TextIO, err: TextIO) -> int:
    try:
        period = parse_since(since)
    except ValueError as exc:
        print(f"kcbot report: {exc}", file=err)
        return 2
    try:
        out.write(asyncio.run(_read(storage, period, fmt)))
    except ReportError as exc:
        print(f"kcbot report: {exc}", file=err)
        return EXIT_FAILED
    return EXIT_OK
