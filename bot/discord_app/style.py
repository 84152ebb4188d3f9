"""What a reply's colour means: the key field it is about, else the kind of reply.

A reply about exactly one key field takes that field's colour (knowledge/fields.yaml) and
its emoji on the title. Any other reply is coloured by its kind, so a glance tells an
answer about clusters from one about the programme, a question back ("did you mean …?")
from a refusal. Declines (nothing answered, nothing asked back) are neutral grey, and have
no title either.
"""

from __future__ import annotations

from collections.abc import Mapping

import discord

from bot.engine.answer import Intent, Ref
from bot.i18n.localize import LocalizedAnswer
from bot.kb.model import KeyField

CLUSTERS_COLOUR = discord.Colour(0x1ABC9C)  # teal: clusters, places, listings, counts, maps
PROGRAMME_COLOUR = discord.Colour(0xD35400)  # dark orange: the initiative itself, about, help
CLARIFY_COLOUR = discord.Colour(0xF1C40F)  # yellow: a question back ("did you mean …?")
NEUTRAL_COLOUR = discord.Colour(0x5D6D7E)  # slate grey: declines, notices

# Replies about clusters' key fields (their lists, cards and counts): coloured by the field
# when there is one. A contact, a page or a stage is not about fields, whatever the cluster.
FIELD_INTENTS = frozenset(
    {Intent.FIELDS, Intent.REGION, Intent.BY_FIELD, Intent.BY_STAGE, Intent.COUNT, Intent.MAP}
)
PROGRAMME_INTENTS = frozenset(
    {Intent.FAQ, Intent.BUDGET, Intent.ABOUT, Intent.HELP, Intent.GREETING, Intent.CONTENTS}
)


def kind_colour(answer: LocalizedAnswer) -> discord.Colour:
    intent = answer.intent
    if intent is Intent.CLARIFY:
        return CLARIFY_COLOUR
    if intent in (Intent.HELP, Intent.GREETING):
        return PROGRAMME_COLOUR
    if not answer.answered:
        return NEUTRAL_COLOUR
    if intent in PROGRAMME_INTENTS:
        return PROGRAMME_COLOUR
    return CLUSTERS_COLOUR


def field_ids_of(answer: LocalizedAnswer) -> tuple[str, ...]:
    """The key fields the answer is about: the field filter of a listing or count, else
    its blocks' fields, else the fields its facts state (a cluster's, given in the lead)."""
    view = answer.answer.map
    if view is not None and view.fields:  # a listing or count filtered by field
        return tuple(view.fields)
    seen: dict[str, None] = {}
    for block in answer.blocks:
        for field_id in block.field_ids:
            seen.setdefault(field_id, None)
    if not seen:
        for fact in answer.answer.facts:
            if fact.attribute == "fields" and isinstance(fact.value, tuple):
                for ref in fact.value:
                    if isinstance(ref, Ref):
                        seen.setdefault(ref.id, None)
    return tuple(seen)


def single_field(answer: LocalizedAnswer, fields: Mapping[str, KeyField]) -> KeyField | None:
    """The one key field an answered reply is about, if it is about exactly one."""
    if not answer.answered or answer.intent not in FIELD_INTENTS:
        return None
    known = [f for f in field_ids_of(answer) if f in fields]
    return fields[known[0]] if len(known) == 1 else None


def answer_colour(answer: LocalizedAnswer, fields: Mapping[str, KeyField]) -> discord.Colour:
    field = single_field(answer, fields)
    if field is not None:
        try:
            return discord.Colour.from_str(field.colour)
        except (ValueError, TypeError):
            pass
    return kind_colour(answer)
