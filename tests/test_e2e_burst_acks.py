"""A burst of interactions is acknowledged before its answers are worked out.

The mechanism (bot.discord_app.backlog), asserted by the order of events, not by their
speed: the bot's answers are made slow on purpose (a pause in the pipeline), so without the
mechanism each acknowledgement would wait for the answers before it. How fast a real burst
is acknowledged is measured by `benchmarks/bench_discord.py --at-once 1000`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from bot.discord_app.backlog import InteractionBacklog
from tests.discord_double import DiscordDouble
from tests.test_e2e_discord import (
    CALLBACK_DEFERRED,
    CALLBACK_MESSAGE,
    EPHEMERAL,
    kc_bot,
    message_text,
)

UNLIMITED = {"COMMAND_COOLDOWN_RATE": 1_000_000}
SLOW_ANSWER_SECONDS = 0.2


def slow_answers(bot: Any) -> dict[str, list[float]]:
    """Make every answer take SLOW_ANSWER_SECONDS of the event loop's time (as a very busy
    machine would), and record when the work on each question began and ended."""
    handle = bot.app.handle
    times: dict[str, list[float]] = {}
    loop = asyncio.get_running_loop()

    def slow(request: Any) -> Any:
        began = loop.time()
        time.sleep(SLOW_ANSWER_SECONDS)  # blocks the loop, as heavy work does
        response = handle(request)
        times[request.text] = [began, loop.time()]
        return response

    bot.app.handle = slow
    return times


async def test_a_burst_is_acknowledged_before_the_answers_are_worked_out(knowledge):
    questions = [f"What fields does Kyoto cover? ({n})" for n in range(6)]
    async with DiscordDouble(ack_deadline=60.0) as double:
        async with kc_bot(double, knowledge, UNLIMITED) as bot:
            bot.backlog.budget = 0.1  # below one slow answer: the burst is a backlog
            work = slow_answers(bot)
            records = await asyncio.gather(
                *(double.dispatch_interaction("ask", {"question": q}) for q in questions)
            )
            for record in records:
                await record.wait_response(timeout=30)
            await double.wait_for(
                lambda: all(r.original and r.original.get("embeds") for r in records),
                timeout=30,
                what="every answer in its message",
            )
        double.assert_clean()
    deferred = [r for r in records if r.response["type"] == CALLBACK_DEFERRED]
    assert deferred, "nothing was deferred in a burst"
    for record in deferred:
        question = record.payload["data"]["options"][0]["value"]
        # Acknowledged before its work began; its answer then filled the deferred message.
        assert record.acked_at < work[question][0]
        assert question in message_text(record.original)
    # Every acknowledgement came before the second answer was done: none waited for the
    # answers queued before it (without deferral the last would wait for all six).
    second_done = sorted(end for _, end in work.values())[1]
    assert max(r.acked_at for r in records) < second_done


async def test_an_interaction_alone_is_answered_in_one_callback(double, knowledge):
    async with kc_bot(double, knowledge, UNLIMITED) as bot:
        record = await double.dispatch_interaction("ask", {"question": "Who runs Sapporo?"})
        body = await record.wait_response()
        assert bot.backlog.deferred == 0
    assert body["type"] == CALLBACK_MESSAGE
    assert not record.followups
    double.assert_clean()


async def test_a_decline_after_a_public_deferral_is_shown_to_the_asker_only(double, knowledge):
    """Deferred publicly ("thinking…" for everyone), a decline must still be private: the
    public placeholder is removed and the decline sent to the asker alone."""
    async with kc_bot(double, knowledge, UNLIMITED) as bot:
        bot.backlog.budget = 0.0  # every interaction counts as behind
        record = await double.dispatch_interaction(
            "ask", {"question": "What will the weather be in Paris tomorrow?"}
        )
        body = await record.wait_response()
        followup = await record.wait_followup()
    assert body["type"] == CALLBACK_DEFERRED
    assert not ((body.get("data") or {}).get("flags") or 0) & EPHEMERAL
    assert record.original_deleted
    assert followup["flags"] & EPHEMERAL
    double.assert_clean()


async def test_a_deferred_click_answers_in_the_deferred_message(double, knowledge):
    async with kc_bot(double, knowledge, UNLIMITED) as bot:
        first = await double.dispatch_interaction("contact", {"region": "hamamatsu"})
        await first.wait_response()
        message = first.original
        buttons = [
            c["custom_id"]
            for row in message["components"]
            for c in row["components"]
            if c["type"] == 2 and c["custom_id"].startswith("kc:s:")
        ]
        bot.backlog.budget = 0.0
        click = await double.dispatch_component(message, buttons[0])
        body = await click.wait_response()
        followup = await click.wait_followup()
    assert body["type"] == CALLBACK_DEFERRED
    assert followup.get("embeds")
    double.assert_clean()


# --------------------------------------------------------------- the projection itself ----


class Response:
    def __init__(self) -> None:
        self.done = False

    def is_done(self) -> bool:
        return self.done


class Arrival:
    """What the backlog reads of an interaction: an id, its extras, its response's state
    (and no creation time)."""

    count = 0

    def __init__(self) -> None:
        Arrival.count += 1
        self.id = Arrival.count
        self.extras: dict[str, Any] = {}
        self.created_at = None
        self.response = Response()


def test_an_interaction_with_nothing_behind_it_is_answered_at_once():
    clock = [0.0]
    backlog = InteractionBacklog(0.5, first_estimate=0.01, clock=lambda: clock[0])
    alone = Arrival()
    backlog.arrived(alone)
    assert not backlog.should_defer(alone)


def test_an_interaction_is_deferred_when_those_behind_it_would_be_late():
    clock = [0.0]
    backlog = InteractionBacklog(0.5, first_estimate=0.01, clock=lambda: clock[0])
    burst = [Arrival() for _ in range(100)]
    for interaction in burst:
        backlog.arrived(interaction)
    # 100 answers of 10 ms each: the last would be acknowledged after 1 s.
    assert backlog.should_defer(burst[0])
    # The last ten: 100 ms of work left, but they have already waited 0.45 s.
    assert not backlog.should_defer(burst[90])
    clock[0] = 0.45
    assert backlog.should_defer(burst[90])


def test_the_cost_of_an_answer_is_learnt():
    backlog = InteractionBacklog(0.5, first_estimate=0.002)
    for _ in range(50):
        backlog.answered(0.02)
    assert backlog.answer_seconds == pytest.approx(0.02, rel=0.01)


async def test_deferred_answers_wait_for_the_acknowledgements_due():
    """A deferred answer waits while interactions that arrived are not yet acknowledged;
    it goes once they are, or once answers have been held for the hold limit."""
    backlog = InteractionBacklog(0.5)
    order: list[str] = []
    burst = [Arrival() for _ in range(20)]
    for interaction in burst:
        backlog.arrived(interaction)

    async def acknowledge() -> None:
        for interaction in burst:
            await asyncio.sleep(0.001)
            interaction.response.done = True
            order.append("ack")

    async def answer() -> None:
        async with backlog.turn(deferred=True):
            order.append("answer")

    await asyncio.gather(answer(), acknowledge())
    assert order == ["ack"] * 20 + ["answer"]
    assert backlog.acknowledgements_due() == 0

    order.clear()
    late = [Arrival() for _ in range(3)]
    for interaction in late:
        backlog.arrived(interaction)
    backlog.hold_limit = 0.0  # held long enough already: answers take turns
    await answer()
    assert order == ["answer"]
    assert backlog.acknowledgements_due() == 3
