"""What runs beside the bot's answers: the question log, feedback, metrics, /healthz.

`BotServices` is built with the bot, started in `setup_hook` and stopped after the gateway
closed (the queue is written out then). A database that cannot be reached never stops the
bot; one written by a newer kcbot does (`SchemaTooNew`), before it connects to Discord.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.monitoring.metrics import Metrics
from bot.storage.feedback import FeedbackKeys, load_secret
from bot.storage.paths import data_dir, database_target
from bot.storage.questionlog import LogPolicy, QuestionLog
from bot.storage.store import open_store
from bot.storage.writer import LogWriter

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot
    from bot.discord_app.feedback import FeedbackDesk
    from bot.monitoring.server import MonitorServer

log = logging.getLogger(__name__)

_KINDS = {
    discord.InteractionType.application_command: "command",
    discord.InteractionType.component: "component",
    discord.InteractionType.modal_submit: "modal",
}


class BotServices:
    def __init__(self, bot: KCBot, *, enabled: bool = True) -> None:
        self.bot = bot
        self.enabled = enabled
        self.settings = bot.settings
        self.writer: LogWriter | None = None
        self.feedback: FeedbackDesk | None = None
        self.monitor: MonitorServer | None = None
        self.metrics = Metrics(lambda: self.writer)
        bot.app.listeners.append(self.metrics.observe)
        self._started = False

    async def start(self) -> None:
        if self._started or not self.enabled:
            return
        self._started = True
        storage = self.settings.storage
        if storage.question_log:
            writer = LogWriter(
                open_store(database_target(storage)), retention_days=storage.retention_days
            )
            await writer.start()  # SchemaTooNew stops the bot here
            self.writer = writer
            self.bot.app.listeners.append(
                QuestionLog(writer.submit, LogPolicy.from_settings(storage))
            )
            self._start_feedback(writer)
        if self.settings.metrics_port is not None:
            from bot.monitoring.server import MonitorServer

            monitor = MonitorServer(
                self.settings.metrics_host,
                self.settings.metrics_port,
                self.health,
                self.metrics.exposition,
            )
            try:
                await monitor.start()
            except OSError as exc:  # the port is taken: a monitoring gap, not a reason to stop
                log.error(
                    "cannot serve /healthz and /metrics on %s:%s (%s); the bot runs without them",
                    self.settings.metrics_host,
                    self.settings.metrics_port,
                    exc,
                )
            else:
                self.monitor = monitor

    def _start_feedback(self, writer: LogWriter) -> None:
        from bot.discord_app.feedback import FeedbackButton, FeedbackDesk

        storage = self.settings.storage
        try:
            secret = load_secret(storage.feedback_secret, data_dir(storage))
        except (OSError, ValueError) as exc:
            log.warning("feedback buttons are off: no feedback secret (%s)", exc)
            return
        self.feedback = FeedbackDesk(FeedbackKeys(secret), writer.submit)
        self.bot.add_dynamic_items(FeedbackButton)

    async def stop(self) -> None:
        monitor, self.monitor = self.monitor, None
        if monitor is not None:
            await monitor.stop()
        writer = self.writer
        if writer is not None:
            await writer.close()

    # -- metrics and health
    def acknowledged(self, interaction: discord.Interaction) -> None:
        """An interaction was answered: count it, with its time since Discord created it."""
        kind = _KINDS.get(interaction.type, "other")
        created = interaction.created_at
        seconds = time.time() - created.timestamp() if isinstance(created, datetime) else None
        self.metrics.acknowledged(kind, seconds)

    async def _database_ok(self) -> bool:
        """The question log's database as both /healthz and `kcbot_log_database_up` see it:
        open, its last write and its last check (a query at most every few seconds)
        succeeded, and (SQLite) its file is still the one opened."""
        writer = self.writer
        return writer is not None and await writer.check()

    async def health(self) -> dict[str, Any]:
        bot = self.bot
        ready = bot.is_ready()
        shards = {str(i): not info.is_closed() for i, info in bot.shards.items()}
        gateway = ready and bool(shards) and all(shards.values())
        database: bool | str = "off"
        if self.writer is not None:
            database = await self._database_ok()
        latency = bot.latency
        return {
            "healthy": ready and gateway and database is not False,
            "ready": ready,
            "gateway": gateway,
            "shards": shards,
            "database": database,
            "gateway_latency_ms": round(latency * 1000, 1) if math.isfinite(latency) else None,
            "log_queue": self.writer.depth if self.writer else 0,
            "log_dropped": self.writer.dropped if self.writer else 0,
        }
