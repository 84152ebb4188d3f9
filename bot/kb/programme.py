"""`programme.yaml`: the programme's names, who runs it, its start, what became of it and its
dated figures, read like the other files (every problem at once, with line and entry)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import yaml

from bot.kb.model import FIGURE_KINDS, Example, Figure, Programme, Successor
from bot.kb.nodes import INTEGER, INVALID, SOURCE, Context, Entry, Key, line_of, text_key
from bot.kb.problems import quoted
from bot.kb.schema import PROGRAMME_FILE

_STARTED_KEYS = {"year": Key(Context.integer), "source": SOURCE}
_SUCCESSOR_KEYS = {
    "name_ja": text_key(),
    "from_fiscal_year": Key(Context.integer),
    "source": SOURCE,
}


def _flag(ctx: Context, node: yaml.Node, entry: Entry, key: str) -> Any:
    value = ctx._scalar(node)
    if isinstance(value, bool):
        return value
    ctx.report(line_of(node), entry.label, f"{key}: expected true or false")
    return INVALID


EXAMPLE_KEYS = {"id": text_key(), "en": text_key(), "ja": text_key()}
FIGURE_KEYS = {
    "id": text_key(),
    "kind": text_key(),
    "amount": Key(Context.integer),
    "year": INTEGER,
    "approximate": Key(_flag, required=False),
    "source": SOURCE,
}


def read(
    ctx: Context, top: Mapping[str, yaml.Node], organization_ids: list[str] | None
) -> Programme:
    """The programme, its problems reported; an unreadable part is left out."""
    holder = Entry(PROGRAMME_FILE, 0, "", {}, {})
    text = {key: ctx.text(top[key], holder, key) for key in ("name", "name_ja") if key in top}
    names_source = (
        ctx.source(top["names_source"], holder, "names_source") if "names_source" in top else None
    )
    run_by = ctx.text(top["run_by"], holder, "run_by") if "run_by" in top else None
    edition = ctx.text(top["edition"], holder, "edition") if "edition" in top else None
    if isinstance(edition, str):
        ctx.doc_refs.append((PROGRAMME_FILE, holder.lines.get("edition"), None, "edition", edition))
    if isinstance(run_by, str) and organization_ids is not None and run_by not in organization_ids:
        ctx.report(
            holder.lines.get("run_by"),
            None,
            f"run_by: unknown organization {quoted(run_by)} (known: {', '.join(organization_ids)})",
        )
        run_by = INVALID
    started = (
        ctx.mapping(top["started"], holder, "started", _STARTED_KEYS) if "started" in top else None
    )
    successor = (
        ctx.mapping(top["successor"], holder, "successor", _SUCCESSOR_KEYS)
        if "successor" in top
        else None
    )
    figures = ctx.entries(top.get("figures"), "figures", FIGURE_KEYS)
    examples = ctx.entries(top.get("examples"), "examples", EXAMPLE_KEYS)
    example_ids: set[str] = set()
    for entry in examples:
        if entry.get("id") in example_ids:
            ctx.report(
                entry.line, entry.label, f"example id {quoted(entry.get('id'))} is given twice"
            )
        example_ids.add(entry.get("id"))
    seen: set[tuple[str, int | None]] = set()
    ids: set[str] = set()
    for entry in figures:
        kind = entry.get("kind")
        if isinstance(kind, str) and kind not in FIGURE_KINDS:
            ctx.report(
                entry.lines.get("kind"),
                entry.label,
                f"kind: {quoted(kind)} is not a kind of figure (known: {', '.join(FIGURE_KINDS)})",
            )
            entry.values["kind"] = INVALID
        if kind == "budget" and entry.get("year") is None:
            ctx.report(entry.line, entry.label, "a budget needs the `year` it is for")
        key = (kind, entry.get("year"))
        if key in seen:
            ctx.report(entry.line, entry.label, f"a second {kind} figure for the same year")
        seen.add(key)
        if entry.get("id") in ids:
            ctx.report(
                entry.line, entry.label, f"figure id {quoted(entry.get('id'))} is given twice"
            )
        ids.add(entry.get("id"))
    if _invalid(text, names_source, run_by, edition, started, successor) or any(
        INVALID in e.values.values() for e in (*figures, *examples)
    ):
        return Programme()
    return Programme(
        name=text.get("name", ""),
        name_ja=text.get("name_ja", ""),
        names_source=names_source,
        run_by=run_by,
        edition=edition,
        started=started["year"] if started else None,
        started_source=started["source"] if started else None,
        successor=Successor(**successor) if successor else None,
        figures=tuple(
            Figure(
                id=e.values["id"],
                kind=e.values["kind"],
                amount=e.values["amount"],
                source=e.values["source"],
                year=e.values.get("year"),
                approximate=bool(e.values.get("approximate", False)),
            )
            for e in figures
        ),
        examples=tuple(
            Example(e.values["id"], MappingProxyType({"en": e.values["en"], "ja": e.values["ja"]}))
            for e in examples
        ),
    )


def _invalid(*values: Any) -> bool:
    for value in values:
        if value is INVALID:
            return True
        if isinstance(value, dict) and INVALID in value.values():
            return True
    return False
