"""Plain-text and JSON renderings of an answer, for the console and the CLI."""

from __future__ import annotations

from typing import Any

from bot.engine import messages as M
from bot.engine.answer import Fact, Msg, Ref
from bot.i18n.localize import LocalizedAnswer


def render_plain(reply: LocalizedAnswer) -> str:
    """The whole reply as a person reads it: title, summary, sections, suggestions, sources."""
    say = reply.say
    lines = [reply.title, reply.summary]
    for block in reply.blocks:
        lines.append("")
        lines.append(block.title)
        lines.extend(f"  {line}" for line in block.lines)
    if reply.suggestions:
        lines.append("")
        lines.append(say(M.UI_DID_YOU_MEAN_LINE(suggestions=reply.suggestions)))
    if reply.sources:
        lines.append("")
        lines.extend(say(M.UI_SOURCE(citation=source.cite())) for source in reply.sources)
    if reply.as_of:
        lines.append(say(M.UI_AS_OF_LINE(as_of=reply.as_of)))
    return "\n".join(lines).strip()


def render_one_line(reply: LocalizedAnswer) -> str:
    """The reply on one line (a batch's output): its lines joined by " | "."""
    return " | ".join(part for part in render_plain(reply).splitlines() if part.strip())


def _plain_value(value: object) -> Any:
    if isinstance(value, Ref):
        return f"{value.kind}:{value.id}"
    if isinstance(value, Msg):
        return value.id
    if isinstance(value, tuple):
        return [_plain_value(item) for item in value]
    return value


def fact_to_dict(fact: Fact) -> dict[str, Any]:
    return {
        "subject": _plain_value(fact.subject),
        "attribute": fact.attribute,
        "value": _plain_value(fact.value),
        "source": {"document": fact.source.document, "where": fact.source.where},
        "as_of": fact.as_of,
    }


def answer_to_dict(reply: LocalizedAnswer, question: str | None = None) -> dict[str, Any]:
    """The JSON shape of `ask --json`: stable keys, plain values."""
    answer = reply.answer
    return {
        "question": answer.question if question is None else question,
        "answered": answer.answered,
        "intent": answer.intent.value,
        "rule": answer.rule,
        "lang": reply.lang,
        "matches": list(answer.matches),
        "title": reply.title,
        "text": render_plain(reply),
        "sources": [
            {"id": s.id, "document": s.document, "where": s.where, "url": s.url}
            for s in reply.sources
        ],
        "suggestions": list(reply.suggestions),
        "confidence": answer.confidence,
        "as_of": reply.as_of,
        "facts": [fact_to_dict(fact) for fact in answer.facts],
        # The clusters a front-end can show on the map (`kcbot map`), or null.
        "map": list(answer.map.clusters) if answer.map is not None else None,
    }
