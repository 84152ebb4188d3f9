"""YAML mistakes are reported in an editor's terms, at the line of the mistake, and every one
of them in one run: the reader mends each as a guess and reads on."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.kb import _yaml
from bot.kb.paths import shipped_knowledge_dir
from tests import kb_copies as copies
from tests.kb_copies import edit, problems_of

SHIPPED = shipped_knowledge_dir()

# What the parser says, which must never be all an editor reads.
PARSER_WORDS = (
    "did not find expected",
    "could not find expected",
    "while parsing",
    "while scanning",
    "mapping values are not allowed",
    "cannot start any token",
    "expected <block end>",
)

QUESTION = '    question: "What is a Knowledge Cluster?"\n'
DEFINE = '      - "define knowledge cluster"\n'

# (file, old text, new text, a piece of the line the mistake is on, what the report says)
MISTAKES = [
    pytest.param(
        "intents.yaml",
        "intents:\n  fields:\n",
        "intents:\n    fields:\n",
        "    fields:",
        "a key at the wrong indentation",
        id="first-key-pushed-right-above-its-flow-list",
    ),
    pytest.param(
        "faq.yaml",
        "    topic: definition\n",
        "\ttopic: definition\n",
        "\ttopic",
        "a tab in the indentation",
        id="tab",
    ),
    pytest.param(
        "faq.yaml",
        "    topic: definition\n",
        "  \t  topic: definition\n",
        "\t  topic",
        "a tab in the indentation",
        id="tab-among-spaces",
    ),
    pytest.param(
        "faq.yaml",
        QUESTION,
        "    question: What is: a Knowledge Cluster?\n",
        "What is: a",
        "a colon inside an unquoted text",
        id="colon-in-value",
    ),
    pytest.param(
        "faq.yaml",
        QUESTION,
        '    question: "What is a Knowledge Cluster?\n',
        '"What is a Knowledge Cluster?\n',
        "an unclosed quote",
        id="unclosed-double-quote",
    ),
    pytest.param(
        "faq.yaml",
        QUESTION,
        "    question: 'What is a Knowledge Cluster?\n",
        "'What is a Knowledge Cluster?\n",
        "an unclosed quote",
        id="unclosed-single-quote",
    ),
    pytest.param(
        "faq.yaml",
        '      - {doc: kci-2008, where: "p. 1, What is a Knowledge Cluster?"}\n'
        '      - {doc: kci-2004-overview, where: "introduction"}\n\n  - id: how-it-works',
        '      - {doc: kci-2008, where: "p. 1, What is a Knowledge Cluster?}\n'
        '      - {doc: kci-2004-overview, where: "introduction"}\n\n  - id: how-it-works',
        "Knowledge Cluster?}",
        "an unclosed quote",
        id="unclosed-quote-in-braces",
    ),
    pytest.param(
        "faq.yaml",
        "local initiative, 知的クラスター, 定義]\n",
        "local initiative, 知的クラスター, 定義\n",
        "知的クラスター, 定義\n",
        "an unclosed bracket: the [ opened on this line is not closed with ]",
        id="unclosed-bracket",
    ),
    pytest.param(
        "intents.yaml",
        "     priority areas]\n",
        "     priority areas\n",
        "priority areas\n",
        "an unclosed bracket: the [ opened on line 6 is not closed with ]",
        id="unclosed-bracket-over-lines",
    ),
    pytest.param(
        "faq.yaml",
        "    topic: definition\n",
        "    topic definition\n",
        "topic definition",
        "a key without its colon",
        id="key-without-colon",
    ),
    pytest.param(
        "faq.yaml",
        '    alternates:\n      - "what is a knowledge cluster"\n',
        '    alternates\n      - "what is a knowledge cluster"\n',
        "    alternates\n",
        "a key without its colon",
        id="key-without-colon-before-its-list",
    ),
    pytest.param(
        "faq.yaml",
        DEFINE,
        '     - "define knowledge cluster"\n',
        '     - "define',
        "a list item at the wrong indentation: it starts in column 6, the items above it "
        "in column 7",
        id="list-item-dedented",
    ),
    pytest.param(
        "faq.yaml",
        DEFINE,
        '       - "define knowledge cluster"\n',
        '       - "define',
        "a list item at the wrong indentation: it starts in column 8",
        id="list-item-indented",
    ),
    pytest.param(
        "faq.yaml",
        "  - id: how-it-works\n",
        " - id: how-it-works\n",
        " - id: how-it-works",
        "a list item at the wrong indentation: it starts in column 2, the items above it "
        "in column 3",
        id="entry-dedented",
    ),
    pytest.param(
        "faq.yaml",
        "  - id: how-it-works\n",
        "   - id: how-it-works\n",
        "   - id: how-it-works",
        "a list item at the wrong indentation",
        id="entry-indented",
    ),
    pytest.param(
        "faq.yaml",
        "    topic: definition\n",
        "   topic: definition\n",
        "   topic: definition",
        "a key at the wrong indentation: it starts in column 4, the keys above it in column 5",
        id="key-dedented",
    ),
    pytest.param(
        "faq.yaml",
        "    topic: definition\n",
        "     topic: definition\n",
        "     topic: definition",
        "a key indented further than the key above it",
        id="key-indented",
    ),
    pytest.param(
        "faq.yaml",
        QUESTION,
        '    question: "What is a "Knowledge" Cluster?"\n',
        '"Knowledge"',
        "text after the closing quote",
        id="quote-inside-quotes",
    ),
    pytest.param(
        "faq.yaml",
        QUESTION,
        "    question: 'What's a Knowledge Cluster?'\n",
        "'What's",
        "inside '...' write '' for an apostrophe",
        id="apostrophe-inside-single-quotes",
    ),
    pytest.param(
        "clusters.yaml",
        '"第1期", "第一期"',
        '"第1期"], "第一期"',
        '"第1期"], "第一期"',
        "text after the closing ]",
        id="bracket-too-many",
    ),
    pytest.param(
        "faq.yaml",
        DEFINE,
        '      -"define knowledge cluster"\n',
        '-"define',
        "a list item needs a space after its dash",
        id="dash-without-space",
    ),
    pytest.param(
        "faq.yaml",
        DEFINE,
        '      "define knowledge cluster"\n',
        '      "define',
        "a list item without its dash",
        id="item-without-dash",
    ),
    pytest.param(
        "faq.yaml",
        DEFINE,
        '        "define knowledge cluster"\n',
        '        "define',
        "a list item without its dash, or at the wrong indentation",
        id="item-without-dash-indented",
    ),
    pytest.param(
        "faq.yaml",
        "      initiative around universities",
        "  initiative around universities",
        "  initiative around universities",
        "a line of text indented less than the text above it",
        id="text-line-dedented",
    ),
    pytest.param(
        "faq.yaml",
        QUESTION,
        '    question: "What is a \\q Knowledge Cluster?"\n',
        "\\q",
        "an unknown escape \\q inside double quotes",
        id="unknown-escape",
    ),
    pytest.param(
        "faq.yaml",
        QUESTION,
        "    question: @What is a Knowledge Cluster?\n",
        "@What",
        "a text cannot start with @: put it in quotes",
        id="reserved-first-character",
    ),
    pytest.param(
        "faq.yaml",
        "  - id: how-it-works\n",
        "---\n  - id: how-it-works\n",
        "---",
        "a second document",
        id="second-document",
    ),
    pytest.param(
        "faq.yaml",
        QUESTION,
        '    question: "What is a Knowledge\x07 Cluster?"\n',
        "\x07",
        "a character YAML does not allow (U+0007)",
        id="control-character",
    ),
]


def line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, f"{needle!r} must occur once"
    return copies.line_of(text, needle)


@pytest.fixture(params=["libyaml", "python"])
def parser(request, monkeypatch):
    """Either parser finds the mistake; the report is the same."""
    if request.param == "python":
        monkeypatch.setattr(_yaml, "LOADER", _yaml.PYTHON_LOADER)
    return request.param


@pytest.mark.parametrize(("name", "old", "new", "where", "says"), MISTAKES)
def test_a_yaml_mistake_is_named_at_its_line(kb_copy, parser, name, old, new, where, says):
    """The one problem of the base: our words, the mistake's own line, nothing else."""
    text = edit(kb_copy, name, old, new)
    problems = problems_of(kb_copy)
    assert len(problems) == 1, "\n".join(map(str, problems))
    (problem,) = problems
    assert (problem.file, problem.line) == (name, line_of(text, where)), str(problem)
    assert problem.message.startswith("invalid YAML: ")
    assert says in problem.message
    assert not any(words in problem.message for words in PARSER_WORDS), problem.message


def test_every_mistake_of_a_file_is_reported_in_one_run(kb_copy):
    """Four mistakes in one file, each at its own line, and nothing more."""
    text = edit(kb_copy, "faq.yaml", "    topic: definition\n", "\ttopic: definition\n")
    text = edit(kb_copy, "faq.yaml", DEFINE, '     - "define knowledge cluster"\n')
    text = edit(
        kb_copy,
        "faq.yaml",
        '    question: "How does a Knowledge Cluster work?"\n',
        '    question: "How does a Knowledge Cluster work?\n',
    )
    text = edit(
        kb_copy,
        "faq.yaml",
        "  - id: budget\n    topic: budget\n",
        "  - id: budget\n    topic budget\n",
    )
    problems = problems_of(kb_copy)
    assert [(p.file, p.line) for p in problems] == [
        ("faq.yaml", line_of(text, "\ttopic")),
        ("faq.yaml", line_of(text, '     - "define')),
        ("faq.yaml", line_of(text, "Cluster work?\n")),
        ("faq.yaml", line_of(text, "topic budget")),
    ]


def test_other_problems_of_a_file_with_a_yaml_mistake_are_reported_too(kb_copy):
    """A schema problem in another entry of the same file is not hidden by the mistake."""
    text = edit(kb_copy, "faq.yaml", "    topic: definition\n", "\ttopic: definition\n")
    text = edit(kb_copy, "faq.yaml", "  - id: budget\n    topic: budget\n", "  - id: budget\n")
    problems = problems_of(kb_copy)
    assert [(p.line, p.entry_id) for p in problems] == [
        (line_of(text, "\ttopic"), None),
        (line_of(text, "  - id: budget\n"), "budget"),
    ]
    assert problems[1].message == "missing required key 'topic'"


def test_references_into_a_file_with_a_yaml_mistake_are_checked(kb_copy):
    """A wrong document id in clusters.yaml is found while sources.yaml has a mistake; the
    documents of the mended entry are not called unknown."""
    sources = edit(
        kb_copy,
        "sources.yaml",
        '    title: "Knowledge Cluster Initiative, 2008 Edition (MEXT)"\n',
        '    title: "Knowledge Cluster Initiative, 2008 Edition (MEXT)\n',
    )
    clusters = edit(
        kb_copy,
        "clusters.yaml",
        "    page: 46\n    source: {doc: kci-2008",
        "    page: 46\n    source: {doc: kci-2088",
    )
    problems = problems_of(kb_copy)
    assert [(p.file, p.line) for p in problems] == [
        ("sources.yaml", line_of(sources, "2008 Edition (MEXT)\n")),
        ("clusters.yaml", line_of(clusters, "kci-2088")),
    ]
    assert "unknown document 'kci-2088'" in problems[1].message


def test_a_file_with_no_safe_guess_is_one_problem(kb_copy):
    """A file that is not YAML at all is reported once, not line by line."""
    (kb_copy / "faq.yaml").write_text("DISCORD_TOKEN=abc\n", encoding="utf-8")
    (problem,) = problems_of(kb_copy)
    assert problem.file == "faq.yaml"


def test_the_mending_never_loops(kb_copy):
    """A file of nothing but mistakes ends with a bounded report, quickly."""
    (kb_copy / "faq.yaml").write_text("faq:\n" + "  - [\"a: b\n\t'\n" * 200, encoding="utf-8")
    problems = problems_of(kb_copy)
    assert 1 <= len(problems) <= _yaml.MAX_MENDED + 1
    assert all(p.file == "faq.yaml" for p in problems)


# --- many mistakes of the kinds editors make, made by a seeded generator -----------------------

KEY = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w.]*)(:)(\s|$)")
MUTATED_FILES = (
    "faq.yaml",
    "clusters.yaml",
    "intents.yaml",
    "sources.yaml",
    "organizations.yaml",
    "fields.yaml",
    "geography.yaml",
    "messages/en.yaml",
    "messages/ja.yaml",
)


def editor_mistake(lines: list[str], rng: random.Random) -> tuple[int, str] | None:
    """One line changed as an editor might get it wrong: a tab, an indentation off by one
    or two, a colon, quote, bracket or dash lost, a colon or quote put inside a text."""
    for _ in range(200):
        number = rng.randrange(len(lines))
        line = lines[number]
        if not line.strip() or line.strip().startswith("#"):
            continue
        kind = rng.choice(["tab", "indent", "colon", "quote", "bracket", "colon in text", "dash"])
        key = KEY.match(line)
        new = None
        if kind == "tab" and line.startswith("  "):
            new = "\t" + line[2:]
        elif kind == "indent" and (key or line.lstrip().startswith("- ")):
            indent = len(line) - len(line.lstrip()) + rng.choice([-2, -1, 1, 2])
            new = " " * indent + line.lstrip() if indent >= 0 else None
        elif kind == "colon" and key:
            new = line[: key.end(2)] + line[key.end(3) :]
        elif kind in ("quote", "bracket") and line.rstrip()[-1:] in (
            '"' if kind == "quote" and line.count('"') == 2 else "]}"
        ):
            new = line.rstrip()[:-1]  # the closing quote or bracket lost
        elif kind == "colon in text" and key and line[key.end() :][:1] not in ("", '"', "'"):
            value = line[key.end() :]
            if value[:1] not in "[{>|" and len(value) > 2:
                cut = rng.randrange(1, len(value))
                new = line[: key.end()] + value[:cut] + ": " + value[cut:]
        elif kind == "dash" and line.lstrip().startswith("- ") and not key:
            new = line.replace("- ", "  ", 1)
        if new is not None and new != line:
            return number, new
    return None


def test_mistakes_editors_make_are_found_at_their_line():
    """Of 120 generated mistakes, nearly all are named at the changed line, none in the
    parser's words alone, and each file is read to its end (one report per mistake)."""
    rng = random.Random(20)
    texts = {
        name: (SHIPPED / name).read_text(encoding="utf-8").split("\n") for name in MUTATED_FILES
    }
    at_the_line = found = 0
    misses = []
    while found < 120:
        name = rng.choice(MUTATED_FILES)
        lines = list(texts[name])
        mistake = editor_mistake(lines, rng)
        if mistake is None:
            continue
        number, lines[number] = mistake
        document = _yaml.compose_document("\n".join(lines))
        if not document.problems:
            continue  # still valid YAML (a schema problem, if any, is `check`'s to report)
        found += 1
        first = document.problems[0]
        assert first.message.startswith("invalid YAML: ")
        assert document.node is not None, f"{name}:{number + 1} {first.message}"
        if first.line == number + 1:
            at_the_line += 1
        else:
            misses.append(f"{name}:{number + 1} reported at {first.line}: {first.message}")
    assert at_the_line >= 114, "\n".join(misses)  # 95%


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.floats(0, 1),
    junk=st.text(alphabet="\t\"':[]{}-#&*!|>%@`,\\ \n?", min_size=1, max_size=6),
)
def test_any_damage_is_reported_never_raised(position, junk):
    """Whatever is typed into a file, reading it ends with located problems, quickly."""
    text = (SHIPPED / "clusters.yaml").read_text(encoding="utf-8")
    cut = int(position * len(text))
    document = _yaml.compose_document(text[:cut] + junk + text[cut:])
    assert len(document.problems) <= _yaml.MAX_MENDED + 1
    for problem in document.problems:
        assert problem.message


def test_a_colon_inside_a_list_item_is_explained(kb_copy):
    """`- what is: a cluster` is valid YAML (a mapping), so the schema names the colon."""
    text = edit(kb_copy, "faq.yaml", DEFINE, "      - define: knowledge cluster\n")
    (problem,) = problems_of(kb_copy)
    assert problem.line == line_of(text, "- define: knowledge")
    assert problem.message == (
        "alternates[1]: expected a non-empty string, got a mapping: the colon after 'define' "
        "makes it a key (put the text in quotes if it is one text)"
    )


def test_a_large_file_full_of_mistakes_is_read_within_a_budget():
    """The parser that explains mistakes reads a bounded amount, whatever the file."""
    line = "  - {id: a, name: b\n"  # an unclosed brace on every line
    text = "faq:\n" + line * (_yaml.MAX_FILE_BYTES // len(line) - 1)
    calls = []
    explain = _yaml._explained

    def counted(text, error, limits):
        calls.append(len(text))
        return explain(text, error, limits)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_yaml, "_explained", counted)
        document = _yaml.compose_document(text)
    assert document.problems
    assert sum(calls) <= _yaml.MENDING_BUDGET_CHARS + len(text)
