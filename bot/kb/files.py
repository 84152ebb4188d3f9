"""One read of the knowledge base's files: the bytes every later step works from.

Validation, the engine build and the engine cache's key all use these same bytes, so a file
edited while the bot reads it can never give a cached engine built from other contents than
its key says.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.kb.file_bytes import DEFAULT_LIMITS, FileRefused, ReadLimits, read_bytes
from bot.kb.paths import messages_dir, resolve_knowledge_dir
from bot.kb.problems import KnowledgeBaseError, Problem

SOURCES_FILE = "sources.yaml"
ORGANIZATIONS_FILE = "organizations.yaml"
CLUSTERS_FILE = "clusters.yaml"
FIELDS_FILE = "fields.yaml"
FAQ_FILE = "faq.yaml"
INTENTS_FILE = "intents.yaml"
GEOGRAPHY_FILE = "geography.yaml"  # its keys and readers live in bot.kb.geography
LEXICON_FILE = "lexicon.yaml"  # its reader lives in bot.kb.lexicon
PROGRAMME_FILE = "programme.yaml"  # its reader lives in bot.kb.programme
PASSAGES_FILE = "passages.yaml"
FILES = (
    SOURCES_FILE,
    ORGANIZATIONS_FILE,
    CLUSTERS_FILE,
    FIELDS_FILE,
    FAQ_FILE,
    INTENTS_FILE,
    GEOGRAPHY_FILE,
    LEXICON_FILE,
    PROGRAMME_FILE,
    PASSAGES_FILE,
)


@dataclass(frozen=True, slots=True)
class KnowledgeFiles:
    """The bytes of each knowledge file (or why it could not be read), read once.

    It is a path-like of the directory, so it can be passed wherever a knowledge directory
    is expected (`build_engine(files)`); `load_knowledge` then uses these bytes instead of
    reading the files again.
    """

    directory: Path
    limits: ReadLimits
    contents: Mapping[str, bytes | FileRefused]
    # The catalogues the knowledge is worded with (`messages/*.yaml`, the directory's own or
    # the shipped ones), by file name: they are part of what a cached build depends on.
    catalogues: Mapping[str, bytes | FileRefused] = field(default_factory=dict)
    catalogue_dir: Path | None = None

    def __fspath__(self) -> str:
        return str(self.directory)

    @property
    def readable(self) -> bool:
        return not any(isinstance(data, FileRefused) for data in self.contents.values())

    def fingerprint(self) -> str:
        """A digest of every file's name and bytes (and of why a file was refused)."""
        digest = hashlib.sha256()
        parts = [(name, self.contents[name]) for name in FILES]
        parts += [(f"messages/{name}", data) for name, data in sorted(self.catalogues.items())]
        digest.update(f"{self.catalogue_dir}\0".encode())
        for name, data in parts:
            if isinstance(data, FileRefused):
                data = f"refused: {data.message}".encode()
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
        return digest.hexdigest()


def read_knowledge_files(
    directory: str | os.PathLike[str] | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> KnowledgeFiles:
    """Read every knowledge file of `directory` (see `resolve_knowledge_dir`) once.

    A missing directory raises `KnowledgeBaseError`; a file that cannot be read is kept as
    its `FileRefused`, which `load_knowledge` reports with the other problems.
    """
    if isinstance(directory, KnowledgeFiles):
        return directory
    path = Path(resolve_knowledge_dir(directory))
    label = str(path)
    if not path.exists():
        raise KnowledgeBaseError(
            [Problem(label, None, None, "knowledge directory does not exist")], label
        )
    if not path.is_dir():
        raise KnowledgeBaseError([Problem(label, None, None, "not a directory")], label)
    resolved = path.resolve()
    contents: dict[str, bytes | FileRefused] = {}
    for name in FILES:
        try:
            contents[name] = read_bytes(resolved / name, limits)
        except FileRefused as refused:
            contents[name] = refused
    catalogue_dir = messages_dir(resolved).resolve()
    catalogues: dict[str, bytes | FileRefused] = {}
    for catalogue in sorted(catalogue_dir.glob("*.yaml")) if catalogue_dir.is_dir() else ():
        try:
            catalogues[catalogue.name] = read_bytes(catalogue, limits)
        except FileRefused as refused:
            catalogues[catalogue.name] = refused
    return KnowledgeFiles(resolved, limits, contents, catalogues, catalogue_dir)
