"""Where the bot keeps its data: the data directory and the database in it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bot.config import StorageSettings
from bot.storage.urls import SQLITE_FILE_NAME, DatabaseTarget, parse_database_url, sqlite_target

APP_NAME = "kcbot"


def data_dir(storage: StorageSettings, environ: Mapping[str, str] | None = None) -> Path:
    """DATA_DIR; else systemd's StateDirectory= ($STATE_DIRECTORY); else the platform's user
    data directory (~/.local/share/kcbot on Linux, honouring $XDG_DATA_HOME)."""
    if storage.data_dir:
        return Path(storage.data_dir)
    env = os.environ if environ is None else environ
    state = (env.get("STATE_DIRECTORY") or "").strip()
    if state:
        return Path(state.split(":")[0])
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_target(
    storage: StorageSettings, environ: Mapping[str, str] | None = None
) -> DatabaseTarget:
    """The database the settings name: DATABASE_URL, or a SQLite file in the data directory."""
    directory = data_dir(storage, environ)
    if storage.database_url:
        return parse_database_url(storage.database_url, directory)
    return sqlite_target(directory / SQLITE_FILE_NAME)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and its parents) readable by this user only, if it does not exist."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
