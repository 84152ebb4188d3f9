"""DEBUG logs stay useful and never hold an interaction token or the bot token."""

from __future__ import annotations

import io
import logging

import pytest

from bot.discord_app import runner
from bot.ops.logs import REDACTED, RedactSecrets
from tests.discord_double import DiscordDouble
from tests.test_e2e_discord import kc_bot


@pytest.fixture
def debug_log():
    """The runner's logging set-up at DEBUG, writing to a buffer; the root restored after."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    stream = io.StringIO()
    yield stream
    root.setLevel(level)
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)


async def test_debug_logs_of_a_real_session_hold_no_token(debug_log):
    """A session through the double, logged at DEBUG: payloads and URLs are there, the
    interaction's token and the bot token are not."""
    from tests.support import shipped_knowledge

    engine = shipped_knowledge()
    async with DiscordDouble() as double:
        runner.configure_logging(
            "DEBUG", secrets=[double.token], handler=logging.StreamHandler(debug_log)
        )
        async with kc_bot(double, engine):
            record = await double.dispatch_interaction("ask", {"question": "what is a cluster"})
            await record.wait_response()
            followup = await double.dispatch_interaction("reload", user=double.owner)
            await followup.wait_response()
            # the reload builds in a child process: slow on a busy machine, not a failure
            await followup.wait_followup(timeout=60)
            tokens = [record.token, followup.token]
        double.assert_clean()
    output = debug_log.getvalue()
    assert "WebSocket Event" in output  # the gateway payloads are still logged
    assert "/callback" in output  # and the REST calls
    assert REDACTED in output
    for secret in [*tokens, double.token]:
        assert secret not in output


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("{'t': 'INTERACTION_CREATE', 'd': {'token': 'aW50ZXJhY3Rpb246MTIz', 'id': '1'}}", "aW50"),
        ('{"token": "aW50ZXJhY3Rpb246MTIz"}', "aW50"),
        ("POST https://x/api/v10/interactions/123/aW50ZXJhY3Rpb246MTIz/callback", "aW50"),
        ("PATCH https://x/api/v10/webhooks/456/aW50ZXJhY3Rpb246MTIz/messages/@original", "aW50"),
        ("Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.abcdef.ghijklmnop", "MTIz"),
    ],
)
def test_token_shapes_are_redacted(text, secret):
    """Each place a token appears in discord.py's DEBUG lines is covered."""
    assert secret not in RedactSecrets().redact(text)


def test_traceback_text_is_redacted_too():
    """A token inside an exception's message is removed from the formatted traceback."""
    logger = logging.getLogger("kcbot-test-redaction")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(["s3cret-bot-token"]))
    logger.addHandler(handler)
    try:
        try:
            raise RuntimeError("failed POST /webhooks/1/aW50ZXJhY3Rpb24 with s3cret-bot-token")
        except RuntimeError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    assert "aW50ZXJhY3Rpb24" not in stream.getvalue()
    assert "s3cret-bot-token" not in stream.getvalue()
    assert "RuntimeError" in stream.getvalue()
