"""What the files say about one another: ids are unique, and every reference resolves.

A reference into a list that could not be read at all is not checked (`known_ids` is None
then): the unreadable file is already one problem, and a cascade would only bury it.
"""

from __future__ import annotations

import yaml

from bot.kb.nodes import Context, Entry, line_of
from bot.kb.problems import Problem, quoted, verbatim
from bot.kb.schema import CLUSTERS_FILE, CONTACT_KEYS, FAQ_FILE, SOURCES_FILE


class KnownIds(list):
    """The ids others may refer to, listed in messages; a reference is also taken as known
    when it is a word of an entry whose YAML had to be mended (its id may be among them):
    a guess at a broken entry must not make every reference to it an error."""

    def __init__(self, ids: list[str], possible: frozenset[str] = frozenset()) -> None:
        super().__init__(ids)
        self.possible = possible

    def __contains__(self, value: object) -> bool:
        return super().__contains__(value) or value in self.possible


def known_ids(ctx: Context, entries: list[Entry], file: str) -> KnownIds | None:
    """The ids others may refer to, or None when their list could not be read at all
    (then references to it are not checked: that would only repeat the first problem)."""
    if file not in ctx.loaded or not entries:
        return None
    return KnownIds(ids_of(entries), ctx.words_of_damaged(file))


def ids_of(entries: list[Entry]) -> list[str]:
    return [entry.values["id"] for entry in entries if isinstance(entry.values.get("id"), str)]


def report_at(ctx: Context, entry: Entry, key: str, message: str) -> None:
    ctx.problems.append(Problem(entry.file, entry.lines.get(key, entry.line), entry.label, message))


def check_known(ctx: Context, entry: Entry, key: str, known: list[str] | None) -> None:
    """A problem at `key` when the entry names an id that is not among `known` (None: the
    list itself was broken and has been reported)."""
    value = entry.get(key)
    if value is not None and known is not None and value not in known:
        report_at(
            ctx,
            entry,
            key,
            f"{key}: unknown {key} {quoted(value)} (known: {verbatim(', '.join(known))})",
        )


def check_unique(ctx: Context, entries: list[Entry], kind: str) -> None:
    first: dict[str, Entry] = {}
    for entry in entries:
        entry_id = entry.get("id")
        if entry_id is None:
            continue
        if entry_id in first:
            ctx.problems.append(
                Problem(
                    entry.file,
                    entry.lines["id"],
                    entry_id,
                    f"duplicate {kind} id {quoted(entry_id)} (first on line "
                    f"{first[entry_id].lines['id']})",
                )
            )
        else:
            first[entry_id] = entry


def check_controlled(
    ctx: Context, entries: list[Entry], node: yaml.Node, kind: str, allowed: tuple[str, ...]
) -> None:
    """Stages and statuses are a fixed vocabulary the engine relies on."""
    ids = ids_of(entries)
    for entry in entries:
        entry_id = entry.get("id")
        if entry_id is not None and entry_id not in allowed:
            ctx.problems.append(
                Problem(
                    entry.file,
                    entry.lines["id"],
                    entry_id,
                    f"id: unknown {kind} {quoted(entry_id)} (the bot knows: {', '.join(allowed)})",
                )
            )
    if entries and len(entries) == len(node.value):
        for missing in (value for value in allowed if value not in ids):
            ctx.problems.append(
                Problem(CLUSTERS_FILE, line_of(node), None, f"{kind} '{missing}' is not defined")
            )


def check_contact_sources(ctx: Context, organizations: list[Entry]) -> None:
    """Contact details are dated by the document they come from: an organization that has
    any names it (`contact_source`), and it is one of the organization's own sources."""
    for entry in organizations:
        details = [key for key in CONTACT_KEYS if key in entry.values]
        named = entry.get("contact_source")
        if details and "contact_source" not in entry.values:
            report_at(
                ctx,
                entry,
                details[0],
                f"contact_source missing: {', '.join(details)} must say which of the "
                "organization's sources they come from (its document dates them)",
            )
        elif named is not None and not details:
            report_at(
                ctx,
                entry,
                "contact_source",
                "contact_source: the organization has no contact details "
                f"({', '.join(CONTACT_KEYS)}) to date",
            )
        elif named is not None and isinstance(entry.get("sources"), tuple):
            docs = [ref.doc for ref in entry.get("sources")]
            if named not in docs:
                report_at(
                    ctx,
                    entry,
                    "contact_source",
                    f"contact_source: {quoted(named)} is not one of the organization's sources "
                    f"({verbatim(', '.join(docs))})",
                )


def check_doc_refs(ctx: Context, documents: list[Entry]) -> None:
    known = known_ids(ctx, documents, SOURCES_FILE)
    if known is None:
        return
    for file, line, entry, key, doc in ctx.doc_refs:
        if doc not in known:
            ctx.problems.append(
                Problem(
                    file,
                    line,
                    entry or None,
                    f"{key}: unknown document {quoted(doc)} (known: {verbatim(', '.join(known))})",
                )
            )


def check_contents(
    ctx: Context,
    contents: list[Entry],
    faq: list[Entry],
    stages: list[Entry],
    statuses: list[Entry],
) -> None:
    """A contents section's FAQ entry, stage and status must exist (when their file could
    be read at all: a missing file is one problem, not a cascade)."""
    known = {
        "faq": known_ids(ctx, faq, FAQ_FILE),
        "stage": known_ids(ctx, stages, CLUSTERS_FILE),
        "status": known_ids(ctx, statuses, CLUSTERS_FILE),
    }
    for entry in contents:
        for key, ids in known.items():
            value = entry.get(key)
            if value is not None and ids is not None and value not in ids:
                report_at(ctx, entry, key, f"{key}: unknown {key} '{value}'")


def check_clusters(
    ctx: Context,
    clusters: list[Entry],
    stages: list[Entry],
    statuses: list[Entry],
    places: list[Entry],
    field_ids: list[str] | None,
    org_ids: list[str] | None,
) -> None:
    stage_ids = known_ids(ctx, stages, CLUSTERS_FILE)
    status_ids = known_ids(ctx, statuses, CLUSTERS_FILE)
    place_ids = known_ids(ctx, places, CLUSTERS_FILE)
    for entry in places:
        link = entry.get("within")
        if link is not None and place_ids is not None and link.place not in place_ids:
            report_at(ctx, entry, "within", f"within: unknown place '{link.place}'")
    for entry in clusters:
        for key, known in (("stage", stage_ids), ("status", status_ids)):
            check_known(ctx, entry, key, known)
        for key, known, kind in (
            ("fields", field_ids, "field"),
            ("places", place_ids, "place"),
        ):
            if known is None:
                continue
            for index, value in enumerate(entry.get(key) or ()):
                if value not in known:
                    report_at(
                        ctx,
                        entry,
                        f"{key}[{index}]",
                        f"{key}: unknown {kind} {quoted(value)} "
                        f"(known: {verbatim(', '.join(known))})",
                    )
        link = entry.get("organization")
        if link is not None and org_ids is not None and link.id not in org_ids:
            report_at(
                ctx,
                entry,
                "organization.id",
                f"organization: unknown organization {quoted(link.id)} "
                f"(known: {verbatim(', '.join(org_ids))})",
            )
