"""Turning a language-neutral Answer into the words of one language.

`Localizer.localize(answer, lang)` resolves every message through that language's
catalogue (a message it lacks comes from English alone) and every reference through the
knowledge base (a field's Japanese name, a FAQ entry's question). The result,
`LocalizedAnswer`, is text only: the plain-text, JSON and Discord renderers lay it out.
"""

from __future__ import annotations

import functools
import logging
import weakref
from collections.abc import Callable
from typing import Any

from bot.engine import messages as M
from bot.engine.answer import Answer, Citation, Msg, Ref
from bot.i18n.catalogue import (
    COUNT_PARAM,
    LIST_ITEM_SEPARATOR,
    REFERENCE_LANGUAGE,
    TEXT_SPECS,
    YEN_SPEC,
    Catalogue,
    Catalogues,
    ListPattern,
)
from bot.i18n.names import places_label_the_name, readable_name
from bot.i18n.reply import Block, LocalizedAnswer, LocalizedStep, Source

__all__ = ["Block", "LocalizedAnswer", "LocalizedStep", "Localizer", "Source"]
from bot.kb.model import KnowledgeBase

log = logging.getLogger(__name__)

DEFAULT_LIST = "comma"
_FALLBACK_LIST = ListPattern(", ", ", ")
# Messages worded, kept per localizer (so a reload, which brings a new one, starts afresh):
# most of a reply's words recur from answer to answer (cluster names, headings, the
# layout's own words), and the least recently used go first past this many.
WORDS_CACHE_SIZE = 4096


class Localizer:
    """The knowledge base's names and the catalogues' words, for any supported language."""

    def __init__(self, kb: KnowledgeBase, catalogues: Catalogues) -> None:
        self.kb = kb
        self.catalogues = catalogues
        self._reference = catalogues.by_language[REFERENCE_LANGUAGE]
        self._faq = {entry.id: entry for entry in kb.faq}
        place_names = [place.name for place in kb.places.values()]
        self._readable = {c.id: readable_name(c.name, place_names) for c in kb.clusters}
        self._labelled_by_places = {
            c.id: places_label_the_name(c.name, [kb.places[p].name for p in c.places])
            for c in kb.clusters
        }
        self._ambient = {lang: ambient(kb, lang) for lang in catalogues.languages}
        self._words = _words_cache(self, WORDS_CACHE_SIZE)

    def __getstate__(self) -> dict[str, Any]:
        # A cache is not part of the knowledge: a pickled localizer (the engine cache, a
        # child's reload) travels without it and starts with an empty one.
        state = self.__dict__.copy()
        del state["_words"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._words = _words_cache(self, WORDS_CACHE_SIZE)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.catalogues.languages

    def catalogue(self, lang: str) -> Catalogue:
        return self.catalogues.by_language.get(lang, self._reference)

    def text(self, message: Msg, lang: str = REFERENCE_LANGUAGE) -> str:
        """One message in `lang`, from English when that catalogue lacks it."""
        try:
            return self._words(message, lang)
        except TypeError:  # a parameter that cannot be hashed (the engine makes none)
            return self._word(message, lang)

    def words_cache_info(self) -> functools._CacheInfo:
        """Hits, misses and size of the cache of worded messages."""
        return self._words.cache_info()

    def _word(self, message: Msg, lang: str) -> str:
        catalogue = self.catalogue(lang)
        entry = catalogue.messages.get(message.id)
        if entry is None:
            catalogue = self._reference
            entry = catalogue.messages.get(message.id)
            if entry is None:  # check refuses this; never fail a reply over it
                log.error("message %s is in no catalogue", message.id)
                return message.id
        params = message.kwargs
        out: list[str] = []
        for segment in entry.template(catalogue.language, params.get(COUNT_PARAM)):
            out.append(segment.literal)
            if segment.field is not None:
                value = params.get(segment.field)
                if value is None:
                    value = self._ambient.get(catalogue.language, {}).get(segment.field, "")
                out.append(self._value(value, segment.spec, catalogue))
        return "".join(out)

    def _value(self, value: object, spec: str, catalogue: Catalogue) -> str:
        lang = catalogue.language
        if isinstance(value, Msg):
            return _capitalized(self.text(value, lang), spec)
        if isinstance(value, Ref):
            if spec in TEXT_SPECS:
                return _capitalized(self.name(value, "", lang), spec)
            return self.name(value, spec, lang)
        if isinstance(value, tuple):
            # {fields:and/short}: the list pattern, then each item's form; a lone spec that
            # is no pattern ({clusters:readable}) is the items' form, joined by commas.
            pattern_name, _, item_spec = spec.partition(LIST_ITEM_SEPARATOR)
            if not item_spec and pattern_name not in catalogue.lists:
                pattern_name, item_spec = "", pattern_name
            items = [self._value(item, item_spec, catalogue) for item in value]
            pattern = catalogue.lists.get(pattern_name or DEFAULT_LIST) or _FALLBACK_LIST
            return pattern.join(items)
        if spec == YEN_SPEC and isinstance(value, int):
            return yen(value, lang)
        return _capitalized(str(value), spec)

    def name(self, ref: Ref, spec: str = "", lang: str = REFERENCE_LANGUAGE) -> str:
        """What a reference shows in `lang`: the object's name, or the text a spec asks for
        (`question`/`answer` of a FAQ entry, `full`/`short`/`other`/`note` of an
        organization); a language code as the spec names it in that language instead."""
        if spec in self.catalogues.by_language:
            lang, spec = spec, ""
        japanese = lang == "ja"
        kb = self.kb
        if ref.kind == "field":
            item = kb.fields[ref.id]
            if spec in ("short", "emoji"):
                short = (item.short_ja or item.name_ja) if japanese else (item.short or item.name)
                return f"{item.emoji} {short}" if spec == "emoji" and item.emoji else short
            name = item.name_ja if japanese else item.name
            return f"{item.emoji} {name}" if spec == "emoji_name" and item.emoji else name
        if ref.kind in ("stage", "status"):
            term = (kb.stages if ref.kind == "stage" else kb.statuses)[ref.id]
            return term.name_ja if japanese else term.name
        if ref.kind == "cluster":
            return self._cluster(ref.id, spec, lang)
        if ref.kind == "place":
            place = kb.places[ref.id]
            return (place.name_ja or place.name) if japanese else place.name
        if ref.kind == "organization":
            return self._organization(ref.id, spec, lang)
        if ref.kind == "faq":
            entry = self._faq[ref.id]
            if spec == "answer":
                return (entry.answer_ja or entry.answer) if japanese else entry.answer
            return (entry.question_ja or entry.question) if japanese else entry.question
        if ref.kind == "document":
            return kb.documents[ref.id].title
        if ref.kind == "section":  # a section of the 2008 edition's contents list
            section = next(s for s in kb.contents if s.id == ref.id)
            if japanese and section.title_ja:
                return f"{section.title_ja}（{section.title}）"
            return section.title
        if ref.kind in ("prefecture", "region"):
            area = (kb.prefectures if ref.kind == "prefecture" else kb.regions)[ref.id]
            return area.name_ja if japanese else area.name
        if ref.kind == "example":  # an example question, in the reply's language
            example = kb.programme.example(ref.id)
            return example.text(lang) if example is not None else ref.id
        if ref.kind == "programme":  # the programme itself, or what it was folded into
            programme = kb.programme
            if ref.id == "successor" and programme.successor is not None:
                return programme.successor.name_ja
            return (programme.name_ja or programme.name) if japanese else programme.name
        return ref.id

    def _cluster(self, cluster_id: str, spec: str, lang: str) -> str:
        """A cluster's name as `lang` writes it: official (titles) or readable; by its
        places, with its name beside them where they alone would not name it."""
        cluster = self.kb.clusters_by_id[cluster_id]
        readable = spec == "readable"
        name = self._readable[cluster_id] if readable else cluster.name
        places = tuple(Ref("place", p) for p in cluster.places)
        spec_message = M.NAME_CLUSTER_READABLE if readable else M.NAME_CLUSTER
        by_places = self._labelled_by_places[cluster_id]
        kept = "" if by_places else M.NAME_CLUSTER_KEPT(name=self._readable[cluster_id])
        return self.text(spec_message(name=name, places=places, kept_name=kept), lang)

    def _organization(self, org_id: str, spec: str, lang: str) -> str:
        org = self.kb.organizations[org_id]
        japanese = lang == "ja"
        own = (org.name_ja or org.name) if japanese else org.name
        if spec == "full" and org.short_name and org.short_name not in own:
            return self.text(M.NAME_ORGANIZATION_FULL(name=own, short=org.short_name), lang)
        if spec == "short":
            return org.short_name or own
        if spec == "other":  # the name in the other script, shown beside the first
            return org.name if japanese else (org.name_ja or org.name)
        if spec == "note":
            return (org.note_ja or org.note or "") if japanese else (org.note or "")
        return own

    def source(self, citation: Citation, lang: str = REFERENCE_LANGUAGE) -> Source:
        document = self.kb.documents[citation.document]
        short = (document.short_ja or document.short) if lang == "ja" else document.short
        return Source(document.title, citation.where, document.url, document.id, short)

    def suggestion(self, value: object, lang: str) -> str:
        if isinstance(value, Msg):
            return self.text(value, lang)
        if isinstance(value, Ref):
            return self.name(value, "", lang)
        return str(value)

    def _translated(self, answer: Answer, lang: str) -> bool:
        """Whether the reply gives a FAQ answer in a translation of its English source."""
        if lang == REFERENCE_LANGUAGE or lang not in self.catalogues.by_language:
            return False
        answers = (*answer.summary, *(line for s in answer.sections for line in s.lines))
        return any(
            m.id == M.FAQ_ANSWER.id and self._faq[m.kwargs["entry"].id].answer_ja is not None
            for m in answers
        )

    def unresolved(self, answer: Answer, lang: str) -> list[str]:
        """The ids of the answer's messages (nested ones too) that `lang`'s catalogue lacks."""
        messages = self.catalogue(lang).messages
        missing: list[str] = []

        def walk(value: object) -> None:
            if isinstance(value, Msg):
                if value.id not in messages:
                    missing.append(value.id)
                for _, param in value.params:
                    walk(param)
            elif isinstance(value, tuple):
                for item in value:
                    walk(item)

        walk((answer.title, *answer.summary, *answer.notes, *answer.suggestions, answer.as_of))
        walk(tuple(step.label for step in answer.steps))
        for section in answer.sections:
            walk((section.heading, *section.lines))
        return missing

    def localize(self, answer: Answer, lang: str = REFERENCE_LANGUAGE) -> LocalizedAnswer:
        text = self.text
        sentences = self.catalogue(lang).lists.get("sentences") or ListPattern(" ", " ")
        lead = sentences.join([text(m, lang) for m in answer.summary])
        notes = [text(m, lang) for m in answer.notes]
        if self._translated(answer, lang):
            notes.append(text(M.NAME_TRANSLATED(), lang))
        summary = "\n".join(part for part in (lead, *notes) if part)
        return LocalizedAnswer(
            answer=answer,
            lang=lang if lang in self.catalogues.by_language else REFERENCE_LANGUAGE,
            title=text(answer.title, lang),
            summary=summary,
            blocks=tuple(
                Block(
                    text(s.heading, lang) if s.heading is not None else "",
                    tuple(text(line, lang) for line in s.lines),
                    s.field_ids,
                    s.cluster_id,
                    s.style,
                )
                for s in answer.sections
            ),
            suggestions=tuple(self.suggestion(s, lang) for s in answer.suggestions),
            sources=tuple(self.source(c, lang) for c in answer.citations),
            as_of=text(answer.as_of, lang) if answer.as_of is not None else None,
            say=lambda message: text(message, lang),
            steps=tuple(LocalizedStep(step, text(step.label, lang)) for step in answer.steps),
            lead=lead,
            notes=tuple(notes),
        )


def _words_cache(localizer: Localizer, size: int) -> Callable[[Msg, str], str]:
    """`localizer._word`, remembered for the `size` messages used last. Messages are
    values (equal ones say the same words: their parameters are text, whole numbers,
    references, messages and tuples of those). The localizer is held weakly, so that no
    cycle keeps a replaced one alive."""
    word = weakref.WeakMethod(localizer._word)

    @functools.lru_cache(maxsize=size)
    def words(message: Msg, lang: str) -> str:
        method = word()
        return message.id if method is None else method(message, lang)

    return words


def ambient(kb: KnowledgeBase, lang: str) -> dict[str, object]:
    """The values of the parameters every template may use (`AMBIENT_PARAMS`), in `lang`:
    the programme and its runner as references (so `{programme:ja}`, `{runner:short}`
    work), the edition's short name and year as text."""
    japanese = lang == "ja"
    programme = kb.programme
    values: dict[str, object] = {"programme": Ref("programme", "name")}
    edition = kb.documents.get(programme.edition or "")
    if edition is not None:
        short = (edition.short_ja or edition.short) if japanese else edition.short
        values["edition"] = short or edition.title
        values["edition_year"] = edition.as_of or ""
    if programme.run_by in kb.organizations:
        values["runner"] = Ref("organization", programme.run_by)
    return values


def yen(amount: int, lang: str) -> str:
    """An amount of yen as each language writes it: "6.9 billion yen", 「69億円」."""
    if lang == "ja":
        if amount >= 100_000_000 and amount % 10_000_000 == 0:
            oku = amount / 100_000_000
            return f"{oku:g}億円"
        if amount >= 10_000 and amount % 10_000 == 0:
            return f"{amount // 10_000:,}万円"
        return f"{amount:,}円"
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if amount >= size:
            return f"{amount / size:g} {word} yen"
    return f"{amount:,} yen"


def _capitalized(text: str, spec: str) -> str:
    return text[:1].upper() + text[1:] if spec == "capitalize" else text
