"""Follow-up questions: a question read in the light of the previous turn.

Four named rules, tried in this order; `Answer.followup` names the one that applied:

- `choice`: "the second one", 「二つ目」 after a reply that offered several clusters (a
  place heading several, a listing, a "did you mean") → that cluster.
- `refine`: a stage, status or field with a narrowing word after a listing ("only the
  active ones", "what about the second stage?", 「実施中のものだけ」) → the previous listing,
  filtered.
- `clusters`: a pronoun or an elliptical question about a region's aspect that names no
  place ("and its phone number?", "what page is it on?", 「その連絡先は？」) → the previous
  answer's clusters.
- `intent`: a new place and nothing asked of it, as a follow-up ("what about Kobe?",
  「神戸は？」) → the previous question, asked of that place.

A fresh, complete question (a place and what is asked of it, a listing with no narrowing
word, a question the FAQ answers well) matches no rule and ignores the context. A rule only
rewrites the `Interpretation`; routing then answers it as any question, and the reply gets
a note saying what was carried over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.engine import messages as M
from bot.engine.answer import Intent, Msg
from bot.engine.context import Context
from bot.engine.cues import Cues, read_cues
from bot.engine.facts.library import distinct_names
from bot.engine.facts.listing import described
from bot.engine.interpret import Interpretation
from bot.engine.regions import RegionMatch
from bot.engine.turn import REGION_INTENTS, Turn, clusters_of

# The intents.yaml name of each region intent (what a rewritten reading asks for).
INTENT_WORDS = {
    Intent.CONTACT: "contact",
    Intent.FIELDS: "fields",
    Intent.STAGE: "stage",
    Intent.PAGE: "page",
    Intent.BUDGET: "budget",
    Intent.LOCATION: "location",
    Intent.REGION: "overview",
}
# What a refined listing stays: a count, a map, or a list.
_LISTING_WORDS = {Intent.COUNT: "count", Intent.MAP: "map"}
_ASPECT_WORDS = frozenset(INTENT_WORDS.values())
_SET_WORDS = frozenset({"list", "count"})
_PROGRAMME_TOPICS = frozenset({"budget", "fields", "stage", "overview"})
_CLUSTER_ONLY_TOPICS = frozenset({"contact", "page", "location"})


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A question rewritten with what it carries over, and the note that says so."""

    rule: str
    reading: Interpretation
    note: Msg


def names_place(reading: Interpretation) -> bool:
    regions = reading.regions
    return bool(regions.cluster_ids or regions.near_misses or regions.unclustered)


def asks_about_region(reading: Interpretation, cues: Cues) -> bool:
    """Whether the question asks for an aspect of a region (its contact, fields, ...), or
    for one the sources lack ("who directs it?"), which is answered as lacking."""
    aspects = reading.intents & _ASPECT_WORDS
    if cues.what_about:
        aspects -= {INTENT_WORDS[Intent.REGION]}
    # "is it still active?": a yes/no question of a status word asks for the status.
    return bool(aspects or reading.fields or reading.status_asked or reading.missing)


def asks_for_a_set(reading: Interpretation) -> bool:
    """ "which clusters …", "how many …": a question about a set of clusters."""
    return bool(reading.intents & _SET_WORDS)


def _about(cluster_ids: tuple[str, ...]) -> RegionMatch:
    return RegionMatch(cluster_ids, frozenset(), (), 1.0)


def _asking(intent: Intent) -> frozenset[str]:
    return frozenset({INTENT_WORDS[intent]})


def carried_intent(turn: Turn) -> tuple[Intent, tuple[str, ...]] | None:
    """The question a new place inherits, with the fields it asked about: a listing's
    questions become the same question about one place."""
    if turn.intent in REGION_INTENTS and turn.intent is not Intent.REGION:
        return turn.intent, turn.fields if turn.intent is Intent.FIELDS else ()
    if turn.intent is Intent.BY_FIELD:
        return Intent.FIELDS, turn.fields
    if turn.intent is Intent.BY_STAGE:
        return Intent.STAGE, ()
    if turn.intent is Intent.MAP:
        return Intent.LOCATION, ()  # where that place is, which a front-end can draw
    return None


Rule = Callable[[Context, Turn, Cues], "FollowUp | None"]


def _choice(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    if cues.ordinal is None or not previous.choices:
        return None
    count = len(previous.choices)
    index = count - 1 if cues.ordinal == -1 else cues.ordinal - 1
    if not 0 <= index < count:
        return None
    target = previous.choices[index]
    clusters = clusters_of(context.lib, target)
    if not clusters:
        return None
    intent = previous.intent if previous.intent in REGION_INTENTS else Intent.REGION
    reading = replace(
        context.reading,
        regions=_about(clusters),
        intents=_asking(intent),
        fields=previous.fields if intent is Intent.FIELDS else (),
        stage=None,
        status=None,
        leftover=(),
        noun_phrase=False,
    )
    return FollowUp("choice", reading, M.NOTE_FOLLOWUP_CHOICE(position=index + 1, target=target))


def _refine(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    reading = context.reading
    if not previous.is_listing or names_place(reading) or not reading.has_filters:
        return None
    if not (cues.narrowing or cues.opener or cues.pronoun):
        return None
    lib = context.lib
    shown = lib.select(previous.stage, previous.status, previous.fields)
    before = described(shown, previous.stage, previous.status, previous.fields)
    rewritten = replace(
        reading,
        regions=_about(()),
        intents=frozenset({_LISTING_WORDS.get(previous.intent, "list")}),
        fields=reading.fields or previous.fields,
        stage=reading.stage or previous.stage,
        status=reading.status or previous.status,
        leftover=(),
        noun_phrase=True,
        # "only the IT ones" narrows the list to IT clusters; it does not ask for clusters
        # working in IT alone, as "only" next to a field does in a fresh question.
        field_mode="any" if cues.narrowing and reading.field_mode == "only" else reading.field_mode,
    )
    replaced = (
        (reading.fields and previous.fields and set(reading.fields) != set(previous.fields))
        or (reading.stage and previous.stage and reading.stage != previous.stage)
        or (reading.status and previous.status and reading.status != previous.status)
    )
    note = M.NOTE_FOLLOWUP_CHANGED if replaced else M.NOTE_FOLLOWUP_NARROWED
    return FollowUp("refine", rewritten, note(previous=before))


def _clusters(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    reading = context.reading
    if (
        not previous.clusters
        or names_place(reading)
        or asks_for_a_set(reading)
        or (cues.names_clusters and not cues.pronoun)  # 「環境分野のクラスターは？」
        or not asks_about_region(reading, cues)
    ):
        return None
    # A short question of a region's aspect is elliptical ("phone number?", 「何ページ？」);
    # on a topic the programme itself has (its budget, its key fields, its stages, what it
    # is), a question the FAQ answers well is a fresh one ("what is the budget?").
    programme_topic = bool(reading.intents & _PROGRAMME_TOPICS) and not (
        reading.intents & _CLUSTER_ONLY_TOPICS
    )
    elliptical = cues.short and not reading.leftover and not (programme_topic and context.strong)
    if not (cues.pronoun or cues.opener or elliptical):
        return None
    kb = context.lib.kb
    names = distinct_names(kb.cluster(c) for c in previous.clusters)
    rewritten = replace(
        reading,
        regions=_about(previous.clusters),
        leftover=(),
        asks_status=reading.asks_status or reading.status_asked,
    )
    return FollowUp("clusters", rewritten, M.NOTE_FOLLOWUP_CLUSTERS(clusters=names))


def _intent(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    reading = context.reading
    if not reading.regions.cluster_ids or asks_about_region(reading, cues):
        return None
    bare = cues.question_mark and not reading.leftover and not reading.intents
    if not (cues.opener or bare):
        return None
    if previous.missing:  # "who directs the Kyoto cluster?" … "what about Kobe?"
        asked = {fact for fact in previous.missing if fact != "budget_year"}
        if "budget_year" in previous.missing:
            asked.add(INTENT_WORDS[Intent.BUDGET])
        rewritten = replace(
            reading, intents=frozenset(asked), missing=previous.missing, leftover=()
        )
        topic = M.MISSING_TOPICS[previous.missing[0]]()
        return FollowUp("intent", rewritten, M.NOTE_FOLLOWUP_INTENT(topic=topic))
    carried = carried_intent(previous)
    if carried is None:
        return None
    intent, fields = carried
    rewritten = replace(reading, intents=_asking(intent), fields=fields, leftover=())
    topic = M.TOPICS[intent.value]()
    return FollowUp("intent", rewritten, M.NOTE_FOLLOWUP_INTENT(topic=topic))


RULES: tuple[tuple[str, Rule], ...] = (
    ("choice", _choice),
    ("refine", _refine),
    ("clusters", _clusters),
    ("intent", _intent),
)
RULE_NAMES = tuple(name for name, _ in RULES)


def follow_up(context: Context, previous: Turn | None) -> FollowUp | None:
    """The first rule that reads the question in the previous turn's light, if any."""
    if previous is None:
        return None
    cues = read_cues(context.reading.query)
    for _, rule in RULES:
        found = rule(context, previous, cues)
        if found is not None:
            return found
    return None
