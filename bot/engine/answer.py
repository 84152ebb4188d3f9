"""The typed answer every front-end renders. It carries no prose.

Every piece of text is a `Msg`: a message id from `bot.engine.messages` with typed
parameters (numbers, verbatim source text, references to knowledge-base objects, other
messages, lists of those). The catalogues (`bot.i18n`) turn a `Msg` into words in one
language; the engine never writes a sentence, so Japanese word order is the catalogue's
business, not the code's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from bot.engine.reading.query import Query
    from bot.engine.turn import Turn


class Intent(str, Enum):
    FIELDS = "fields"  # a region's key fields
    CONTACT = "contact"  # a region's core organization and contact details
    STAGE = "stage"  # a region's stage and status
    REGION = "region"  # overview of the clusters a place heads
    BY_FIELD = "by_field"  # clusters working in a field
    BY_STAGE = "by_stage"  # clusters of a stage and/or status
    COUNT = "count"  # how many clusters (optionally per stage/status/field)
    PAGE = "page"  # the page of the 2008 edition a region is on
    BUDGET = "budget"
    LOCATION = "location"  # where a region's clusters are: prefecture and region
    MAP = "map"  # the clusters of a filter, to be drawn on the map
    FAQ = "faq"  # the initiative itself: definition, purpose, plans, MEXT, ...
    ABOUT = "about"
    HELP = "help"
    CLARIFY = "clarify"  # a near miss or an unclear question: "did you mean ...?"
    OUT_OF_DOMAIN = "out_of_domain"
    EMPTY = "empty"
    GREETING = "greeting"  # a greeting or thanks alone: a short greeting with examples
    NOT_IN_SOURCES = "not_in_sources"  # a fact the sources do not give (a director, ...)
    CONTENTS = "contents"  # the 2008 edition's contents list: pages and sections
    RANK = "rank"  # superlatives: which cluster has the most fields, ...
    SEVERAL = "several"  # several questions in one message, each answered


# What a Ref may point at; each kind is a mapping of the KnowledgeBase (faq by entry id).
REF_KINDS = frozenset(
    {
        "cluster",
        "place",
        "field",
        "stage",
        "status",
        "organization",
        "faq",
        "document",
        "section",
        "prefecture",
        "programme",
        "example",
        "region",
    }
)


@dataclass(frozen=True, slots=True)
class Ref:
    """A knowledge-base object named in a message; rendered as its name in the reply's
    language (a format spec may ask for another of its texts, e.g. a FAQ entry's answer)."""

    kind: str
    id: str


# A message parameter: verbatim text (from the sources or the user), a number, a reference,
# a nested message, or a tuple of those (rendered as a list joined the language's way).
Param = Union[str, int, Ref, "Msg", tuple]


@dataclass(frozen=True, slots=True)
class Msg:
    """One message of a catalogue, by id, with named parameters (sorted, so equal messages
    compare and hash equal)."""

    id: str
    params: tuple[tuple[str, Param], ...] = ()

    @property
    def kwargs(self) -> dict[str, Param]:
        return dict(self.params)


# How a section is laid out (a hint the front-ends follow as they can):
BLOCK = ""  # a titled block of lines (an embed field; a heading and indented lines)
FACT = "fact"  # one short labelled fact of a card ("Stage": "…"): side by side where possible
ITEMS = "items"  # a list of items, one a line (bulleted)
COMMANDS = "commands"  # commands with what each does: the command shown as code
SECTION_STYLES = frozenset({BLOCK, FACT, ITEMS, COMMANDS})


@dataclass(frozen=True, slots=True)
class Section:
    """One part of an answer: a cluster, an organization, a group of a listing, one fact
    of a card. A section without a heading continues the lead (a listing of one group)."""

    heading: Msg | None
    lines: tuple[Msg, ...]
    field_ids: tuple[str, ...] = ()  # key fields the section is about (a colour/emoji hint)
    cluster_id: str | None = None
    style: str = BLOCK


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited document (by id) and the places in it the answer relies on."""

    document: str
    where: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact the answer states, with the document it comes from and when it was true."""

    subject: Ref
    attribute: str  # "fields", "stage", "status", "page", "organization", "tel", "answer", ...
    value: Param
    source: Citation
    as_of: str | None = None  # the year (or edition) the fact describes, when known


@dataclass(frozen=True, slots=True)
class Step:
    """A question the reply offers to ask next: a button or a menu option in Discord.

    `kind` is "suggestion" (did you mean …), "next" (a natural next question about the
    same thing) or "choice" (one of the several clusters the reply covers). `action` is
    what it asks: a region intent's value ("contact", "fields", ...), "faq" (the entry
    `target` names) or "ask" (the example question `label` words, with no target).
    """

    kind: str
    action: str
    target: Ref | None
    label: Msg


@dataclass(frozen=True, slots=True)
class MapView:
    """The clusters an answer can show on the map (a front-end offers or draws it), and the
    filter that chose them, which the map's subtitle names."""

    clusters: tuple[str, ...]
    stage: str | None = None
    status: str | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    """What the engine says to a question, as data.

    `answered` is true only when the reply states what was asked. `rule` names the routing
    rule that produced the answer. `summary` is the lead (its messages read as one
    paragraph), `notes` say how the question was read (each on its own line), `sections`
    hold the details. `suggestions` are things the user may have meant, each rendered into
    a text the engine answers if asked. `steps` are the clickable forms of the suggestions
    and the natural next questions; `turn` is what the conversation remembers of this answer
    (see `bot.engine.followup`), and `followup` names the rule that used the previous one.
    `query` is the question as the engine read it, with the words nothing explained.
    """

    question: str
    answered: bool
    intent: Intent
    rule: str
    title: Msg
    summary: tuple[Msg, ...]
    notes: tuple[Msg, ...] = ()
    sections: tuple[Section, ...] = ()
    matches: tuple[str, ...] = ()  # ids of the clusters / FAQ entries / organizations used
    citations: tuple[Citation, ...] = ()
    facts: tuple[Fact, ...] = ()
    suggestions: tuple[Param, ...] = ()
    confidence: float = 0.0  # 0..1
    as_of: Msg | None = None  # the date the answer's time-bound facts describe
    steps: tuple[Step, ...] = ()  # what the reply offers to ask next
    followup: str | None = None  # the follow-up rule that read the question in context
    # The language the question asked the reply in ("ok and in japanese?"), which the
    # application prefers to the one the question is written in.
    lang: str | None = None
    turn: Turn | None = None  # what this answer was about, for the next question
    map: MapView | None = None  # set when the answer's clusters can be shown on a map
    query: Query | None = None  # how the question was read (None for commands and clicks)
    # The title states the one fact asked (a telephone number, a core organization) and
    # the reply holds nothing else: the card it comes from is its first next step.
    one_fact: bool = False
    # What the question was read as, where the title is the answer itself ("Sapporo: fax
    # number" above "Fax number for Sapporo: 011-708-6529"): what a clarification says it
    # read, and offers to ask.
    reading: Msg | None = None
