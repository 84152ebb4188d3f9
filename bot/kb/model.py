"""Immutable objects the knowledge base is validated into.

Everything here is built once by the loader and never mutated: the engine can share the
objects between questions, threads and a hot reload without copying them.
"""

from __future__ import annotations

import copyreg
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.kb.problems import Problem


@dataclass(frozen=True, slots=True)
class Document:
    """A source the knowledge base cites: a seed document or a public page."""

    id: str
    title: str
    url: str | None = None
    note: str | None = None
    as_of: str | None = None  # the year its facts describe ("2004"); its facts' date
    short: str | None = None  # its name in a reply's one-line source note ("2008 edition")
    short_ja: str | None = None


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where one fact comes from: a document id and the place inside it."""

    doc: str
    where: str | None = None


@dataclass(frozen=True, slots=True)
class Organization:
    """A core organization or programme office with the contact details a source gives."""

    id: str
    name: str
    sources: tuple[SourceRef, ...]
    name_ja: str | None = None
    short_name: str | None = None
    office: str | None = None
    address: str | None = None
    tel: str | None = None
    fax: str | None = None
    # The source the contact details (office, address, tel, fax) come from; they are cited
    # to it and dated by its document's `as_of`, like every fact.
    contact_source: SourceRef | None = None
    note: str | None = None
    note_ja: str | None = None
    aliases: tuple[str, ...] = ()  # other ways a question names it ("文科省", "the ministry")

    @property
    def has_contact(self) -> bool:
        return any((self.address, self.tel, self.fax))


@dataclass(frozen=True, slots=True)
class OrganizationLink:
    """A cluster's core organization, with the source that ties the two together."""

    id: str
    source: SourceRef


@dataclass(frozen=True, slots=True)
class PlaceLink:
    """A place another place lies in, with the source that says so."""

    place: str
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Place:
    """A place that names one or more clusters, with every spelling people type for it."""

    id: str
    name: str
    aliases: tuple[str, ...]
    name_ja: str | None = None  # how a Japanese reply names it (kanji); also a spelling
    within: PlaceLink | None = None  # a larger place it lies in (Sapporo in Hokkaido)

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way of writing the place: name, Japanese name, aliases."""
        return (self.name, *((self.name_ja,) if self.name_ja else ()), *self.aliases)


@dataclass(frozen=True, slots=True)
class Cluster:
    """One cluster as listed in the contents of the 2008 edition."""

    id: str
    name: str
    stage: str
    status: str
    fields: tuple[str, ...]
    places: tuple[str, ...]  # ids into KnowledgeBase.places
    aliases: tuple[str, ...]  # spellings of this cluster only; place spellings live on Place
    source: SourceRef
    page: int | None = None
    organization: OrganizationLink | None = None


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """One line of the 2008 edition's contents list: a section, its page if printed."""

    id: str
    title: str
    title_ja: str | None = None
    page: int | None = None
    faq: str | None = None  # the FAQ entry holding what the sources say in it
    stage: str | None = None  # a heading (or map) of the clusters of this stage ...
    status: str | None = None  # ... and status
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: str
    topic: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    sources: tuple[SourceRef, ...]
    keywords: tuple[str, ...] = ()
    # A faithful Japanese translation of the sourced English question and answer (no new
    # facts); a Japanese reply marks the answer as translated from the English source.
    question_ja: str | None = None
    answer_ja: str | None = None
    roles: tuple[str, ...] = ()  # what else it does (schema.FAQ_ROLES)


@dataclass(frozen=True, slots=True)
class KeyField:
    """One of the four key fields of the Second Science and Technology Basic Plan."""

    id: str
    name: str
    name_ja: str
    synonyms: tuple[str, ...]
    emoji: str
    colour: str
    short: str | None = None  # the label in lists ("IT"); `name` when not given
    short_ja: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """A controlled value (a stage or a status) with the words people use for it."""

    id: str
    name: str
    name_ja: str
    synonyms: tuple[str, ...]
    started: int | None = None
    source: SourceRef | None = None
    colours: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({})
    )  # status → colour
    # Ordinary words ("one", "over") that name it only next to a cluster or stage word.
    contextual: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Region:
    """One of the eight regions of Japan (Hokkaido, Tōhoku, ..., Kyūshū)."""

    id: str
    name: str
    name_ja: str


@dataclass(frozen=True, slots=True)
class Prefecture:
    id: str
    code: int  # JIS X 0401, 1..47: the key of its outline (bot.geo.outlines)
    name: str
    name_ja: str
    region: str  # id into KnowledgeBase.regions


AREA_KINDS = ("prefecture", "region")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a place is: a point a data set gives, or a whole prefecture or region drawn at
    the centre of its outline. `latitude`/`longitude` are set either way (for an area, at
    load, from the outlines)."""

    place: str  # id into KnowledgeBase.places
    latitude: float
    longitude: float
    region: str
    source: SourceRef
    prefecture: str | None = None  # None only for a place that names a whole region
    area: str | None = None  # None for a point, else one of AREA_KINDS
    geonames: int | None = None  # the GeoNames feature of a point
    note: str | None = None


def _frozen(mapping: Mapping | None = None) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


def _pickle_frozen(mapping: MappingProxyType) -> tuple:
    return _frozen, (dict(mapping),)


# A built engine is pickled to cross from the process that builds it to the bot, and into
# the engine cache; read-only mappings are rebuilt as read-only mappings on the way back.
copyreg.pickle(MappingProxyType, _pickle_frozen)


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of a source, verbatim, and where it is (passages.yaml)."""

    source: SourceRef
    text: str


# What a programme's figure is an amount of (programme.yaml).
FIGURE_KINDS = ("budget", "per_region_per_year", "project_years")


@dataclass(frozen=True, slots=True)
class Figure:
    """One sourced amount: a year's budget, what a region gets a year, a project's years."""

    id: str
    kind: str  # one of FIGURE_KINDS
    amount: int  # yen, or years for project_years
    source: SourceRef
    year: int | None = None
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class Example:
    """An example question the bot offers, in each language (programme.yaml)."""

    id: str
    texts: Mapping[str, str]  # language → the question

    def text(self, lang: str) -> str:
        return self.texts.get(lang) or next(iter(self.texts.values()), "")


@dataclass(frozen=True, slots=True)
class Successor:
    """What the programme was folded into, and from which fiscal year."""

    name_ja: str
    from_fiscal_year: int
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Programme:
    """The programme itself (programme.yaml): names, who runs it, start, successor, figures."""

    name: str = ""
    name_ja: str = ""
    names_source: SourceRef | None = None
    run_by: str | None = None  # an organization id
    edition: str | None = None  # the document listing the clusters (a document id)
    started: int | None = None
    started_source: SourceRef | None = None
    successor: Successor | None = None
    figures: tuple[Figure, ...] = ()
    examples: tuple[Example, ...] = ()

    def example(self, example_id: str) -> Example | None:
        return next((e for e in self.examples if e.id == example_id), None)

    def figures_of(self, kind: str) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.kind == kind)

    def figure(self, kind: str, year: int | None = None) -> Figure | None:
        return next((f for f in self.figures_of(kind) if year is None or f.year == year), None)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The words of `lexicon.yaml`: grammar and filler by language, generic nouns by what
    they name, connectives, negation, the programme's names, other programmes' names."""

    function: Mapping[str, tuple[str, ...]] = field(default_factory=_frozen)
    nouns: Mapping[str, tuple[str, ...]] = field(default_factory=_frozen)
    connectives: Mapping[str, tuple[str, ...]] = field(default_factory=_frozen)
    negation: tuple[str, ...] = ()
    programme: tuple[str, ...] = ()
    other_programmes: Mapping[str, tuple[str, ...]] = field(default_factory=_frozen)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """The whole validated knowledge base; `notes` lists what `check` should point out."""

    directory: str
    documents: Mapping[str, Document]
    organizations: Mapping[str, Organization]
    places: Mapping[str, Place]
    clusters: tuple[Cluster, ...]
    faq: tuple[FaqEntry, ...]
    fields: Mapping[str, KeyField]
    stages: Mapping[str, Term]
    statuses: Mapping[str, Term]
    intents: Mapping[str, tuple[str, ...]]  # each intent's phrases, its shared ones included
    programme_office: str | None = None
    notes: tuple[str, ...] = ()
    contents: tuple[ContentsEntry, ...] = ()
    contents_source: SourceRef | None = None
    clusters_by_id: Mapping[str, Cluster] = field(default_factory=_frozen)
    fields_source: SourceRef | None = None  # where the four key fields come from
    regions: Mapping[str, Region] = field(default_factory=_frozen)
    prefectures: Mapping[str, Prefecture] = field(default_factory=_frozen)
    locations: Mapping[str, Location] = field(default_factory=_frozen)  # by place id
    geography_source: SourceRef | None = None  # where regions and prefectures come from
    geography_as_of: tuple[str, ...] = ()  # the versions of the data sets places come from
    lexicon: Lexicon = field(default_factory=Lexicon)
    programme: Programme = field(default_factory=Programme)
    passages: tuple[Passage, ...] = ()
    shared_phrases: Mapping[str, tuple[str, ...]] = field(default_factory=_frozen)  # → intents
    # Texts a Japanese reply shows in English for want of a translation (`check` fails).
    translation_gaps: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        if not self.clusters_by_id:
            object.__setattr__(self, "clusters_by_id", _frozen({c.id: c for c in self.clusters}))

    def cluster(self, cluster_id: str) -> Cluster:
        return self.clusters_by_id[cluster_id]

    def organization_of(self, cluster: Cluster) -> Organization | None:
        if cluster.organization is None:
            return None
        return self.organizations[cluster.organization.id]

    def document_of(self, ref: SourceRef) -> Document:
        return self.documents[ref.doc]
