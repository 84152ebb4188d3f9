"""Follow-up questions: a question read in the light of the previous turn.

Six named rules, tried in this order; `Answer.followup` names the one that applied:

- `language`: "ok and in japanese?", 「英語でお願いします」 → the previous question again, the
  reply in that language (`Answer.lang`).
- `choice`: "the second one", 「二つ目」 after a reply that offered several clusters (a
  place heading several, a listing, a "did you mean") → that cluster.
- `refine`: a stage, status, field or region of Japan with a narrowing word after a listing
  ("only the active ones", "what about the second stage?", 「実施中のものだけ」, "which of
  them are in Kyushu?") → the previous listing, filtered; a question about the clusters it
  leaves ("the one in Kyushu: its contact?") → those clusters.
- `sibling`: "and the other one?", "and the second stage one?", 「じゃあ第2期のは？」 after
  an answer about one cluster of a place heading several → that place's other cluster.
- `clusters`: a pronoun or an elliptical question about a region's aspect that names no
  place ("and its phone number?", "what page is it on?", 「その連絡先は？」) → the previous
  answer's clusters; after an organization was named, its details ("and its fax?").
- `intent`: a new place and nothing asked of it, as a follow-up ("what about Kobe?",
  「神戸は？」) → the previous question, asked of that place; after a figure for a year,
  another year ("and 2003?", "the year before?").

A fresh, complete question (a place and what is asked of it, a listing with no narrowing
word, a question the FAQ answers well) matches no rule and ignores the context. A rule only
rewrites the `Query`, filling in what the question leaves out; the evaluator then answers it
as any query, and the reply gets a note saying what was carried over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.engine import messages as M
from bot.engine.answer import Intent, Msg, Ref
from bot.engine.cues import Cues, read_cues
from bot.engine.evaluation.context import Context
from bot.engine.evaluation.sets import counted_kind
from bot.engine.facts.library import Selection, distinct_names
from bot.engine.facts.listing import described
from bot.engine.facts.programme import PROGRAMME
from bot.engine.reading.query import NO_NAMES, WH_WORDS, ClusterSet, FieldConstraint, Mode, Query
from bot.engine.regions import RegionMatch
from bot.engine.thresholds import MAX_CHOICES
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
    """A question rewritten with what it carries over, and the note that says so (and the
    reply's language when that is what the question asked)."""

    rule: str
    query: Query
    note: Msg
    lang: str | None = None


# The cues that ask for the reply in a language (intents.yaml's reply_ja, reply_en).
LANGUAGE_CUES = {"reply_ja": "ja", "reply_en": "en"}


def names_place(query: Query) -> bool:
    return query.clusters.names_a_place


def asks_about_region(query: Query, cues: Cues) -> bool:
    """Whether the question asks for an aspect of a region (its contact, fields, ...), or
    for one the sources lack ("who directs it?"), which is answered as lacking."""
    aspects = query.cues & _ASPECT_WORDS
    if cues.what_about:
        aspects -= {INTENT_WORDS[Intent.REGION]}
    # "is it still active?": a yes/no question of a status word asks for the status.
    return bool(
        aspects or query.clusters.fields.fields or asks_status(query) or query.asked.missing
    )


def asks_status(query: Query) -> bool:
    """ "is it done?", and with nothing named, a status alone: "still going?", "ended or
    active?" (a choice of two is no filter)."""
    if query.status_word:
        return True
    names_nothing = not (query.clusters.named or query.programme or query.organizations)
    return names_nothing and bool(query.statuses or "still" in query.cues)


def asks_for_a_set(query: Query) -> bool:
    """ "which clusters …", "how many …": a question about a set of clusters."""
    return bool(query.cues & _SET_WORDS)


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


def carried_details(previous: Turn, intent: Intent) -> tuple[str, ...]:
    """The contact details the previous question asked, when what a new question carries
    over is the contact: "sapporo fax" … "what about Sendai?" asks Sendai's fax."""
    if intent is not Intent.CONTACT or previous.query is None:
        return ()
    return previous.query.asked.details


def carried_topic(intent: Intent, details: tuple[str, ...]) -> Msg:
    """What the note says was carried over: the one detail asked, else the intent's topic."""
    if len(details) == 1:
        return M.CONTACT_DETAILS[details[0]]()
    return M.TOPICS[intent.value]()


Rule = Callable[[Context, Turn, Cues], "FollowUp | None"]


def _language(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "ok and in japanese?", 「英語でお願いします」: the previous question again, its reply in
    that language. Only when nothing else is asked ("what is it called in japanese?" asks
    a name)."""
    query = context.query
    asked = [LANGUAGE_CUES[c] for c in query.cues if c in LANGUAGE_CUES]
    if len(asked) != 1 or previous.query is None:
        return None
    others = query.cues - set(LANGUAGE_CUES) - {"name", "greeting"}
    if others or names_place(query) or query.programme or query.organizations:
        return None
    if set(query.text.tokens) & WH_WORDS or query.unexplained:
        return None
    return FollowUp("language", previous.query, M.NOTE_FOLLOWUP_LANGUAGE(), lang=asked[0])


def _choice(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    position = cues.ordinal if cues.ordinal is not None else cues.picked
    if position is None or not previous.choices:
        return None
    count = len(previous.choices)
    index = count - 1 if position == -1 else position - 1
    if not 0 <= index < count:
        return None
    target = previous.choices[index]
    clusters = clusters_of(context.lib, target)
    if not clusters:
        return None
    intent = previous.intent if previous.intent in REGION_INTENTS else Intent.REGION
    query = context.query
    # "the second one, what field was it?": what is asked of it, else what was asked before.
    own = cues.ordinal is None and query.cues & _ASPECT_WORDS
    asked = (
        replace(query.asked, cues=frozenset(own))
        if own
        else replace(query.asked, cues=_asking(intent), details=carried_details(previous, intent))
    )
    rewritten = replace(
        query,
        clusters=ClusterSet(
            names=_about(clusters),
            fields=FieldConstraint(previous.fields if intent is Intent.FIELDS and not own else ()),
        ),
        asked=asked,
        leftover=(),
        noun_phrase=False,
    )
    return FollowUp("choice", rewritten, M.NOTE_FOLLOWUP_CHOICE(position=index + 1, target=target))


def _narrowing(query: Query, cues: Cues) -> bool:
    """ "only the first stage one", "which of those …", 「終了したものだけ」."""
    return cues.narrowing or cues.opener or cues.pronoun or "one" in query.text.tokens


def _refine_clusters(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "hamamatsu fields?" … "only the first stage one": the previous answer's clusters,
    narrowed by a stage or status, asked the same thing."""
    query = context.query
    wanted = query.clusters
    if previous.is_listing or not previous.clusters or names_place(query):
        return None
    if not (wanted.stage or wanted.status) or wanted.fields or not _narrowing(query, cues):
        return None
    kept = [
        c
        for c in previous.clusters
        if (wanted.stage is None or context.lib.kb.cluster(c).stage == wanted.stage)
        and (wanted.status is None or context.lib.kb.cluster(c).status == wanted.status)
    ]
    if not kept and (cues.pronoun or cues.narrowing) and not query.is_yes_no:
        # "which of them is second stage?" when none is: the claim checked against each,
        # "No" with their own stage and status.
        rewritten = replace(
            query,
            mode=Mode.YES_NO,
            clusters=replace(wanted, names=_about(previous.clusters)),
            asked=replace(query.asked, cues=frozenset({"stage"}), status=True),
            leftover=(),
            noun_phrase=False,
        )
        names = distinct_names(context.lib.kb.cluster(c) for c in previous.clusters)
        return FollowUp("refine", rewritten, M.NOTE_FOLLOWUP_CLUSTERS(clusters=names))
    # It narrows: some of several clusters, and a filter rather than a status asked of them
    # ("is it still active?").
    if not kept or len(kept) == len(previous.clusters) or query.is_yes_no:
        return None
    intent = previous.intent if previous.intent in REGION_INTENTS else Intent.REGION
    asked = query.cues & _ASPECT_WORDS or _asking(intent)
    rewritten = replace(
        query,
        clusters=replace(
            wanted,
            names=_about(tuple(kept)),
            fields=FieldConstraint(previous.fields if intent is Intent.FIELDS else ()),
        ),
        asked=replace(query.asked, cues=frozenset(asked)),
        leftover=(),
        noun_phrase=False,
    )
    names = distinct_names(context.lib.kb.cluster(c) for c in previous.clusters)
    return FollowUp("refine", rewritten, M.NOTE_FOLLOWUP_CLUSTERS(clusters=names))


def _refine_by_area(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "which clusters covered IT in the second stage?" … "the one in Kyushu — what's its
    core organization?": the previous listing within an area of Japan, and what is asked of
    those clusters."""
    query = context.query
    wanted = query.clusters
    if not previous.is_listing or not wanted.by_geography or wanted.named:
        return None
    if not _narrowing(query, cues):
        return None
    lib = context.lib
    areas = (
        *(Ref("region", r) for r in wanted.regions),
        *(Ref("prefecture", p) for p in wanted.prefectures),
    )
    found = lib.select(Selection(previous.stage, previous.status, previous.fields, areas=areas))
    if not found:
        return None
    if asks_about_region(query, cues):
        if len(found) > MAX_CHOICES:
            return None
        clusters = ClusterSet(names=_about(tuple(c.id for c in found)))
        asked = query.asked
    else:
        # "which of them are in Kyushu?": the previous listing, within the area.
        clusters = replace(
            wanted,
            stage=wanted.stage or previous.stage,
            status=wanted.status or previous.status,
            fields=replace(wanted.fields, fields=wanted.fields.fields or previous.fields),
        )
        counted = query.cues & {"count"} or {_LISTING_WORDS.get(previous.intent, "list")}
        asked = replace(query.asked, cues=frozenset(counted))
    rewritten = replace(query, clusters=clusters, asked=asked, leftover=())
    before = described(
        lib.select(Selection(previous.stage, previous.status, previous.fields)),
        previous.stage,
        previous.status,
        previous.fields,
    )
    return FollowUp("refine", rewritten, M.NOTE_FOLLOWUP_NARROWED(previous=before))


def _count_the_listing(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "which clusters did only life sciences?" … "how many is that?": the listing shown,
    counted, not every cluster."""
    query = context.query
    wanted = query.clusters
    if not previous.is_listing or "count" not in query.cues or names_place(query):
        return None
    if wanted.has_filters or wanted.by_geography or not (cues.pronoun or cues.opener):
        return None
    if previous.query is None or counted_kind(context) is not None:
        return None  # "how many stages were there?" counts stages, not the list
    rewritten = replace(
        query,
        # the set listed (a name in its question was one claimed alone in it)
        clusters=replace(previous.query.clusters, names=NO_NAMES),
        asked=replace(query.asked, cues=frozenset({"count"})),
        leftover=(),
    )
    return FollowUp("refine", rewritten, M.NOTE_FOLLOWUP_COUNTED())


def _one_of_the_listing(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "which clusters are in Kyushu?" … "who runs the one that's still active?": the
    clusters of the list just shown that the stage or status picks, asked what is asked."""
    query = context.query
    wanted = query.clusters
    if not previous.is_listing or previous.query is None or names_place(query):
        return None
    if not (wanted.stage or wanted.status) or wanted.by_geography or asks_for_a_set(query):
        return None
    if not _narrowing(query, cues) or not query.cues & (_ASPECT_WORDS - {"stage", "overview"}):
        return None
    before = previous.query.clusters
    areas = (
        *(Ref("region", r) for r in before.regions),
        *(Ref("prefecture", p) for p in before.prefectures),
    )
    found = context.lib.select(
        Selection(
            wanted.stage or previous.stage,
            wanted.status or previous.status,
            previous.fields,
            areas=areas,
        )
    )
    if not found or len(found) > MAX_CHOICES:
        return None
    ids = tuple(c.id for c in found)
    rewritten = replace(
        query,
        clusters=ClusterSet(names=_about(ids)),
        leftover=(),
        noun_phrase=False,
    )
    names = distinct_names(found)
    return FollowUp("refine", rewritten, M.NOTE_FOLLOWUP_CLUSTERS(clusters=names))


def _refine(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    for narrower in (
        _count_the_listing,
        _one_of_the_listing,
        _refine_clusters,
        _refine_by_area,
    ):
        found = narrower(context, previous, cues)
        if found is not None:
            return found
    query = context.query
    wanted = query.clusters
    if not previous.is_listing or names_place(query) or not wanted.has_filters:
        return None
    if not (cues.narrowing or cues.opener or cues.pronoun):
        return None
    lib = context.lib
    shown = lib.select(Selection(previous.stage, previous.status, previous.fields))
    before = described(shown, previous.stage, previous.status, previous.fields)
    fields = wanted.fields
    if cues.narrowing and previous.fields and set(fields.fields) - set(previous.fields):
        # 「そのうちITもやってるのは？」, "which of those also do IT?": among the clusters
        # shown, those with the new field too, not every IT cluster.
        both = tuple(dict.fromkeys((*previous.fields, *fields.fields)))
        fields = replace(fields, fields=both, mode="all")
    rewritten = replace(
        query,
        clusters=replace(
            wanted,
            names=_about(()),
            fields=replace(
                fields,
                fields=fields.fields or previous.fields,
                # "only the IT ones" narrows the list to IT clusters; it does not ask for
                # clusters working in IT alone, as "only" next to a field does in a fresh
                # question.
                mode="any" if cues.narrowing and fields.mode == "only" else fields.mode,
            ),
            stage=wanted.stage or previous.stage,
            status=wanted.status or previous.status,
        ),
        # "and how many of those are active?" counts; otherwise it stays what it was.
        asked=replace(
            query.asked,
            cues=frozenset(query.cues & {"count"} or {_LISTING_WORDS.get(previous.intent, "list")}),
        ),
        leftover=(),
        noun_phrase=True,
    )
    replaced = (
        (fields.fields and previous.fields and not set(previous.fields) <= set(fields.fields))
        or (wanted.stage and previous.stage and wanted.stage != previous.stage)
        or (wanted.status and previous.status and wanted.status != previous.status)
    )
    note = M.NOTE_FOLLOWUP_CHANGED if replaced else M.NOTE_FOLLOWUP_NARROWED
    return FollowUp("refine", rewritten, note(previous=before))


def _organizations(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "文科省の担当部署は？" … "電話番号も教えてください": the same organization's detail."""
    query = context.query
    if previous.clusters or not previous.organizations or names_place(query):
        return None
    if "contact" not in query.cues or query.organizations or query.programme:
        return None
    if not (cues.pronoun or cues.opener or cues.short):
        return None
    rewritten = replace(query, organizations=previous.organizations, leftover=())
    names = tuple(Ref("organization", o) for o in previous.organizations)
    return FollowUp("clusters", rewritten, M.NOTE_FOLLOWUP_CLUSTERS(clusters=names))


def _the_programme(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "what's the initiative called in Japanese?" … "is it still running?": "it" is the
    programme the previous question was about."""
    query = context.query
    before = previous.query
    if previous.clusters or before is None or not (before.programme or before.programme_subject):
        return None
    if not cues.pronoun or names_place(query) or query.organizations or query.programme:
        return None
    if query.clusters.fields.fields or query.clusters.by_geography:
        return None
    # "is it still running?": a status word is asked of the programme, not a filter.
    clusters = replace(query.clusters, stage=None, status=None)
    rewritten = replace(
        query, clusters=clusters, programme=True, programme_subject=True, leftover=()
    )
    return FollowUp("clusters", rewritten, M.NOTE_FOLLOWUP_PROGRAMME(programme=PROGRAMME))


def _clusters(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    found = _organizations(context, previous, cues) or _the_programme(context, previous, cues)
    if found is not None:
        return found
    query = context.query
    if (
        not previous.clusters
        or names_place(query)
        or query.organizations  # "what's MEXT's phone number?" is about MEXT
        # 「中核機関はどこ？」: a detail asked of them (どこ is also "which"), not a set
        or (asks_for_a_set(query) and not query.asked.details)
        or (cues.names_clusters and not cues.pronoun)  # 「環境分野のクラスターは？」
        or not asks_about_region(query, cues)
    ):
        return None
    # A short question of a region's aspect is elliptical ("phone number?", 「何ページ？」);
    # on a topic the programme itself has (its budget, its key fields, its stages, what it
    # is), a question the FAQ answers well is a fresh one ("what is the budget?").
    topics = query.cues & _PROGRAMME_TOPICS
    if "stage" in topics and not _names_the_stages(context):
        topics -= {"stage"}  # "which stage?", "ended or active?": the clusters' stage
    programme_topic = bool(topics) and not (query.cues & _CLUSTER_ONLY_TOPICS)
    elliptical = cues.short and not query.leftover and not (programme_topic and context.strong)
    if not (cues.pronoun or cues.opener or elliptical):
        return None
    kb = context.lib.kb
    names = distinct_names(kb.cluster(c) for c in previous.clusters)
    rewritten = replace(
        query,
        clusters=replace(query.clusters, names=_about(previous.clusters)),
        asked=replace(query.asked, status=query.asked.status or asks_status(query)),
        leftover=(),
    )
    if asks_status(query) and not query.status_word and not _narrowing(query, cues):
        # "still going?", "ended or active?" after Kitakyushu: its status asked, not a
        # filter on it (a yes/no claim, "is it still active?", is checked as claimed)
        rewritten = replace(
            rewritten, clusters=replace(rewritten.clusters, stage=None, status=None)
        )
    return FollowUp("clusters", rewritten, M.NOTE_FOLLOWUP_CLUSTERS(clusters=names))


def _names_the_stages(context: Context) -> bool:
    """ "what are the stages?", "what is the second stage for?": the programme's stages
    named (one of them, or the noun in the plural), not a cluster's stage asked."""
    query = context.query
    if query.clusters.stage is not None:
        return True
    nouns = context.lib.kb.lexicon.nouns.get("stage", ())
    return any(t.endswith("s") and t[:-1] in nouns for t in query.text.tokens if t in nouns)


# "and the other one?", 「もう一つのは？」: the other cluster of the place just answered.
_OTHER_WORDS = frozenset({"other", "another"})
_JA_OTHER = ("もう一つ", "もう1つ", "もう片方", "もう一方", "他の", "ほかの", "別の")


def _sibling(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "what field was the Nagano Prefecture Region cluster?" … "and the other one?";
    "fields of the first stage Hamamatsu cluster" … 「じゃあ第2期のは？」: another cluster of
    the same place (the other one, or the one of the stage or status named), asked what
    was asked of the first, or what the question asks of it."""
    query = context.query
    if previous.intent not in REGION_INTENTS or not previous.clusters:
        return None
    if names_place(query) or asks_for_a_set(query) or query.programme:
        return None
    wanted = query.clusters
    text = query.text
    other = bool(set(text.tokens) & _OTHER_WORDS) or any(w in text.compact for w in _JA_OTHER)
    # "is it still active?" asks the status of the same cluster, not for another one.
    of_it = cues.pronoun or query.is_yes_no or query.status_word
    by_term = bool(wanted.stage or wanted.status) and not wanted.fields.fields and not of_it
    # "no i meant the second stage one": a correction names the one meant
    elliptical = cues.opener or cues.short or cues.what_about or cues.correction
    if not (other or (by_term and elliptical)):
        return None
    kb = context.lib.kb
    before = [kb.cluster(c) for c in previous.clusters]
    places = {p for cluster in before for p in cluster.places}
    siblings = [
        c
        for c in kb.clusters
        if set(c.places) & places
        and (not other or c.id not in previous.clusters)
        and (wanted.stage is None or c.stage == wanted.stage)
        and (wanted.status is None or c.status == wanted.status)
    ]
    if not siblings or {c.id for c in siblings} == set(previous.clusters):
        return None
    ids = tuple(c.id for c in siblings)
    clusters = replace(wanted, names=_about(ids), stage=None, status=None)
    if asks_about_region(query, cues) and not (by_term and not query.cues & _ASPECT_WORDS):
        rewritten = replace(query, clusters=clusters, leftover=())
    else:
        again = _asked_again(query, previous, clusters)
        if again is None:
            return None
        rewritten = replace(again[0], asked=replace(again[0].asked, status=False))
    note = M.NOTE_FOLLOWUP_CLUSTERS(clusters=distinct_names(siblings))
    return FollowUp("sibling", rewritten, note)


_YEAR_CUES = frozenset({"previous_year", "next_year"})
_FIGURE_CUES = frozenset({"budget", "per_region", "total", "change"})


def _another_year(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "what was the 2004 budget?" … "and the year before?", "and for 2008?": the same
    figure asked for another year."""
    query = context.query
    before = previous.query
    if before is None or not before.cues & _FIGURE_CUES or names_place(query):
        return None
    if query.clusters.has_filters or query.cues - _YEAR_CUES - _FIGURE_CUES - {"still"}:
        return None
    years = query.time.years
    step = 1 if "next_year" in query.cues else -1 if "previous_year" in query.cues else 0
    if not years and step and before.time.years:
        years = tuple(year + step for year in before.time.years)
    if not years or not (cues.opener or cues.short or step):
        return None
    rewritten = replace(
        before,
        text=query.text,
        time=replace(before.time, years=years),
        unexplained=query.unexplained,
        leftover=(),
    )
    topic = M.TOPICS[Intent.BUDGET.value]()
    return FollowUp("intent", rewritten, M.NOTE_FOLLOWUP_INTENT(topic=topic))


def _another_section(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    """ "where's the second stage map?" … "and the first stage one?": the edition's section
    of the same kind (a map, a heading) for the other stage."""
    query = context.query
    before = previous.query
    if before is None or len(before.asked.sections) != 1 or names_place(query):
        return None
    stage = query.clusters.stage
    if stage is None or query.asked.sections or not (cues.opener or cues.short):
        return None
    was = context.lib.sections.get(before.asked.sections[0])
    if was is None:
        return None
    same_kind = [
        e
        for e in context.lib.kb.contents
        if e.stage == stage
        and e.stage != was.stage
        and e.status == was.status
        and (e.page is None) == (was.page is None)
    ]
    if len(same_kind) != 1:
        return None
    asked = replace(before.asked, sections=(same_kind[0].id,))
    rewritten = replace(
        before, text=query.text, asked=asked, clusters=replace(before.clusters, stage=stage)
    )
    topic = M.TOPICS[Intent.PAGE.value]()
    return FollowUp("intent", rewritten, M.NOTE_FOLLOWUP_INTENT(topic=topic))


def _intent(context: Context, previous: Turn, cues: Cues) -> FollowUp | None:
    found = _another_year(context, previous, cues) or _another_section(context, previous, cues)
    if found is not None:
        return found
    query = context.query
    if not query.clusters.named or asks_about_region(query, cues):
        return None
    bare = cues.question_mark and not query.leftover and not query.cues
    if not (cues.opener or bare or cues.correction):
        return None
    if previous.missing:  # "who directs the Kyoto cluster?" … "what about Kobe?"
        asked = {fact for fact in previous.missing if fact != "budget_year"}
        if "budget_year" in previous.missing:
            asked.add(INTENT_WORDS[Intent.BUDGET])
        rewritten = replace(
            query,
            asked=replace(query.asked, cues=frozenset(asked), missing=previous.missing),
            leftover=(),
        )
        topic = M.MISSING_TOPICS[previous.missing[0]]()
        return FollowUp("intent", rewritten, M.NOTE_FOLLOWUP_INTENT(topic=topic))
    again = _asked_again(query, previous, query.clusters)
    if again is None:
        return None
    rewritten, topic = again
    return FollowUp("intent", rewritten, M.NOTE_FOLLOWUP_INTENT(topic=topic))


def _asked_again(query: Query, previous: Turn, clusters: ClusterSet) -> tuple[Query, Msg] | None:
    """The previous question (its intent, fields and contact details) asked of `clusters`,
    and the topic a note names as carried over."""
    carried = carried_intent(previous)
    if carried is None:
        return None
    intent, fields = carried
    details = carried_details(previous, intent)
    rewritten = replace(
        query,
        clusters=replace(clusters, fields=FieldConstraint(fields)),
        asked=replace(query.asked, cues=_asking(intent), details=details),
        leftover=(),
    )
    return rewritten, carried_topic(intent, details)


RULES: tuple[tuple[str, Rule], ...] = (
    ("language", _language),
    ("choice", _choice),
    ("refine", _refine),
    ("sibling", _sibling),
    ("clusters", _clusters),
    ("intent", _intent),
)
RULE_NAMES = tuple(name for name, _ in RULES)


def follow_up(context: Context, previous: Turn | None) -> FollowUp | None:
    """The first rule that reads the question in the previous turn's light, if any."""
    if previous is None:
        return None
    cues = read_cues(context.query.text)
    for _, rule in RULES:
        found = rule(context, previous, cues)
        if found is not None:
            return found
    return None
