"""Plain-text and JSON renderings of an answer, for the console and the CLI."""

from __future__ import annotations

from typing import Any

from bot.engine.answer import COMMANDS, FACT, ITEMS, Fact, Intent, Msg, Ref
from bot.i18n import words as W
from bot.i18n.localize import LocalizedAnswer
from bot.render.wrap import wrap


def render_plain(reply: LocalizedAnswer, width: int | None = None) -> str:
    """The whole reply as a person reads it, laid out as on Discord: the title, the answer,
    the details (a card's facts one a line, lists bulleted, blocks under their heading),
    the notes on how the question was read, what to ask next, and the one-line source note.
    With `width`, every line is wrapped to that many terminal cells (Japanese too)."""
    say = reply.say
    out: list[tuple[str, str, str]] = []  # (text, first indent, hanging indent)

    def put(text: str = "", indent: str = "", hang: str | None = None) -> None:
        for line in text.split("\n"):
            out.append((line, indent, indent if hang is None else hang))

    if reply.title:
        put(reply.title)
    if reply.opening:
        put(reply.opening)
    previous = None
    for block in reply.blocks:
        if block.style == FACT and block.title:
            if previous != FACT:
                put()
            value = say(W.UI_LIST_LINE(items=block.lines))
            put(say(W.UI_FACT_LINE(label=block.title, value=value)), "", "  ")
        elif not block.title:
            for line in block.lines:
                put(*_item(line, block.style))
        else:
            put()
            put(block.title)
            for line in block.lines:
                text, indent, hang = _item(line, block.style)
                put(text, "  " + indent, "  " + hang)
        previous = block.style
    if reply.notes:
        put()
        for note in reply.notes:
            put(note)
    examples = [
        s.label
        for s in reply.steps
        if s.action == "ask" and s.target is not None and s.target.kind == "example"
    ]
    # What the title asks already ("Did you mean Kyoto?") is not offered again below it.
    offered = [s for s in reply.suggestions if s not in examples and s not in reply.title]
    if offered or examples:
        put()
    if offered and reply.intent is Intent.NOT_IN_SOURCES:  # what the sources do give
        put(say(W.UI_TRY_LINE(examples=tuple(offered))))
    elif offered:
        put(say(W.UI_DID_YOU_MEAN_LINE(suggestions=tuple(offered))))
    if examples:
        put(say(W.UI_TRY_LINE(examples=tuple(examples))))
    if reply.source_note:
        put()
        put(reply.source_note)
    lines: list[str] = []
    for text, indent, hang in out:
        if width is None or not text:
            lines.append(indent + text if text else "")
        else:
            lines.extend(wrap(text, width, indent, hang))
    return "\n".join(lines).strip()


def _item(line: str, style: str) -> tuple[str, str, str]:
    if style in (ITEMS, COMMANDS):
        return line, "• ", "  "
    return line, "", ""


def full_sources(reply: LocalizedAnswer) -> str:
    """Every source of the reply in full, with its address when it has one (the console's
    /sources; Discord's Sources button)."""
    say = reply.say
    return "\n".join(say(W.UI_SOURCE(citation=source.cite())) for source in reply.sources)


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
        "followup": answer.followup,
        "steps": [
            {
                "kind": step.kind,
                "action": step.action,
                "target": _plain_value(step.target) if step.target is not None else None,
                "label": step.label,
            }
            for step in reply.steps
        ],
        # The clusters a front-end can show on the map (`kcbot map`), or null.
        "map": list(answer.map.clusters) if answer.map is not None else None,
        # How the question was read (null for commands), and the words nothing explained.
        "query": answer.query.to_json() if answer.query is not None else None,
        "unexplained": list(answer.query.unexplained) if answer.query is not None else [],
    }
