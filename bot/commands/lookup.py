"""/contact, /region, /stage and /field: structured look-ups with autocompleted options."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_app.cog import AnswerCog, to_choices

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

STAGE_CHOICES = [
    app_commands.Choice(name="First stage (from 2002)", value="first"),
    app_commands.Choice(name="Second stage (from 2007)", value="second"),
]
STATUS_CHOICES = [
    app_commands.Choice(name="Active", value="active"),
    app_commands.Choice(name="Ended", value="ended"),
]


class Lookup(AnswerCog):
    """Look-ups by region, stage and field."""

    @app_commands.command()
    @app_commands.describe(region="A cluster or a place, e.g. Sapporo, Kansai, Hamamatsu")
    async def contact(self, interaction: discord.Interaction, region: str) -> None:
        """Core organization and contact details of a region's cluster."""
        if await self.reject_if_too_long(interaction, region):
            return
        # The engine validates the value again: users can type anything, not just a choice.
        await self.answer(interaction, "contact", region)

    @app_commands.command()
    @app_commands.describe(name="A cluster or a place, e.g. Fukuoka, Nagano, Kyoto")
    async def region(self, interaction: discord.Interaction, name: str) -> None:
        """Overview of a cluster, or of every cluster a place heads."""
        if await self.reject_if_too_long(interaction, name):
            return
        await self.answer(interaction, "region", name)

    @app_commands.command()
    @app_commands.describe(stage="First or second stage", status="Only active or only ended")
    @app_commands.choices(stage=STAGE_CHOICES, status=STATUS_CHOICES)
    async def stage(
        self,
        interaction: discord.Interaction,
        stage: app_commands.Choice[str],
        status: app_commands.Choice[str] | None = None,
    ) -> None:
        """Clusters of a stage, grouped by status, with their fields."""
        await self.answer(
            interaction, "stage", stage.value, status=status.value if status else None
        )

    @app_commands.command()
    @app_commands.describe(field="A key field, e.g. Life Sciences, IT, Environment, Nanotech")
    async def field(self, interaction: discord.Interaction, field: str) -> None:
        """Clusters working in a key field, by stage."""
        if await self.reject_if_too_long(interaction, field):
            return
        await self.answer(interaction, "field", field)

    @contact.autocomplete("region")
    async def _complete_contact(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self._complete_region(interaction, current)

    @region.autocomplete("name")
    async def _complete_name(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self._complete_region(interaction, current)

    @field.autocomplete("field")
    async def _complete_field(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        current = current[: self.bot.settings.max_question_length]
        app = self.bot.app
        choices = app.engine.complete_field(current, limit=25)
        return to_choices(choices, app.localizer, self.choice_language(interaction, current))

    def _complete_region(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        current = current[: self.bot.settings.max_question_length]
        app = self.bot.app
        choices = app.engine.complete_region(current, limit=25)
        return to_choices(choices, app.localizer, self.choice_language(interaction, current))


async def setup(bot: KCBot) -> None:
    await bot.add_cog(Lookup(bot))
