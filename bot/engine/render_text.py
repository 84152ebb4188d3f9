"""Plain-text and JSON renderings of an Answer, for the console and the CLI."""

from __future__ import annotations

from typing import Any

from bot.engine.answer import Answer


def render_plain(answer: Answer) -> str:
    """The whole reply as a person reads it: title, summary, sections, suggestions, sources."""
    lines = [answer.title, answer.summary]
    for block in answer.blocks:
        lines.append("")
        lines.append(block.title)
        lines.extend(f"  {line}" for line in block.lines)
    if answer.suggestions:
        lines.append("")
        lines.append("Did you mean: " + " | ".join(answer.suggestions))
    if answer.sources:
        lines.append("")
        lines.extend(f"Source: {source.cite()}" for source in answer.sources)
    if answer.as_of:
        lines.append(f"({answer.as_of.capitalize()}.)")
    return "\n".join(line for line in lines if line is not None).strip()


def answer_to_dict(answer: Answer, question: str | None = None) -> dict[str, Any]:
    """The JSON shape of `ask --json`: stable keys, plain values."""
    return {
        "question": answer.question if question is None else question,
        "answered": answer.answered,
        "intent": answer.intent.value,
        "matches": list(answer.matches),
        "title": answer.title,
        "text": render_plain(answer),
        "sources": [
            {"document": s.document, "where": s.where, "url": s.url} for s in answer.sources
        ],
        "suggestions": list(answer.suggestions),
        "confidence": answer.confidence,
        "as_of": answer.as_of,
    }
