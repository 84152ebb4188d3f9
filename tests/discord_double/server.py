"""A local test double of Discord's REST API (v10) and gateway, served by aiohttp on 127.0.0.1.

It speaks the real wire protocol to an unmodified discord.py client: see ``harness.py`` for how a
bot is pointed at it. Everything it sees is recorded; what Discord would reject is answered with
Discord's error bodies *and* appended to ``violations`` so a test can ``assert_clean()``.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import math
import re
import secrets
import socket
import time
import urllib.parse
import uuid
import zlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from aiohttp import WSMsgType, web

from . import limits
from .components import find_component
from .records import (
    DEFAULT_TIMEOUT,
    Delivery,
    GatewayRecord,
    InteractionRecord,
    Notifier,
    RequestRecord,
    Violation,
    latency_summary,
)
from .world import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    PERMISSIONS,
    PRIVILEGED_INTENTS,
    FakeChannel,
    FakeGuild,
    FakeUser,
    iso_now,
    snowflake,
    snowflake_on_shard,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
RESUME_PATH = "/resume-gateway/"

# Gateway opcodes.
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_PRESENCE, OP_VOICE_STATE = 0, 1, 2, 3, 4
OP_RESUME, OP_RECONNECT, OP_REQUEST_MEMBERS, OP_INVALID_SESSION = 6, 7, 8, 9
OP_HELLO, OP_HEARTBEAT_ACK = 10, 11

# Interaction (callback) types.
INTERACTION_COMMAND, INTERACTION_COMPONENT, INTERACTION_AUTOCOMPLETE = 2, 3, 4
CALLBACK_MESSAGE, CALLBACK_DEFERRED, CALLBACK_AUTOCOMPLETE, CALLBACK_MODAL = 4, 5, 8, 9
CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE = 6, 7
ALLOWED_CALLBACKS = {
    "command": {CALLBACK_MESSAGE, CALLBACK_DEFERRED, CALLBACK_MODAL, 12},
    "autocomplete": {CALLBACK_AUTOCOMPLETE},
    "component": {
        CALLBACK_MESSAGE,
        CALLBACK_DEFERRED,
        CALLBACK_DEFERRED_UPDATE,
        CALLBACK_UPDATE,
        CALLBACK_MODAL,
    },
}

FLAG_EPHEMERAL, FLAG_LOADING = 1 << 6, 1 << 7

# Installation types (where the app is installed) and interaction contexts (where it is used).
GUILD_INSTALL, USER_INSTALL = 0, 1
CONTEXT_GUILD, CONTEXT_BOT_DM, CONTEXT_PRIVATE_CHANNEL = 0, 1, 2
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3

_MENTION_RE = re.compile(r"<@!?(\d+)>")
_JSON = "application/json"

# Option type inferred from the Python type of a dispatched option value.
_OPTION_TYPES: tuple[tuple[type, int], ...] = ((bool, 5), (int, 4), (float, 10), (str, 3))


def _json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # discord.py compares the Content-Type header with "application/json" exactly, so aiohttp's
    # json_response (which appends "; charset=utf-8") must not be used.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": _JSON, **(headers or {})},
    )


def _error(
    status: int, code: int, message: str, errors: dict[str, Any] | None = None
) -> web.Response:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return _json_response(body, status)


def _resolve_attachment_urls(
    embeds: list[dict[str, Any]], attachments: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """As Discord does: an embed's ``attachment://NAME`` image becomes the attachment's URL."""
    by_name = {a["filename"]: a for a in attachments}
    for embed in embeds:
        for key in ("image", "thumbnail"):
            media = embed.get(key)
            url = (media or {}).get("url")
            if isinstance(url, str) and url.startswith(limits.ATTACHMENT_SCHEME):
                found = by_name.get(url[len(limits.ATTACHMENT_SCHEME) :])
                if found is not None:
                    embed[key] = {**media, "url": found["url"], "proxy_url": found["proxy_url"]}
    return embeds


def _no_content() -> web.Response:
    return web.Response(status=204)


@dataclass
class _Fault:
    pattern: str
    status: int
    remaining: int
    retry_after: float = 0.0
    is_global: bool = False
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        pattern = self.pattern
        if " " in pattern:
            want_method, pattern = pattern.split(" ", 1)
            if want_method not in ("*", method):
                return False
        return fnmatchcase(path, pattern)


@dataclass
class CommandSync:
    """One bulk overwrite (``PUT``) of application commands."""

    guild_id: int | None  # None for global commands
    payload: list[dict[str, Any]]  # as the bot sent it
    result: list[dict[str, Any]]  # as echoed back (ids assigned); empty if rejected
    accepted: bool = True


@dataclass(eq=False)
class _Session:
    id: str
    shard_id: int
    shard_count: int
    intents: int
    seq: int = 0
    valid: bool = True
    conn: _Conn | None = None
    events: collections.deque = field(default_factory=lambda: collections.deque(maxlen=2000))
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def covers_guild(self, guild_id: int) -> bool:
        return self.shard_count == 1 or (guild_id >> 22) % self.shard_count == self.shard_id


@dataclass(eq=False)
class _Conn:
    ws: web.WebSocketResponse
    request: web.Request
    path: str
    query: dict[str, str]
    number: int
    session: _Session | None = None
    identified: bool = False
    heartbeats: int = 0
    closing: bool = False  # no more frames may be sent
    closed_by_double: bool = False
    zlib_stream: Any = None  # a zlib compressobj when the frames are zlib-stream compressed
    last_heartbeat_seq: int | None = None

    async def send_text(self, text: str) -> bool:
        if self.closing or self.ws.closed:
            return False
        try:
            if self.zlib_stream is not None:
                data = self.zlib_stream.compress(text.encode())
                await self.ws.send_bytes(data + self.zlib_stream.flush(zlib.Z_SYNC_FLUSH))
            else:
                await self.ws.send_str(text)
        except (ConnectionError, RuntimeError) as exc:
            log.debug("gateway send failed on connection %s: %r", self.number, exc)
            return False
        return True

    async def send(self, payload: dict[str, Any]) -> bool:
        return await self.send_text(json.dumps(payload))


class DiscordDouble:
    """The double: start it (``async with DiscordDouble() as double``), point a bot at it.

    The world it serves is built at construction: one bot user (its id is also the application
    id), human users ``alice`` and ``bob`` (``double.user`` is alice) and ``guild_count`` guilds
    spread over the shards, each with text channels ``general`` and ``random`` and all users as
    members. More can be added with ``add_guild``/``add_user`` before the bot connects.

    Parameters: ``shard_count`` (reported by ``GET /gateway/bot``; IDENTIFY must use it),
    ``guild_count`` (default: one guild per shard), ``token`` (the bot token it accepts),
    ``heartbeat_interval`` (seconds, sent in HELLO), ``transport_compression`` (send zlib-stream
    binary frames when the client asks for ``compress=zlib-stream``; default: JSON text frames),
    ``ack_deadline`` (seconds an interaction may wait for its callback; Discord: 3),
    ``require_allowed_mentions`` (project policy: every message with content or embeds must
    carry ``allowed_mentions``), ``privileged_intents`` (those the app is allowed; others get
    close code 4014), ``echo_bot_messages`` (send the bot's own messages back as
    MESSAGE_CREATE, like Discord), ``max_messages_per_channel`` (runaway guard),
    ``default_timeout`` (seconds, for every wait without an explicit timeout).
    """

    def __init__(
        self,
        *,
        shard_count: int = 1,
        guild_count: int | None = None,
        token: str = "test-token",
        heartbeat_interval: float = 5.0,
        transport_compression: bool = False,
        ack_deadline: float = 3.0,
        require_allowed_mentions: bool = True,
        privileged_intents: int = PRIVILEGED_INTENTS,
        echo_bot_messages: bool = True,
        max_messages_per_channel: int = 500,
        default_timeout: float = DEFAULT_TIMEOUT,
        bot_name: str = "kcbot-test",
        install_types: tuple[int, ...] = (GUILD_INSTALL, USER_INSTALL),
    ) -> None:
        if shard_count < 1:
            raise ValueError("shard_count must be >= 1")
        self.shard_count = shard_count
        self.token = token
        self.heartbeat_interval = heartbeat_interval
        self.transport_compression = transport_compression
        self.ack_deadline = ack_deadline
        self.require_allowed_mentions = require_allowed_mentions
        self.privileged_intents = privileged_intents
        self.echo_bot_messages = echo_bot_messages
        self.max_messages_per_channel = max_messages_per_channel
        self.default_timeout = default_timeout
        # The portal's Installation tab: 0 guild install, 1 user install.
        self.install_types = frozenset(install_types)

        # --- the world -------------------------------------------------------------------
        self.bot_user = FakeUser(snowflake(), bot_name, bot=True)
        self.application_id = self.bot_user.id
        self.owner = FakeUser(snowflake(), "owner", "Owner")
        self.user = FakeUser(snowflake(), "alice", "Alice")
        self.users: list[FakeUser] = [self.owner, self.user, FakeUser(snowflake(), "bob", "Bob")]
        self.guilds: list[FakeGuild] = []
        self.foreign_guilds: list[FakeGuild] = []  # servers the bot is not in
        self._channels: dict[int, FakeChannel] = {}
        self._dm_channels: dict[int, FakeChannel] = {}  # user id -> DM channel
        for i in range(shard_count if guild_count is None else guild_count):
            self.add_guild(f"Test Guild {i}", shard_id=i % shard_count)

        # --- records ---------------------------------------------------------------------
        self.requests: list[RequestRecord] = []
        self.violations: list[Violation] = []
        self.unhandled_routes: list[str] = []
        self.identifies: list[GatewayRecord] = []
        self.resumes: list[GatewayRecord] = []
        self.connections: list[dict[str, Any]] = []  # {"number", "path", "query"}
        self.heartbeats = 0
        self.presence_updates: list[dict[str, Any]] = []
        self.deliveries: list[Delivery] = []
        self.command_syncs: list[CommandSync] = []
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.messages: list[dict[str, Any]] = []  # messages the bot created (any route)
        self.message_edits: list[dict[str, Any]] = []  # PATCH bodies of channel messages
        self.reactions: list[dict[str, Any]] = []  # {"channel_id", "message_id", "emoji"}
        self.interactions: dict[int, InteractionRecord] = {}
        # Extra permission bits a user has in every guild (e.g. Manage Server), by user id.
        self.member_permissions: dict[int, int] = {}

        # --- internals -------------------------------------------------------------------
        self._notifier = Notifier()
        self._faults: list[_Fault] = []
        self._sessions: dict[str, _Session] = {}
        self._current: dict[int, _Session] = {}  # shard id -> newest session
        self._conns: set[_Conn] = set()
        self._conn_numbers = 0
        self._by_token: dict[str, InteractionRecord] = {}
        self._message_index: dict[int, dict[str, Any]] = {}
        self._consumed: dict[int, int] = collections.defaultdict(int)
        self._timers: list[asyncio.TimerHandle] = []
        self._tasks: set[asyncio.Task] = set()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self._routes = self._build_routes()

    # ================================================================== world building ====

    def add_user(
        self,
        username: str,
        *,
        global_name: str | None = None,
        guilds: Iterable[FakeGuild] | None = None,
    ) -> FakeUser:
        """A new human user, member of ``guilds`` (default: every guild)."""
        user = FakeUser(snowflake(), username, global_name)
        self.users.append(user)
        for guild in self.guilds if guilds is None else guilds:
            guild.members.append(user)
        return user

    def add_guild(
        self,
        name: str,
        *,
        shard_id: int | None = None,
        channels: Sequence[str] = ("general", "random"),
        bot_member: bool = True,
    ) -> FakeGuild:
        """A new guild (on shard ``shard_id`` if given) with text ``channels`` and every user.

        With ``bot_member=False`` the bot is not in it (it gets no GUILD_CREATE): a server
        where only a user-installed app can be used."""
        gid = snowflake() if shard_id is None else snowflake_on_shard(shard_id, self.shard_count)
        guild = FakeGuild(
            id=gid,
            name=name,
            owner=self.owner,
            bot_role_id=snowflake(),
            members=[self.bot_user, *self.users] if bot_member else list(self.users),
        )
        for pos, cname in enumerate(channels):
            channel = FakeChannel(snowflake(), cname, 0, guild_id=gid, position=pos)
            guild.channels.append(channel)
            self._channels[channel.id] = channel
        (self.guilds if bot_member else self.foreign_guilds).append(guild)
        return guild

    def group_dm(self, *users: FakeUser) -> FakeChannel:
        """A group DM of ``users`` (the bot is not in it): a private-channel context."""
        channel = FakeChannel(snowflake(), "group", 3, recipients=list(users))
        self._channels[channel.id] = channel
        return channel

    @property
    def guild(self) -> FakeGuild:
        """The first guild."""
        return self.guilds[0]

    @property
    def channel(self) -> FakeChannel:
        """The first text channel of the first guild."""
        return self.guild.text_channel

    def get_guild(self, guild_id: int) -> FakeGuild | None:
        return next((g for g in self.guilds if g.id == guild_id), None)

    def get_channel(self, channel_id: int) -> FakeChannel | None:
        return self._channels.get(channel_id)

    def get_user(self, user_id: int) -> FakeUser | None:
        if user_id == self.bot_user.id:
            return self.bot_user
        return next((u for u in self.users if u.id == user_id), None)

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and ``user`` (created on first use)."""
        channel = self._dm_channels.get(user.id)
        if channel is None:
            channel = FakeChannel(snowflake(), f"dm-{user.username}", 1, recipient=user)
            self._dm_channels[user.id] = channel
            self._channels[channel.id] = channel
        return channel

    def guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        if channel.guild_id is None:
            return None
        return self.get_guild(channel.guild_id) or next(
            (g for g in self.foreign_guilds if g.id == channel.guild_id), None
        )

    def is_member(self, guild: FakeGuild) -> bool:
        return guild in self.guilds

    # ======================================================================= lifecycle ====

    @property
    def base_url(self) -> str:
        """What ``discord.http.Route.BASE`` must be set to."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """What ``DiscordWebSocket.DEFAULT_GATEWAY`` must be set to (also in ``/gateway/bot``)."""
        return f"ws://127.0.0.1:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{RESUME_PATH}"

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("already started")
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_get("/", self._gateway)
        app.router.add_get(RESUME_PATH, self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        app.router.add_route("*", "/{tail:.*}", self._outside_api)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner
        self.port = sock.getsockname()[1]
        log.debug("discord double listening on 127.0.0.1:%s", self.port)

    async def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        for conn in list(self._conns):
            await self._close_conn(conn, 1001, b"double stopping")
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=2.0)
        if self._runner is not None:
            runner, self._runner = self._runner, None
            try:
                await asyncio.wait_for(runner.cleanup(), 5.0)
            except asyncio.TimeoutError:
                log.warning("discord double: server cleanup timed out")

    async def __aenter__(self) -> DiscordDouble:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _spawn(self, coro: Awaitable[Any]) -> asyncio.Task:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # ======================================================================== checking ====

    def _violation(
        self, kind: str, detail: str, route: str | None = None, body: Any = None
    ) -> None:
        violation = Violation(kind, detail, route, body)
        log.warning("discord double violation: %s", violation)
        self.violations.append(violation)
        self._notifier.notify()

    def pop_violations(self, kind: str | None = None) -> list[Violation]:
        """Remove and return the violations (of ``kind`` if given), for tests that expect them."""
        taken = [v for v in self.violations if kind is None or v.kind == kind]
        self.violations = [v for v in self.violations if v not in taken]
        return taken

    def pending_interactions(self) -> list[InteractionRecord]:
        """Interactions never acknowledged and not (yet) reported as a violation."""
        return [
            r
            for r in self.interactions.values()
            if r.response is None and not r.timeout_recorded and not r.rejected_callbacks
        ]

    def assert_clean(self, *, allow_pending: bool = False) -> None:
        """Fail if anything Discord would reject happened, any unhandled route was called, or
        (unless ``allow_pending``) a dispatched interaction was never acknowledged."""
        problems = [str(v) for v in self.violations]
        problems += [f"unhandled route: {r}" for r in self.unhandled_routes]
        if not allow_pending:
            problems += [
                f"interaction {r.kind} /{r.name} ({r.id}) never acknowledged"
                for r in self.pending_interactions()
            ]
        if problems:
            raise AssertionError("the Discord double saw problems:\n  " + "\n  ".join(problems))

    # ================================================================ fault injection ====

    def inject_429(
        self, route: str, *, times: int = 1, retry_after: float = 0.1, is_global: bool = False
    ) -> None:
        """Answer the next ``times`` requests matching ``route`` with 429 Too Many Requests.

        ``route`` is ``"METHOD /path"`` (or just ``"/path"``) relative to ``/api/v10``, with
        fnmatch wildcards, e.g. ``"POST /interactions/*/callback"``.
        """
        self._faults.append(_Fault(route, 429, times, retry_after, is_global))

    def inject_500(self, route: str, *, times: int = 1, status: int = 500) -> None:
        """Answer the next ``times`` requests matching ``route`` with a server error."""
        self._faults.append(_Fault(route, status, times))

    def _session_on(self, shard_id: int) -> _Session:
        session = self._current.get(shard_id)
        if session is None:
            raise RuntimeError(f"no gateway session on shard {shard_id}")
        return session

    async def drop_connection(self, shard_id: int = 0) -> None:
        """Drop the shard's TCP connection without a close frame (the client sees 1006)."""
        session = self._session_on(shard_id)
        async with session.lock:
            conn, session.conn = session.conn, None
        if conn is not None:
            conn.closing = conn.closed_by_double = True
            transport = conn.request.transport
            if transport is not None:
                transport.abort()
        self._notifier.notify()

    async def close_connection(
        self, shard_id: int = 0, code: int = 4000, reason: str = "Unknown error"
    ) -> None:
        """Close the shard's WebSocket with ``code`` (4000: the client should RESUME)."""
        session = self._session_on(shard_id)
        async with session.lock:
            conn, session.conn = session.conn, None
        if conn is not None:
            self._spawn(self._close_conn(conn, code, reason.encode()))
        self._notifier.notify()

    async def invalidate_session(self, shard_id: int = 0, *, resumable: bool = False) -> None:
        """Send INVALID_SESSION (op 9) with ``d=resumable``; a non-resumable one is forgotten."""
        session = self._session_on(shard_id)
        async with session.lock:
            if not resumable:
                session.valid = False
            conn = session.conn
            if not resumable:
                session.conn = None
        if conn is not None:
            await conn.send({"op": OP_INVALID_SESSION, "d": resumable, "s": None, "t": None})

    async def request_reconnect(self, shard_id: int = 0) -> None:
        """Send RECONNECT (op 7): the client should close and RESUME."""
        session = self._session_on(shard_id)
        async with session.lock:
            conn, session.conn = session.conn, None
        if conn is not None:
            await conn.send({"op": OP_RECONNECT, "d": None, "s": None, "t": None})

    async def _close_conn(self, conn: _Conn, code: int, message: bytes) -> None:
        conn.closing = conn.closed_by_double = True
        if conn.ws.closed:
            return
        try:
            await asyncio.wait_for(conn.ws.close(code=code, message=message), 3.0)
        except (asyncio.TimeoutError, ConnectionError, RuntimeError):
            transport = conn.request.transport
            if transport is not None:
                transport.abort()

    # ========================================================================= waiting ====

    async def wait_for(
        self, predicate: Callable[[], Any], timeout: float | None = None, what: str = "a condition"
    ) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked whenever the double records)."""
        return await self._notifier.wait_for(predicate, self._t(timeout), what)

    def _t(self, timeout: float | None) -> float:
        return self.default_timeout if timeout is None else timeout

    async def wait_for_identify(
        self, count: int = 1, *, shard_id: int | None = None, timeout: float | None = None
    ) -> GatewayRecord:
        """The ``count``-th accepted IDENTIFY (of ``shard_id`` if given)."""

        def found() -> GatewayRecord | None:
            hits = [
                r
                for r in self.identifies
                if r.accepted and (shard_id is None or r.shard_id == shard_id)
            ]
            return hits[count - 1] if len(hits) >= count else None

        return await self.wait_for(found, timeout, f"IDENTIFY #{count} (shard {shard_id})")

    async def wait_for_resume(
        self, count: int = 1, *, shard_id: int | None = None, timeout: float | None = None
    ) -> GatewayRecord:
        """The ``count``-th accepted RESUME (RESUMED sent) (of ``shard_id`` if given)."""

        def found() -> GatewayRecord | None:
            hits = [
                r
                for r in self.resumes
                if r.accepted and (shard_id is None or r.shard_id == shard_id)
            ]
            return hits[count - 1] if len(hits) >= count else None

        return await self.wait_for(found, timeout, f"RESUME #{count} (shard {shard_id})")

    async def wait_connected(self, shard_id: int = 0, timeout: float | None = None) -> None:
        """Until the shard has a valid session with a live connection."""

        def live() -> bool:
            s = self._current.get(shard_id)
            return s is not None and s.valid and s.conn is not None and not s.conn.closing

        await self.wait_for(live, timeout, f"a live gateway connection on shard {shard_id}")

    def sequence(self, shard_id: int = 0) -> int:
        """The last sequence number sent on the shard's current session."""
        return self._session_on(shard_id).seq

    def intents(self, shard_id: int = 0) -> int:
        """The intents the shard's current session IDENTIFYed with."""
        return self._session_on(shard_id).intents

    def session_valid(self, shard_id: int = 0) -> bool:
        """Whether the shard's newest session can still be resumed (a client that closed its
        connection with 1000 or 1001, as a clean stop does, ended it)."""
        return self._session_on(shard_id).valid

    def session_id(self, shard_id: int = 0) -> str:
        return self._session_on(shard_id).id

    def messages_in(self, channel: FakeChannel | int) -> list[dict[str, Any]]:
        """Messages the bot created in ``channel`` (channel posts, responses, follow-ups)."""
        cid = channel if isinstance(channel, int) else channel.id
        return [m for m in self.messages if int(m["channel_id"]) == cid]

    async def next_message(
        self, channel: FakeChannel | int | None = None, timeout: float | None = None
    ) -> dict[str, Any]:
        """The next not-yet-returned message the bot created in ``channel`` (default channel).

        Each message is returned once, in order, so nothing is missed between dispatch and wait.
        """
        cid = (
            self.channel.id
            if channel is None
            else (channel if isinstance(channel, int) else channel.id)
        )

        def take() -> dict[str, Any] | None:
            msgs = self.messages_in(cid)
            index = self._consumed[cid]
            if len(msgs) > index:
                self._consumed[cid] = index + 1
                return msgs[index]
            return None

        return await self.wait_for(take, timeout, f"a message in channel {cid}")

    async def wait_for_sync(
        self, count: int = 1, *, guild: FakeGuild | int | None = None, timeout: float | None = None
    ) -> CommandSync:
        """The ``count``-th accepted command sync (global, or of ``guild``)."""
        gid = guild.id if isinstance(guild, FakeGuild) else guild

        def found() -> CommandSync | None:
            hits = [s for s in self.command_syncs if s.accepted and s.guild_id == gid]
            return hits[count - 1] if len(hits) >= count else None

        return await self.wait_for(found, timeout, f"command sync #{count} (guild {gid})")

    async def wait_for_request(
        self, route: str, count: int = 1, timeout: float | None = None
    ) -> RequestRecord:
        """The ``count``-th request matching ``route`` (same syntax as ``inject_429``)."""
        probe = _Fault(route, 0, 0)

        def found() -> RequestRecord | None:
            hits = [r for r in self.requests if probe.matches(r.method, r.path) and r.status]
            return hits[count - 1] if len(hits) >= count else None

        return await self.wait_for(found, timeout, f"request #{count} matching {route!r}")

    def requests_matching(self, route: str) -> list[RequestRecord]:
        probe = _Fault(route, 0, 0)
        return [r for r in self.requests if probe.matches(r.method, r.path)]

    @property
    def ack_latencies(self) -> list[float]:
        """Seconds from dispatch to accepted callback, per acknowledged interaction."""
        return [r.ack_latency for r in self.interactions.values() if r.ack_latency is not None]

    def latency_summary(self) -> dict[str, float]:
        """``{"count", "p50", "p99", "max", "mean"}`` of ``ack_latencies`` (seconds)."""
        return latency_summary(self.ack_latencies)

    # ======================================================================= gateway ====

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=16 * 1024 * 1024, autoping=True)
        await ws.prepare(request)
        self._conn_numbers += 1
        conn = _Conn(ws, request, request.path, dict(request.query), self._conn_numbers)
        if self.transport_compression and conn.query.get("compress") == "zlib-stream":
            conn.zlib_stream = zlib.compressobj()
        self._conns.add(conn)
        self.connections.append({"number": conn.number, "path": conn.path, "query": conn.query})
        self._notifier.notify()
        idle = self.heartbeat_interval * 1.5 + 1.0
        try:
            await conn.send(
                {
                    "op": OP_HELLO,
                    "s": None,
                    "t": None,
                    "d": {
                        "heartbeat_interval": int(self.heartbeat_interval * 1000),
                        "_trace": ['["discord-double",{"micros":0}]'],
                    },
                }
            )
            while not ws.closed:
                try:
                    msg = await ws.receive(timeout=idle)
                except asyncio.TimeoutError:
                    log.info("gateway connection %s: no heartbeat in %.1fs", conn.number, idle)
                    await self._close_conn(conn, 4009, b"Session timed out")
                    break
                if msg.type in (
                    WSMsgType.CLOSE,
                    WSMsgType.CLOSING,
                    WSMsgType.CLOSED,
                    WSMsgType.ERROR,
                ):
                    break
                if msg.type is not WSMsgType.TEXT:
                    await self._close_conn(conn, 4002, b"Decode error")
                    break
                try:
                    payload = json.loads(msg.data)
                    op = payload["op"]
                except (ValueError, KeyError, TypeError):
                    await self._close_conn(conn, 4002, b"Decode error")
                    break
                await self._on_gateway_op(conn, op, payload.get("d"))
        finally:
            conn.closing = True
            self._conns.discard(conn)
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                if ws.close_code in (1000, 1001) and not conn.closed_by_double:
                    # Discord invalidates a session the client closes with 1000/1001.
                    session.valid = False
            self._notifier.notify()
        return ws

    async def _on_gateway_op(self, conn: _Conn, op: int, d: Any) -> None:
        if op == OP_HEARTBEAT:
            conn.heartbeats += 1
            conn.last_heartbeat_seq = d
            session = conn.session
            if isinstance(d, int) and session is not None and d > session.seq:
                log.warning(
                    "gateway: heartbeat sequence %s beyond the last sent (%s)", d, session.seq
                )
            self.heartbeats += 1
            await conn.send({"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == OP_IDENTIFY:
            await self._on_identify(conn, d or {})
        elif op == OP_RESUME:
            await self._on_resume(conn, d or {})
        elif not conn.identified:
            await self._close_conn(conn, 4003, b"Not authenticated.")
        elif op == OP_PRESENCE:
            self.presence_updates.append(d)
        elif op == OP_REQUEST_MEMBERS:
            await self._on_request_members(conn, d or {})
        elif op == OP_VOICE_STATE:
            pass
        else:
            self._violation("gateway_unknown_opcode", f"op {op} sent by the client")
            await self._close_conn(conn, 4001, b"Unknown opcode.")

    async def _on_identify(self, conn: _Conn, d: dict[str, Any]) -> None:
        loop = asyncio.get_running_loop()
        shard = d.get("shard")
        shard_id = shard[0] if isinstance(shard, list) and len(shard) == 2 else None
        record = GatewayRecord("IDENTIFY", shard_id, d, conn.path, conn.query, at=loop.time())
        self.identifies.append(record)
        self._notifier.notify()

        async def refuse(code: int, reason: str) -> None:
            record.accepted = False
            log.info("gateway: refusing IDENTIFY (%s %s)", code, reason)
            await self._close_conn(conn, code, reason.encode())

        if conn.identified:
            return await refuse(4005, "Already authenticated.")
        if d.get("token") != self.token:
            return await refuse(4004, "Authentication failed.")
        if shard is None:
            shard_id, shard_count = 0, 1
        elif (
            not isinstance(shard, list)
            or len(shard) != 2
            or shard[1] != self.shard_count
            or not 0 <= shard[0] < shard[1]
        ):
            return await refuse(4010, "Invalid shard.")
        else:
            shard_id, shard_count = shard
        intents = d.get("intents")
        if not isinstance(intents, int):
            return await refuse(4013, "Invalid intent(s).")
        if intents & PRIVILEGED_INTENTS & ~self.privileged_intents:
            return await refuse(4014, "Disallowed intent(s).")

        old = self._current.get(shard_id)
        if old is not None:
            old.valid = False
        session = _Session(uuid.uuid4().hex, shard_id, shard_count, intents)
        self._sessions[session.id] = session
        self._current[shard_id] = session
        conn.session, conn.identified = session, True

        ready: dict[str, Any] = {
            "v": 10,
            "user_settings": {},
            "user": self._me_payload(),
            "guilds": [g.unavailable_payload() for g in self.guilds if session.covers_guild(g.id)],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "application": {"id": str(self.application_id), "flags": self._application_flags()},
            "auth": {},
            "_trace": ['["discord-double",{"micros":0}]'],
        }
        if shard is not None:
            ready["shard"] = [shard_id, shard_count]
        async with session.lock:
            session.conn = conn
            await self._emit(session, "READY", ready)
            with_members = bool(intents & INTENT_GUILD_MEMBERS)
            for guild in self.guilds:
                if session.covers_guild(guild.id):
                    await self._emit(
                        session,
                        "GUILD_CREATE",
                        guild.create_payload(include_all_members=with_members),
                    )
        self._notifier.notify()
        return None

    async def _on_resume(self, conn: _Conn, d: dict[str, Any]) -> None:
        loop = asyncio.get_running_loop()
        session = self._sessions.get(d.get("session_id"))
        record = GatewayRecord(
            "RESUME",
            session.shard_id if session else None,
            d,
            conn.path,
            conn.query,
            accepted=False,
            at=loop.time(),
        )
        self.resumes.append(record)
        self._notifier.notify()
        if d.get("token") != self.token:
            await self._close_conn(conn, 4004, b"Authentication failed.")
            return
        seq = d.get("seq") or 0
        oldest = session.events[0][0] if session is not None and session.events else 1
        if (
            session is None
            or not session.valid
            or self._current.get(session.shard_id) is not session
            or seq > session.seq
            or seq < oldest - 1
        ):
            log.info("gateway: RESUME refused, sending INVALID_SESSION")
            await conn.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        async with session.lock:
            old, session.conn = session.conn, conn
            conn.session, conn.identified = session, True
            if old is not None and old is not conn:
                self._spawn(self._close_conn(old, 4000, b"Session resumed elsewhere"))
            for event_seq, frame in list(session.events):
                if event_seq > seq:
                    await conn.send_text(frame)
            await conn.send({"op": OP_DISPATCH, "t": "RESUMED", "s": None, "d": {}})
        record.accepted = True
        self._notifier.notify()

    async def _on_request_members(self, conn: _Conn, d: dict[str, Any]) -> None:
        session = conn.session
        guild = self.get_guild(int(d.get("guild_id", 0)))
        if session is None or guild is None:
            return
        query = (d.get("query") or "").lower()
        ids = {int(x) for x in d.get("user_ids") or []}
        members = [
            m
            for m in guild.members
            if (not ids or m.id in ids) and m.username.lower().startswith(query)
        ]
        if d.get("limit"):
            members = members[: d["limit"]]
        async with session.lock:
            await self._emit(
                session,
                "GUILD_MEMBERS_CHUNK",
                {
                    "guild_id": str(guild.id),
                    "members": [guild.member_payload(m) for m in members],
                    "chunk_index": 0,
                    "chunk_count": 1,
                    "not_found": [],
                    "nonce": d.get("nonce"),
                },
            )

    async def _emit(self, session: _Session, event: str, data: dict[str, Any]) -> Delivery:
        """Sequence and send one dispatch on ``session`` (caller holds ``session.lock``)."""
        session.seq += 1
        frame = json.dumps({"op": OP_DISPATCH, "t": event, "s": session.seq, "d": data})
        session.events.append((session.seq, frame))
        conn = session.conn
        if conn is not None:
            await conn.send_text(frame)
        delivery = Delivery(event, session.shard_id, session.seq, session.id, data)
        self.deliveries.append(delivery)
        return delivery

    async def _session_for(self, guild_id: int | None, timeout: float | None) -> _Session:
        def find() -> _Session | None:
            for session in self._current.values():
                if not session.valid:
                    continue
                if (
                    session.covers_guild(guild_id)
                    if guild_id is not None
                    else (session.shard_id == 0)
                ):
                    return session
            return None

        return await self.wait_for(find, timeout, f"a gateway session for guild {guild_id}")

    async def dispatch_raw(
        self,
        event: str,
        data: dict[str, Any],
        *,
        guild_id: int | None = None,
        timeout: float | None = None,
    ) -> Delivery:
        """Send any dispatch event on the shard owning ``guild_id`` (shard 0 when ``None``).

        If the shard is disconnected the event is buffered and replayed on RESUME.
        """
        session = await self._session_for(guild_id, timeout)
        async with session.lock:
            delivery = await self._emit(session, event, data)
        self._notifier.notify()
        return delivery

    # ----------------------------------------------------------------- messages ----

    def _resolve_channel(self, channel: FakeChannel | int | str | None) -> FakeChannel:
        if channel is None:
            return self.channel
        if isinstance(channel, FakeChannel):
            return channel
        if isinstance(channel, int):
            found = self.get_channel(channel)
            if found is None:
                raise KeyError(f"unknown channel {channel}")
            return found
        return self.guild.channel(channel)

    def _mentioned_users(self, content: str) -> list[FakeUser]:
        found: list[FakeUser] = []
        for match in _MENTION_RE.finditer(content or ""):
            user = self.get_user(int(match.group(1)))
            if user is not None and user not in found:
                found.append(user)
        return found

    async def dispatch_message(
        self,
        content: str = "",
        *,
        channel: FakeChannel | int | str | None = None,
        author: FakeUser | None = None,
        dm: bool = False,
        mention_bot: bool = False,
        embeds: list[dict[str, Any]] | None = None,
        attachments: list[dict[str, Any]] | None = None,
        reply_to: dict[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Delivery | None:
        """A user posts a message: MESSAGE_CREATE on the owning shard, like Discord sends it.

        ``dm=True`` posts in the DM channel between ``author`` and the bot. ``mention_bot``
        prefixes the content with the bot's mention. Without the MESSAGE_CONTENT intent the
        content, embeds, attachments and components are blanked unless the message is a DM or
        mentions the bot. Returns the delivery (``.data`` is the payload as sent) or ``None``
        when the bot's intents exclude the event (GUILD_MESSAGES / DIRECT_MESSAGES).
        """
        author = author or self.user
        target = self.dm_channel(author) if dm else self._resolve_channel(channel)
        guild = self.guild_of(target)
        if mention_bot and self.bot_user.mention not in content:
            content = f"{self.bot_user.mention} {content}".rstrip()
        mentions = self._mentioned_users(content)
        data: dict[str, Any] = {
            "id": str(snowflake()),
            "channel_id": str(target.id),
            "author": author.payload(),
            "content": content,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": [],
            "mention_roles": [],
            "attachments": attachments or [],
            "embeds": embeds or [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
            "nonce": str(snowflake()),
        }
        if reply_to is not None:
            data["type"] = 19
            data["message_reference"] = {
                "type": 0,
                "message_id": reply_to["id"],
                "channel_id": reply_to["channel_id"],
            }
            if guild is not None:
                data["message_reference"]["guild_id"] = str(guild.id)
            data["referenced_message"] = reply_to
        if guild is not None:
            data["guild_id"] = str(guild.id)
            data["member"] = guild.member_payload(author, with_user=False)
            data["mentions"] = [
                {**u.payload(), "member": guild.member_payload(u, with_user=False)}
                for u in mentions
            ]
        else:
            data["mentions"] = [u.payload() for u in mentions]
        self._message_index[int(data["id"])] = data

        session = await self._session_for(guild.id if guild else None, timeout)
        needed = INTENT_GUILD_MESSAGES if guild else INTENT_DIRECT_MESSAGES
        if not session.intents & needed:
            log.info("message not delivered: the bot lacks the intent %s", needed)
            return None
        delivered = dict(data)
        bot_mentioned = any(u.id == self.bot_user.id for u in mentions)
        if (
            not session.intents & INTENT_MESSAGE_CONTENT
            and guild is not None
            and not bot_mentioned
            and author.id != self.bot_user.id
        ):
            delivered.update(content="", embeds=[], attachments=[], components=[])
            delivered.pop("poll", None)
        async with session.lock:
            delivery = await self._emit(session, "MESSAGE_CREATE", delivered)
        self._notifier.notify()
        return delivery

    # -------------------------------------------------------------- interactions ----

    def _find_command(
        self, name: str, guild: FakeGuild | None, ctype: int = CHAT_INPUT
    ) -> tuple[dict[str, Any] | None, bool]:
        if guild is not None:
            for cmd in self.guild_commands.get(guild.id, []):
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd, True
        for cmd in self.global_commands:
            if cmd["name"] == name and cmd.get("type", 1) == ctype:
                return cmd, False
        return None, False

    def _reach(
        self, cmd: dict[str, Any] | None, user: FakeUser, target: FakeChannel, installed_by: str
    ) -> tuple[dict[str, str], int]:
        """``authorizing_integration_owners`` and ``context`` of an invocation, refusing one
        Discord would never send (the app not installed that way there, or the command not
        offered in that installation or context)."""
        guild = self.guild_of(target)
        if target.is_dm and target.recipient is not None and target.recipient.id == user.id:
            context = CONTEXT_BOT_DM
        else:
            context = CONTEXT_GUILD if guild is not None else CONTEXT_PRIVATE_CHANNEL
        if installed_by == "guild":
            install = GUILD_INSTALL
            if context == CONTEXT_PRIVATE_CHANNEL or (
                guild is not None and not self.is_member(guild)
            ):
                raise ValueError("the app is not installed where this interaction happens")
            owners = {"0": str(guild.id) if guild is not None else "0"}
        elif installed_by == "user":
            install = USER_INSTALL
            owners = {"1": str(user.id)}
        else:
            raise ValueError(f"installed_by must be 'guild' or 'user', not {installed_by!r}")
        if install not in self.install_types:
            raise ValueError(f"the portal does not allow installation type {install}")
        if cmd is not None:
            if install not in (cmd.get("integration_types") or [GUILD_INSTALL]):
                raise ValueError(f"/{cmd['name']} is not offered to installation type {install}")
            contexts = cmd.get("contexts")
            if contexts is not None and context not in contexts:
                raise ValueError(f"/{cmd['name']} is not offered in context {context}")
        return owners, context

    def _build_options(
        self,
        schema: list[dict[str, Any]] | None,
        options: Any,
        focused: str | None,
        resolved: dict[str, Any],
        guild: FakeGuild | None,
    ) -> list[dict[str, Any]]:
        if options is None:
            options = {}
        if isinstance(options, list):  # raw option payloads
            return options
        by_name = {o["name"]: o for o in schema or []}
        out: list[dict[str, Any]] = []
        items = dict(options)
        if focused is not None and focused not in items:
            items[focused] = ""
        for name, value in items.items():
            known = by_name.get(name, {}).get("type")
            option: dict[str, Any] = {"name": name}
            if isinstance(value, FakeUser):
                option.update(type=known or 6, value=str(value.id))
                resolved.setdefault("users", {})[str(value.id)] = value.payload()
                if guild is not None:
                    resolved.setdefault("members", {})[str(value.id)] = {
                        **guild.member_payload(value, with_user=False),
                        "permissions": str(PERMISSIONS),
                    }
            elif isinstance(value, FakeChannel):
                option.update(type=known or 7, value=str(value.id))
                resolved.setdefault("channels", {})[str(value.id)] = {
                    "id": str(value.id),
                    "name": value.name,
                    "type": value.type,
                    "permissions": str(PERMISSIONS),
                }
            else:
                otype = known or next(
                    t for py, t in (*_OPTION_TYPES, (object, 3)) if isinstance(value, py)
                )
                if name == focused:
                    value = str(value)  # a focused option carries the partial text typed
                elif otype == 4:
                    value = int(value)
                elif otype == 10:
                    value = float(value)
                elif otype == 5:
                    value = bool(value)
                elif otype == 3:
                    value = str(value)
                option.update(type=otype, value=value)
            if name == focused:
                option["focused"] = True
            out.append(option)
        return out

    async def _dispatch_interaction(
        self,
        kind: str,
        name: str,
        options: Any,
        *,
        focused: str | None,
        user: FakeUser | None,
        channel: FakeChannel | int | str | None,
        dm: bool,
        locale: str,
        timeout: float | None,
        command_guild: bool | None,
        installed_by: str = "guild",
    ) -> InteractionRecord:
        user = user or self.user
        target = self.dm_channel(user) if dm else self._resolve_channel(channel)
        guild = self.guild_of(target)
        parts = name.split()
        cmd, is_guild_cmd = self._find_command(parts[0], guild)
        owners, context = self._reach(cmd, user, target, installed_by)
        schema = (cmd or {}).get("options")
        # Walk sub-command groups / sub-commands to the options of the leaf.
        for part in parts[1:]:
            sub = next((o for o in schema or [] if o["name"] == part), None)
            schema = (sub or {}).get("options")
        resolved: dict[str, Any] = {}
        leaf_options = self._build_options(schema, options, focused, resolved, guild)
        nested = leaf_options
        if len(parts) == 3:
            nested = [
                {
                    "type": 2,
                    "name": parts[1],
                    "options": [{"type": 1, "name": parts[2], "options": leaf_options}],
                }
            ]
        elif len(parts) == 2:
            nested = [{"type": 1, "name": parts[1], "options": leaf_options}]
        elif len(parts) != 1:
            raise ValueError(f"bad command name {name!r}")
        command_data: dict[str, Any] = {
            "id": (cmd or {}).get("id") or str(snowflake()),
            "name": parts[0],
            "type": 1,
            "options": nested,
        }
        if resolved:
            command_data["resolved"] = resolved
        if command_guild is not None:
            is_guild_cmd = command_guild
        if is_guild_cmd and guild is not None:
            command_data["guild_id"] = str(guild.id)

        itype = INTERACTION_COMMAND if kind == "command" else INTERACTION_AUTOCOMPLETE
        return await self._send_interaction(
            kind,
            name,
            itype,
            command_data,
            user=user,
            target=target,
            locale=locale,
            timeout=timeout,
            owners=owners,
            context=context,
        )

    async def _send_interaction(
        self,
        kind: str,
        name: str,
        itype: int,
        data: dict[str, Any],
        *,
        user: FakeUser,
        target: FakeChannel,
        locale: str,
        timeout: float | None,
        message: dict[str, Any] | None = None,
        owners: dict[str, str] | None = None,
        context: int | None = None,
    ) -> InteractionRecord:
        guild = self.guild_of(target)
        iid = snowflake()
        token = "dbl." + secrets.token_urlsafe(32)
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "token": token,
            "version": 1,
            "data": data,
            "channel_id": str(target.id),
            "channel": target.payload(),
            "app_permissions": str(PERMISSIONS),
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message
        if guild is not None:
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": guild.locale, "features": []},
                guild_locale=guild.locale,
                member={
                    **guild.member_payload(user),
                    "permissions": str(PERMISSIONS | self.member_permissions.get(user.id, 0)),
                },
                authorizing_integration_owners=owners or {"0": str(guild.id)},
                context=CONTEXT_GUILD if context is None else context,
            )
        else:
            default = CONTEXT_BOT_DM if target.is_dm else CONTEXT_PRIVATE_CHANNEL
            payload.update(
                user=user.payload(),
                authorizing_integration_owners=owners or {"0": "0"},
                context=default if context is None else context,
            )
        record = InteractionRecord(
            self._notifier,
            id=iid,
            token=token,
            kind=kind,
            name=name,
            payload=payload,
            deadline=self.ack_deadline,
        )
        self.interactions[iid] = record
        self._by_token[token] = record

        session = await self._session_for(guild.id if guild else None, timeout)
        loop = asyncio.get_running_loop()
        async with session.lock:
            record.dispatched_at = loop.time()
            await self._emit(session, "INTERACTION_CREATE", payload)
        self._timers.append(loop.call_later(self.ack_deadline, self._check_ack, record))
        self._notifier.notify()
        return record

    async def dispatch_interaction(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None = None,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | int | str | None = None,
        dm: bool = False,
        locale: str = "en-US",
        command_guild: bool | None = None,
        timeout: float | None = None,
        installed_by: str = "guild",
    ) -> InteractionRecord:
        """A user runs slash command ``name`` ("cmd", "cmd sub" or "cmd group sub").

        ``options`` maps option names to values (types taken from the synced command, else
        inferred: str, int, bool, float, FakeUser, FakeChannel) or is a raw option list. The
        interaction comes from ``channel`` (default: the first guild's first text channel) or
        from the user's DM with the bot when ``dm=True``. ``data.guild_id`` is set when the
        command was synced to that guild, or when ``command_guild=True``. ``installed_by``
        is "guild" (the server's install, or the bot's DM) or "user" (the user's own install:
        ``authorizing_integration_owners`` names only the user), checked against the
        command's ``integration_types`` and ``contexts`` and the portal's install types.
        """
        return await self._dispatch_interaction(
            "command",
            name,
            options,
            focused=None,
            user=user,
            channel=channel,
            dm=dm,
            locale=locale,
            timeout=timeout,
            command_guild=command_guild,
            installed_by=installed_by,
        )

    async def dispatch_autocomplete(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        focused: str,
        user: FakeUser | None = None,
        channel: FakeChannel | int | str | None = None,
        dm: bool = False,
        locale: str = "en-US",
        command_guild: bool | None = None,
        timeout: float | None = None,
        installed_by: str = "guild",
    ) -> InteractionRecord:
        """A user types in option ``focused`` of ``name``: an autocomplete interaction (type 4).

        ``options[focused]`` is the partial text typed (default ``""``).
        """
        return await self._dispatch_interaction(
            "autocomplete",
            name,
            options,
            focused=focused,
            user=user,
            channel=channel,
            dm=dm,
            locale=locale,
            timeout=timeout,
            command_guild=command_guild,
            installed_by=installed_by,
        )

    async def dispatch_message_command(
        self,
        name: str,
        message: dict[str, Any] | int,
        *,
        user: FakeUser | None = None,
        locale: str = "en-US",
        installed_by: str = "guild",
        timeout: float | None = None,
    ) -> InteractionRecord:
        """A user picks message command ``name`` (a context menu, type 3) on ``message`` (any
        message the double knows, or its id). As on Discord, the target comes whole in
        ``data.resolved.messages``, content included, whatever the bot's intents."""
        found = self._message_index.get(
            int(message["id"]) if isinstance(message, dict) else message
        )
        if found is None:
            raise KeyError(f"unknown message {message!r}")
        user = user or self.user
        target = self.get_channel(int(found["channel_id"]))
        assert target is not None
        guild = self.guild_of(target)
        cmd, is_guild_cmd = self._find_command(name, guild, MESSAGE_COMMAND)
        if cmd is None:
            raise KeyError(f"no message command {name!r} was synced")
        owners, context = self._reach(cmd, user, target, installed_by)
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": MESSAGE_COMMAND,
            "target_id": found["id"],
            "resolved": {"messages": {found["id"]: found}},
        }
        if is_guild_cmd and guild is not None:
            data["guild_id"] = str(guild.id)
        return await self._send_interaction(
            "command",
            name,
            INTERACTION_COMMAND,
            data,
            user=user,
            target=target,
            locale=locale,
            timeout=timeout,
            owners=owners,
            context=context,
        )

    def add_bot_message(
        self, channel: FakeChannel | int | str | None, body: dict[str, Any]
    ) -> dict[str, Any]:
        """A message the bot sent before the test (an older process, an older version): in
        the channel's history, as Discord would keep it, without a request for it."""
        target = self._resolve_channel(channel)
        message = self._bot_message(target, body, [])
        self.messages.append(message)
        return message

    async def dispatch_component(
        self,
        message: dict[str, Any] | int,
        custom_id: str,
        *,
        component_type: int = 2,
        values: list[str] | None = None,
        user: FakeUser | None = None,
        locale: str = "en-US",
        timeout: float | None = None,
    ) -> InteractionRecord:
        """A user clicks a button (``component_type=2``) or picks ``values`` in a select (3)
        on ``message`` (a message the bot created, or its id): a component interaction.

        As on Discord, only a component the message carries can be used (raises ValueError
        otherwise), a select's values must be among its options, and an ephemeral message
        can only be used by the user it was shown to."""
        found = self._message_index.get(
            int(message["id"]) if isinstance(message, dict) else message
        )
        if found is None:
            raise KeyError(f"unknown message {message!r}")
        user = user or self.user
        component = find_component(found, custom_id)
        if component is None or component.get("type") != component_type:
            raise ValueError(
                f"message {found['id']} has no component {custom_id!r} of type {component_type}"
            )
        if component_type == 3:
            offered = {o.get("value") for o in component.get("options") or []}
            chosen = values or []
            if (
                not (
                    component.get("min_values", 1) <= len(chosen) <= component.get("max_values", 1)
                )
                or not set(chosen) <= offered
            ):
                raise ValueError(f"values {chosen!r} are not a valid pick of {custom_id!r}")
        metadata = found.get("interaction_metadata") or {}
        if found.get("flags", 0) & FLAG_EPHEMERAL and metadata.get("user", {}).get("id") not in (
            None,
            str(user.id),
        ):
            raise ValueError("an ephemeral message is seen only by the user it was sent to")
        target = self.get_channel(int(found["channel_id"]))
        assert target is not None
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        guild = self.guild_of(target)
        shown = dict(found)
        if guild is not None:
            shown["guild_id"] = str(guild.id)
        owners = metadata.get("authorizing_integration_owners")
        return await self._send_interaction(
            "component",
            custom_id,
            INTERACTION_COMPONENT,
            data,
            user=user,
            target=target,
            locale=locale,
            timeout=timeout,
            message=shown,
            owners=owners,
        )

    def _check_ack(self, record: InteractionRecord) -> None:
        if record.response is None and not record.timeout_recorded:
            record.timeout_recorded = True
            self._violation(
                "interaction_not_acknowledged",
                f"{record.kind} /{record.name} ({record.id}) not acknowledged within "
                f"{record.deadline:.1f}s",
            )

    # ========================================================================== REST ====

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], Callable[..., Any], bool]]:
        table = [
            ("GET", r"/users/@me", self._get_me, True),
            ("POST", r"/users/@me/channels", self._create_dm, True),
            ("GET", r"/oauth2/applications/@me", self._get_application, True),
            ("GET", r"/gateway", self._get_gateway, False),
            ("GET", r"/gateway/bot", self._get_gateway_bot, True),
            ("PUT", r"/applications/(?P<app>\d+)/commands", self._put_commands, True),
            ("GET", r"/applications/(?P<app>\d+)/commands", self._get_commands, True),
            (
                "PUT",
                r"/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands",
                self._put_commands,
                True,
            ),
            (
                "GET",
                r"/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands",
                self._get_commands,
                True,
            ),
            ("GET", r"/channels/(?P<channel>\d+)", self._get_channel, True),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._post_message, True),
            (
                "PATCH",
                r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)",
                self._patch_message,
                True,
            ),
            (
                "DELETE",
                r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)",
                self._delete_message,
                True,
            ),
            ("POST", r"/channels/(?P<channel>\d+)/typing", self._typing, True),
            (
                "PUT",
                r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/reactions/"
                r"(?P<emoji>[^/]+)/@me",
                self._add_reaction,
                True,
            ),
            (
                "DELETE",
                r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/reactions/"
                r"(?P<emoji>[^/]+)/@me",
                self._remove_reaction,
                True,
            ),
            (
                "POST",
                r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback",
                self._interaction_callback,
                False,
            ),
            ("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)", self._post_followup, False),
            (
                "GET",
                r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>@original|\d+)",
                self._get_webhook_message,
                False,
            ),
            (
                "PATCH",
                r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>@original|\d+)",
                self._patch_webhook_message,
                False,
            ),
            (
                "DELETE",
                r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<message>@original|\d+)",
                self._delete_webhook_message,
                False,
            ),
        ]
        return [(m, re.compile(p + r"$"), h, auth) for m, p, h, auth in table]

    async def _read_body(self, request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
        files: list[dict[str, Any]] = []
        if not request.can_read_body:
            return None, files
        if request.content_type.startswith("multipart/"):
            body: Any = None
            reader = await request.multipart()
            for _ in range(100):
                part = await reader.next()
                if part is None:
                    break
                data = await part.read()  # type: ignore[union-attr]
                if part.name == "payload_json":
                    body = json.loads(data.decode())
                else:
                    files.append(
                        {
                            "name": part.name,
                            "filename": part.filename,
                            "size": len(data),
                            "data": bytes(data),
                            "content_type": part.headers.get("Content-Type"),
                        }
                    )
            return body, files
        raw = await request.read()
        if not raw:
            return None, files
        try:
            return json.loads(raw.decode()), files
        except ValueError:
            return raw.decode(errors="replace"), files

    async def _outside_api(self, request: web.Request) -> web.Response:
        route = f"{request.method} {request.path}"
        log.warning("discord double: request outside %s: %s", API_PREFIX, route)
        self.unhandled_routes.append(route)
        self._notifier.notify()
        return _error(404, 0, "404: Not Found")

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await self._read_body(request)
        record = RequestRecord(
            request.method,
            path,
            dict(request.query),
            body,
            files,
            at=asyncio.get_running_loop().time(),
        )
        self.requests.append(record)
        too_big = [f for f in files if f["size"] > limits.MAX_ATTACHMENT_BYTES]
        if too_big:
            # Discord refuses the whole request before looking at the route.
            self._violation(
                "attachment_too_large",
                f"{too_big[0]['filename']}: {too_big[0]['size']} bytes "
                f"(limit {limits.MAX_ATTACHMENT_BYTES})",
                record.route,
            )
            record.status = 413
            self._notifier.notify()
            return _error(413, 40005, "Request entity too large")
        try:
            response = await self._handle(record, request)
        except Exception as exc:
            log.exception("discord double: error handling %s", record.route)
            self._violation("double_internal_error", repr(exc), record.route)
            response = _error(500, 0, "500: Internal Server Error (double)")
        record.status = response.status
        self._notifier.notify()
        return response

    async def _handle(self, record: RequestRecord, request: web.Request) -> web.StreamResponse:
        for fault in self._faults:
            if fault.remaining > 0 and fault.matches(record.method, record.path):
                fault.remaining -= 1
                fault.hits += 1
                return self._fault_response(fault)
        for method, pattern, handler, needs_auth in self._routes:
            if method != record.method:
                continue
            match = pattern.match(record.path)
            if match is None:
                continue
            if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
                self._violation(
                    "unauthorized", "missing or wrong Authorization header", record.route
                )
                return _error(401, 0, "401: Unauthorized")
            return await handler(record, **match.groupdict())
        log.warning("discord double: unhandled route %s", record.route)
        self.unhandled_routes.append(record.route)
        return _error(404, 0, "404: Not Found")

    def _fault_response(self, fault: _Fault) -> web.Response:
        if fault.status != 429:
            return _error(fault.status, 0, f"{fault.status}: Internal Server Error")
        headers = {
            "Retry-After": str(max(1, math.ceil(fault.retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + fault.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
            "X-RateLimit-Scope": "global" if fault.is_global else "user",
            # discord.py treats a 429 without "Via" as a Cloudflare ban and does not retry.
            "Via": "1.1 google",
        }
        if fault.is_global:
            headers["X-RateLimit-Global"] = "true"
        return _json_response(
            {
                "message": "You are being rate limited.",
                "retry_after": fault.retry_after,
                "global": fault.is_global,
            },
            429,
            headers,
        )

    def _validate(
        self,
        body: dict[str, Any],
        *,
        has_files: bool = False,
        allow_empty: bool = False,
        files: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        return limits.validate_message(
            body,
            require_allowed_mentions=self.require_allowed_mentions,
            has_files=has_files,
            allow_empty=allow_empty,
            files=files,
        )

    def _invalid_form(
        self, kind: str, record: RequestRecord, errors: dict[str, Any]
    ) -> web.Response:
        if errors.pop("__empty__", None):
            self._violation(kind, "Cannot send an empty message", record.route, record.body)
            return _error(400, 50006, "Cannot send an empty message")
        self._violation(kind, "; ".join(limits.flatten(errors)), record.route, record.body)
        return _error(400, 50035, "Invalid Form Body", errors)

    # ------------------------------------------------------------ identity routes ----

    def _me_payload(self) -> dict[str, Any]:
        return {
            **self.bot_user.payload(),
            "bot": True,
            "verified": True,
            "mfa_enabled": False,
            "locale": "en-US",
            "flags": 0,
            "email": None,
            "banner": None,
            "accent_color": None,
        }

    def _application_flags(self) -> int:
        flags = 1 << 23  # APPLICATION_COMMAND_BADGE
        if self.privileged_intents & INTENT_MESSAGE_CONTENT:
            flags |= 1 << 19  # GATEWAY_MESSAGE_CONTENT_LIMITED
        if self.privileged_intents & INTENT_GUILD_MEMBERS:
            flags |= 1 << 15  # GATEWAY_GUILD_MEMBERS_LIMITED
        return flags

    async def _get_me(self, record: RequestRecord) -> web.Response:
        return _json_response(self._me_payload())

    async def _get_application(self, record: RequestRecord) -> web.Response:
        return _json_response(
            {
                "id": str(self.application_id),
                "name": self.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "hook": True,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "owner": self.owner.payload(),
                "team": None,
                "flags": self._application_flags(),
                "rpc_origins": [],
                "tags": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "role_connections_verification_url": None,
                "approximate_guild_count": len(self.guilds),
                "bot": self.bot_user.payload(),
                "integration_types_config": {str(t): {} for t in sorted(self.install_types)},
            }
        )

    async def _get_gateway(self, record: RequestRecord) -> web.Response:
        return _json_response({"url": self.gateway_url.rstrip("/")})

    async def _get_gateway_bot(self, record: RequestRecord) -> web.Response:
        return _json_response(
            {
                "url": self.gateway_url.rstrip("/"),
                "shards": self.shard_count,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 86_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def _create_dm(self, record: RequestRecord) -> web.Response:
        user = self.get_user(int((record.body or {}).get("recipient_id", 0)))
        if user is None or user.bot:
            self._violation("unknown_user", "DM to an unknown user", record.route, record.body)
            return _error(400, 50007, "Cannot send messages to this user")
        return _json_response(self.dm_channel(user).payload())

    # ------------------------------------------------------------------- commands ----

    async def _put_commands(
        self, record: RequestRecord, app: str, guild: str | None = None
    ) -> web.Response:
        gid = int(guild) if guild is not None else None
        if int(app) != self.application_id:
            self._violation("unknown_application", f"application {app}", record.route)
            return _error(404, 10002, "Unknown Application")
        if gid is not None and self.get_guild(gid) is None:
            self._violation("missing_access", f"guild {gid} is not one of the bot's", record.route)
            return _error(403, 50001, "Missing Access")
        payload = record.body if isinstance(record.body, list) else []
        errors = limits.validate_commands(record.body)
        if errors:
            self.command_syncs.append(CommandSync(gid, payload, [], accepted=False))
            return self._invalid_form("invalid_commands", record, errors)
        current = self.global_commands if gid is None else self.guild_commands.get(gid, [])
        old_ids = {(c.get("type", 1), c["name"]): c["id"] for c in current}
        result = []
        for cmd in payload:
            echoed: dict[str, Any] = {
                "type": 1,
                "description": "",  # context menus have none; Discord echoes it empty
                "default_member_permissions": None,
                "nsfw": False,
                "contexts": None,
                "integration_types": [0],
                "description_localizations": None,
                "name_localizations": None,
                **cmd,
                "id": old_ids.get((cmd.get("type", 1), cmd["name"])) or str(snowflake()),
                "application_id": str(self.application_id),
                "version": str(snowflake()),
            }
            if gid is not None:
                echoed["guild_id"] = str(gid)
            result.append(echoed)
        if gid is None:
            self.global_commands = result
        else:
            self.guild_commands[gid] = result
        self.command_syncs.append(CommandSync(gid, payload, result))
        return _json_response(result)

    async def _get_commands(
        self, record: RequestRecord, app: str, guild: str | None = None
    ) -> web.Response:
        if guild is None:
            return _json_response(self.global_commands)
        return _json_response(self.guild_commands.get(int(guild), []))

    # ------------------------------------------------------------------- messages ----

    def _attachments(self, files: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for f in files:
            aid = snowflake()
            url = f"http://127.0.0.1:{self.port}/attachments/{aid}/{f['filename']}"
            out.append(
                {
                    "id": str(aid),
                    "filename": f["filename"] or "file",
                    "size": f["size"],
                    "url": url,
                    "proxy_url": url,
                    "content_type": f["content_type"],
                }
            )
        return out

    def _bot_message(
        self,
        channel: FakeChannel,
        body: dict[str, Any],
        files: list[dict[str, Any]],
        *,
        interaction: InteractionRecord | None = None,
        flags: int = 0,
    ) -> dict[str, Any]:
        content = body.get("content") or ""
        message: dict[str, Any] = {
            "id": str(snowflake()),
            "channel_id": str(channel.id),
            "author": self.bot_user.payload(),
            "content": content,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [u.payload() for u in self._mentioned_users(content)],
            "mention_roles": [],
            "attachments": (attachments := self._attachments(files)),
            "embeds": _resolve_attachment_urls(
                [{"type": "rich", **e} for e in body.get("embeds") or []], attachments
            ),
            "pinned": False,
            "type": 0,
            "flags": flags | (body.get("flags") or 0) & (FLAG_EPHEMERAL | 4 | 4096),
            "components": body.get("components") or [],
        }
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        ref = body.get("message_reference")
        if ref and interaction is None:
            message["type"] = 19
            # Discord answers with snowflake strings and only these keys, whatever the client
            # sent (discord.py sends integers and `fail_if_not_exists`).
            reference: dict[str, Any] = {
                "type": ref.get("type") or 0,
                "message_id": str(ref["message_id"]),
                "channel_id": str(ref.get("channel_id") or channel.id),
            }
            guild_id = ref.get("guild_id") or channel.guild_id
            if guild_id is not None:
                reference["guild_id"] = str(guild_id)
            message["message_reference"] = reference
            message["referenced_message"] = self._message_index.get(int(ref["message_id"]))
        if interaction is not None:
            message["type"] = 20 if interaction.kind == "command" else 0
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
            user = interaction.payload.get("user") or interaction.payload["member"]["user"]
            metadata: dict[str, Any] = {
                "id": str(interaction.id),
                "type": interaction.payload["type"],
                "user": user,
                "authorizing_integration_owners": interaction.payload[
                    "authorizing_integration_owners"
                ],
            }
            if interaction.kind == "command":
                metadata["name"] = interaction.name
                metadata["command_type"] = interaction.payload["data"].get("type", 1)
                if "target_id" in interaction.payload["data"]:
                    metadata["target_message_id"] = interaction.payload["data"]["target_id"]
            elif "message" in interaction.payload:
                metadata["interacted_message_id"] = interaction.payload["message"]["id"]
            message["interaction_metadata"] = metadata
        self._message_index[int(message["id"])] = message
        return message

    async def _record_bot_message(self, channel: FakeChannel, message: dict[str, Any]) -> None:
        self.messages.append(message)
        self._notifier.notify()
        if not self.echo_bot_messages or message["flags"] & FLAG_EPHEMERAL:
            return
        # Like Discord, the bot receives its own messages over the gateway.
        guild = self.guild_of(channel)
        session = next(
            (
                s
                for s in self._current.values()
                if s.valid and (s.covers_guild(guild.id) if guild else s.shard_id == 0)
            ),
            None,
        )
        needed = INTENT_GUILD_MESSAGES if guild else INTENT_DIRECT_MESSAGES
        if session is None or not session.intents & needed:
            return
        echo = dict(message)
        if guild is not None:
            echo["guild_id"] = str(guild.id)
            echo["member"] = guild.member_payload(self.bot_user, with_user=False)
        async with session.lock:
            await self._emit(session, "MESSAGE_CREATE", echo)

    def _check_flood(self, record: RequestRecord, channel: FakeChannel) -> web.Response | None:
        if len(self.messages_in(channel)) >= self.max_messages_per_channel:
            self._violation(
                "message_flood",
                f"more than {self.max_messages_per_channel} messages in one channel "
                "(does the bot answer its own messages?)",
                record.route,
            )
            return _error(429, 20028, "The channel has hit the write rate limit.")
        return None

    async def _get_channel(self, record: RequestRecord, channel: str) -> web.Response:
        found = self.get_channel(int(channel))
        if found is None:
            self._violation("unknown_channel", f"channel {channel}", record.route)
            return _error(404, 10003, "Unknown Channel")
        return _json_response(found.payload())

    async def _post_message(self, record: RequestRecord, channel: str) -> web.Response:
        target = self.get_channel(int(channel))
        if target is None:
            self._violation("unknown_channel", f"channel {channel}", record.route, record.body)
            return _error(404, 10003, "Unknown Channel")
        body = record.body if isinstance(record.body, dict) else {}
        errors = self._validate(body, files=record.files)
        if errors:
            return self._invalid_form("invalid_message", record, errors)
        flood = self._check_flood(record, target)
        if flood is not None:
            return flood
        message = self._bot_message(target, body, record.files)
        await self._record_bot_message(target, message)
        return _json_response(message)

    async def _patch_message(
        self, record: RequestRecord, channel: str, message: str
    ) -> web.Response:
        existing = self._message_index.get(int(message))
        if existing is None or existing["channel_id"] != channel:
            self._violation("unknown_message", f"message {message}", record.route, record.body)
            return _error(404, 10008, "Unknown Message")
        if existing["author"]["id"] != str(self.bot_user.id):
            self._violation("edit_foreign_message", f"message {message}", record.route)
            return _error(403, 50005, "Cannot edit a message authored by another user")
        body = record.body if isinstance(record.body, dict) else {}
        errors = self._validate(body, allow_empty=True, files=record.files)
        if errors:
            return self._invalid_form("invalid_message", record, errors)
        self.message_edits.append(body)
        self._apply_edit(existing, body, record.files)
        return _json_response(existing)

    def _apply_edit(
        self, message: dict[str, Any], body: dict[str, Any], files: list[dict[str, Any]]
    ) -> None:
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ("" if key == "content" else [])
                )
        if "content" in body:
            message["mentions"] = [u.payload() for u in self._mentioned_users(message["content"])]
        if "attachments" in body or files:
            message["attachments"] = self._attachments(files)
        if "embeds" in body:
            message["embeds"] = _resolve_attachment_urls(
                [{"type": "rich", **e} for e in message["embeds"]], message["attachments"]
            )
        message["flags"] = message.get("flags", 0) & ~FLAG_LOADING
        message["edited_timestamp"] = iso_now()

    async def _delete_message(
        self, record: RequestRecord, channel: str, message: str
    ) -> web.Response:
        if self._message_index.pop(int(message), None) is None:
            self._violation("unknown_message", f"message {message}", record.route)
            return _error(404, 10008, "Unknown Message")
        return _no_content()

    async def _typing(self, record: RequestRecord, channel: str) -> web.Response:
        if self.get_channel(int(channel)) is None:
            self._violation("unknown_channel", f"channel {channel}", record.route)
            return _error(404, 10003, "Unknown Channel")
        return _no_content()

    async def _add_reaction(
        self, record: RequestRecord, channel: str, message: str, emoji: str
    ) -> web.Response:
        if self._message_index.get(int(message)) is None:
            self._violation("unknown_message", f"message {message}", record.route)
            return _error(404, 10008, "Unknown Message")
        self.reactions.append(
            {
                "channel_id": int(channel),
                "message_id": int(message),
                "emoji": urllib.parse.unquote(emoji),
            }
        )
        return _no_content()

    async def _remove_reaction(
        self, record: RequestRecord, channel: str, message: str, emoji: str
    ) -> web.Response:
        wanted = {
            "channel_id": int(channel),
            "message_id": int(message),
            "emoji": urllib.parse.unquote(emoji),
        }
        self.reactions = [r for r in self.reactions if r != wanted]
        return _no_content()

    # --------------------------------------------------------------- interactions ----

    def _interaction_channel(self, record: InteractionRecord) -> FakeChannel:
        channel = self.get_channel(int(record.payload["channel_id"]))
        assert channel is not None
        return channel

    async def _interaction_callback(
        self, record: RequestRecord, iid: str, token: str
    ) -> web.Response:
        loop = asyncio.get_running_loop()
        now = loop.time()
        interaction = self.interactions.get(int(iid))
        body = record.body if isinstance(record.body, dict) else {}
        if interaction is None or interaction.token != token:
            self._violation("unknown_interaction", f"interaction {iid}", record.route, body)
            return _error(404, 10062, "Unknown interaction")
        if interaction.response is not None:
            interaction.rejected_callbacks.append(body)
            self._violation(
                "interaction_already_acknowledged",
                f"/{interaction.name} ({iid}) acknowledged twice",
                record.route,
                body,
            )
            return _error(400, 40060, "Interaction has already been acknowledged.")
        assert interaction.dispatched_at is not None
        if now - interaction.dispatched_at > interaction.deadline:
            interaction.rejected_callbacks.append(body)
            if not interaction.timeout_recorded:
                interaction.timeout_recorded = True
                self._violation(
                    "interaction_not_acknowledged",
                    f"/{interaction.name} ({iid}) acknowledged after "
                    f"{now - interaction.dispatched_at:.2f}s (limit {interaction.deadline:.1f}s)",
                    record.route,
                    body,
                )
            return _error(404, 10062, "Unknown interaction")
        ctype = body.get("type")
        data = body.get("data") or {}
        if ctype not in ALLOWED_CALLBACKS[interaction.kind]:
            interaction.rejected_callbacks.append(body)
            errors = {
                "type": {
                    "_errors": [
                        {
                            "code": "INTERACTION_CALLBACK_TYPE_INVALID",
                            "message": (
                                f"Callback type {ctype} is not valid for a {interaction.kind}."
                            ),
                        }
                    ]
                }
            }
            return self._invalid_form("invalid_interaction_response", record, errors)
        if ctype == CALLBACK_MESSAGE:
            errors = self._validate(data, files=record.files)
        elif ctype == CALLBACK_UPDATE:
            errors = self._validate(data, allow_empty=True, files=record.files)
        elif ctype == CALLBACK_AUTOCOMPLETE:
            errors = limits.validate_choices(data.get("choices"))
        else:
            errors = {}
        if errors:
            interaction.rejected_callbacks.append(body)
            nested = {"data": errors} if "__empty__" not in errors else errors
            return self._invalid_form("invalid_interaction_response", record, nested)

        interaction.response = body
        interaction.acked_at = now
        interaction.uploads += record.files
        channel = self._interaction_channel(interaction)
        ephemeral = bool((data.get("flags") or 0) & FLAG_EPHEMERAL)
        message = None
        if ctype == CALLBACK_MESSAGE:
            message = self._bot_message(channel, data, record.files, interaction=interaction)
        elif ctype == CALLBACK_DEFERRED:
            message = self._bot_message(
                channel,
                {"flags": data.get("flags") or 0},
                [],
                interaction=interaction,
                flags=FLAG_LOADING,
            )
        elif ctype in (CALLBACK_UPDATE, CALLBACK_DEFERRED_UPDATE):
            # The original response of a component interaction is the message it is on.
            message = self._message_index.get(int(interaction.payload["message"]["id"]))
            interaction.original = message
            if message is not None and ctype == CALLBACK_UPDATE:
                self._apply_edit(message, data, record.files)
                self.message_edits.append(data)
            message = None if ctype == CALLBACK_DEFERRED_UPDATE else message
        if message is not None and ctype in (CALLBACK_MESSAGE, CALLBACK_DEFERRED):
            interaction.original = message
            interaction.messages[int(message["id"])] = message
            await self._record_bot_message(channel, message)
        self._notifier.notify()
        if record.query.get("with_response") not in ("1", "true", "True"):
            return _no_content()
        result: dict[str, Any] = {
            "interaction": {
                "id": str(interaction.id),
                "type": interaction.payload["type"],
                "activity_instance_id": None,
                "response_message_id": message["id"] if message else None,
                "response_message_loading": ctype in (CALLBACK_DEFERRED, CALLBACK_DEFERRED_UPDATE),
                "response_message_ephemeral": ephemeral,
            }
        }
        resource: dict[str, Any] = {"type": ctype}
        if message is not None:
            resource["message"] = message
        result["resource"] = resource
        return _json_response(result)

    def _webhook_interaction(
        self, record: RequestRecord, app: str, token: str
    ) -> InteractionRecord | web.Response:
        interaction = self._by_token.get(token)
        if int(app) != self.application_id or interaction is None:
            self._violation(
                "unknown_webhook",
                "unknown application or interaction token",
                record.route,
                record.body,
            )
            return _error(404, 10015, "Unknown Webhook")
        if interaction.response is None:
            self._violation(
                "webhook_before_ack",
                f"/{interaction.name}: follow-up/edit before the interaction was acknowledged",
                record.route,
                record.body,
            )
            return _error(404, 10015, "Unknown Webhook")
        return interaction

    def _webhook_target(
        self, interaction: InteractionRecord, message: str
    ) -> dict[str, Any] | None:
        if message == "@original":
            return None if interaction.original_deleted else interaction.original
        return interaction.messages.get(int(message))

    async def _post_followup(self, record: RequestRecord, app: str, token: str) -> web.Response:
        found = self._webhook_interaction(record, app, token)
        if isinstance(found, web.Response):
            return found
        interaction = found
        body = record.body if isinstance(record.body, dict) else {}
        errors = self._validate(body, files=record.files)
        if errors:
            return self._invalid_form("invalid_followup", record, errors)
        interaction.followups.append(body)
        interaction.uploads += record.files
        original = interaction.original
        if (
            original is not None
            and original["flags"] & FLAG_LOADING
            and not interaction.original_deleted
        ):
            # Discord: the first follow-up after a deferral replaces the "thinking" message.
            self._apply_edit(original, body, record.files)
            message = original
        else:
            channel = self._interaction_channel(interaction)
            message = self._bot_message(channel, body, record.files, interaction=interaction)
            interaction.messages[int(message["id"])] = message
            await self._record_bot_message(channel, message)
        self._notifier.notify()
        if record.query.get("wait") in ("true", "True", "1"):
            return _json_response(message)
        return _no_content()

    async def _get_webhook_message(
        self, record: RequestRecord, app: str, token: str, message: str
    ) -> web.Response:
        found = self._webhook_interaction(record, app, token)
        if isinstance(found, web.Response):
            return found
        target = self._webhook_target(found, message)
        if target is None:
            self._violation("unknown_message", f"webhook message {message}", record.route)
            return _error(404, 10008, "Unknown Message")
        return _json_response(target)

    async def _patch_webhook_message(
        self, record: RequestRecord, app: str, token: str, message: str
    ) -> web.Response:
        found = self._webhook_interaction(record, app, token)
        if isinstance(found, web.Response):
            return found
        interaction = found
        target = self._webhook_target(interaction, message)
        if target is None:
            self._violation(
                "unknown_message", f"webhook message {message}", record.route, record.body
            )
            return _error(404, 10008, "Unknown Message")
        body = record.body if isinstance(record.body, dict) else {}
        errors = self._validate(body, allow_empty=True, files=record.files)
        if errors:
            return self._invalid_form("invalid_edit", record, errors)
        interaction.edits.append(body)
        interaction.uploads += record.files
        self._apply_edit(target, body, record.files)
        self._notifier.notify()
        return _json_response(target)

    async def _delete_webhook_message(
        self, record: RequestRecord, app: str, token: str, message: str
    ) -> web.Response:
        found = self._webhook_interaction(record, app, token)
        if isinstance(found, web.Response):
            return found
        target = self._webhook_target(found, message)
        if target is None:
            self._violation("unknown_message", f"webhook message {message}", record.route)
            return _error(404, 10008, "Unknown Message")
        if message == "@original":
            found.original_deleted = True
        else:
            found.messages.pop(int(message), None)
        return _no_content()
