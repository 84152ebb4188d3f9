"""One pipeline for every front-end: a request in, an answer in one language out.

The Discord commands, the free-text listener and the console all build a `Request` and
call `Application.handle`; choosing the language, keeping conversations and logging
answers happen here once, not in each front-end. The engine and the catalogues it answers
with travel together as `Knowledge`, built and swapped whole (a reload never mixes a new
knowledge base with old catalogues).
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.conversations import ConversationStore
from bot.engine import Answer, Engine, Ref
from bot.engine.answer import Intent
from bot.engine.evaluation.coverage import UNSURE_RULE
from bot.engine.turn import Turn
from bot.i18n.language import AUTO, choose_language
from bot.i18n.localize import LocalizedAnswer, Localizer
from bot.kb.file_bytes import DEFAULT_LIMITS, ReadLimits
from bot.kb.model import KnowledgeBase
from bot.ops.logformat import structured

log = logging.getLogger(__name__)

# Translation gaps logged one a line at load; past these, one line counts the rest (a base
# generated without Japanese names would otherwise log a line per cluster at every start).
GAPS_LOGGED = 10

# "show" asks a step an earlier reply offered (a button): options action, kind and id.
COMMANDS = ("ask", "contact", "region", "stage", "field", "about", "help", "map", "show")


@dataclass(frozen=True)  # no slots: a weak reference proves a replaced one is freed
class Knowledge:
    """A validated knowledge base, its engine and its catalogues: what a reload replaces."""

    engine: Engine
    localizer: Localizer

    @property
    def kb(self) -> KnowledgeBase:
        return self.engine.kb


def load(
    directory: str | os.PathLike[str] | None = None, *, limits: ReadLimits = DEFAULT_LIMITS
) -> Knowledge:
    """Read and validate the knowledge base and its catalogues, then build the engine.

    The files are read once (`directory` may already be that read, `KnowledgeFiles`, as
    the engine cache passes it) so the knowledge is built from exactly the bytes a cache key
    was made of. Raises `KnowledgeBaseError` with every problem of either.
    """
    # Reading and validating import a YAML parser: only a build needs them, not a start
    # from the engine cache (which unpickles `Knowledge` from this module).
    from bot.i18n.loading import load_catalogues
    from bot.kb.files import read_knowledge_files
    from bot.kb.loader import load_knowledge

    files = read_knowledge_files(directory, limits)
    kb = load_knowledge(files, limits=limits)
    catalogues = load_catalogues(files, limits=limits)
    gaps = (*kb.translation_gaps, *catalogues.missing)
    for problem in gaps[:GAPS_LOGGED]:
        log.warning("translation gap (English is used instead): %s", problem)
    if len(gaps) > GAPS_LOGGED:
        log.warning(
            "%d more translation gaps (English is used instead); `kcbot check` lists them all",
            len(gaps) - GAPS_LOGGED,
        )
    return Knowledge(Engine(kb), Localizer(kb, catalogues))


@dataclass(frozen=True, slots=True)
class Request:
    """What a front-end asks: a command (`ask` for free text) and its text and options."""

    command: str
    text: str = ""  # the question, or the command's main option (a region, a field)
    options: Mapping[str, str | None] = field(default_factory=dict)  # e.g. /stage's status
    locale: str | None = None  # the asker's language (a Discord locale: "ja", "en-US")
    guild_locale: str | None = None  # the server's language, for a public reply there
    lang: str | None = None  # a language the user forced (--lang, /lang); "auto" or None: decide
    conversation: Hashable | None = None  # whose conversation this continues
    via: str = ""  # where it came from, for the logs: "/contact", "text:mention", "console"
    origin: Mapping[str, int | None] = field(default_factory=dict)  # ids for the ops log
    # Free text the bot overheard in a listened channel rather than a question put to it:
    # the bot stays quiet (and logs nothing) when it has nothing to say to it.
    unsolicited: bool = False


# Answers the bot keeps to itself when the text was not addressed to it (`Response.silent`).
QUIET_INTENTS = frozenset({Intent.OUT_OF_DOMAIN, Intent.EMPTY})


def new_answer_id() -> str:
    """A random id naming one answer in the question log and on its feedback buttons."""
    return secrets.token_hex(8)


@dataclass(frozen=True, slots=True)
class Response:
    request: Request
    reply: LocalizedAnswer
    latency_ms: float
    id: str = field(default_factory=new_answer_id)

    @property
    def answer(self) -> Answer:
        return self.reply.answer

    @property
    def silent(self) -> bool:
        """Overheard chatter the bot has nothing to say to: no reply, no log record."""
        answer = self.answer
        # Overheard words the engine cannot fully read are chatter, not a question for it.
        unsure = answer.rule.startswith(UNSURE_RULE)
        return self.request.unsolicited and (answer.intent in QUIET_INTENTS or unsure)

    @property
    def lang(self) -> str:
        return self.reply.lang


def _dispatch(engine: Engine, request: Request, previous: Turn | None) -> Answer:
    text = request.text
    options = request.options
    match request.command:
        case "ask":
            return engine.ask(text, previous)
        case "contact":
            return engine.contact(text)
        case "region":
            return engine.region(text)
        case "stage":
            return engine.stage(text, request.options.get("status"))
        case "field":
            return engine.field(text)
        case "about":
            return engine.about()
        case "help":
            return engine.help(text)
        case "show":
            target = Ref(options.get("kind") or "", options.get("id") or "")
            return engine.show(options.get("action") or "", target)
        case "map":
            return engine.map(options.get("stage"), options.get("status"), options.get("field"))
    raise ValueError(f"unknown command {request.command!r}; known: {', '.join(COMMANDS)}")


def reply_language(
    request: Request, localizer: Localizer, previous: Turn | None = None, asked: str | None = None
) -> str:
    """The reply's language, by the rule of `bot.i18n.language`; a conversation goes on
    in its language when the question's script does not decide. `asked` is the language
    the question itself asked for ("ok and in japanese?"); only an explicit option (the
    console's --lang) comes before it."""
    forced = request.lang if request.lang and request.lang != AUTO else asked
    return choose_language(
        supported=localizer.languages,
        forced=forced,
        text=request.text,
        conversation=previous.lang if previous is not None else None,
        locale=request.locale,
        guild_locale=request.guild_locale,
    )


def _still_known(turn: Turn, kb: KnowledgeBase) -> bool:
    """Whether every cluster and choice of a remembered turn is in the live base."""
    clusters = kb.clusters_by_id
    return all(c in clusters for c in turn.clusters) and all(
        ref.kind != "cluster" or ref.id in clusters for ref in turn.choices
    )


class Application:
    """The live knowledge and everything every answer goes through."""

    def __init__(
        self,
        knowledge: Knowledge,
        listeners: Sequence[Callable[[Response], None]] = (),
        conversations: ConversationStore | None = None,
    ) -> None:
        self.knowledge = knowledge  # replaced whole by a reload; read once per request
        self.listeners = list(listeners)  # told of every answer (the question log, metrics)
        # The last turn of each conversation (in memory, bounded, forgotten when idle).
        self.conversations = conversations if conversations is not None else ConversationStore()

    @property
    def engine(self) -> Engine:
        return self.knowledge.engine

    @property
    def localizer(self) -> Localizer:
        return self.knowledge.localizer

    @property
    def kb(self) -> KnowledgeBase:
        return self.knowledge.kb

    def language_for(self, request: Request) -> str:
        previous = self.conversations.get(request.conversation)
        return reply_language(request, self.localizer, previous)

    def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        knowledge = self.knowledge
        conversation = request.conversation
        previous = self.conversations.get(conversation)
        if previous is not None and not _still_known(previous, knowledge.kb):
            previous = None  # a reload removed what the conversation was about
        answer = _dispatch(knowledge.engine, request, previous)
        lang = reply_language(request, knowledge.localizer, previous, asked=answer.lang)
        if answer.turn is not None:
            self.conversations.put(conversation, replace(answer.turn, lang=lang))
        reply = knowledge.localizer.localize(answer, lang)
        response = Response(request, reply, (time.perf_counter() - started) * 1000)
        self._log(response)
        for listener in self.listeners:
            try:
                listener(response)
            except Exception:  # a listener's failure never costs the user the answer
                log.exception("answer listener %r failed", listener)
        return response

    @staticmethod
    def _log(response: Response) -> None:
        """One line per answer: ids and numbers only, never the question's text. The same
        values are the record's structured fields, keys of their own in JSON logs."""
        if not log.isEnabledFor(logging.INFO):
            return
        answer, origin = response.answer, response.request.origin
        fields = {
            "via": response.request.via or response.request.command,
            "rule": answer.rule,
            "followup": answer.followup,
            "intent": answer.intent.value,
            "answered": answer.answered,
            "lang": response.lang,
            "confidence": round(answer.confidence, 2),
            "latency_ms": round(response.latency_ms, 1),
            # Discord ids as strings, as Discord sends them: they exceed JSON's safe integers.
            "guild": _id(origin.get("guild")),
            "channel": _id(origin.get("channel")),
            "user": _id(origin.get("user")),
        }
        pairs = " ".join(
            f"{key}={'-' if value is None else value}" for key, value in fields.items()
        )
        log.info("answered %s", pairs, extra=structured(**fields))


def _id(value: int | None) -> str | None:
    return None if value is None else str(value)
