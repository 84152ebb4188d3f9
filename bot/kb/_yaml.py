"""Reading one knowledge-base file into a YAML node tree, refusing anything hostile early.

The knowledge base is plain data: mappings, lists and scalars. Anchors and aliases (the
"billion laughs" bomb), explicit tags, deep nesting, huge or non-UTF-8 files are refused
while the events stream in, before anything is expanded or constructed. Nodes keep their
marks, so every later message can name the line.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from bot.kb.problems import quoted, verbatim


class _PythonParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python reader, scanner and parser: the events without libyaml."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


try:  # libyaml scans about five times faster; the pure-Python parser is the fallback
    from yaml._yaml import CParser as _LibyamlParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _LibyamlParser = None

MAX_FILE_BYTES = 1024 * 1024  # the largest shipped file is about 15 KiB
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

# Explicit tags the knowledge base tolerates: the plain core types, nothing that constructs.
_CORE_KINDS = ("str", "int", "bool", "null", "float", "seq", "map")
_CORE_TAGS = frozenset({"!"} | {f"tag:yaml.org,2002:{kind}" for kind in _CORE_KINDS})


class FileRefused(Exception):
    """The file cannot be read as knowledge-base YAML; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _RefusedNode(yaml.MarkedYAMLError):
    pass


class _StrictComposer(Composer):
    """A composer that refuses aliases, anchors, tags and runaway documents event by event.

    Mixed in before a parser, it sees every node's first event before the node is built, so
    an alias bomb fails at its first anchor, before anything is expanded.
    """

    _depth = 0
    _nodes = 0
    limits = DEFAULT_LIMITS

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _RefusedNode(
                problem="anchors and aliases (& and *) are not allowed in the knowledge base",
                problem_mark=event.start_mark,
            )
        tag = getattr(event, "tag", None)
        if isinstance(event, ScalarEvent | CollectionStartEvent) and tag not in (None, *_CORE_TAGS):
            raise _RefusedNode(
                problem=f"explicit tag {quoted(tag)} is not allowed in the knowledge base",
                problem_mark=event.start_mark,
            )
        self._nodes += 1
        if self._nodes > self.limits.max_nodes:
            raise _RefusedNode(
                problem=f"more than {self.limits.max_nodes:,} values in one file",
                problem_mark=event.start_mark,
            )
        if self._depth >= self.limits.max_depth:
            raise _RefusedNode(
                problem=f"nested more than {self.limits.max_depth} levels deep",
                problem_mark=event.start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _strict_loader(parser: type) -> type:
    class StrictLoader(_StrictComposer, parser, Resolver):  # type: ignore[misc, valid-type]
        def __init__(self, text: str) -> None:
            parser.__init__(self, text)
            Composer.__init__(self)
            Resolver.__init__(self)

    StrictLoader.__name__ = StrictLoader.__qualname__ = f"Strict{parser.__name__}Loader"
    return StrictLoader


PYTHON_LOADER = _strict_loader(_PythonParser)
LOADER = PYTHON_LOADER if _LibyamlParser is None else _strict_loader(_LibyamlParser)


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    if mark.line >= len(lines):
        return ""
    return lines[mark.line][mark.column : mark.column + 1]


# The parsers quote what they found ('\t', "x"); that is file content.
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def _mark_quotes(message: str) -> str:
    return _QUOTED.sub(lambda match: verbatim(match.group()), message)


def _line(mark: yaml.Mark | None) -> int | None:
    return None if mark is None else mark.line + 1


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


def decode(data: bytes) -> str:
    """The text of a file's bytes, refusing anything that is not UTF-8 (a BOM is dropped)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileRefused(
            f"not valid UTF-8: byte {verbatim(f'0x{data[exc.start]:02x}')} cannot be decoded "
            "(save the file as UTF-8)",
            line,
        ) from exc
    return text.removeprefix("\ufeff")


def read_text(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """The file's text, refusing a missing, oversized, special, empty or non-UTF-8 file."""
    return decode(read_bytes(path, limits))


def compose(
    text: str, loader_class: type | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> yaml.Node:
    """The single document of `text` as a node tree with marks."""
    loader = None
    try:
        loader = (loader_class or LOADER)(text)  # the pure-Python reader checks characters here
        loader.limits = limits
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem and not isinstance(exc, _RefusedNode):
            message = f"{exc.context}: {exc.problem}"
        if "cannot start any token" in message and _char_at(text, mark) == "\t":
            message += " (a tab: YAML is indented with spaces only)"
        if not isinstance(exc, _RefusedNode):
            message = "invalid YAML: " + _mark_quotes(message)
        raise FileRefused(message, _line(mark)) from exc
    except yaml.YAMLError as exc:  # ReaderError: a control character, with a position
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        reason = getattr(exc, "reason", None) or verbatim(exc)
        raise FileRefused(f"invalid YAML: {reason}", line) from exc
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise FileRefused("file is empty (or only comments)")
    return node


def load_nodes(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> yaml.Node:
    """Read and compose one file; every failure is a `FileRefused`."""
    return compose(read_text(path, limits), limits=limits)


def scalar_value(node: yaml.ScalarNode) -> object:
    """The Python value of a scalar node, constructed as the safe loader would."""
    # A fresh constructor each time: it caches every node it builds, and is cheap to make.
    return SafeConstructor().construct_object(node)
