"""`python -m bot check [--knowledge DIR]`: validate the knowledge base and summarize it."""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import TextIO

from bot.config import ConfigError, load_read_limits
from bot.i18n.loading import Catalogues, load_catalogues
from bot.kb.loader import KnowledgeBaseError, Problem, in_file_order, load_knowledge
from bot.kb.model import KnowledgeBase
from bot.kb.paths import resolve_knowledge_dir

EXIT_OK = 0
EXIT_INVALID = 1


def summarize(kb: KnowledgeBase, catalogues: Catalogues | None = None) -> list[str]:
    """The lines `check` prints for a valid knowledge base."""
    per_stage = Counter((cluster.stage, cluster.status) for cluster in kb.clusters)
    lines = [f"Knowledge base: {kb.directory}", f"Clusters: {len(kb.clusters)}"]
    # The latest stage first, as an edition lists them.
    for stage in sorted(kb.stages, key=lambda s: -(kb.stages[s].started or 0)):
        counts = [
            f"{per_stage[stage, status]} {status}"
            for status in kb.statuses
            if per_stage[stage, status]
        ]
        name = kb.stages[stage].name
        lines.append(f"  {name}: {', '.join(counts) or 'none'}")
    cluster_aliases = sum(len(cluster.aliases) for cluster in kb.clusters)
    place_aliases = sum(len(place.aliases) for place in kb.places.values())
    heads = Counter(place for cluster in kb.clusters for place in cluster.places)
    shared = sum(1 for count in heads.values() if count > 1)
    with_contact = sum(1 for org in kb.organizations.values() if org.has_contact)
    shared_phrases = len(kb.shared_phrases)  # each is in the phrases of every intent it names
    phrases = sum(len(p) for p in kb.intents.values()) - sum(
        len(intents) - 1 for intents in kb.shared_phrases.values()
    )
    lines += [
        f"FAQ entries: {len(kb.faq)} "
        f"({sum(len(e.alternates) for e in kb.faq)} alternate phrasings)",
        f"Aliases: {cluster_aliases + place_aliases} "
        f"({cluster_aliases} for clusters, {place_aliases} for places; names not counted)",
        f"Places: {len(kb.places)} ({shared} shared by two or more clusters)",
        f"Organizations: {len(kb.organizations)} ({with_contact} with contact details; "
        f"programme office: {kb.programme_office or 'none'})",
        f"Documents: {len(kb.documents)}",
        f"Key fields: {len(kb.fields)} ({', '.join(f.name for f in kb.fields.values())})",
        f"Intents: {len(kb.intents)} ({phrases} signal phrases, {shared_phrases} of them shared by "
        "two intents or more)",
        f"Geography: {len(kb.locations)} places located "
        f"({sum(1 for loc in kb.locations.values() if loc.area is None)} points, "
        f"{sum(1 for loc in kb.locations.values() if loc.area)} areas), "
        f"{len(kb.prefectures)} prefectures, {len(kb.regions)} regions",
    ]
    if catalogues is not None:
        names = ", ".join(
            f"{c.language} ({len(c.messages)} messages)" for c in catalogues.by_language.values()
        )
        lines.append(f"Catalogues: {names}")
    if kb.notes:
        lines.append(f"Notes ({len(kb.notes)}):")
        lines += [f"  - {note}" for note in kb.notes]
    lines.append("OK: the knowledge base is valid.")
    return lines


def run_check(
    knowledge: str | os.PathLike[str] | None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Validate the knowledge base; print a summary (exit 0) or every problem (exit 1)."""
    out = out or sys.stdout
    err = err or sys.stderr
    directory = resolve_knowledge_dir(knowledge)
    problems: list[Problem] = []
    kb = catalogues = None
    try:
        limits = load_read_limits()
    except ConfigError as exc:
        print(f"kcbot: configuration error: {exc}", file=err)
        return EXIT_INVALID
    try:
        kb = load_knowledge(directory, limits=limits)
    except KnowledgeBaseError as exc:
        problems += in_file_order([*exc.problems, *exc.gaps])
    else:
        # The running bot shows these texts in English; an editor must still hear of them.
        problems += kb.translation_gaps
    try:
        catalogues = load_catalogues(directory, limits=limits)
    except KnowledgeBaseError as exc:
        problems += [*exc.problems, *exc.gaps]
    else:
        # The running bot falls back to English for these; an editor must still hear of them.
        problems += catalogues.missing
    if problems or kb is None:
        for problem in problems:
            print(problem, file=err)
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} found in {directory}", file=err)
        return EXIT_INVALID
    print("\n".join(summarize(kb, catalogues)), file=out)
    return EXIT_OK
