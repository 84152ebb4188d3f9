"""What a reply offers to ask next: its suggestions made clickable, its natural next
questions, and a choice among the clusters it covers.

Steps are data (an action, a target, a label message); the front-ends decide how to show
them (Discord: buttons and a select menu). Each step, asked, is a question the engine
answers (`Engine.show`), so a click never depends on anything remembered by the bot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Msg, Param, Ref, Step
from bot.engine.facts.general import about_entries, examples
from bot.engine.facts.library import Library
from bot.engine.turn import CLUSTER_BEARING, LISTING_INTENTS, REGION_INTENTS, Turn

# The aspects of one cluster a reply may offer next, in the order offered: the card with
# everything first (after a one-fact answer it is the natural next click), then contact.
ASPECTS = (Intent.REGION, Intent.CONTACT, Intent.FIELDS, Intent.PAGE)
# Where "Show on a map" goes among the next steps: right after the card, before the other
# aspects, so it stays among the two buttons a short answer shows.
MAP_POSITION = 1
# What an overview already shows, so it does not offer it again.
_IN_OVERVIEW = frozenset({Intent.FIELDS, Intent.PAGE})


def topic_label(intent: Intent) -> Msg:
    return M.STEP_TOPIC(topic=M.TOPICS[intent.value]())


_TOPIC_LABELS = {intent: topic_label(intent) for intent in ASPECTS}


def _sharing_a_name(lib: Library, suggestions: Sequence[object]) -> frozenset[str]:
    """The suggested clusters whose name another suggested cluster has (the two HAMAMATSU
    clusters), which are offered by their heading instead."""
    names = [
        lib.kb.cluster(s.id).name for s in suggestions if isinstance(s, Ref) and s.kind == "cluster"
    ]
    return frozenset(
        s.id
        for s in suggestions
        if isinstance(s, Ref) and s.kind == "cluster" and names.count(lib.kb.cluster(s.id).name) > 1
    )


def told_apart(lib: Library, suggestions: Sequence[Param]) -> tuple[Param, ...]:
    """The suggestions as shown: same-named clusters by their heading ("Hamamatsu · First
    Stage, ended")."""
    shared = _sharing_a_name(lib, suggestions)
    return tuple(
        lib.headings[s.id] if isinstance(s, Ref) and s.id in shared and s.kind == "cluster" else s
        for s in suggestions
    )


def suggestion_steps(lib: Library, answer: Answer, turn: Turn) -> list[Step]:
    """The "did you mean" suggestions, each asking what the question asked of it."""
    action = turn.intent if turn.intent in REGION_INTENTS else Intent.REGION
    shared = _sharing_a_name(lib, answer.suggestions)
    steps: list[Step] = []
    for suggestion in answer.suggestions:
        if isinstance(suggestion, Ref) and suggestion.kind in CLUSTER_BEARING:
            if suggestion.kind == "cluster" and suggestion.id in shared:
                label = lib.headings[suggestion.id]
            else:
                label = M.STEP_TARGET(target=suggestion)
            steps.append(Step("suggestion", action.value, suggestion, label))
        elif isinstance(suggestion, Ref) and suggestion.kind == "faq":
            steps.append(Step("suggestion", "faq", suggestion, M.FAQ_QUESTION(entry=suggestion)))
        elif isinstance(suggestion, Ref) and suggestion.kind == "example":
            steps.append(Step("suggestion", "ask", suggestion, M.EXAMPLE(example=suggestion)))
    return steps


def _aspects(current: Intent, target: Ref, page_known: bool) -> Iterable[Step]:
    for aspect in ASPECTS:
        if aspect is current or (aspect is Intent.PAGE and not page_known):
            continue
        if current is Intent.REGION and aspect in _IN_OVERVIEW:
            continue
        yield Step("next", aspect.value, target, _TOPIC_LABELS[aspect])


def _shared_place(lib: Library, cluster_ids: tuple[str, ...]) -> str | None:
    """The one place every cluster carries in its name, if there is one."""
    kb = lib.kb
    common = set(kb.cluster(cluster_ids[0]).places)
    for cluster_id in cluster_ids[1:]:
        common &= set(kb.cluster(cluster_id).places)
    first = kb.cluster(cluster_ids[0]).places
    return next((p for p in first if p in common), None)


def known_steps(lib: Library, answer: Answer, turn: Turn) -> list[Step]:
    """A fact the sources lack ("who directs Kyoto?"): what they do give about the same
    clusters, as buttons (the reply says it offers them)."""
    if answer.intent is not Intent.NOT_IN_SOURCES or not turn.clusters:
        return []
    clusters = turn.clusters
    if len(clusters) == 1:
        target = Ref("cluster", clusters[0])
    else:
        place = _shared_place(lib, clusters)
        if place is None:
            return []
        target = Ref("place", place)
    page_known = any(lib.kb.cluster(c).page is not None for c in clusters)
    return list(_aspects(Intent.NOT_IN_SOURCES, target, page_known))


def card_step(lib: Library, answer: Answer, turn: Turn) -> list[Step]:
    """After a reply stating one contact detail alone, the card it comes from ("Full contact
    card"), first: everything else about the contact is one click away, not repeated."""
    if not answer.one_fact or answer.intent is not Intent.CONTACT:
        return []
    target: Ref | None = None
    if len(turn.clusters) == 1:
        target = Ref("cluster", turn.clusters[0])
    elif turn.clusters:
        place = _shared_place(lib, turn.clusters)
        target = Ref("place", place) if place else None
    elif len(turn.organizations) == 1:
        target = Ref("organization", turn.organizations[0])
    return [Step("next", Intent.CONTACT.value, target, M.STEP_CONTACT_CARD())] if target else []


def next_steps(lib: Library, answer: Answer, turn: Turn) -> list[Step]:
    """Natural next questions about what an answered region question was about."""
    if not answer.answered or answer.intent not in REGION_INTENTS or not turn.clusters:
        return []
    kb = lib.kb
    clusters = turn.clusters
    if len(clusters) == 1:
        cluster = kb.cluster(clusters[0])
        steps = list(_aspects(answer.intent, Ref("cluster", cluster.id), cluster.page is not None))
        # The other clusters carrying the same place's name (the two HAMAMATSU clusters).
        siblings = dict.fromkeys(
            other
            for place in cluster.places
            for other in lib.clusters_of_place.get(place, ())
            if other != cluster.id
        )
        steps += [
            Step("next", answer.intent.value, Ref("cluster", o), lib.headings[o]) for o in siblings
        ]
        return steps
    place = _shared_place(lib, clusters)
    if place is None:
        return []
    page_known = any(kb.cluster(c).page is not None for c in clusters)
    return list(_aspects(answer.intent, Ref("place", place), page_known))


def choice_steps(lib: Library, answer: Answer, turn: Turn) -> list[Step]:
    """One option per cluster of a reply covering several: a place heading several
    clusters, or a listing (each opens that cluster's overview)."""
    if not answer.answered or len(turn.choices) < 2:
        return []
    action = Intent.REGION if answer.intent in LISTING_INTENTS else answer.intent
    if action not in REGION_INTENTS:
        return []
    return [Step("choice", action.value, ref, lib.headings[ref.id]) for ref in turn.choices]


# -- the map: the clusters of an answer, drawn by a front-end that can ("Show on a map")

MAP_VIEW = "view"  # a map step's target kind for a listing: its filters, as `map_view_id`
_NONE = "-"


def map_view_id(stage: str | None, status: str | None, fields: Sequence[str]) -> str:
    """A listing's filters as one id: "second.active.it+environment", "-" for none."""
    return ".".join((stage or _NONE, status or _NONE, "+".join(fields) or _NONE))


def parse_map_view_id(
    lib: Library, text: str
) -> tuple[str | None, str | None, tuple[str, ...]] | None:
    """The filters a map view id names, or None when one is unknown to the base."""
    parts = text.split(".")
    if len(parts) != 3:
        return None
    stage, status, fields = (None if part == _NONE else part for part in parts)
    field_ids = tuple(fields.split("+")) if fields else ()
    kb = lib.kb
    if (stage and stage not in kb.stages) or (status and status not in kb.statuses):
        return None
    if not all(f in kb.fields for f in field_ids):
        return None
    return stage, status, field_ids


def map_step(lib: Library, answer: Answer, turn: Turn) -> list[Step]:
    """ "Show on a map" for an answered question about clusters: the listing's filters, or
    the one cluster or place it is about (a map answer is a map already)."""
    if not answer.answered or answer.intent is Intent.MAP:
        return []
    label = M.STEP_MAP()
    if answer.intent in LISTING_INTENTS and answer.map is not None:
        view = answer.map
        target = Ref(MAP_VIEW, map_view_id(view.stage, view.status, view.fields))
        return [Step("next", "map", target, label)]
    if answer.intent not in REGION_INTENTS or not turn.clusters:
        return []
    if len(turn.clusters) == 1:
        return [Step("next", "map", Ref("cluster", turn.clusters[0]), label)]
    place = _shared_place(lib, turn.clusters)
    return [Step("next", "map", Ref("place", place), label)] if place else []


# Help offers this many of the example questions as buttons (one primary action and three
# more, as under any answer).
HELP_EXAMPLES = 4


def intro_steps(lib: Library, answer: Answer) -> list[Step]:
    """What /about and /help offer next: the programme's other topics after its definition,
    and example questions to ask."""
    if answer.intent is Intent.ABOUT:
        shown = set(answer.matches)
        return [
            Step("next", "faq", Ref("faq", e.id), M.FAQ_QUESTION(entry=Ref("faq", e.id)))
            for e in about_entries(lib)
            if e.id not in shown
        ]
    if answer.intent is Intent.HELP:
        return [
            Step("next", "ask", example, M.EXAMPLE(example=example))
            for example in examples(lib, HELP_EXAMPLES)
        ]
    return []


def steps_for(lib: Library, answer: Answer, turn: Turn) -> tuple[Step, ...]:
    """Every step a reply offers, most useful first (a front-end may show only the first
    few: Discord shows four)."""
    following = [
        *card_step(lib, answer, turn),
        *known_steps(lib, answer, turn),
        *next_steps(lib, answer, turn),
    ]
    following[MAP_POSITION:MAP_POSITION] = map_step(lib, answer, turn)
    return (
        *suggestion_steps(lib, answer, turn),
        *intro_steps(lib, answer),
        *following,
        *choice_steps(lib, answer, turn),
    )
