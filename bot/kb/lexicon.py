"""`lexicon.yaml`: the grammar, filler and generic nouns a question is built with.

Every list is a list of phrases; a phrase listed twice in one list is reported (the second
one would say nothing), and so is a list that is missing or empty where the engine needs
one. Which list a phrase is in decides what it does in a question (see the file's header).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import yaml

from bot.kb.model import Lexicon
from bot.kb.nodes import INVALID, Context, Entry, describe, line_of
from bot.kb.problems import quoted
from bot.kb.schema import LEXICON_FILE
from bot.kb.text import normalize

# The lists grouped under a key, and those that must be there.
GROUPED = {"function": ("en", "ja"), "nouns": ("cluster", "stage", "field", "place")}
CONNECTIVES = ("and", "or")


def _phrases(ctx: Context, node: yaml.Node, label: str) -> tuple[str, ...]:
    entry = Entry(LEXICON_FILE, line_of(node), label, {}, {})
    phrases = ctx.texts(node, entry, label, minimum=1)
    if phrases is INVALID:
        return ()
    seen: dict[str, int] = {}
    for index, phrase in enumerate(phrases):
        key = normalize(phrase)
        if not key:
            ctx.report(
                line_of(node.value[index]),
                label,
                f"{quoted(phrase)} has no letters or digits to match",
            )
        elif key in seen:
            ctx.report(
                line_of(node.value[index]),
                label,
                f"{quoted(phrase)} is listed twice (also as item {seen[key] + 1})",
            )
        else:
            seen[key] = index
    return phrases


def _groups(
    ctx: Context, node: yaml.Node | None, key: str, required: tuple[str, ...]
) -> Mapping[str, tuple[str, ...]]:
    if node is None:
        return MappingProxyType({})
    if not isinstance(node, yaml.MappingNode):
        ctx.report(line_of(node), None, f"{key}: expected a mapping of lists, got {describe(node)}")
        return MappingProxyType({})
    groups: dict[str, tuple[str, ...]] = {}
    for key_node, value_node in node.value:
        name = ctx._scalar(key_node)
        if not isinstance(name, str) or not name.strip():
            ctx.report(line_of(key_node), None, f"{key}: a list's name must be a word")
            continue
        if name in groups:
            ctx.report(line_of(key_node), None, f"{key}: {quoted(name)} is given twice")
            continue
        groups[name] = _phrases(ctx, value_node, f"{key}.{name}")
    for name in required:
        if name not in groups:
            ctx.report(line_of(node), None, f"{key}: the list {quoted(name)} is missing")
    return MappingProxyType(groups)


def read(ctx: Context, top: Mapping[str, yaml.Node]) -> Lexicon:
    """The lexicon, every problem reported (an unreadable part is left empty)."""
    return Lexicon(
        function=_groups(ctx, top.get("function"), "function", GROUPED["function"]),
        nouns=_groups(ctx, top.get("nouns"), "nouns", GROUPED["nouns"]),
        connectives=_groups(ctx, top.get("connectives"), "connectives", CONNECTIVES),
        negation=_phrases(ctx, top["negation"], "negation") if "negation" in top else (),
        programme=_phrases(ctx, top["programme"], "programme") if "programme" in top else (),
        other_programmes=_groups(ctx, top.get("other_programmes"), "other_programmes", ()),
    )
