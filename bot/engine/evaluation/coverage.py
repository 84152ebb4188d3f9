"""Coverage decides confidence: an answer stands only when every content word of the question
is explained.

The parse explains the words the lexicon knows (names, cues, grammar, generic nouns); an
answer from a FAQ entry also explains the words of that entry (its question, phrasings,
keywords and answer: "purpose" is explained by the entry on the purpose). A word still
unexplained means the question may ask something else: "who led the Hamamatsu cluster?"
is not about its fields, "kobe beef" not about the Kobe cluster. Such an answer is not given
as the answer: the reply says which words it could not read and how it read the rest, and
offers what it read as a next step (`answered` is false).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from bot.engine import messages as M
from bot.engine.answer import Answer, Intent, Param, Ref
from bot.engine.faq import FaqIndex, stem
from bot.engine.reading.query import WH_WORDS, Query
from bot.engine.text import normalize
from bot.engine.thresholds import MAX_SUGGESTIONS

# Answers that are already a decline or a clarification keep their own words (help and
# about are answers: "help regional economies" is not a request for the help page).
_NOT_ANSWERS = frozenset(
    {
        Intent.CLARIFY,
        Intent.OUT_OF_DOMAIN,
        Intent.EMPTY,
        Intent.GREETING,
        Intent.NOT_IN_SOURCES,
    }
)
UNSURE_RULE = "unexplained"


def still_unexplained(query: Query, answer: Answer, faq: FaqIndex) -> tuple[str, ...]:
    """The question's unexplained words that neither the answer's FAQ entries nor the text
    of the facts it states (a quoted sentence of the sources) explain."""
    words = query.unexplained
    if not words:
        return ()
    entries = [m for m in answer.matches if faq.has_entry(m)]
    stated = {
        stem(word)
        for fact in answer.facts
        if isinstance(fact.value, str)
        for word in normalize(fact.value).split()
    }
    return tuple(
        w
        for w in words
        if not any(faq.explains(e, w) for e in entries) and stem(normalize(w)) not in stated
    )


def covered(query: Query, answer: Answer, faq: FaqIndex, clusters: Collection[str] = ()) -> Answer:
    """The answer when the question is fully explained (or the answer is no answer);
    otherwise a reply that says what it could not read and offers what it read. `clusters`
    are the knowledge base's cluster ids (an answer's matches that are clusters become
    steps)."""
    if not answer.answered or answer.intent in _NOT_ANSWERS:
        return answer
    words = still_unexplained(query, answer, faq)
    if not words:
        return answer
    if _passes_over(query, answer, words):
        return replace(answer, notes=(*answer.notes, M.NOTE_NOT_READ(words=tuple(words))))
    return unsure(answer, words, [m for m in answer.matches if m in clusters])


# A named subject and one of its details asked: the reply is that detail whatever one more
# word says around it ("what floor is the Sendai office on?" is its address; "…, or nah?").
_SPECIFIC = frozenset({Intent.FIELDS, Intent.CONTACT, Intent.STAGE, Intent.PAGE, Intent.LOCATION})
_SPECIFIC_RULES = frozenset({"region", "organization", "programme_fate"})
_PASSED_OVER = 1  # unexplained words an answer may pass over
_COMPUTED = frozenset({"how_long", "count", "more_than", "share", "total", "change"})
_CLUSTER_NOUNS = frozenset({"cluster", "clusters"})
_JOINS = frozenset({"and", "or", "also", "plus"})


def _passes_over(query: Query, answer: Answer, words: Sequence[str]) -> bool:
    """Whether the answer stands though a word was not read: one word at most, in a
    question whose subject is named and whose asked detail is read (never a bare overview,
    where the unread word may be the very thing asked: "who led the Hamamatsu cluster?")."""
    if len(words) > _PASSED_OVER or answer.rule not in _SPECIFIC_RULES or query.off_topic:
        return False
    if query.cues & _COMPUTED:
        return False  # "how many years did it run before …": a computation, not the fact
    if any(_attached_to_a_name(query, word) for word in words):
        return False  # 「京都の宇宙船の分野」, "the Kyoto gizmo": another subject altogether
    if answer.rule == "region":
        return answer.intent in _SPECIFIC and not query.asked.missing
    if answer.rule == "programme_fate":
        return query.programme  # named, not only "it"
    return True


def not_of_the_kind_asked(answer: Answer) -> Answer:
    """A question for clusters that only a text matched: that text offered, not given."""
    offer = unsure(answer, ())
    reading = answer.reading or answer.title
    return replace(offer, summary=(M.UNSURE_KIND(reading=reading),))


def _attached_to_a_name(query: Query, word: str) -> bool:
    """The unread word where it may be what the question is about: first, beside a name
    ("the Kyoto gizmo"), before a cluster noun or a question word; in Japanese, a noun the
    name qualifies (京都の宇宙船の…)."""
    text = query.text
    names = query.clusters.names
    if word.isascii():
        tokens = text.tokens
        positions = [i for i, t in enumerate(tokens) if t == word.casefold()]
        return any(
            i == 0  # the question's head: "zorblat which clusters …"
            or i - 1 in names.consumed
            or i + 1 in names.consumed
            # "the Sendai IT banana cluster": inside the subject
            or (i + 1 < len(tokens) and tokens[i + 1] in _CLUSTER_NOUNS)
            # "… and banana who is …": where one question ends and the next begins
            or (0 < i < len(tokens) - 1 and tokens[i - 1] in _JOINS and tokens[i + 1] in WH_WORDS)
            for i in positions
        )
    at = text.compact.find(word)
    return at > 0 and any(end in (at, at - 1) for _, end in names.japanese_spans)


def unsure(answer: Answer, words: Iterable[str], clusters: Iterable[str] = ()) -> Answer:
    """ "I could not read “led”. I read the rest as: Hamamatsu's fields." with the answer it
    would have given offered as a step, not given."""
    typed = tuple(dict.fromkeys(words))
    reading = answer.reading or answer.title
    suggestions: list[Param] = [reading]
    suggestions += [s for s in answer.suggestions if s != reading]
    suggestions += [Ref("cluster", c) for c in clusters]
    return replace(
        answer,
        answered=False,
        intent=Intent.CLARIFY,
        rule=f"{UNSURE_RULE}:{answer.rule}",
        title=M.UNSURE_TITLE(),
        summary=(M.UNSURE_WORDS(words=typed), M.UNSURE_READING(reading=reading)),
        notes=(),
        sections=(),
        facts=(),
        suggestions=tuple(dict.fromkeys(suggestions))[:MAX_SUGGESTIONS],
        confidence=round(answer.confidence * 0.5, 3),
        as_of=None,
        map=None,
        one_fact=False,
        reading=None,
    )
