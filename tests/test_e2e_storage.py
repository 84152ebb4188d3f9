"""End to end: the question log, feedback buttons and /report through the Discord double,
with the real discord.py client and a real database.

Each bot keeps its data in the test's own directory (DATA_DIR); leaving `kc_bot` closes
the bot, which writes the queued records out, so the database is read afterwards.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest
from discord.utils import escape_markdown

from bot import cli
from bot.i18n import words as W
from bot.storage.feedback import PREFIX
from bot.storage.records import DOWN, UP
from bot.storage.urls import sqlite_target
from tests.discord_double import DiscordDouble
from tests.storage_support import opened
from tests.support import shipped_knowledge
from tests.test_e2e_discord import EPHEMERAL, ask, kc_bot, wait_reply

MANAGE_GUILD = 1 << 5


@pytest.fixture(scope="module")
def knowledge():
    return shipped_knowledge()


@pytest.fixture
async def double():
    async with DiscordDouble() as started:
        yield started


def english(message) -> str:
    return shipped_knowledge().localizer.text(message, "en")


def buttons(message) -> dict[str, str]:
    """The message's feedback buttons (👍/👎, beside the steps' buttons): label →
    custom_id."""
    return {
        c["label"]: c["custom_id"]
        for row in message.get("components") or []
        for c in row["components"]
        if str(c.get("custom_id", "")).startswith(PREFIX)
    }


def replace_custom_id(message, old: str, new: str) -> None:
    """Alter a button of a message as a tampering client would."""
    for row in message.get("components") or []:
        for component in row["components"]:
            if component.get("custom_id") == old:
                component["custom_id"] = new


def log_env(tmp_path, **extra: object) -> dict[str, object]:
    # Generous cooldowns: these tests ask more than three questions in a row.
    return {
        "DATA_DIR": tmp_path,
        "FREE_TEXT_COOLDOWN_RATE": 100,
        "COMMAND_COOLDOWN_RATE": 100,
        **extra,
    }


async def read_log(tmp_path):
    async with opened(sqlite_target(tmp_path / "kcbot.sqlite3")) as store:
        return await store.answers_since(0), await store.votes_since(0)


async def test_declined_mentions_appear_in_the_report(
    double, knowledge, tmp_path, monkeypatch, capsys
):
    """Questions the bot could not answer, asked by mention in a channel and in a DM, are in
    `python -m bot report`, grouped, with the route they came by; no one's id is kept."""
    async with kc_bot(double, knowledge, log_env(tmp_path)):
        for text, dm in [
            ("where is the tokyo cluster", False),
            ("wher is the tokyo cluster?", False),
            ("Where is the Tokyo cluster", True),
            ("what fields does kyoto cover", False),
        ]:
            delivery = await double.dispatch_message(text, mention_bot=not dm, dm=dm)
            await wait_reply(double, delivery)
    answers, _ = await read_log(tmp_path)
    assert sorted(a.route for a in answers) == ["text:dm", *["text:mention"] * 3]
    everyone = {str(u.id) for u in double.users} | {str(double.channel.id)}
    assert not any(part in repr(a.row()) for a in answers for part in everyone)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert await asyncio.to_thread(cli.main, ["report", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    [tokyo] = report["unanswered"]
    assert tokyo["count"] == 3
    assert tokyo["text"].casefold() == "where is the tokyo cluster"
    assert report["answered"] == 1
    routes = {row["key"]: row["answers"] for row in report["by_route"]}
    assert routes == {"text:mention": 3, "text:dm": 1}


async def test_a_question_asked_again_and_a_thumbs_down_reach_the_report(
    double, knowledge, tmp_path, monkeypatch, capsys
):
    """Alice asks by mention, is not satisfied, and asks again at once; Bob asks the same
    first question a moment later (another person: no pair) and clicks 👎. The report
    shows Alice's two questions as one asked again, and how the disliked answer's question
    was read; the log holds no one's id."""
    alice, bob = double.user, double.users[2]
    async with kc_bot(double, knowledge, log_env(tmp_path)):
        for text, author in [
            ("what fields does kyoto cover", alice),
            ("what fields does the kyoto cluster cover?", alice),
            ("what fields does kyoto cover", bob),
        ]:
            delivery = await double.dispatch_message(text, mention_bot=True, author=author)
            reply = await wait_reply(double, delivery)
        click = await double.dispatch_component(reply, buttons(reply)["Not helpful"], user=bob)
        await click.wait_response()
    answers, _ = await read_log(tmp_path)
    everyone = {str(u.id) for u in double.users} | {str(double.channel.id)}
    assert not any(part in repr(a.row()) for a in answers for part in everyone)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert await asyncio.to_thread(cli.main, ["report", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    [group] = report["rephrasings"]
    [pair] = group["pairs"]
    assert (pair["first"], pair["second"]) == (
        "what fields does kyoto cover",
        "what fields does the kyoto cluster cover?",
    )
    assert group["queries"][0]["clusters"]["named"] == ["kyoto-first"]
    [disliked] = report["disputed"]
    assert disliked["down"] == 1
    assert disliked["queries"][0]["clusters"]["named"] == ["kyoto-first"]
    double.assert_clean()


async def test_a_thumbs_down_is_stored_once_per_person_and_can_be_changed(
    double, knowledge, tmp_path
):
    """Alice clicks 👎 twice, Bob once, then Alice changes to 👍: two votes are stored, and
    each click is answered only to the person who clicked, in the catalogue's words."""
    alice, bob = double.user, double.users[2]
    async with kc_bot(double, knowledge, log_env(tmp_path)):
        record, _ = await ask(double, "ask", {"question": "what fields does kyoto cover"})
        shown = buttons(record.original)
        assert set(shown) == {english(W.FEEDBACK_UP()), english(W.FEEDBACK_DOWN())}
        down, up = shown[english(W.FEEDBACK_DOWN())], shown[english(W.FEEDBACK_UP())]
        replies = []
        for user, custom_id in [(alice, down), (alice, down), (bob, down), (alice, up)]:
            click = await double.dispatch_component(record.original, custom_id, user=user)
            replies.append(await click.wait_response())
    assert all(r["data"]["flags"] & EPHEMERAL for r in replies)
    assert replies[0]["data"]["content"] == english(W.FEEDBACK_THANKS_DOWN())
    assert replies[3]["data"]["content"] == english(W.FEEDBACK_THANKS_UP())
    answers, votes = await read_log(tmp_path)
    [kyoto] = [a for a in answers if a.matches == "kyoto-first"]
    assert {v.answer_id for v in votes} == {kyoto.answer_id}
    assert sorted(v.vote for v in votes) == [DOWN, UP]
    assert not any(str(u.id) in v.voter for v in votes for u in (alice, bob))
    double.assert_clean()


async def test_feedback_buttons_work_after_a_restart(double, knowledge, tmp_path):
    """The buttons carry everything a click needs: a new bot process takes the click on a
    message the old one sent."""
    async with kc_bot(double, knowledge, log_env(tmp_path)):
        record, _ = await ask(double, "contact", {"region": "sapporo"})
    message = record.original
    async with kc_bot(double, knowledge, log_env(tmp_path)):
        click = await double.dispatch_component(message, buttons(message)["Not helpful"])
        reply = await click.wait_response()
    assert reply["data"]["content"] == english(W.FEEDBACK_THANKS_DOWN())
    _, votes = await read_log(tmp_path)
    assert [v.vote for v in votes] == [DOWN]
    double.assert_clean()


async def test_a_forged_button_gets_a_polite_refusal(double, knowledge, tmp_path):
    """A button whose id this deployment did not sign (altered, or made under another
    secret) is answered with an apology, seen only by the clicker; nothing is stored."""
    async with kc_bot(double, knowledge, log_env(tmp_path)):
        record, _ = await ask(double, "ask", {"question": "what fields does kyoto cover"})
        message = record.original
        genuine = buttons(message)["Not helpful"]
        forged = genuine.replace(":down:", ":up:")
        assert forged.startswith(PREFIX)
        assert forged != genuine
        replace_custom_id(message, genuine, forged)  # as if tampered
        click = await double.dispatch_component(message, forged)
        reply = await click.wait_response()
    assert reply["data"]["flags"] & EPHEMERAL
    assert reply["data"]["content"] == english(W.FEEDBACK_INVALID())
    _, votes = await read_log(tmp_path)
    assert votes == []
    double.assert_clean()


async def test_no_buttons_when_the_log_is_off(double, knowledge, tmp_path):
    async with kc_bot(double, knowledge, log_env(tmp_path, QUESTION_LOG="false")):
        record, _ = await ask(double, "ask", {"question": "what fields does kyoto cover"})
        assert buttons(record.original) == {}
        _, body = await ask(double, "report", user=double.owner)
    assert body["data"]["content"] == escape_markdown(english(W.REPORT_OFF()))
    assert not (tmp_path / "kcbot.sqlite3").exists()
    double.assert_clean()


async def test_report_for_owners_managers_and_others(double, knowledge, tmp_path):
    """/report: the owner reads everything; a server manager reads the counts only (the log
    spans every server); anyone else is refused. Always ephemeral."""
    double.member_permissions[double.users[2].id] = MANAGE_GUILD
    async with kc_bot(double, knowledge, log_env(tmp_path)):
        delivery = await double.dispatch_message("how is the weather", mention_bot=True)
        await wait_reply(double, delivery)
        _, refused = await ask(double, "report", user=double.user)
        owner = await double.dispatch_interaction("report", {"since": "2d"}, user=double.owner)
        owner_text = await owner.wait_followup()
        manager = await double.dispatch_interaction("report", user=double.users[2])
        manager_text = await manager.wait_followup()
        _, bad = await ask(double, "report", {"since": "soon"}, user=double.owner)
    assert refused["data"]["content"] == english(W.DISCORD_NOT_ADMIN())
    assert refused["data"]["flags"] & EPHEMERAL
    assert owner_text["flags"] & EPHEMERAL
    assert owner_text["content"].startswith("```\nkcbot report:")
    assert "how is the weather" in owner_text["content"]
    assert manager_text["flags"] & EPHEMERAL
    assert "how is the weather" not in manager_text["content"]
    assert "Question texts are left out" in manager_text["content"]
    assert bad["data"]["content"] == english(W.REPORT_BAD_PERIOD(value="soon"))
    double.assert_clean()


async def test_a_long_report_comes_as_a_file(double, knowledge, tmp_path):
    async with kc_bot(double, knowledge, log_env(tmp_path)):
        for first in ("zebras", "volcanoes", "pianos", "glaciers", "comets"):
            for second in (
                "tariffs",
                "weather",
                "football",
                "recipes",
                "lotteries",
                "poetry",
                "elections",
                "dinosaurs",
            ):
                delivery = await double.dispatch_message(
                    f"what do {first} think of {second}", mention_bot=True, author=double.owner
                )
                await wait_reply(double, delivery)
        record = await double.dispatch_interaction("report", user=double.owner)
        followup = await record.wait_followup()
    assert followup["flags"] & EPHEMERAL
    assert followup["content"].startswith("kcbot report:")
    [upload] = followup["attachments"]
    assert upload["filename"].endswith(".md")
    double.assert_clean()


# ------------------------------------------------------------------ /healthz and /metrics


async def get(port: int, path: str) -> tuple[int, str]:
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"http://127.0.0.1:{port}{path}", timeout=aiohttp.ClientTimeout(total=10)
        ) as reply,
    ):
        return reply.status, await reply.text()


async def test_healthz_and_metrics_follow_the_bot_and_its_database(
    double, knowledge, tmp_path, monkeypatch
):
    """/healthz is 200 while ready, connected and the database answers, 503 with the reason
    once PostgreSQL is gone; /metrics counts answers, acks and the log's queue."""
    from tests.postgres_server import PostgresUnavailable, ThrowawayPostgres, free_port

    try:
        server = ThrowawayPostgres()
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    await asyncio.to_thread(server.start)
    port = free_port()
    env = log_env(tmp_path, DATABASE_URL=server.url(), METRICS_PORT=port)
    try:
        async with kc_bot(double, knowledge, env) as bot:
            writer = bot.services.writer
            writer.limits = replace(writer.limits, check_every=0)  # a query every /healthz
            await ask(double, "ask", {"question": "what fields does kyoto cover"})
            status, body = await get(port, "/healthz")
            assert status == 200
            health = json.loads(body)
            assert health["healthy"] is True
            assert (health["ready"], health["gateway"], health["database"]) == (True, True, True)
            # `kcbot health` (the Docker HEALTHCHECK) asks the same endpoint.
            monkeypatch.setenv("METRICS_PORT", str(port))
            assert await asyncio.to_thread(cli.main, ["health"]) == 0
            status, metrics = await get(port, "/metrics")
            assert status == 200
            assert 'kcbot_answers_total{answered="true",route="/ask",rule="region"} 1.0' in metrics
            assert 'kcbot_interaction_acks_total{kind="command"} 1.0' in metrics
            assert "kcbot_log_queue_depth" in metrics
            assert "kcbot_answer_latency_seconds_bucket" in metrics

            await asyncio.to_thread(server.stop, keep=True)
            status, body = await get(port, "/healthz")
            assert status == 503
            assert json.loads(body)["database"] is False
            assert await asyncio.to_thread(cli.main, ["health"]) == 1
            # The bot still answers.
            _, reply = await ask(double, "contact", {"region": "sapporo"})
            assert reply["type"] == 4
    finally:
        await asyncio.to_thread(server.stop)
    double.assert_clean()


async def test_monitoring_is_off_without_a_port(double, knowledge, tmp_path):
    async with kc_bot(double, knowledge, log_env(tmp_path)) as bot:
        assert bot.services.monitor is None


async def test_buttons_and_thanks_speak_the_askers_language(double, knowledge, tmp_path):
    """A Japanese answer gets Japanese buttons; a click from a Japanese client is thanked
    in Japanese."""
    localizer = shipped_knowledge().localizer
    async with kc_bot(double, knowledge, log_env(tmp_path)):
        record = await double.dispatch_interaction(
            "ask", {"question": "京都の分野は？"}, locale="ja"
        )
        await record.wait_response()
        shown = buttons(record.original)
        assert set(shown) == {
            localizer.text(W.FEEDBACK_UP(), "ja"),
            localizer.text(W.FEEDBACK_DOWN(), "ja"),
        }
        click = await double.dispatch_component(
            record.original, shown[localizer.text(W.FEEDBACK_UP(), "ja")], locale="ja"
        )
        reply = await click.wait_response()
    assert reply["data"]["content"] == localizer.text(W.FEEDBACK_THANKS_UP(), "ja")
    double.assert_clean()
