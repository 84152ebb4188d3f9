"""A message's components as plain values, sent as Discord takes them.

Under an answer the buttons and the menu are only a layout: every click is found again
by its custom_id (the `DynamicItem`s of `components`, `sources` and `feedback`), so the
bot never listens on the message itself. `Layout` is the View that discord.py's send
methods take: finished from the start (discord.py keeps nothing of it), it writes its
rows of `Button`s and `Menu`s with discord.py's own serialisation, done once per look
of a button (its words, style and emoji) rather than building item objects per answer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import discord

# Looks of buttons and menus remembered (a pure function of them: nothing to invalidate);
# a knowledge base has a few hundred.
FACES_REMEMBERED = 1024
MENUS_REMEMBERED = 256


@dataclass(frozen=True, slots=True)
class Button:
    """A button: its words, style and emoji, and the custom_id a click brings back."""

    custom_id: str
    label: str | None = None
    style: discord.ButtonStyle = discord.ButtonStyle.secondary
    emoji: str | None = None  # one Unicode emoji, before the label

    def to_dict(self) -> dict[str, Any]:
        return {**_button_face(self.label, self.style, self.emoji), "custom_id": self.custom_id}


@dataclass(frozen=True, slots=True)
class Menu:
    """A select menu: its options as (label, value), the value picked comes back."""

    custom_id: str
    options: tuple[tuple[str, str], ...]
    placeholder: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(_menu(self))


Component = Button | Menu


class Layout(discord.ui.View):
    """Rows of components under a message, for any send method that takes a View."""

    def __init__(self, rows: Iterable[Sequence[Component]]) -> None:
        super().__init__(timeout=None)
        self.rows: tuple[tuple[Component, ...], ...] = tuple(tuple(row) for row in rows)

    def is_finished(self) -> bool:
        # Nothing to wait for: discord.py then neither stores the view nor, under an
        # ephemeral reply, keeps it (and a timer) for 15 minutes.
        return True

    def to_components(self) -> list[dict[str, Any]]:
        return [{"type": 1, "components": [c.to_dict() for c in row]} for row in self.rows]

    @property
    def components(self) -> tuple[Component, ...]:
        """Every button and menu, row by row."""
        return tuple(component for row in self.rows for component in row)


# The dicts below are shared by every message with the same looks: never changed.


@functools.lru_cache(maxsize=FACES_REMEMBERED)
def _button_face(
    label: str | None, style: discord.ButtonStyle, emoji: str | None
) -> dict[str, Any]:
    """discord.py's dict of a button with these looks (the custom_id is the caller's)."""
    button = discord.ui.Button(style=style, label=label, emoji=emoji, custom_id="-")
    return button.to_component_dict()


@functools.lru_cache(maxsize=MENUS_REMEMBERED)
def _menu(menu: Menu) -> dict[str, Any]:
    options = [discord.SelectOption(label=label, value=value) for label, value in menu.options]
    select = discord.ui.Select(
        custom_id=menu.custom_id, placeholder=menu.placeholder, options=options
    )
    return select.to_component_dict()
