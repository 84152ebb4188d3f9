"""A message catalogue: the words of one language, with plural forms and list patterns.

Templates use Python's format syntax with named fields only: `{count}`, `{fields:or}`.
A spec after the colon picks a list pattern of the catalogue (for a list parameter), a
rendering of a reference (`{organization:full}`, `{entry:answer}`, `{field:ja}`,
`{cluster:readable}`, `{field:short}`), or `capitalize` for text; a list can take both,
pattern first (`{fields:and/short}`). A message may have plural forms (CLDR categories:
`one`, `other`, ...), chosen by its `count` parameter. Templates are parsed once, when the
catalogue is read; formatting is then a walk over ready segments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from string import Formatter

from bot.kb.problems import Problem

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
# {fields:and/short}: the list pattern, then the form each item takes.
LIST_ITEM_SEPARATOR = "/"
COUNT_PARAM = "count"

# CLDR cardinal plural rules of the languages shipped. A language not listed has only
# "other" (as Japanese does), which is always correct if not always idiomatic.
_PLURAL_RULES: dict[str, Callable[[int], str]] = {
    "en": lambda n: "one" if n == 1 else "other",
    "ja": lambda n: "other",
}

REFERENCE_LANGUAGE = "en"
# Specs a placeholder may carry besides the catalogue's list patterns.
REF_SPECS = frozenset(
    {
        "full",
        "short",
        "other",
        "note",
        "question",
        "answer",
        "en",
        "ja",
        "readable",
        "emoji",
        "emoji_name",
    }
)
TEXT_SPECS = frozenset({"capitalize"})
# Parameters any template may use, filled from the knowledge base rather than by the code:
# the programme's name, the edition listing its clusters (its short name and its year) and
# the organization running it. Templates name the programme through these, never in words.
AMBIENT_PARAMS = frozenset({"programme", "edition", "edition_year", "runner"})
YEN_SPEC = "yen"  # {amount:yen}: an amount of yen written the language's way
NUMBER_SPECS = frozenset({YEN_SPEC})


def plural_category(language: str, count: int) -> str:
    rule = _PLURAL_RULES.get(language.split("-")[0])
    return rule(count) if rule is not None else "other"


@dataclass(frozen=True, slots=True)
class Segment:
    """Literal text followed by at most one placeholder."""

    literal: str
    field: str | None = None
    spec: str = ""


Template = tuple[Segment, ...]


class TemplateError(ValueError):
    """A template cannot be parsed or uses a placeholder form that is not allowed."""


def parse_template(text: str) -> Template:
    """Segments of a template; only plain names, no conversions, no nested specs."""
    segments = []
    try:
        parsed = list(Formatter().parse(text))
    except ValueError as exc:
        hint = "write a literal brace as {{ or }}"
        raise TemplateError(f"not a valid template ({exc}); {hint}") from exc
    for literal, field, spec, conversion in parsed:
        if field is None:
            segments.append(Segment(literal))
            continue
        if not field.isidentifier():
            raise TemplateError(f"placeholder {{{field}}} must be a plain name such as {{count}}")
        if conversion:
            raise TemplateError(f"placeholder {{{field}!{conversion}}}: no conversions allowed")
        words = spec.split(LIST_ITEM_SEPARATOR) if spec else []
        if len(words) > 2 or any(not w.replace("_", "").isalnum() for w in words):
            raise TemplateError(
                f"placeholder {{{field}:{spec}}}: the spec must be one word, or a list "
                "pattern and a form joined by a slash ({fields:and/short})"
            )
        segments.append(Segment(literal, field, spec or ""))
    return tuple(segments)


def placeholders(template: Template) -> set[str]:
    return {s.field for s in template if s.field is not None}


@dataclass(frozen=True, slots=True)
class ListPattern:
    """How a list is joined: "a, b and c" is separator ", " and last " and "."""

    separator: str
    last: str

    def join(self, items: Sequence[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return self.separator.join(items[:-1]) + self.last + items[-1]


@dataclass(frozen=True, slots=True)
class Message:
    """One message's template, or its templates by plural category."""

    forms: Mapping[str, Template]  # "other" alone when the message has no plural forms

    def template(self, language: str, count: object) -> Template:
        if len(self.forms) == 1 or not isinstance(count, int):
            return self.forms.get("other") or next(iter(self.forms.values()))
        category = plural_category(language, count)
        if category == "zero" and "zero" not in self.forms:
            category = "other"
        return self.forms.get(category) or self.forms["other"]


@dataclass(frozen=True, slots=True)
class Catalogue:
    language: str  # a BCP 47 tag as Discord uses them: "en", "ja"
    name: str  # the language's own name, for menus
    messages: Mapping[str, Message]
    lists: Mapping[str, ListPattern]
    path: str = ""  # where it was read from, for messages to editors

    def has(self, message_id: str) -> bool:
        return message_id in self.messages


@dataclass(frozen=True, slots=True)
class Catalogues:
    """Every language's catalogue, keyed by language tag, and what `check` should report."""

    by_language: Mapping[str, Catalogue]
    missing: tuple[Problem, ...] = ()  # messages a translation lacks (English is used)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.by_language)
