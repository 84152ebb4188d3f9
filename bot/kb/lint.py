"""Checks that every file can pass alone and still confuse a reader: one spelling or phrase
claimed by two entries, a synonym meaning two things. Also the notes `check` prints.

Collisions are compared by the one normalization the engine reads questions with
(`bot.kb.text.normalize`), so what is reported here is exactly what the engine would confuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.kb.nodes import Context, Entry
from bot.kb.problems import Problem, quoted
from bot.kb.references import ids_of, report_at
from bot.kb.schema import FAQ_FILE
from bot.kb.text import normalize_alias


@dataclass(frozen=True, slots=True)
class Spelling:
    """One name or alias of a place or a cluster, for the collision check."""

    kind: str  # "place" or "cluster"
    owner: str
    text: str
    file: str
    line: int


def check_faq_phrases(ctx: Context, faq: list[Entry]) -> None:
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
                ctx.problems.append(
                    Problem(
                        FAQ_FILE,
                        line,
                        entry.label,
                        f"{key}: {quoted(text)} is also a phrase of FAQ entry {quoted(other[0])} "
                        f"(line {other[1]})",
                    )
                )
            else:
                owner.setdefault(folded, (entry.label, line or entry.line))


def check_spellings(ctx: Context, places: list[Entry], clusters: list[Entry]) -> None:
    """Names and aliases of places and clusters must each lead to one entry.

    The one declared exception is a shared place: a spelling of place P may also be a
    cluster's name or alias when that cluster lists P (HAMAMATSU names two clusters that
    both list the place hamamatsu; the bot then asks which one is meant).
    """
    by_key: dict[str, list[Spelling]] = {}
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
            if entry.get("name_ja"):
                spellings.append((entry.get("name_ja"), entry.lines.get("name_ja", entry.line)))
            spellings += [
                (alias, entry.lines.get(f"aliases[{index}]", entry.line))
                for index, alias in enumerate(entry.get("aliases") or ())
            ]
            for text, line in spellings:
                if text is None:
                    continue
                key = normalize_alias(text)
                if not key:
                    report_at(
                        ctx, entry, "name", f"spelling {quoted(text)} is empty once normalized"
                    )
                    continue
                bucket = by_key.setdefault(key, [])
                if not any(s.kind == kind and s.owner == owner for s in bucket):
                    bucket.append(Spelling(kind, owner, text, entry.file, line))

    for spellings in by_key.values():
        if len(spellings) < 2:
            continue
        place_spellings = [s for s in spellings if s.kind == "place"]
        first_place = place_spellings[0] if place_spellings else None
        first_cluster = next((s for s in spellings if s.kind == "cluster"), None)
        for spelling in spellings:
            if spelling.kind == "place":
                if spelling is not first_place:
                    _collision(ctx, spelling, first_place, "")
                continue
            if first_place is not None:
                if first_place.owner not in places_of.get(spelling.owner, ()):
                    _collision(
                        ctx,
                        spelling,
                        first_place,
                        f" (list place {quoted(first_place.owner)} in this cluster's places "
                        "if it is named after it)",
                    )
            elif spelling is not first_cluster:
                _collision(ctx, spelling, first_cluster, "")


def _collision(ctx: Context, spelling: Spelling, other: Spelling | None, hint: str) -> None:
    assert other is not None
    where = f"{other.file}:{other.line}" if other.file != spelling.file else f"line {other.line}"
    ctx.problems.append(
        Problem(
            spelling.file,
            spelling.line,
            spelling.owner,
            f"alias {quoted(spelling.text)} collides with {other.kind} {quoted(other.owner)} "
            f"({quoted(other.text)}, {where}){hint}",
        )
    )


def check_vocabulary(
    ctx: Context, fields: list[Entry], stages: list[Entry], statuses: list[Entry]
) -> None:
    """A word people type for a field (or a stage/status) must mean one thing."""
    for group, entries, keys in (
        ("field", fields, ("name", "name_ja", "synonyms")),
        ("stage or status", [*stages, *statuses], ("name", "name_ja", "synonyms", "contextual")),
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
                    ctx.problems.append(
                        Problem(
                            entry.file,
                            line,
                            entry_id,
                            f"synonym {quoted(word)} also means {group} {quoted(other[0])} "
                            f"({quoted(other[1])}, line {other[2]})",
                        )
                    )


def notes_on(
    ctx: Context,
    documents: list[Entry],
    organizations: list[Entry],
    places: list[Entry],
    clusters: list[Entry],
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
            notes.append(f"place '{place_id}' heads {len(owners)} clusters: {', '.join(owners)}")
        elif not owners and place_id is not None:
            notes.append(f"place '{place_id}' is listed by no cluster")
    linked = {link.id for e in clusters if (link := e.get("organization")) is not None}
    for org_id in ids_of(organizations):
        if org_id not in linked and org_id != programme_office:
            notes.append(f"organization '{org_id}' is linked to no cluster")
    cited = {ref[4] for ref in ctx.doc_refs}
    notes += [f"document '{d}' is cited by nothing" for d in ids_of(documents) if d not in cited]
    return notes
