"""A throwaway PostgreSQL server for the tests and the benchmark: Debian's `postgresql`
binaries, `initdb` in a temporary directory, listening on 127.0.0.1 on a free port (and a
Unix socket inside that directory), stopped and deleted at the end.

initdb refuses to run as root; as root the server runs as the `postgres` user that
Debian's package creates (through `runuser`), with the directory handed to that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

START_TIMEOUT_SECONDS = 60
SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here (or no user to run them as)."""


def find_bindir() -> Path:
    """The directory of the newest installed server's binaries (initdb, pg_ctl)."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) found; install Debian's postgresql "
        "package (apt-get install -y postgresql), as `bash .ci/run` does"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """`with ThrowawayPostgres() as server: server.url("dbname")`."""

    def __init__(self, port: int | None = None) -> None:
        self.bindir = find_bindir()
        self.port = port or free_port()
        self.run_as: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self.run_as = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root and there is no `postgres` user to run the server as"
                ) from None
        self.directory: Path | None = None

    # -- lifetime
    def __enter__(self) -> ThrowawayPostgres:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _command(self, *argv: str) -> list[str]:
        if self.run_as is None:
            return list(argv)
        return ["runuser", "-u", self.run_as.pw_name, "--", *argv]

    def _run(self, *argv: str) -> None:
        result = subprocess.run(
            self._command(*argv),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_SECONDS,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")

    @property
    def data_dir(self) -> Path:
        assert self.directory is not None
        return self.directory / "data"

    def start(self) -> None:
        if self.directory is None:
            # As root the server runs as `postgres`, which must reach the directory: /tmp, not
            # a $TMPDIR that may sit inside root's private home.
            parent = "/tmp" if self.run_as is not None and os.path.isdir("/tmp") else None
            self.directory = Path(tempfile.mkdtemp(prefix="kcbot-pg-", dir=parent))
            if self.run_as is not None:
                os.chown(self.directory, self.run_as.pw_uid, self.run_as.pw_gid)
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.directory / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            str(START_TIMEOUT_SECONDS),
            "start",
        )

    def stop(self, *, keep: bool = False) -> None:
        """Stop the server (fast shutdown); delete its files unless `keep` (to start again)."""
        if self.directory is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            self._run(
                str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"
            )
        if not keep:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    # -- databases
    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    async def create_database(self, prefix: str = "kcbot") -> str:
        """A new empty database; returns its URL."""
        import asyncpg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        connection = await asyncpg.connect(self.url())
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        return self.url(name)
