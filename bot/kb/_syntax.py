"""What is wrong with a file the YAML parser cannot read, in an editor's terms, at its line.

The parser says where it gave up ("did not find expected key", "could not find expected
':'"), which is often a line or more after the mistake: an unclosed quote is noticed where
the next quote closes it, an unclosed bracket where the next key no longer fits in the list,
a key without its colon on the line after it. `diagnose` reads the parser's error together
with the tokens scanned before it, names the mistake (a tab in the indentation, a colon
inside an unquoted text, an unclosed quote or bracket, a list item or key at the wrong
indentation, ...) at the line where it is, and mends it as an editor most likely meant, so
that the reader can go on and find the file's other mistakes in the same run.

Mending only ever edits inside one line: line numbers stay those of the file.
No library does this (PyYAML and yamllint report the parser's own words); the rules below
are few and each is tested with the mistake it describes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import yaml
from yaml import tokens as T

from bot.kb.problems import verbatim

# YAML's line breaks (PyYAML counts lines by these, so marks and our lines agree).
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# The tokens that stand for something written (not the indentation's block starts and ends).
_CONTENT_TOKENS = (
    T.BlockEntryToken,
    T.FlowEntryToken,
    T.FlowMappingEndToken,
    T.FlowMappingStartToken,
    T.FlowSequenceEndToken,
    T.FlowSequenceStartToken,
    T.KeyToken,
    T.ScalarToken,
    T.ValueToken,
)
# A line that starts a `key:` (after any list dashes): the key is plain text without a colon.
_KEY_LINE = re.compile(r"((?:- +)*)([^\s#'\"\[\]{}&*!|>%@`,-][^:#]*?|-[^\s:#][^:#]*?):(?:\s|$)")
_QUOTED_PARSER_WORDS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """One mistake: the line to look at (1-based), what is wrong, and the text with that
    line mended as a guess (None when no guess is safe)."""

    line: int
    message: str
    mended: str | None


class _Text:
    """The file as lines (without their breaks), edited in place line by line."""

    def __init__(self, text: str, tokens: list[yaml.Token]) -> None:
        self.lines = _BREAK.split(text)
        self.breaks = _BREAK.findall(text)
        # Lines that go on with a text begun on a line above (after > or |, or a quoted or
        # plain text over several lines): words there are not keys or list items.
        self.prose = frozenset(
            line
            for token in tokens
            if isinstance(token, T.ScalarToken)
            for line in range(token.start_mark.line + 1, _last_line(token) + 1)
        )

    def __getitem__(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def with_line(self, index: int, content: str) -> str:
        lines = list(self.lines)
        lines[index] = content
        return "".join(line + brk for line, brk in zip(lines, [*self.breaks, ""], strict=True))

    def offset_is_usual(self, parent: int, column: int, *, than: int) -> bool:
        """Whether the file's blocks more often start `column` than `than` columns in from
        the line that opens them (the editor's habit: two spaces, say)."""
        base = indentation(self[parent])
        habits: Counter[int] = Counter()
        for number, line in enumerate(self.lines):
            code = line[: code_end(line)].rstrip()
            if number in self.prose or not code.endswith(":") or code.lstrip().startswith("#"):
                continue
            below = self.content_after(number)
            if below is not None and indentation(self[below]) > indentation(line):
                habits[indentation(self[below]) - indentation(line)] += 1
        return habits[column - base] > habits[than - base]

    def columns(self, dash: bool) -> Counter[int]:
        """How many list items (or keys) of the file start in each column."""
        found: Counter[int] = Counter()
        for number, line in enumerate(self.lines):
            if number in self.prose:
                continue
            if dash and _dash_columns(line):
                found[indentation(line)] += 1
            elif not dash and (column := key_column(line)) is not None:
                found[column] += 1
        return found

    def content_after(self, index: int) -> int | None:
        for number in range(index + 1, len(self.lines)):
            stripped = self.lines[number].strip()
            if stripped and not stripped.startswith("#") and number not in self.prose:
                return number
        return None

    def content_before(self, index: int, *, prose: bool = False) -> int | None:
        """The nearest line above `index` with something other than a comment (and, unless
        `prose`, other than the continuation of a text)."""
        for number in range(index - 1, -1, -1):
            stripped = self.lines[number].strip()
            if stripped and not stripped.startswith("#") and (prose or number not in self.prose):
                return number
        return None


def _last_line(token: yaml.Token) -> int:
    """The last line a token covers (a text after > or | ends where the next line starts)."""
    end = token.end_mark
    return end.line if end.column > 0 else end.line - 1


def indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def key_column(line: str) -> int | None:
    """Where the key of a `key: value` line starts (after list dashes), if it is one."""
    start = indentation(line)
    match = _KEY_LINE.match(line, start)
    return start + len(match.group(1)) if match else None


def code_end(line: str) -> int:
    """Where a comment starts on the line (outside quotes), else its length."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"" and (index == 0 or line[index - 1] in " \t[{,:-"):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return len(line)


def reindented(line: str, column: int) -> str:
    return " " * column + line.lstrip(" \t")


def quoted_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True, slots=True)
class _Failure:
    """The parser's error and what it had read before it."""

    text: _Text
    problem: str
    context: str
    mark: yaml.Mark  # where the parser gave up
    context_mark: yaml.Mark | None
    tokens: list[yaml.Token]

    @property
    def line(self) -> int:  # 0-based, like the marks
        return self.mark.line

    def token_before(self, index: int | None = None) -> yaml.Token | None:
        index = self.mark.index if index is None else index
        before = [t for t in self.tokens if t.end_mark.index <= index]
        return before[-1] if before else None

    def flow_depth_at(self, index: int) -> int:
        depth = 0
        for token in self.tokens:
            if token.start_mark.index >= index:
                break
            if isinstance(token, T.FlowSequenceStartToken | T.FlowMappingStartToken):
                depth += 1
            elif isinstance(token, T.FlowSequenceEndToken | T.FlowMappingEndToken):
                depth = max(0, depth - 1)
        return depth

    def parser_words(self) -> str:
        words = f"{self.context}: {self.problem}" if self.context else self.problem
        return _QUOTED_PARSER_WORDS.sub(lambda match: verbatim(match.group()), words)


def diagnose(
    text: str, error: yaml.MarkedYAMLError, tokens: Iterable[yaml.Token] = ()
) -> Diagnosis:
    """The mistake behind a syntax error of the pure-Python parser, at its real line;
    `tokens` are those the parser read before it."""
    mark = error.problem_mark or error.context_mark
    assert mark is not None
    read = [token for token in tokens if isinstance(token, _CONTENT_TOKENS)]
    failure = _Failure(
        _Text(text, read), error.problem or "", error.context or "", mark, error.context_mark, read
    )
    for rule in _RULES:
        diagnosis = rule(failure)
        if diagnosis is not None:
            return diagnosis
    return _unreadable_line(failure)


# --- the rules, in the order they are tried --------------------------------------------------


def _tab(f: _Failure) -> Diagnosis | None:
    """A tab in the indentation (the parser says so on the tab's line or the one after)."""
    mentions_tab = "\\t" in f.problem or "tab" in f.problem
    for number in range(f.line, max(-1, f.line - 2), -1):
        line = f.text[number]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and (mentions_tab or number == f.line):
            return Diagnosis(
                number + 1,
                "a tab in the indentation: YAML is indented with spaces only",
                f.text.with_line(number, reindented(line, _column_like_above(f.text, number))),
            )
    line = f.text[f.line]
    if line[f.mark.column : f.mark.column + 1] == "\t":
        return Diagnosis(
            f.line + 1,
            "a tab where YAML expects a space: use spaces between the parts of a line",
            f.text.with_line(f.line, line[: f.mark.column] + " " + line[f.mark.column + 1 :]),
        )
    return None


def _unclosed_quote(f: _Failure) -> Diagnosis | None:
    """A quote that is not closed on its line runs on to the next quote, wherever that is."""
    if "quoted scalar" in f.context and "end of stream" in f.problem and f.context_mark:
        start = f.context_mark
        style = f.text[start.line][start.column : start.column + 1]
    else:
        token = f.token_before()
        if not (
            isinstance(token, T.ScalarToken)
            and token.style in ("'", '"')
            and token.start_mark.line < token.end_mark.line
        ):
            return None
        start, style = token.start_mark, token.style
    number = start.line
    line = f.text[number]
    end = len(line.rstrip())
    if f.flow_depth_at(start.index) and line[:end].endswith(("]", "}")):
        end = len(line[:end].rstrip("]}, "))  # close the text before the list's own brackets
    return Diagnosis(
        number + 1,
        f"an unclosed quote: the text opened with {style} on this line is not closed on it "
        f"(a text in quotes ends with the same quote, on the same line)",
        f.text.with_line(number, line[:end] + style + line[end:]),
    )


def _colon_in_value(f: _Failure) -> Diagnosis | None:
    """`key: a: b`, or a key indented further than the key above it."""
    if not f.problem.startswith("mapping values are not allowed"):
        return None
    number = f.line
    line = f.text[number]
    column = key_column(line)
    token = f.token_before()
    if (  # a text ran on from a line above into this key: that line lacks its colon
        isinstance(token, T.ScalarToken)
        and token.plain
        and token.start_mark.line < number
        and key_column(f.text[token.start_mark.line]) is None
    ):
        return _missing_colon(f, token.start_mark.line)
    above = f.text.content_before(number)
    above_column = key_column(f.text[above]) if above is not None else None
    first_colon = line.find(":", column or 0)
    if (
        column is not None
        and first_colon == f.mark.column
        and above is not None
        and above_column is not None
        and column > above_column
        and not _opens_block(f.text[above])
    ):
        alike = _alike_elsewhere(f.text, above) if _dash_columns(f.text[above]) else None
        if alike is not None and key_column(f.text[alike]) == column:
            # The entry's first line is the odd one: its dash is not where the others' are.
            odd = f.text[above]
            shift = column - above_column
            return Diagnosis(
                above + 1,
                f"a list item at the wrong indentation: it starts in column "
                f"{indentation(odd) + 1}, the items like it in column "
                f"{indentation(f.text[alike]) + 1} (line {alike + 1})",
                f.text.with_line(above, reindented(odd, indentation(odd) + shift)),
            )
        return Diagnosis(
            number + 1,
            f"a key indented further than the key above it (line {above + 1}): the keys of "
            "one entry start in the same column",
            f.text.with_line(number, reindented(line, above_column)),
        )
    value_start = _value_start(line)
    if value_start is None:
        return None
    end = code_end(line)
    value = line[value_start:end].strip()
    return Diagnosis(
        number + 1,
        "a colon inside an unquoted text: a colon followed by a space starts a key, so put "
        'the text in quotes ("...")',
        f.text.with_line(number, line[:value_start] + quoted_text(value) + line[end:]),
    )


def _no_colon(f: _Failure) -> Diagnosis | None:
    """A line the parser took for a key, but which has no colon after it."""
    if "could not find expected ':'" not in f.problem or f.context_mark is None:
        return None
    number = f.context_mark.line
    line = f.text[number]
    stripped = line.lstrip(" ")
    indent = indentation(line)
    if stripped.startswith("-") and not stripped.startswith(("- ", "---")):
        return Diagnosis(
            number + 1,
            "a list item needs a space after its dash (- item)",
            f.text.with_line(number, line[: indent + 1] + " " + line[indent + 1 :]),
        )
    above = f.text.content_before(number, prose=True)
    before = f.token_before(f.context_mark.index)
    if (
        isinstance(before, T.ScalarToken)
        and before.style in ("|", ">")
        and above is not None
        and indent < indentation(f.text[above])
    ):
        return Diagnosis(
            number + 1,
            f"a line of text indented less than the text above it (line {above + 1}): the "
            "lines of a text written after > or | all keep its indentation",
            f.text.with_line(number, reindented(line, indentation(f.text[above]))),
        )
    dash = _dash_above(f.text, number, indent)
    if dash is not None and (stripped[:1] in "'\"" or indent == dash):
        return Diagnosis(
            number + 1,
            "a list item without its dash: write - before it, like the items above",
            f.text.with_line(number, " " * dash + "- " + stripped),
        )
    return _missing_colon(f, number)


def _missing_colon(f: _Failure, number: int) -> Diagnosis:
    line = f.text[number]
    above = f.text.content_before(number)
    if (
        line.lstrip().startswith(("[", "{"))
        and above is not None
        and key_column(f.text[above]) is not None
        and indentation(f.text[above]) == indentation(line)
    ):
        # "    fields:" then its "[…]" in the same column: the key is the line out of place.
        number, line = above, f.text[above]
    sibling = _key_below_less_indented(f.text, number)
    if key_column(line) is not None and sibling is not None:
        # "    fields:" over the keys below it in column 3: the colon is there; the key is
        # pushed right, and what should be its value reads as a key of its own.
        column = key_column(f.text[sibling])
        assert column is not None
        return Diagnosis(
            number + 1,
            f"a key at the wrong indentation: it starts in column {indentation(line) + 1}, "
            f"the keys below it in column {column + 1} (line {sibling + 1})",
            f.text.with_line(number, reindented(line, column)),
        )
    dashes = re.match(r" *(?:- +)*", line)
    start = dashes.end() if dashes else 0
    word = line[start:].split(maxsplit=1)
    mended = line[:start] + word[0] + ":" + (" " + word[1] if len(word) > 1 else "")
    return Diagnosis(
        number + 1,
        "a key without its colon: write key: value, with a colon and a space after the key",
        f.text.with_line(number, mended),
    )


def _key_below_less_indented(text: _Text, number: int) -> int | None:
    """The next key below a key line that starts left of it but right of the block that
    holds them both (its sibling, written in the file's column)."""
    indent = indentation(text[number])
    parent = text.content_before(number)
    floor = indentation(text[parent]) if parent is not None else -1
    for other in range(number + 1, len(text.lines)):
        if other in text.prose or not text[other].strip() or text[other].lstrip().startswith("#"):
            continue
        column = key_column(text[other])
        if column is not None and floor < indentation(text[other]) < indent:
            return other
        if indentation(text[other]) <= floor:
            return None
    return None


def _key_before_brackets(f: _Failure) -> Diagnosis | None:
    """`and {separator: ...}`: without its colon, the key swallows the bracket, and the
    parser trips over a comma or a closing bracket later on the line."""
    line = f.text[f.line]
    char = line[f.mark.column : f.mark.column + 1]
    if char not in (",", "]", "}") or f.flow_depth_at(f.mark.index):
        return None
    match = re.match(r"( *(?:- +)*)([^\s:#'\"\[\]{},][^:#\[\]{}]*?) +[\[{]", line)
    if match is None:
        return None
    return _missing_colon(f, f.line)


def _text_after_quote(f: _Failure) -> Diagnosis | None:
    """`"a "word" b"` or `'what's'`: the quote inside the text ended it."""
    token = f.token_before()
    if not (
        isinstance(token, T.ScalarToken)
        and token.style in ("'", '"')
        and token.end_mark.line == f.line
        and not f.problem.startswith("found unknown escape")
    ):
        return None
    number = f.line
    line = f.text[number]
    close = token.end_mark.column - 1
    escaped = '\\"' if token.style == '"' else "''"
    return Diagnosis(
        number + 1,
        "text after the closing quote: a quote inside a quoted text ends it "
        "(inside \"...\" write \\\" for a quote; inside '...' write '' for an apostrophe)",
        f.text.with_line(number, line[:close] + escaped + line[close + 1 :]),
    )


def _unclosed_bracket(f: _Failure) -> Diagnosis | None:
    """A [ or { whose list runs on until something no longer fits in it."""
    if "while parsing a flow" not in f.context or f.context_mark is None:
        return None
    opened = f.context_mark
    bracket = f.text[opened.line][opened.column : opened.column + 1]
    closer = {"[": "]", "{": "}"}.get(bracket, "]")
    if f.line == opened.line:
        line = f.text[f.line]
        end = code_end(line)
        return Diagnosis(
            f.line + 1,
            f"a {bracket}...{closer} that is not well formed: its items are separated by "
            "commas, and a text with a comma, a colon, a bracket or a quote inside goes in "
            "quotes",
            f.text.with_line(f.line, line[: opened.column] + bracket + closer + line[end:]),
        )
    line = f.text[f.line]
    column = key_column(line)
    next_key = column is not None and line.find(":", column) == f.mark.column
    next_item = bool(_dash_columns(line)) and f.mark.column == indentation(line) + 2
    if (
        f.mark.column > indentation(line)
        and not (next_key or next_item)
        and "end of stream" not in f.problem
    ):
        # Inside the list, on a line of its own: a character that does not belong there.
        char = line[f.mark.column : f.mark.column + 1]
        if char not in ("]", "}", "[", "{", ":"):
            return None
        return Diagnosis(
            f.line + 1,
            f"a {char} that does not belong in the {bracket}...{closer} opened on line "
            f"{opened.line + 1}: quote a text that holds a bracket or a colon",
            f.text.with_line(f.line, line[: f.mark.column] + " " + line[f.mark.column + 1 :]),
        )
    # The list ends before the first line that reads like the file's structure again (a
    # key no deeper than the line that opened the list), else before the line read last.
    ends = f.line
    for number in range(opened.line + 1, f.line):
        candidate = f.text[number]
        if key_column(candidate) is not None and indentation(candidate) <= indentation(
            f.text[opened.line]
        ):
            ends = number
            break
    last = f.text.content_before(ends)
    number = last if last is not None and last >= opened.line else opened.line
    line = f.text[number]
    end = len(line[: code_end(line)].rstrip())
    where = "on this line" if number == opened.line else f"on line {opened.line + 1}"
    return Diagnosis(
        number + 1,
        f"an unclosed bracket: the {bracket} opened {where} is not closed with {closer}",
        f.text.with_line(number, line[:end] + closer + line[end:]),
    )


def _stray_closer(f: _Failure) -> Diagnosis | None:
    """Text after a ] or } that closed its list too early."""
    token = f.token_before()
    if not (
        isinstance(token, T.FlowSequenceEndToken | T.FlowMappingEndToken)
        and token.end_mark.line == f.line
    ):
        return None
    line = f.text[f.line]
    column = token.start_mark.column
    return Diagnosis(
        f.line + 1,
        f"text after the closing {line[column]}: a bracket too many, or text that belongs "
        "inside the brackets",
        f.text.with_line(f.line, line[:column] + " " + line[column + 1 :]),
    )


def _wrong_indentation(f: _Failure) -> Diagnosis | None:
    """A list item or key that starts in another column than the lines like it above."""
    if not (
        "expected <block end>" in f.problem
        or "did not find expected key" in f.problem
        or "expected '-' indicator" in f.problem
    ):
        return None
    number = f.line
    line = f.text[number]
    indent = indentation(line)
    if f.mark.column != indent:
        return None
    dash = bool(_dash_columns(line))
    if not dash and key_column(line) is None:
        return _item_without_dash(f, number)
    lone = f.text.content_before(number, prose=True)
    if (
        dash
        and lone is not None
        and not _dash_columns(f.text[lone])
        and key_column(f.text[lone]) is None
        and (opener := f.text.content_before(lone)) is not None
        and _opens_block(f.text[opener])
    ):  # `key:`, then a text alone, then items: the text is the first item, without dash
        return Diagnosis(
            lone + 1,
            "a list item without its dash: write - before it, like the items below",
            f.text.with_line(lone, " " * indent + "- " + f.text[lone].lstrip(" ")),
        )
    like = _like_above(f.text, number)
    if like is None:
        return None
    above, column = like
    if column == indent:
        return None  # it is where the lines like it are: the mistake is elsewhere
    if _nothing_alike_between(f.text, above, number) and _odd_one_above(f.text, above, number):
        odd = f.text[above]
        return Diagnosis(
            above + 1,
            f"{_kind(odd)} at the wrong indentation: it starts in column {column + 1}, "
            f"the line after it (line {number + 1}) in column {indent + 1}",
            f.text.with_line(above, reindented(odd, indent)),
        )
    return Diagnosis(
        number + 1,
        f"{_kind(line)} at the wrong indentation: it starts in column {indent + 1}, "
        f"{'the items' if dash else 'the keys'} above it in column {column + 1} "
        f"(line {above + 1})",
        f.text.with_line(number, reindented(line, column)),
    )


def _nothing_alike_between(text: _Text, above: int, number: int) -> bool:
    """Whether no other list item lies between two items (the nearest key above a key is
    the nearest by definition)."""
    if not _dash_columns(text[number]):
        return True
    return not any(
        _dash_columns(text[line]) for line in range(above + 1, number) if line not in text.prose
    )


def _odd_one_above(text: _Text, above: int, number: int) -> bool:
    """Whether, of two lines like each other in different columns, the upper one is out of
    line: the line after the lower one agrees with the lower one, or the upper one sits
    in a column the file rarely uses for such lines (`example.x:` pushed to column 1 among
    messages in column 3), or it opens its block in a column that is not the file's habit."""
    dash = bool(_dash_columns(text[number]))
    indent = _column(text[number], dash)
    column = _column(text[above], dash)
    after = text.content_after(number)
    if (  # (an opener's own lines below it say nothing of its column)
        after is not None
        and not _opens_block(text[number])
        and bool(_dash_columns(text[after])) == dash
        and _column(text[after], dash) == indent
    ):
        return True
    habits = text.columns(dash)
    if habits[column] * 2 < habits[indent]:
        return True
    before = text.content_before(above)
    return (
        before is not None
        and _opens_block(text[before])
        and dash == bool(_dash_columns(text[above]))  # not a key against an item's key
        and text.offset_is_usual(before, indent, than=column)
    )


def _column(line: str, dash: bool) -> int | None:
    """Where a list item's dash, or a key, starts."""
    return indentation(line) if dash else key_column(line)


def _alike_elsewhere(text: _Text, number: int) -> int | None:
    """The nearest other list item that starts like this one (`- id:`), above or below."""
    shape = _shape(text[number])
    for distance in range(1, len(text.lines)):
        for other in (number - distance, number + distance):
            if (
                0 <= other < len(text.lines)
                and other not in text.prose
                and _dash_columns(text[other])
                and _shape(text[other]) == shape
            ):
                return other
    return None


def _kind(line: str) -> str:
    return "a list item" if _dash_columns(line) else "a key"


def _opens_block(line: str) -> bool:
    return line[: code_end(line)].rstrip().endswith(":")


def _shape(line: str) -> str:
    """What a list item starts with: its first key (`- id:`), or the kind of its value."""
    rest = line.lstrip(" ")[2:]
    column = key_column(line)
    if column is not None:
        return "key:" + line[column : line.find(":", column)]
    return rest[:1] if rest[:1] in "\"'[{" else "text"


def _like_above(text: _Text, number: int) -> tuple[int, int] | None:
    """The nearest line above of the same kind, and its column: for a list item, an item
    that starts alike (`- id:` for `- id:`) or else any item; for a key, any key."""
    line = text[number]
    dash = bool(_dash_columns(line))
    fallback = None
    above = text.content_before(number)
    while above is not None:
        candidate = text[above]
        if dash and _dash_columns(candidate):
            if _shape(candidate) == _shape(line):
                return above, indentation(candidate)
            fallback = fallback or (above, indentation(candidate))
        elif not dash and key_column(candidate) is not None:
            return above, key_column(candidate)
        above = text.content_before(above)
    return fallback


def _item_without_dash(f: _Failure, number: int) -> Diagnosis | None:
    """A text alone on its line, below list items: an item that lost its dash."""
    line = f.text[number]
    sibling = _nearest_column(f.text, number, _dash_columns)
    if sibling is None or sibling[0] == indentation(line):
        return None
    return Diagnosis(
        number + 1,
        f"a list item without its dash, or at the wrong indentation: the items above "
        f"(line {sibling[1] + 1}) start with - in column {sibling[0] + 1}",
        f.text.with_line(number, " " * sibling[0] + "- " + line.lstrip(" ")),
    )


def _text_before_the_keys(f: _Failure) -> Diagnosis | None:
    """A text where the file's first key should be (a comment that lost its #?)."""
    if "expected '<document start>'" not in f.problem:
        return None
    first = next(
        (
            number
            for number, line in enumerate(f.text.lines)
            if line.strip() and not line.strip().startswith("#")
        ),
        None,
    )
    if first is None:
        return None
    line = f.text[first]
    if key_column(line) is None:
        return Diagnosis(
            first + 1,
            "a text outside any key: is it a comment that lost its #?",
            f.text.with_line(first, "#" + line),
        )
    if indentation(line) == 0:
        return None
    return Diagnosis(
        first + 1,
        "a key at the wrong indentation: the file's first key starts in column 1, like the "
        "other keys at the top of the file",
        f.text.with_line(first, line.lstrip(" ")),
    )


def _text_after_block_indicator(f: _Failure) -> Diagnosis | None:
    """`answer: > The answer`: a text after > or | begins on the next line."""
    if "block scalar" not in f.context or "expected a comment or a line break" not in f.problem:
        return None
    line = f.text[f.line]
    start = f.context_mark.column if f.context_mark else None
    if start is None or line[start : start + 1] not in ("|", ">"):
        return None
    return Diagnosis(
        f.line + 1,
        f"text after {line[start]} on its line: a text written after > or | begins on the "
        "next line (or quote it and leave out the > or |)",
        f.text.with_line(f.line, line[:start] + line[start + 1 :].lstrip("-+0123456789")),
    )


def _second_document(f: _Failure) -> Diagnosis | None:
    if "single document" not in f.context:
        return None
    line = f.text[f.line]
    return Diagnosis(
        f.line + 1,
        "a second document: a line --- starts another one, and a file holds one document",
        f.text.with_line(f.line, "#" + line),
    )


def _unknown_escape(f: _Failure) -> Diagnosis | None:
    if not f.problem.startswith("found unknown escape"):
        return None
    line = f.text[f.line]
    backslash = f.mark.column - 1
    if not 0 <= backslash < len(line) or line[backslash] != "\\":
        return None
    return Diagnosis(
        f.line + 1,
        f"an unknown escape {verbatim(line[backslash : backslash + 2])} inside double quotes: "
        "write \\\\ for a backslash, or put the text in single quotes",
        f.text.with_line(f.line, line[:backslash] + "\\" + line[backslash:]),
    )


def _reserved_start(f: _Failure) -> Diagnosis | None:
    if "cannot start any token" not in f.problem:
        return None
    line = f.text[f.line]
    column = f.mark.column
    char = line[column : column + 1]
    if char not in ("@", "`", "%", "|", ">"):
        return None
    if f.flow_depth_at(f.mark.index):  # in a [...] or {...}: quoting the rest would eat ] or }
        mended = line[:column] + " " + line[column + 1 :]
    else:
        end = code_end(line)
        mended = line[:column] + quoted_text(line[column:end].strip())
    return Diagnosis(
        f.line + 1,
        f"a text cannot start with {char}: put it in quotes",
        f.text.with_line(f.line, mended),
    )


def _unreadable_line(f: _Failure) -> Diagnosis:
    """The last resort: the line the parser stopped at. No guess is made (one would only
    echo as more errors below): the rest of the file is not read."""
    return Diagnosis(
        f.line + 1,
        f"this line cannot be read as YAML (the parser says: {f.parser_words()}); the file is "
        "not read past it",
        None,
    )


_RULES: tuple[Callable[[_Failure], Diagnosis | None], ...] = (
    _tab,
    _unclosed_quote,
    _unknown_escape,
    _key_before_brackets,
    _text_after_quote,
    _unclosed_bracket,
    _colon_in_value,
    _no_colon,
    _stray_closer,
    _wrong_indentation,
    _second_document,
    _reserved_start,
    _text_before_the_keys,
    _text_after_block_indicator,
)


# --- what the lines around a line are ----------------------------------------------------------


def _value_start(line: str) -> int | None:
    """Where the value of a `key: value` or `- value` line starts."""
    column = key_column(line)
    if column is not None:
        colon = line.find(":", column)
        return colon + 1 + (len(line[colon + 1 :]) - len(line[colon + 1 :].lstrip(" ")))
    indent = indentation(line)
    if line[indent:].startswith("- "):
        return indent + 2
    return None


def _dash_columns(line: str) -> list[int]:
    indent = indentation(line)
    return [indent] if line[indent:].startswith("- ") or line[indent:] == "-" else []


def _nearest_column(
    text: _Text, number: int, columns_of: Callable[[str], list[int]]
) -> tuple[int, int] | None:
    """The column (and line) of the line above whose column is closest to this line's."""
    indent = indentation(text[number])
    best: tuple[int, int, int] | None = None  # distance, -line, column
    for above in range(number - 1, -1, -1):
        if above in text.prose:
            continue
        for column in columns_of(text[above]):
            candidate = (abs(column - indent), -above, column)
            if best is None or candidate < best:
                best = candidate
    return None if best is None else (best[2], -best[1])


def _dash_above(text: _Text, number: int, indent: int) -> int | None:
    """The dash column of the list item just above, when this line could be its sibling."""
    above = text.content_before(number)
    if above is None:
        return None
    line = text[above]
    columns = _dash_columns(line)
    return columns[0] if columns and columns[0] <= indent else None


def _column_like_above(text: _Text, number: int) -> int:
    """The indentation a line most likely meant, from the line above it."""
    above = text.content_before(number)
    if above is None:
        return 0
    line = text[above]
    stripped = text[number].lstrip(" \t")
    if stripped.startswith("- ") and _dash_columns(line):
        return indentation(line)
    column = key_column(line)
    column = indentation(line) if column is None else column
    return column + 2 if line[: code_end(line)].rstrip().endswith(":") else column
