"""/map: the clusters on a map of Japan, as a PNG shown in the reply's embed.

The answer comes through the application pipeline like every command; the picture is drawn
for the answer's `MapView` in a worker thread. A map not yet cached may take more than a
moment on a busy machine, so the interaction is deferred first (Discord allows 3 s for the
first response, 15 minutes for the follow-up); a cached one is sent at once.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.app import Knowledge, Response
from bot.discord_app.clicks import request_for_click, stale_notice
from bot.discord_app.cog import AnswerCog, answer_reply, request_for
from bot.discord_app.custom_ids import StepCall
from bot.discord_app.render import Reply, plain_message
from bot.discord_app.replies import acknowledged, respond, say
from bot.geo.outlines import OutlineDataMissing
from bot.i18n import words as W
from bot.maps.contents import MapFilterError
from bot.maps.fonts import FontMissing
from bot.maps.render import RenderedMap
from bot.maps.service import FILENAME, MapService

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

log = logging.getLogger(__name__)


def with_map(reply: Reply, rendered: RenderedMap) -> dict:
    """The send keywords of `reply` with the PNG attached and shown in its first embed."""
    kwargs = reply.kwargs()
    embeds = kwargs.get("embeds") or [discord.Embed()]
    embeds[0].set_image(url=f"attachment://{FILENAME}")
    kwargs["embeds"] = embeds
    kwargs["file"] = discord.File(
        io.BytesIO(rendered.png), filename=FILENAME, description=rendered.scene.title
    )
    return kwargs


class Maps(AnswerCog):
    """The map of the clusters, as /map and as the "Show on a map" step of other answers."""

    def __init__(self, bot: KCBot) -> None:
        super().__init__(bot)
        self.maps = MapService()

    async def cog_load(self) -> None:
        self.bot.step_actions["map"] = self.show_on_map

    async def cog_unload(self) -> None:
        self.bot.step_actions.pop("map", None)

    @app_commands.command(name="map")
    @app_commands.describe(
        stage="Only the clusters of one stage",
        status="Only the clusters of one status",
        field="Only clusters working in a key field",
    )
    async def map_(
        self,
        interaction: discord.Interaction,
        stage: str | None = None,
        status: str | None = None,
        field: str | None = None,
    ) -> None:
        """The clusters on a map of Japan, coloured by stage and status."""
        if field and await self.reject_if_too_long(interaction, field):
            return
        app = self.bot.app
        knowledge = app.knowledge  # one knowledge base for the answer and its picture
        options = {
            "stage": stage,
            "status": status,
            "field": field,
        }
        response = app.handle(request_for(interaction, "map", "", options))
        if response.answer.map is None:  # an option the engine could not read: it says so
            await respond(interaction, answer_reply(self.bot, response, private=False))
            return
        await self.send_map(interaction, response, knowledge, private=False)

    async def show_on_map(
        self, interaction: discord.Interaction, call: StepCall, private: bool
    ) -> None:
        """The "Show on a map" step of an earlier answer (a listing's filters, a cluster or a
        place), answered through the pipeline as the clicker's next question."""
        app = self.bot.app
        knowledge = app.knowledge
        response = app.handle(request_for_click(interaction, call, app))
        if response.answer.map is None:  # what the button names is gone (a reload)
            await stale_notice(interaction, call)
            return
        await self.send_map(interaction, response, knowledge, private=private)

    async def send_map(
        self,
        interaction: discord.Interaction,
        response: Response,
        knowledge: Knowledge,
        *,
        private: bool,
    ) -> None:
        """The answer with its map: at once when cached, else after a deferral (drawing may
        take longer than Discord's 3 s on a busy machine)."""
        view = response.answer.map
        assert view is not None
        # The map is in this reply already: no "Show on a map" under it.
        reply = answer_reply(self.bot, response, private=private, without=("map",))
        rendered = self.maps.cached(knowledge, view, response.lang)
        if rendered is None:
            await interaction.response.defer(thinking=True, ephemeral=private)
            try:
                rendered = await asyncio.to_thread(self.maps.render, knowledge, view, response.lang)
            except (FontMissing, OutlineDataMissing, MapFilterError):
                log.exception("map could not be drawn (view %s)", view)
                notice = say(interaction, W.DISCORD_MAP_UNAVAILABLE())
                await respond(interaction, plain_message(notice), ephemeral=True)
                return
        kwargs = with_map(reply, rendered)
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs, ephemeral=private)
        else:
            await interaction.response.send_message(**kwargs, ephemeral=private)
            acknowledged(interaction)

    @map_.autocomplete("stage")
    async def _complete_stage(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices_for(interaction, current, "complete_stage")

    @map_.autocomplete("status")
    async def _complete_status(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices_for(interaction, current, "complete_status")

    @map_.autocomplete("field")
    async def _complete_field(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices_for(interaction, current, "complete_field")


async def setup(bot: KCBot) -> None:
    await bot.add_cog(Maps(bot))
