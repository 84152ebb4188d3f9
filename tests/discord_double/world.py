"""The fake Discord world the double serves: users, guilds, channels, and their wire payloads.

Payloads follow Discord's API v10 objects closely enough for discord.py 2.7 to parse them
without falling back to defaults for required keys.
"""

from __future__ import annotations

import datetime
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

# Permission bits given to @everyone and to the bot's managed role.
PERMISSIONS = (
    (1 << 6)  # ADD_REACTIONS
    | (1 << 10)  # VIEW_CHANNEL
    | (1 << 11)  # SEND_MESSAGES
    | (1 << 14)  # EMBED_LINKS
    | (1 << 15)  # ATTACH_FILES
    | (1 << 16)  # READ_MESSAGE_HISTORY
    | (1 << 18)  # USE_EXTERNAL_EMOJIS
    | (1 << 31)  # USE_APPLICATION_COMMANDS
    | (1 << 38)  # SEND_MESSAGES_IN_THREADS
)

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents).
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

_counter = itertools.count()


def snowflake(at_ms: int | None = None) -> int:
    """A fresh snowflake (unique within the process), timestamped now unless ``at_ms`` is given."""
    ms = int(time.time() * 1000) if at_ms is None else at_ms
    return ((ms - DISCORD_EPOCH_MS) << 22) | (1 << 17) | (next(_counter) & 0x1FFFF)


def snowflake_on_shard(shard_id: int, shard_count: int) -> int:
    """A fresh snowflake ``g`` on shard ``shard_id``: ``(g >> 22) % shard_count == shard_id``."""
    ms = int(time.time() * 1000) - 86_400_000 - next(_counter) * shard_count
    ms -= (ms - DISCORD_EPOCH_MS) % shard_count
    return snowflake(ms + shard_id)


def iso_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


@dataclass
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "avatar_decoration_data": None,
            "public_flags": 0,
            "primary_guild": None,
            "collectibles": None,
        }
        if self.bot:
            data["bot"] = True
        return data

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class FakeChannel:
    id: int
    name: str
    type: int = 0  # 0 GUILD_TEXT, 1 DM
    guild_id: int | None = None
    position: int = 0
    topic: str | None = None
    recipient: FakeUser | None = None  # DMs only
    recipients: list[FakeUser] = field(default_factory=list)  # group DMs (type 3) only

    @property
    def is_dm(self) -> bool:
        return self.type == 1

    @property
    def is_group_dm(self) -> bool:
        return self.type == 3

    def payload(self, *, with_guild_id: bool = True) -> dict[str, Any]:
        if self.is_group_dm:
            return {
                "id": str(self.id),
                "type": 3,
                "name": self.name,
                "icon": None,
                "owner_id": str(self.recipients[0].id),
                "last_message_id": None,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients],
            }
        if self.is_dm:
            assert self.recipient is not None
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.recipient.payload()],
            }
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "parent_id": None,
            "topic": self.topic,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }
        if with_guild_id:
            data["guild_id"] = str(self.guild_id)
        return data


@dataclass
class FakeGuild:
    id: int
    name: str
    owner: FakeUser
    bot_role_id: int
    channels: list[FakeChannel] = field(default_factory=list)
    members: list[FakeUser] = field(default_factory=list)  # humans and the bot
    joined_at: str = field(default_factory=iso_now)
    locale: str = "en-US"

    @property
    def text_channel(self) -> FakeChannel:
        """The first text channel (the default target of dispatched events)."""
        return next(c for c in self.channels if c.type == 0)

    def shard_id(self, shard_count: int) -> int:
        return (self.id >> 22) % shard_count

    def channel(self, name_or_id: str | int) -> FakeChannel:
        for c in self.channels:
            if c.id == name_or_id or c.name == name_or_id:
                return c
        raise KeyError(f"guild {self.name!r} has no channel {name_or_id!r}")

    def roles_payload(self) -> list[dict[str, Any]]:
        def role(rid: int, name: str, position: int, managed: bool, tags: dict | None) -> dict:
            data: dict[str, Any] = {
                "id": str(rid),
                "name": name,
                "color": 0,
                "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
                "hoist": False,
                "icon": None,
                "unicode_emoji": None,
                "position": position,
                "permissions": str(PERMISSIONS),
                "managed": managed,
                "mentionable": False,
                "flags": 0,
            }
            if tags is not None:
                data["tags"] = tags
            return data

        bot = next((m for m in self.members if m.bot), None)
        roles = [role(self.id, "@everyone", 0, False, None)]
        if bot is not None:
            roles.append(role(self.bot_role_id, bot.username, 1, True, {"bot_id": str(bot.id)}))
        return roles

    def member_payload(self, user: FakeUser, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(self.bot_role_id)] if user.bot else [],
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "banner": None,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = user.payload()
        return data

    def unavailable_payload(self) -> dict[str, Any]:
        return {"id": str(self.id), "unavailable": True}

    def create_payload(self, *, include_all_members: bool) -> dict[str, Any]:
        """GUILD_CREATE ``d``: the full guild, ``member_count`` counting every member."""
        members = self.members if include_all_members else [m for m in self.members if m.bot]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.locale,
            "features": [],
            "roles": self.roles_payload(),
            "emojis": [],
            "stickers": [],
            "application_id": None,
            "system_channel_id": str(self.text_channel.id),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_presences": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "vanity_url_code": None,
            "widget_enabled": False,
            "incidents_data": None,
            "joined_at": self.joined_at,
            "large": False,
            "lazy": True,
            "unavailable": False,
            "member_count": len(self.members),
            "members": [self.member_payload(m) for m in members],
            "channels": [c.payload(with_guild_id=False) for c in self.channels],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
