"""Queries about the programme as a whole: what became of it (and what "now" means for facts
dated before then), when it began, its names, its figures and arithmetic over them, and
facts the sources do not give about it at all.

The conditions read only the query; the answers come from `facts.programme`, built from
programme.yaml, so a knowledge base for another programme answers with its own facts.
"""

from __future__ import annotations

from dataclasses import replace

from bot.engine import messages as M
from bot.engine.answer import Answer, Fact, Intent, Msg, Ref
from bot.engine.citations import citation, citations, merge
from bot.engine.evaluation import sets
from bot.engine.evaluation.context import Context
from bot.engine.facts import programme as P
from bot.engine.facts.contact import organization_answer
from bot.engine.facts.general import about_entries, faq_answer
from bot.engine.faq import FaqHit
from bot.engine.reading.query import Query, When
from bot.engine.thresholds import FAQ_ANSWER, MAX_PASSAGES, PASSAGE_ANSWER, PASSAGE_NEAR_BEST

_SUBJECT_CUES = frozenset(
    "fields contact page location map count list contents rank most fewest compare".split()
)
_MONEY_CUES = frozenset({"budget", "per_region", "total", "change"})
# What, beside "per region", makes a question about a region's project ask for its figures
# (what it gets, for how many years) rather than for the clusters themselves.
_A_REGIONS_FIGURE = (_MONEY_CUES - {"per_region"}) | {"how_long"}


def _about_the_programme(context: Context) -> bool:
    """Nothing narrower than the programme is the subject: no cluster, place, stage or
    field, and nothing asked of clusters."""
    query = context.query
    clusters = query.clusters
    return not (
        clusters.names_a_place
        or clusters.has_filters
        or clusters.by_geography
        or query.asked.sections
        or query.cues & _SUBJECT_CUES
    )


def asks_fate(context: Context) -> bool:
    """ "what replaced it?", "when did the initiative end?", "is the programme still
    running?", "is MEXT still funding clusters?", "what happened after 2009?": what became
    of the programme."""
    query = context.query
    successor = context.lib.kb.programme.successor
    if successor is None:
        return False
    still = query.time.when is When.NOW
    if query.asked.programme_status or (still and query.is_yes_no and query.programme_subject):
        return not query.clusters.named
    if query.cues & _MONEY_CUES or not _about_the_programme(context):
        return False
    if "how_long" in query.cues and not query.is_yes_no:
        return False  # "how many years did it run before it was folded?": the span
    cued = bool(query.cues & {"fate", "end"}) or still
    later_year = any(y >= successor.from_fiscal_year - 1 for y in query.time.years)
    return (cued or later_year) and (query.programme or "fate" in query.cues)


def fate(context: Context, rule: str) -> Answer:
    """What became of it; asked why ("why was the programme stopped?"), that the sources
    give no reason, with what they do give."""
    reason = "reason" in context.query.asked.missing
    answer = P.fate(context.lib, context.query.text, rule=rule, answered=not reason)
    assert answer is not None  # asks_fate checked there is a successor
    if reason:
        answer = _instead(answer, M.MISSING_PROGRAMME["reason"](programme=P.PROGRAMME))
    return answer


def _instead(answer: Answer, missing: Msg) -> Answer:
    """Not the fact asked, which the sources lack (said first), but what they do give."""
    return replace(
        answer,
        answered=False,
        intent=Intent.NOT_IN_SOURCES,
        summary=(missing, *answer.summary),
    )


def asks_stage_end(context: Context) -> bool:
    """ "when will the second stage end?": an end date the sources do not give."""
    query = context.query
    clusters = query.clusters
    return (
        "end" in query.cues
        and clusters.stage is not None
        and clusters.status is None
        and not clusters.named
        and context.lib.kb.programme.successor is not None
    )


def stage_end(context: Context, rule: str) -> Answer:
    """No end date for the stage; what the sources do say of the programme's end."""
    stage = context.query.clusters.stage
    answer = P.fate(context.lib, context.query.text, rule=rule, answered=False)
    assert answer is not None
    return _instead(answer, M.STAGE_END_MISSING(stage=Ref("stage", stage)))


def asks_start(context: Context) -> bool:
    """ "when did it start?", "when did the KCI begin?": the programme's start (not why it
    was started: that is its purpose)."""
    query = context.query
    return (
        "start" in query.cues
        and "purpose" not in query.cues
        # "how many years between it starting and it being folded?": the span
        and not ("how_long" in query.cues and query.cues & {"fate", "end"})
        and (_about_the_programme(context) or _claims_a_stage_start(query))
        and context.lib.kb.programme.started is not None
    )


def _claims_a_stage_start(query: Query) -> bool:
    """ "did the second stage start in 2008?": a year claimed for a stage's start."""
    clusters = query.clusters
    return bool(
        query.is_yes_no
        and query.time.years
        and clusters.stage
        and not (clusters.names_a_place or clusters.fields or clusters.status)
        and not clusters.by_geography
    )


def start(context: Context, rule: str) -> Answer:
    answer = P.started(context.lib, context.query.text, rule=rule)
    assert answer is not None
    query = context.query
    if not (query.is_yes_no and query.time.years):
        return answer
    # "The initiative started in 2001, correct?": the year claimed, checked first; of a stage
    # when one is named ("did the second stage start in 2007?")
    kb = context.lib.kb
    stage = query.clusters.stage or next(iter(query.stages), None)
    began = kb.stages[stage].started if stage in kb.stages else kb.programme.started
    holds = began in query.time.years
    return replace(answer, summary=(M.CLAIM_YES() if holds else M.CLAIM_NO(), *answer.summary))


def asks_names(context: Context) -> bool:
    """ "what's the English name of 知的クラスター創成事業?", 「英語名は？」."""
    query = context.query
    return "name" in query.cues and query.programme and _about_the_programme(context)


def names(context: Context, rule: str) -> Answer:
    answer = P.names(context.lib, context.query.text, rule=rule)
    assert answer is not None
    return answer


def asks_of_a_regions_project(context: Context) -> bool:
    """A cluster noun, not the programme, is the subject ("how long does each project
    last?", 「各プロジェクトの期間は？」): a region's project, which programme.yaml's figures
    per region describe, not the programme as a whole."""
    return not context.query.programme_subject and context.names_a("cluster")


def _names_a_part(context: Context) -> bool:
    """The question names a part of the programme ("a region", "each cluster", 「各地域」),
    so a total asked is that part's, not the programme's."""
    if context.query.programme_subject:
        return False
    return context.distributes or context.names_a("cluster", "place")


def asks_a_figure(context: Context) -> bool:
    """The programme's money: a year's budget, what a region gets, a total or a change; or
    how long a region's project lasts."""
    query = context.query
    if not context.lib.kb.programme.figures:
        return False
    how_long_a_project = "how_long" in query.cues and asks_of_a_regions_project(context)
    if not (query.cues & {"budget", "per_region"} or how_long_a_project):
        return False
    if query.time.when is When.NOW and query.is_yes_no:
        return False  # "is MEXT still funding clusters?" asks what became of it
    if not query.cues & _A_REGIONS_FIGURE and query.cues & _SUBJECT_CUES:
        return False  # "what does each project work on" asks the clusters, not a figure
    clusters = query.clusters
    if sets.compares_clusters_by_money(context):
        return False  # the sources give no money per cluster: the set's budget rule says so
    return not (clusters.named or clusters.has_filters or clusters.by_geography)


def figure(context: Context, rule: str) -> Answer:
    query = context.query
    lib = context.lib
    cues = query.cues
    years = query.time.years
    answer = None
    budget_years = tuple(f.year for f in lib.kb.programme.figures_of("budget") if f.year)
    if "change" in cues and (len(years) >= 2 or len(budget_years) >= 2):
        # "how much did the budget grow?": between the years asked, else those given.
        answer = P.budget_change(
            lib, query.text, years if len(years) >= 2 else budget_years, rule=rule
        )
    elif "average" in cues and "budget" in cues and "per_region" not in cues and len(years) != 1:
        # "the average yearly budget of 2003 and 2004": the years asked, else those given.
        answer = P.budget_mean(
            lib, query.text, years if len(years) >= 2 else budget_years, rule=rule
        )
    elif "total" in cues and "budget" in cues and len(set(years)) >= 2:
        # "2003+2004 budget total": the two years' budgets added up.
        answer = P.budget_sum(lib, query.text, years, rule=rule)
    elif "count" in cues and "budget" in cues:
        # "how many regions could the 2004 budget fund?"
        answer = P.regions_funded(lib, query.text, years, rule=rule)
    elif (
        "total" in cues
        and "budget" in cues
        and not years
        and "per_region" not in cues
        and not _names_a_part(context)
    ):
        # "what was the total budget?": the programme's, which the sources do not give
        # (only some years' budgets, and a region's yearly amount).
        given = P.budget(lib, query.text, (), rule=rule)
        if given is not None:
            answer = _instead(given, M.MISSING_BUDGET_TOTAL(programme=P.PROGRAMME))
    elif (
        "per_region" in cues
        or ("total" in cues and not years)
        or ("how_long" in cues and asks_of_a_regions_project(context))
    ):
        answer = P.per_region(lib, query.text, total="total" in cues, rule=rule)
        budgets = P.budget(lib, query.text, years, rule=rule) if years else None
        if answer is not None and budgets is not None and "budget" in cues:
            # "the budget in 2003 and 2004, and roughly how much did each region get?"
            answer = replace(
                answer,
                summary=(*budgets.summary, *answer.summary),
                citations=merge((*budgets.citations, *answer.citations)),
                facts=(*budgets.facts, *answer.facts),
            )
    if answer is None and query.time.when is When.NOW and not years:
        # "what is the budget now?": no figure is that late; the figures the sources give.
        answer = P.budget(lib, query.text, (), rule=rule)
        if answer is not None:
            answer = _instead(answer, M.MISSING_BUDGET_PROGRAMME())
    if answer is None:
        answer = P.budget(lib, query.text, years, rule=rule)
    assert answer is not None  # asks_a_figure checked there are figures
    return answer


def asks_missing_of_the_programme(context: Context) -> bool:
    """ "how many patents did the clusters produce?", 「今からでも参加できますか」: a fact the
    sources give for no cluster and not for the programme either."""
    query = context.query
    clusters = query.clusters
    # "how many companies took part in total?": a count of what the sources do not give; a
    # total of money is the budget's rules' to answer.
    money = query.cues & (_MONEY_CUES - {"total"}) or (
        "total" in query.cues and "count" not in query.cues
    )
    return bool(query.asked.missing) and not clusters.named and not money


def missing_of_the_programme(context: Context, rule: str) -> Answer:
    query = context.query
    facts = [f for f in query.asked.missing if f != "budget_year"]
    lead = [M.MISSING_PROGRAMME[fact](programme=P.PROGRAMME) for fact in facts]
    notes = []
    if query.time.when is When.NOW:
        note = P.fate_note(context.lib)
        if note is not None:
            notes.append(note)
    return Answer(
        question=query.text.cleaned,
        answered=False,
        intent=Intent.NOT_IN_SOURCES,
        rule=rule,
        title=M.MISSING_PROGRAMME_TITLE(programme=P.PROGRAMME),
        summary=(*lead, M.MISSING_KNOWN()),
        notes=tuple(notes),
        suggestions=tuple(Ref("faq", hit.entry.id) for hit in context.hits[:2]),
        confidence=1.0,
    )


def asks_who_runs_it(context: Context) -> bool:
    """ "who runs the program?", "which ministry ran it?": the organization running the
    programme."""
    query = context.query
    runner = context.lib.kb.programme.run_by
    names_it = query.programme or runner in query.organizations
    return (
        runner is not None
        and "organization" in query.asked.details
        and names_it
        and not query.clusters.named
        # "who implements each regional project, MEXT itself?": each region's core
        # organization, not the programme's runner
        and not context.distributes
    )


def asks_who_runs_each(context: Context) -> bool:
    """ "who implemented the projects on the ground in each region?", "who runs each
    cluster?": what runs a cluster, in general (faq.yaml's `each_run_by` entry), not the
    programme's runner nor one cluster's organization."""
    query = context.query
    clusters = query.clusters
    return (
        "organization" in query.asked.details
        and context.distributes
        and not clusters.names_a_place
        and not clusters.by_geography
        and not clusters.has_filters
        and bool(context.lib.faq_with_role("each_run_by"))
    )


def who_runs_each(context: Context, rule: str) -> Answer:
    [entry, *_] = context.lib.faq_with_role("each_run_by")
    return faq_answer(context.query.text, FaqHit(entry, FAQ_ANSWER), rule=rule)


# "which MEXT office was in charge?", 「どの部署が担当？」: the office asked too, which the
# runner's card gives.
_OFFICE_WORDS = frozenset({"office", "department", "division", "bureau", "section", "desk"})
_JA_OFFICE_WORDS = ("部署", "担当課", "部局", "窓口")


def who_runs_it(context: Context, rule: str) -> Answer:
    runner = context.lib.kb.programme.run_by
    assert runner is not None
    text = context.query.text
    office = bool(set(text.tokens) & _OFFICE_WORDS) or any(
        w in text.compact for w in _JA_OFFICE_WORDS
    )
    lead = [M.RUN_BY(programme=P.PROGRAMME, organization=Ref("organization", runner))]
    # "the email address of the MEXT office that ran it": that detail, said when missing
    asked = tuple(d for d in context.query.asked.details if d != "organization")
    details = (*asked, "organization") if office or asked else ()
    return organization_answer(context.lib, text, (runner,), details, rule=rule, lead=lead)


def asks_of_an_organization(context: Context) -> bool:
    """ "MEXT's phone number", 「文科省の担当部署は？」: the contact of an organization that is
    no cluster's core organization."""
    query = context.query
    return bool(query.organizations) and not query.clusters.named and "contact" in query.cues


def of_an_organization(context: Context, rule: str) -> Answer:
    query = context.query
    return organization_answer(
        context.lib, query.text, query.organizations, query.asked.details, rule=rule
    )


# Cues that ask nothing more of a programme named than what it is: "explain the program",
# "chiteki kurasutaa sousei jigyou tte nani?", "yo, the KCI?".
_WHAT_IT_IS_CUES = frozenset({"overview", "content", "greeting"})


def asks_what_it_is(context: Context) -> bool:
    """The programme named, by any of its names, and nothing asked of it but what it is."""
    query = context.query
    return (
        query.programme
        and not query.is_yes_no
        and query.cues <= _WHAT_IT_IS_CUES
        and not query.unexplained
        and not query.asked.missing
        and _about_the_programme(context)
        and bool(about_entries(context.lib))
        # what a strong FAQ entry answers ("how does the program work?") is its to answer
        and (not context.strong or context.hits[0].entry == about_entries(context.lib)[0])
    )


def what_it_is(context: Context, rule: str) -> Answer:
    """What the programme is: the first of the entries /about is made of (faq.yaml's
    order), as any FAQ entry is given."""
    entry = about_entries(context.lib)[0]
    answer = P.overview(context.lib, context.query.text, entry, rule=rule)
    return answer or faq_answer(context.query.text, FaqHit(entry, 1.0), rule=rule)


def _topic_entry(context: Context):
    """The FAQ entry whose topic a cue of the question names ("what was it trying to
    achieve?": purpose), the first of faq.yaml's when several have it (the file puts an
    entry before those that add to it); None when no cue names one, or several do."""
    query = context.query
    entries = context.faq.entries
    named = {e.topic for e in entries} & query.cues
    if len(named) != 1:
        return None
    [topic] = named
    return next(e for e in entries if e.topic == topic)


def asks_a_topic(context: Context) -> bool:
    """ "in a sentence or two, what was it trying to achieve?" about the programme: every
    word read, a cue naming one FAQ topic, but too few of the entry's own words for the
    search to be sure of it."""
    query = context.query
    return (
        (query.programme or query.programme_subject)
        and not query.is_yes_no
        and not query.unexplained
        and not query.asked.missing
        and _about_the_programme(context)
        and _topic_entry(context) is not None
    )


def topic_answer(context: Context, rule: str) -> Answer:
    entry = _topic_entry(context)
    assert entry is not None
    return faq_answer(context.query.text, FaqHit(entry, FAQ_ANSWER), rule=rule)


def quoted_passages(context: Context) -> list:
    """The sources' sentences that answer a question about the programme no FAQ entry fits:
    those scoring enough, close to the best, whose words explain the question's."""
    query = context.query
    names = query.clusters.names
    if context.strong or names.cluster_ids or names.unclustered or not query.text.cleaned.isascii():
        return []
    if not _about_the_programme(context) and not names.near_misses:
        return []
    index = context.lib.passages
    hits = index.search(query.text)
    if not hits or hits[0].score < PASSAGE_ANSWER:
        return []
    best = hits[0].score
    kept = [h for h in hits if h.score >= max(PASSAGE_ANSWER, best * PASSAGE_NEAR_BEST)]
    unexplained = [
        word for word in query.unexplained if not any(index.explains(h.passage, word) for h in kept)
    ]
    return [] if unexplained else kept[:MAX_PASSAGES]


def asks_the_sources(context: Context) -> bool:
    return bool(quoted_passages(context))


def the_sources_say(context: Context, rule: str) -> Answer:
    hits = quoted_passages(context)
    return Answer(
        question=context.query.text.cleaned,
        answered=True,
        intent=Intent.FAQ,
        rule=rule,
        title=M.PASSAGES_TITLE(),
        summary=tuple(M.QUOTE(text=h.passage.text) for h in hits),
        citations=citations(h.passage.source for h in hits),
        facts=tuple(
            Fact(P.PROGRAMME, "source_text", h.passage.text, citation(h.passage.source))
            for h in hits
        ),
        confidence=hits[0].score,
    )
