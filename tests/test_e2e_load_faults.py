"""kcbot under load and faults, end to end through the Discord double (127.0.0.1 only).

Every loop is bounded and every wait has a timeout; the double enforces Discord's 3 s
acknowledgement deadline on each interaction, and every test ends with
``double.assert_clean()``.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import app as application
from tests.discord_double import DiscordDouble, fast_http_backoff
from tests.test_e2e_discord import (
    NOASTEC_TEL,
    kc_bot,
    message_text,
    replies_to,
    response_text,
    wait_reply,
)

REPO = Path(__file__).resolve().parent.parent
# No cooldown gets in the way of a load test (the cooldown has its own tests).
UNLIMITED = {
    "COMMAND_COOLDOWN_RATE": 1_000_000,
    "FREE_TEXT_COOLDOWN_RATE": 1_000_000,
}
# A reload builds the base in a child process: seconds on a loaded machine, so the reply is
# waited for longer than the double's default (the tests assert what it says, not when).
RELOAD_WAIT = 60.0
MIXED_COMMANDS = [
    ("contact", {"region": "sapporo"}),
    ("region", {"name": "hamamatsu"}),
    ("stage", {"stage": "second"}),
    ("stage", {"stage": "first", "status": "ended"}),
    ("field", {"field": "environment"}),
    ("ask", {"question": "Who runs the Sapporo cluster?"}),
    ("ask", {"question": "What fields does Kyoto cover?"}),
    ("about", None),
    ("help", None),
]


async def answered(
    double: DiscordDouble, name: str = "contact", options: dict | None = None, **kwargs
) -> str:
    """Dispatch a command and return the text of its (immediate) response."""
    record = await double.dispatch_interaction(
        name, {"region": "sapporo"} if options is None else options, **kwargs
    )
    body = await record.wait_response()
    return response_text(body)


async def eventually(predicate: Callable[[], object], timeout: float = 5.0) -> None:
    """Poll a condition the double is not notified about (a log record), bounded."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.01)


# ------------------------------------------------------------------------------ load ----


async def test_500_interactions_at_once_are_each_answered_exactly_once(knowledge):
    """A burst loses nothing and duplicates nothing: every interaction gets one callback
    with its answer. How fast the last one comes depends on the machine, so the double's
    deadline is lifted here; benchmarks/bench_discord.py reports the burst's latencies."""
    count = 500
    async with DiscordDouble(ack_deadline=120.0) as double:
        async with kc_bot(double, knowledge, UNLIMITED):
            records = await asyncio.gather(
                *(
                    double.dispatch_interaction(*MIXED_COMMANDS[i % len(MIXED_COMMANDS)])
                    for i in range(count)
                )
            )
            await double.wait_for(
                lambda: all(answer_of(r) or r.timeout_recorded for r in records),
                timeout=120,
                what="every interaction answered or timed out",
            )
        double.assert_clean()
        assert len({r.id for r in records}) == count
        assert sum(r.response is not None for r in records) == count
        # Answered in the callback, or deferred (a backlog) and answered in a follow-up.
        assert all(r.response["type"] in (4, 5) for r in records)
        assert all(message_text(answer_of(r)) for r in records)
        assert all(len(r.followups) == (r.response["type"] == 5) for r in records)
        assert double.latency_summary()["count"] == count
        callbacks = double.requests_matching("POST /interactions/*/callback")
        assert len(callbacks) == count  # one callback each: none retried, none lost


def answer_of(record) -> dict | None:
    """The message that answers an interaction: its callback's, or the follow-up that
    filled its deferral."""
    if record.response is None:
        return None
    if record.response["type"] == 4:
        return record.response["data"]
    return record.followups[0] if record.followups else None


# ---------------------------------------------------------------------------- gateway ----


async def test_dropped_and_closed_connections_resume_and_keep_serving(knowledge):
    async with DiscordDouble() as double:
        async with kc_bot(double, knowledge, UNLIMITED):
            session = double.session_id(0)
            assert NOASTEC_TEL in await answered(double)

            await double.drop_connection(0)  # the client sees 1006
            first = await double.wait_for_resume(1, shard_id=0)
            assert first.data["session_id"] == session
            assert NOASTEC_TEL in await answered(double)

            await double.close_connection(0, code=4000)
            second = await double.wait_for_resume(2, shard_id=0)
            assert second.data["session_id"] == session
            await double.wait_connected(0)
            assert NOASTEC_TEL in await answered(double)

            # Only one IDENTIFY: both reconnects resumed the same session.
            assert len(double.identifies) == 1
            assert double.session_id(0) == session
            assert [r.path for r in double.resumes] == ["/resume-gateway/"] * 2
        double.assert_clean()


async def test_interaction_sent_while_disconnected_is_replayed_on_resume(knowledge):
    async with DiscordDouble() as double:
        async with kc_bot(double, knowledge, UNLIMITED):
            await double.drop_connection(0)
            # Buffered by the double while the shard is down, replayed after RESUME.
            record = await double.dispatch_interaction("contact", {"region": "sapporo"})
            body = await record.wait_response(timeout=double.ack_deadline)
            assert NOASTEC_TEL in response_text(body)
            assert len(double.resumes) >= 1
        double.assert_clean()


@pytest.mark.parametrize("resumable", [False, True])
async def test_invalid_session_then_serving_again(knowledge, resumable):
    async with DiscordDouble() as double:
        async with kc_bot(double, knowledge, UNLIMITED):
            old_session = double.session_id(0)
            await double.invalidate_session(0, resumable=resumable)
            if resumable:
                await double.wait_for_resume(1, shard_id=0)
                assert double.session_id(0) == old_session
            else:
                # A fresh IDENTIFY (no 5 s pause: E2EBot's before_identify_hook) and session.
                await double.wait_for_identify(2, shard_id=0)
                assert double.session_id(0) != old_session
            await double.wait_connected(0)
            assert NOASTEC_TEL in await answered(double)
            delivery = await double.dispatch_message("sapporo phone number?", mention_bot=True)
            assert NOASTEC_TEL in message_text(await wait_reply(double, delivery))
        double.assert_clean()


async def test_two_shards_each_serve_their_own_guild(knowledge):
    async with DiscordDouble(shard_count=2) as double:
        guilds = double.guilds
        assert [g.shard_id(2) for g in guilds] == [0, 1]
        async with kc_bot(double, knowledge, {**UNLIMITED, "SHARD_COUNT": 2}) as bot:
            assert bot.shard_count == 2
            await bot.tree.sync()  # global commands, so both guilds have them
            identified = {tuple(r.data["shard"]): r for r in double.identifies if r.accepted}
            assert set(identified) == {(0, 2), (1, 2)}
            for guild in guilds:
                assert bot.get_guild(guild.id) is not None
                assert bot.get_guild(guild.id).shard_id == guild.shard_id(2)

            for guild in guilds:
                shard = guild.shard_id(2)
                record = await double.dispatch_interaction(
                    "contact", {"region": "sapporo"}, channel=guild.text_channel
                )
                body = await record.wait_response()
                assert NOASTEC_TEL in response_text(body)
                assert int(record.payload["guild_id"]) == guild.id
                delivery = next(
                    d
                    for d in double.deliveries
                    if d.event == "INTERACTION_CREATE" and int(d.data["id"]) == record.id
                )
                # Delivered on the connection of the guild's own shard: its session is the
                # one that shard IDENTIFYed for (READY on that shard).
                assert delivery.shard_id == shard
                assert delivery.session_id == double.session_id(shard)
                ready = next(
                    d
                    for d in double.deliveries
                    if d.event == "READY" and d.session_id == delivery.session_id
                )
                assert ready.data["shard"] == [shard, 2]
                assert [int(g["id"]) for g in ready.data["guilds"]] == [guild.id]
                # Answered in that guild's channel.
                assert int(record.original["channel_id"]) == guild.text_channel.id

                message = await double.dispatch_message(
                    "sapporo phone number?", mention_bot=True, channel=guild.text_channel
                )
                assert message is not None
                assert message.shard_id == shard
                reply = await wait_reply(double, message)
                assert NOASTEC_TEL in message_text(reply)

            # One shard reconnecting does not stop the other.
            await double.close_connection(1, code=4000)
            await double.wait_for_resume(1, shard_id=1)
            for guild in guilds:
                text = await answered(double, channel=guild.text_channel)
                assert NOASTEC_TEL in text
            assert not [r for r in double.resumes if r.shard_id == 0]
        double.assert_clean()


# -------------------------------------------------------------------------- REST faults ----


async def test_rate_limited_callback_is_retried_after_the_wait(knowledge):
    retry_after = 0.5
    async with DiscordDouble() as double:
        async with kc_bot(double, knowledge, UNLIMITED):
            double.inject_429("POST /interactions/*/callback", times=1, retry_after=retry_after)
            record = await double.dispatch_interaction("contact", {"region": "sapporo"})
            body = await record.wait_response(timeout=double.ack_deadline)
            assert NOASTEC_TEL in response_text(body)
        calls = double.requests_matching("POST /interactions/*/callback")
        assert [c.status for c in calls][:1] == [429]
        assert len(calls) == 2
        assert calls[1].status in (200, 204)
        # discord.py waited as told before trying again, and still made the deadline.
        assert calls[1].at - calls[0].at >= retry_after * 0.9
        assert record.ack_latency is not None
        assert retry_after * 0.9 <= record.ack_latency < double.ack_deadline
        double.assert_clean()


async def test_server_error_on_a_reply_is_logged_and_the_bot_keeps_serving(knowledge, caplog):
    caplog.set_level(logging.WARNING, logger="bot")
    async with DiscordDouble() as double:
        async with kc_bot(double, knowledge, UNLIMITED):
            # Every try of the reply fails (discord.py tries 5 times; its sleeps are scaled).
            double.inject_500("POST /channels/*/messages", times=5)
            with fast_http_backoff():
                lost = await double.dispatch_message("sapporo phone number?", mention_bot=True)
                await double.wait_for_request("POST /channels/*/messages", 5, timeout=5)
                await eventually(
                    lambda: any(r.name == "bot.commands.free_text" for r in caplog.records),
                )
            assert lost is not None
            assert replies_to(double, lost) == []

            # A single 500 is retried by discord.py and the reply arrives.
            double.inject_500("POST /channels/*/messages", times=1)
            with fast_http_backoff():
                retried = await double.dispatch_message("sapporo phone number?", mention_bot=True)
                assert NOASTEC_TEL in message_text(await wait_reply(double, retried))

            # Later questions are answered as usual.
            later = await double.dispatch_message(
                "what fields does Hamamatsu cover", mention_bot=True
            )
            assert "Nanotech/Materials" in message_text(await wait_reply(double, later))
            assert NOASTEC_TEL in await answered(double)
        statuses = [r.status for r in double.requests_matching("POST /channels/*/messages")]
        assert statuses == [500] * 5 + [500, 200, 200]
        failures = [r for r in caplog.records if r.name == "bot.commands.free_text"]
        assert len(failures) == 1
        assert failures[0].levelno == logging.WARNING
        assert "HTTP 500" in failures[0].getMessage()
        assert "permissions" not in failures[0].getMessage()  # not a 403
        assert failures[0].exc_info is not None  # with the traceback, for the operator
        double.assert_clean()


async def test_reload_of_a_broken_knowledge_base_keeps_the_old_engine(knowledge, tmp_path):
    knowledge_dir = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge_dir)
    live = application.load(str(knowledge_dir))
    env = {**UNLIMITED, "KNOWLEDGE_DIR": knowledge_dir}
    async with DiscordDouble() as double:
        async with kc_bot(double, live, env) as bot:
            clusters = knowledge_dir / "clusters.yaml"
            good = clusters.read_text(encoding="utf-8")
            clusters.write_text(good.replace("stage: second", "stage: third", 1), encoding="utf-8")
            fields = knowledge_dir / "fields.yaml"
            fields.write_text(
                fields.read_text(encoding="utf-8") + "\n  - {broken: [\n", encoding="utf-8"
            )

            record = await double.dispatch_interaction("reload", user=double.owner)
            deferred = await record.wait_response()
            assert deferred["type"] == 5  # thinking, while the loader runs off the loop
            report = (await record.wait_followup(timeout=RELOAD_WAIT))["content"]
            assert "2 problems" in report
            assert "previous version stays live" in report
            assert "clusters.yaml" in report
            assert "unknown stage … (known: …)" in report  # no file content in Discord
            assert "third" not in report
            assert "fields.yaml" in report
            assert "invalid YAML" in report
            assert bot.app.knowledge is live

            # The old engine keeps answering, from the old knowledge.
            assert "6 clusters" in await answered(double, "stage", {"stage": "second"})
            assert NOASTEC_TEL in await answered(double)

            # Once fixed, a reload takes.
            clusters.write_text(good, encoding="utf-8")
            shutil.copy(REPO / "knowledge" / "fields.yaml", fields)
            record = await double.dispatch_interaction("reload", user=double.owner)
            reloaded = await record.wait_followup(timeout=RELOAD_WAIT)
            assert reloaded["content"].startswith("Reloaded:")
            assert bot.app.knowledge is not live
            assert "6 clusters" in await answered(double, "stage", {"stage": "second"})
        double.assert_clean()


async def test_reload_reply_shows_no_file_content_and_no_server_path(knowledge, tmp_path):
    """A file symlinked to a secret and a vanished directory: the /reload replies give file
    names and lines only, never the linked file's text or an absolute path."""
    knowledge_dir = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge_dir)
    secret = tmp_path / "secret.env"
    secret.write_text("DISCORD_TOKEN=do-not-show-this-secret\n", encoding="utf-8")
    (knowledge_dir / "faq.yaml").unlink()
    (knowledge_dir / "faq.yaml").symlink_to(secret)
    env = {**UNLIMITED, "KNOWLEDGE_DIR": knowledge_dir}
    async with DiscordDouble() as double:
        async with kc_bot(double, knowledge, env) as bot:
            record = await double.dispatch_interaction("reload", user=double.owner)
            report = (await record.wait_followup(timeout=RELOAD_WAIT))["content"]
            assert "faq.yaml:1 expected a mapping with the keys faq at the top level" in report
            assert "do-not-show-this-secret" not in report
            assert str(tmp_path) not in report

            shutil.rmtree(knowledge_dir)
            record = await double.dispatch_interaction("reload", user=double.owner)
            report = (await record.wait_followup(timeout=RELOAD_WAIT))["content"]
            assert "• knowledge directory does not exist" in report
            assert str(tmp_path) not in report
            assert bot.app.knowledge is knowledge
        double.assert_clean()
