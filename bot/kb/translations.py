"""The Japanese texts a Japanese reply needs, and which of them the files lack.

A reply in Japanese shows each text of the knowledge base in Japanese where the files give
one and in English otherwise. A missing translation is therefore not fatal to the running
bot (like a message missing from a catalogue: that text alone is shown in English), but it
is a gap: `check` lists each one, with file and line, and fails until it is filled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.kb.nodes import Entry
from bot.kb.problems import Problem

# kind of entry → (English key, its Japanese key, what a Japanese reply shows, always?)
# "always": every entry needs it; otherwise only an entry that has the English text (an
# optional `short` or `note`) needs its translation.
PAIRS: Mapping[str, tuple[tuple[str, str, str, bool], ...]] = {
    "faq": (
        ("question", "question_ja", "question", True),
        ("answer", "answer_ja", "answer", True),
    ),
    "contents": (("title", "title_ja", "section title", True),),
    "places": (("name", "name_ja", "place name", True),),
    "documents": (("short", "short_ja", "short name in the source note", False),),
    "fields": (("short", "short_ja", "short label", False),),
    "organizations": (("note", "note_ja", "note", False),),
}


def gaps(entries: Mapping[str, Iterable[Entry]]) -> list[Problem]:
    """Each text a Japanese reply would show in English, at the line of its English text."""
    found = []
    for kind, pairs in PAIRS.items():
        for entry in entries.get(kind, ()):
            for english, japanese, what, always in pairs:
                if japanese in entry.values or (not always and english not in entry.values):
                    continue
                found.append(
                    Problem(
                        entry.file,
                        entry.lines.get(english, entry.line),
                        entry.label,
                        f"no {japanese}: a Japanese reply shows the {what} in English "
                        f"(add a faithful translation)",
                    )
                )
    return found
