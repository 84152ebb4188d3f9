"""Evaluation: a query to an answer, by an ordered list of named rules.

The first rule whose condition holds answers, and its name goes into `Answer.rule` (and
`ask --json`), so a wrong answer points at one rule. Conditions read the query and, for
questions naming no cluster, the FAQ hits; thresholds live in `thresholds`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Ref
from bot.engine.citations import citations
from bot.engine.evaluation import arithmetic, premises, programme, sets
from bot.engine.evaluation.clusters import (
    answer_region,
    asks_a_cluster_end,
    cluster_end,
    described_clusters,
    filtered,
    region_intents,
)
from bot.engine.evaluation.context import Context
from bot.engine.evaluation.coverage import covered, not_of_the_kind_asked
from bot.engine.facts import contents, general, geography, listing, missing, rank
from bot.engine.facts.geography import map_answer
from bot.engine.facts.library import Selection, distinct_names
from bot.engine.facts.programme import fate_note
from bot.engine.reading.query import NO_NAMES, Act, FieldConstraint, Mode, When
from bot.engine.turn import LISTING_INTENTS

# Intents that make a question about this bot's subject, whatever else it mentions.
_SUBJECT_INTENTS = frozenset(
    "fields contact page budget count director members results website staff".split()
)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    when: Callable[[Context], bool]
    then: Callable[[Context, str], Answer]


# -- conditions


# Cues of a computation, and the FAQ topics that answer one of them as it is asked.
_COMPUTING_CUES = frozenset({"how_long", "more_than", "average", "share", "change", "split"})
_COMPUTED_TOPICS = frozenset({"duration", "still", "budget"})


def _computes_past_the_faq(context: Context) -> bool:
    """「第2期と第3期の科学技術基本計画は何年離れてる？」: a computation over two things
    (two Basic Plans), which a FAQ entry on one of them does not do."""
    query = context.query
    two_things = len(query.time.years) >= 2 or query.asked.plans_numbered >= 2
    return (
        two_things
        and bool(query.cues & _COMPUTING_CUES)
        and context.hits[0].entry.topic not in _COMPUTED_TOPICS
    )


def _names_only_an_unknown_place(context: Context) -> bool:
    """ "what fields does tokyo cover": a place is named (near miss or no cluster) and the
    other words are grammar."""
    regions = context.query.clusters.names
    misses = regions.near_misses
    return bool(misses or regions.unclustered) and set(context.query.leftover) <= {
        w for m in misses for w in m.text.split()
    }


def _off_topic(context: Context) -> bool:
    """Food, weather, sport or travel; or a person named like a place ("Mr Saito's phone")
    when no cluster is named: not this bot's subject."""
    query = context.query
    names = query.clusters.names
    if names.persons and not names.cluster_ids:
        return True
    return query.off_topic and not (
        query.clusters.fields.fields or query.cues & _SUBJECT_INTENTS or query.programme
    )


# What a listing of an area's clusters does not show (their fields and stages it does; where
# they are, the area says: "clusters located in Kyushu" asks which).
_ASKED_CLUSTER_BY_CLUSTER = frozenset({"contact", "page"})
_CLUSTER_BY_CLUSTER_AT_MOST = 6


def _area_clusters(context: Context) -> tuple[str, ...]:
    query = context.query
    selection = sets.selection_of(query.clusters, premises.areas_of(query))
    return tuple(cluster.id for cluster in context.lib.select(selection))


def _asks_of_an_area_s_clusters(context: Context) -> bool:
    """ "core organizations of the clusters in Kyushu", 「静岡県のクラスターの中核機関は？」:
    a fact the listing does not show, asked of each cluster of an area (a few of them)."""
    query = context.query
    if not premises.asks_of_an_area(context) or query.cues & {"count", "map"}:
        return False
    if not query.cues & _ASKED_CLUSTER_BY_CLUSTER or context.asks_which_clusters:
        return False  # "which clusters in Kyushu have a page?" asks for clusters
    return 0 < len(_area_clusters(context)) <= _CLUSTER_BY_CLUSTER_AT_MOST


def _area_s_clusters(context: Context, rule: str) -> Answer:
    """Each cluster of the area answered as if named, with the area said."""
    return _cluster_by_cluster(context, rule, _area_clusters(context), regions=(), prefectures=())


def _cluster_by_cluster(context: Context, rule: str, ids: tuple[str, ...], **spent) -> Answer:
    """What is asked, of each of the clusters `ids` chosen by the query's own constraints
    (`spent`: those constraints, cleared once they have chosen)."""
    query = context.query
    named = replace(query.clusters.names, cluster_ids=ids)
    chosen = replace(query, clusters=replace(query.clusters, names=named, **spent))
    return answer_region(context.lib, chosen, rule, each=True)


def _asks_who_runs_a_set(context: Context) -> bool:
    """ "who runs each nano cluster?", "who ran the second stage clusters?": the core
    organizations of a few clusters a stage, status or field picks, cluster by cluster (the
    other contact details of a set are offered one cluster at a time: `set_contact`)."""
    query = context.query
    clusters = query.clusters
    if set(query.asked.details) != {"organization"} or query.cues & {"count", "map"}:
        return False
    if clusters.names_a_place or clusters.by_geography or not clusters.has_filters:
        return False
    if query.organizations or query.programme or context.asks_which_clusters:
        return False
    chosen = context.lib.select(sets.selection_of(clusters))
    return 0 < len(chosen) <= _CLUSTER_BY_CLUSTER_AT_MOST


def _set_s_organizations(context: Context, rule: str) -> Answer:
    selection = sets.selection_of(context.query.clusters)
    chosen = tuple(c.id for c in context.lib.select(selection))
    # (the fields chose them: they are not asked of each)
    return _cluster_by_cluster(context, rule, chosen, fields=FieldConstraint())


def _end_of_the_contents(context: Context) -> str | None:
    """ "which cluster is listed first under the second stage?": the end of the contents
    asked, of no cluster or area named."""
    query = context.query
    if query.clusters.named or query.clusters.by_geography:
        return None
    return query.asked.contents_end


def _contents_position(context: Context, rule: str) -> Answer:
    end = _end_of_the_contents(context)
    assert end is not None
    query = context.query
    c = query.clusters
    of_clusters = context.names_a("cluster") or c.has_filters
    chosen = context.lib.select(sets.selection_of(c)) if of_clusters else []
    said = listing.described(chosen, c.stage, c.status, c.fields.fields) if c.has_filters else None
    return contents.position(context.lib, query.text, end, chosen, said, rule=rule)


def _missing_about_place(context: Context) -> bool:
    query = context.query
    asked = {i.value for i in region_intents(query)} - {Intent.REGION.value}
    # "which university was at the core of the Takamatsu cluster — where?": the "where"
    # is of the missing fact, not of the cluster.
    return bool(query.asked.missing and query.clusters.named) and (
        not asked or asked <= {Intent.BUDGET.value, Intent.LOCATION.value}
    )


def _names_a_section(context: Context) -> bool:
    """A section of the contents named: one whose text the sources hold (p. 1, the icons)
    only when asked as a section ("the icons section", "what page is ..."); the others,
    known by their title alone, whenever named."""
    query = context.query
    sections = [context.lib.sections[s] for s in query.asked.sections if s in context.lib.sections]
    if not sections:
        return False
    as_section = bool(query.cues & {"page", "contents"})
    return as_section or any(s.faq is None for s in sections) or not context.strong


def _asks_for_the_contents(context: Context) -> bool:
    """ "which sections does the 2008 edition have", "目次にはどんな項目": the contents."""
    query = context.query
    clusters = query.clusters
    # "how many clusters are in the 2008 edition?" counts clusters; the edition is its source.
    return (
        "contents" in query.cues
        and not clusters.fields.fields
        and not clusters.stage
        and not clusters.status  # "were there more active or ended clusters in the edition?"
        and not query.cues & {"count", "more_than"}
        and query.asked.clusters_claimed is None
    )


def _asks_a_page_of_nothing_listed(context: Context) -> bool:
    """ "what page are the contact details on?": a page asked of something the contents
    list does not list (a cluster's or a section's page would have been found)."""
    query = context.query
    if _counts_the_edition_s_pages(context):
        return True
    return (
        "page" in query.cues
        and not query.cues & {"list", "count", "map"}
        and not query.clusters.named
        and not query.asked.sections
        and query.asked.page_number is None
    )


def _page_not_listed(context: Context, rule: str) -> Answer:
    return contents.page_not_listed(context.lib, context.query.text, rule=rule)


def _asks_for_a_map(context: Context) -> bool:
    """ "show the clusters on a map": the map is drawn; "which page is the map on" and
    "is there a map in the 2008 edition" are about the edition's own maps (pp. 4, 5)."""
    query = context.query
    cues = query.cues
    # "where's the second stage map?": where the edition's map is, not a map drawn
    clusters = query.clusters
    in_the_edition = (
        "location" in cues
        and query.asked.sections
        and not (
            clusters.named or clusters.fields.fields or clusters.status or clusters.by_geography
        )
    )
    return Intent.MAP.value in cues and not cues & {"page", "contents"} and not in_the_edition


# What a listing of clusters does not state: a question asking one of these of a set of
# clusters ("who funded the ended clusters", "終了した理由は") is not answered by naming them.
_NOT_IN_A_LISTING = frozenset(
    "contact tel fax address email organization budget director members results website"
    " staff purpose start fate name per_region total change share how_long".split()
)


def _a_listing_answers(context: Context) -> bool:
    return not context.query.cues & _NOT_IN_A_LISTING


def _a_year_relative_to_nothing(context: Context) -> bool:
    """ "and the year before?" with no year to count from (none in the question, none
    carried over from a figure asked before): no question yet."""
    query = context.query
    return bool(query.cues & {"previous_year", "next_year"}) and not query.time.years


def _lists_pages(context: Context) -> bool:
    cues = context.query.cues
    return (
        "page" in cues
        and bool(cues & {"list", "count"})
        and not _counts_the_edition_s_pages(context)
    )


def _counts_the_edition_s_pages(context: Context) -> bool:
    """ "how many pages does the 2008 edition have?": its length, which the contents do not
    give, not its clusters with a page."""
    query = context.query
    return (
        "page" in query.cues
        and "count" in query.cues
        and not context.names_a("cluster")
        and not query.clusters.has_filters
        and context.names_a("edition")
    )


def _lists_everything(context: Context) -> bool:
    """ "list all clusters", "show the clusters": only listing words and the domain's own,
    whatever FAQ entry shares the word "cluster"."""
    query = context.query
    return (
        "list" in query.cues
        # "list clusters except sapporo and sendai": every other one
        and (query.noun_phrase or bool(query.clusters.excluded_names))
        and not query.leftover
        and _a_listing_answers(context)
    )


# The nouns that make a count one of prefectures, right after "how many" / "number of".
_PREFECTURE_NOUNS = frozenset({"prefecture", "prefectures"})
_JA_PREFECTURE_COUNTS = ("都道府県", "何県", "いくつの県", "県の数")


def _counts_prefectures(context: Context) -> bool:
    """ "how many prefectures have a cluster?": prefectures counted, not clusters."""
    query = context.query
    if "count" not in query.cues or query.clusters.named or query.clusters.by_geography:
        return False
    if sets.counted_noun(query.text.tokens) in _PREFECTURE_NOUNS:
        return True
    return any(w in query.text.compact for w in _JA_PREFECTURE_COUNTS)


def _terms_counted(context: Context, rule: str) -> Answer:
    lib = context.lib
    if sets.counted_kind(context) == "field":
        return listing.key_fields(lib, context.query.text, rule=rule)
    stages = tuple(lib.kb.stages.values())
    named = tuple(M.CHOICE_STAGE(stage=Ref("stage", t.id), year=t.started) for t in stages)
    return Answer(
        question=context.query.text.cleaned,
        answered=True,
        intent=Intent.STAGE,
        rule=rule,
        title=M.STAGES_COUNTED(count=len(stages), stages=named),
        summary=(),
        citations=citations([t.source for t in stages]),
        confidence=1.0,
        as_of=M.AS_OF_EDITION(),
        one_fact=True,
    )


def _says_what_a_text_says(context: Context) -> bool:
    """ "What does the Sendai cluster's page say?": what a text the FAQ holds says (the
    Sendai cluster's web page), not the cluster's page in the edition."""
    query = context.query
    # (checked before searching the FAQ, which "describe Kyoto" need not do)
    if not {"content", "page"} <= query.cues or not context.strong:
        return False
    entry = context.hits[0].entry.id
    tokens = query.text.tokens
    named = [tokens[i] for i in sorted(query.clusters.names.consumed)]
    # the entry is about the place named ("Sendai" is in the entry on the Sendai page)
    return bool(named) and all(context.faq.explains(entry, word) for word in named)


def _claims_to_be_the_only_one(context: Context) -> bool:
    """ "Is Kyoto the only cluster that did nothing but nanotech?": a yes/no question that
    names clusters and a set they are said to be all of."""
    query = context.query
    clusters = query.clusters
    return bool(
        query.asked.the_only_one
        and query.is_yes_no
        and clusters.named
        and (clusters.fields.fields or clusters.stage or clusters.status or clusters.by_geography)
    )


def _the_only_one(context: Context, rule: str) -> Answer:
    """ "Yes" when the set is exactly the clusters named, else "No" and the set listed."""
    query = context.query
    named = set(query.clusters.named)
    as_a_set = replace(query, clusters=replace(query.clusters, names=NO_NAMES))
    set_context = Context(context.lib, context.faq, as_a_set)
    selected = {c.id for c in context.lib.select(sets.selection_of(as_a_set.clusters))}
    answer = (
        sets.listed(set_context, rule)
        if as_a_set.clusters.fields.fields
        else _by_stage(set_context, rule)
    )
    holds = bool(selected) and selected <= named
    verdict = M.CLAIM_YES() if holds else M.CLAIM_NO()
    return replace(answer, summary=(verdict, *answer.summary))


def _prefectures_counted(context: Context, rule: str) -> Answer:
    clusters = context.lib.select(sets.selection_of(context.query.clusters))
    return geography.prefectures_counted(context.lib, context.query.text, clusters, rule=rule)


def _counts(context: Context) -> bool:
    query = context.query
    if query.asked.missing or _counts_the_edition_s_pages(context):
        return False  # "how many companies took part?", "how many pages…" count no clusters
    if query.asked.clusters_claimed is not None and not query.clusters.named:
        return True  # "were there 30 clusters?": the count checks the number claimed
    return "count" in query.cues and (
        query.clusters.has_filters or not query.leftover or not context.strong
    )


def _lists_by_field(context: Context) -> bool:
    clusters = context.query.clusters
    if not _a_listing_answers(context):
        return False
    if clusters.fields.count is not None:
        return True
    # A field with a stage or status ("第2期のITクラスター") is a listing, whatever FAQ
    # entry shares its stage word.
    return bool(clusters.fields.fields or clusters.fields.excluded) and (
        context.listing
        or not context.strong
        or bool(clusters.stage or clusters.status or clusters.excludes_terms)
    )


def _lists_by_stage(context: Context) -> bool:
    clusters = context.query.clusters
    return (
        bool(clusters.stage or clusters.status or clusters.excludes_terms)
        and (context.listing or not context.strong)
        and _a_listing_answers(context)
    )


def _asks_the_key_fields(context: Context) -> bool:
    """ "what are the key fields?": fields asked of nothing, with no other filter or topic."""
    query = context.query
    clusters = query.clusters
    return (
        "fields" in query.cues
        and not query.leftover
        and not clusters.named
        and not (clusters.fields.fields or clusters.fields.excluded)
        and clusters.stage is None
        and clusters.status is None
        and not query.cues & _SUBJECT_INTENTS - {"fields"}
    )


def _plain(intent: str) -> Callable[[Context], bool]:
    def condition(context: Context) -> bool:
        return intent in context.query.cues and not context.query.leftover

    return condition


def _decline(context: Context, rule: str) -> Answer:
    return general.decline(context.lib, context.query, context.hits, rule=rule)


def _unknown_place(context: Context, rule: str) -> Answer:
    """A place that heads no cluster; "is there a cluster in Tokyo?" is answered "No"."""
    answer = _decline(context, rule)
    query = context.query
    existence = query.is_yes_no and not query.cues & premises.ATTRIBUTE_CUES
    places = query.clusters.names.unclustered
    if existence and places:
        # A clear "No" (a listing of no cluster, which `premises.existence` answers "No"
        # like any empty listing asked yes or no): titled by what was asked ("Clusters in
        # Tokyo"), a near miss only offered below.
        return replace(
            answer,
            answered=True,
            intent=Intent.BY_FIELD,
            title=M.BY_AREA_TITLE(areas=places),
        )
    return answer


def _region(context: Context, rule: str) -> Answer:
    return answer_region(context.lib, context.query, rule)


def _cluster_end(context: Context, rule: str) -> Answer:
    return cluster_end(context.lib, context.query, rule)


def _greeting(context: Context, rule: str) -> Answer:
    return general.greeting(context.lib, context.query.text, rule=rule)


def _decline_off_topic(context: Context, rule: str) -> Answer:
    return general.off_topic(context.query.text, rule=rule)


def _missing(context: Context, rule: str) -> Answer:
    q = context.query
    c = q.clusters
    clusters = [context.lib.kb.cluster(cid) for cid in c.named]
    if c.described_by_fields:
        clusters = described_clusters(clusters, c.fields.fields)
    clusters, notes = filtered(clusters, c.stage, None if q.asked.status else c.status)
    return missing.missing_fact(
        context.lib, q.text, q.asked.missing, clusters, rule=rule, notes=notes
    )


def _on_page(context: Context, rule: str) -> Answer:
    q = context.query
    return contents.on_page(context.lib, q.text, q.asked.page_number, rule=rule)


def _section(context: Context, rule: str) -> Answer:
    q = context.query
    # "which ministries did MEXT collaborate with?" names a section to ask what it says;
    # "what page is the collaboration section on?" asks where it is.
    content_asked = "content" in q.cues or not (q.cues & {"page", "contents"} or q.is_yes_no)
    return contents.section_answer(
        context.lib, q.text, q.asked.sections, content_asked=content_asked, rule=rule
    )


def _contents_list(context: Context, rule: str) -> Answer:
    return contents.table(context.lib, context.query.text, rule=rule)


def _pages(context: Context, rule: str) -> Answer:
    return contents.clusters_with_pages(context.lib, context.query.text, rule=rule)


def _rank(context: Context, rule: str) -> Answer:
    q = context.query
    return rank.ranking(context.lib, q.text, q.asked.superlative, rule=rule)


def _by_stage(context: Context, rule: str) -> Answer:
    c = context.query.clusters
    selection = Selection(
        c.stage,
        c.status,
        excluded_stages=c.excluded_stages,
        excluded_statuses=c.excluded_statuses,
        excluded_clusters=c.excluded_names,
    )
    return listing.by_stage(context.lib, context.query.text, selection, rule=rule)


def _list_all(context: Context, rule: str) -> Answer:
    left_out = context.query.clusters.excluded_names
    return listing.by_stage(
        context.lib, context.query.text, Selection(excluded_clusters=left_out), rule=rule
    )


def _key_fields(context: Context, rule: str) -> Answer:
    return listing.key_fields(context.lib, context.query.text, rule=rule)


def _map(context: Context, rule: str) -> Answer:
    c = context.query.clusters
    return map_answer(
        context.lib, context.query.text, c.stage, c.status, c.fields.fields, rule=rule
    )


def _empty(context: Context, rule: str) -> Answer:
    return general.empty(context.lib, context.query.text, rule=rule)


def _faq(context: Context, rule: str) -> Answer:
    return general.faq_answer(context.query.text, context.hits[0], rule=rule)


def _figure(context: Context, rule: str) -> Answer:
    return premises.budget_verdict(context, programme.figure(context, rule))


def _about(context: Context, rule: str) -> Answer:
    return general.about(context.lib, context.query.text.cleaned, rule=rule)


def _help(context: Context, rule: str) -> Answer:
    return general.help_answer(context.lib, context.query.text.cleaned, rule=rule)


RULES: tuple[Rule, ...] = (
    Rule("empty", lambda c: c.query.act is Act.EMPTY, _empty),
    Rule("greeting", lambda c: c.query.act is Act.GREETING, _greeting),
    Rule(general.OFF_TOPIC_RULE, _off_topic, _decline_off_topic),
    Rule("premise", premises.presupposes_what_is_not, premises.premise),
    Rule("cluster_end", lambda c: asks_a_cluster_end(c.query), _cluster_end),
    Rule("not_in_sources", _missing_about_place, _missing),
    Rule("the_only_one", _claims_to_be_the_only_one, _the_only_one),
    Rule(
        "region", lambda c: bool(c.query.clusters.named) and not _says_what_a_text_says(c), _region
    ),
    Rule("each_run_by", programme.asks_who_runs_each, programme.who_runs_each),
    Rule("programme_runner", programme.asks_who_runs_it, programme.who_runs_it),
    Rule("organization", programme.asks_of_an_organization, programme.of_an_organization),
    Rule(
        "area_difference",
        lambda c: premises.asks_of_an_area(c) and arithmetic.asks_a_difference(c),
        arithmetic.difference,
    ),
    Rule("area_clusters", _asks_of_an_area_s_clusters, _area_s_clusters),
    Rule("set_organizations", _asks_who_runs_a_set, _set_s_organizations),
    Rule("area", premises.asks_of_an_area, premises.by_area),
    Rule("map", _asks_for_a_map, _map),
    Rule("contents_position", lambda c: _end_of_the_contents(c) is not None, _contents_position),
    Rule("contents_page", lambda c: c.query.asked.page_number is not None, _on_page),
    Rule("contents_section", _names_a_section, _section),
    Rule("contents_pages", _lists_pages, _pages),
    Rule("contents_list", _asks_for_the_contents, _contents_list),
    Rule("budget_split", arithmetic.asks_a_budget_split, arithmetic.budget_split),
    Rule("rate_times", arithmetic.asks_a_rate_times_clusters, arithmetic.rate_times_clusters),
    Rule("programme_figure", programme.asks_a_figure, _figure),
    Rule("unknown_place", _names_only_an_unknown_place, _unknown_place),
    Rule("programme_fate", programme.asks_fate, programme.fate),
    Rule("stage_end", programme.asks_stage_end, programme.stage_end),
    Rule("programme_start", programme.asks_start, programme.start),
    Rule("programme_names", programme.asks_names, programme.names),
    Rule(
        "programme_missing",
        lambda c: (
            programme.asks_missing_of_the_programme(c)
            # "how many companies took part?" is a count no FAQ entry gives
            and (not c.strong or c.query.time.when is When.NOW or "count" in c.query.cues)
        ),
        programme.missing_of_the_programme,
    ),
    Rule("set_budget", sets.asks_a_budget_of_a_set, sets.budget),
    Rule("set_contact", sets.asks_a_contact_of_a_set, sets.contact),
    Rule("share", arithmetic.asks_a_share, arithmetic.share),
    Rule("average", arithmetic.asks_an_average, arithmetic.average),
    Rule("difference", arithmetic.asks_a_difference, arithmetic.difference),
    Rule("stage_gap", arithmetic.asks_the_years_between_stages, arithmetic.years_between_stages),
    Rule("programme_span", arithmetic.asks_how_long_it_ran, arithmetic.how_long_it_ran),
    Rule("rank", lambda c: c.query.asked.superlative is not None, _rank),
    Rule("count_prefectures", _counts_prefectures, _prefectures_counted),
    Rule("count_terms", lambda c: sets.counted_kind(c) is not None, _terms_counted),
    Rule("count", _counts, sets.counted),
    Rule("by_field", _lists_by_field, sets.listed),
    Rule("by_stage", _lists_by_stage, _by_stage),
    Rule("list_all", _lists_everything, _list_all),
    Rule("page_not_listed", _asks_a_page_of_nothing_listed, _page_not_listed),
    Rule("relative_year", _a_year_relative_to_nothing, _decline),
    Rule("programme_overview", programme.asks_what_it_is, programme.what_it_is),
    Rule("faq", lambda c: c.strong and not _computes_past_the_faq(c), _faq),
    Rule("programme_topic", programme.asks_a_topic, programme.topic_answer),
    Rule("key_fields", _asks_the_key_fields, _key_fields),
    # "how do I use this bot?" asks for help, however well a sentence of the sources matches
    Rule("about", _plain("about"), _about),
    Rule("help", _plain("help"), _help),
    Rule("sources_say", programme.asks_the_sources, programme.the_sources_say),
    Rule("decline", lambda c: True, _decline),
)


def _said_of_now(context: Context, answer: Answer) -> Answer:
    """ "are the active clusters still running?": a listing by status asked of the present
    says what became of the programme since its sources."""
    query = context.query
    listing_intents = (Intent.BY_STAGE, Intent.BY_FIELD, Intent.COUNT)
    if query.time.when is not When.NOW or not query.clusters.status:
        return answer
    if answer.intent not in listing_intents or not answer.answered:
        return answer
    note = fate_note(context.lib)
    if note is None or note in answer.notes:
        return answer
    return replace(answer, notes=(*answer.notes, note))


def _of_the_kind_asked(context: Context, answer: Answer) -> Answer:
    """ "which cluster is listed first under the second stage?" asks for clusters: a text
    about the programme is no answer to it, however well its words match. Offered, not
    given."""
    query = context.query
    asks_for_clusters = query.mode is not Mode.YES_NO and context.asks_which_clusters
    if not asks_for_clusters or answer.rule not in ("faq", "sources_say") or not answer.answered:
        return answer
    return not_of_the_kind_asked(answer)


def _key_fields_corrected(context: Context, answer: Answer) -> Answer:
    """ "which of the 5 key fields did Hiroshima cover?": how many there are, said first."""
    claimed = context.query.asked.key_fields_claimed
    count = len(context.lib.kb.fields)
    if claimed is None or claimed == count:
        return answer
    correction = M.PREMISE_KEY_FIELDS(count=count, claimed=claimed)
    return replace(answer, summary=(correction, *answer.summary))


def _left_out_said(context: Context, answer: Answer) -> Answer:
    """ "second stage IT clusters other than Hamamatsu": the reply says whom it left out."""
    left_out = context.query.clusters.excluded_names
    if not left_out or not answer.answered or answer.intent not in LISTING_INTENTS:
        return answer
    clusters = distinct_names(context.lib.kb.cluster(c) for c in left_out)
    return replace(answer, notes=(*answer.notes, M.NOTE_LEFT_OUT(clusters=clusters)))


def evaluate(context: Context) -> Answer:
    """The answer of the first rule that applies (the last one always does), given as the
    answer only when the question's every content word is explained."""
    for rule in RULES:
        if rule.when(context):
            answer = premises.existence(context.query, rule.then(context, rule.name))
            answer = _of_the_kind_asked(context, answer)
            answer = _said_of_now(context, answer)
            answer = _key_fields_corrected(context, answer)
            answer = _left_out_said(context, answer)
            return covered(context.query, answer, context.faq, context.lib.kb.clusters_by_id)
    raise AssertionError("the decline rule always applies")  # pragma: no cover
