"""Reading YAML nodes into typed values, each remembered with the line it came from.

`Context` collects the problems of one load; its readers (`text`, `texts`, `sources`,
`mapping`, `entries`, ...) report what is wrong and return `INVALID` instead of raising, so
one pass finds every problem. `Key` pairs a reader with whether the key is required; the
per-file key tables live in `schema`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import yaml

from bot.kb import _yaml
from bot.kb.model import OrganizationLink, PlaceLink, SourceRef
from bot.kb.problems import Problem, quoted, verbatim

INVALID = object()
_COLOUR = re.compile(
    r"#[0-9A-Fa-f]{6}"
)  # a value that was reported as a problem and must not be used


@dataclass(slots=True)
class Entry:
    """One list entry (a cluster, a place, ...) as read, before it becomes a model object."""

    file: str
    line: int
    label: str  # the id when readable, else the position in its list ("faq #3")
    values: dict[str, Any]
    lines: dict[str, int]  # line of each value read, by key ("fields", "fields[1]", ...)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key, default)
        return default if value is INVALID else value


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        if (
            len(node.value) == 1
            and not node.flow_style
            and isinstance(node.value[0][0], yaml.ScalarNode)
            and node.value[0][1].start_mark.line == node.start_mark.line
        ):  # `- what is: a cluster`: a text with a colon, read as a key and its value
            key = node.value[0][0].value
            return (
                f"a mapping: the colon after {quoted(key)} makes it a key (put the text in "
                "quotes if it is one text)"
            )
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    try:
        value = _yaml.scalar_value(node)
    except yaml.YAMLError:
        return quoted(node.value)
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return (
            f"the boolean {str(value).lower()} (quote it if you mean the text {quoted(node.value)})"
        )
    if isinstance(value, int | float):
        return (
            f"the number {verbatim(node.value)} "
            f"(quote it if you mean the text {quoted(node.value)})"
        )
    if isinstance(value, str):
        return "an empty string" if not value.strip() else f"the string {quoted(value)}"
    return f"the {type(value).__name__} {node.value} (quote it if you mean text)"


ValueReader = Callable[["Context", yaml.Node, "Entry", str], Any]


@dataclass(frozen=True, slots=True)
class Key:
    read: ValueReader
    required: bool = True


class Context:
    """Collects the problems of one load; knows which file it is reading."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.file = ""
        self.loaded: set[str] = set()  # files that could be read at all
        self.doc_refs: list[tuple[str, int, str, str, str]] = []  # file, line, entry, key, doc
        # Files read only after mending their YAML mistakes, by name (see `_yaml.Document`).
        self.damaged: dict[str, _yaml.Document] = {}

    def report(self, line: int | None, entry: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, entry, message))

    def echoes(self, problem: Problem) -> bool:
        """Whether a problem lies in an entry whose YAML was mended: it would only repeat
        (or follow from a guess about) the mistake reported there."""
        document = self.damaged.get(problem.file)
        return document is not None and document.is_quiet(problem.line)

    def words_of_damaged(self, file: str) -> frozenset[str]:
        document = self.damaged.get(file)
        return document.quiet_words if document is not None else frozenset()

    # --- scalars -----------------------------------------------------------------------

    def text(self, node: yaml.Node, entry: Entry, key: str) -> Any:
        value = self._scalar(node)
        if isinstance(value, str) and value.strip():
            entry.lines[key] = line_of(node)
            return value.strip()
        self.report(
            line_of(node), entry.label, f"{key}: expected a non-empty string, got {describe(node)}"
        )
        return INVALID

    def integer(self, node: yaml.Node, entry: Entry, key: str) -> Any:
        value = self._scalar(node)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            entry.lines[key] = line_of(node)
            return value
        self.report(
            line_of(node),
            entry.label,
            f"{key}: expected a positive whole number, got {describe(node)}",
        )
        return INVALID

    def colours(self, node: yaml.Node, entry: Entry, key: str) -> Any:
        """A mapping of ids to #RRGGBB colours."""
        if not isinstance(node, yaml.MappingNode):
            self.report(line_of(node), entry.label, f'{key}: expected a mapping of id: "#RRGGBB"')
            return INVALID
        entry.lines[key] = line_of(node)
        found: dict[str, str] = {}
        for key_node, value_node in node.value:
            name, value = self._scalar(key_node), self._scalar(value_node)
            if (
                not isinstance(name, str)
                or not isinstance(value, str)
                or not _COLOUR.fullmatch(value)
            ):
                self.report(
                    line_of(key_node),
                    entry.label,
                    f'{key}: expected id: "#RRGGBB", got {describe(value_node)}',
                )
                return INVALID
            found[name] = value
        return MappingProxyType(found)

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return INVALID
        try:
            return _yaml.scalar_value(node)
        except yaml.YAMLError:
            return INVALID

    # --- lists -------------------------------------------------------------------------

    def texts(
        self, node: yaml.Node, entry: Entry, key: str, *, minimum: int = 0, ids: bool = False
    ) -> Any:
        """A list of non-empty strings; in a list of ids a repeated id is reported."""
        if not isinstance(node, yaml.SequenceNode):
            self.report(line_of(node), entry.label, f"{key}: expected a list, got {describe(node)}")
            return INVALID
        entry.lines[key] = line_of(node)
        items = [self.text(item, entry, f"{key}[{index}]") for index, item in enumerate(node.value)]
        if INVALID in items:
            return INVALID
        if ids:
            for index, value in enumerate(items):
                if value in items[:index]:
                    self.report(
                        line_of(node.value[index]),
                        entry.label,
                        f"{key}: {quoted(value)} is listed twice",
                    )
                    return INVALID
        if len(items) < minimum:
            self.report(
                line_of(node),
                entry.label,
                f"{key}: needs at least {minimum} item{'s' if minimum != 1 else ''}, "
                f"has {len(items)}",
            )
            return INVALID
        return tuple(items)

    def source(self, node: yaml.Node, entry: Entry, key: str) -> Any:
        values = self.mapping(node, entry, key, _SOURCE_KEYS)
        if values is INVALID or INVALID in values.values():
            return INVALID
        doc = values["doc"]
        self.doc_refs.append((self.file, entry.lines[f"{key}.doc"], entry.label, key, doc))
        return SourceRef(doc=doc, where=values.get("where"))

    def sources(self, node: yaml.Node, entry: Entry, key: str) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            self.report(
                line_of(node),
                entry.label,
                f"{key}: expected a list of sources, got {describe(node)}",
            )
            return INVALID
        entry.lines[key] = line_of(node)
        if not node.value:
            self.report(line_of(node), entry.label, f"{key}: needs at least one source")
            return INVALID
        refs = [
            self.source(item, entry, f"{key}[{index}]") for index, item in enumerate(node.value)
        ]
        return INVALID if INVALID in refs else tuple(refs)

    def organization_link(self, node: yaml.Node, entry: Entry, key: str) -> Any:
        values = self.mapping(node, entry, key, _ORGANIZATION_LINK_KEYS)
        if values is INVALID or INVALID in values.values():
            return INVALID
        return OrganizationLink(id=values["id"], source=values["source"])

    def place_link(self, node: yaml.Node, entry: Entry, key: str) -> Any:
        values = self.mapping(node, entry, key, _PLACE_LINK_KEYS)
        if values is INVALID or INVALID in values.values():
            return INVALID
        return PlaceLink(place=values["place"], source=values["source"])

    # --- mappings ----------------------------------------------------------------------

    def mapping(self, node: yaml.Node, entry: Entry, path: str, keys: Mapping[str, Key]) -> Any:
        """Read a mapping by `keys`, reporting unknown, duplicate and missing keys."""
        prefix = f"{path}: " if path else ""
        if not isinstance(node, yaml.MappingNode):
            self.report(
                line_of(node),
                entry.label,
                f"{prefix}expected a mapping (key: value), got {describe(node)}",
            )
            return INVALID
        values: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node)
            if not isinstance(key, str):
                self.report(
                    line_of(key_node),
                    entry.label,
                    f"{prefix}a key must be a word, got {describe(key_node)}",
                )
                continue
            if key in first_line:
                self.report(
                    line_of(key_node),
                    entry.label,
                    f"{prefix}key {quoted(key)} is given twice (first on line {first_line[key]})",
                )
                continue
            first_line[key] = line_of(key_node)
            spec = keys.get(key)
            if spec is None:
                self.report(
                    line_of(key_node),
                    entry.label,
                    f"{prefix}unknown key {quoted(key)} (allowed: {', '.join(keys)})",
                )
                continue
            values[key] = spec.read(self, value_node, entry, f"{path}.{key}" if path else key)
        for key, spec in keys.items():
            if spec.required and key not in first_line:
                self.report(line_of(node), entry.label, f"{prefix}missing required key '{key}'")
                values[key] = INVALID
        return values

    def entries(self, node: yaml.Node | None, kind: str, keys: Mapping[str, Key]) -> list[Entry]:
        """The entries of a top-level list (`clusters:` ...), each read by `keys`."""
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.report(
                line_of(node), None, f"{kind}: expected a list of entries, got {describe(node)}"
            )
            return []
        if not node.value:
            self.report(line_of(node), None, f"{kind}: the list is empty")
            return []
        result = []
        for index, item in enumerate(node.value):
            label = peek_id(item) or f"{kind} #{index + 1}"
            entry = Entry(self.file, line_of(item), label, {}, {})
            values = self.mapping(item, entry, "", keys)
            if values is INVALID:
                continue
            entry.values = values
            result.append(entry)
        return result


def peek_id(node: yaml.Node) -> str | None:
    """The entry's id, if it has a readable one, to label its problems before it is read."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if (
            isinstance(key_node, yaml.ScalarNode)
            and key_node.value == "id"
            and isinstance(value_node, yaml.ScalarNode)
            and value_node.value.strip()
        ):
            return value_node.value.strip()
    return None


def text_key(required: bool = True) -> Key:
    return Key(Context.text, required)


def texts_key(required: bool = True, minimum: int = 0, ids: bool = False) -> Key:
    def read(ctx: Context, node: yaml.Node, entry: Entry, key: str) -> Any:
        return ctx.texts(node, entry, key, minimum=minimum, ids=ids)

    return Key(read, required)


def retired_key(why: str) -> Key:
    """A key the schema no longer has, refused with why and what to do instead (a file
    written for an older schema gets that, not a bare `unknown key`)."""

    def read(ctx: Context, node: yaml.Node, entry: Entry, key: str) -> Any:
        ctx.report(line_of(node), entry.label, f"{key}: {why}")
        return INVALID

    return Key(read, required=False)


INTEGER = Key(Context.integer, required=False)
SOURCE = Key(Context.source)
SOURCES = Key(Context.sources)

_SOURCE_KEYS = {"doc": text_key(), "where": text_key(required=False)}
_ORGANIZATION_LINK_KEYS = {"id": text_key(), "source": SOURCE}
_PLACE_LINK_KEYS = {"place": text_key(), "source": SOURCE}
