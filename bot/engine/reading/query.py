"""The query language: what a question asks, as typed data the evaluator answers.

A `Query` says which clusters a question is about (a `ClusterSet`: names, regions and
prefectures of Japan, and stage/status/field constraints with their polarity and
quantifier), what it asks of them or of the programme (`Asked`), in which `Mode` (wh, yes/no,
list, count), about which time (`Time`: as of the sources, or now), and what it
presupposes that the sources do not have (`Presupposition`). It also keeps the words nothing
explained (`unexplained`): a query with unexplained content words is never answered with
full confidence.

Everything is ids and small tuples: a query is cheap to keep for the next question of a
conversation, whose follow-up fills in what it leaves out (`bot.engine.followup`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from bot.engine.regions import RegionMatch
from bot.engine.text import Text

NO_NAMES = RegionMatch((), frozenset(), (), 0.0)
# The details of a contact a question may ask for alone (intents.yaml names); asking one is
# asking for the contact.
CONTACT_DETAILS = ("tel", "fax", "address", "email", "organization")
CONTACT = "contact"


@dataclass(frozen=True, slots=True)
class Superlative:
    """ "which cluster has the most fields": rank `ranked` by how many `counted` each has."""

    direction: str  # "most" | "fewest"
    ranked: str  # "clusters" | "fields" | "stages" | "places"
    counted: str  # "fields" | "clusters"


class Act(str, Enum):
    """What the message does, before what it asks."""

    ASK = "ask"
    EMPTY = "empty"
    GREETING = "greeting"  # a greeting or thanks and nothing else


# The words that open a wh question (typed as chat types them: "whats", "whos").
WH_WORDS = frozenset("what which who whom whose when where why how whats wheres whos".split())


class Mode(str, Enum):
    WH = "wh"  # "what fields does Kyoto cover?"
    YES_NO = "yes_no"  # "is Kyoto still active?", 「京都は実施中ですか」
    LIST = "list"  # "which clusters ...", "list ...", a listing's title ("environment clusters")
    COUNT = "count"  # "how many ..."
    STATEMENT = "statement"  # a bare name or phrase: "kyoto", "hamamatsu fields"


class When(str, Enum):
    THEN = "then"  # as of the sources (the default)
    NOW = "now"  # "still", "now", "today", 今も: the present, which the sources do not date


@dataclass(frozen=True, slots=True)
class FieldConstraint:
    """Key fields a set of clusters works in: any of them, all of them, only them; none of
    `excluded`; exactly `count` fields."""

    fields: tuple[str, ...] = ()
    mode: str = "any"  # any | all | only
    excluded: tuple[str, ...] = ()
    count: int | None = None

    def __bool__(self) -> bool:
        return bool(self.fields or self.excluded or self.count is not None)


@dataclass(frozen=True, slots=True)
class ClusterSet:
    """Which clusters: those named (places, clusters, organizations), or those in regions or
    prefectures of Japan, narrowed by stage, status and fields."""

    names: RegionMatch = NO_NAMES
    stage: str | None = None
    status: str | None = None
    # "not active" where a knowledge base has more than two statuses: any status but these.
    excluded_stages: tuple[str, ...] = ()
    excluded_statuses: tuple[str, ...] = ()
    fields: FieldConstraint = FieldConstraint()
    regions: tuple[str, ...] = ()  # regions of Japan (geography.yaml)
    prefectures: tuple[str, ...] = ()
    # "the Sapporo IT cluster": the fields pick one of the named place's clusters.
    described_by_fields: bool = False
    # "second stage IT clusters other than Hamamatsu": named to be left out of the set.
    excluded_names: tuple[str, ...] = ()

    @property
    def named(self) -> tuple[str, ...]:
        return self.names.cluster_ids

    @property
    def names_a_place(self) -> bool:
        """A cluster, a place (one heading no cluster too) or a near miss of one is named."""
        names = self.names
        return bool(names.cluster_ids or names.near_misses or names.unclustered)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.fields or self.stage or self.status or self.excludes_terms or self.excluded_names
        )

    @property
    def excludes_terms(self) -> bool:
        return bool(self.excluded_stages or self.excluded_statuses)

    @property
    def by_geography(self) -> bool:
        return bool(self.regions or self.prefectures)


@dataclass(frozen=True, slots=True)
class Whole:
    """The clusters a share is of, where the question names them: "what percentage of the
    First Stage clusters are still active" is a share of the First Stage's clusters."""

    stage: str | None = None
    status: str | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Asked:
    """What is asked: the cues read (intents.yaml names), facts the sources lack, a ranking,
    a page, sections; whether the status of the named clusters or of the programme is the
    question."""

    cues: frozenset[str] = frozenset()
    # One detail of a contact asked: tel, fax, address, email, organization (CONTACT_DETAILS).
    details: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # facts asked that the sources do not give
    superlative: Superlative | None = None
    page_number: int | None = None  # "what is on page 5"
    amount: int | None = None  # an amount of yen the question states ("was it 6.9 billion?")
    clusters_claimed: int | None = None  # a number of clusters it states ("were there 30?")
    key_fields_claimed: int | None = None  # "the 5 key fields": the number it says there are
    plans_numbered: int = 0  # Basic Plans numbered ("the 2nd and 3rd basic plans")
    contents_end: str | None = None  # "listed first", 「目次の最後」: first | last
    # "is Kyoto the only cluster that did nothing but nanotech?": the named one claimed to
    # be alone in the set the other constraints select
    the_only_one: bool = False
    number_claimed: str | None = None  # a phone or fax number said ("… is 022-346-9238?")
    sections: tuple[str, ...] = ()  # contents sections named
    status: bool = False  # "is the Fukuoka cluster done?": the clusters' status
    programme_status: bool = False  # "is the programme still running?"
    share_of: Whole | None = None  # the whole a share is of, when named


@dataclass(frozen=True, slots=True)
class Time:
    when: When = When.THEN
    years: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Presupposition:
    """Something the question takes for granted that the sources do not have: a cluster in
    a place that heads none, a stage, a field, another programme."""

    kind: str  # place | stage | field | programme
    text: str  # the words that presuppose it
    ref: Any = None  # the place's Ref for a known place; the stage number for a stage


@dataclass(frozen=True, slots=True)
class Query:
    text: Text
    act: Act = Act.ASK
    mode: Mode = Mode.STATEMENT
    clusters: ClusterSet = ClusterSet()
    asked: Asked = Asked()
    time: Time = Time()
    programme: bool = False  # the programme itself is named
    # Every stage named, in order ("between the first and the second stage").
    stages: tuple[str, ...] = ()
    # Every status named, in order ("were there more active or ended clusters?").
    statuses: tuple[str, ...] = ()
    # The programme is what the question is about, not a word in a cluster question.
    programme_subject: bool = False
    # Organizations named that are no cluster's core organization ("MEXT", 文科省).
    organizations: tuple[str, ...] = ()
    presupposes: tuple[Presupposition, ...] = ()
    unexplained: tuple[str, ...] = ()  # content words nothing explained, as typed
    # Only field, stage, status and cue words (and grammar): a listing's title.
    noun_phrase: bool = False
    off_topic: bool = False  # food, weather, sport, travel words
    status_word: bool = False  # a yes/no question with a status word ("is it done?")
    leftover: tuple[str, ...] = field(default=())  # Latin words nothing recognised

    @property
    def cues(self) -> frozenset[str]:
        return self.asked.cues

    @property
    def is_yes_no(self) -> bool:
        return self.mode is Mode.YES_NO

    def to_json(self) -> dict[str, Any]:
        """The query as `ask --json` shows it: ids and words, no objects."""
        clusters = self.clusters
        fields = clusters.fields
        out: dict[str, Any] = {
            "act": self.act.value,
            "mode": self.mode.value,
            "clusters": {
                "named": list(clusters.named),
                "stage": clusters.stage,
                "status": clusters.status,
                "fields": list(fields.fields),
                "field_mode": fields.mode,
                "excluded_fields": list(fields.excluded),
                "field_count": fields.count,
                "regions": list(clusters.regions),
                "prefectures": list(clusters.prefectures),
            },
            "asked": sorted(self.asked.cues),
            "details": list(self.asked.details),
            "missing": list(self.asked.missing),
            "time": self.time.when.value,
            "years": list(self.time.years),
            "programme": self.programme,
            "organizations": list(self.organizations),
            "presupposes": [f"{p.kind}: {p.text}" for p in self.presupposes],
            "unexplained": list(self.unexplained),
        }
        for name in ("excluded_stages", "excluded_statuses"):
            if getattr(clusters, name):
                out["clusters"][name] = list(getattr(clusters, name))
        if self.asked.status:
            out["asked_status"] = True
        if self.asked.programme_status:
            out["asked_programme_status"] = True
        if self.asked.superlative is not None:
            s = self.asked.superlative
            out["rank"] = f"{s.direction} {s.counted} per {s.ranked}"
        if self.asked.page_number is not None:
            out["page"] = self.asked.page_number
        if self.asked.amount is not None:
            out["amount"] = self.asked.amount
        if self.asked.sections:
            out["sections"] = list(self.asked.sections)
        return out
