"""The question log for the offline front-ends: `with question_log(app, storage):`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TextIO

from bot.app import Application
from bot.config import StorageSettings
from bot.storage.background import BackgroundLog
from bot.storage.migrate import SchemaTooNew
from bot.storage.paths import database_target
from bot.storage.questionlog import LogPolicy, QuestionLog
from bot.storage.store import open_store


@contextlib.contextmanager
def question_log(app: Application, storage: StorageSettings | None) -> Iterator[None]:
    """Record `app`'s answers while the block runs (nothing when `storage` is None or the
    log is switched off); the records are written when the block ends."""
    if storage is None or not storage.question_log:
        yield
        return
    store = open_store(database_target(storage))
    with BackgroundLog(store, retention_days=storage.retention_days) as background:
        listener = QuestionLog(background.submit, LogPolicy.from_settings(storage))
        app.listeners.append(listener)
        try:
            yield
        finally:
            app.listeners.remove(listener)


def start_question_log(
    stack: contextlib.ExitStack, app: Application, storage: StorageSettings | None, err: TextIO
) -> bool:
    """Record `app`'s answers until `stack` closes; False (after saying why on `err`) when
    the database belongs to a newer kcbot."""
    try:
        stack.enter_context(question_log(app, storage))
    except SchemaTooNew as exc:
        print(f"kcbot: {exc}", file=err)
        return False
    return True
