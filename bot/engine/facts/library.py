"""The knowledge base plus the look-ups every fact builder shares, derived once at load."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.engine import messages as M
from bot.engine.answer import Citation, Fact, Msg, Ref
from bot.kb.model import Cluster, FaqEntry, KnowledgeBase, Organization, SourceRef

EDITION_YEAR = "2008"  # the clusters' stage, status, fields and pages are the 2008 edition's


class Library:
    """Read-only views of one knowledge base for the builders; immutable after __init__."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.faq_by_id: dict[str, FaqEntry] = {entry.id: entry for entry in kb.faq}
        self.faq_by_topic: dict[str, tuple[str, ...]] = {}
        for entry in kb.faq:
            self.faq_by_topic[entry.topic] = (*self.faq_by_topic.get(entry.topic, ()), entry.id)
        # The contents sections the clusters are listed in: what a listing cites.
        self.contents: tuple[SourceRef, ...] = tuple(dict.fromkeys(c.source for c in kb.clusters))
        self.sections = {entry.id: entry for entry in kb.contents}
        # Per cluster, built once: a listing of a thousand clusters only looks them up.
        self._facts = {c.id: _edition_facts(c) for c in kb.clusters}
        self.headings = {c.id: heading(c) for c in kb.clusters}
        self.listing_items = {
            c.id: M.LISTING_ITEM(cluster=cluster_ref(c), fields=field_refs(c.fields))
            for c in kb.clusters
        }
        latest_first = sorted(kb.stages.values(), key=lambda t: -(t.started or 0))
        self.group_rank = {
            (stage.id, status): rank
            for rank, (stage, status) in enumerate(
                (stage, status) for stage in latest_first for status in kb.statuses
            )
        }

    def facts(self, clusters: Iterable[Cluster], *attributes: str) -> tuple[Fact, ...]:
        """The 2008 edition's facts about each cluster, for the attributes asked."""
        return tuple(
            fact
            for cluster in clusters
            for name in attributes
            if (fact := self._facts[cluster.id].get(name)) is not None
        )

    def as_of(self, facts: Iterable[Fact]) -> Msg | None:
        """The date of the answer's dated facts, when they share one; None when they do not
        (each dated line then says its own date) or when none is dated."""
        years = {fact.as_of for fact in facts if fact.as_of}
        if len(years) != 1:
            return None
        (year,) = years
        return M.AS_OF_2008() if year == EDITION_YEAR else M.AS_OF_YEAR(year=year)

    def dated(self, ref: SourceRef | None) -> str | None:
        """The year a source's facts describe (its document's `as_of`)."""
        if ref is None:
            return None
        document = self.kb.documents.get(ref.doc)
        return document.as_of if document is not None else None

    def faq_of_topic(self, topic: str) -> list[FaqEntry]:
        return [self.faq_by_id[entry_id] for entry_id in self.faq_by_topic.get(topic, ())]

    def programme_office(self) -> Organization | None:
        office_id = self.kb.programme_office
        return self.kb.organizations.get(office_id) if office_id else None

    def in_listing_order(self, clusters: Iterable[Cluster]) -> list[Cluster]:
        """The latest stage first (as the 2008 edition lists them), then by status."""
        return sorted(clusters, key=lambda c: self.group_rank[(c.stage, c.status)])

    def select(
        self,
        stage: str | None = None,
        status: str | None = None,
        fields: Sequence[str] = (),
        mode: str = "any",
        excluded: Sequence[str] = (),
        field_count: int | None = None,
    ) -> list[Cluster]:
        """The clusters of a stage and status (None: any) working in `fields`: any of them,
        all of them (mode "all") or those and no other (mode "only"), and in none of
        `excluded`."""
        wanted = set(fields)

        def fields_match(cluster: Cluster) -> bool:
            if any(f in cluster.fields for f in excluded):
                return False
            if not wanted:
                return True
            if mode == "all":
                return wanted <= set(cluster.fields)
            if mode == "only":
                return wanted == set(cluster.fields)
            return bool(wanted & set(cluster.fields))

        return [
            c
            for c in self.kb.clusters
            if (stage is None or c.stage == stage)
            and (status is None or c.status == status)
            and fields_match(c)
            and (field_count is None or len(c.fields) == field_count)
        ]


def cluster_ref(cluster: Cluster) -> Ref:
    return Ref("cluster", cluster.id)


def field_refs(field_ids: Iterable[str]) -> tuple[Ref, ...]:
    return tuple(Ref("field", f) for f in field_ids)


def heading(cluster: Cluster) -> Msg:
    """ "NAME — Stage (status)": how a cluster is headed wherever several may appear."""
    return M.CLUSTER_HEADING(
        cluster=cluster_ref(cluster),
        stage=Ref("stage", cluster.stage),
        status=Ref("status", cluster.status),
    )


def distinct_names(clusters: Iterable[Cluster]) -> tuple[Ref, ...]:
    """One reference per distinct cluster name: the two HAMAMATSU clusters are named once."""
    by_name: dict[str, Ref] = {}
    for cluster in clusters:
        by_name.setdefault(cluster.name, cluster_ref(cluster))
    return tuple(by_name.values())


def _edition_facts(cluster: Cluster) -> dict[str, Fact]:
    values = {
        "fields": field_refs(cluster.fields),
        "stage": Ref("stage", cluster.stage),
        "status": Ref("status", cluster.status),
        "page": cluster.page,
    }
    source = Citation(cluster.source.doc, cluster.source.where)
    subject = cluster_ref(cluster)
    return {
        name: Fact(subject, name, value, source, EDITION_YEAR)
        for name, value in values.items()
        if value is not None
    }
