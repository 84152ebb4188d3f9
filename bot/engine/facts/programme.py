"""The programme itself, from programme.yaml: what became of it, when it began, its names, who
runs it, and its figures, with arithmetic over them shown step by step.

Every number stated is a sourced figure or computed from sourced figures, and the answer
says how ("500 million yen × 5 years"). A figure the sources do not give (a budget for
2008) is said to be missing, with the years they do give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.engine import messages as M
from bot.engine.answer import Answer, Fact, Intent, Msg, Ref
from bot.engine.citations import citation, citations
from bot.engine.facts.library import Library
from bot.engine.text import Text
from bot.kb.model import FaqEntry, Figure, SourceRef

PROGRAMME = Ref("programme", "name")
SUCCESSOR = Ref("programme", "successor")


def _answer(
    text: Text,
    *,
    rule: str,
    title: Msg,
    summary: Sequence[Msg],
    sources: Sequence[SourceRef | None],
    facts: Sequence[Fact] = (),
    answered: bool = True,
    intent: Intent = Intent.FAQ,
    notes: Sequence[Msg] = (),
    as_of: Msg | None = None,
) -> Answer:
    return Answer(
        question=text.cleaned,
        answered=answered,
        intent=intent,
        rule=rule,
        title=title,
        summary=tuple(summary),
        notes=tuple(notes),
        citations=citations(sources),
        facts=tuple(facts),
        confidence=1.0,
        as_of=as_of,
    )


def fate_note(lib: Library) -> Msg | None:
    """ "From fiscal 2010 the programme was folded into …": said beside anything the sources
    date before then, when the question asks about now."""
    successor = lib.kb.programme.successor
    if successor is None:
        return None
    return M.NOTE_NOW(year=successor.from_fiscal_year, programme=PROGRAMME, successor=SUCCESSOR)


def fate(lib: Library, text: Text, *, rule: str, answered: bool = True) -> Answer | None:
    """What became of the programme: the fiscal year it was folded into its successor, and
    that the sources describe it before then."""
    programme = lib.kb.programme
    successor = programme.successor
    if successor is None:
        return None
    lead = [
        M.PROGRAMME_FATE(year=successor.from_fiscal_year, programme=PROGRAMME, successor=SUCCESSOR),
        M.PROGRAMME_SOURCES_BEFORE(),
    ]
    if programme.started is not None:
        lead.insert(0, M.PROGRAMME_STARTED(year=programme.started, programme=PROGRAMME))
    fact = Fact(PROGRAMME, "successor", SUCCESSOR, citation(successor.source))
    return _answer(
        text,
        rule=rule,
        title=M.PROGRAMME_FATE_TITLE(programme=PROGRAMME),
        summary=lead,
        sources=(successor.source, programme.started_source),
        facts=(fact,),
        answered=answered,
    )


def started(lib: Library, text: Text, *, rule: str) -> Answer | None:
    """When the programme began, and when each of its stages began."""
    programme = lib.kb.programme
    if programme.started is None:
        return None
    stages = [s for s in lib.kb.stages.values() if s.started is not None]
    lead = [M.PROGRAMME_STARTED(year=programme.started, programme=PROGRAMME)]
    lead += [M.STAGE_STARTED(stage=Ref("stage", s.id), year=s.started) for s in stages]
    return _answer(
        text,
        rule=rule,
        title=M.PROGRAMME_STARTED_TITLE(programme=PROGRAMME),
        summary=lead,
        sources=(programme.started_source, *(s.source for s in stages)),
        facts=(Fact(PROGRAMME, "started", programme.started, citation(programme.started_source)),)
        if programme.started_source
        else (),
    )


def overview(lib: Library, text: Text, definition: FaqEntry, *, rule: str) -> Answer | None:
    """What the programme is: its names, who runs it and since when, then what a
    cluster is (the FAQ's definition), and what became of it since its sources."""
    programme = lib.kb.programme
    runner = programme.run_by
    if runner is None or programme.started is None or not programme.name_ja:
        return None
    organization = lib.kb.organizations[runner]
    note = fate_note(lib)
    facts = [
        Fact(PROGRAMME, "run_by", Ref("organization", runner), citation(s))
        for s in organization.sources[:1]
    ]
    if programme.started_source is not None:
        facts.append(
            Fact(PROGRAMME, "started", programme.started, citation(programme.started_source))
        )
    return _answer(
        text,
        rule=rule,
        title=M.PROGRAMME_OVERVIEW_TITLE(programme=PROGRAMME),
        summary=(
            M.PROGRAMME_OVERVIEW(
                english=programme.name,
                japanese=programme.name_ja,
                organization=Ref("organization", runner),
                year=programme.started,
            ),
            M.FAQ_ANSWER(entry=Ref("faq", definition.id)),
        ),
        notes=(note,) if note is not None else (),
        sources=(
            programme.names_source,
            *organization.sources[:1],
            programme.started_source,
            *definition.sources,
        ),
        facts=facts,
    )


def names(lib: Library, text: Text, *, rule: str) -> Answer | None:
    """The programme's name in English and in Japanese."""
    programme = lib.kb.programme
    if not (programme.name and programme.name_ja):
        return None
    lead = [M.PROGRAMME_NAMES(english=programme.name, japanese=programme.name_ja)]
    successor = programme.successor
    if successor is not None:
        lead.append(
            M.PROGRAMME_FATE(
                year=successor.from_fiscal_year, programme=PROGRAMME, successor=SUCCESSOR
            )
        )
    return _answer(
        text,
        rule=rule,
        title=M.PROGRAMME_NAMES_TITLE(),
        summary=lead,
        sources=(programme.names_source, successor.source if successor else None),
    )


def _figure_fact(figure: Figure) -> Fact:
    return Fact(
        PROGRAMME, figure.kind, figure.amount, citation(figure.source), str(figure.year or "")
    )


def budget(lib: Library, text: Text, years: Sequence[int], *, rule: str) -> Answer | None:
    """The budget of the years asked (or of every year given); a year without a figure is
    said to be missing, with the years the sources give."""
    programme = lib.kb.programme
    given = programme.figures_of("budget")
    if not given:
        return None
    wanted = [f for f in given if f.year in years] if years else list(given)
    missing = [y for y in years if all(f.year != y for f in given)]
    lead: list[Msg] = [M.FIGURE_BUDGET(year=f.year, amount=f.amount) for f in wanted]
    if missing:
        lead.insert(
            0,
            M.FIGURE_BUDGET_MISSING(
                years=tuple(missing), given=tuple(f.year for f in given if f.year)
            ),
        )
        if not wanted:
            lead += [M.FIGURE_BUDGET(year=f.year, amount=f.amount) for f in given]
    shown = wanted or list(given)
    sources = [f.source for f in shown]
    facts = [_figure_fact(f) for f in shown]
    yearly = programme.figure("per_region_per_year")
    project = programme.figure("project_years")
    if not years and yearly is not None and project is not None:
        # "what is the budget?": every year's, and what each region gets.
        rough = M.FIGURE_PER_REGION_ROUGHLY if yearly.approximate else M.FIGURE_PER_REGION
        lead.append(rough(amount=yearly.amount, years=project.amount))
        sources.append(yearly.source)
        facts.append(_figure_fact(yearly))
    return _answer(
        text,
        rule=rule,
        intent=Intent.NOT_IN_SOURCES if missing else Intent.BUDGET,
        title=M.FIGURE_BUDGET_TITLE(programme=PROGRAMME),
        summary=lead,
        sources=sources,
        facts=facts,
        answered=not missing,
    )


def _two_budgets(lib: Library, years: Sequence[int]) -> tuple[Figure, Figure] | None:
    """The first and last budgets of the years asked, when the sources give every one."""
    programme = lib.kb.programme
    found = [programme.figure("budget", y) for y in sorted(set(years))]
    figures = [f for f in found if f is not None]
    if len(figures) < 2 or len(figures) < len(found):
        return None
    return figures[0], figures[-1]


def _budgets_derived(text: Text, pair: tuple[Figure, Figure], derived: Msg, *, rule: str) -> Answer:
    """Two years' budgets and what is computed from them, with the computation shown."""
    old, new = pair
    return _answer(
        text,
        rule=rule,
        intent=Intent.BUDGET,
        title=M.FIGURE_BUDGET_TITLE(programme=PROGRAMME),
        summary=(
            M.FIGURE_BUDGET(year=old.year, amount=old.amount),
            M.FIGURE_BUDGET(year=new.year, amount=new.amount),
            derived,
        ),
        sources=(old.source, new.source),
        facts=(_figure_fact(old), _figure_fact(new)),
    )


def budget_change(lib: Library, text: Text, years: Sequence[int], *, rule: str) -> Answer | None:
    """How the budget changed between two years the sources give, computed and shown."""
    pair = _two_budgets(lib, years)
    if pair is None:
        return None
    old, new = pair
    difference = new.amount - old.amount
    percent = round(100 * difference / old.amount)
    change = M.DERIVED_CHANGE(
        old_year=old.year,
        new_year=new.year,
        difference=abs(difference),
        percent=abs(percent),
        direction=M.DIRECTION_UP() if difference >= 0 else M.DIRECTION_DOWN(),
    )
    return _budgets_derived(text, pair, change, rule=rule)


def budget_sum(lib: Library, text: Text, years: Sequence[int], *, rule: str) -> Answer | None:
    """The budgets of two years the sources give, added up and shown ("2003+2004 total")."""
    pair = _two_budgets(lib, years)
    if pair is None or len(set(years)) != 2:
        return None
    total = _of_the_two(pair, M.DERIVED_SUM, total=pair[0].amount + pair[1].amount)
    return _budgets_derived(text, pair, total, rule=rule)


def budget_mean(lib: Library, text: Text, years: Sequence[int], *, rule: str) -> Answer | None:
    """The average of two years' budgets the sources give, computed and shown."""
    pair = _two_budgets(lib, years)
    if pair is None:
        return None
    mean = _of_the_two(pair, M.DERIVED_MEAN, mean=(pair[0].amount + pair[1].amount) // 2)
    return _budgets_derived(text, pair, mean, rule=rule)


def _of_the_two(pair: tuple[Figure, Figure], derived: Callable[..., Msg], **result: int) -> Msg:
    """A figure derived from two years' budgets, said with both of them."""
    first, second = pair
    return derived(
        first_year=first.year,
        second_year=second.year,
        first=first.amount,
        second=second.amount,
        **result,
    )


def per_region(lib: Library, text: Text, *, total: bool, rule: str) -> Answer | None:
    """What one region gets a year, for how many years; with `total`, the sum over the
    project's years, computed and shown."""
    programme = lib.kb.programme
    yearly = programme.figure("per_region_per_year")
    years = programme.figure("project_years")
    if yearly is None:
        return None
    rough = yearly.approximate
    if years is None:
        lead: list[Msg] = [M.FIGURE_PER_REGION_YEARLY(amount=yearly.amount)]
    elif rough:
        lead = [M.FIGURE_PER_REGION_ROUGHLY(amount=yearly.amount, years=years.amount)]
    else:
        lead = [M.FIGURE_PER_REGION(amount=yearly.amount, years=years.amount)]
    facts = [_figure_fact(yearly)]
    sources = [yearly.source]
    if total and years is not None:
        derived = M.DERIVED_TOTAL_ROUGHLY if rough else M.DERIVED_TOTAL
        lead.append(
            derived(amount=yearly.amount, years=years.amount, total=yearly.amount * years.amount)
        )
        facts.append(_figure_fact(years))
        sources.append(years.source)
    return _answer(
        text,
        rule=rule,
        intent=Intent.BUDGET,
        title=M.FIGURE_PER_REGION_TITLE(),
        summary=lead,
        sources=sources,
        facts=facts,
    )


def regions_funded(lib: Library, text: Text, years: Sequence[int], *, rule: str) -> Answer | None:
    """How many regions a year's budget funds at what one region gets a year."""
    programme = lib.kb.programme
    yearly = programme.figure("per_region_per_year")
    budgets = [f for f in programme.figures_of("budget") if not years or f.year in years]
    if yearly is None or not budgets:
        return None
    budget = max(budgets, key=lambda f: f.year or 0)
    return _answer(
        text,
        rule=rule,
        intent=Intent.BUDGET,
        title=M.FIGURE_BUDGET_TITLE(programme=PROGRAMME),
        summary=(
            M.FIGURE_BUDGET(year=budget.year, amount=budget.amount),
            M.FIGURE_PER_REGION_YEARLY(amount=yearly.amount),
            M.DERIVED_QUOTIENT(
                year=budget.year,
                budget=budget.amount,
                amount=yearly.amount,
                count=budget.amount // yearly.amount,
            ),
        ),
        sources=(budget.source, yearly.source),
        facts=(_figure_fact(budget), _figure_fact(yearly)),
    )
