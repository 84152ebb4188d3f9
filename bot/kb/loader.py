"""Load and validate the knowledge base (`knowledge/*.yaml`) into the objects of `model`.

Every problem is collected (file, line, entry id, message) and reported at once in one
`KnowledgeBaseError`, so an editor fixes a broken file in one pass. A file that cannot be
read at all (missing, too big, not UTF-8, malformed YAML, anchors) is one problem; the checks
that need what it would have defined are skipped rather than reported as a cascade.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from bot.kb import _yaml
from bot.kb._yaml import DEFAULT_LIMITS, ReadLimits
from bot.kb.model import (
    STAGES,
    STATUSES,
    Cluster,
    Document,
    FaqEntry,
    KeyField,
    KnowledgeBase,
    Organization,
    OrganizationLink,
    Place,
    SourceRef,
    Term,
)
from bot.kb.paths import resolve_knowledge_dir
from bot.kb.text import normalize_alias

SOURCES_FILE = "sources.yaml"
ORGANIZATIONS_FILE = "organizations.yaml"
CLUSTERS_FILE = "clusters.yaml"
FIELDS_FILE = "fields.yaml"
FAQ_FILE = "faq.yaml"
INTENTS_FILE = "intents.yaml"
FILES = (SOURCES_FILE, ORGANIZATIONS_FILE, CLUSTERS_FILE, FIELDS_FILE, FAQ_FILE, INTENTS_FILE)

MIN_ALTERNATES = 3
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the knowledge base, located for the editor who fixes it."""

    file: str
    line: int | None
    entry_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        entry = f" [{self.entry_id}]" if self.entry_id else ""
        return f"{where}{entry} {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be loaded; `problems` lists everything found, in file order."""

    def __init__(self, problems: Iterable[Problem], directory: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.directory = directory
        super().__init__(self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        where = f" in {self.directory}" if self.directory else ""
        head = f"{count} problem{'s' if count != 1 else ''} in the knowledge base{where}:"
        return "\n".join([head, *(f"  {problem}" for problem in self.problems)])


def load_knowledge(
    directory: str | os.PathLike[str] | None = None,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> KnowledgeBase:
    """Read, validate and freeze the knowledge base in `directory`.

    None means `resolve_knowledge_dir()`: $KNOWLEDGE_DIR, else the shipped one. `limits`
    bounds each file's size and number of values (see `ReadLimits`).
    Raises `KnowledgeBaseError` listing every problem found.
    """
    path = Path(resolve_knowledge_dir(directory))
    label = str(path)
    if not path.exists():
        raise KnowledgeBaseError(
            [Problem(label, None, None, "knowledge directory does not exist")], label
        )
    if not path.is_dir():
        raise KnowledgeBaseError([Problem(label, None, None, "not a directory")], label)
    builder = _Builder(path.resolve(), limits)
    try:
        return builder.build()
    except yaml.YAMLError as exc:  # defensive: every YAML error should already be a problem
        raise KnowledgeBaseError([Problem(label, None, None, f"YAML: {exc}")], label) from exc


# --------------------------------------------------------------------------------------
# Reading nodes: typed values with the line they came from.

_INVALID = object()  # a value that was reported as a problem and must not be used


@dataclass(slots=True)
class _Entry:
    """One list entry (a cluster, a place, ...) as read, before it becomes a model object."""

    file: str
    line: int
    label: str  # the id when readable, else the position in its list ("faq #3")
    values: dict[str, Any]
    lines: dict[str, int]  # line of each value read, by key ("fields", "fields[1]", ...)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key, default)
        return default if value is _INVALID else value


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    try:
        value = _yaml.scalar_value(node)
    except yaml.YAMLError:
        return f"{node.value!r}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()} (quote it if you mean the text {node.value!r})"
    if isinstance(value, int | float):
        return f"the number {node.value} (quote it if you mean the text {node.value!r})"
    if isinstance(value, str):
        return "an empty string" if not value.strip() else f"the string {value!r}"
    return f"the {type(value).__name__} {node.value} (quote it if you mean text)"


_Reader = Callable[["_Context", yaml.Node, "_Entry", str], Any]


@dataclass(frozen=True, slots=True)
class _Key:
    read: _Reader
    required: bool = True


class _Context:
    """Collects the problems of one load; knows which file it is reading."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.file = ""
        self.doc_refs: list[tuple[str, int, str, str, str]] = []  # file, line, entry, key, doc

    def report(self, line: int | None, entry: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, entry, message))

    # --- scalars -----------------------------------------------------------------------

    def text(self, node: yaml.Node, entry: _Entry, key: str) -> Any:
        value = self._scalar(node)
        if isinstance(value, str) and value.strip():
            entry.lines[key] = _line(node)
            return value.strip()
        self.report(
            _line(node), entry.label, f"{key}: expected a non-empty string, got {_describe(node)}"
        )
        return _INVALID

    def integer(self, node: yaml.Node, entry: _Entry, key: str) -> Any:
        value = self._scalar(node)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            entry.lines[key] = _line(node)
            return value
        self.report(
            _line(node),
            entry.label,
            f"{key}: expected a positive whole number, got {_describe(node)}",
        )
        return _INVALID

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return _INVALID
        try:
            return _yaml.scalar_value(node)
        except yaml.YAMLError:
            return _INVALID

    # --- lists -------------------------------------------------------------------------

    def texts(
        self, node: yaml.Node, entry: _Entry, key: str, *, minimum: int = 0, ids: bool = False
    ) -> Any:
        """A list of non-empty strings; in a list of ids a repeated id is reported."""
        if not isinstance(node, yaml.SequenceNode):
            self.report(_line(node), entry.label, f"{key}: expected a list, got {_describe(node)}")
            return _INVALID
        entry.lines[key] = _line(node)
        items = [self.text(item, entry, f"{key}[{index}]") for index, item in enumerate(node.value)]
        if _INVALID in items:
            return _INVALID
        if ids:
            for index, value in enumerate(items):
                if value in items[:index]:
                    self.report(
                        _line(node.value[index]), entry.label, f"{key}: '{value}' is listed twice"
                    )
                    return _INVALID
        if len(items) < minimum:
            self.report(
                _line(node),
                entry.label,
                f"{key}: needs at least {minimum} item{'s' if minimum != 1 else ''}, "
                f"has {len(items)}",
            )
            return _INVALID
        return tuple(items)

    def source(self, node: yaml.Node, entry: _Entry, key: str) -> Any:
        values = self.mapping(node, entry, key, _SOURCE_KEYS)
        if values is _INVALID or _INVALID in values.values():
            return _INVALID
        doc = values["doc"]
        self.doc_refs.append((self.file, entry.lines[f"{key}.doc"], entry.label, key, doc))
        return SourceRef(doc=doc, where=values.get("where"))

    def sources(self, node: yaml.Node, entry: _Entry, key: str) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            self.report(
                _line(node),
                entry.label,
                f"{key}: expected a list of sources, got {_describe(node)}",
            )
            return _INVALID
        entry.lines[key] = _line(node)
        if not node.value:
            self.report(_line(node), entry.label, f"{key}: needs at least one source")
            return _INVALID
        refs = [
            self.source(item, entry, f"{key}[{index}]") for index, item in enumerate(node.value)
        ]
        return _INVALID if _INVALID in refs else tuple(refs)

    def organization_link(self, node: yaml.Node, entry: _Entry, key: str) -> Any:
        values = self.mapping(node, entry, key, _ORGANIZATION_LINK_KEYS)
        if values is _INVALID or _INVALID in values.values():
            return _INVALID
        return OrganizationLink(id=values["id"], source=values["source"])

    # --- mappings ----------------------------------------------------------------------

    def mapping(self, node: yaml.Node, entry: _Entry, path: str, keys: Mapping[str, _Key]) -> Any:
        """Read a mapping by `keys`, reporting unknown, duplicate and missing keys."""
        prefix = f"{path}: " if path else ""
        if not isinstance(node, yaml.MappingNode):
            self.report(
                _line(node),
                entry.label,
                f"{prefix}expected a mapping (key: value), got {_describe(node)}",
            )
            return _INVALID
        values: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node)
            if not isinstance(key, str):
                self.report(
                    _line(key_node),
                    entry.label,
                    f"{prefix}a key must be a word, got {_describe(key_node)}",
                )
                continue
            if key in first_line:
                self.report(
                    _line(key_node),
                    entry.label,
                    f"{prefix}key '{key}' is given twice (first on line {first_line[key]})",
                )
                continue
            first_line[key] = _line(key_node)
            spec = keys.get(key)
            if spec is None:
                self.report(
                    _line(key_node),
                    entry.label,
                    f"{prefix}unknown key '{key}' (allowed: {', '.join(keys)})",
                )
                continue
            values[key] = spec.read(self, value_node, entry, f"{path}.{key}" if path else key)
        for key, spec in keys.items():
            if spec.required and key not in first_line:
                self.report(_line(node), entry.label, f"{prefix}missing required key '{key}'")
                values[key] = _INVALID
        return values

    def entries(self, node: yaml.Node | None, kind: str, keys: Mapping[str, _Key]) -> list[_Entry]:
        """The entries of a top-level list (`clusters:` ...), each read by `keys`."""
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.report(
                _line(node), None, f"{kind}: expected a list of entries, got {_describe(node)}"
            )
            return []
        if not node.value:
            self.report(_line(node), None, f"{kind}: the list is empty")
            return []
        result = []
        for index, item in enumerate(node.value):
            label = _peek_id(item) or f"{kind} #{index + 1}"
            entry = _Entry(self.file, _line(item), label, {}, {})
            values = self.mapping(item, entry, "", keys)
            if values is _INVALID:
                continue
            entry.values = values
            result.append(entry)
        return result


def _peek_id(node: yaml.Node) -> str | None:
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


def _text(required: bool = True) -> _Key:
    return _Key(_Context.text, required)


def _texts(required: bool = True, minimum: int = 0, ids: bool = False) -> _Key:
    def read(ctx: _Context, node: yaml.Node, entry: _Entry, key: str) -> Any:
        return ctx.texts(node, entry, key, minimum=minimum, ids=ids)

    return _Key(read, required)


_INTEGER = _Key(_Context.integer, required=False)
_SOURCE = _Key(_Context.source)
_SOURCES = _Key(_Context.sources)

_SOURCE_KEYS = {"doc": _text(), "where": _text(required=False)}
_ORGANIZATION_LINK_KEYS = {"id": _text(), "source": _SOURCE}

_DOCUMENT_KEYS = {
    "id": _text(),
    "title": _text(),
    "url": _text(required=False),
    "note": _text(required=False),
}
_ORGANIZATION_KEYS = {
    "id": _text(),
    "name": _text(),
    "name_ja": _text(required=False),
    "short_name": _text(required=False),
    "office": _text(required=False),
    "address": _text(required=False),
    "tel": _text(required=False),
    "fax": _text(required=False),
    "as_of": _text(required=False),
    "note": _text(required=False),
    "sources": _SOURCES,
}
_TERM_KEYS = {
    "id": _text(),
    "name": _text(),
    "name_ja": _text(),
    "started": _INTEGER,
    "synonyms": _texts(),
    "source": _Key(_Context.source, required=False),
}
_PLACE_KEYS = {"id": _text(), "name": _text(), "aliases": _texts(required=False)}
_CLUSTER_KEYS = {
    "id": _text(),
    "name": _text(),
    "stage": _text(),
    "status": _text(),
    "fields": _texts(minimum=1, ids=True),
    "places": _texts(minimum=1, ids=True),
    "aliases": _texts(required=False),
    "page": _INTEGER,
    "organization": _Key(_Context.organization_link, required=False),
    "source": _SOURCE,
}
_FIELD_KEYS = {
    "id": _text(),
    "name": _text(),
    "name_ja": _text(),
    "emoji": _text(),
    "colour": _text(),
    "synonyms": _texts(),
}
_FAQ_KEYS = {
    "id": _text(),
    "topic": _text(),
    "question": _text(),
    "alternates": _texts(minimum=MIN_ALTERNATES),
    "keywords": _texts(required=False),
    "answer": _text(),
    "sources": _SOURCES,
}

# Top-level keys of each file; the value readers are applied by `_Builder`.
_TOP_KEYS: dict[str, dict[str, bool]] = {
    SOURCES_FILE: {"documents": True},
    ORGANIZATIONS_FILE: {"programme_office": False, "organizations": True},
    CLUSTERS_FILE: {"stages": True, "statuses": True, "places": True, "clusters": True},
    FIELDS_FILE: {"source": True, "fields": True},
    FAQ_FILE: {"faq": True},
    INTENTS_FILE: {"intents": True},
}


# --------------------------------------------------------------------------------------
# Building: read each file, then check what the files say about one another.


@dataclass(frozen=True, slots=True)
class _Spelling:
    """One name or alias of a place or a cluster, for the collision check."""

    kind: str  # "place" or "cluster"
    owner: str
    text: str
    file: str
    line: int


class _Builder:
    def __init__(self, directory: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
        self.directory = directory
        self.limits = limits
        self.ctx = _Context()
        self.loaded: set[str] = set()  # files that could be read at all
        self.causes: list[BaseException] = []  # what made unreadable files unreadable

    # --- files -------------------------------------------------------------------------

    def _top(self, name: str) -> dict[str, yaml.Node]:
        """The top-level keys of one file, or {} when it cannot be read (reported)."""
        self.ctx.file = name
        try:
            root = _yaml.load_nodes(self.directory / name, self.limits)
        except _yaml.FileRefused as refused:
            self.ctx.report(refused.line, None, refused.message)
            self.causes.append(refused.__cause__ or refused)
            return {}
        allowed = _TOP_KEYS[name]
        if not isinstance(root, yaml.MappingNode):
            self.ctx.report(
                _line(root),
                None,
                f"expected a mapping with the keys {', '.join(allowed)} at the top level, "
                f"got {_describe(root)}",
            )
            return {}
        self.loaded.add(name)
        top: dict[str, yaml.Node] = {}
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                self.ctx.report(
                    _line(key_node),
                    None,
                    f"unknown top-level key {key!r} (allowed: {', '.join(allowed)})",
                )
            elif key in top:
                self.ctx.report(_line(key_node), None, f"top-level key '{key}' is given twice")
            else:
                top[key] = value_node
        for key, required in allowed.items():
            if required and key not in top:
                self.ctx.report(_line(root), None, f"missing top-level key '{key}'")
        return top

    def build(self) -> KnowledgeBase:
        ctx = self.ctx
        top = self._top(SOURCES_FILE)
        documents = ctx.entries(top.get("documents"), "documents", _DOCUMENT_KEYS)
        self._unique(documents, "document")
        for entry in documents:
            url = entry.get("url")
            if url is not None and not _URL.fullmatch(url):
                ctx.report(
                    entry.lines["url"],
                    entry.label,
                    f"url: expected an http(s) address, got {url!r}",
                )
            if "url" not in entry.values and "note" not in entry.values:
                ctx.report(
                    entry.line,
                    entry.label,
                    "a document needs a `url` or a `note` saying where it is",
                )

        top = self._top(ORGANIZATIONS_FILE)
        organizations = ctx.entries(top.get("organizations"), "organizations", _ORGANIZATION_KEYS)
        self._unique(organizations, "organization")
        office_node = top.get("programme_office")
        office_entry = _Entry(ORGANIZATIONS_FILE, 0, "programme_office", {}, {})
        programme_office = (
            None if office_node is None else ctx.text(office_node, office_entry, "programme_office")
        )

        top = self._top(CLUSTERS_FILE)
        stages = ctx.entries(top.get("stages"), "stages", _TERM_KEYS)
        statuses = ctx.entries(top.get("statuses"), "statuses", _TERM_KEYS)
        places = ctx.entries(top.get("places"), "places", _PLACE_KEYS)
        clusters = ctx.entries(top.get("clusters"), "clusters", _CLUSTER_KEYS)
        self._unique(stages, "stage")
        self._unique(statuses, "status")
        self._unique(places, "place")
        self._unique(clusters, "cluster")
        if "stages" in top:
            self._controlled(stages, top["stages"], "stage", STAGES)
        if "statuses" in top:
            self._controlled(statuses, top["statuses"], "status", STATUSES)

        top = self._top(FIELDS_FILE)
        fields_holder = _Entry(FIELDS_FILE, 0, "", {}, {})
        fields_source = (
            ctx.source(top["source"], fields_holder, "source") if "source" in top else _INVALID
        )
        fields = ctx.entries(top.get("fields"), "fields", _FIELD_KEYS)
        self._unique(fields, "field")
        for entry in fields:
            colour = entry.get("colour")
            if colour is not None and not _COLOUR.fullmatch(colour):
                ctx.report(
                    entry.lines["colour"], entry.label, f"colour: expected #RRGGBB, got {colour!r}"
                )

        top = self._top(FAQ_FILE)
        faq = ctx.entries(top.get("faq"), "faq", _FAQ_KEYS)
        self._unique(faq, "FAQ entry")
        self._faq_phrases(faq)

        top = self._top(INTENTS_FILE)
        intents = self._intents(top.get("intents"))

        # --- references between files ----------------------------------------------
        self._check_doc_refs(documents)
        org_ids = self._known(organizations, ORGANIZATIONS_FILE)
        if (
            org_ids is not None
            and isinstance(programme_office, str)
            and programme_office not in org_ids
        ):
            ctx.file = ORGANIZATIONS_FILE
            ctx.report(
                office_entry.lines.get("programme_office"),
                None,
                f"programme_office: unknown organization {programme_office!r} "
                f"(known: {', '.join(org_ids)})",
            )
        field_ids = self._known(fields, FIELDS_FILE)
        self._check_clusters(clusters, stages, statuses, places, field_ids, org_ids)
        self._check_spellings(places, clusters)
        self._check_vocabulary(fields, stages, statuses)
        notes = self._notes(documents, organizations, places, clusters, programme_office)

        if ctx.problems:
            order = {name: index for index, name in enumerate(FILES)}
            problems = sorted(ctx.problems, key=lambda p: (order.get(p.file, -1), p.line or 0))
            cause = self.causes[0] if self.causes else None  # e.g. the YAML parser's error
            raise KnowledgeBaseError(problems, str(self.directory)) from cause
        return KnowledgeBase(
            directory=str(self.directory),
            documents=_frozen_by_id(_document(e) for e in documents),
            organizations=_frozen_by_id(_organization(e) for e in organizations),
            places=_frozen_by_id(_place(e) for e in places),
            clusters=tuple(_cluster(e) for e in clusters),
            faq=tuple(_faq(e) for e in faq),
            fields=_frozen_by_id(_field(e) for e in fields),
            stages=_frozen_by_id(_term(e) for e in stages),
            statuses=_frozen_by_id(_term(e) for e in statuses),
            intents=MappingProxyType(intents),
            programme_office=programme_office,
            notes=tuple(notes),
            fields_source=fields_source,
        )

    # --- checks ------------------------------------------------------------------------

    def _known(self, entries: list[_Entry], file: str) -> list[str] | None:
        """The ids others may refer to, or None when their list could not be read at all
        (then references to it are not checked: that would only repeat the first problem)."""
        return self._ids(entries) if file in self.loaded and entries else None

    def _ids(self, entries: list[_Entry]) -> list[str]:
        return [entry.values["id"] for entry in entries if isinstance(entry.values.get("id"), str)]

    def _unique(self, entries: list[_Entry], kind: str) -> None:
        first: dict[str, _Entry] = {}
        for entry in entries:
            entry_id = entry.get("id")
            if entry_id is None:
                continue
            if entry_id in first:
                self.ctx.problems.append(
                    Problem(
                        entry.file,
                        entry.lines["id"],
                        entry_id,
                        f"duplicate {kind} id '{entry_id}' (first on line "
                        f"{first[entry_id].lines['id']})",
                    )
                )
            else:
                first[entry_id] = entry

    def _controlled(
        self, entries: list[_Entry], node: yaml.Node, kind: str, allowed: tuple[str, ...]
    ) -> None:
        """Stages and statuses are a fixed vocabulary the engine relies on."""
        ids = self._ids(entries)
        for entry in entries:
            entry_id = entry.get("id")
            if entry_id is not None and entry_id not in allowed:
                self.ctx.problems.append(
                    Problem(
                        entry.file,
                        entry.lines["id"],
                        entry_id,
                        f"id: unknown {kind} '{entry_id}' (the bot knows: {', '.join(allowed)})",
                    )
                )
        if entries and len(entries) == len(node.value):
            for missing in (value for value in allowed if value not in ids):
                self.ctx.problems.append(
                    Problem(CLUSTERS_FILE, _line(node), None, f"{kind} '{missing}' is not defined")
                )

    def _faq_phrases(self, faq: list[_Entry]) -> None:
        """A question or alternate that belongs to two FAQ entries cannot pick one."""
        owner: dict[str, tuple[str, int]] = {}
        for entry in faq:
            phrases = [("question", entry.get("question"), entry.lines.get("question"))]
            phrases += [
                ("alternates", text, entry.lines.get(f"alternates[{index}]"))
                for index, text in enumerate(entry.get("alternates") or ())
            ]
            for key, text, line in phrases:
                if text is None:
                    continue
                folded = normalize_alias(text)
                other = owner.get(folded)
                if other is not None and other[0] != entry.label:
                    self.ctx.problems.append(
                        Problem(
                            FAQ_FILE,
                            line,
                            entry.label,
                            f"{key}: {text!r} is also a phrase of FAQ entry '{other[0]}' "
                            f"(line {other[1]})",
                        )
                    )
                else:
                    owner.setdefault(folded, (entry.label, line or entry.line))

    def _intents(self, node: yaml.Node | None) -> dict[str, tuple[str, ...]]:
        ctx = self.ctx
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            ctx.report(
                _line(node),
                None,
                f"intents: expected a mapping of intent: [phrases], got {_describe(node)}",
            )
            return {}
        if not node.value:
            ctx.report(_line(node), None, "intents: the mapping is empty")
            return {}
        intents: dict[str, tuple[str, ...]] = {}
        for key_node, value_node in node.value:
            name = ctx._scalar(key_node)
            if not isinstance(name, str) or not name.strip():
                ctx.report(
                    _line(key_node),
                    None,
                    f"intents: an intent name must be a word, got {_describe(key_node)}",
                )
                continue
            if name in intents:
                ctx.report(_line(key_node), name, f"intent '{name}' is given twice")
                continue
            entry = _Entry(INTENTS_FILE, _line(key_node), name, {}, {})
            phrases = ctx.texts(value_node, entry, "phrases", minimum=1)
            if phrases is not _INVALID:
                intents[name] = phrases
            else:
                intents[name] = ()
        return intents

    def _check_doc_refs(self, documents: list[_Entry]) -> None:
        known = self._known(documents, SOURCES_FILE)
        if known is None:
            return
        for file, line, entry, key, doc in self.ctx.doc_refs:
            if doc not in known:
                self.ctx.problems.append(
                    Problem(
                        file,
                        line,
                        entry or None,
                        f"{key}: unknown document '{doc}' (known: {', '.join(known)})",
                    )
                )

    def _check_clusters(
        self,
        clusters: list[_Entry],
        stages: list[_Entry],
        statuses: list[_Entry],
        places: list[_Entry],
        field_ids: list[str] | None,
        org_ids: list[str] | None,
    ) -> None:
        stage_ids = self._known(stages, CLUSTERS_FILE)
        status_ids = self._known(statuses, CLUSTERS_FILE)
        place_ids = self._known(places, CLUSTERS_FILE)
        for entry in clusters:
            for key, known in (("stage", stage_ids), ("status", status_ids)):
                value = entry.get(key)
                if value is not None and known is not None and value not in known:
                    self._problem(
                        entry, key, f"{key}: unknown {key} '{value}' (known: {', '.join(known)})"
                    )
            for key, known, kind in (
                ("fields", field_ids, "field"),
                ("places", place_ids, "place"),
            ):
                if known is None:
                    continue
                for index, value in enumerate(entry.get(key) or ()):
                    if value not in known:
                        self._problem(
                            entry,
                            f"{key}[{index}]",
                            f"{key}: unknown {kind} '{value}' (known: {', '.join(known)})",
                        )
            link = entry.get("organization")
            if link is not None and org_ids is not None and link.id not in org_ids:
                self._problem(
                    entry,
                    "organization.id",
                    f"organization: unknown organization '{link.id}' (known: {', '.join(org_ids)})",
                )

    def _problem(self, entry: _Entry, key: str, message: str) -> None:
        self.ctx.problems.append(
            Problem(entry.file, entry.lines.get(key, entry.line), entry.label, message)
        )

    def _check_spellings(self, places: list[_Entry], clusters: list[_Entry]) -> None:
        """Names and aliases of places and clusters must each lead to one entry.

        The one declared exception is a shared place: a spelling of place P may also be a
        cluster's name or alias when that cluster lists P (HAMAMATSU names two clusters that
        both list the place hamamatsu; the bot then asks which one is meant).
        """
        by_key: dict[str, list[_Spelling]] = {}
        places_of: dict[str, tuple[str, ...]] = {}
        for kind, entries in (("place", places), ("cluster", clusters)):
            owners: set[str] = set()
            for entry in entries:
                owner = entry.get("id")
                if owner is None or owner in owners:  # a duplicate id is reported already
                    continue
                owners.add(owner)
                if kind == "cluster":
                    places_of[owner] = entry.get("places") or ()
                spellings = [(entry.get("name"), entry.lines.get("name", entry.line))]
                spellings += [
                    (alias, entry.lines.get(f"aliases[{index}]", entry.line))
                    for index, alias in enumerate(entry.get("aliases") or ())
                ]
                for text, line in spellings:
                    if text is None:
                        continue
                    key = normalize_alias(text)
                    if not key:
                        self._problem(entry, "name", f"spelling {text!r} is empty once normalized")
                        continue
                    bucket = by_key.setdefault(key, [])
                    if not any(s.kind == kind and s.owner == owner for s in bucket):
                        bucket.append(_Spelling(kind, owner, text, entry.file, line))

        for spellings in by_key.values():
            if len(spellings) < 2:
                continue
            place_spellings = [s for s in spellings if s.kind == "place"]
            first_place = place_spellings[0] if place_spellings else None
            first_cluster = next((s for s in spellings if s.kind == "cluster"), None)
            for spelling in spellings:
                if spelling.kind == "place":
                    if spelling is not first_place:
                        self._collision(spelling, first_place, "")
                    continue
                if first_place is not None:
                    if first_place.owner not in places_of.get(spelling.owner, ()):
                        self._collision(
                            spelling,
                            first_place,
                            f" (list place '{first_place.owner}' in this cluster's places "
                            "if it is named after it)",
                        )
                elif spelling is not first_cluster:
                    self._collision(spelling, first_cluster, "")

    def _collision(self, spelling: _Spelling, other: _Spelling | None, hint: str) -> None:
        assert other is not None
        where = (
            f"{other.file}:{other.line}" if other.file != spelling.file else f"line {other.line}"
        )
        self.ctx.problems.append(
            Problem(
                spelling.file,
                spelling.line,
                spelling.owner,
                f"alias {spelling.text!r} collides with {other.kind} '{other.owner}' "
                f"({other.text!r}, {where}){hint}",
            )
        )

    def _check_vocabulary(
        self, fields: list[_Entry], stages: list[_Entry], statuses: list[_Entry]
    ) -> None:
        """A word people type for a field (or a stage/status) must mean one thing."""
        for group, entries, keys in (
            ("field", fields, ("name", "name_ja", "synonyms")),
            ("stage or status", [*stages, *statuses], ("name", "name_ja", "synonyms")),
        ):
            owner: dict[str, tuple[str, str, int]] = {}
            for entry in entries:
                entry_id = entry.get("id")
                if entry_id is None:
                    continue
                words: list[tuple[str, int]] = []
                for key in keys:
                    value = entry.get(key)
                    if isinstance(value, str):
                        words.append((value, entry.lines.get(key, entry.line)))
                    elif isinstance(value, tuple):
                        words += [
                            (word, entry.lines.get(f"{key}[{index}]", entry.line))
                            for index, word in enumerate(value)
                        ]
                for word, line in words:
                    folded = normalize_alias(word)
                    other = owner.setdefault(folded, (entry_id, word, line))
                    if other[0] != entry_id:
                        self.ctx.problems.append(
                            Problem(
                                entry.file,
                                line,
                                entry_id,
                                f"synonym {word!r} also means {group} '{other[0]}' "
                                f"({other[1]!r}, line {other[2]})",
                            )
                        )

    def _notes(
        self,
        documents: list[_Entry],
        organizations: list[_Entry],
        places: list[_Entry],
        clusters: list[_Entry],
        programme_office: Any,
    ) -> list[str]:
        notes = []
        heads: dict[str, list[str]] = {}
        for entry in clusters:
            for place in entry.get("places") or ():
                heads.setdefault(place, []).append(entry.label)
        for entry in places:
            place_id = entry.get("id")
            owners = heads.get(place_id, [])
            if len(owners) > 1:
                notes.append(
                    f"place '{place_id}' heads {len(owners)} clusters: {', '.join(owners)}"
                )
            elif not owners and place_id is not None:
                notes.append(f"place '{place_id}' is listed by no cluster")
        linked = {link.id for e in clusters if (link := e.get("organization")) is not None}
        for org_id in self._ids(organizations):
            if org_id not in linked and org_id != programme_office:
                notes.append(f"organization '{org_id}' is linked to no cluster")
        cited = {ref[4] for ref in self.ctx.doc_refs}
        notes += [
            f"document '{d}' is cited by nothing" for d in self._ids(documents) if d not in cited
        ]
        return notes


# --------------------------------------------------------------------------------------
# Freezing entries into model objects (only once there is no problem at all).


def _frozen_by_id(items: Iterable[Any]) -> Mapping[str, Any]:
    return MappingProxyType({item.id: item for item in items})


def _optional(entry: _Entry, *keys: str) -> dict[str, Any]:
    return {key: entry.values[key] for key in keys if key in entry.values}


def _document(entry: _Entry) -> Document:
    v = entry.values
    return Document(id=v["id"], title=v["title"], **_optional(entry, "url", "note"))


def _organization(entry: _Entry) -> Organization:
    v = entry.values
    return Organization(
        id=v["id"],
        name=v["name"],
        sources=v["sources"],
        **_optional(
            entry, "name_ja", "short_name", "office", "address", "tel", "fax", "as_of", "note"
        ),
    )


def _term(entry: _Entry) -> Term:
    v = entry.values
    return Term(
        id=v["id"],
        name=v["name"],
        name_ja=v["name_ja"],
        synonyms=v["synonyms"],
        **_optional(entry, "started", "source"),
    )


def _place(entry: _Entry) -> Place:
    v = entry.values
    return Place(id=v["id"], name=v["name"], aliases=v.get("aliases", ()))


def _cluster(entry: _Entry) -> Cluster:
    v = entry.values
    return Cluster(
        id=v["id"],
        name=v["name"],
        stage=v["stage"],
        status=v["status"],
        fields=v["fields"],
        places=v["places"],
        aliases=v.get("aliases", ()),
        source=v["source"],
        **_optional(entry, "page", "organization"),
    )


def _field(entry: _Entry) -> KeyField:
    v = entry.values
    return KeyField(
        id=v["id"],
        name=v["name"],
        name_ja=v["name_ja"],
        synonyms=v["synonyms"],
        emoji=v["emoji"],
        colour=v["colour"],
    )


def _faq(entry: _Entry) -> FaqEntry:
    v = entry.values
    return FaqEntry(
        id=v["id"],
        topic=v["topic"],
        question=v["question"],
        alternates=v["alternates"],
        answer=v["answer"],
        sources=v["sources"],
        keywords=v.get("keywords", ()),
    )
