"""Reading one knowledge-base file into a YAML node tree, refusing anything hostile early.

The knowledge base is plain data: mappings, lists and scalars. Anchors and aliases (the
"billion laughs" bomb), explicit tags, deep nesting, huge or non-UTF-8 files are refused
while the events stream in, before anything is expanded or constructed. Nodes keep their
marks, so every later message can name the line.
"""

from __future__ import annotations

import re
from collections import Counter
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

from bot.kb import _syntax
from bot.kb.file_bytes import (  # noqa: F401 (their home for the YAML reading's callers)
    DEFAULT_LIMITS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    FileRefused,
    ReadLimits,
    read_bytes,
)
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

# Explicit tags the knowledge base tolerates: the plain core types, nothing that constructs.
_CORE_KINDS = ("str", "int", "bool", "null", "float", "seq", "map")
_CORE_TAGS = frozenset({"!"} | {f"tag:yaml.org,2002:{kind}" for kind in _CORE_KINDS})


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


def _line(mark: yaml.Mark | None) -> int | None:
    return None if mark is None else mark.line + 1


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


@dataclass(frozen=True, slots=True)
class Document:
    """A file read as far as it can be: its nodes, and every mistake found on the way.

    A syntax error does not stop the reading: the mistake is reported at its line (in the
    editor's terms, see `_syntax`), mended as a guess, and the file read again, so that one
    run finds every mistake in it. The nodes of a file that had any are only good for
    finding more problems; `quiet` holds the line spans of the entries a mending touched,
    where further problems would only echo the mistake, and `quiet_words` the words those
    entries had as written (an id in them may be what other files refer to).
    `node` is None when the file cannot be read at all (a refusal, or no safe guess).
    """

    node: yaml.Node | None
    problems: tuple[FileRefused, ...] = ()
    quiet: tuple[tuple[int, int], ...] = ()
    quiet_words: frozenset[str] = frozenset()

    def is_quiet(self, line: int | None) -> bool:
        return line is not None and any(first <= line <= last for first, last in self.quiet)


MAX_MENDED = 20  # mistakes mended in one file before the reader gives up on it
MAX_MENDED_PER_LINE = 3  # a line still wrong after this many guesses has no good one
# Each mistake is explained by the pure-Python parser reading the file again (about 3 s a
# MiB): past this many characters read so, the rest of the file is left unread.
MENDING_BUDGET_CHARS = 2 * 1024 * 1024
_WORD = re.compile(r"[\w][\w.-]*")


def compose_document(
    text: str, loader_class: type | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> Document:
    """The single document of `text` as a node tree with marks, and every mistake in it."""
    problems: list[FileRefused] = []
    mended_lines: Counter[int] = Counter()
    current = text
    explained = 0  # characters the explaining parser has read
    for _ in range(MAX_MENDED + 1):
        try:
            node = _compose_once(current, loader_class or LOADER, limits)
        except _Mistake as mistake:
            if mistake.line not in mended_lines:  # one report per line: the rest are echoes
                problems.append(mistake.refused)
            mended_lines[mistake.line] += 1
            explained += len(current)
            if (
                mistake.mended is None
                or mistake.mended == current
                or mended_lines[mistake.line] > MAX_MENDED_PER_LINE
                or explained > MENDING_BUDGET_CHARS
            ):
                break
            current = mistake.mended
            continue
        except FileRefused as refused:  # refused outright: nothing after it is read
            problems.append(refused)
            break
        if node is None:
            if not problems:
                problems.append(FileRefused("file is empty (or only comments)"))
            break
        quiet = _quiet_spans(node, set(mended_lines))
        words = _words_in(text, quiet)
        return Document(node, tuple(problems), quiet, words)
    return Document(None, tuple(problems))


def compose(
    text: str, loader_class: type | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> yaml.Node:
    """The single document of `text` as a node tree with marks; its first mistake raises."""
    document = compose_document(text, loader_class, limits)
    if document.problems:
        raise document.problems[0]
    assert document.node is not None
    return document.node


class _Mistake(Exception):
    """A syntax error, located and explained, with the text mended past it (or None)."""

    def __init__(self, refused: FileRefused, line: int, mended: str | None) -> None:
        super().__init__(refused.message)
        self.refused = refused
        self.line = line
        self.mended = mended


def _compose_once(text: str, loader_class: type, limits: ReadLimits) -> yaml.Node | None:
    loader = None
    try:
        loader = loader_class(text)  # the pure-Python reader checks characters here
        loader.limits = limits
        return loader.get_single_node()
    except _RefusedNode as exc:
        raise FileRefused(exc.problem, _line(exc.problem_mark)) from exc
    except yaml.MarkedYAMLError as exc:
        raise _explained(text, exc, limits) from exc
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        raise _bad_character(text, exc) from exc
    finally:
        if loader is not None:
            loader.dispose()


def _explained(text: str, error: yaml.MarkedYAMLError, limits: ReadLimits) -> Exception:
    """The mistake behind a syntax error, told by the pure-Python parser (whose errors the
    rules of `_syntax` read, whichever parser found it)."""
    python_error: yaml.MarkedYAMLError | None
    loader = _RecordingLoader(text)
    loader.limits = limits
    try:
        loader.get_single_node()
        python_error = None  # the parsers disagree: keep libyaml's error, explained alone
    except _RefusedNode as exc:
        return FileRefused(exc.problem, _line(exc.problem_mark))
    except yaml.MarkedYAMLError as exc:
        python_error = exc
    except yaml.YAMLError:
        python_error = None
    finally:
        loader.dispose()
    diagnosis = _syntax.diagnose(text, python_error or error, loader.read_tokens)
    refused = FileRefused(f"invalid YAML: {diagnosis.message}", diagnosis.line)
    refused.__cause__ = error  # the parser's own error, for a traceback
    return _Mistake(refused, diagnosis.line, diagnosis.mended)


class _RecordingLoader(PYTHON_LOADER):  # type: ignore[misc, valid-type]
    """The pure-Python loader, keeping the tokens the parser read (what came before an
    error tells where the mistake is)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.read_tokens: list[yaml.Token] = []  # (the scanner has its own `tokens`)

    def get_token(self):  # type: ignore[no-untyped-def]
        token = super().get_token()
        self.read_tokens.append(token)
        return token


def _bad_character(text: str, error: yaml.YAMLError) -> Exception:
    position = getattr(error, "position", None)
    character = getattr(error, "character", None)
    if not isinstance(position, int) or not 0 <= position < len(text):
        return FileRefused(f"invalid YAML: {getattr(error, 'reason', None) or verbatim(error)}")
    line = text.count("\n", 0, position) + 1
    if isinstance(character, str):
        character = ord(character)
    code = f"U+{character:04X}" if isinstance(character, int) else "a control character"
    refused = FileRefused(
        f"invalid YAML: a character YAML does not allow ({code}): delete it", line
    )
    refused.__cause__ = error
    return _Mistake(refused, line, text[:position] + " " + text[position + 1 :])


def _quiet_spans(root: yaml.Node, mended: set[int]) -> tuple[tuple[int, int], ...]:
    """The line spans of the entries (the items of a top-level list or mapping) that hold a
    mended line; a mended line in no entry is a span of its own."""
    entries: list[tuple[int, int]] = []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            children = _children(value)
            entries += children or [(_first_line(key), _last_line(value))]
    spans = []
    for line in sorted(mended):
        around = [span for span in entries if span[0] <= line <= span[1]]
        spans.append(min(around, key=lambda span: span[1] - span[0]) if around else (line, line))
    return tuple(sorted(set(spans)))


def _children(node: yaml.Node) -> list[tuple[int, int]]:
    if isinstance(node, yaml.SequenceNode):
        return [(_first_line(item), _last_line(item)) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return [(_first_line(key), _last_line(value)) for key, value in node.value]
    return []


def _first_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _last_line(node: yaml.Node) -> int:
    end = node.end_mark  # a block ends where the next line starts: that line is not in it
    return max(_first_line(node), end.line + (1 if end.column > 0 else 0))


def _words_in(text: str, spans: tuple[tuple[int, int], ...]) -> frozenset[str]:
    if not spans:
        return frozenset()
    lines = text.splitlines()
    return frozenset(
        word
        for first, last in spans
        for line in lines[first - 1 : last]
        for word in _WORD.findall(line)
    )


def load_nodes(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> yaml.Node:
    """Read and compose one file; every failure is a `FileRefused`."""
    return compose(read_text(path, limits), limits=limits)


def scalar_value(node: yaml.ScalarNode) -> object:
    """The Python value of a scalar node, constructed as the safe loader would."""
    # A fresh constructor each time: it caches every node it builds, and is cheap to make.
    return SafeConstructor().construct_object(node)
