"""A knowledge file's bytes, read within limits, before any YAML is parsed.

Kept apart from the YAML reading (`bot.kb._yaml`) so that what only reads files and checks
their limits (the engine cache's key, the settings) does not import a YAML parser.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 1024 * 1024  # many times the largest shipped file
MAX_NODES = 20_000  # the whole shipped knowledge base has about 2,300
MAX_DEPTH = 12  # the deepest shipped node is at depth 5


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """How much one file may hold. The defaults fit the shipped base many times over; a
    deployer with a much larger base raises them explicitly rather than by accident."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_nodes: int = MAX_NODES
    max_depth: int = MAX_DEPTH


DEFAULT_LIMITS = ReadLimits()


class FileRefused(Exception):
    """The file cannot be read as knowledge-base YAML; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_bytes(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The file's bytes, refusing a missing, oversized or special file.

    The file is opened first and the open descriptor is checked: a check by name followed
    by an open would let a FIFO renamed over the file in between block `open()` for good.
    O_NONBLOCK makes opening a FIFO or a device return at once; it changes nothing for a
    regular file.
    """
    max_bytes = limits.max_file_bytes
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileRefused("file not found") from None
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise FileRefused("not a regular file")
        if status.st_size > max_bytes:
            raise FileRefused(
                f"file is {status.st_size:,} bytes, over the {max_bytes:,}-byte limit"
            )
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:  # the file may have grown since fstat()
            chunk = os.read(descriptor, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from exc
    finally:
        os.close(descriptor)
    if size > max_bytes:
        raise FileRefused(f"file is over the {max_bytes:,}-byte limit")
    return b"".join(chunks)
