"""Problems shown outside the server (a /reload reply) carry positions, never file content."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.loader import KnowledgeBaseError, Problem, load_knowledge
from bot.kb.problems import quoted, verbatim

SECRET = "SeCrEt42"

# Each edit puts SECRET into one kind of mistake: (file, old text, new text).
HOSTILE_EDITS = [
    (
        "clusters.yaml",
        '    source: {doc: kci-2008, where: "p. 1, What is a Knowledge Cluster?"}\n  - id: second',
        f"    {SECRET}: 1\n  - id: second",
    ),  # unknown key
    ("clusters.yaml", "    page: 24\n", f"    page: {SECRET}\n"),  # a wrong type
    ("clusters.yaml", "{id: sendai, name: Sendai,", f"{{id: {SECRET}, name: Sendai,"),
    (
        "clusters.yaml",
        "{id: nagano, name: Nagano, name_ja: 長野, aliases: [",
        f"{{id: {SECRET}, name: Nagano, name_ja: 長野, aliases: [{SECRET}x, ",
    ),  # a duplicate id and alias
    (
        "clusters.yaml",
        "{id: ueda, name: Ueda, name_ja: 上田, aliases: [",
        f"{{id: {SECRET}, name: Ueda, name_ja: 上田, aliases: [{SECRET}X, ",
    ),
    ("faq.yaml", "      - {doc: kci-2004-overview", f"      - {{doc: {SECRET}"),
    ("fields.yaml", 'colour: "#2E9E5B"', f'colour: "{SECRET}"'),
]


def problems_after(directory: Path, name: str, old: str, new: str) -> KnowledgeBaseError:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(directory)
    return raised.value


@pytest.mark.parametrize(("name", "old", "new"), HOSTILE_EDITS)
def test_redacted_problems_never_quote_the_file(kb_copy, name, old, new):
    """The editor's message names the mistake; the redacted one keeps file and line only."""
    error = problems_after(kb_copy, name, old, new)
    assert any(SECRET in str(problem) for problem in error.problems)
    for line in error.redacted():
        assert SECRET not in line
        assert str(kb_copy) not in line
        # A renamed place is also unknown to geography.yaml, which says where it is.
        assert line.startswith((name, "geography.yaml"))


@pytest.mark.parametrize(
    "text",
    [
        f"faq:\n\t- {SECRET}\n",  # a tab, quoted by the parser
        f'faq: "{SECRET}\n',  # an unclosed quote
        f"faq: !!python/object {SECRET}\n",  # an explicit tag
        f"DISCORD_TOKEN={SECRET}\n",  # another file linked in
        f"faq:\n  - \\x{SECRET}: 1\n  - [{SECRET}\n",
    ],
)
def test_redacted_yaml_errors_never_quote_the_file(kb_copy, text):
    """What the YAML parser quotes from the file is hidden too."""
    (kb_copy / "faq.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(kb_copy)
    for line in raised.value.redacted():
        assert SECRET not in line


def test_marks_never_reach_the_message():
    """Quoted content is marked for redaction, but message and str() read as before."""
    problem = Problem("clusters.yaml", 3, "kobe", f"stage: unknown stage {quoted('x')}")
    assert problem.message == "stage: unknown stage 'x'"
    assert str(problem) == "clusters.yaml:3 [kobe] stage: unknown stage 'x'"
    assert problem.redacted() == "clusters.yaml:3 stage: unknown stage …"


def test_marks_inside_content_cannot_end_the_quote_early():
    """A file that contains the mark characters itself still has all of it hidden."""
    hostile = "a\ue001 leaked \ue000b"
    problem = Problem("faq.yaml", 1, None, f"got {quoted(hostile)} and {verbatim(hostile)}")
    assert "leaked" not in problem.redacted()
    assert "leaked" in problem.message


def test_absolute_paths_become_relative_to_the_knowledge_directory(tmp_path):
    """A problem located by absolute path is shown relative to the knowledge directory."""
    error = KnowledgeBaseError(
        [Problem(str(tmp_path / "sub" / "faq.yaml"), 2, None, "broken")], str(tmp_path)
    )
    assert error.redacted() == ["sub/faq.yaml:2 broken"]
