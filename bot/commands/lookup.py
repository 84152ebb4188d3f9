"""/contact, /region, /stage and /field: structured look-ups with autocompleted options."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_app.cog import AnswerCog

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot


class Lookup(AnswerCog):
    """Look-ups by region, stage and field."""

    @app_commands.command()
    @app_commands.describe(region="A cluster or a place")
    async def contact(self, interaction: discord.Interaction, region: str) -> None:
        """Core organization and contact details of a region's cluster."""
        if await self.reject_if_too_long(interaction, region):
            return
        # The engine validates the value again: users can type anything, not just a choice.
        await self.answer(interaction, "contact", region)

    @app_commands.command()
    @app_commands.describe(name="A cluster or a place")
    async def region(self, interaction: discord.Interaction, name: str) -> None:
        """Overview of a cluster, or of every cluster a place heads."""
        if await self.reject_if_too_long(interaction, name):
            return
        await self.answer(interaction, "region", name)

    @app_commands.command()
    @app_commands.describe(stage="A stage of the programme", status="Only clusters of one status")
    async def stage(
        self,
        interaction: discord.Interaction,
        stage: str,
        status: str | None = None,
    ) -> None:
        """Clusters of a stage, grouped by status, with their fields."""
        # The stages and statuses are the knowledge base's: offered by autocomplete, and
        # whatever is typed is checked by the engine.
        for value in (stage, status):
            if value and await self.reject_if_too_long(interaction, value):
                return
        await self.answer(interaction, "stage", stage, status=status)

    @app_commands.command()
    @app_commands.describe(field="A key field")
    async def field(self, interaction: discord.Interaction, field: str) -> None:
        """Clusters working in a key field, by stage."""
        if await self.reject_if_too_long(interaction, field):
            return
        await self.answer(interaction, "field", field)

    @contact.autocomplete("region")
    async def _complete_contact(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices_for(interaction, current, "complete_region")

    @region.autocomplete("name")
    async def _complete_name(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices_for(interaction, current, "complete_region")

    @stage.autocomplete("stage")
    async def _complete_stage(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices_for(interaction, current, "complete_stage")

    @stage.autocomplete("status")
    async def _complete_status(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices_for(interaction, current, "complete_status")

    @field.autocomplete("field")
    async def _complete_field(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices_for(interaction, current, "complete_field")


async def setup(bot: KCBot) -> None:
    await bot.add_cog(Lookup(bot))
