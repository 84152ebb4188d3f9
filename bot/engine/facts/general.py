"""Answers that name no cluster: FAQ entries, about, help, and the declines."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import messages as M
from bot.engine.answer import COMMANDS, Answer, Fact, Intent, Msg, Param, Ref, Section
from bot.engine.citations import citation, citations
from bot.engine.facts.library import Library
from bot.engine.faq import FaqHit
from bot.engine.reading.query import Query
from bot.engine.text import Text
from bot.engine.thresholds import FAQ_SUGGEST, MAX_SUGGESTIONS
from bot.kb.model import FaqEntry

# A reply that is not an answer has no title (a decline): the lead says it all.
NO_TITLE = M.TEXT(text="")
# The FAQ topics /about is made of, in order.
EMPTY_EXAMPLES = 3  # examples shown for an empty question


def faq_section(entry: FaqEntry) -> Section:
    ref = Ref("faq", entry.id)
    return Section(M.FAQ_QUESTION(entry=ref), (M.FAQ_ANSWER(entry=ref),))


def faq_facts(entries: Sequence[FaqEntry]) -> tuple[Fact, ...]:
    return tuple(
        Fact(Ref("faq", e.id), "answer", Ref("faq", e.id), citation(e.sources[0]))
        for e in entries
        if e.sources
    )


def faq_answer(query: Text, hit: FaqHit, *, rule: str) -> Answer:
    entry = hit.entry
    ref = Ref("faq", entry.id)
    return Answer(
        question=query.cleaned,
        answered=True,
        intent=Intent.BUDGET if "budget" in entry.roles else Intent.FAQ,
        rule=rule,
        title=M.FAQ_QUESTION(entry=ref),
        summary=(M.FAQ_ANSWER(entry=ref),),
        # Budget figures are the 2004 overview's: said every time they are given.
        notes=(M.NOTE_BUDGET_FIGURES(),) if "budget" in entry.roles else (),
        matches=(entry.id,),
        citations=citations(entry.sources),
        facts=faq_facts((entry,)),
        confidence=hit.score,
        as_of=M.AS_OF_EDITION() if "dated" in entry.roles else None,
    )


def about_entries(lib: Library) -> list[FaqEntry]:
    """The FAQ entries /about is made of: those with the role `about`, in file order."""
    return lib.faq_with_role("about")


def about(lib: Library, question: str = "", *, rule: str = "command.about") -> Answer:
    """A few sentences: what a Knowledge Cluster is (the FAQ's definition, as the sources
    word it) and what the bot knows; the other topics are offered as next steps."""
    entries = about_entries(lib)[:1]
    kb = lib.kb
    lead = [M.FAQ_ANSWER(entry=Ref("faq", e.id)) for e in entries]
    lead.append(
        M.ABOUT_SUMMARY(clusters=len(kb.clusters), stages=len(kb.stages), fields=len(kb.fields))
    )
    return Answer(
        question=question,
        answered=True,
        intent=Intent.ABOUT,
        rule=rule,
        title=M.ABOUT_TITLE(),
        summary=tuple(lead),
        matches=tuple(e.id for e in entries),
        citations=citations([*(ref for e in entries for ref in e.sources), *lib.contents[:1]]),
        facts=faq_facts(entries),
        confidence=1.0,
        as_of=M.AS_OF_EDITION(),
    )


def help_answer(lib: Library, question: str = "", *, rule: str = "command.help") -> Answer:
    """How to ask: one paragraph and the commands; the examples are next steps (buttons
    that ask them, or a line to copy in plain text)."""
    return Answer(
        question=question,
        answered=True,
        intent=Intent.HELP,
        rule=rule,
        title=M.HELP_TITLE(),
        summary=(M.HELP_SUMMARY(clusters=len(lib.kb.clusters), topics=len(lib.kb.faq)),),
        sections=(
            Section(
                M.HELP_COMMANDS_HEADING(),
                tuple(line() for line in M.HELP_COMMANDS),
                style=COMMANDS,
            ),
        ),
        confidence=1.0,
    )


def examples(lib: Library, count: int) -> tuple[Ref, ...]:
    """The first example questions of programme.yaml, as references a reply offers."""
    return tuple(Ref("example", e.id) for e in lib.kb.programme.examples[:count])


def empty(lib: Library, query: Text, *, rule: str = "empty") -> Answer:
    offered = examples(lib, EMPTY_EXAMPLES)
    return Answer(
        question=query.cleaned,
        answered=False,
        intent=Intent.EMPTY,
        rule=rule,
        title=M.EMPTY_TITLE(),
        summary=(M.EMPTY_SUMMARY(),),
        suggestions=offered,
    )


def greeting(lib: Library, query: Text, *, rule: str = "greeting") -> Answer:
    """A greeting or thanks alone: greet back with examples; nothing was asked or answered."""
    offered = examples(lib, EMPTY_EXAMPLES)
    return Answer(
        question=query.cleaned,
        answered=False,
        intent=Intent.GREETING,
        rule=rule,
        title=M.GREETING_TITLE(),
        summary=(M.GREETING_SUMMARY(),),
        suggestions=offered,
        confidence=1.0,
    )


OFF_TOPIC_RULE = "off_topic"


def off_topic(query: Text, *, rule: str = OFF_TOPIC_RULE) -> Answer:
    """A place named for its food, weather, sport or travel: not this bot's subject, and no
    FAQ entry is offered as if it were close."""
    return Answer(
        question=query.cleaned,
        answered=False,
        intent=Intent.OUT_OF_DOMAIN,
        rule=rule,
        title=NO_TITLE,
        summary=(M.DECLINE_OFF_TOPIC(),),
        confidence=1.0,
    )


def decline(lib: Library, query: Query, hits: Sequence[FaqHit], *, rule: str) -> Answer:
    """Not an answer: a near-missed or unclustered place gets "did you mean", anything else
    is out of the domain, with the FAQ entries that came closest as suggestions."""
    misses = query.clusters.names.near_misses
    suggestions: list[Param] = [m.target.label for m in misses]
    suggestions += [Ref("faq", h.entry.id) for h in hits if h.score >= FAQ_SUGGEST]
    suggestions = list(dict.fromkeys(suggestions))[:MAX_SUGGESTIONS]
    unclustered = query.clusters.names.unclustered
    # Only a near-missed place name and grammar words: the user meant a region.
    region_like = bool(misses or unclustered) and set(query.leftover) <= {
        w for m in misses for w in m.text.split()
    }
    lead: list[Msg] = []
    if region_like:
        # The question is the title ("Did you mean Kyoto?"); the lead says why it is asked.
        if unclustered:
            lead.append(M.DECLINE_UNCLUSTERED(places=unclustered, count=len(unclustered)))
        else:
            lead.append(M.DECLINE_UNKNOWN_CLUSTER(typed=misses[0].text))
        if misses:
            targets = tuple(m.target.label for m in misses[:MAX_SUGGESTIONS])
            title = M.DECLINE_DID_YOU_MEAN(targets=targets)
        else:
            title = M.DECLINE_TITLE_CLARIFY()
        intent = Intent.CLARIFY
        confidence = misses[0].score / 100 if misses else 0.0
    else:
        # Not an answer, and laid out as none: no title, only what the bot does answer.
        lead.append(M.DECLINE_OUT_OF_DOMAIN(count=len(lib.kb.clusters)))
        if suggestions:
            lead.append(M.DECLINE_SEE_SUGGESTIONS())
        title, intent = NO_TITLE, Intent.OUT_OF_DOMAIN
        confidence = hits[0].score if hits else 0.0
    return Answer(
        question=query.text.cleaned,
        answered=False,
        intent=intent,
        rule=rule,
        title=title,
        summary=tuple(lead),
        suggestions=tuple(suggestions),
        confidence=round(confidence, 3),
    )


def clarify(
    question: str, title: Msg, lead: Sequence[Msg], suggestions: Sequence[Param], *, rule: str
) -> Answer:
    """An option the user typed that names nothing known (a region, stage or field)."""
    return Answer(
        question=question,
        answered=False,
        intent=Intent.CLARIFY,
        rule=rule,
        title=title,
        summary=tuple(lead),
        suggestions=tuple(suggestions),
    )
