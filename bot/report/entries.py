"""What an answer was, as the report names it: its rule, intent and matched entries."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.records import AnswerRecord

IDS_SHOWN = 4


@dataclass(frozen=True, slots=True)
class Entry:
    """What an answer was: the rule that produced it, its intent and the matched ids."""

    rule: str
    intent: str
    matches: tuple[str, ...]

    @property
    def label(self) -> str:
        ids = ", ".join(self.matches[:IDS_SHOWN]) + (" …" if len(self.matches) > IDS_SHOWN else "")
        return f"{self.rule} · {self.intent}" + (f" · {ids}" if ids else "")


def entry_of(record: AnswerRecord) -> Entry:
    return Entry(record.rule, record.intent, record.match_ids)
