"""Shared pytest setup: the repository root on sys.path, and the Discord double fixture."""

import sys
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:  # so `bot` and `tests.discord_double` import under plain `pytest`
    sys.path.insert(0, _ROOT)


@pytest.fixture
async def discord_double():
    """A started ``tests.discord_double.DiscordDouble`` (defaults), stopped afterwards."""
    from tests.discord_double import DiscordDouble

    async with DiscordDouble() as double:
        yield double
