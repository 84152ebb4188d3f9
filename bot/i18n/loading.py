"""Reading the catalogues (`knowledge/messages/*.yaml`) and checking them against the code.

Every problem is reported at once with file, line and message id, like the rest of the
knowledge base. The English catalogue is the reference: it must have every message the code
declares (`bot.engine.messages`, `bot.i18n.words`). Another language may lack some (the
reply then falls back to English for those alone): `check` lists them and fails, the running
bot only logs them. Anything else wrong (a placeholder the code does not pass, one it passes
and the words drop, a broken template) refuses the catalogue, and a reload keeps the
catalogues that were live.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

import bot.engine.messages  # declares the answers' messages in the registry
import bot.i18n.words  # noqa: F401  (declares the front-ends' words)
from bot.engine.registry import REGISTRY, MessageSpec
from bot.i18n.catalogue import (  # noqa: F401 (the constants are read from here too)
    AMBIENT_PARAMS,
    COUNT_PARAM,
    LIST_ITEM_SEPARATOR,
    NUMBER_SPECS,
    PLURAL_CATEGORIES,
    REF_SPECS,
    REFERENCE_LANGUAGE,
    TEXT_SPECS,
    YEN_SPEC,
    Catalogue,
    Catalogues,
    ListPattern,
    Message,
    TemplateError,
    parse_template,
    placeholders,
)
from bot.kb._yaml import (
    DEFAULT_LIMITS,
    Document,
    FileRefused,
    ReadLimits,
    compose_document,
    decode,
    read_bytes,
    scalar_value,
)
from bot.kb.files import KnowledgeFiles
from bot.kb.loader import KnowledgeBaseError, Problem
from bot.kb.paths import MESSAGES_DIR, messages_dir

_TOP_KEYS = frozenset({"language", "name", "lists", "messages"})


def load_catalogues(
    knowledge_dir: str | os.PathLike[str], *, limits: ReadLimits = DEFAULT_LIMITS
) -> Catalogues:
    """Every `*.yaml` of the messages directory, validated; `KnowledgeBaseError` lists every
    problem otherwise."""
    if isinstance(knowledge_dir, KnowledgeFiles) and knowledge_dir.catalogue_dir is not None:
        # The bytes a cached build was keyed by: read once, never again.
        directory = knowledge_dir.catalogue_dir
        files = dict(knowledge_dir.catalogues)
    else:
        directory = messages_dir(knowledge_dir)
        files = {p.name: _read(p, limits) for p in sorted(directory.glob("*.yaml"))}
    problems: list[Problem] = []
    missing: list[Problem] = []
    found: dict[str, Catalogue] = {}
    readers: dict[str, _CatalogueReader] = {}
    for name, data in files.items():
        label = f"{MESSAGES_DIR}/{name}"
        path = directory / name
        reader = _CatalogueReader(label)
        readers[name] = reader
        try:
            if isinstance(data, FileRefused):
                raise data
            document = compose_document(decode(data), limits=limits)
        except FileRefused as exc:
            document = Document(None, (exc,))
        problems += [Problem(label, exc.line, None, exc.message) for exc in document.problems]
        if document.node is None:
            continue
        catalogue = reader.read(document.node, str(path))
        # In a message whose YAML was mended, a further problem only echoes the mistake.
        problems += [p for p in reader.problems if not document.is_quiet(p.line)]
        missing += [p for p in reader.missing if p.entry_id not in document.quiet_words]
        if catalogue is None or document.problems:
            continue
        if catalogue.language in found:
            problems.append(
                Problem(label, None, None, f"a second catalogue for language {catalogue.language}")
            )
            continue
        found[catalogue.language] = catalogue
    if REFERENCE_LANGUAGE not in found and not problems:
        problems.append(
            Problem(MESSAGES_DIR, None, None, f"no {REFERENCE_LANGUAGE} catalogue in {directory}")
        )
    english = readers.get(f"{REFERENCE_LANGUAGE}.yaml")
    if english is not None:  # a translation's gap belongs where English has the message
        order = sorted(english.lines, key=english.lines.__getitem__)
        label_of = {reader.label: reader for reader in readers.values()}
        missing = [label_of[p.file]._placed(p, order) for p in missing]
    english_gaps = [p for p in missing if p.file.endswith(f"{REFERENCE_LANGUAGE}.yaml")]
    problems += english_gaps  # English has nothing to fall back to
    gaps = tuple(p for p in missing if p not in english_gaps)
    if problems:
        raise KnowledgeBaseError(problems, str(directory), gaps)
    return Catalogues(found, gaps)


def _read(path: Path, limits: ReadLimits) -> bytes | FileRefused:
    try:
        return read_bytes(path, limits)
    except FileRefused as refused:
        return refused


class _CatalogueReader:
    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[Problem] = []
        self.missing: list[Problem] = []
        self.lines: dict[str, int] = {}  # the line of each message given, by id
        self.broken: set[str] = set()  # messages given but refused (reported as such)

    def report(self, node: yaml.Node | None, message_id: str | None, text: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.label, line, message_id, text))

    def read(self, node: yaml.Node, path: str) -> Catalogue | None:
        if not isinstance(node, yaml.MappingNode):
            self.report(node, None, "a catalogue is a mapping with language, name, lists, messages")
            return None
        top = {scalar_value(k): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        for key in sorted(set(map(str, top)) - _TOP_KEYS):
            self.report(top[key], None, f"unknown key {key!r} (allowed: {sorted(_TOP_KEYS)})")
        language = self._text(top.get("language"), "language")
        name = self._text(top.get("name"), "name")
        lists = self._lists(top.get("lists"))
        messages = self._messages(top.get("messages"), lists)
        if messages is None:
            return None
        # Words the code uses and this catalogue lacks: listed whatever else is wrong, so
        # that one run of `check` shows them (a message given but broken is not missing).
        for message_id in REGISTRY:
            if message_id not in messages and message_id not in self.broken:
                self.missing.append(
                    Problem(self.label, None, message_id, "message missing (the code uses it)")
                )
        self.missing = [self._placed(problem, REGISTRY) for problem in self.missing]
        if language is None or name is None or lists is None:
            return None
        return Catalogue(language, name, messages, lists, path)

    def _placed(self, missing: Problem, order: Iterable[str]) -> Problem:
        """A missing message located where it belongs: after the message that comes before
        it in `order` (the English catalogue's, else the code's) and that this file has."""
        before = None
        for message_id in order:
            if message_id == missing.entry_id:
                break
            if message_id in self.lines:
                before = message_id
        if before is None:
            return missing
        return Problem(
            missing.file,
            self.lines[before],
            missing.entry_id,
            f"message missing (the code uses it): it belongs after {before}",
        )

    def _text(self, node: yaml.Node | None, key: str) -> str | None:
        value = scalar_value(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            self.report(node, None, f"{key} must be a non-empty text")
            return None
        return value.strip()

    def _lists(self, node: yaml.Node | None) -> dict[str, ListPattern] | None:
        if not isinstance(node, yaml.MappingNode):
            self.report(node, None, "lists must map a pattern name to {separator, last}")
            return None
        patterns = {}
        for key_node, value in node.value:
            name = scalar_value(key_node)
            parts = (
                {scalar_value(k): scalar_value(v) for k, v in value.value}
                if isinstance(value, yaml.MappingNode)
                else {}
            )
            if set(parts) != {"separator", "last"} or not all(
                isinstance(v, str) for v in parts.values()
            ):
                self.report(value, None, f"list pattern {name!r} needs separator and last texts")
                continue
            patterns[str(name)] = ListPattern(parts["separator"], parts["last"])
        return patterns

    def _messages(
        self, node: yaml.Node | None, lists: Mapping[str, ListPattern] | None
    ) -> dict[str, Message] | None:
        if not isinstance(node, yaml.MappingNode):
            self.report(node, None, "messages must map each message id to its words")
            return None
        messages = {}
        for key_node, value in node.value:
            message_id = str(scalar_value(key_node))
            self.lines.setdefault(message_id, key_node.start_mark.line + 1)
            if message_id in messages:
                self.report(key_node, message_id, "message given twice")
                continue
            spec = REGISTRY.get(message_id)
            if spec is None:
                self.report(key_node, message_id, "no such message in the code (a typo?)")
                continue
            message = self._message(value, message_id, spec, lists or {})
            if message is not None:
                messages[message_id] = message
            else:
                self.broken.add(message_id)
        return messages

    def _message(
        self, node: yaml.Node, message_id: str, spec: MessageSpec, lists: Mapping
    ) -> Message | None:
        params = spec.params
        if isinstance(node, yaml.ScalarNode):
            raw = {"other": scalar_value(node)}
        elif isinstance(node, yaml.MappingNode):
            raw = {str(scalar_value(k)): scalar_value(v) for k, v in node.value}
            unknown = set(raw) - set(PLURAL_CATEGORIES)
            if unknown or "other" not in raw:
                self.report(
                    node,
                    message_id,
                    "plural forms are " + ", ".join(PLURAL_CATEGORIES) + " and must include other",
                )
                return None
            if COUNT_PARAM not in params:
                self.report(node, message_id, "has plural forms but no count to choose by")
                return None
        else:
            self.report(node, message_id, "must be a text, or plural forms (one:, other:)")
            return None
        forms = {}
        used: set[str] = set()
        for category, text in raw.items():
            if not isinstance(text, str):
                self.report(node, message_id, f"{category}: must be a text")
                return None
            try:
                template = parse_template(text)
            except TemplateError as exc:
                self.report(node, message_id, str(exc))
                return None
            for segment in template:
                known = {*lists, *REF_SPECS, *TEXT_SPECS, *NUMBER_SPECS}
                if segment.spec and not all(
                    word in known for word in segment.spec.split(LIST_ITEM_SEPARATOR)
                ):
                    placeholder = f"{{{segment.field}:{segment.spec}}}"
                    self.report(node, message_id, f"unknown spec in {placeholder}")
            forms[category] = template
            used |= placeholders(template)
        if used - params - AMBIENT_PARAMS:
            self.report(
                node,
                message_id,
                f"unknown placeholder(s) {sorted(used - params - AMBIENT_PARAMS)}; "
                f"the code passes {sorted(params) or 'none'} "
                f"(and any message may use {', '.join(sorted(AMBIENT_PARAMS))})",
            )
        # Only parameters declared optional may be left out (a count that only chooses
        # between "Source:" and "Sources:", which Japanese does not distinguish).
        dropped = params - used - spec.optional
        if not used - params - AMBIENT_PARAMS and dropped:
            self.report(
                node,
                message_id,
                f"the words drop {sorted(dropped)}: every "
                "parameter must appear in at least one form",
            )
        return Message(forms)
