"""Autocomplete for region and field options: ranked choices, prefix matches first.

The front-end decides how many it can show and how long a label may be (Discord: 25 and
100 characters); the engine only ranks.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.engine import messages as M
from bot.engine.answer import Msg, Ref
from bot.engine.facts.library import heading
from bot.engine.text import normalize
from bot.engine.thresholds import (
    COMPLETE_FIELD_CUTOFF,
    COMPLETE_FUZZY_CUTOFF,
    COMPLETE_QUESTION_CUTOFF,
)
from bot.kb.model import KnowledgeBase

DEFAULT_LIMIT = 25
TYPED_CHARS = 100  # what is read of a half-typed option
# Region ranking: any prefix match above any substring match above any fuzzy one (fuzzy
# scores are at most 100); within a kind, shorter spellings first.
_PREFIX_SCORE = 400.0
_SUBSTRING_SCORE = 300.0
_PLACE_BONUS = 0.5


@dataclass(frozen=True, slots=True)
class Choice:
    """An autocomplete choice: the label shown (a message) and the value sent back; an
    empty value means the label's words are the value (a question to ask as shown)."""

    label: Msg
    value: str


class Completer:
    """Every spelling of every cluster and shared place, normalized once at load."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        keys: list[tuple[str, Choice]] = []
        for cluster in kb.clusters:
            choice = Choice(heading(cluster), cluster.id)
            for spelling in (cluster.name, *cluster.aliases):
                keys.append((normalize(spelling), choice))
            for place_id in cluster.places:
                place = kb.places[place_id]
                for spelling in place.spellings:
                    keys.append((normalize(spelling), choice))
        for place in kb.places.values():
            members = [c for c in kb.clusters if place.id in c.places]
            if len(members) > 1:
                label = M.CHOICE_PLACE(place=Ref("place", place.id), count=len(members))
                choice = Choice(label, place.name)
                for spelling in place.spellings:
                    keys.append((normalize(spelling), choice))
        self._keys = [(key, choice) for key, choice in keys if key]
        self._everything = [Choice(heading(c), c.id) for c in kb.clusters]
        # /ask: FAQ questions (every phrasing, both languages) and clusters by any name.
        questions: list[tuple[str, Choice]] = []
        for entry in kb.faq:
            choice = Choice(M.FAQ_QUESTION(entry=Ref("faq", entry.id)), "")
            for phrasing in (entry.question, entry.question_ja, *entry.alternates):
                if phrasing:
                    questions.append((normalize(phrasing), choice))
        for cluster in kb.clusters:
            choice = Choice(heading(cluster), "")
            spellings = [cluster.name, *cluster.aliases]
            spellings += [s for p in cluster.places for s in kb.places[p].spellings]
            questions += [(normalize(s), choice) for s in spellings]
        self._questions = [(key, choice) for key, choice in questions if key]
        self._question_keys = [key for key, _ in self._questions]
        self._starters = [
            Choice(M.EXAMPLE(example=Ref("example", example.id)), "")
            for example in kb.programme.examples
        ] + list(
            dict.fromkeys(choice for _, choice in questions if choice.label.id == "faq.question")
        )
        self._field_spellings = {
            field.id: [
                s for s in (normalize(x) for x in (field.name, field.name_ja, *field.synonyms)) if s
            ]
            for field in kb.fields.values()
        }

    def regions(self, current: str, limit: int = DEFAULT_LIMIT) -> list[Choice]:
        """Clusters and shared places for a half-typed name: prefix matches first (the
        shared place before its clusters, shorter names first), then names containing what
        was typed; fuzzy matches only when nothing starts with or contains it, so a clear
        prefix ("hamam") never brings in an unrelated cluster (TOYAMA/TAKAOKA)."""
        limit = max(0, limit)
        typed = normalize(current[:TYPED_CHARS]) if isinstance(current, str) else ""
        if not typed:
            return self._everything[:limit]
        ranked: dict[Choice, float] = {}
        for key, choice in self._keys:
            if key.startswith(typed):
                score = _PREFIX_SCORE - len(key)
            elif typed in key:
                score = _SUBSTRING_SCORE - len(key)
            else:
                continue
            if choice.label.id == M.CHOICE_PLACE.id:
                score += _PLACE_BONUS  # the place covers all its clusters: offered first
            ranked[choice] = max(ranked.get(choice, 0.0), score)
        if not ranked:
            fuzzy = process.extract(
                typed,
                [key for key, _ in self._keys],
                scorer=fuzz.partial_ratio if len(typed) >= 4 else fuzz.ratio,
                processor=None,
                limit=limit * 3,
                score_cutoff=COMPLETE_FUZZY_CUTOFF,
            )
            for _, score, position in fuzzy:
                ranked.setdefault(self._keys[position][1], score)
        # Stable: equal scores keep the knowledge base's order (the latest stage first).
        ordered = sorted(ranked.items(), key=lambda item: -item[1])
        return [choice for choice, _ in ordered[:limit]]

    def questions(self, current: str, limit: int = DEFAULT_LIMIT) -> list[Choice]:
        """Questions to ask (FAQ entries) and clusters for a half-typed /ask question: text
        containing what was typed first (a prefix best), then fuzzy matches. Nothing typed:
        the example questions, then the FAQ's."""
        limit = max(0, limit)
        typed = normalize(current[:TYPED_CHARS]) if isinstance(current, str) else ""
        if not typed:
            return self._starters[:limit]
        ranked: dict[Choice, float] = {}
        for key, choice in self._questions:
            position = key.find(typed)
            if position < 0:
                continue
            score = (300 if position == 0 else 200) - min(len(key), 99)
            ranked[choice] = max(ranked.get(choice, 0.0), score)
        if len(ranked) < limit and len(typed) >= 3:
            for _, score, index in process.extract(
                typed,
                self._question_keys,
                scorer=fuzz.WRatio,
                processor=None,
                limit=limit * 3,
                score_cutoff=COMPLETE_QUESTION_CUTOFF,
            ):
                choice = self._questions[index][1]
                ranked[choice] = max(ranked.get(choice, 0.0), score)
        ordered = sorted(ranked.items(), key=lambda item: -item[1])
        return [choice for choice, _ in ordered[:limit]]

    def terms(self, kind: str, current: str, limit: int = DEFAULT_LIMIT) -> list[Choice]:
        """The knowledge base's stages or statuses (`kind`), those whose words start with or
        contain what was typed first; a stage labelled with its start year."""
        typed = normalize(current[:TYPED_CHARS]) if isinstance(current, str) else ""
        terms = self._kb.stages if kind == "stage" else self._kb.statuses

        def rank(term) -> int:
            spellings = [normalize(s) for s in (term.id, term.name, term.name_ja, *term.synonyms)]
            if not typed or any(s.startswith(typed) for s in spellings):
                return 0
            return 1 if any(typed in s for s in spellings) else 2

        kept = sorted((t for t in terms.values() if rank(t) < 2), key=rank)
        return [
            Choice(
                M.CHOICE_STAGE(stage=Ref("stage", t.id), year=t.started)
                if kind == "stage" and t.started
                else M.CHOICE_TERM(term=Ref(kind, t.id)),
                t.id,
            )
            for t in kept[: max(0, limit)]
        ]

    def fields(self, current: str, limit: int = DEFAULT_LIMIT) -> list[Choice]:
        """The four key fields, best match first."""
        typed = normalize(current[:TYPED_CHARS]) if isinstance(current, str) else ""
        field_ids = list(self._kb.fields)
        if typed:

            def score(field_id: str) -> float:
                return max(
                    200.0 if s.startswith(typed) else fuzz.partial_ratio(typed, s)
                    for s in self._field_spellings[field_id]
                )

            field_ids = sorted(
                (f for f in field_ids if score(f) >= COMPLETE_FIELD_CUTOFF),
                key=score,
                reverse=True,
            )
        return [
            Choice(M.CHOICE_FIELD(field=Ref("field", f)), f) for f in field_ids[: max(0, limit)]
        ]
