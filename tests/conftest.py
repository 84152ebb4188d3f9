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


@pytest.fixture(scope="session", autouse=True)
def private_data_dir(tmp_path_factory):
    """The question log and the feedback secret of bots started by the tests go to a
    temporary data directory, never the user's (bots built from a plain mapping of
    settings fall back to $XDG_DATA_HOME, so that is private too)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_DIR", str(tmp_path_factory.mktemp("data")))
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
        patch.delenv("STATE_DIRECTORY", raising=False)
        patch.delenv("DATABASE_URL", raising=False)
        yield
