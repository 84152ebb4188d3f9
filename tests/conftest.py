"""Shared pytest setup: the repository root on sys.path, and the Discord double fixture."""

import sys
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:  # so `bot` and `tests.discord_double` import under plain `pytest`
    sys.path.insert(0, _ROOT)


@pytest.fixture(scope="session", autouse=True)
def private_engine_cache(tmp_path_factory):
    """Engines built by the tests are cached in a temporary directory, never the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ENGINE_CACHE_DIR", str(tmp_path_factory.mktemp("engine-cache")))
        # Tests that clear the settings fall back to the usual location: keep that private too.
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        patch.delenv("CACHE_DIRECTORY", raising=False)
        yield


@pytest.fixture
def kb_copy(tmp_path):
    """A writable copy of the shipped knowledge base's files."""
    import shutil

    from bot.kb.loader import FILES
    from bot.kb.paths import shipped_knowledge_dir

    target = tmp_path / "knowledge"
    target.mkdir()
    for name in FILES:
        shutil.copyfile(shipped_knowledge_dir() / name, target / name)
    return target


@pytest.fixture
async def discord_double():
    """A started ``tests.discord_double.DiscordDouble`` (defaults), stopped afterwards."""
    from tests.discord_double import DiscordDouble

    async with DiscordDouble() as double:
        yield double


@pytest.fixture
async def double(discord_double):
    """The end-to-end tests' name for `discord_double`."""
    return discord_double


@pytest.fixture(scope="module")
def knowledge():
    """The shipped knowledge (engine and catalogues), built once per test session."""
    from tests.support import shipped_knowledge

    return shipped_knowledge()


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


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for the session (`tests/postgres_server.py`).

    Skipped, with the reason, only where no server binaries are installed; in CI (where
    `.ci/run` installs Debian's postgresql package) their absence is a failure instead.
    """
    import os

    from tests.postgres_server import PostgresUnavailable, ThrowawayPostgres

    try:
        server = ThrowawayPostgres()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {exc}")
        pytest.skip(str(exc))
    with server:
        yield server


@pytest.fixture
async def postgres_url(postgres_server):
    """The URL of a new, empty database on the session's PostgreSQL server."""
    return await postgres_server.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request, tmp_path):
    """A `DatabaseTarget` for a fresh database of each kind: a SQLite file, and a database
    on the real PostgreSQL server (the same storage tests run against both)."""
    from bot.storage.urls import parse_database_url, sqlite_target

    if request.param == "sqlite":
        return sqlite_target(tmp_path / "log.sqlite3")
    url = await request.getfixturevalue("postgres_server").create_database()
    return parse_database_url(url, tmp_path)


@pytest.fixture(autouse=True)
def root_logging_restored():
    """Whatever handlers a test's code installs on the root logger (the runner's, the
    console's) are removed after it: a handler left on a closed capture stream would
    make every later test's log call print a 'Logging error' traceback."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker more than the cores this process may use. Much of the suite
    waits (on the Discord double's sockets, child processes, a pseudo-terminal), and a
    third worker on a 2-core machine fills those waits: 87 s against 114 s here."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1
