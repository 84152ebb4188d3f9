"""👍/👎 buttons under answers, and what a click does.

The buttons are discord.py `DynamicItem`s: the vote and the answer's id are in the signed
custom_id (`bot.storage.feedback`), so a click is understood after a restart or by another
process sharing the secret, with nothing kept in memory per message. A click is checked
(a forged or stale id gets a polite ephemeral refusal), then queued as a `VoteRecord`:
one vote per person per answer, under a salted hash of their id; clicking the other
button changes it. The row is one of the bot's `component_rows`, under the steps.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.discord_app.components import ComponentContext, RowBuilder, invites_feedback
from bot.discord_app.layout import Button
from bot.discord_app.replies import acknowledged, say
from bot.i18n import words as W
from bot.i18n.localize import LocalizedAnswer, Localizer
from bot.storage.feedback import PREFIX, Ballot, FeedbackKeys
from bot.storage.records import DOWN, UP, VoteRecord

if TYPE_CHECKING:
    from bot.discord_app.client import KCBot

log = logging.getLogger(__name__)

_EMOJI = {UP: "👍", DOWN: "👎"}


@dataclass(frozen=True, slots=True)
class FeedbackDesk:
    """What the buttons need from the bot: the keys, and where votes go."""

    keys: FeedbackKeys
    submit: Callable[[VoteRecord], bool]
    clock: Callable[[], float] = time.time

    def record(self, ballot: Ballot, user_id: int) -> bool:
        """Queue the vote; False when it could not even be queued."""
        vote = VoteRecord(ballot.answer_id, self.keys.voter(user_id), ballot.vote, self.clock())
        return bool(self.submit(vote))


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button],
    # Anything that starts like one of ours: the click is answered (and refused if forged)
    # rather than left unacknowledged.
    template=f"{PREFIX}(?P<rest>.*)",
):
    """A click on 👍 or 👎 (the buttons themselves are sent as `feedback_rows` lays them out)."""

    def __init__(self, custom_id: str) -> None:
        super().__init__(discord.ui.Button(custom_id=custom_id))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> FeedbackButton:
        return cls(str(getattr(item, "custom_id", "")))

    async def callback(self, interaction: discord.Interaction) -> None:
        await on_vote(interaction, self.custom_id)


async def on_vote(interaction: discord.Interaction, custom_id: str) -> None:
    bot: KCBot = interaction.client  # type: ignore[assignment]
    desk: FeedbackDesk | None = getattr(bot.services, "feedback", None)
    ballot = desk.keys.read(custom_id) if desk is not None else None
    if desk is None:
        text = say(interaction, W.FEEDBACK_UNAVAILABLE())
    elif ballot is None:
        log.info("refused a feedback button this deployment did not sign: %.100r", custom_id)
        text = say(interaction, W.FEEDBACK_INVALID())
    elif desk.record(ballot, interaction.user.id):
        bot.services.metrics.votes.labels("up" if ballot.vote == UP else "down").inc()
        thanks = W.FEEDBACK_THANKS_UP if ballot.vote == UP else W.FEEDBACK_THANKS_DOWN
        text = say(interaction, thanks())
    else:
        text = say(interaction, W.FEEDBACK_UNAVAILABLE())
    await interaction.response.send_message(
        text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
    )
    acknowledged(interaction)


def _labels(localizer: Localizer, lang: str) -> tuple[str, str]:
    """The two buttons' words in `lang` (remembered by the localizer, which a reload
    replaces)."""
    return localizer.text(W.FEEDBACK_UP(), lang), localizer.text(W.FEEDBACK_DOWN(), lang)


def feedback_rows(bot: KCBot) -> RowBuilder:
    """The 👍/👎 row under every answer, as one of the bot's `component_rows` (so the
    five-row budget of `bot.discord_app.components.build_view` covers it too): none when the
    bot keeps no feedback, under a reply that is no answer to rate (help, about, a greeting,
    a decline), or for a reply that has no log id."""

    def rows(reply: LocalizedAnswer, context: ComponentContext) -> list[list[Button]]:
        desk: FeedbackDesk | None = getattr(bot.services, "feedback", None)
        if desk is None or context.answer_id is None or not invites_feedback(reply):
            return []
        labels = _labels(bot.app.localizer, reply.lang)
        return [
            [
                Button(
                    desk.keys.custom_id(Ballot(vote, context.answer_id)),
                    label,
                    discord.ButtonStyle.secondary,
                    _EMOJI[vote],
                )
                for vote, label in zip((UP, DOWN), labels, strict=True)
            ]
        ]

    return rows
