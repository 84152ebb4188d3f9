"""`intents.yaml`: the phrases that signal what a question asks for.

A phrase signals one intent. The few that mean two things, told apart by the rest of the
question (「宇部はどこ」 asks where, 「どこのクラスター」 asks which), are declared once under
`shared_phrases:` with their intents, so that a phrase pasted into a second list by mistake
is an error and not a second meaning nobody chose. Phrases are compared by the key the engine
looks them up by (`phrase_key`), so what is reported here is what the engine would conflate.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import yaml

from bot.kb.nodes import INVALID, Context, Entry, describe, line_of
from bot.kb.problems import quoted
from bot.kb.schema import INTENTS_FILE
from bot.kb.text import phrase_key


@dataclass(frozen=True, slots=True)
class Intents:
    """The phrases of each intent (shared phrases included in each of theirs), and the
    shared phrases with their intents."""

    phrases: MappingProxyType
    shared: MappingProxyType


@dataclass(frozen=True, slots=True)
class _Listed:
    intent: str
    text: str
    line: int


def read(ctx: Context, top: dict[str, yaml.Node]) -> Intents:
    """Read `intents:` and `shared_phrases:`; report a phrase listed under two intents."""
    ctx.file = INTENTS_FILE
    lists = _read_lists(ctx, top.get("intents"))
    shared = _read_shared(ctx, top.get("shared_phrases"), lists)
    _check_each_phrase_has_one_place(ctx, lists, shared)
    phrases = {name: tuple(item.text for item in items) for name, items in lists.items()}
    for text, (names, _line) in shared.items():
        for name in names:
            if name in phrases:
                phrases[name] += (text,)
    return Intents(
        MappingProxyType(phrases),
        MappingProxyType({text: names for text, (names, _line) in shared.items()}),
    )


def _pairs(
    ctx: Context, node: yaml.Node | None, key: str, shape: str
) -> list[tuple[yaml.Node, yaml.Node]]:
    """The key/value nodes of a top-level mapping (none, reported, when it is not one)."""
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        ctx.report(
            line_of(node), None, f"{key}: expected a mapping of {shape}, got {describe(node)}"
        )
        return []
    if not node.value:
        ctx.report(line_of(node), None, f"{key}: the mapping is empty")
    return node.value


def _read_lists(ctx: Context, node: yaml.Node | None) -> dict[str, list[_Listed]]:
    lists: dict[str, list[_Listed]] = {}
    for key_node, value_node in _pairs(ctx, node, "intents", "intent: [phrases]"):
        name = ctx._scalar(key_node)
        if not isinstance(name, str) or not name.strip():
            ctx.report(
                line_of(key_node),
                None,
                f"intents: an intent name must be a word, got {describe(key_node)}",
            )
            continue
        if name in lists:
            ctx.report(line_of(key_node), name, f"intent {quoted(name)} is given twice")
            continue
        entry = Entry(INTENTS_FILE, line_of(key_node), name, {}, {})
        texts = ctx.texts(value_node, entry, "phrases", minimum=1)
        lists[name] = (
            []
            if texts is INVALID
            else [
                _Listed(name, text, entry.lines[f"phrases[{index}]"])
                for index, text in enumerate(texts)
            ]
        )
    return lists


def _read_shared(
    ctx: Context, node: yaml.Node | None, lists: dict[str, list[_Listed]]
) -> dict[str, tuple[tuple[str, ...], int]]:
    """`shared_phrases:`, phrase: [intent, intent, ...] → {phrase: (intents, line)}."""
    shared: dict[str, tuple[tuple[str, ...], int]] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in _pairs(ctx, node, "shared_phrases", "phrase: [intents]"):
        text = ctx._scalar(key_node)
        line = line_of(key_node)
        if not isinstance(text, str) or not text.strip():
            ctx.report(
                line, None, f"shared_phrases: a phrase must be text, got {describe(key_node)}"
            )
            continue
        text = text.strip()
        key = phrase_key(text)
        if key in first_line:
            ctx.report(
                line,
                None,
                f"shared phrase {quoted(text)} is declared twice (first on line {first_line[key]})",
            )
            continue
        first_line[key] = line
        entry = Entry(INTENTS_FILE, line, text, {}, {})
        names = ctx.texts(value_node, entry, "intents", minimum=2, ids=True)
        if names is INVALID:
            continue
        unknown = [name for name in names if name not in lists]
        if unknown and lists:
            ctx.report(
                line,
                text,
                f"shared_phrases: unknown intent {quoted(unknown[0])} "
                f"(the intents are those under intents:)",
            )
            continue
        shared[text] = (names, line)
    return shared


def _check_each_phrase_has_one_place(
    ctx: Context,
    lists: dict[str, list[_Listed]],
    shared: dict[str, tuple[tuple[str, ...], int]],
) -> None:
    shared_at = {phrase_key(text): line for text, (_names, line) in shared.items()}
    first: dict[str, _Listed] = {}
    for items in lists.values():
        for item in items:
            key = phrase_key(item.text)
            if not key:
                ctx.report(item.line, item.intent, f"phrase {quoted(item.text)} has no words")
                continue
            if key in shared_at:
                ctx.report(
                    item.line,
                    item.intent,
                    f"phrase {quoted(item.text)} is declared under shared_phrases "
                    f"(line {shared_at[key]}): list it there only",
                )
                continue
            other = first.setdefault(key, item)
            if other is item:
                continue
            if other.intent == item.intent:
                ctx.report(
                    item.line,
                    item.intent,
                    f"phrase {quoted(item.text)} is listed twice (first on line {other.line})",
                )
            else:
                ctx.report(
                    item.line,
                    item.intent,
                    f"phrase {quoted(item.text)} is also a phrase of intent "
                    f"{quoted(other.intent)} (line {other.line}): a phrase signals one intent; "
                    f"if it means both, declare it once under shared_phrases: "
                    f"with both intents",
                )
