"""The Discord client: settings and knowledge come in through the constructor, nothing global.

`create_bot(settings, knowledge, **client_options)` builds a ready-to-start bot; extra client
options (`guild_ready_timeout`, `http_trace`, a test `connector`, ...) go straight to
discord.py so a gateway double can drive the real client.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Application, Knowledge
from bot.config import Settings
from bot.conversations import ConversationStore
from bot.discord_app.backlog import InteractionBacklog
from bot.discord_app.components import DYNAMIC_ITEMS, RowBuilder
from bot.discord_app.feedback import feedback_rows
from bot.discord_app.limits import UserCooldown
from bot.discord_app.replies import report_failure
from bot.discord_app.services import BotServices
from bot.discord_app.sources import SourcesButton, sources_row
from bot.discord_app.stopping import STOP_GRACE_SECONDS, finish_running
from bot.discord_app.translator import CatalogueTranslator, use_catalogue_defaults
from bot.ops.engines import EngineSource
from bot.ops.isolated import IsolatedLoader, ReloadInProgress, ReloadTimedOut, stop_all_builds

if TYPE_CHECKING:
    from bot.discord_app.clicks import StepAction
    from bot.engine import Engine

log = logging.getLogger(__name__)

RELOAD_GRACE_SECONDS = 5.0
# HTTP connections to Discord at most (discord.py's default has no limit). A burst's 1,000
# acknowledgements then share these instead of opening (and, with Discord, TLS-handshaking)
# one connection each: in the burst benchmark the bot's CPU per interaction fell by about
# a seventh and its slowest acknowledgement with it.
HTTP_CONNECTIONS = 100
YOUNG_OBJECTS = 7000  # see `KCBot.on_ready`

# One module per command group; each is loaded on its own so one broken module does not
# stop the others.
EXTENSIONS: tuple[str, ...] = (
    "bot.commands.lookup",
    "bot.commands.ask",
    "bot.commands.info",
    "bot.commands.maps",
    "bot.commands.admin",
    "bot.commands.free_text",
    "bot.commands.report",
)


# What the bot needs in a channel: see it, answer (also in threads), show embeds, and reply
# to a message (a reply references it, which needs Read Message History).
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
)
INVITE_SCOPES = ("bot", "applications.commands")

# Where the commands may be installed and used (each command may narrow it, as /reload
# does): in servers and on users' accounts, so /ask and the message menu work in DMs and
# in servers without the bot too. The portal's Installation tab must allow both installs
# (docs/discord.md).
INSTALLS = app_commands.AppInstallationType(guild=True, user=True)
CONTEXTS = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)


def invite_url(application_id: int) -> str:
    """The OAuth2 link that adds the bot to a server with its commands and permissions."""
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, scopes=INVITE_SCOPES
    )


def build_intents(settings: Settings) -> discord.Intents:
    """Default intents, plus Message Content only when free text beyond mentions/DMs needs it."""
    intents = discord.Intents.default()
    intents.message_content = settings.wants_message_content
    # Typing events are never used; not receiving them saves gateway traffic.
    intents.typing = False
    return intents


def engine_source(settings: Settings, knowledge_dir: str | None = None) -> EngineSource:
    """Where the knowledge comes from: `knowledge_dir` (the command line) wins over the
    setting."""
    return EngineSource(
        directory=knowledge_dir or settings.knowledge_dir,
        limits=settings.read_limits,
        cache=settings.engine_cache,
    )


class KCTree(app_commands.CommandTree):
    """Command tree whose errors always end in an ephemeral reply and a log line."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        await report_failure(interaction, error)


class KCBot(commands.AutoShardedBot):
    """Answers questions about the Knowledge Cluster Initiative with slash commands and text.

    Every answer goes through `app`, the one application pipeline. Its knowledge (engine
    and catalogues) is swapped whole by `reload_knowledge`; a request reads it once, so a
    reload takes effect for the next question and never half-way through one.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        knowledge: Knowledge,
        knowledge_loader: Callable[[], Knowledge] | None = None,
        extensions: Sequence[str] = EXTENSIONS,
        sync_dev_guild: bool = True,
        services: bool = True,
        freeze_when_ready: bool = False,
        **client_options: Any,
    ) -> None:
        client_options.setdefault("intents", build_intents(settings))
        if settings.shard_count is not None:
            client_options.setdefault("shard_count", settings.shard_count)
        if settings.shard_ids is not None:
            client_options.setdefault("shard_ids", list(settings.shard_ids))
        # No reply of this bot may ever ping anyone, whatever a caller passes.
        client_options["allowed_mentions"] = discord.AllowedMentions.none()
        # Nothing reads discord.py's message cache (the bot handles no edits, deletions or
        # reactions): without it, the messages the gateway sends, the bot's own replies among
        # them, are not kept (1,000 by default, with their embeds and components).
        client_options.setdefault("max_messages", None)
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            tree_cls=KCTree,
            owner_ids=set(settings.owner_ids),
            allowed_installs=INSTALLS,
            allowed_contexts=CONTEXTS,
            **client_options,
        )
        self.settings = settings
        conversations = ConversationStore(
            settings.conversation_idle_seconds, settings.conversation_max
        )
        self.app = Application(knowledge, conversations=conversations)
        self.knowledge_loader = knowledge_loader or IsolatedLoader(
            engine_source(settings), settings.reload_timeout_seconds
        )
        self.command_cooldown = UserCooldown(
            settings.command_cooldown_rate, settings.command_cooldown_seconds
        )
        self.free_text_cooldown = UserCooldown(
            settings.free_text_cooldown_rate, settings.free_text_cooldown_seconds
        )
        # Interactions as the gateway delivers them: a burst's are deferred first.
        self.backlog = InteractionBacklog()
        # Rows of components other features add under every answer (feedback, sources),
        # and the steps they answer themselves (e.g. "map"): see bot.discord_app.components.
        self.component_rows: list[RowBuilder] = [sources_row(self)]
        self.step_actions: dict[str, StepAction] = {}
        self.extensions_to_load = tuple(extensions)
        self.failed_extensions: dict[str, BaseException] = {}
        self.sync_dev_guild = sync_dev_guild
        self.freeze_when_ready = freeze_when_ready
        self._reload_lock = asyncio.Lock()
        # /reload's own thread, so that it never waits behind /map drawings (which use the
        # loop's default executor) however many are queued.
        self._reload_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kcbot-reload")
        self.stop_grace_seconds = STOP_GRACE_SECONDS
        self._stopping: asyncio.Future[None] | None = None
        # The question log, feedback, metrics and /healthz; off for `sync`, which only logs in.
        self.services = BotServices(self, enabled=services)
        self.component_rows.append(feedback_rows(self))  # 👍/👎, when feedback is kept

    async def setup_hook(self) -> None:
        await self.services.start()  # before the commands, which read the feedback desk
        # Command names, descriptions and choices in each catalogue's language.
        await self.tree.set_translator(CatalogueTranslator(self.app))
        # Buttons and menus of any earlier message, whichever process sent it.
        self.add_dynamic_items(*DYNAMIC_ITEMS, SourcesButton)
        for name in self.extensions_to_load:
            try:
                await self.load_extension(name)
            except commands.ExtensionError as exc:
                self.failed_extensions[name] = exc
                log.exception("could not load extension %s; the others still run", name)
        use_catalogue_defaults(self.tree, self.app)
        if self.sync_dev_guild and self.settings.dev_guild_id is not None:
            await self.sync_commands(self.settings.dev_guild_id)

    async def sync_commands(self, guild_id: int | None = None) -> list[app_commands.AppCommand]:
        """Publish the slash commands: to one guild (instantly) or globally.

        Called explicitly (`python -m bot sync`) or for `DEV_GUILD_ID` at start-up; never
        globally on every start, which Discord rate-limits and propagates slowly.
        """
        if guild_id is None:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))
            return synced
        guild = discord.Object(id=guild_id)
        self.tree.copy_global_to(guild=guild)
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.HTTPException:
            log.exception("could not sync commands to guild %s (is the bot in it?)", guild_id)
            return []
        log.info("synced %d commands to guild %s", len(synced), guild_id)
        return synced

    async def login(self, token: str) -> None:
        # The connector is made here, in the running loop (aiohttp requires one), unless a
        # caller passed its own: discord.py makes its session from `http.connector` now.
        if self.http.connector is discord.utils.MISSING:
            self.http.connector = aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)
        await super().login(token)

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        # discord.py dispatches "interaction" while parsing INTERACTION_CREATE, after it
        # scheduled the handler's task and before any handler runs: the moment of arrival.
        if event_name == "interaction" and args:
            self.backlog.arrived(args[0])
        super().dispatch(event_name, *args, **kwargs)

    async def on_message(self, message: discord.Message, /) -> None:
        # There are no prefix commands; free text is handled by the free_text cog's listener.
        # Without this override `commands.Bot` would log CommandNotFound for "@bot what ...".
        return

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "ready as %s (id %s) in %d guilds, %d shards",
            user,
            user.id if user else None,
            len(self.guilds),
            self.shard_count or 1,
        )
        if self.application_id is not None:
            log.info("invite link: %s", invite_url(self.application_id))
        if self.freeze_when_ready:
            self.freeze_when_ready = False
            # What exists once the bot is first ready (modules, the knowledge, discord.py's
            # guilds and channels) lives as long as the process: the collector stops walking
            # it on every full collection (each a pause of tens of ms on the event loop), as
            # `bot.ops.pickling` does for a reloaded engine. Once: objects alive now and
            # garbage later, in cycles, would never be collected.
            gc.collect()
            gc.freeze()
            # An answer makes a few thousand short-lived objects: the youngest generation is
            # collected after YOUNG_OBJECTS of them rather than Python's 700 (a tenth as many
            # collections; in bursts about a third less of the collector's time).
            gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])

    def is_admin(self, interaction: discord.Interaction) -> bool:
        """Owner ids from the configuration, or Manage Server where the command is used."""
        if interaction.user.id in self.settings.owner_ids:
            return True
        return interaction.guild_id is not None and interaction.permissions.manage_guild

    @property
    def engine(self) -> Engine:
        """The live engine (read-only: reloads replace the whole knowledge)."""
        return self.app.engine

    async def reload_knowledge(self) -> Knowledge:
        """Build new knowledge off the event loop; swap it in only if building succeeded.

        The default loader builds in a child process (see `bot.ops.isolated`), so even a
        large base never stalls the loop. Raises `ReloadInProgress` at once while another
        reload runs, `ReloadTimedOut` past the reload timeout, and whatever the loader raises
        (`KnowledgeBaseError` for an invalid knowledge base or catalogue); the running
        knowledge is then left untouched.
        """
        if self._reload_lock.locked():
            raise ReloadInProgress("a reload is already running")
        async with self._reload_lock:
            # The child process has its own timeout; this one also bounds any other loader.
            timeout = self.settings.reload_timeout_seconds + RELOAD_GRACE_SECONDS
            try:
                loop = asyncio.get_running_loop()
                building = loop.run_in_executor(self._reload_worker, self.knowledge_loader)
                knowledge = await asyncio.wait_for(building, timeout)
            except TimeoutError:
                raise ReloadTimedOut(f"the reload took longer than {timeout:g} s") from None
            self.app.knowledge = knowledge
            return knowledge

    async def close(self) -> None:
        """Stop (`bot.discord_app.stopping`): the gateway first, a few seconds for what is
        being answered, then the HTTP session and the services. Every caller (a signal,
        discord.py, `async with`) awaits the one stop."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def __aexit__(self, *exc_info: object) -> None:
        # discord.py awaits only its own closing once it has begun; the stop goes on after it
        # (the services), and `async with bot` must not end before the question log is out.
        await self.close()

    async def _stop(self) -> None:
        stop_all_builds()  # a reload still building must not keep the process alive
        self._reload_worker.shutdown(wait=False, cancel_futures=True)
        await finish_running(self, self.stop_grace_seconds)
        await super().close()
        # After the gateway and the answers: no new record comes while the log is written.
        await self.services.stop()


def create_bot(
    settings: Settings,
    knowledge: Knowledge,
    *,
    knowledge_loader: Callable[[], Knowledge] | None = None,
    **client_options: Any,
) -> KCBot:
    """A bot ready for `async with bot: await bot.start(token)`; no network until then."""
    return KCBot(
        settings=settings,
        knowledge=knowledge,
        knowledge_loader=knowledge_loader,
        **client_options,
    )
