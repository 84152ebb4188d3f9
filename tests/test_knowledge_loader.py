"""Loading and validating the knowledge base: the shipped files, bad input, schema errors."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from types import MappingProxyType

import pytest
import yaml

from bot.kb import _yaml
from bot.kb.loader import FILES, KnowledgeBaseError, Problem, load_knowledge
from bot.kb.model import KnowledgeBase
from bot.kb.paths import KNOWLEDGE_DIR_ENV, shipped_knowledge_dir
from bot.kb.text import normalize_alias
from tests.kb_copies import edit, line_of, only_problem, problems_of

SHIPPED = shipped_knowledge_dir()


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge base."""
    target = tmp_path / "knowledge"
    target.mkdir()
    for name in FILES:
        shutil.copyfile(SHIPPED / name, target / name)
    return target


def failure(directory: Path) -> KnowledgeBaseError:
    """The error loading `directory` raises. Failing fast is asserted by mechanism (refused
    before parsing, at the first anchor, at the value past the limit), not by a clock: the
    machine is shared."""
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(directory)
    return raised.value


# --- the shipped knowledge base -----------------------------------------------------------


def test_every_shipped_file_loads():
    """Every shipped file parses, and the whole base validates; all failures are listed."""
    failures = []
    for name in FILES:
        try:
            _yaml.load_nodes(SHIPPED / name)
        except _yaml.FileRefused as refused:
            failures.append(f"{name}:{refused.line} {refused.message}")
    try:
        load_knowledge(SHIPPED)
    except KnowledgeBaseError as exc:
        failures += [str(problem) for problem in exc.problems]
    assert not failures, "\n".join(failures)


def test_pure_python_parser_loads_the_same_base(monkeypatch):
    """Without libyaml the fallback parser builds the same knowledge base."""
    with_default = load_knowledge(SHIPPED)
    monkeypatch.setattr(_yaml, "LOADER", _yaml.PYTHON_LOADER)
    assert load_knowledge(SHIPPED) == with_default


def test_default_directory_is_the_shipped_one(monkeypatch):
    """With no argument and no $KNOWLEDGE_DIR the shipped knowledge base is loaded."""
    monkeypatch.delenv(KNOWLEDGE_DIR_ENV, raising=False)
    assert Path(load_knowledge().directory) == SHIPPED.resolve()


def test_environment_variable_is_honoured(kb_copy, monkeypatch):
    """load_knowledge(None) reads $KNOWLEDGE_DIR."""
    monkeypatch.setenv(KNOWLEDGE_DIR_ENV, str(kb_copy))
    assert Path(load_knowledge().directory) == kb_copy.resolve()


def test_loaded_objects_are_immutable():
    """The knowledge base is tuples, read-only mappings and frozen dataclasses."""
    kb = load_knowledge(SHIPPED)
    assert isinstance(kb, KnowledgeBase)
    assert isinstance(kb.clusters, tuple)
    assert isinstance(kb.clusters[0].fields, tuple)
    for mapping in (kb.places, kb.documents, kb.organizations, kb.fields, kb.intents):
        assert isinstance(mapping, MappingProxyType)
    assert all(isinstance(phrases, tuple) for phrases in kb.intents.values())
    with pytest.raises(dataclasses.FrozenInstanceError):
        kb.clusters[0].name = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        kb.places["elsewhere"] = kb.places["kobe"]  # type: ignore[index]


def test_shared_places_are_notes_not_errors():
    """A place heading two clusters is recorded in `notes` as the declared ambiguity."""
    kb = load_knowledge(SHIPPED)
    assert "place 'hamamatsu' heads 2 clusters: hamamatsu-second, hamamatsu-first" in kb.notes


def test_fields_source_is_kept():
    """The top-level `source` of fields.yaml is on the knowledge base."""
    kb = load_knowledge(SHIPPED)
    assert kb.fields_source is not None
    assert kb.fields_source.doc == "kci-2008"


# --- normalization ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Kōbe", "kobe"),
        ("KITAKYŪSHŪ", "kitakyushu"),
        ("Kôbe", "kobe"),
        ("ＨＡＭＡＭＡＴＳＵ", "hamamatsu"),
        ("  Saito  &  Kobe ", "saito kobe"),
        ("HOKKAIDO Area (with Sapporo as the core)", "hokkaido area with sapporo as the core"),
        ("福岡・北九州・飯塚", "福岡 北九州 飯塚"),
        ("ぎふ", "ぎふ"),
    ],
)
def test_normalize_alias(spelling, key):
    """Aliases compare after NFKC, casefolding, macron removal and separator collapsing."""
    assert normalize_alias(spelling) == key


# --- unreadable files: fail fast, name the file -------------------------------------------


def test_missing_directory_is_reported(tmp_path):
    """A knowledge directory that does not exist is one problem naming it."""
    missing = tmp_path / "nowhere"
    error = failure(missing)
    assert error.problems == (
        Problem(str(missing), None, None, "knowledge directory does not exist"),
    )


def test_missing_file_is_reported(kb_copy):
    """A missing file is reported by name; the other files are still checked."""
    (kb_copy / "faq.yaml").unlink()
    error = failure(kb_copy)
    (problem,) = error.problems
    assert problem.file == "faq.yaml"
    assert "file not found" in problem.message


def test_tab_indentation_is_reported_with_its_line(kb_copy):
    """A tab used for indentation fails with the file, the line and a hint."""
    line = 'title: "MEXT website, press release'
    text = edit(kb_copy, "sources.yaml", "    " + line, "\t" + line)
    error = failure(kb_copy)
    (problem,) = error.problems
    assert (problem.file, problem.line) == ("sources.yaml", line_of(text, "\ttitle"))
    assert "tab" in problem.message


def test_yaml_error_is_the_cause_of_the_domain_error(kb_copy):
    """The parser's own error is chained: `raise KnowledgeBaseError(...) from exc`."""
    edit(kb_copy, "faq.yaml", "faq:\n", "faq:\n\t- broken\n")
    error = failure(kb_copy)
    assert isinstance(error.__cause__, yaml.YAMLError)


def test_unclosed_quote_is_reported_with_a_line(kb_copy):
    """An unclosed quote is a YAML error naming the file and a line."""
    edit(kb_copy, "faq.yaml", 'question: "What is a Knowledge Cluster?"', 'question: "What is')
    error = failure(kb_copy)
    (problem,) = error.problems
    assert problem.file == "faq.yaml"
    assert problem.line is not None
    assert problem.message.startswith("invalid YAML")


def test_empty_file_is_reported(kb_copy):
    """An empty (or comment-only) file is refused by name."""
    (kb_copy / "intents.yaml").write_text("# nothing here\n", encoding="utf-8")
    error = failure(kb_copy)
    (problem,) = error.problems
    assert problem.file == "intents.yaml"
    assert "empty" in problem.message


def test_wrong_top_level_type_is_reported(kb_copy):
    """A file whose top level is a list instead of a mapping is refused by name."""
    (kb_copy / "fields.yaml").write_text("- life-sciences\n- it\n", encoding="utf-8")
    error = failure(kb_copy)
    (problem,) = error.problems
    assert (problem.file, problem.line) == ("fields.yaml", 1)
    assert "expected a mapping with the keys source, fields" in problem.message


def test_non_utf8_bytes_are_reported_with_their_line(kb_copy):
    """Bytes that are not UTF-8 are refused with the line they are on."""
    path = kb_copy / "organizations.yaml"
    data = path.read_bytes().replace(b"Naka-ku, Nagoya", b"Naka-ku, Nag\xf4ya")
    path.write_bytes(data)
    error = failure(kb_copy)
    (problem,) = error.problems
    expected_line = data[: data.index(b"\xf4")].count(b"\n") + 1
    assert (problem.file, problem.line) == ("organizations.yaml", expected_line)
    assert "UTF-8" in problem.message


def test_oversized_file_is_refused_before_parsing(kb_copy, monkeypatch):
    """A 5 MB file is refused on its size alone, without being parsed."""
    path = kb_copy / "clusters.yaml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("# padding\n" * 500_000)
    assert path.stat().st_size > 5_000_000
    compose = _yaml.compose

    def compose_small_files_only(text, loader_class=None, **options):
        assert len(text) <= _yaml.MAX_FILE_BYTES, "an oversized file reached the parser"
        return compose(text, loader_class, **options)

    monkeypatch.setattr(_yaml, "compose", compose_small_files_only)
    error = failure(kb_copy)
    (problem,) = error.problems
    assert problem.file == "clusters.yaml"
    assert "over the 1,048,576-byte limit" in problem.message


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_at_the_first_anchor(kb_copy):
    """A "billion laughs" document fails at its first anchor, fast and without expanding."""
    (kb_copy / "clusters.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    error = failure(kb_copy)
    (problem,) = error.problems
    assert (problem.file, problem.line) == ("clusters.yaml", 1)
    assert "anchors and aliases" in problem.message


@pytest.mark.parametrize("loader", [_yaml.LOADER, _yaml.PYTHON_LOADER], ids=["default", "python"])
def test_alias_bomb_is_refused_by_either_parser(loader):
    """The refusal happens in the composer, so the pure-Python fallback refuses it too, at
    the first anchor (line 1), before any alias is expanded."""
    with pytest.raises(_yaml.FileRefused, match="anchors and aliases") as raised:
        _yaml.compose(BILLION_LAUGHS, loader)
    assert raised.value.line == 1


def test_a_single_alias_is_refused():
    """Even one harmless-looking anchor and alias is refused: the base never needs them."""
    with pytest.raises(_yaml.FileRefused, match="anchors and aliases") as raised:
        _yaml.compose("x: &name Kobe\ny: *name\n")
    assert raised.value.line == 1


def test_python_tags_are_refused():
    """An explicit tag (here one that would build a Python object) is refused."""
    with pytest.raises(_yaml.FileRefused, match="explicit tag"):
        _yaml.compose("x: !!python/object/apply:os.system ['true']\n")


def test_deep_nesting_is_refused():
    """Runaway nesting is refused with its line before it can exhaust the stack, whether our
    depth limit or the YAML library's own catches it first (its words vary by release)."""
    with pytest.raises(_yaml.FileRefused) as raised:
        _yaml.compose("x: 1\ny: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert raised.value.line == 2


def test_nesting_past_the_depth_limit_is_refused():
    """A file nested deeper than any knowledge base needs, though well within what the YAML
    library accepts, is refused by our own limit."""
    depth = _yaml.DEFAULT_LIMITS.max_depth + 2
    with pytest.raises(_yaml.FileRefused, match=f"more than {depth - 2} levels") as raised:
        _yaml.compose("x: 1\ny: " + "[" * depth + "]" * depth + "\n")
    assert raised.value.line == 2


def test_too_many_values_are_refused(monkeypatch):
    """A file with far more values than a knowledge base has is refused early: at the value
    past the limit, not after composing all 200,000."""
    composed = 0
    compose_node = _yaml._StrictComposer.compose_node

    def counting(self, parent, index):
        nonlocal composed
        composed += 1
        return compose_node(self, parent, index)

    monkeypatch.setattr(_yaml._StrictComposer, "compose_node", counting)
    with pytest.raises(_yaml.FileRefused, match="values in one file"):
        _yaml.compose("x: [" + ",".join(["a"] * 200_000) + "]\n")
    assert composed == _yaml.MAX_NODES + 1


# --- schema errors: file, line and entry id ------------------------------------------------


def test_problem_renders_file_line_entry_and_message():
    """A problem reads like `clusters.yaml:142 [hamamatsu-first] fields: ...`."""
    problem = Problem("clusters.yaml", 142, "hamamatsu-first", "fields: unknown field 'bio'")
    assert str(problem) == "clusters.yaml:142 [hamamatsu-first] fields: unknown field 'bio'"


def test_error_message_lists_every_problem():
    """The domain error's text counts the problems and lists each on its own line."""
    error = KnowledgeBaseError(
        [Problem("a.yaml", 1, "x", "first"), Problem("b.yaml", None, None, "second")], "/kb"
    )
    assert str(error).splitlines() == [
        "2 problems in the knowledge base in /kb:",
        "  a.yaml:1 [x] first",
        "  b.yaml second",
    ]


def test_unknown_field_names_file_line_entry_and_known_fields(kb_copy):
    """An unknown field id is reported where it is, with the fields that exist."""
    old = "    fields: [it, life-sciences]\n    places: [hamamatsu]"
    text = edit(kb_copy, "clusters.yaml", old, old.replace("life-sciences", "bio"))
    problem = only_problem(kb_copy)
    assert str(problem) == (
        f"clusters.yaml:{line_of(text, '[it, bio]')} [hamamatsu-first] fields: unknown field "
        "'bio' (known: life-sciences, it, environment, nanotech-materials)"
    )


def test_unknown_key_is_reported_with_allowed_keys(kb_copy):
    """A misspelt key is reported with its line and the keys that are allowed."""
    text = edit(kb_copy, "clusters.yaml", "    page: 46\n", "    pgae: 46\n")
    problem = only_problem(kb_copy)
    assert (problem.file, problem.line, problem.entry_id) == (
        "clusters.yaml",
        line_of(text, "pgae"),
        "kobe-first",
    )
    assert problem.message.startswith("unknown key 'pgae' (allowed: id, name, stage, status,")


def test_duplicate_id_is_reported_with_the_first_line(kb_copy):
    """Two clusters with one id: the second is reported, pointing at the first."""
    text = edit(kb_copy, "clusters.yaml", "  - id: takamatsu-first\n", "  - id: hiroshima-first\n")
    first = line_of(text, "  - id: hiroshima-first")
    second = text.count("\n", 0, text.rindex("  - id: hiroshima-first")) + 1
    problem = only_problem(kb_copy)
    assert (problem.file, problem.line, problem.entry_id) == (
        "clusters.yaml",
        second,
        "hiroshima-first",
    )
    assert problem.message == f"duplicate cluster id 'hiroshima-first' (first on line {first})"


def test_dangling_organization_reference_is_reported(kb_copy):
    """A cluster pointing at an organization that does not exist is reported."""
    text = edit(kb_copy, "clusters.yaml", "organization: {id: astf,", "organization: {id: asft,")
    problem = only_problem(kb_copy)
    assert (problem.file, problem.line, problem.entry_id) == (
        "clusters.yaml",
        line_of(text, "{id: asft,"),
        "aichi-first",
    )
    assert problem.message.startswith("organization: unknown organization 'asft' (known: noastec,")


def test_dangling_programme_office_is_reported(kb_copy):
    """`programme_office` must name a known organization."""
    text = edit(
        kb_copy, "organizations.yaml", "programme_office: mext-office", "programme_office: mext"
    )
    problem = only_problem(kb_copy)
    assert (problem.file, problem.line) == (
        "organizations.yaml",
        line_of(text, "programme_office: mext"),
    )
    assert "programme_office: unknown organization 'mext'" in problem.message


def test_missing_source_is_reported(kb_copy):
    """A cluster without its `source` is refused: nothing goes in without a source."""
    old = (
        "    page: 54\n"
        "    source: {doc: kci-2008, "
        'where: "Contents: Knowledge Clusters: The First Stage (Ended)"}\n'
    )
    text = edit(kb_copy, "clusters.yaml", old, "    page: 54\n")
    problem = only_problem(kb_copy)
    assert (problem.file, problem.entry_id) == ("clusters.yaml", "kitakyushu-first")
    assert problem.line == line_of(text, "  - id: kitakyushu-first")
    assert problem.message == "missing required key 'source'"


def test_organization_without_sources_is_reported(kb_copy):
    """An organization's contact details need at least one source."""
    old = "    sources:\n      - {doc: gifu-report}\n"
    edit(kb_copy, "organizations.yaml", old, "    sources: []\n")
    problem = only_problem(kb_copy)
    assert (problem.file, problem.entry_id) == ("organizations.yaml", "gifu-foundation")
    assert problem.message == "sources: needs at least one source"


def test_source_must_point_at_a_known_document(kb_copy):
    """A source citing an unknown document is reported where it is cited."""
    text = edit(kb_copy, "faq.yaml", "      - {doc: hai-optronics}\n", "      - {doc: hai}\n")
    problem = only_problem(kb_copy)
    assert (problem.file, problem.line, problem.entry_id) == (
        "faq.yaml",
        line_of(text, "{doc: hai}"),
        "japanese-name",
    )
    assert problem.message.startswith("sources[0]: unknown document 'hai' (known: kci-2008,")


def test_broken_sources_file_does_not_cascade(kb_copy):
    """When sources.yaml cannot be read, citations are not all reported as unknown."""
    (kb_copy / "sources.yaml").write_text("documents: [\n", encoding="utf-8")
    problem = only_problem(kb_copy)
    assert problem.file == "sources.yaml"


def test_faq_with_too_few_alternates_is_reported(kb_copy):
    """A FAQ entry needs at least three alternate phrasings."""
    old = (
        '      - "does the initiative collaborate with other ministries"\n'
        '      - "do other ministries take part"\n'
        '      - "how does mext work with other ministries"\n'
    )
    edit(kb_copy, "faq.yaml", old, "")
    problem = only_problem(kb_copy)
    assert (problem.file, problem.entry_id) == ("faq.yaml", "collaboration")
    assert problem.message == "alternates: needs at least 3 items, has 2"


def test_empty_answer_is_reported(kb_copy):
    """An empty answer is refused with its line."""
    old = (
        "      In Japanese the initiative is called 知的クラスター創成事業. From fiscal 2010 "
        "it was folded\n      into MEXT's イノベーションシステム整備事業.\n"
    )
    text = edit(kb_copy, "faq.yaml", "    answer: >-\n" + old, '    answer: ""\n')
    problem = only_problem(kb_copy)
    assert (problem.file, problem.line, problem.entry_id) == (
        "faq.yaml",
        line_of(text, 'answer: ""'),
        "japanese-name",
    )
    assert problem.message == "answer: expected a non-empty string, got an empty string"


def test_unquoted_number_where_text_is_expected_is_reported(kb_copy):
    """YAML reads an unquoted 2010 as a number; the message says to quote it."""
    edit(kb_copy, "faq.yaml", 'anymore, "2010", fiscal', "anymore, 2010, fiscal")
    problem = only_problem(kb_copy)
    assert problem.entry_id == "programme-now"
    assert "keywords[2]: expected a non-empty string, got the number 2010 (quote it" in (
        problem.message
    )


def test_page_must_be_a_whole_number(kb_copy):
    """A page given as text is a type error."""
    edit(kb_copy, "clusters.yaml", "    page: 30\n", '    page: "thirty"\n')
    problem = only_problem(kb_copy)
    assert problem.entry_id == "ube-first"
    assert problem.message.startswith("page: expected a positive whole number")


def test_unknown_stage_is_reported(kb_copy):
    """A cluster's stage must be one of the declared stages."""
    old = '  - id: kyoto-first\n    name: "KYOTO"\n    stage: first\n'
    edit(kb_copy, "clusters.yaml", old, old.replace("stage: first", "stage: third"))
    problem = only_problem(kb_copy)
    assert problem.entry_id == "kyoto-first"
    assert problem.message == "stage: unknown stage 'third' (known: first, second)"


def test_unknown_place_is_reported(kb_copy):
    """A cluster's place must be declared under `places:`."""
    edit(kb_copy, "clusters.yaml", "    places: [kanazawa]\n", "    places: [kanazawa, noto]\n")
    problem = only_problem(kb_copy)
    assert problem.entry_id == "kanazawa-first"
    assert problem.message.startswith("places: unknown place 'noto' (known: hokkaido, sapporo,")


def test_intent_phrases_must_be_a_non_empty_list(kb_copy):
    """An intent with no phrases is reported."""
    text = (kb_copy / "intents.yaml").read_text(encoding="utf-8")
    start = text.index("  help:\n")
    (kb_copy / "intents.yaml").write_text(text[:start] + "  help: []\n", encoding="utf-8")
    problem = only_problem(kb_copy)
    assert (problem.file, problem.entry_id) == ("intents.yaml", "help")
    assert problem.message == "phrases: needs at least 1 item, has 0"


def test_intent_phrase_must_be_text(kb_copy):
    """A phrase that YAML reads as a boolean is reported with a hint to quote it."""
    edit(kb_copy, "intents.yaml", "[help, what can you do,", "[help, yes, what can you do,")
    problem = only_problem(kb_copy)
    assert (problem.file, problem.entry_id) == ("intents.yaml", "help")
    assert "got the boolean true (quote it" in problem.message


@pytest.mark.parametrize(
    ("name", "old", "new", "entry_id", "message"),
    [
        pytest.param(
            "sources.yaml",
            '    note: "seed 004_936b2ab2fcdea2b8.txt"\n',
            "",
            "sendai-cluster-page",
            "a document needs a `url` or a `note` saying where it is",
            id="document-without-location",
        ),
        pytest.param(
            "sources.yaml",
            'url: "http://www.astf.or.jp/finished/choju/02-1-3.html"',
            'url: "www.astf.or.jp"',
            "astf-aichi",
            "url: expected an http(s) address, got 'www.astf.or.jp'",
            id="url-without-scheme",
        ),
        pytest.param(
            "fields.yaml",
            'colour: "#8E44AD"',
            'colour: "purple"',
            "nanotech-materials",
            "colour: expected #RRGGBB, got 'purple'",
            id="colour-format",
        ),
        pytest.param(
            "fields.yaml",
            "synonyms: [environment, environmental,",
            "synonyms: [environment, bio, environmental,",
            "environment",
            "synonym 'bio' also means field 'life-sciences'",
            id="field-synonym-collision",
        ),
        pytest.param(
            "clusters.yaml",
            "synonyms: [ended, finished,",
            "synonyms: [ended, ongoing, finished,",
            "ended",
            "synonym 'ongoing' also means stage or status 'active'",
            id="status-synonym-collision",
        ),
        pytest.param(
            "faq.yaml",
            '      - "他省庁との連携は"\n',
            '      - "他省庁との連携は"\n      - "what are your sources"\n',
            "collaboration",
            "alternates: 'what are your sources' is also a phrase of FAQ entry 'edition'",
            id="faq-phrase-in-two-entries",
        ),
        pytest.param(
            "clusters.yaml",
            "    fields: [life-sciences]\n    places: [kanazawa]",
            "    fields: [life-sciences, life-sciences]\n    places: [kanazawa]",
            "kanazawa-first",
            "fields: 'life-sciences' is listed twice",
            id="field-listed-twice",
        ),
        pytest.param(
            "clusters.yaml",
            "    stage: second\n    status: active\n    fields: [it]\n",
            "    stage: second\n    status: active\n    stage: first\n    fields: [it]\n",
            "fukuoka-second",
            "key 'stage' is given twice (first on line ",
            id="key-given-twice",
        ),
        pytest.param(
            "organizations.yaml",
            "  - id: gifu-foundation\n",
            "  - id: gifu-foundation\n    short_name: 1234\n",
            "gifu-foundation",
            "short_name: expected a non-empty string, got the number 1234",
            id="number-for-text",
        ),
        pytest.param(
            "clusters.yaml",
            "    started: 2007\n",
            "    started: true\n",
            "second",
            "started: expected a positive whole number, got the boolean true",
            id="boolean-for-number",
        ),
        pytest.param(
            "faq.yaml",
            "faq:\n",
            "faq:\n  - just a question?\n",
            "faq #1",
            "expected a mapping (key: value), got the string 'just a question?'",
            id="entry-not-a-mapping",
        ),
        pytest.param(
            "intents.yaml",
            "intents:\n",
            "version: 2\nintents:\n",
            None,
            "unknown top-level key 'version' (allowed: intents, shared_phrases)",
            id="unknown-top-level-key",
        ),
    ],
)
def test_schema_error_is_located(kb_copy, name, old, new, entry_id, message):
    """Each schema rule reports one problem naming the file, its line and the entry."""
    text = edit(kb_copy, name, old, new)
    problem = only_problem(kb_copy)
    assert (problem.file, problem.entry_id) == (name, entry_id)
    assert problem.line is not None
    assert 1 <= problem.line <= text.count("\n")
    assert message in problem.message


def test_a_stage_clusters_use_but_nobody_defines_is_reported(kb_copy):
    """A stage is data: removed, every cluster and section of it is reported at its line."""
    text = (kb_copy / "clusters.yaml").read_text(encoding="utf-8")
    start, end = text.index("  - id: second\n"), text.index("statuses:")
    (kb_copy / "clusters.yaml").write_text(text[:start] + "\n" + text[end:], encoding="utf-8")
    problems = problems_of(kb_copy)
    unknown = [p for p in problems if p.message.startswith("stage: unknown stage 'second'")]
    assert {p.entry_id for p in unknown} >= {"hokkaido-second", "fukuoka-second"}
    assert all(p.line for p in unknown)


# --- alias collisions -----------------------------------------------------------------------


def test_cluster_alias_equal_to_an_unlisted_place_is_an_error(kb_copy):
    """A cluster alias that spells a place the cluster does not list is a collision."""
    text = edit(
        kb_copy,
        "clusters.yaml",
        "    places: [kanazawa]\n    aliases: []\n",
        "    places: [kanazawa]\n    aliases: [Kōbe]\n",
    )
    problem = only_problem(kb_copy)
    assert (problem.file, problem.line, problem.entry_id) == (
        "clusters.yaml",
        line_of(text, "aliases: [Kōbe]"),
        "kanazawa-first",
    )
    assert problem.message.startswith("alias 'Kōbe' collides with place 'kobe' ('Kobe', line ")


def test_cluster_alias_equal_to_another_clusters_alias_is_an_error(kb_copy):
    """Two clusters may not share an alias, even when they share a place."""
    old = "    places: [sendai]\n    aliases: []\n"
    edit(kb_copy, "clusters.yaml", old, old.replace("[]", "[Greater Sendai]"))
    problem = only_problem(kb_copy)
    assert problem.entry_id == "sendai-first"
    assert "collides with cluster 'sendai-second' ('greater sendai'" in problem.message


def test_cluster_name_equal_to_an_unlisted_place_is_an_error(kb_copy):
    """A cluster's name counts as its alias: naming Kanazawa's cluster HAMAMATSU collides."""
    edit(kb_copy, "clusters.yaml", 'name: "KANAZAWA"', 'name: "HAMAMATSU"')
    problems = problems_of(kb_copy)
    assert {p.entry_id for p in problems} == {"kanazawa-first"}
    assert "collides with place 'hamamatsu'" in problems[0].message


def test_two_places_may_not_share_a_spelling(kb_copy):
    """A spelling shared by two places is an error on the later place."""
    edit(
        kb_copy,
        "clusters.yaml",
        "aliases: [うえだ, ウエダ]",
        "aliases: [うえだ, ウエダ, 長野]",
    )
    problem = only_problem(kb_copy)
    assert problem.entry_id == "ueda"
    assert "collides with place 'nagano'" in problem.message


def test_a_japanese_name_is_a_spelling_too(kb_copy):
    """name_ja collides like any alias: 長野 as Ueda's Japanese name is Nagano's."""
    edit(kb_copy, "clusters.yaml", "name: Ueda, name_ja: 上田,", "name: Ueda, name_ja: 長野,")
    problem = only_problem(kb_copy)
    assert problem.entry_id == "ueda"
    assert "collides with place 'nagano'" in problem.message


def test_shared_place_spelling_is_not_an_error():
    """HAMAMATSU names two clusters that both list the place hamamatsu: a note, no error."""
    kb = load_knowledge(SHIPPED)
    hamamatsu = [c for c in kb.clusters if c.name == "HAMAMATSU"]
    assert len(hamamatsu) == 2
    assert all("hamamatsu" in c.places for c in hamamatsu)


# --- several problems at once ---------------------------------------------------------------


def test_several_problems_are_reported_together(kb_copy):
    """Problems in several files are all reported in one error, in file order."""
    edit(
        kb_copy,
        "sources.yaml",
        "  - id: hai-optronics\n",
        "  - id: hai-optronics\n    year: 2010\n",
    )
    edit(kb_copy, "clusters.yaml", "    page: 46\n", "    page: 0\n")
    edit(kb_copy, "faq.yaml", "  - id: budget\n    topic: budget\n", "  - id: budget\n")
    problems = problems_of(kb_copy)
    assert [(p.file, p.entry_id) for p in problems] == [
        ("sources.yaml", "hai-optronics"),
        ("clusters.yaml", "kobe-first"),
        ("faq.yaml", "budget"),
    ]
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(kb_copy)
    assert str(raised.value).startswith("3 problems in the knowledge base in ")
    assert all(str(problem) in str(raised.value) for problem in problems)
