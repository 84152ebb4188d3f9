"""End to end: /map through the real discord.py client and the Discord double.

The reply must be a multipart interaction response (or a follow-up after a deferral) whose
file is a real PNG and whose embed shows it through `attachment://map.png`; the double
enforces Discord's upload limits and that the embed names an uploaded file.
"""

from __future__ import annotations

import io

from PIL import Image

from bot.maps import style
from tests.test_e2e_discord import (
    CALLBACK_DEFERRED,
    CALLBACK_MESSAGE,
    assert_no_pings,
    kc_bot,
    message_text,
)

ATTACHMENT = "attachment://map.png"


def the_png(upload: dict) -> Image.Image:
    assert upload["filename"] == "map.png"
    image = Image.open(io.BytesIO(upload["data"]))
    image.load()
    return image


async def test_map_is_deferred_then_sent_as_a_file_shown_in_the_embed(double, knowledge):
    """/map stage:second: a first render is deferred, then the follow-up carries the PNG and
    an embed whose image is attachment://map.png; the stored message points at the file."""
    async with kc_bot(double, knowledge):
        record = await double.dispatch_interaction("map", {"stage": "second"})
        body = await record.wait_response()
        followup = await record.wait_followup()
    assert body["type"] == CALLBACK_DEFERRED
    assert record.ack_latency is not None
    assert record.ack_latency < 1.0
    [embed] = followup["embeds"]
    assert embed["image"]["url"] == ATTACHMENT
    assert "6 clusters in the Second Stage" in message_text(followup)
    # The count and the picture: the six clusters are in the picture, not listed above it.
    assert "Greater SENDAI" not in message_text(followup)
    assert "Greater Sendai" not in message_text(followup)
    assert "japanmap 0.6.0" not in message_text(followup)  # no package version as a date
    assert [a["filename"] for a in followup["attachments"]] == ["map.png"]
    assert_no_pings(followup)
    [request] = double.requests_matching("POST /webhooks/*/*")
    assert request.files, "the follow-up was not multipart"
    [upload] = record.uploads
    image = the_png(upload)
    assert (image.format, image.size) == ("PNG", (style.WIDTH, style.HEIGHT))
    assert upload["size"] <= 10 * 1024 * 1024
    message = record.original
    assert message is not None
    [attachment] = message["attachments"]
    assert message["embeds"][0]["image"]["url"] == attachment["url"]
    double.assert_clean()


async def test_a_cached_map_is_the_interaction_response_itself(double, knowledge):
    """The same /map again comes from the cache: no deferral, the callback is multipart."""
    async with kc_bot(double, knowledge):
        first = await double.dispatch_interaction("map", {"field": "environment"})
        await first.wait_followup()
        again = await double.dispatch_interaction("map", {"field": "environment"})
        body = await again.wait_response()
    assert body["type"] == CALLBACK_MESSAGE
    assert body["data"]["embeds"][0]["image"]["url"] == ATTACHMENT
    callbacks = double.requests_matching("POST /interactions/*/callback")
    assert callbacks[-1].files
    assert callbacks[-1].body == body
    [upload] = again.uploads
    assert upload["data"] == first.uploads[0]["data"]
    assert "3 clusters working in Environment" in message_text(body["data"])
    double.assert_clean()


async def test_an_unknown_field_is_explained_without_a_picture(double, knowledge):
    """/map field:astronomy: the reply names the key fields and carries no file."""
    async with kc_bot(double, knowledge):
        record = await double.dispatch_interaction("map", {"field": "astronomy"})
        body = await record.wait_response()
    assert body["type"] == CALLBACK_MESSAGE
    assert not record.uploads
    assert "Environment" in message_text(body["data"])
    assert "image" not in body["data"]["embeds"][0]
    double.assert_clean()
