"""Load and validate the knowledge base (`knowledge/*.yaml`) into the objects of `model`.

Every problem is collected (file, line, entry id, message) and reported at once in one
`KnowledgeBaseError`, so an editor fixes a broken file in one pass. A file that cannot be
read at all (missing, too big, not UTF-8, malformed YAML, anchors) is one problem; the checks
that need what it would have defined are skipped rather than reported as a cascade.

The work is split by role: `_yaml` reads a file strictly into nodes, `nodes` and `schema`
read the nodes into entries, `references` and `lint` check the entries against one another,
and `build` freezes them. This module runs the files through those steps in order.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

from bot.kb import (
    _yaml,
    build,
    geography,
    intents,
    lexicon,
    lint,
    programme,
    references,
    translations,
)
from bot.kb.file_bytes import DEFAULT_LIMITS, ReadLimits
from bot.kb.files import KnowledgeFiles, read_knowledge_files
from bot.kb.model import KnowledgeBase, Passage, SourceRef
from bot.kb.nodes import INVALID, Context, Entry, describe, line_of
from bot.kb.problems import KnowledgeBaseError, Problem, quoted, verbatim
from bot.kb.schema import (
    CLUSTER_KEYS,
    CLUSTERS_FILE,
    COLOUR,
    CONTENTS_KEYS,
    DOCUMENT_KEYS,
    FAQ_FILE,
    FAQ_KEYS,
    FAQ_ROLES,
    FIELD_KEYS,
    FIELDS_FILE,
    FILES,
    GEOGRAPHY_FILE,
    INTENTS_FILE,
    LEXICON_FILE,
    ORGANIZATION_KEYS,
    ORGANIZATIONS_FILE,
    PASSAGE_KEYS,
    PASSAGES_FILE,
    PLACE_KEYS,
    PROGRAMME_FILE,
    SOURCES_FILE,
    TERM_KEYS,
    TOP_KEYS,
    URL,
)

__all__ = ["FILES", "KnowledgeBaseError", "Problem", "ReadLimits", "load_knowledge"]


def load_knowledge(
    directory: str | os.PathLike[str] | None = None,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> KnowledgeBase:
    """Read, validate and freeze the knowledge base in `directory`.

    None means `resolve_knowledge_dir()`: $KNOWLEDGE_DIR, else the shipped one. `limits`
    bounds each file's size and number of values (see `ReadLimits`). `directory` may also
    be the `KnowledgeFiles` already read, whose bytes and limits are then used.
    Raises `KnowledgeBaseError` listing every problem found.
    """
    files = read_knowledge_files(directory, limits)
    loader = _Loader(files)
    try:
        return loader.load()
    except yaml.YAMLError as exc:  # defensive: every YAML error should already be a problem
        label = str(files.directory)
        raise KnowledgeBaseError([Problem(label, None, None, f"YAML: {exc}")], label) from exc


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by file (in the order of `FILES`) and line."""
    order = {name: index for index, name in enumerate(FILES)}
    return sorted(problems, key=lambda p: (order.get(p.file, -1), p.line or 0))


class _Loader:
    def __init__(self, files: KnowledgeFiles) -> None:
        self.files = files
        self.directory = files.directory
        self.ctx = Context()
        self.causes: list[BaseException] = []  # what made unreadable files unreadable
        # Mistakes in the files' YAML: each reported at its line, however its entry reads.
        self.syntax_problems: list[Problem] = []

    def _top(self, name: str) -> dict[str, yaml.Node]:
        """The top-level keys of one file, or {} when it cannot be read (reported)."""
        ctx = self.ctx
        ctx.file = name
        data = self.files.contents[name]
        try:
            if isinstance(data, _yaml.FileRefused):
                raise data
            document = _yaml.compose_document(_yaml.decode(data), limits=self.files.limits)
        except _yaml.FileRefused as refused:
            document = _yaml.Document(None, (refused,))
        for refused in document.problems:
            self.syntax_problems.append(Problem(name, refused.line, None, refused.message))
            self.causes.append(refused.__cause__ or refused)
        if document.node is None:
            return {}
        root = document.node
        if document.problems:
            ctx.damaged[name] = document
        allowed = TOP_KEYS[name]
        if not isinstance(root, yaml.MappingNode):
            ctx.report(
                line_of(root),
                None,
                f"expected a mapping with the keys {', '.join(allowed)} at the top level, "
                f"got {describe(root)}",
            )
            return {}
        ctx.loaded.add(name)
        top: dict[str, yaml.Node] = {}
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                ctx.report(
                    line_of(key_node),
                    None,
                    f"unknown top-level key {quoted(key)} (allowed: {', '.join(allowed)})",
                )
            elif key in top:
                ctx.report(line_of(key_node), None, f"top-level key '{key}' is given twice")
            else:
                top[key] = value_node
        for key, required in allowed.items():
            if required and key not in top:
                ctx.report(line_of(root), None, f"missing top-level key '{key}'")
        return top

    def load(self) -> KnowledgeBase:
        ctx = self.ctx
        top = self._top(SOURCES_FILE)
        documents = ctx.entries(top.get("documents"), "documents", DOCUMENT_KEYS)
        references.check_unique(ctx, documents, "document")
        for entry in documents:
            url = entry.get("url")
            if url is not None and not URL.fullmatch(url):
                ctx.report(
                    entry.lines["url"],
                    entry.label,
                    f"url: expected an http(s) address, got {quoted(url)}",
                )
            if "url" not in entry.values and "note" not in entry.values:
                ctx.report(
                    entry.line,
                    entry.label,
                    "a document needs a `url` or a `note` saying where it is",
                )

        contents = (
            ctx.entries(top["contents"], "contents", CONTENTS_KEYS) if "contents" in top else []
        )
        references.check_unique(ctx, contents, "contents section")
        contents_holder = Entry(SOURCES_FILE, 0, "contents_source", {}, {})
        contents_source = (
            ctx.source(top["contents_source"], contents_holder, "contents_source")
            if "contents_source" in top
            else None
        )

        top = self._top(ORGANIZATIONS_FILE)
        organizations = ctx.entries(top.get("organizations"), "organizations", ORGANIZATION_KEYS)
        references.check_unique(ctx, organizations, "organization")
        references.check_contact_sources(ctx, organizations)
        office_node = top.get("programme_office")
        office_entry = Entry(ORGANIZATIONS_FILE, 0, "programme_office", {}, {})
        programme_office = (
            None if office_node is None else ctx.text(office_node, office_entry, "programme_office")
        )

        top = self._top(CLUSTERS_FILE)
        stages = ctx.entries(top.get("stages"), "stages", TERM_KEYS)
        statuses = ctx.entries(top.get("statuses"), "statuses", TERM_KEYS)
        places = ctx.entries(top.get("places"), "places", PLACE_KEYS)
        clusters = ctx.entries(top.get("clusters"), "clusters", CLUSTER_KEYS)
        for entries, kind in (
            (stages, "stage"),
            (statuses, "status"),
            (places, "place"),
            (clusters, "cluster"),
        ):
            references.check_unique(ctx, entries, kind)

        top = self._top(FIELDS_FILE)
        fields_holder = Entry(FIELDS_FILE, 0, "", {}, {})
        fields_source = (
            ctx.source(top["source"], fields_holder, "source") if "source" in top else INVALID
        )
        fields = ctx.entries(top.get("fields"), "fields", FIELD_KEYS)
        references.check_unique(ctx, fields, "field")
        for entry in fields:
            colour = entry.get("colour")
            if colour is not None and not COLOUR.fullmatch(colour):
                ctx.report(
                    entry.lines["colour"],
                    entry.label,
                    f"colour: expected #RRGGBB, got {quoted(colour)}",
                )

        top = self._top(FAQ_FILE)
        faq = ctx.entries(top.get("faq"), "faq", FAQ_KEYS)
        references.check_unique(ctx, faq, "FAQ entry")
        for entry in faq:
            for role in entry.get("roles") or ():
                if role not in FAQ_ROLES:
                    ctx.report(
                        entry.lines.get("roles", entry.line),
                        entry.label,
                        f"roles: {quoted(role)} is not a role (known: {', '.join(FAQ_ROLES)})",
                    )
        lint.check_faq_phrases(ctx, faq)

        phrases = intents.read(ctx, self._top(INTENTS_FILE))

        geo = geography.read(ctx, self._top(GEOGRAPHY_FILE))
        words = lexicon.read(ctx, self._top(LEXICON_FILE))
        programme_top = self._top(PROGRAMME_FILE)
        top = self._top(PASSAGES_FILE)
        passages = ctx.entries(top.get("passages"), "passages", PASSAGE_KEYS)
        for entry in passages:
            if isinstance(entry.get("doc"), str):
                ctx.doc_refs.append(
                    (
                        PASSAGES_FILE,
                        entry.lines.get("doc", entry.line),
                        entry.label,
                        "doc",
                        entry.get("doc"),
                    )
                )

        # --- references between files ----------------------------------------------
        org_ids = references.known_ids(ctx, organizations, ORGANIZATIONS_FILE)
        ctx.file = PROGRAMME_FILE
        about = programme.read(ctx, programme_top, org_ids)
        references.check_doc_refs(ctx, documents)
        self._check_programme_office(programme_office, office_entry, org_ids)
        field_ids = references.known_ids(ctx, fields, FIELDS_FILE)
        references.check_clusters(ctx, clusters, stages, statuses, places, field_ids, org_ids)
        lint.check_spellings(ctx, places, clusters)
        lint.check_vocabulary(ctx, fields, stages, statuses)
        references.check_contents(ctx, contents, faq, stages, statuses)
        geography.check(ctx, geo, places, clusters)
        notes = lint.notes_on(ctx, documents, organizations, places, clusters, programme_office)

        entries = {
            "documents": documents,
            "organizations": organizations,
            "places": places,
            "clusters": clusters,
            "faq": faq,
            "fields": fields,
            "stages": stages,
            "statuses": statuses,
            "contents": contents,
        }
        gaps = [g for g in translations.gaps(entries) if not ctx.echoes(g)]
        problems = [*self.syntax_problems, *(p for p in ctx.problems if not ctx.echoes(p))]
        if problems:
            cause = self.causes[0] if self.causes else None  # e.g. the YAML parser's error
            raise KnowledgeBaseError(
                in_file_order(problems), str(self.directory), in_file_order(gaps)
            ) from cause
        return build.knowledge_base(
            str(self.directory),
            entries,
            phrases,
            programme_office,
            notes,
            fields_source,
            contents_source,
            geography=geography.build(geo),
            lexicon=words,
            programme=about,
            passages=tuple(
                Passage(SourceRef(e.values["doc"], e.values["where"]), e.values["text"])
                for e in passages
            ),
            translation_gaps=tuple(in_file_order(gaps)),
        )

    def _check_programme_office(
        self, programme_office: Any, office_entry: Entry, org_ids: list[str] | None
    ) -> None:
        if (
            org_ids is not None
            and isinstance(programme_office, str)
            and programme_office not in org_ids
        ):
            self.ctx.file = ORGANIZATIONS_FILE
            self.ctx.report(
                office_entry.lines.get("programme_office"),
                None,
                f"programme_office: unknown organization {quoted(programme_office)} "
                f"(known: {verbatim(', '.join(org_ids))})",
            )
