"""A local test double of Discord's REST API and gateway for an unmodified discord.py client.

Typical use::

    async with DiscordDouble() as double:
        async with running_bot(double, make_bot) as bot:  # make_bot(**kw) -> commands.Bot(**kw)
            rec = await double.dispatch_interaction("ask", {"question": "What is KC?"})
            body = await rec.wait_response()
        double.assert_clean()
"""

from .harness import (
    FAST_GUILD_READY_TIMEOUT,
    fast_http_backoff,
    redirect_discord,
    running_bot,
)
from .limits import validate_choices, validate_commands, validate_message
from .records import (
    DoubleTimeoutError,
    GatewayRecord,
    InteractionRecord,
    RequestRecord,
    Violation,
    latency_summary,
    percentile,
)
from .server import CommandSync, Delivery, DiscordDouble
from .world import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    FakeChannel,
    FakeGuild,
    FakeUser,
)

__all__ = [
    "FAST_GUILD_READY_TIMEOUT",
    "INTENT_DIRECT_MESSAGES",
    "INTENT_GUILD_MEMBERS",
    "INTENT_GUILD_MESSAGES",
    "INTENT_MESSAGE_CONTENT",
    "CommandSync",
    "Delivery",
    "DiscordDouble",
    "DoubleTimeoutError",
    "FakeChannel",
    "FakeGuild",
    "FakeUser",
    "GatewayRecord",
    "InteractionRecord",
    "RequestRecord",
    "Violation",
    "fast_http_backoff",
    "latency_summary",
    "percentile",
    "redirect_discord",
    "running_bot",
    "validate_choices",
    "validate_commands",
    "validate_message",
]
