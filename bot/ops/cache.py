"""A cache of built engines, keyed by content and signed, so a start never waits for a build
it has already done.

The key is a digest of the knowledge files' bytes, the read limits, the directory, the
builder and the code that builds (every `.py` file of the `bot` package, the Python and
library versions): edit a file or upgrade the bot and the key changes, so an entry is never
served stale. Old entries are pruned.

Entries are pickles, and unpickling runs code, so each entry carries an HMAC-SHA256 of its
key and bytes under a per-installation secret (`secret.key`, 32 random bytes, mode 0600, in a
directory of the bot's user that no one else may write). An entry that fails the check
(altered, truncated, or signed by another installation) is deleted and the engine rebuilt;
only a process that can read the secret, that is the bot's own user, can make an entry the
bot will load. A pickle was chosen over a data format because the cache holds whatever
`build_engine` returns, without knowing its insides.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import importlib.util
import logging
import os
import secrets
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.kb.files import KnowledgeFiles

log = logging.getLogger(__name__)

FORMAT = b"kcbot engine cache 1\n"
SECRET_FILE = "secret.key"
SECRET_BYTES = 32
KEEP_ENTRIES = 4
_MAC_BYTES = hashlib.sha256().digest_size
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class CacheUnusable(Exception):
    """The cache directory or its secret is not safe to use; the bot runs without a cache."""


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """systemd's CacheDirectory= ($CACHE_DIRECTORY), else $XDG_CACHE_HOME/kcbot, else
    ~/.cache/kcbot."""
    env = os.environ if environ is None else environ
    systemd = env.get("CACHE_DIRECTORY", "").split(":")[0].strip()
    if systemd:
        return Path(systemd)
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "kcbot"


# The libraries whose code shapes a built engine: YAML's reading and rapidfuzz's scores
# decide what is built, and the English stemmer's stems are inside the FAQ indexes. Their
# sources are hashed (a version lives in each `__init__.py`) rather than imported or looked
# up in the installed metadata, which would cost a start from the cache about 40 ms.
_LIBRARY_SOURCES = (
    ("yaml", "__init__.py"),
    ("rapidfuzz", "__init__.py"),
    ("snowballstemmer", "__init__.py"),
    ("snowballstemmer", "english_stemmer.py"),
)


@functools.cache
def code_fingerprint(builder_module: str) -> str:
    """A digest of the code that builds and defines engines: any change makes new keys."""
    import bot

    digest = hashlib.sha256()
    digest.update(f"{sys.version}\0".encode())
    files: list[Path] = []
    for package, name in _LIBRARY_SOURCES:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin).resolve().parent / name)
    package = Path(bot.__file__).resolve().parent
    files += sorted(package.rglob("*.py"))
    module_file = getattr(sys.modules.get(builder_module), "__file__", None)
    if module_file and not Path(module_file).resolve().is_relative_to(package):
        files.append(Path(module_file).resolve())
    for path in files:
        digest.update(f"{path.relative_to(path.anchor)}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(files: KnowledgeFiles, builder: str) -> str:
    """The key of the engine `builder` makes from `files`."""
    digest = hashlib.sha256(FORMAT)
    for part in (
        code_fingerprint(builder.partition(":")[0]),
        builder,
        str(files.directory),
        repr(files.limits),
        files.fingerprint(),
    ):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _check_private(status: os.stat_result, what: str, *, writable_only: bool = False) -> None:
    """Owned by this user, and not writable (or, for the secret, not readable) by others."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - not POSIX
        return
    if status.st_uid != os.geteuid():
        raise CacheUnusable(f"{what} belongs to another user")
    if status.st_mode & (0o022 if writable_only else 0o077):
        raise CacheUnusable(f"{what} is open to other users (mode {stat.filemode(status.st_mode)})")


class EngineCache:
    """Signed entries in one private directory; see the module's docstring."""

    def __init__(self, directory: Path, secret: bytes) -> None:
        self.directory = directory
        self._secret = secret

    @classmethod
    def open(cls, directory: str | os.PathLike[str]) -> EngineCache:
        """Make the directory (0700) and the secret if needed; raises `CacheUnusable`."""
        path = Path(directory)
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            status = path.stat()
        except OSError as exc:
            raise CacheUnusable(f"cannot use {path}: {exc.strerror or exc}") from exc
        if not stat.S_ISDIR(status.st_mode):
            raise CacheUnusable(f"{path} is not a directory")
        _check_private(status, str(path), writable_only=True)
        return cls(path, _load_secret(path / SECRET_FILE))

    def _entry(self, key: str) -> Path:
        return self.directory / f"engine-{key}.pickle"

    def _mac(self, key: str, payload: bytes | memoryview) -> bytes:
        mac = hmac.new(self._secret, key.encode() + b"\0", hashlib.sha256)
        mac.update(payload)
        return mac.digest()

    def get(self, key: str) -> bytes | None:
        """The payload stored under `key`, if there is one and it is authentic."""
        path = self._entry(key)
        try:
            data = _read_regular(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("engine cache: cannot read %s (%s); rebuilding", path.name, exc)
            return None
        head = len(FORMAT) + _MAC_BYTES
        view = memoryview(data)
        if data[: len(FORMAT)] == FORMAT and len(data) >= head:
            payload = view[head:]
            if hmac.compare_digest(bytes(view[len(FORMAT) : head]), self._mac(key, payload)):
                return bytes(payload)
        log.warning("engine cache: %s failed its authenticity check; rebuilding", path.name)
        self._discard(path)
        return None

    def put(self, key: str, payload: bytes) -> None:
        """Store `payload` under `key` (atomically); a failure is logged, never raised."""
        path = self._entry(key)
        temporary = self.directory / f".tmp-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
            with os.fdopen(os.open(temporary, flags, 0o600), "wb") as handle:
                handle.write(FORMAT + self._mac(key, payload))
                handle.write(payload)
            os.replace(temporary, path)
        except OSError as exc:
            log.warning("engine cache: cannot write %s (%s); continuing without", path.name, exc)
            self._discard(temporary)
            return
        self._prune(keep=path)

    def _prune(self, keep: Path) -> None:
        entries = sorted(
            (p for p in self.directory.glob("engine-*.pickle") if p != keep),
            key=_mtime,
            reverse=True,
        )
        for old in entries[KEEP_ENTRIES - 1 :]:
            self._discard(old)

    @staticmethod
    def _discard(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read_regular(path: Path) -> bytes:
    """A regular file's bytes, without following a symlink or blocking on a FIFO."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        return handle.read()


def _load_secret(path: Path, *, may_create: bool = True) -> bytes:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC)
    except FileNotFoundError:
        if not may_create:
            raise CacheUnusable(f"{path} vanished while it was created") from None
        return _create_secret(path)
    except OSError as exc:
        raise CacheUnusable(f"cannot read {path}: {exc.strerror or exc}") from exc
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise CacheUnusable(f"{path} is not a regular file")
        _check_private(status, str(path))
        secret = handle.read(SECRET_BYTES + 1)
    if len(secret) != SECRET_BYTES:
        raise CacheUnusable(f"{path} is not a {SECRET_BYTES}-byte secret")
    return secret


def _create_secret(path: Path) -> bytes:
    secret = secrets.token_bytes(SECRET_BYTES)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    try:
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _load_secret(path, may_create=False)
    except OSError as exc:
        raise CacheUnusable(f"cannot create {path}: {exc.strerror or exc}") from exc
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(secret)
    return secret
