"""What a conversation remembers of one answer: the `Turn` the next question may lean on.

A turn holds ids only (no words), so it is cheap to keep per conversation and means the
same in every language. The engine builds it from the answer and the reading the answer
came from (`turn_after`); the application stores it under the conversation's key and hands
it back with the next question (`Engine.ask(text, previous)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.engine.answer import Answer, Intent, Ref
from bot.engine.facts.library import Library
from bot.engine.thresholds import MAX_CHOICES

if TYPE_CHECKING:
    from bot.engine.reading.query import Query

# Intents whose answer is about named clusters, and those that list clusters by filter.
REGION_INTENTS = frozenset(
    {
        Intent.CONTACT,
        Intent.FIELDS,
        Intent.STAGE,
        Intent.PAGE,
        Intent.BUDGET,
        Intent.LOCATION,
        Intent.REGION,
    }
)
LISTING_INTENTS = frozenset({Intent.BY_FIELD, Intent.BY_STAGE, Intent.COUNT, Intent.MAP})
# Kinds of reference a choice may be: each stands for one or more clusters.
CLUSTER_BEARING = frozenset({"cluster", "place", "organization"})


@dataclass(frozen=True, slots=True)
class Turn:
    """One answer as the next question sees it.

    `intent` is what was asked (for a "did you mean" reply: what the question asked for),
    `clusters` what the answer was about, in the order shown; `fields`, `stage` and
    `status` the filters of a listing (or the fields a question asked about); `missing`
    the facts asked that the sources lack ("who directs it"); `choices` the options the
    reply offered, in order, for "the second one"; `lang` the reply's language (set by the
    application, which chooses it).
    """

    intent: Intent | None = None
    clusters: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    stage: str | None = None
    status: str | None = None
    missing: tuple[str, ...] = ()
    choices: tuple[Ref, ...] = ()
    lang: str | None = None
    # Organizations the answer was about that are no cluster's ("MEXT"), and the question
    # as read: a follow-up fills in from it what it leaves out ("and the year before?").
    organizations: tuple[str, ...] = ()
    query: Query | None = None

    @property
    def is_listing(self) -> bool:
        return self.intent in LISTING_INTENTS

    @property
    def has_filters(self) -> bool:
        return bool(self.fields or self.stage or self.status)


def clusters_of(lib: Library, ref: Ref) -> tuple[str, ...]:
    """The clusters a cluster, place or organization reference stands for (kb order)."""
    if ref.kind == "cluster":
        return (ref.id,) if ref.id in lib.kb.clusters_by_id else ()
    if ref.kind == "place":
        return lib.clusters_of_place.get(ref.id, ())
    if ref.kind == "organization":
        return lib.clusters_of_organization.get(ref.id, ())
    return ()


def shown_clusters(lib: Library, answer: Answer) -> tuple[str, ...]:
    """The clusters an answer is about, in the order its reply shows them; none for a
    listing too long to be followed up cluster by cluster (its filters still are)."""
    known = lib.kb.clusters_by_id
    ids = [m for m in answer.matches if m in known]
    if answer.intent in LISTING_INTENTS:
        if len(ids) > MAX_CHOICES:
            return ()
        return tuple(c.id for c in lib.in_listing_order(known[i] for i in ids))
    return tuple(ids)


def turn_after(
    lib: Library,
    answer: Answer,
    *,
    asked: Intent | None = None,
    fields: Sequence[str] = (),
    stage: str | None = None,
    status: str | None = None,
    missing: Sequence[str] = (),
    previous: Turn | None = None,
) -> Turn:
    """The turn an answer leaves behind. `asked` is what a declined question asked for;
    the filters are a listing's (or the fields a region question asked about). An empty
    question changes nothing: the previous turn stays."""
    if answer.intent is Intent.EMPTY:
        return previous or Turn()
    clusters = shown_clusters(lib, answer)
    intent = answer.intent
    if not answer.answered and asked is not None:
        intent = asked
    if answer.intent in LISTING_INTENTS or len(clusters) > 1:
        # A long answer is read, not picked from: it offers no choice (and costs nothing).
        few = len(clusters) <= MAX_CHOICES
        choices = tuple(Ref("cluster", c) for c in clusters) if few else ()
    else:
        choices = tuple(
            s for s in answer.suggestions if isinstance(s, Ref) and s.kind in CLUSTER_BEARING
        )
    known = lib.kb.clusters_by_id
    places = tuple(dict.fromkeys(p for c in clusters for p in known[c].places))
    listing = answer.intent in LISTING_INTENTS
    organizations = tuple(m for m in answer.matches if m in lib.kb.organizations and not clusters)
    return Turn(
        intent=intent,
        clusters=clusters,
        places=places,
        fields=tuple(fields),
        stage=stage if listing else None,
        status=status if listing else None,
        missing=tuple(missing),
        choices=choices,
        organizations=organizations,
        query=answer.query,
    )
