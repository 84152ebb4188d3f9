"""Which question asks the previous one again: the same person, right after the answer.

A retry usually means the first answer missed, so the question log links a question to
the one it asks again (`AnswerRecord.rephrases`), without keeping who asked: each
conversation's last question is remembered here, in memory, for `window` seconds.

The rule. A question asks the previous one again when:
- it comes from the same conversation (Discord: the same person in the same channel or
  DM; the console: its session) and is the next question there, asked at most `window`
  seconds after the previous one;
- both are questions: a click on a step the reply offered, /help, /about, a greeting or
  an empty message is neither, and is not remembered;
- the engine read the second on its own: a follow-up that builds on the answer ("and
  Sapporo?", `Answer.followup`) is a new question;
- they are about the same thing, as the engine read them (`Subject`): when both name a
  cluster, field, stage, status, region, prefecture, organization or FAQ entry, they name
  one in common; when one of them names none of those, their wordings are nearly the same,
  or they ask for the same thing (a cue such as "fields") or share a word nothing read.
  So "what fields does Kyoto cover" then "... Sapporo ..." is a new question, and so is
  "what was the purpose" then "what was the budget"; "which cluster works on optics" then
  "which clusters do optics research" is the first asked again.
Each question pairs with the one just before it only: three in a row make two pairs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.app import Response
from bot.engine.answer import Intent
from bot.engine.reading.query import Query
from bot.engine.text import normalize

# Requests and replies that are no question of the person's own.
NOT_QUESTIONS = frozenset({"show", "help", "about"})
NO_QUESTION_INTENTS = frozenset({Intent.EMPTY, Intent.GREETING, Intent.HELP, Intent.ABOUT})
DEFAULT_CAPACITY = 10_000
SAME_WORDING = 80.0  # rapidfuzz token_sort_ratio: the same question retyped


@dataclass(frozen=True, slots=True)
class Subject:
    """What a question is about, as the engine read it: the things it names (tagged ids),
    what it asks for (cues), the words nothing read, and its wording (as typed: it is
    normalized only when it decides, which is rarely)."""

    things: frozenset[str]
    asks: frozenset[str]
    typed: str

    def same_as(self, other: Subject) -> bool:
        # Named things decide first: "... Kyoto ..." and "... Sapporo ..." are worded alike.
        if self.things and other.things:
            return bool(self.things & other.things)
        if fuzz.token_sort_ratio(normalize(self.typed), normalize(other.typed)) >= SAME_WORDING:
            return True
        return bool(self.asks & other.asks)


@dataclass(frozen=True, slots=True)
class Asked:
    """A conversation's last question, as long as the window lasts: what its subject is
    made of, worked out only when the next question may be a retry (rarely)."""

    answer_id: str
    at: float
    query: Query | None  # the engine's reading (None for a command)
    matches: tuple[str, ...]
    intent: Intent
    typed: str  # as typed: its wording, and the text kept if it is asked again
    # Its own record holds no text, and the log keeps texts: keep it if asked again.
    text_wanted: bool

    @classmethod
    def of(cls, response: Response, at: float, *, text_wanted: bool) -> Asked:
        answer = response.answer
        typed = answer.question or response.request.text
        return cls(response.id, at, answer.query, answer.matches, answer.intent, typed, text_wanted)

    @property
    def subject(self) -> Subject:
        query = self.query
        if query is None:  # a command: what it matched, and the kind of answer it asked for
            things = frozenset(f"match:{m}" for m in self.matches)
            return Subject(things, frozenset({self.intent.value}), self.typed)
        clusters = query.clusters
        tagged = {
            "cluster": clusters.named,
            "field": (*clusters.fields.fields, *clusters.fields.excluded),
            "stage": (clusters.stage, *query.stages),
            "status": (clusters.status,),
            "region": clusters.regions,
            "prefecture": clusters.prefectures,
            "organization": query.organizations,
        }
        named = [f"{kind}:{value}" for kind, values in tagged.items() for value in values if value]
        if self.intent is Intent.FAQ:
            named += [f"entry:{m}" for m in self.matches]
        asks = {f"cue:{c}" for c in query.asked.cues}
        asks |= {f"word:{normalize(w)}" for w in query.unexplained}
        return Subject(frozenset(named), frozenset(asks), self.typed)


def is_question(response: Response) -> bool:
    return (
        response.request.command not in NOT_QUESTIONS
        and response.answer.intent not in NO_QUESTION_INTENTS
    )


class Rephrasings:
    """Each conversation's last question for `window` seconds (at most `capacity` of them,
    the least recently asked forgotten first). Safe from several threads."""

    def __init__(self, window: float, capacity: int = DEFAULT_CAPACITY) -> None:
        self.window = window
        self.capacity = capacity
        self._last: OrderedDict[Hashable, Asked] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._last)

    def asked(self, response: Response, asked: Asked) -> Asked | None:
        """Remember `asked` (what `response` answered) as its conversation's last question;
        the previous one when this asks it again (the module's rule), else None."""
        key = response.request.conversation
        if key is None or self.window <= 0 or not is_question(response):
            return None
        with self._lock:
            self._forget_old(asked.at)
            previous = self._last.pop(key, None)
            self._last[key] = asked
            while len(self._last) > self.capacity:
                self._last.popitem(last=False)
        if previous is None or asked.at - previous.at > self.window:
            return None
        if response.answer.followup is not None:
            return None
        return previous if asked.subject.same_as(previous.subject) else None

    def _forget_old(self, now: float) -> None:
        # In order of asking, so the expired ones are all at the front.
        while self._last:
            key, last = next(iter(self._last.items()))
            if now - last.at <= self.window:
                return
            del self._last[key]
