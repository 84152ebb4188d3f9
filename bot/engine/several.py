"""Several questions in one message: "What is a knowledge cluster, and how many are there?",
"京都と金沢の分野は？まだ実施中ですか？".

A message is cut into clauses at sentence ends and at a conjunction that starts a new
question ("..., and are they still running?"). A clause that asks about clusters without
naming any ("are they still running?") is about the clusters of the clause before it, so
its question is added to that clause's. Each remaining clause is answered on its own and
the answers are put together, each part with its own sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Msg, Section
from bot.engine.citations import merge
from bot.engine.cues import read_cues
from bot.engine.facts.general import NO_TITLE, OFF_TOPIC_RULE
from bot.engine.reading.query import WH_WORDS, Mode, Query
from bot.engine.text import Text
from bot.engine.thresholds import MAX_SUGGESTIONS

_SENTENCE_END = re.compile(r"(?<=[?？。!！])\s*")
# A full stop ends a sentence after a word or a year ("…for school. What fields…"), not
# after an abbreviation or a short number ("Mr. Saito", "p. 54", "No. 5", "etc."). Only a
# statement before it is cut off so (the asker's setting): "Kyoto fields. and its stage?"
# stays one question, as a full stop is too weak a sign to make two.
_FULL_STOP = re.compile(
    r"(?:(?<=[A-Za-z]{3}\.)|(?<=\d{4}\.))(?<!etc\.)(?<![Pp]rof\.)(?<!Inc\.)\s+(?=\S)"
)
# "(1) what is … (2) which …", "1. … 2. …", "①…②…": numbered questions.
_NUMBERED = re.compile(
    r"\s*(?:\(\d{1,2}\)|（\d{1,2}）|(?<!\S)\d{1,2}[.)](?=\s)|[①-⑳]|\([a-e]\)|(?<!\S)[a-e]\)(?=\s))\s*"
)
_NEW_QUESTION = re.compile(
    r"(?:(?:[,、]\s*|\s+)(?:and|also|plus)\s+|[,、]\s*)(?=(?:what|whats|what's|how|who|whom|when|where|"
    r"which|is|are|was|were|does|do|did|can|could|has|have)\b)",
    re.IGNORECASE,
)
# Intents that ask about clusters: a clause with one and no cluster is a follow-up.
_ABOUT_CLUSTERS = frozenset("fields contact page budget stage location".split())
_DROPPED = (Intent.GREETING, Intent.EMPTY)


# A clause starting with an auxiliary is a new question only when its own subject follows
# ("…, and are they still running?"); "…still active and do life sciences?" has none: it
# goes on saying what the clusters of the first clause are.
_AUXILIARIES = frozenset("is are was were does do did can could has have".split())
_SUBJECTS = frozenset(
    "they it there these those the this that its their any a an each all you we i".split()
)


# A title quoted in the question ("「知的クラスターとは？」は何ページ？") is one name, whatever
# marks are in it.
_QUOTED = re.compile(r"「[^」]*」|“[^”]*”|\"[^\"]*\"")
_QUOTED_MARKS = str.maketrans({"?": "\ue000", "？": "\ue001", "!": "\ue002", "！": "\ue003"})
_MARKS_BACK = str.maketrans({v: k for k, v in _QUOTED_MARKS.items()})


def clauses(text: str, is_name: Callable[[str], bool] = lambda word: False) -> list[str]:
    """The message's questions, in order (the whole text when it is one). `is_name` says
    whether a word names a place or cluster (a subject: "…, and is Ube active?")."""
    shielded = _QUOTED.sub(lambda m: m.group(0).translate(_QUOTED_MARKS), text)
    return [piece.translate(_MARKS_BACK) for piece in _clauses(shielded, is_name)]


def _clauses(text: str, is_name: Callable[[str], bool]) -> list[str]:
    pieces: list[str] = []
    for numbered in _NUMBERED.split(text):
        for part in _SENTENCE_END.split(numbered):
            for piece in _NEW_QUESTION.split(part):
                joins = not _SENTENCE_END.search(pieces[-1]) if pieces else False
                if pieces and _goes_on(piece, is_name) and (joins or _the_other_case(piece)):
                    pieces[-1] = f"{pieces[-1].rstrip()} and {piece.strip()}"
                else:
                    pieces.append(piece)
    pieces = [p.strip() for p in pieces if p and p.strip(" ?？。!！,、")]
    return _with_leading_phrases(pieces)


# "In the contents, which cluster is listed first?", "For Kyoto, what fields…": a short
# phrase opening with a preposition, before a comma, frames the question after it.
_FRAMING = frozenset(
    "in for as about regarding on among from within according of at with if given assuming".split()
)
_FRAME_WORDS = 5
_CONDITIONS = frozenset({"if", "assuming", "suppose", "supposing"})


def _with_leading_phrases(pieces: list[str]) -> list[str]:
    joined: list[str] = []
    carried = ""
    for piece in pieces:
        words = piece.split()
        framing = (
            words
            and words[0].casefold() in _FRAMING
            and len(words) <= _FRAME_WORDS
            and not _SENTENCE_END.search(piece)
        )
        # "if you split the 2004 budget evenly, how much would each get?": a condition,
        # however long, is part of the question after it.
        condition = words and words[0].casefold() in _CONDITIONS and not _SENTENCE_END.search(piece)
        if (framing or condition) and piece is not pieces[-1]:
            carried = f"{carried}{piece.rstrip(' ,、')}, "
            continue
        joined.append(f"{carried}{piece}")
        carried = ""
    return joined


def _the_other_case(piece: str) -> bool:
    """ "If not, which clusters did?", "if so, which?", "otherwise?"."""
    opening = [w.casefold().strip(",?") for w in piece.split()[:2]]
    return opening in (["if", "not"], ["if", "so"]) or opening[:1] == ["otherwise"]


def _goes_on(piece: str, is_name: Callable[[str], bool]) -> bool:
    """An auxiliary with no subject of its own: a second predicate of the same question;
    "…, and by how many?": the same question's measure."""
    words = piece.split()
    # "…, and by how many?"; "…? If not, which clusters did?": the same question, its measure
    # or its other case.
    if [w.casefold() for w in words[:2]] == ["by", "how"] or _the_other_case(piece):
        return True
    if len(words) < 2 or words[0].casefold() not in _AUXILIARIES:
        return False
    typed = words[1].strip(",.?!")
    # "IT" in capitals is the field, not the pronoun.
    pronoun = typed.casefold() in _SUBJECTS and not (typed.isupper() and len(typed) > 1)
    return not pronoun and not is_name(typed.casefold())


def follows_on(query: Query) -> bool:
    """A clause asking about clusters it does not name ("are they still running?", "what
    page is it on?"). A stage or status word in it is the question asked (a yes/no one),
    not a filter."""
    clusters = query.clusters
    # "ube & tokushima: same field? both active?": "both" is the clusters just named.
    of_them = query.text.tokens[:1] in (("both",), ("either",), ("each",))
    about_them = query.status_word or of_them
    return (
        not clusters.named
        and not query.programme  # "…, and who runs the program?" asks of the programme
        and not clusters.fields.fields
        and (about_them or not (clusters.stage or clusters.status))
        and (bool(query.cues & _ABOUT_CLUSTERS) or about_them)
        and not query.leftover
    )


def _in_parentheses(clause: Query) -> bool:
    text = clause.text.cleaned.strip()
    return text.startswith(("(", "（")) and text.rstrip(" ?？.。").endswith((")", "）"))


def _qualified(question: Query, remark: Query) -> Query:
    """The question with the constraints a remark in parentheses adds (those it has not
    got), and the remark's unread words."""
    clusters, extra = question.clusters, remark.clusters
    narrowed = replace(
        clusters,
        stage=clusters.stage or extra.stage,
        status=clusters.status or extra.status,
        fields=clusters.fields if clusters.fields.fields else extra.fields,
    )
    return _unexplained_too(replace(question, clusters=narrowed), remark.unexplained)


def _only_a_question_word(clause: Query) -> bool:
    """ "and when?", "since when?": the question word alone, asking when of what the
    question before it asked (whose answer says when)."""
    tokens = [t for t in clause.text.tokens if t not in _JOINS_AND_SINCE]
    return tokens == ["when"] and not clause.cues - _WH_CUES


_JOINS_AND_SINCE = frozenset({"and", "also", "so", "since", "then", "but"})
# "when" only: the answers it joins give their dates; "and why?" asks something else
_WH_CUES = frozenset({"start", "stage"})


def _a_guess_at(question: Query, clause: Query) -> bool:
    """A clause that asks nothing new: no question word or auxiliary of its own, nothing
    named, and only what the question before it asked ("… some kind of admin body?",
    "… MEXT itself?")."""
    tokens = clause.text.tokens
    if not tokens or tokens[0] in _ASKING_STARTS or not clause.text.cleaned.isascii():
        return False
    clusters = clause.clusters
    return (
        bool(clause.cues)
        and clause.cues <= question.cues
        and not (clusters.names_a_place or clusters.has_filters or clause.programme)
        and not set(clause.organizations) - set(question.organizations)
    )


def joined(previous: Query, clause: Query) -> Query:
    """The earlier clause asking the later clause's question too."""
    asked = previous.asked
    return replace(
        previous,
        asked=replace(
            asked,
            cues=asked.cues | clause.cues,
            # "who is the core organisation, and what is the fax?": both details (a clause
            # that asked none, "and the hokkaido one? 住所も", leaves them to the follow-up)
            details=(
                tuple(dict.fromkeys((*asked.details, *clause.asked.details)))
                if asked.details
                else asked.details
            ),
            status=(
                asked.status
                or "stage" in clause.cues
                or clause.status_word
                or bool(clause.clusters.status or clause.clusters.stage)
            ),
            missing=(*asked.missing, *clause.asked.missing),
        ),
    )


def says_nothing(query: Query) -> bool:
    """A clause with nothing recognised in it: "please", "hi!", "one question:"; its words
    unexplained, if any, are still the message's (see `queries`)."""
    clusters = query.clusters
    return (
        query.cues <= {"greeting", "not"}  # "never heard of it": a negation alone asks nothing
        and not (clusters.fields.fields or clusters.stage or clusters.status or query.status_word)
        and not clusters.names_a_place
        and query.asked.page_number is None
        and not query.asked.sections
        # 「知的クラスター創成事業ってどんな事業？」 names the programme: it asks what it is
        and not query.programme
        and not query.organizations
    )


# "… my prof wants the headline number — what was the 2004 budget?": a spaced long dash
# ends the asker's setting as a full stop does (a hyphen sets out a topic instead: "the 9
# billion yen in 2004 - was that what each region got?").
_SETTING_DASH = re.compile(r"\s+[—―]\s+")


_FIRST_PERSON = frozenset({"i", "im", "my", "me", "we", "our", "us"})


def _about_the_asker_before_a_dash(text: str) -> re.Match[str] | None:
    """The long dash after a statement about the asker ("my prof wants the headline number
    — …"); "the one in kyushu — what's its core organization?" names what is asked of."""
    dash = _SETTING_DASH.search(text)
    if dash is None or not _FIRST_PERSON & set(Text.parse(text[: dash.start()]).tokens):
        return None
    return dash


def has_full_stop(text: str) -> bool:
    return _FULL_STOP.search(text) is not None or _about_the_asker_before_a_dash(text) is not None


def setting(
    texts: Sequence[str],
    parse: Callable[[str], Query],
    is_name: Callable[[str], bool] = lambda word: False,
) -> tuple[Query | None, list[Query]]:
    """The message's clauses, each parsed, and the asker's setting when it opens with one:
    "Hello, I am a researcher visiting Tokushima next month. Is there a cluster…?",
    "Doing a write-up on MEXT's cluster programme. What was it trying to achieve?". A
    statement before questions asks nothing: it is not answered and its words are not read
    as the question's, but what it names is what the questions' pronouns mean."""
    first, rest = texts[0], list(texts[1:])
    stop = _FULL_STOP.search(first) or _about_the_asker_before_a_dash(first)
    if stop is not None:
        told = parse(first[: stop.start()])
        after = [parse(text) for text in [*clauses(first[stop.end() :], is_name), *rest]]
        if _a_setting(told, after[0]):
            return replace(told, unexplained=()), after
    everything = [parse(text) for text in texts]
    if len(everything) < 2 or not _a_setting(everything[0], everything[1]):
        return None, everything
    return replace(everything[0], unexplained=()), everything[1:]


def _a_setting(query: Query, question: Query) -> bool:
    """A statement, with no claim to be checked ("Since the Nagano cluster has already
    ended, is there a successor?" says something false of it), and not the subject the
    question after it asks about ("the Sendai cluster's core organization. the phone
    number?" is one question, as a clause asking of no cluster always is)."""
    claims = query.clusters.has_filters or query.status_word or query.asked.status
    # (With a pronoun of its own, the question reads the setting's subject as a follow-up.)
    of_it = query.clusters.named and follows_on(question) and not read_cues(question.text).pronoun
    return _a_statement(query) and not claims and not of_it


def queries(everything: Sequence[Query]) -> list[Query]:
    """The message's questions. A clause that says nothing known is dropped, but the words
    in it nothing explained go with the question before it (or the first one): "what fields
    does Kyoto cover? zorblat" is not answered as if "zorblat" were not there."""
    grouped: list[Query] = []
    # An aside is the asker's context: neither answered nor read for unknown words.
    everything = [q for position, q in enumerate(everything) if not (position and _an_aside(q))]
    everything = _exclusions_applied(everything)
    meaningful = [q for q in everything if not says_nothing(q)] or everything[:1]
    kept = {id(q) for q in meaningful}
    unread: list[str] = []
    for query in everything:
        if id(query) not in kept:
            if grouped:
                grouped[-1] = _unexplained_too(grouped[-1], query.unexplained)
            else:
                unread += query.unexplained
            continue
        if unread:
            query, unread = _unexplained_too(query, unread), []
        if grouped and _in_parentheses(query):
            # "how many clusters are in the 2008 edition? (both stages, active and ended)":
            # a remark on the question before it, its constraints that question's
            grouped[-1] = _qualified(grouped[-1], query)
            continue
        if grouped and _only_asks_for_all(query):
            # "IT系のクラスターってどこ？全部教えて": all of what was just asked for.
            grouped[-1] = _unexplained_too(grouped[-1], query.unexplained)
            continue
        # (of an organization too: "MEXT contact - which office and what extension?")
        subject = grouped and (grouped[-1].clusters.named or grouped[-1].organizations)
        if subject and follows_on(query) and not query.organizations:
            grouped[-1] = joined(grouped[-1], query)
        elif grouped and _only_a_question_word(query):
            # "Which Basic Plan asked for selective support …, and when?": when too, of it
            continue
        elif grouped and _a_guess_at(grouped[-1], query):
            # "who ran each project? some kind of admin body?": the asker's guess at the
            # answer, which the answer confirms or corrects
            grouped[-1] = _unexplained_too(grouped[-1], query.unexplained)
        else:
            grouped.append(query)
    return grouped


def _exclusions_applied(everything: Sequence[Query]) -> list[Query]:
    """ "other than Hamamatsu, which second stage clusters cover nanotech?": a clause that
    only leaves clusters out is said of the question after it (or, last, before it)."""
    kept: list[Query] = []
    pending: tuple[str, ...] = ()
    for query in everything:
        clusters = query.clusters
        if clusters.excluded_names and not clusters.named and query.cues <= _EXCLUSION_CUES:
            pending += clusters.excluded_names
            continue
        kept.append(_leaving_out(query, pending) if pending else query)
        pending = ()
    if not kept:
        return list(everything)
    if pending:
        kept[-1] = _leaving_out(kept[-1], pending)
    return kept


_EXCLUSION_CUES = frozenset({"not", "except"})


def _leaving_out(query: Query, left_out: tuple[str, ...]) -> Query:
    clusters = query.clusters
    names = replace(
        clusters.names, cluster_ids=tuple(c for c in clusters.named if c not in left_out)
    )
    excluded = tuple(dict.fromkeys((*clusters.excluded_names, *left_out)))
    return replace(query, clusters=replace(clusters, names=names, excluded_names=excluded))


# A sentence opening so asks something: a question word, an auxiliary, a request.
_ASKING_STARTS = (
    WH_WORDS | _AUXILIARIES | frozenset("will would should list show tell give name".split())
)


_ASIDE_WORDS = 4  # a sentence, not a word left over ("… cover? zorblat")
_ASIDE_CUES = frozenset({"members", "not", "greeting"})  # "we're looking for partners"


def _an_aside(query: Query) -> bool:
    """ "My company is thinking of joining.", "We're looking for partners down there.": a
    statement after a question that names nothing of its own is the asker's context, not a
    question."""
    # (a field named in passing, "joining a materials project there", asks nothing either)
    clusters = query.clusters
    only_fields = clusters.fields.fields and not (
        clusters.stage or clusters.status or clusters.by_geography
    )
    named = clusters.names_a_place or query.programme
    if _a_statement(query) and (_names_nothing(query) or (only_fields and not named)):
        return True
    # "i keep seeing both 2001 and 2002 online and im confused": the asker on themselves,
    # whatever words of the domain ("online") it has, when it names nothing to ask about
    asks_a_detail = query.cues & (_ABOUT_CLUSTERS | {"list", "count"}) or query.asked.details
    return (
        _about_the_asker(query)
        and _names_nothing(query)
        and not query.organizations
        and not asks_a_detail  # "I need the phone number too" asks it
    )


def _about_the_asker(query: Query) -> bool:
    """A first-person sentence that asks nothing."""
    return _asks_nothing(query) and bool(_FIRST_PERSON & set(query.text.tokens))


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _a_statement(query: Query) -> bool:
    """A sentence that asks nothing and says nothing the domain's cues read."""
    return _asks_nothing(query) and query.cues <= _ASIDE_CUES


def _asks_nothing(query: Query) -> bool:
    """An English sentence with no question mark, question word or request."""
    text = query.text
    if len(text.tokens) < _ASIDE_WORDS or text.cleaned.rstrip().endswith(("?", "？")):
        return False
    if _JAPANESE.search(text.cleaned):  # (an emoji is no reason to doubt it is one)
        return False
    return text.tokens[0] not in _ASKING_STARTS and query.mode is Mode.STATEMENT


def _only_asks_for_all(query: Query) -> bool:
    """ "全部教えて", "list them all", 「ざっくり教えて」, "tell me more": a listing, or being
    told, asked of nothing of its own."""
    return (
        bool(query.cues & {"list", "overview"})
        and query.cues <= {"list", "overview"}  # 「教えて」
        and _names_nothing(query)
        and not query.unexplained
    )


def _names_nothing(query: Query) -> bool:
    """No place, cluster, area, stage, status, field or the programme of its own."""
    clusters = query.clusters
    return not (
        clusters.names_a_place or clusters.has_filters or clusters.by_geography or query.programme
    )


def _unexplained_too(query: Query, words: Sequence[str]) -> Query:
    if not words:
        return query
    return replace(query, unexplained=tuple(dict.fromkeys((*query.unexplained, *words))))


def answer_block(answer: Answer) -> Section:
    """One question's answer as one block, its answer first: a reply titled by its fact (a
    telephone number, a count) under the question as asked; any other under its title, its
    lead first. Its cards follow on a line each, its notes last."""
    titled = answer.title != NO_TITLE
    if answer.one_fact or not titled:
        heading = M.SEVERAL_QUESTION(question=answer.question)
        first: tuple[Msg, ...] = (answer.title,) if titled else ()
    else:
        heading, first = answer.title, ()
    cards = []
    for section in answer.sections:
        if section.heading is None:
            cards.extend(section.lines)
        elif section.lines:
            cards.append(M.SEVERAL_LINE(heading=section.heading, lines=section.lines))
        else:
            cards.append(section.heading)
    lines = (*first, *answer.summary, *cards, *answer.notes)
    return Section(heading, lines or (answer.title,))


def combined(question: str, answers: Sequence[Answer]) -> Answer:
    """One answer made of the answers to each clause (greetings dropped): a block per
    question, in the order asked, each with its answer first."""
    kept = [a for a in answers if a.intent not in _DROPPED] or list(answers)
    if len(kept) == 1:
        return replace(kept[0], question=question)
    as_of = {a.as_of for a in kept if a.as_of is not None}
    # "best ramen in sapporo? also what field did the sapporo cluster do": the reply states
    # what was asked of the subject; the question off it is declined beside the answer.
    asked = [a for a in kept if a.rule != OFF_TOPIC_RULE]
    return Answer(
        question=question,
        answered=bool(asked) and all(a.answered for a in asked),
        intent=Intent.SEVERAL,
        rule="several:" + "+".join(a.rule for a in kept),
        title=M.SEVERAL_ANSWERS_TITLE(count=len(kept)),
        summary=(),
        sections=tuple(answer_block(a) for a in kept),
        matches=tuple(dict.fromkeys(m for a in kept for m in a.matches)),
        citations=merge(c for a in kept for c in a.citations),
        facts=tuple(dict.fromkeys(f for a in kept for f in a.facts)),
        suggestions=tuple(dict.fromkeys(s for a in kept for s in a.suggestions))[:MAX_SUGGESTIONS],
        confidence=min(a.confidence for a in kept),
        as_of=as_of.pop() if len(as_of) == 1 else None,
    )
