"""End to end: conversations, clickable next steps and asking from anywhere, through the real
discord.py client against the Discord double (which enforces Discord's component limits and
only delivers clicks on components a message carries)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from bot.storage.feedback import PREFIX as FEEDBACK_PREFIX
from tests.discord_double import DiscordDouble, InteractionRecord
from tests.test_e2e_discord import (
    EPHEMERAL,
    NOASTEC_TEL,
    PROGRAMME_OFFICE_TEL,
    ask,
    kc_bot,
    message_text,
    response_text,
    wait_reply,
)

BUTTON, SELECT = 2, 3


def is_feedback(component: Mapping[str, Any]) -> bool:
    return str(component.get("custom_id", "")).startswith(FEEDBACK_PREFIX)


def components(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every button and select of a message, in order."""
    return [item for row in message.get("components") or [] for item in row["components"]]


def button(message: Mapping[str, Any], label: str) -> dict[str, Any]:
    found = [c for c in components(message) if c["type"] == BUTTON and c.get("label") == label]
    assert found, f"no button {label!r} in {[c.get('label') for c in components(message)]}"
    return found[0]


def select(message: Mapping[str, Any]) -> dict[str, Any]:
    (found,) = [c for c in components(message) if c["type"] == SELECT]
    return found


def is_ephemeral(body: Mapping[str, Any]) -> bool:
    return bool((body.get("data") or body).get("flags", 0) & EPHEMERAL)


async def click(
    double: DiscordDouble, message: Mapping[str, Any], label: str, **kwargs: Any
) -> tuple[InteractionRecord, dict[str, Any]]:
    record = await double.dispatch_component(message, button(message, label)["custom_id"], **kwargs)
    return record, await record.wait_response()


# ----------------------------------------------------------------------- follow-ups ----


async def test_a_follow_up_mention_is_read_in_context(double, knowledge):
    """ "and its phone number?" after a question about Sapporo answers for Sapporo."""
    async with kc_bot(double, knowledge):
        first = await wait_reply(
            double, await double.dispatch_message("who runs the sapporo cluster", mention_bot=True)
        )
        follow = await wait_reply(
            double, await double.dispatch_message("and its phone number?", mention_bot=True)
        )
    assert "The core organization of Sapporo is NOASTEC" in message_text(first)
    text = message_text(follow)
    assert "-# Following up on Hokkaido Area (with Sapporo as the core) and Sapporo." in text
    assert NOASTEC_TEL in text
    double.assert_clean()


async def test_conversations_are_per_user(double, knowledge):
    """Bob's follow-up in the same channel does not continue Alice's conversation."""
    bob = double.users[2]
    async with kc_bot(double, knowledge):
        await wait_reply(double, await double.dispatch_message("contact kyoto", mention_bot=True))
        reply = await wait_reply(
            double,
            await double.dispatch_message("and its phone number?", mention_bot=True, author=bob),
        )
    assert "Following up" not in message_text(reply)
    assert "KYOTO" not in message_text(reply)
    double.assert_clean()


async def test_a_slash_question_follows_a_slash_command(double, knowledge):
    async with kc_bot(double, knowledge):
        await ask(double, "contact", {"region": "kyoto"})
        _, body = await ask(double, "ask", {"question": "what page is it on?"})
        _, kobe = await ask(double, "ask", {"question": "what about Kobe?"})
    assert "-# Following up on Kyoto." in response_text(body)  # small text under the answer
    assert "Page of Kobe\n2 clusters carry the name Kobe." in response_text(kobe)
    assert "As in your previous question: page in the 2008 edition." in response_text(kobe)
    double.assert_clean()


# ------------------------------------------------------------------- clickable steps ----


async def test_did_you_mean_buttons_ask_what_was_asked(double, knowledge):
    """ "contact tokyo" → a "Kyoto" button; its click answers Kyoto's contact, publicly."""
    async with kc_bot(double, knowledge):
        question = await double.dispatch_message("tokyo contact", mention_bot=True)
        reply = await wait_reply(double, question)
        record, body = await click(double, reply, "Kyoto")
    assert body["type"] == 4
    assert not is_ephemeral(body)  # the asker clicked their own reply
    text = response_text(body)
    assert "The sources give no contact for Kyoto" in text
    assert PROGRAMME_OFFICE_TEL in text
    assert record.ack_latency is not None
    assert record.ack_latency < 1.0
    double.assert_clean()


async def test_next_step_buttons_answer_as_the_clicker(double, knowledge):
    """/region ube offers its contact; Alice's click is public, Bob's only for Bob."""
    bob = double.users[2]
    async with kc_bot(double, knowledge):
        record, _ = await ask(double, "region", {"name": "ube"})
        message = record.original
        assert message is not None
        labels = [c.get("label") for c in components(message) if not is_feedback(c)]
        # An overview shows fields and page already; Sources shares the 👍/👎 row (issue 11),
        # which comes after the steps: what is about the answer, apart from what to ask.
        assert labels == ["Contact details", "Show on a map", "Sources"]
        rows = [[c.get("label") for c in row["components"]] for row in message["components"]]
        assert rows[-1] == ["Sources", "Helpful", "Not helpful"]
        _, mine = await click(double, message, "Contact details")
        _, bobs = await click(double, message, "Contact details", user=bob)
    assert "The sources give no contact for Ube" in response_text(mine)
    assert not is_ephemeral(mine)
    assert "The sources give no contact for Ube" in response_text(bobs)
    assert is_ephemeral(bobs)
    double.assert_clean()


async def test_replies_with_buttons_leave_nothing_in_discord_py(double, knowledge):
    """Every component is found again by its custom_id, so the layouts sent under public
    and private replies and clicks' answers are kept nowhere: no view in discord.py's
    store, none waiting out the 15 minutes it gives a private reply's view."""
    bob = double.users[2]
    async with kc_bot(double, knowledge) as bot:
        record, _ = await ask(double, "region", {"name": "ube"})
        await ask(double, "ask", {"question": "contact hamamatsu", "private": True})
        await click(double, record.original, "Contact details")
        await click(double, record.original, "Contact details", user=bob)  # a private answer
        store = bot._connection._view_store  # discord.py's own (private) bookkeeping
        assert store._views == {}
        assert store._synced_message_views == {}
        waiting = [
            task
            for task in asyncio.all_tasks()
            if "timeout" in getattr(task.get_coro(), "__qualname__", "")
        ]
        assert waiting == []
        assert len(bot.cached_messages) == 0  # nor in its message cache
    double.assert_clean()


async def test_buttons_work_after_a_restart(double, knowledge):
    """A button of a message sent by an earlier bot process works in a new one."""
    async with kc_bot(double, knowledge):
        record, _ = await ask(double, "contact", {"region": "hamamatsu"})
        old = record.original
    assert old is not None
    async with kc_bot(double, knowledge):  # a new process: nothing remembered
        _, body = await click(double, old, "Key fields")
    text = response_text(body)
    assert "Key fields of Hamamatsu" in text
    assert "Nanotech/Materials" in text
    double.assert_clean()


async def test_a_place_with_several_clusters_offers_a_menu(double, knowledge):
    async with kc_bot(double, knowledge):
        record, _ = await ask(double, "contact", {"region": "hamamatsu"})
        message = record.original
        menu = select(message)
        assert [o["value"] for o in menu["options"]] == ["hamamatsu-second", "hamamatsu-first"]
        assert menu["options"][1]["label"] == "Hamamatsu · First Stage, ended"
        picked = await double.dispatch_component(
            message, menu["custom_id"], component_type=SELECT, values=["hamamatsu-first"]
        )
        body = await picked.wait_response()
    text = response_text(body, footer=False)  # a source's title names the Second Stage
    # One of two clusters of the same name: the title tells which.
    assert "Contact for Hamamatsu (First Stage)" in text
    assert "Second Stage" not in text
    double.assert_clean()


async def test_a_click_answers_in_the_language_of_its_message(double, knowledge):
    """A Japanese reply's button answers in Japanese, whatever the clicker's client."""
    async with kc_bot(double, knowledge):
        reply = await wait_reply(
            double, await double.dispatch_message("宇部の概要", mention_bot=True)
        )
        _, body = await click(double, reply, "連絡先", locale="en-US")
    assert "宇部の連絡先" in response_text(body)
    double.assert_clean()


async def test_the_second_one_after_a_menu(double, knowledge):
    """A typed "the second one" picks the second cluster the menu offered."""
    async with kc_bot(double, knowledge):
        await ask(double, "region", {"name": "sendai"})
        _, body = await ask(double, "ask", {"question": "the second one"})
    text = response_text(body)
    assert "-# Option 2 of my previous reply: Sendai." in text
    assert "Sendai\n" in text
    assert "First Stage (from 2002), ended" in text
    double.assert_clean()


@pytest.mark.parametrize(
    "custom_id",
    [
        "kc:s:en:o:contact:cluster:atlantis-first",  # a cluster no longer in the base
        "kc:s:xx:o:contact:cluster:kyoto-first",  # no such language
        "kc:s:en:o:launch:cluster:kyoto-first",  # no such action
        "kc:s:garbage",
        "kc:zz:whatever",
    ],
)
async def test_a_forged_or_stale_button_gets_a_polite_private_notice(double, knowledge, custom_id):
    old = double.add_bot_message(
        None,
        {
            "content": "an old answer",
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "style": 2, "label": "Contact", "custom_id": custom_id}
                    ],
                }
            ],
        },
    )
    async with kc_bot(double, knowledge):
        _, body = await click(double, old, "Contact")
    assert is_ephemeral(body)
    assert "this button no longer works" in response_text(body)
    double.assert_clean()


# ------------------------------------------------------------------ asking from anywhere ----


async def test_the_message_menu_answers_the_target_message(double, knowledge):
    """ "Ask kcbot" on a message the bot cannot read (no Message Content intent, no
    mention) answers that message's text."""
    async with kc_bot(double, knowledge):
        sync = double.command_syncs[0]
        (menu,) = [c for c in sync.payload if c.get("type") == 3]
        assert menu["name"] == "Ask kcbot"
        question = await double.dispatch_message("what fields does Kyoto cover?")
        assert question is not None
        assert question.data["content"] == ""
        record = await double.dispatch_message_command("Ask kcbot", int(question.data["id"]))
        body = await record.wait_response()
    text = response_text(body)
    assert "what fields does Kyoto cover?" in text  # quoted
    assert "Key fields of Kyoto\n🔬 Nanotech/Materials" in text
    assert not is_ephemeral(body)
    double.assert_clean()


async def test_a_user_installed_command_answers_privately(double, knowledge):
    """/ask in a server without the bot (the user's own install) is seen by the asker only."""
    elsewhere = double.add_guild("Elsewhere", bot_member=False)
    async with kc_bot(double, knowledge, env={"DEV_GUILD_ID": ""}) as bot:
        await bot.sync_commands()  # global: the user's install brings them everywhere
        record = await double.dispatch_interaction(
            "ask",
            {"question": "who runs the sapporo cluster"},
            channel=elsewhere.text_channel,
            installed_by="user",
        )
        body = await record.wait_response()
        group = double.group_dm(double.user, double.users[2])
        in_group = await double.dispatch_interaction(
            "contact", {"region": "kyoto"}, channel=group, installed_by="user"
        )
        group_body = await in_group.wait_response()
    assert record.payload["authorizing_integration_owners"] == {"1": str(double.user.id)}
    assert is_ephemeral(body)
    assert "The core organization of Sapporo is NOASTEC" in response_text(body)
    assert in_group.payload["context"] == 2
    assert is_ephemeral(group_body)
    double.assert_clean()


async def test_sync_payload_offers_user_installs_and_private_contexts(double, knowledge):
    async with kc_bot(double, knowledge):
        payload = {c["name"]: c for c in double.command_syncs[0].payload}
    for name in ("ask", "contact", "region", "stage", "field", "about", "help", "Ask kcbot"):
        assert payload[name]["integration_types"] == [0, 1], name
        assert payload[name]["contexts"] == [0, 1, 2], name
    assert payload["reload"]["integration_types"] == [0]
    assert payload["reload"]["contexts"] == [0]
    double.assert_clean()


async def test_private_answers_and_i_dont_know(double, knowledge):
    """/ask private:true is ephemeral and so are its clicks; a public /ask that is not
    answered ("did you mean") is shown to the asker only, and its buttons answer publicly."""
    async with kc_bot(double, knowledge):
        record, private = await ask(double, "ask", {"question": "ube overview", "private": True})
        _, private_click = await click(double, record.original, "Contact details")
        record, unsure = await ask(double, "ask", {"question": "tokyo contact"})
        _, public_click = await click(double, record.original, "Kyoto")
        _, nothing = await ask(double, "ask", {"question": "what is the weather in Paris"})
    assert is_ephemeral(private)
    assert is_ephemeral(private_click)
    assert is_ephemeral(unsure)
    assert not is_ephemeral(public_click)
    assert is_ephemeral(nothing)
    double.assert_clean()


async def test_a_private_reply_leaves_no_view_behind_and_its_buttons_still_work(double, knowledge):
    """discord.py keeps an ephemeral reply's View (and a 15-minute timer task) unless it is
    stopped; the bot's buttons are found by custom id, so it stops them at once."""

    def view_timers() -> list[asyncio.Task]:
        return [
            task for task in asyncio.all_tasks() if "timeout_task" in task.get_coro().__qualname__
        ]

    async with kc_bot(double, knowledge):
        record, private = await ask(double, "ask", {"question": "ube overview", "private": True})
        await asyncio.sleep(0)  # a timer would have been started by now
        left_behind = view_timers()
        _, clicked = await click(double, record.original, "Contact details")
        _, clicked_again = await click(double, record.original, "Contact details")
    assert is_ephemeral(private)
    assert is_ephemeral(clicked)
    assert left_behind == []
    assert response_text(clicked) == response_text(clicked_again)
    assert "Programme office" in response_text(clicked)
    double.assert_clean()


async def test_ask_autocompletes_questions_and_clusters(double, knowledge):
    async with kc_bot(double, knowledge):
        english = await double.dispatch_autocomplete(
            "ask", {"question": "budg"}, focused="question"
        )
        await english.wait_response()
        japanese = await double.dispatch_autocomplete(
            "ask", {"question": "浜松"}, focused="question", locale="en-US"
        )
        await japanese.wait_response()
        value = english.choices[0]["value"]
        _, body = await ask(double, "ask", {"question": value})
    assert english.choices[0]["name"].startswith("What is the budget")
    assert [c["name"] for c in japanese.choices] == [
        "浜松 — 第Ⅱ期（実施中）",
        "浜松 — 第Ⅰ期（終了）",
    ]
    assert "9 billion yen" in response_text(body)
    double.assert_clean()


# ------------------------------------------------------------------ the map, as a step ----


async def test_show_on_a_map_draws_the_listing_it_belongs_to(double, knowledge):
    """A listing's "Show on a map" is answered with the map of the same clusters, as a PNG
    the embed shows (deferred while it is drawn), also from a restarted bot; Bob's click on
    Alice's listing is answered to Bob only."""
    bob = double.users[2]
    async with kc_bot(double, knowledge):
        record, _ = await ask(double, "field", {"field": "environment"})
        listing = record.original
    async with kc_bot(double, knowledge):  # a new process, nothing cached
        click = await double.dispatch_component(
            listing, button(listing, "Show on a map")["custom_id"], user=bob
        )
        first = await click.wait_response()
        followup = await click.wait_followup()
    assert first["type"] == 5
    assert is_ephemeral(first)
    assert "3 clusters working in Environment" in message_text(followup)
    assert followup["embeds"][0]["image"]["url"] == "attachment://map.png"
    (upload,) = click.uploads
    assert upload["data"].startswith(b"\x89PNG")
    double.assert_clean()


async def test_show_on_a_map_for_one_cluster(double, knowledge):
    async with kc_bot(double, knowledge):
        reply = await wait_reply(
            double, await double.dispatch_message("ube の分野", mention_bot=True)
        )
        record = await double.dispatch_component(reply, button(reply, "地図で見る")["custom_id"])
        await record.wait_response()
        followup = await record.wait_followup()
    text = message_text(followup)
    assert "宇部" in text
    assert "山口" in text  # where it is: its prefecture, from the geography data
    assert followup["attachments"][0]["filename"] == "map.png"
    double.assert_clean()


async def test_a_reply_with_its_map_offers_no_second_map(double, knowledge):
    async with kc_bot(double, knowledge):
        reply = await wait_reply(
            double, await double.dispatch_message("where is the ube cluster?", mention_bot=True)
        )
        assert "Show on a map" in [c.get("label") for c in components(reply)]
        record = await double.dispatch_component(reply, button(reply, "Show on a map")["custom_id"])
        await record.wait_response()
        followup = await record.wait_followup()
    labels = [c.get("label") for c in components(followup)]
    assert "Show on a map" not in labels
    assert "Contact details" in labels
    double.assert_clean()


async def test_a_button_works_in_another_process_serving_only_its_shard(knowledge):
    """Sharded: a message sent by a process running both shards is clicked while another
    process runs shard 1 alone; that process answers it from the custom_id alone."""
    async with DiscordDouble(shard_count=2) as double:
        guild = double.guilds[1]
        async with kc_bot(double, knowledge, {"SHARD_COUNT": 2}) as bot:
            await bot.tree.sync()
            record = await double.dispatch_interaction(
                "region", {"name": "ube"}, channel=guild.text_channel
            )
            await record.wait_response()
            message = record.original
        async with kc_bot(double, knowledge, {"SHARD_COUNT": 2, "SHARD_IDS": "1"}) as only:
            assert only.shard_ids == [1]
            click = await double.dispatch_component(
                message, button(message, "Contact details")["custom_id"]
            )
            body = await click.wait_response()
        delivery = next(
            d
            for d in double.deliveries
            if d.event == "INTERACTION_CREATE" and int(d.data["id"]) == click.id
        )
        assert delivery.shard_id == 1
        assert "The sources give no contact for Ube" in response_text(body)
        double.assert_clean()
