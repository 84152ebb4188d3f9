"""The answer engine: a question or a command in, a typed, sourced Answer out.

Pure: no I/O, no discord, never raises on any input. Built once per knowledge base, then
immutable and shared between threads. The work is split by stage: `reading/` parses the
question into a `Query`, `followup` fills in what it leaves out from the previous turn,
`evaluation/` answers the query (its rules pick the facts that `facts/` builds), `steps`
adds what to ask next, `complete` ranks autocomplete choices. Every answer carries the
`Turn` it leaves behind: previous turn in, new turn out.
"""

from __future__ import annotations

import os
from dataclasses import replace

from bot.engine import messages as M
from bot.engine import several
from bot.engine.answer import Answer, Intent, Ref
from bot.engine.complete import DEFAULT_LIMIT, Choice, Completer
from bot.engine.cues import read_cues
from bot.engine.evaluation.clusters import answer_region, region_intent
from bot.engine.evaluation.context import Context
from bot.engine.evaluation.evaluate import evaluate
from bot.engine.facts import general, listing
from bot.engine.facts.contact import organization_answer
from bot.engine.facts.geography import map_answer
from bot.engine.facts.library import Library, Selection
from bot.engine.facts.region import region_answer
from bot.engine.faq import FaqHit, FaqIndex
from bot.engine.followup import follow_up
from bot.engine.reading import chart as K
from bot.engine.reading.parse import Parser
from bot.engine.reading.query import Query
from bot.engine.regions import RegionMatch
from bot.engine.steps import MAP_VIEW, parse_map_view_id, steps_for, told_apart
from bot.engine.text import Text, normalize
from bot.engine.thresholds import MAX_SUGGESTIONS, OPTION_QUOTED_CHARS, REGION_PREFIX_CONFIDENCE
from bot.engine.turn import REGION_INTENTS, Turn, clusters_of, turn_after
from bot.engine.vocabulary import STOPWORDS, domain_words
from bot.kb.file_bytes import DEFAULT_LIMITS, ReadLimits
from bot.kb.model import KnowledgeBase


class Engine:
    """Answers questions from one validated knowledge base; immutable, thread-safe."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.parser = Parser(kb)
        self.library = Library(kb)
        passages = self.library.passages
        sources = {
            entry.id: [
                p.text for p in passages.of_places([(s.doc, s.where) for s in entry.sources])
            ]
            for entry in kb.faq
        }
        self.faq = FaqIndex(kb.faq, STOPWORDS, sources, weak=domain_words(kb))
        self.completer = Completer(kb)

    def _context(self, text: Text) -> Context:
        return Context(self.library, self.faq, self.parser.parse(text))

    def _finish(
        self,
        answer: Answer,
        *,
        asked: Intent | None = None,
        fields: tuple[str, ...] = (),
        stage: str | None = None,
        status: str | None = None,
        missing: tuple[str, ...] = (),
        previous: Turn | None = None,
    ) -> Answer:
        """The answer with the turn it leaves behind and the steps it offers."""
        turn = turn_after(
            self.library,
            answer,
            asked=asked,
            fields=fields,
            stage=stage,
            status=status,
            missing=missing,
            previous=previous,
        )
        return self._with_turn(answer, turn)

    def _with_turn(self, answer: Answer, turn: Turn) -> Answer:
        return replace(
            answer,
            turn=turn,
            steps=steps_for(self.library, answer, turn),
            suggestions=told_apart(self.library, answer.suggestions),
        )

    def _finish_query(self, answer: Answer, query: Query) -> Answer:
        return self._with_turn(answer, self._turn_after_query(answer, query))

    def _turn_after_query(self, answer: Answer, query: Query) -> Turn:
        """What the conversation keeps of an answer to a read question."""
        clusters = query.clusters
        return turn_after(
            self.library,
            answer,
            asked=region_intent(query) if answer.intent is Intent.CLARIFY else None,
            fields=clusters.fields.fields,
            stage=clusters.stage,
            status=clusters.status,
            missing=query.asked.missing if answer.intent is Intent.NOT_IN_SOURCES else (),
        )

    def ask(self, text: str, previous: Turn | None = None) -> Answer:
        """Any free text to an answer, read in the light of the previous turn of the
        conversation when one is given; several questions in one message get each its
        answer, put together. Never raises on any input."""
        query = Text.parse(text if isinstance(text, str) else "")
        if query.is_empty:
            return self._finish(general.empty(self.library, query), previous=previous)
        regions = self.parser.lexicon.regions

        def is_name(word: str) -> bool:
            return regions.target_of_normalized(normalize(word)) is not None

        pieces = several.clauses(query.cleaned, is_name)
        if len(pieces) < 2 and not several.has_full_stop(query.cleaned):
            context = self._context(query)
        else:
            told, parsed = several.setting(
                pieces, lambda p: self.parser.parse(Text.parse(p)), is_name
            )
            if told is not None:
                # What the asker said of themselves is what the question is read after.
                told_context = Context(self.library, self.faq, told)
                said = replace(evaluate(told_context), query=told)
                previous = self._turn_after_query(said, told)
            queries = several.queries(parsed)
            if len(queries) > 1:
                answers = self._clauses(queries, previous if told is not None else None)
                return self._finish(several.combined(query.cleaned, answers))
            # One question after all: the words of a clause that said nothing of its own go
            # with it, read beside its cues ("call Sendai, what number?": the phone number).
            only = queries[0]
            lexicon = self.parser.lexicon
            unexplained = tuple(
                w for w in only.unexplained if not lexicon.in_phrases_of(w.casefold(), only.cues)
            )
            # (The question alone, when the asker's setting came before it.)
            only = replace(only, text=only.text if told else query, unexplained=unexplained)
            context = Context(self.library, self.faq, only)
        follow = follow_up(context, previous)
        if follow is not None:
            context = Context(self.library, self.faq, follow.query)
        answer = evaluate(context)
        if follow is not None:
            # What was carried over is a note on how the question was read; the answer leads.
            answer = replace(
                answer,
                notes=(follow.note, *answer.notes),
                followup=follow.rule,
                lang=follow.lang,
            )
        return self._finish_query(replace(answer, query=context.query), context.query)

    def _clauses(self, queries: list[Query], previous: Turn | None = None) -> list[Answer]:
        """Each question of a message answered; one with a pronoun ("Which cluster is on
        page 54 and what fields did it cover?") read as a follow-up of the one before (the
        first, of the asker's setting when they gave one)."""
        answers: list[Answer] = []
        for query in queries:
            context = Context(self.library, self.faq, query)
            # A clause with a word not read keeps its own reading: the combined reply then
            # says which word, rather than a follow-up passing over it.
            reads_on = previous and not query.unexplained and read_cues(query.text).pronoun
            follow = follow_up(context, previous) if reads_on else None
            if follow is not None:
                context = Context(self.library, self.faq, follow.query)
            answer = replace(evaluate(context), query=context.query)
            if follow is not None:
                answer = replace(answer, notes=(follow.note, *answer.notes))
            answers.append(answer)
            previous = self._turn_after_query(answer, context.query)
        return answers

    # ----------------------------------------------------------------- commands

    def _region_command(self, value: str, intent: Intent) -> Answer:
        """A region option (cluster id, place, alias or free text) answered as `intent`,
        through the same reading as free text, so notes and suggestions stay the same."""
        rule = f"command.{intent.value}"
        query = Text.parse(value if isinstance(value, str) else "")
        if query.is_empty:
            return general.empty(self.library, query, rule=rule)
        key = query.cleaned.strip()
        if key in self.kb.clusters_by_id:
            cluster = self.kb.cluster(key)
            answer = region_answer(
                self.library, intent, [cluster], query, rule=rule, confidence=1.0
            )
            return self._finish(answer)
        context = self._context(query)
        if not context.query.clusters.named:
            # An option is a name being typed: a prefix that only one place starts with.
            target = self.parser.lexicon.regions.by_prefix(query.normalized)
            if target is not None:
                typed = ((query.normalized, target.label),)
                found = RegionMatch(
                    target.cluster_ids, frozenset(), (), REGION_PREFIX_CONFIDENCE, fuzzy_spans=typed
                )
                parsed = context.query
                named = replace(parsed, clusters=replace(parsed.clusters, names=found))
                context = Context(self.library, self.faq, named)
        if context.query.clusters.named:
            return self._finish(answer_region(self.library, context.query, rule, intent))
        declined = general.decline(self.library, context.query, (), rule=rule)
        if declined.intent is not Intent.OUT_OF_DOMAIN:
            return self._finish(declined, asked=intent)
        clarified = general.clarify(
            query.cleaned,
            M.UNKNOWN_REGION_TITLE(),
            [
                M.UNKNOWN_REGION(
                    typed=query.normalized[:OPTION_QUOTED_CHARS], places=self.library.example_places
                )
            ],
            declined.suggestions,
            rule=rule,
        )
        return self._finish(clarified, asked=intent)

    def contact(self, region: str) -> Answer:
        """/contact: the core organization and contact of a region (id, place or text)."""
        return self._region_command(region, Intent.CONTACT)

    def region(self, name: str) -> Answer:
        """/region: an overview of one cluster, or of every cluster a place heads."""
        return self._region_command(name, Intent.REGION)

    def stage(self, stage: str | None, status: str | None = None) -> Answer:
        """/stage: the clusters of a stage, optionally of one status, grouped by status."""
        rule = "command.stage"
        stage_id = self.parser.term(stage, K.STAGE)
        status_id = self.parser.term(status, K.STATUS)
        query = Text.parse(" ".join(x for x in (stage or "", status or "") if x))
        problems = [
            spec(value=normalize(value)[:40], choices=tuple(known))
            for spec, value, resolved, known in (
                (M.UNKNOWN_STAGE, stage, stage_id, self.kb.stages),
                (M.UNKNOWN_STATUS, status, status_id, self.kb.statuses),
            )
            if value and resolved is None
        ]
        if problems:
            clarified = general.clarify(
                query.cleaned, M.UNKNOWN_OPTION_TITLE(), problems, (), rule=rule
            )
            return self._finish(clarified)
        selection = Selection(stage_id, status_id)
        answer = listing.by_stage(self.library, query, selection, rule=rule)
        return self._finish(answer, stage=stage_id, status=status_id)

    def field(self, field: str) -> Answer:
        """/field: the clusters working in a key field, by stage."""
        rule = "command.field"
        query = Text.parse(field if isinstance(field, str) else "")
        if query.cleaned in self.kb.fields:
            fields = (query.cleaned,)
            answer = listing.by_field(self.library, query, Selection(fields=fields), rule=rule)
            return self._finish(answer, fields=fields)
        parsed = self.parser.parse(query) if not query.is_empty else None
        if parsed is None or not parsed.clusters.fields.fields:
            refs = tuple(Ref("field", f) for f in self.kb.fields)
            clarified = general.clarify(
                query.cleaned,
                M.UNKNOWN_FIELD_TITLE(),
                [M.UNKNOWN_FIELD(fields=refs)],
                refs[:MAX_SUGGESTIONS],
                rule=rule,
            )
            return self._finish(clarified)
        wanted = parsed.clusters
        selection = Selection(wanted.stage, wanted.status, wanted.fields.fields)
        answer = listing.by_field(self.library, query, selection, rule=rule)
        return self._finish_query(answer, parsed)

    def map(
        self, stage: str | None = None, status: str | None = None, field: str | None = None
    ) -> Answer:
        """/map: the clusters of a stage, status and key field (each optional, by id or by
        any of its words), with the `MapView` a front-end draws."""
        rule = "command.map"
        stage_id = self.parser.term(stage, K.STAGE)
        status_id = self.parser.term(status, K.STATUS)
        field_ids: tuple[str, ...] = ()
        if field:
            field_ids = (field,) if field in self.kb.fields else self._fields_of(field)
        query = Text.parse(" ".join(x for x in (stage, status, field) if x))
        problems = [
            spec(value=normalize(value)[:40], choices=tuple(known))
            for spec, value, resolved, known in (
                (M.UNKNOWN_STAGE, stage, stage_id, self.kb.stages),
                (M.UNKNOWN_STATUS, status, status_id, self.kb.statuses),
            )
            if value and resolved is None
        ]
        if field and not field_ids:
            problems.append(M.UNKNOWN_FIELD(fields=tuple(Ref("field", f) for f in self.kb.fields)))
        if problems:
            return general.clarify(query.cleaned, M.UNKNOWN_OPTION_TITLE(), problems, (), rule=rule)
        answer = map_answer(self.library, query, stage_id, status_id, field_ids, rule=rule)
        return self._finish(answer, stage=stage_id, status=status_id, fields=field_ids)

    def _fields_of(self, text: str) -> tuple[str, ...]:
        query = Text.parse(text if isinstance(text, str) else "")
        return () if query.is_empty else self.parser.parse(query).clusters.fields.fields

    def about(self) -> Answer:
        """/about: what the initiative is, its purpose, budget and the sources."""
        return self._finish(general.about(self.library))

    def help(self, question: str = "") -> Answer:
        """/help: what the bot answers and how to ask."""
        return self._finish(general.help_answer(self.library, question))

    def show(self, action: str, target: Ref) -> Answer:
        """A step of an earlier reply, asked: `action` (a region intent's value, or "faq")
        about `target` (a cluster, place or organization; a FAQ entry). A step naming
        nothing known any more (the base was reloaded) is answered as an unknown option."""
        rule = f"show.{action}"
        if action == "faq" and target.kind == "faq":
            entry = self.library.faq_by_id.get(target.id)
            if entry is not None:
                question = Text.parse(entry.question)
                return self._finish(general.faq_answer(question, FaqHit(entry, 1.0), rule=rule))
        if action == "map" and target.kind == MAP_VIEW:
            view = parse_map_view_id(self.library, target.id)
            if view is not None:
                answer = map_answer(self.library, Text.parse(""), *view, rule=rule)
                return self._finish(answer, stage=view[0], status=view[1], fields=view[2])
        if action == Intent.CONTACT.value and target.kind == "organization":
            org = self.kb.organizations.get(target.id)
            if org is not None and not clusters_of(self.library, target):
                # An organization that is no cluster's ("MEXT"): its own card.
                answer = organization_answer(self.library, Text.parse(""), (org.id,), (), rule=rule)
                return self._finish(answer)
        # A place or cluster on the map: where it is, which carries the map's view.
        wanted = Intent.LOCATION.value if action == "map" else action
        intent = next((i for i in REGION_INTENTS if i.value == wanted), None)
        clusters = clusters_of(self.library, target) if intent is not None else ()
        if intent is None or not clusters:
            typed = f"{target.kind}:{target.id}"[:OPTION_QUOTED_CHARS]
            lead = [M.UNKNOWN_REGION(typed=typed, places=self.library.example_places)]
            return general.clarify(typed, M.UNKNOWN_REGION_TITLE(), lead, (), rule=rule)
        kb = self.kb
        answer = region_answer(
            self.library,
            intent,
            [kb.cluster(c) for c in clusters],
            Text.parse(""),
            rule=rule,
            confidence=1.0,
        )
        return self._finish(answer)

    # ----------------------------------------------------------------- autocomplete

    def complete_region(self, current: str, limit: int = DEFAULT_LIMIT) -> list[Choice]:
        """Autocomplete for region options: prefix matches first, then fuzzy ones."""
        return self.completer.regions(current, limit)

    def complete_question(self, current: str, limit: int = DEFAULT_LIMIT) -> list[Choice]:
        """Autocomplete for /ask: FAQ questions and clusters, best match first."""
        return self.completer.questions(current, limit)

    def complete_stage(self, current: str, limit: int = DEFAULT_LIMIT) -> list[Choice]:
        """Autocomplete for stage options: the knowledge base's stages."""
        return self.completer.terms("stage", current, limit)

    def complete_status(self, current: str, limit: int = DEFAULT_LIMIT) -> list[Choice]:
        """Autocomplete for status options: the knowledge base's statuses."""
        return self.completer.terms("status", current, limit)

    def complete_field(self, current: str, limit: int = DEFAULT_LIMIT) -> list[Choice]:
        """Autocomplete for the field option: the four key fields, best match first."""
        return self.completer.fields(current, limit)


def build_engine(
    directory: str | os.PathLike[str] | None = None, *, limits: ReadLimits = DEFAULT_LIMITS
) -> Engine:
    """Load and validate the knowledge base, then build every index once."""
    from bot.kb.loader import load_knowledge  # the YAML reading, only when building

    return Engine(load_knowledge(directory, limits=limits))
