"""The answer engine: a question in, a typed, sourced Answer out. No I/O, no discord."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from bot.engine.answer import AS_OF_2008, Answer, Block, Intent, Source
from bot.engine.faq import ANSWER_SCORE, SUGGEST_SCORE, FaqHit, FaqIndex
from bot.engine.fuzzy import RatioChoices
from bot.engine.regions import RegionIndex, RegionMatch
from bot.engine.text import PhraseMatcher, Query, normalize
from bot.engine.vocabulary import DOMAIN_WORDS, STOPWORDS
from bot.kb._yaml import DEFAULT_LIMITS, ReadLimits
from bot.kb.loader import load_knowledge
from bot.kb.model import Cluster, KnowledgeBase, SourceRef

SPELL_SCORE = 82.0  # an unknown word this close to a vocabulary word is read as that word
MIN_SPELL_CHARS = 5
MAX_CHOICES = 25
MAX_CHOICE_CHARS = 100
# Words after a lower-case "it" that make it the field IT rather than the pronoun.
_IT_CONTEXT = frozenset(
    "field fields cluster clusters sector industry related research area areas work".split()
)
# Region intents in the order they win when a question signals several.
_REGION_INTENTS = (
    Intent.PAGE,
    Intent.CONTACT,
    Intent.BUDGET,
    Intent.FIELDS,
    Intent.STAGE,
    Intent.REGION,
)
_EXAMPLES = (
    "what fields does Hamamatsu cover",
    "contact for Sapporo",
    "which clusters work on environment",
    "list the second stage clusters",
    "how many clusters are there",
    "what page is Ube on",
    "what is the budget",
    "知的クラスターとは",
)


@dataclass(frozen=True, slots=True)
class Choice:
    """An autocomplete choice: what the user sees and the value sent back."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class _Signals:
    """What a question mentions, read once and shared by the routing rules."""

    query: Query
    intents: frozenset[str]
    fields: tuple[str, ...]
    stage: str | None
    status: str | None
    regions: RegionMatch
    leftover: tuple[str, ...]  # Latin content words nothing recognised
    noun_phrase: bool = False  # only field/stage/status/intent words: "second stage", "IT"


class Engine:
    """Answers questions from one validated knowledge base; immutable, thread-safe."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._intents = PhraseMatcher(
            (phrase, name) for name, phrases in kb.intents.items() for phrase in phrases
        )
        self._fields = PhraseMatcher(
            (spelling, field.id)
            for field in kb.fields.values()
            for spelling in (field.id, field.name, field.name_ja, *field.synonyms)
        )
        self._stages = PhraseMatcher(
            (s, term.id)
            for term in kb.stages.values()
            for s in (term.id, term.name, term.name_ja, *term.synonyms)
        )
        self._statuses = PhraseMatcher(
            (s, term.id)
            for term in kb.statuses.values()
            for s in (term.id, term.name, term.name_ja, *term.synonyms)
        )
        known_words: set[str] = set(STOPWORDS) | DOMAIN_WORDS
        for phrases in kb.intents.values():
            known_words.update(w for p in phrases for w in normalize(p).split())
        for matcher_source in (
            [s for f in kb.fields.values() for s in (f.name, *f.synonyms)],
            [
                s
                for t in (*kb.stages.values(), *kb.statuses.values())
                for s in (t.name, *t.synonyms)
            ],
            [s for e in kb.faq for s in (e.question, *e.alternates, *e.keywords)],
        ):
            known_words.update(w for s in matcher_source for w in normalize(s).split())
        region_words = {
            word
            for spelling in (
                *(s for p in kb.places.values() for s in (p.name, *p.aliases)),
                *(s for c in kb.clusters for s in (c.name, *c.aliases)),
            )
            for word in normalize(spelling).split()
        }
        self._known_words = frozenset(known_words - region_words)
        self._correctable = RatioChoices(
            w for w in self._known_words if w.isascii() and len(w) >= MIN_SPELL_CHARS
        )
        self._region_words = RatioChoices(w for w in region_words if w.isascii())
        self._regions = RegionIndex(kb, vocabulary=self._known_words)
        self._faq = FaqIndex(kb.faq, STOPWORDS)
        self._faq_by_topic: dict[str, list[str]] = {}
        for entry in kb.faq:
            self._faq_by_topic.setdefault(entry.topic, []).append(entry.id)
        self._faq_by_id = {entry.id: entry for entry in kb.faq}
        self._completion_keys = self._build_completions()
        self._field_names_of = {
            c.id: ", ".join(kb.fields[f].name for f in c.fields) for c in kb.clusters
        }
        self._contents = tuple(dict.fromkeys(c.source for c in kb.clusters))
        latest_first = sorted(kb.stages.values(), key=lambda t: -(t.started or 0))
        self._group_rank = {
            (stage.id, status): rank
            for rank, (stage, status) in enumerate(
                (stage, status) for stage in latest_first for status in kb.statuses
            )
        }

    # ----------------------------------------------------------------- free text

    def ask(self, text: str) -> Answer:
        """Any free text to an answer. Never raises on any input."""
        query = Query.parse(text if isinstance(text, str) else "")
        if query.is_empty:
            return self._empty(query)
        signals = self._read(self._spell_corrected(query))
        if signals.regions.cluster_ids:
            return self._region_answer(signals)
        return self._general_answer(signals)

    def _spell_corrected(self, query: Query) -> Query:
        """Misspelt vocabulary ("budjet", "clsuters") read as the word meant, unless the
        word is closer to a place name, which region resolution then gets to judge."""
        tokens = list(query.tokens)
        for position, token in enumerate(tokens):
            if (
                len(token) < MIN_SPELL_CHARS
                or not token.isascii()
                or token.isdigit()
                or token in self._known_words
                or self._regions.target(token) is not None
            ):
                continue
            word = self._correctable.best(token, SPELL_SCORE)
            if word is None:
                continue
            place = self._region_words.best(token, word[1])
            if place is not None:
                continue
            tokens[position] = word[0]
        if tokens == list(query.tokens):
            return query
        return replace(query, tokens=tuple(tokens), compact="".join(tokens))

    def _read(self, query: Query) -> _Signals:
        # Leftmost-longest, so "phone number of" is a contact phrase, not "number of".
        intent_hits = self._intents.find(query, longest_only=True)
        intents = frozenset(hit.payload for hit in intent_hits)
        used: set[int] = set()
        fields: list[str] = []
        for hit in self._fields.find(query, longest_only=True):
            if hit.latin and hit.phrase == "it" and not self._is_field_it(query, hit.start):
                continue
            fields.append(hit.payload)
            if hit.latin:
                used.update(range(hit.start, hit.end))
        stage_hits = self._stages.find(query, longest_only=True)
        status_hits = self._statuses.find(query, longest_only=True)
        for hit in (*stage_hits, *status_hits):
            if hit.latin:
                used.update(range(hit.start, hit.end))
        regions = self._regions.resolve(query, skip=frozenset(used))
        leftover = tuple(
            token
            for position, token in enumerate(query.tokens)
            if position not in used
            and position not in regions.consumed
            and token.isascii()
            and not token.isdigit()
            and token not in self._known_words
        )
        grammar = {p for hit in intent_hits if hit.latin for p in range(hit.start, hit.end)}
        noun_phrase = all(
            position in used or position in grammar or token in DOMAIN_WORDS
            for position, token in enumerate(query.tokens)
        )
        return _Signals(
            query=query,
            intents=intents,
            noun_phrase=noun_phrase,
            fields=tuple(dict.fromkeys(fields)),
            stage=stage_hits[0].payload if stage_hits else None,
            status=status_hits[0].payload if status_hits else None,
            regions=regions,
            leftover=leftover,
        )

    @staticmethod
    def _is_field_it(query: Query, position: int) -> bool:
        if query.cased_tokens[position] == "IT" or len(query.tokens) == 1:
            return True
        following = query.tokens[position + 1] if position + 1 < len(query.tokens) else ""
        return following in _IT_CONTEXT

    # ----------------------------------------------------------------- regions

    def _region_answer(self, signals: _Signals, intent: Intent | None = None) -> Answer:
        intent = intent or self._region_intent(signals)
        clusters = [self.kb.cluster(cid) for cid in signals.regions.cluster_ids]
        notes: list[str] = []
        if intent is not Intent.STAGE:
            clusters, note = self._filter(clusters, signals.stage, signals.status)
            notes.extend(note)
        confidence = signals.regions.confidence
        for typed, label in signals.regions.fuzzy_spans:
            notes.append(f"Read “{typed}” as {label}.")
        return self._compose_region(
            intent, clusters, signals.query, confidence, notes, asked_fields=signals.fields
        )

    @staticmethod
    def _region_intent(signals: _Signals) -> Intent:
        wanted = set(signals.intents)
        if signals.fields:
            wanted.add(Intent.FIELDS.value)
        if signals.regions.via_organization:
            wanted.add(Intent.CONTACT.value)
        for intent in _REGION_INTENTS:
            if intent.value in wanted:
                return intent
        return Intent.REGION

    def _filter(
        self, clusters: list[Cluster], stage: str | None, status: str | None
    ) -> tuple[list[Cluster], list[str]]:
        if stage is None and status is None:
            return clusters, []
        kept = [
            c
            for c in clusters
            if (stage is None or c.stage == stage) and (status is None or c.status == status)
        ]
        if kept:
            return kept, []
        wanted = " ".join(
            x
            for x in (
                self.kb.stages[stage].name if stage else "",
                f"({self.kb.statuses[status].name})" if status else "",
            )
            if x
        )
        names = ", ".join(dict.fromkeys(c.name for c in clusters))
        return clusters, [f"{names} has no cluster in the {wanted}; showing every one."]

    def _compose_region(
        self,
        intent: Intent,
        clusters: Sequence[Cluster],
        query: Query,
        confidence: float,
        notes: Sequence[str] = (),
        asked_fields: Sequence[str] = (),
    ) -> Answer:
        composer = {
            Intent.FIELDS: self._fields_blocks,
            Intent.CONTACT: self._contact_blocks,
            Intent.STAGE: self._stage_blocks,
            Intent.PAGE: self._page_blocks,
            Intent.BUDGET: self._budget_blocks,
            Intent.REGION: self._overview_blocks,
        }[intent]
        title, summary, blocks, sources, extra = composer(clusters, asked_fields)
        if len(clusters) > 1:
            places = self._shared_place_note(clusters)
            if places:
                summary = f"{places} {summary}"
        if notes:
            summary = f"{summary}\n" + "\n".join(notes)
        return Answer(
            question=query.cleaned,
            answered=True,
            intent=intent,
            title=title,
            summary=summary,
            blocks=tuple(blocks),
            matches=tuple(dict.fromkeys((*(c.id for c in clusters), *extra))),
            sources=self._sources(sources),
            confidence=round(confidence, 3),
            # The budget figures are the 2004 overview's and say so in their own text.
            as_of=None if intent is Intent.BUDGET else AS_OF_2008,
        )

    def _shared_place_note(self, clusters: Sequence[Cluster]) -> str:
        by_place: dict[str, list[Cluster]] = {}
        for cluster in clusters:
            for place_id in cluster.places:
                by_place.setdefault(place_id, []).append(cluster)
        shared = [(p, cs) for p, cs in by_place.items() if len(cs) > 1]
        if not shared:
            return ""
        place_id, members = max(shared, key=lambda item: len(item[1]))
        return f"{self.kb.places[place_id].name} heads {len(members)} clusters in the 2008 edition."

    def _heading(self, cluster: Cluster) -> str:
        stage = self.kb.stages[cluster.stage].name
        status = self.kb.statuses[cluster.status].name
        return f"{cluster.name} — {stage} ({status})"

    def _field_names(self, field_ids: Iterable[str]) -> str:
        return ", ".join(self.kb.fields[f].name for f in field_ids)

    def _fields_blocks(self, clusters: Sequence[Cluster], asked: Sequence[str]):
        blocks = []
        for cluster in clusters:
            lines = [f"Fields: {self._field_names(cluster.fields)}"]
            for field_id in asked:
                name = self.kb.fields[field_id].name
                verdict = "includes" if field_id in cluster.fields else "does not list"
                lines.append(f"It {verdict} {name}.")
            blocks.append(Block(self._heading(cluster), tuple(lines), cluster.fields, cluster.id))
        if len(clusters) == 1:
            only = clusters[0]
            summary = f"{only.name} works in {self._field_names(only.fields)}."
        else:
            summary = "Each cluster's key fields, as printed in the 2008 edition:"
        title = f"Fields of {self._names(clusters)}"
        return title, summary, blocks, [c.source for c in clusters], []

    def _names(self, clusters: Sequence[Cluster]) -> str:
        return " / ".join(dict.fromkeys(c.name for c in clusters))

    def _contact_blocks(self, clusters: Sequence[Cluster], _asked: Sequence[str]):
        blocks: list[Block] = []
        sources: list[SourceRef] = []
        extra: list[str] = []
        without: list[Cluster] = []
        by_org: dict[str, list[Cluster]] = {}
        for cluster in clusters:
            if cluster.organization is None:
                without.append(cluster)
            else:
                by_org.setdefault(cluster.organization.id, []).append(cluster)
                sources.append(cluster.organization.source)
        for org_id, members in by_org.items():
            org = self.kb.organizations[org_id]
            heads = "; ".join(self._heading(c) for c in members)
            blocks.append(Block(f"Core organization of {heads}", self._org_lines(org)))
            sources.extend(org.sources)
            extra.append(org.id)
        for cluster in without:
            blocks.append(
                Block(
                    self._heading(cluster),
                    (
                        "The knowledge base has no core organization or contact for this "
                        "cluster: no source gives one.",
                    ),
                    cluster_id=cluster.id,
                )
            )
        if without:
            office = self._programme_office()
            if office is not None:
                blocks.append(Block("Programme office (fallback)", self._org_lines(office)))
                sources.extend(office.sources)
                extra.append(office.id)
        if by_org and not without:
            summary = "Contact details as the sources give them:"
        elif by_org:
            summary = "Contacts the sources give, and the programme office for the rest:"
        else:
            summary = (
                f"The knowledge base has no contact for {self._names(clusters)}; "
                "the programme office at MEXT is the fallback."
            )
        return f"Contact for {self._names(clusters)}", summary, blocks, sources, extra

    def _programme_office(self):
        office_id = self.kb.programme_office
        return self.kb.organizations.get(office_id) if office_id else None

    @staticmethod
    def _org_lines(org) -> tuple[str, ...]:
        shown_short = org.short_name and org.short_name not in org.name
        name = f"{org.short_name} ({org.name})" if shown_short else org.name
        lines = [name]
        if org.name_ja and org.name_ja != org.name:
            lines.append(org.name_ja)
        for label, value in (
            ("Office", org.office),
            ("Address", org.address),
            ("TEL", org.tel),
            ("FAX", org.fax),
        ):
            if value:
                lines.append(f"{label}: {value}")
        if not org.tel:
            lines.append("TEL: no source gives a telephone number.")
        if org.note:
            lines.append(org.note)
        if org.as_of:
            lines.append(f"(as of {org.as_of})")
        return tuple(lines)

    def _stage_blocks(self, clusters: Sequence[Cluster], _asked: Sequence[str]):
        blocks = []
        for cluster in clusters:
            stage = self.kb.stages[cluster.stage]
            status = self.kb.statuses[cluster.status]
            started = f", which started in {stage.started}" if stage.started else ""
            lines = (f"{stage.name}{started}; {status.name} as of the 2008 edition.",)
            blocks.append(Block(self._heading(cluster), lines, cluster.fields, cluster.id))
        if len(clusters) == 1:
            only = clusters[0]
            summary = (
                f"{only.name} is in the {self.kb.stages[only.stage].name} "
                f"({self.kb.statuses[only.status].name} as of the 2008 edition)."
            )
        else:
            summary = "Stage and status of each cluster:"
        sources = [c.source for c in clusters]
        sources += [
            self.kb.stages[c.stage].source for c in clusters if self.kb.stages[c.stage].source
        ]
        return f"Stage of {self._names(clusters)}", summary, blocks, sources, []

    def _page_blocks(self, clusters: Sequence[Cluster], _asked: Sequence[str]):
        blocks = []
        for cluster in clusters:
            line = (
                f"Page {cluster.page} of the 2008 edition."
                if cluster.page is not None
                else "The 2008 edition's contents list gives no page for this cluster."
            )
            blocks.append(Block(self._heading(cluster), (line,), cluster.fields, cluster.id))
        paged = [c for c in clusters if c.page is not None]
        if len(clusters) == 1:
            only = clusters[0]
            summary = (
                f"{only.name} is on page {only.page} of the 2008 edition."
                if only.page is not None
                else f"The 2008 edition's contents list gives no page for {only.name}."
            )
        elif paged:
            summary = "Pages as the contents list gives them:"
        else:
            summary = "The 2008 edition's contents list gives no page for these clusters."
        return f"Page of {self._names(clusters)}", summary, blocks, [c.source for c in clusters], []

    def _budget_blocks(self, clusters: Sequence[Cluster], _asked: Sequence[str]):
        entries = [self._faq_by_id[i] for i in self._faq_by_topic.get("budget", ())]
        blocks = [Block(e.question, (e.answer,)) for e in entries]
        summary = (
            f"The sources give no budget figure for {self._names(clusters)} itself; "
            "these are the programme's figures."
        )
        sources = [ref for e in entries for ref in e.sources]
        return (
            f"Budget for {self._names(clusters)}",
            summary,
            blocks,
            sources,
            [e.id for e in entries],
        )

    def _overview_blocks(self, clusters: Sequence[Cluster], _asked: Sequence[str]):
        blocks = []
        sources: list[SourceRef] = []
        for cluster in clusters:
            stage = self.kb.stages[cluster.stage]
            status = self.kb.statuses[cluster.status]
            org = self.kb.organization_of(cluster)
            lines = [
                f"Stage: {stage.name} (started {stage.started}); status: {status.name}",
                f"Fields: {self._field_names(cluster.fields)}",
                "Places: " + ", ".join(self.kb.places[p].name for p in cluster.places),
                "Core organization: "
                + (
                    (org.short_name or org.name)
                    if org is not None
                    else "none in the knowledge base"
                ),
                (
                    f"Page: {cluster.page}"
                    if cluster.page is not None
                    else "Page: the contents list gives none"
                ),
            ]
            blocks.append(Block(self._heading(cluster), tuple(lines), cluster.fields, cluster.id))
            sources.append(cluster.source)
            if cluster.organization is not None:
                sources.append(cluster.organization.source)
        if len(clusters) == 1:
            only = clusters[0]
            summary = (
                f"{only.name}: {self.kb.stages[only.stage].name}, "
                f"{self.kb.statuses[only.status].name}, working in "
                f"{self._field_names(only.fields)}."
            )
        else:
            summary = f"{len(clusters)} clusters, each below:"
        return self._names(clusters), summary, blocks, sources, []

    # ----------------------------------------------------------------- no region

    def _general_answer(self, signals: _Signals) -> Answer:
        query = signals.query
        intents = signals.intents
        hits = self._faq.search(query, topics=intents)
        best: FaqHit | None = hits[0] if hits else None
        strong = best is not None and best.score >= ANSWER_SCORE
        listing = (
            bool(intents & {"list"}) or signals.noun_phrase or (not signals.leftover and not strong)
        )
        filters = bool(signals.fields or signals.stage or signals.status)

        misses = signals.regions.near_misses
        named_elsewhere = misses or signals.regions.unclustered
        if named_elsewhere and set(signals.leftover) <= {w for m in misses for w in m.text.split()}:
            return self._decline(signals, hits)  # "what fields does tokyo cover"
        if "count" in intents and (filters or not signals.leftover or not strong):
            return self._count(query, signals)
        if signals.fields and (listing or not strong):
            return self._by_field(query, signals.fields, signals.stage, signals.status)
        if (signals.stage or signals.status) and (listing or not strong):
            return self._by_stage_answer(query, signals.stage, signals.status)
        if strong and best is not None:
            return self._faq_answer(query, best)
        if "list" in intents and not signals.leftover:
            return self._by_stage_answer(query, None, None)
        if "about" in intents and not signals.leftover:
            return replace(self.about(), question=query.cleaned)
        if "help" in intents and not signals.leftover:
            return self.help(question=query.cleaned)
        return self._decline(signals, hits)

    def _faq_answer(self, query: Query, hit: FaqHit) -> Answer:
        entry = hit.entry
        intent = Intent.BUDGET if entry.topic == "budget" else Intent.FAQ
        return Answer(
            question=query.cleaned,
            answered=True,
            intent=intent,
            title=entry.question,
            summary=entry.answer,
            matches=(entry.id,),
            sources=self._sources(entry.sources),
            confidence=hit.score,
            as_of=AS_OF_2008 if entry.topic in ("stages",) else None,
        )

    def _in_listing_order(self, clusters: Iterable[Cluster]) -> list[Cluster]:
        """The latest stage first (as the 2008 edition lists them), then by status."""
        return sorted(clusters, key=lambda c: self._group_rank[(c.stage, c.status)])

    def _listing_blocks(
        self, clusters: Sequence[Cluster], highlight: Sequence[str] = ()
    ) -> list[Block]:
        groups: dict[tuple[str, str], list[Cluster]] = {}
        for cluster in self._in_listing_order(clusters):
            groups.setdefault((cluster.stage, cluster.status), []).append(cluster)
        blocks = []
        for (stage, status), members in groups.items():
            title = f"{self.kb.stages[stage].name} ({self.kb.statuses[status].name})"
            lines = tuple(f"{c.name} — {self._field_names_of[c.id]}" for c in members)
            fields = tuple(highlight) or tuple(dict.fromkeys(f for c in members for f in c.fields))
            blocks.append(Block(f"{title}: {len(members)}", lines, fields))
        return blocks

    def _select(self, stage=None, status=None, fields: Sequence[str] = ()) -> list[Cluster]:
        return [
            c
            for c in self.kb.clusters
            if (stage is None or c.stage == stage)
            and (status is None or c.status == status)
            and (not fields or any(f in c.fields for f in fields))
        ]

    def _describe_filter(self, stage=None, status=None, fields: Sequence[str] = ()) -> str:
        parts = []
        if stage:
            parts.append(f"in the {self.kb.stages[stage].name}")
        if status:
            parts.append(f"{self.kb.statuses[status].name}")
        if fields:
            parts.append("working in " + " or ".join(self.kb.fields[f].name for f in fields))
        return " ".join(parts)

    def _listing(
        self,
        query: Query,
        intent: Intent,
        title: str,
        summary: str,
        clusters: Sequence[Cluster],
        highlight: Sequence[str] = (),
        stage: str | None = None,
    ) -> Answer:
        """An answer listing clusters, grouped by stage and status, cited to the contents."""
        refs = list(self._contents)
        if stage and self.kb.stages[stage].source:
            refs.append(self.kb.stages[stage].source)
        return Answer(
            question=query.cleaned,
            answered=True,
            intent=intent,
            title=title,
            summary=summary,
            blocks=tuple(self._listing_blocks(clusters, highlight)),
            matches=tuple(c.id for c in clusters),
            sources=self._sources(refs),
            confidence=1.0,
            as_of=AS_OF_2008,
        )

    def _by_field(self, query: Query, fields, stage, status) -> Answer:
        clusters = self._select(stage, status, fields)
        names = " / ".join(self.kb.fields[f].name for f in fields)
        described = self._describe_filter(stage, status, fields)
        summary = f"{len(clusters)} clusters {described} (as of the 2008 edition):"
        if not clusters:
            summary = f"No cluster {described} in the 2008 edition."
        title = f"Clusters working in {names}"
        return self._listing(query, Intent.BY_FIELD, title, summary, clusters, fields, stage)

    def _by_stage_answer(self, query: Query, stage, status) -> Answer:
        clusters = self._select(stage, status)
        described = self._describe_filter(stage, status) or "in the 2008 edition"
        title_parts = [self.kb.stages[stage].name if stage else "All stages"]
        if status:
            title_parts.append(f"({self.kb.statuses[status].name})")
        summary = f"{len(clusters)} clusters {described}:"
        if not clusters:
            summary = f"No cluster {described} in the 2008 edition."
        title = "Clusters: " + " ".join(title_parts)
        return self._listing(query, Intent.BY_STAGE, title, summary, clusters, stage=stage)

    def _count(self, query: Query, signals: _Signals) -> Answer:
        stage, status, fields = signals.stage, signals.status, signals.fields
        clusters = self._select(stage, status, fields)
        described = self._describe_filter(stage, status, fields)
        if described:
            summary = f"{len(clusters)} clusters {described}, as listed in the 2008 edition."
        else:
            groups: dict[tuple[str, str], int] = {}
            for cluster in self._in_listing_order(clusters):
                key = (cluster.stage, cluster.status)
                groups[key] = groups.get(key, 0) + 1
            counts = [
                f"{n} in the {self.kb.stages[s].name} ({self.kb.statuses[t].name})"
                for (s, t), n in groups.items()
            ]
            summary = f"The 2008 edition lists {len(clusters)} clusters: " + ", ".join(counts) + "."
        title = "Number of clusters"
        return self._listing(query, Intent.COUNT, title, summary, clusters, fields, stage)

    def _decline(self, signals: _Signals, hits: Sequence[FaqHit]) -> Answer:
        query = signals.query
        misses = signals.regions.near_misses
        suggestions = [m.target.label for m in misses]
        suggestions += [h.entry.question for h in hits if h.score >= SUGGEST_SCORE]
        suggestions = list(dict.fromkeys(suggestions))[:3]
        # Only a near-missed place name and grammar words: the user meant a region.
        unclustered = signals.regions.unclustered
        region_like = bool(misses or unclustered) and set(signals.leftover) <= {
            w for m in misses for w in m.text.split()
        }
        if region_like:
            labels = " or ".join(m.target.label for m in misses[:3])
            if unclustered:
                named = " and ".join(unclustered)
                summary = f"{named} heads no cluster in the 2008 edition's list."
            else:
                summary = f"I don't know a cluster called “{misses[0].text}”."
            if labels:
                summary += f" Did you mean {labels}?"
            intent = Intent.CLARIFY
            confidence = misses[0].score / 100 if misses else 0.0
        else:
            summary = (
                "I can only answer questions about MEXT's Knowledge Cluster Initiative: its "
                f"{len(self.kb.clusters)} clusters (fields, stage, contacts, pages), the key "
                "fields, the budget, its purpose and history."
            )
            if suggestions:
                summary += " Did you mean one of the suggestions below?"
            intent = Intent.OUT_OF_DOMAIN
            confidence = hits[0].score if hits else 0.0
        return Answer(
            question=query.cleaned,
            answered=False,
            intent=intent,
            title="Not sure what you mean" if region_like else "I can't answer that",
            summary=summary,
            suggestions=tuple(suggestions),
            confidence=round(confidence, 3),
        )

    def _empty(self, query: Query) -> Answer:
        return Answer(
            question=query.cleaned,
            answered=False,
            intent=Intent.EMPTY,
            title="No question",
            summary="Ask me about the Knowledge Cluster Initiative, for example: "
            + "; ".join(_EXAMPLES[:3])
            + ".",
            suggestions=_EXAMPLES[:3],
        )

    def _sources(self, refs: Iterable[SourceRef | None]) -> tuple[Source, ...]:
        """One Source per document; several places in it are merged, and places that
        share a section ("Contents: ...") are cited by that section."""
        places: dict[str, list[str]] = {}
        for ref in refs:
            if ref is not None:
                wheres = places.setdefault(ref.doc, [])
                if ref.where and ref.where not in wheres:
                    wheres.append(ref.where)
        sources = []
        for doc_id, wheres in places.items():
            document = self.kb.documents[doc_id]
            sections = {w.split(":", 1)[0] for w in wheres}
            if len(wheres) > 1 and len(sections) == 1:
                where = sections.pop()
            else:
                where = "; ".join(wheres) or None
            sources.append(Source(document.title, where, document.url))
        return tuple(sources)

    # ----------------------------------------------------------------- commands

    def _region_command(self, value: str, intent: Intent) -> Answer:
        """A region option (cluster id, place, alias or free text) answered as `intent`,
        through the same reading as free text, so notes and suggestions stay the same."""
        query = Query.parse(value if isinstance(value, str) else "")
        if query.is_empty:
            return self._empty(query)
        key = query.cleaned.strip()
        if key in self.kb.clusters_by_id:
            return self._compose_region(intent, [self.kb.cluster(key)], query, 1.0)
        signals = self._read(self._spell_corrected(query))
        if not signals.regions.cluster_ids:
            # An option is a name being typed: a prefix that only one place starts with.
            target = self._regions.by_prefix(query.normalized)
            if target is not None:
                typed = ((query.normalized, target.label),)
                found = RegionMatch(target.cluster_ids, frozenset(), (), 0.9, fuzzy_spans=typed)
                signals = replace(signals, regions=found)
        if signals.regions.cluster_ids:
            return self._region_answer(signals, intent=intent)
        declined = self._decline(signals, ())
        if declined.intent is not Intent.OUT_OF_DOMAIN:
            return declined
        return Answer(
            question=query.cleaned,
            answered=False,
            intent=Intent.CLARIFY,
            title="Unknown region",
            summary=(
                f"No cluster matches “{query.normalized[:80]}”. Try a place such as "
                "Hamamatsu, Kyoto or Sapporo."
            ),
            suggestions=declined.suggestions,
        )

    def contact(self, region: str) -> Answer:
        """/contact: the core organization and contact of a region (id, place or text)."""
        return self._region_command(region, Intent.CONTACT)

    def region(self, name: str) -> Answer:
        """/region: an overview of one cluster, or of every cluster a place heads."""
        return self._region_command(name, Intent.REGION)

    def stage(self, stage: str | None, status: str | None = None) -> Answer:
        """/stage: the clusters of a stage, optionally of one status, grouped by status."""
        stage_id = self._term(stage, self._stages, self.kb.stages)
        status_id = self._term(status, self._statuses, self.kb.statuses)
        query = Query.parse(" ".join(x for x in (stage or "", status or "") if x))
        bad = [
            f"unknown {what} “{normalize(value)[:40]}” (choose {', '.join(known)})"
            for what, value, resolved, known in (
                ("stage", stage, stage_id, self.kb.stages),
                ("status", status, status_id, self.kb.statuses),
            )
            if value and resolved is None
        ]
        if bad:
            return Answer(
                question=query.cleaned,
                answered=False,
                intent=Intent.CLARIFY,
                title="Unknown option",
                summary="; ".join(bad).capitalize() + ".",
            )
        return self._by_stage_answer(query, stage_id, status_id)

    @staticmethod
    def _term(value: str | None, matcher: PhraseMatcher, known) -> str | None:
        if not value:
            return None
        if value in known:
            return value
        hits = matcher.find(Query.parse(value), longest_only=True)
        return hits[0].payload if hits else None

    def field(self, field: str) -> Answer:
        """/field: the clusters working in a key field, by stage."""
        query = Query.parse(field if isinstance(field, str) else "")
        if query.cleaned in self.kb.fields:
            return self._by_field(query, (query.cleaned,), None, None)
        signals = self._read(query) if not query.is_empty else None
        if signals is None or not signals.fields:
            known = ", ".join(f.name for f in self.kb.fields.values())
            return Answer(
                question=query.cleaned,
                answered=False,
                intent=Intent.CLARIFY,
                title="Unknown field",
                summary=f"The key fields are: {known}.",
                suggestions=tuple(f.name for f in self.kb.fields.values())[:3],
            )
        return self._by_field(query, signals.fields, signals.stage, signals.status)

    def about(self) -> Answer:
        """/about: what the initiative is, its purpose, budget and the sources."""
        entries = [
            self._faq_by_id[entry_id]
            for topic in ("definition", "purpose", "budget", "sources")
            for entry_id in self._faq_by_topic.get(topic, ())[:1]
        ]
        return Answer(
            question="",
            answered=True,
            intent=Intent.ABOUT,
            title="The Knowledge Cluster Initiative (知的クラスター創成事業)",
            summary="MEXT's regional innovation programme, as the 2008 edition describes it.",
            blocks=tuple(Block(e.question, (e.answer,)) for e in entries),
            matches=tuple(e.id for e in entries),
            sources=self._sources(ref for e in entries for ref in e.sources),
            confidence=1.0,
            as_of=AS_OF_2008,
        )

    def help(self, question: str = "") -> Answer:
        """/help: what the bot answers and how to ask."""
        counts = f"{len(self.kb.clusters)} clusters and {len(self.kb.faq)} topics"
        return Answer(
            question=question,
            answered=True,
            intent=Intent.HELP,
            title="What I can answer",
            summary=(
                "I answer questions about MEXT's Knowledge Cluster Initiative "
                f"({counts}), in English or Japanese, with sources."
            ),
            blocks=(
                Block("Ask in your own words", tuple(_EXAMPLES)),
                Block(
                    "Commands",
                    (
                        "/region NAME: overview of a cluster or place",
                        "/contact REGION: core organization and contact details",
                        "/stage first|second [active|ended]: clusters of a stage",
                        "/field FIELD: clusters working in a key field",
                        "/ask QUESTION: any question",
                        "/about, /help",
                    ),
                ),
            ),
            confidence=1.0,
        )

    # ----------------------------------------------------------------- autocomplete

    def _build_completions(self) -> list[tuple[str, Choice]]:
        """(normalized key, choice) pairs: one choice per cluster, one per shared place."""
        keys: list[tuple[str, Choice]] = []
        for cluster in self.kb.clusters:
            choice = Choice(self._heading(cluster)[:MAX_CHOICE_CHARS], cluster.id)
            for spelling in (cluster.name, *cluster.aliases):
                keys.append((normalize(spelling), choice))
            for place_id in cluster.places:
                place = self.kb.places[place_id]
                for spelling in (place.name, *place.aliases):
                    keys.append((normalize(spelling), choice))
        for place in self.kb.places.values():
            members = [c for c in self.kb.clusters if place.id in c.places]
            if len(members) > 1:
                label = f"{place.name} — all {len(members)} clusters"
                choice = Choice(label[:MAX_CHOICE_CHARS], place.name[:MAX_CHOICE_CHARS])
                for spelling in (place.name, *place.aliases):
                    keys.append((normalize(spelling), choice))
        return [(k, c) for k, c in keys if k]

    def complete_region(self, current: str, limit: int = MAX_CHOICES) -> list[Choice]:
        """Autocomplete for region options: prefix matches first, then fuzzy ones."""
        limit = max(0, min(limit, MAX_CHOICES))
        typed = normalize(current[:100]) if isinstance(current, str) else ""
        choices: list[Choice] = []
        if not typed:
            choices = [Choice(self._heading(c)[:MAX_CHOICE_CHARS], c.id) for c in self.kb.clusters]
            return choices[:limit]
        ranked: dict[Choice, float] = {}
        for key, choice in self._completion_keys:
            if key.startswith(typed):
                score = 200 - len(key)
            elif typed in key:
                score = 150 - len(key)
            else:
                continue
            ranked[choice] = max(ranked.get(choice, 0.0), score)
        if len(ranked) < limit:
            fuzzy = process.extract(
                typed,
                [k for k, _ in self._completion_keys],
                scorer=fuzz.partial_ratio if len(typed) >= 4 else fuzz.ratio,
                processor=None,
                limit=limit * 3,
                score_cutoff=70,
            )
            for _, score, position in fuzzy:
                choice = self._completion_keys[position][1]
                ranked.setdefault(choice, score)
        ordered = sorted(ranked.items(), key=lambda item: -item[1])
        return [choice for choice, _ in ordered[:limit]]

    def complete_field(self, current: str, limit: int = MAX_CHOICES) -> list[Choice]:
        """Autocomplete for the field option: the four key fields, best match first."""
        typed = normalize(current[:100]) if isinstance(current, str) else ""
        fields = list(self.kb.fields.values())
        if typed:

            def score(field) -> float:
                spellings = [normalize(s) for s in (field.name, field.name_ja, *field.synonyms)]
                return max(
                    (200.0 if s.startswith(typed) else fuzz.partial_ratio(typed, s))
                    for s in spellings
                    if s
                )

            fields = sorted((f for f in fields if score(f) >= 60), key=score, reverse=True)
        return [
            Choice(f"{f.name} ({f.name_ja})"[:MAX_CHOICE_CHARS], f.id)
            for f in fields[: max(0, min(limit, MAX_CHOICES))]
        ]


def build_engine(
    directory: str | os.PathLike[str] | None = None, *, limits: ReadLimits = DEFAULT_LIMITS
) -> Engine:
    """Load and validate the knowledge base, then build every index once."""
    return Engine(load_knowledge(directory, limits=limits))
