"""Freezing validated entries into the immutable objects of `model` (only once there is no
problem at all, so every value here has been checked)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from bot.kb.intents import Intents
from bot.kb.model import (
    Cluster,
    ContentsEntry,
    Document,
    FaqEntry,
    KeyField,
    KnowledgeBase,
    Lexicon,
    Organization,
    Place,
    Programme,
    Term,
)
from bot.kb.nodes import Entry
from bot.kb.problems import Problem


def frozen_by_id(items: Iterable[Any]) -> Mapping[str, Any]:
    return MappingProxyType({item.id: item for item in items})


def optional_values(entry: Entry, *keys: str) -> dict[str, Any]:
    return {key: entry.values[key] for key in keys if key in entry.values}


def document(entry: Entry) -> Document:
    v = entry.values
    return Document(
        id=v["id"],
        title=v["title"],
        **optional_values(entry, "url", "note", "as_of", "short", "short_ja"),
    )


def organization(entry: Entry) -> Organization:
    v = entry.values
    contact = v.get("contact_source")
    return Organization(
        id=v["id"],
        name=v["name"],
        sources=v["sources"],
        contact_source=next((ref for ref in v["sources"] if ref.doc == contact), None),
        **optional_values(
            entry,
            "name_ja",
            "short_name",
            "office",
            "address",
            "tel",
            "fax",
            "note",
            "note_ja",
            "aliases",
        ),
    )


def term(entry: Entry) -> Term:
    v = entry.values
    return Term(
        id=v["id"],
        name=v["name"],
        name_ja=v["name_ja"],
        synonyms=v["synonyms"],
        contextual=v.get("contextual", ()),
        **optional_values(entry, "started", "source", "colours"),
    )


def place(entry: Entry) -> Place:
    v = entry.values
    return Place(
        id=v["id"],
        name=v["name"],
        aliases=v.get("aliases", ()),
        name_ja=v.get("name_ja"),
        within=v.get("within"),
    )


def cluster(entry: Entry) -> Cluster:
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
        **optional_values(entry, "page", "organization"),
    )


def field(entry: Entry) -> KeyField:
    v = entry.values
    return KeyField(
        id=v["id"],
        name=v["name"],
        name_ja=v["name_ja"],
        synonyms=v["synonyms"],
        emoji=v["emoji"],
        colour=v["colour"],
        **optional_values(entry, "short", "short_ja"),
    )


def faq(entry: Entry) -> FaqEntry:
    v = entry.values
    return FaqEntry(
        id=v["id"],
        topic=v["topic"],
        question=v["question"],
        alternates=v["alternates"],
        answer=v["answer"],
        sources=v["sources"],
        keywords=v.get("keywords", ()),
        roles=v.get("roles", ()),
        **optional_values(entry, "question_ja", "answer_ja"),
    )


def contents_entry(entry: Entry) -> ContentsEntry:
    v = entry.values
    return ContentsEntry(
        id=v["id"],
        title=v["title"],
        aliases=v.get("aliases", ()),
        **optional_values(entry, "title_ja", "page", "faq", "stage", "status"),
    )


def knowledge_base(
    directory: str,
    entries: Mapping[str, list[Entry]],
    intents: Intents,
    programme_office: Any,
    notes: Iterable[str],
    fields_source: Any,
    contents_source: Any = None,
    geography: Mapping[str, Any] | None = None,
    lexicon: Lexicon | None = None,
    programme: Programme | None = None,
    passages: tuple = (),
    translation_gaps: Iterable[Problem] = (),
) -> KnowledgeBase:
    """The frozen knowledge base from the validated entries of each list."""
    return KnowledgeBase(
        directory=directory,
        documents=frozen_by_id(document(e) for e in entries["documents"]),
        organizations=frozen_by_id(organization(e) for e in entries["organizations"]),
        places=frozen_by_id(place(e) for e in entries["places"]),
        clusters=tuple(cluster(e) for e in entries["clusters"]),
        faq=tuple(faq(e) for e in entries["faq"]),
        fields=frozen_by_id(field(e) for e in entries["fields"]),
        stages=frozen_by_id(term(e) for e in entries["stages"]),
        statuses=frozen_by_id(term(e) for e in entries["statuses"]),
        intents=intents.phrases,
        shared_phrases=intents.shared,
        programme_office=programme_office,
        notes=tuple(notes),
        fields_source=fields_source,
        contents=tuple(contents_entry(e) for e in entries.get("contents", ())),
        contents_source=contents_source,
        translation_gaps=tuple(translation_gaps),
        **(geography or {}),
        **({"lexicon": lexicon} if lexicon is not None else {}),
        **({"programme": programme} if programme is not None else {}),
        passages=passages,
    )
