"""`DATABASE_URL`: which database the question log lives in, parsed and validated.

- `sqlite:///kcbot.sqlite3` — a file; a relative path is inside the data directory, an
  absolute one (`sqlite:////var/lib/kcbot/log.sqlite3`) is taken as it is. `?mode=ro` opens
  it read-only (answers go on, records are dropped and counted).
- `postgresql://user:password@host:5432/kcbot` (or `postgres://`) — a server shared by
  several bot processes; everything after the scheme is asyncpg's DSN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

SQLITE_FILE_NAME = "kcbot.sqlite3"
_SQLITE_MODES = frozenset({"ro", "rw", "rwc"})


class DatabaseURLError(ValueError):
    """The URL names no database kcbot can use; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class DatabaseTarget:
    """A parsed database URL: a SQLite file, or a PostgreSQL DSN."""

    kind: str  # "sqlite" or "postgresql"
    path: Path | None = None  # sqlite
    read_only: bool = False  # sqlite ?mode=ro
    dsn: str | None = field(default=None, repr=False)  # postgresql; may carry a password

    @property
    def display(self) -> str:
        """The URL fit for a log line: no password."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.path}" + ("?mode=ro" if self.read_only else "")
        parts = urlsplit(self.dsn or "")
        host = parts.hostname or "localhost"
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.username else ""
        return f"postgresql://{user}{host}{port}{parts.path}"


def sqlite_target(path: Path, *, read_only: bool = False) -> DatabaseTarget:
    return DatabaseTarget("sqlite", path=path, read_only=read_only)


def parse_database_url(url: str, data_dir: Path) -> DatabaseTarget:
    """The database `url` names; relative SQLite paths are resolved inside `data_dir`."""
    scheme, sep, rest = url.strip().partition("://")
    scheme = scheme.casefold()
    if not sep:
        raise DatabaseURLError(
            f"{url!r} is not a URL; use sqlite:///FILE or postgresql://USER@HOST/DATABASE"
        )
    if scheme == "sqlite":
        if not rest.startswith("/"):
            raise DatabaseURLError(f"{url!r}: a SQLite URL is sqlite:///FILE (three slashes)")
        location, _, query = rest[1:].partition("?")
        if not location:
            raise DatabaseURLError(f"{url!r} names no file")
        options = dict(parse_qsl(query))
        unknown = set(options) - {"mode"}
        if unknown:
            raise DatabaseURLError(f"{url!r}: unknown option {sorted(unknown)[0]!r} (only mode)")
        mode = options.get("mode", "rwc")
        if mode not in _SQLITE_MODES:
            raise DatabaseURLError(f"{url!r}: mode must be ro, rw or rwc, not {mode!r}")
        path = Path(location).expanduser()
        if not path.is_absolute():
            path = data_dir / path
        return sqlite_target(path, read_only=mode == "ro")
    if scheme in ("postgresql", "postgres"):
        parts = urlsplit(url.strip())
        if not (parts.hostname or "host=" in parts.query):
            raise DatabaseURLError(f"{url!r} names no host")
        return DatabaseTarget("postgresql", dsn=url.strip())
    raise DatabaseURLError(
        f"unsupported scheme {scheme!r} in DATABASE_URL; use sqlite:/// or postgresql://"
    )
