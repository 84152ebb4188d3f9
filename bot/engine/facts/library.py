"""The knowledge base plus the look-ups every fact builder shares, derived once at load."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from bot.engine import messages as M
from bot.engine.answer import Citation, Fact, Msg, Param, Ref
from bot.engine.citations import CitationIndex
from bot.engine.passages import PassageIndex
from bot.engine.vocabulary import STOPWORDS, domain_words
from bot.kb.model import Cluster, FaqEntry, KnowledgeBase, Organization, SourceRef

LISTED_ATTRIBUTES = ("stage", "status", "fields")  # what a listing line states


class Library:
    """Read-only views of one knowledge base for the builders; immutable after __init__."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        # The sources' own sentences, searched when no FAQ entry fits.
        self.passages = PassageIndex(kb.passages, STOPWORDS, domain_words(kb))
        self.faq_by_id: dict[str, FaqEntry] = {entry.id: entry for entry in kb.faq}
        # The contents sections the clusters are listed in: what a listing cites.
        self.contents: tuple[SourceRef, ...] = tuple(dict.fromkeys(c.source for c in kb.clusters))
        # The documents whose contents list the clusters are in (the editions).
        self.contents_documents = tuple(dict.fromkeys(ref.doc for ref in self.contents))
        self.sections = {entry.id: entry for entry in kb.contents}
        # Every place the base cites, numbered: a reply's citations fit in a button's id.
        self.citation_index = CitationIndex(kb)
        # Per cluster, built once: a listing of a thousand clusters only looks them up.
        # A cluster's stage, status, fields and page are dated by its source (the edition).
        self._facts = {c.id: _edition_facts(c, self.dated(c.source)) for c in kb.clusters}
        self.headings = {c.id: heading(c) for c in kb.clusters}
        self.clusters_named: dict[str, tuple[str, ...]] = {}
        for c in kb.clusters:
            self.clusters_named[c.name] = (*self.clusters_named.get(c.name, ()), c.id)
        self.listing_items = {
            c.id: M.LISTING_ITEM(cluster=cluster_ref(c), fields=field_refs(c.fields))
            for c in kb.clusters
        }
        # The clusters carrying each place's name, and each organization's (kb order).
        self.clusters_of_place: dict[str, tuple[str, ...]] = {}
        self.clusters_of_organization: dict[str, tuple[str, ...]] = {}
        for c in kb.clusters:
            for place_id in c.places:
                self.clusters_of_place[place_id] = (*self.clusters_of_place.get(place_id, ()), c.id)
            if c.organization is not None:
                org = c.organization.id
                self.clusters_of_organization[org] = (
                    *self.clusters_of_organization.get(org, ()),
                    c.id,
                )
        latest_first = sorted(kb.stages.values(), key=lambda t: -(t.started or 0))
        self.group_rank = {
            (stage.id, status): rank
            for rank, (stage, status) in enumerate(
                (stage, status) for stage in latest_first for status in kb.statuses
            )
        }
        self._rank_of = {c.id: self.group_rank[(c.stage, c.status)] for c in kb.clusters}
        # What a listing states of each cluster, in one tuple: a listing of the whole base
        # joins a thousand of them instead of looking up three thousand facts.
        # Each cluster's source as a small number, so a listing finds the distinct sources
        # of a thousand clusters without hashing a thousand source references.
        distinct_sources = list(dict.fromkeys(c.source for c in kb.clusters))
        position = {source: index for index, source in enumerate(distinct_sources)}
        self._source_number = {c.id: position[c.source] for c in kb.clusters}
        self._sources = tuple(distinct_sources)
        self._field_order = {field_id: index for index, field_id in enumerate(kb.fields)}
        self._listed_facts = {c.id: self.facts((c,), *LISTED_ATTRIBUTES) for c in kb.clusters}
        # Places offered as examples where a name was not understood: the first places that
        # head a cluster, in the knowledge base's order.
        self.example_places = tuple(
            Ref("place", p) for p in dict.fromkeys(p for c in kb.clusters for p in c.places)
        )[:3]
        # The clusters in each region and prefecture of Japan, by where their places are.
        self.clusters_in_area: dict[Ref, frozenset[str]] = {}
        in_area: dict[Ref, set[str]] = {}
        for c in kb.clusters:
            for place_id in c.places:
                location = kb.locations.get(place_id)
                if location is None:
                    continue
                in_area.setdefault(Ref("region", location.region), set()).add(c.id)
                if location.prefecture:
                    in_area.setdefault(Ref("prefecture", location.prefecture), set()).add(c.id)
        self.clusters_in_area = {area: frozenset(ids) for area, ids in in_area.items()}

    def facts(self, clusters: Iterable[Cluster], *attributes: str) -> tuple[Fact, ...]:
        """The 2008 edition's facts about each cluster, for the attributes asked."""
        return tuple(
            fact
            for cluster in clusters
            for name in attributes
            if (fact := self._facts[cluster.id].get(name)) is not None
        )

    def sources_of(self, clusters: Iterable[Cluster]) -> list[SourceRef]:
        """The distinct sources of `clusters`, in first-cited order."""
        number = self._source_number
        return [self._sources[n] for n in dict.fromkeys(number[c.id] for c in clusters)]

    def fields_of(self, clusters: Iterable[Cluster]) -> tuple[str, ...]:
        """Every key field of `clusters`, in the order of fields.yaml (a stable order, so
        the same fields always show the same way)."""
        present = {f for c in clusters for f in c.fields}
        return tuple(sorted(present, key=self._field_order.__getitem__))

    def listed_facts(self, clusters: Iterable[Cluster]) -> tuple[Fact, ...]:
        """The facts a listing states (stage, status, fields) of each of `clusters`."""
        listed = self._listed_facts
        return tuple(chain.from_iterable(listed[c.id] for c in clusters))

    def as_of(self, facts: Iterable[Fact]) -> Msg | None:
        """The date of the answer's dated facts, when they share one; None when they do not
        (each dated line then says its own date) or when none is dated."""
        years = {fact.as_of for fact in facts if fact.as_of}
        if len(years) != 1:
            return None
        (year,) = years
        return self.as_of_year(year)

    @property
    def edition_year(self) -> str | None:
        """The year of the document listing the clusters (programme.yaml's `edition`)."""
        edition = self.kb.documents.get(self.kb.programme.edition or "")
        return edition.as_of if edition is not None else None

    def as_of_year(self, year: str) -> Msg:
        """ "as of 2008": the edition's year said as the edition's, another year as itself."""
        return M.AS_OF_EDITION() if year == self.edition_year else M.AS_OF_YEAR(year=year)

    def dated(self, ref: SourceRef | None) -> str | None:
        """The year a source's facts describe (its document's `as_of`)."""
        if ref is None:
            return None
        document = self.kb.documents.get(ref.doc)
        return document.as_of if document is not None else None

    def faq_with_role(self, role: str) -> list[FaqEntry]:
        """The FAQ entries with a role of faq.yaml (`about`, `budget`, `dated`), in order."""
        return [entry for entry in self.kb.faq if role in entry.roles]

    def programme_office(self) -> Organization | None:
        office_id = self.kb.programme_office
        return self.kb.organizations.get(office_id) if office_id else None

    def in_listing_order(self, clusters: Iterable[Cluster]) -> list[Cluster]:
        """The latest stage first (as the 2008 edition lists them), then by status."""
        rank = self._rank_of
        return sorted(clusters, key=lambda c: rank[c.id])

    def in_areas(self, areas: Sequence[Ref]) -> frozenset[str]:
        """The clusters with a place in any of the regions or prefectures of Japan."""
        return frozenset(c for area in areas for c in self.clusters_in_area.get(area, ()))

    def select(self, selection: Selection) -> list[Cluster]:
        """The clusters `selection` describes, in the knowledge base's order."""
        stage, status = selection.stage, selection.status
        excluded_stages, excluded_statuses = selection.excluded_stages, selection.excluded_statuses
        excluded, mode, field_count = selection.excluded, selection.mode, selection.field_count
        within = self.in_areas(selection.areas) if selection.areas else None
        wanted = set(selection.fields)

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

        by_fields = bool(wanted or excluded)
        return [
            c
            for c in self.kb.clusters
            if (stage is None or c.stage == stage)
            and (status is None or c.status == status)
            and c.stage not in excluded_stages
            and c.status not in excluded_statuses
            and (not by_fields or fields_match(c))
            and (field_count is None or len(c.fields) == field_count)
            and (within is None or c.id in within)
            and c.id not in selection.excluded_clusters
        ]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which clusters a listing, a count or a figure is of: a stage and a status (None:
    any), key fields (any of them, all of them with mode "all", those and no other with
    mode "only"; none of `excluded`; exactly `field_count` of them), the regions or
    prefectures of Japan they lie in (`areas`, none: anywhere), and stages and statuses
    left out."""

    stage: str | None = None
    status: str | None = None
    fields: tuple[str, ...] = ()
    mode: str = "any"
    excluded: tuple[str, ...] = ()
    field_count: int | None = None
    areas: tuple[Ref, ...] = ()
    excluded_stages: tuple[str, ...] = ()
    excluded_statuses: tuple[str, ...] = ()
    excluded_clusters: tuple[str, ...] = ()  # "other than Hamamatsu"


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


def shared_place(clusters: Sequence[Cluster]) -> str | None:
    """The first place every one of `clusters` carries in its name, if there is one."""
    if not clusters:
        return None
    common = set(clusters[0].places)
    for cluster in clusters[1:]:
        common &= set(cluster.places)
    return next((p for p in clusters[0].places if p in common), None)


def subject(clusters: Sequence[Cluster], lib: Library | None = None) -> tuple[Param, ...]:
    """What a reply about `clusters` is titled by: their one name (the two HAMAMATSU
    clusters), else the place they all carry ("Sendai" for Greater SENDAI Area and SENDAI,
    not "Greater SENDAI Area / SENDAI"), else each distinct name. Given `lib`, one cluster
    whose name another cluster shares is told apart by its stage ("HAMAMATSU (First
    Stage)"); a card, which states the stage, does without."""
    names = distinct_names(clusters)
    if len(names) == 1 and len(clusters) == 1 and lib is not None:
        only = clusters[0]
        if len(lib.clusters_named.get(only.name, ())) > 1:
            return (M.CLUSTER_TITLED(cluster=cluster_ref(only), stage=Ref("stage", only.stage)),)
    if len(names) == 1:
        return names
    place = shared_place(clusters)
    return (Ref("place", place),) if place is not None else names


def section_heading(lib: Library, cluster: Cluster, clusters: Sequence[Cluster]) -> Msg:
    """A cluster's heading among `clusters`: its stage and status alone when they all share
    its name (the name is the title already), else its name, stage and status."""
    if len(distinct_names(clusters)) == 1:
        return M.CLUSTER_HEADING_STAGE(
            stage=Ref("stage", cluster.stage), status=Ref("status", cluster.status)
        )
    return lib.headings[cluster.id]


def stage_phrase(lib: Library, cluster: Cluster) -> Msg:
    """ "Second Stage (from 2007), active": a cluster's stage, when it started, its status."""
    stage = lib.kb.stages[cluster.stage]
    stage_ref, status_ref = Ref("stage", stage.id), Ref("status", cluster.status)
    if stage.started:
        return M.STAGE_PHRASE_STARTED(stage=stage_ref, year=stage.started, status=status_ref)
    return M.STAGE_PHRASE(stage=stage_ref, status=status_ref)


def _edition_facts(cluster: Cluster, year: str | None) -> dict[str, Fact]:
    values = {
        "fields": field_refs(cluster.fields),
        "stage": Ref("stage", cluster.stage),
        "status": Ref("status", cluster.status),
        "page": cluster.page,
    }
    source = Citation(cluster.source.doc, cluster.source.where)
    subject = cluster_ref(cluster)
    return {
        name: Fact(subject, name, value, source, year)
        for name, value in values.items()
        if value is not None
    }
