"""Catalogues (knowledge/messages/*.yaml): read strictly, checked against the code's message
registry, and used to put an answer into words, falling back to English message by message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import app as application
from bot.engine import messages as M
from bot.engine.answer import Msg, Ref
from bot.engine.registry import REGISTRY
from bot.i18n.catalogue import TemplateError, parse_template, plural_category
from bot.i18n.loading import MESSAGES_DIR, load_catalogues
from bot.i18n.localize import Localizer
from bot.kb.check import run_check
from bot.kb.loader import FILES, KnowledgeBaseError
from bot.kb.paths import shipped_knowledge_dir
from tests.support import shipped_knowledge

SHIPPED = shipped_knowledge_dir()


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge base, catalogues included."""
    target = tmp_path / "knowledge"
    target.mkdir()
    for name in FILES:
        shutil.copyfile(SHIPPED / name, target / name)
    shutil.copytree(SHIPPED / MESSAGES_DIR, target / MESSAGES_DIR)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_catalogues(directory)
    return [str(p) for p in caught.value.problems]


# ----------------------------------------------------------------------------- shipped


def test_shipped_catalogues_cover_every_message():
    """Every message the code declares is in every shipped catalogue, nothing is missing."""
    catalogues = load_catalogues(SHIPPED)
    assert "en" in catalogues.languages
    assert catalogues.missing == ()
    for catalogue in catalogues.by_language.values():
        assert set(catalogue.messages) == set(REGISTRY), catalogue.language


def test_check_reports_the_catalogues(capsys):
    """`check` names each catalogue with its number of messages."""
    assert run_check(str(SHIPPED)) == 0
    assert f"en ({len(REGISTRY)} messages)" in capsys.readouterr().out


# ----------------------------------------------------------------------------- problems


def test_every_catalogue_problem_is_reported_at_once_with_line_and_id(knowledge_copy):
    """A typo'd id, an unknown placeholder, a dropped parameter and a broken template are
    all reported in one go, each with file, line and message id."""
    en = knowledge_copy / MESSAGES_DIR / "en.yaml"
    edit(
        en, '  fields.title: "Key fields of {clusters:slash/readable}"', '  fields.titel: "Fields"'
    )
    edit(
        en,
        '  contact.title: "Contact for {clusters:slash/readable}"',
        '  contact.title: "For {cluster}"',
    )
    edit(en, '  page.line: "Page {page}"', '  page.line: "Page."')
    edit(
        en,
        '  stage.title: "Stage of {clusters:slash/readable}"',
        '  stage.title: "Stage of {clusters"',
    )
    problems = problems_of(knowledge_copy)
    joined = "\n".join(problems)
    assert "messages/en.yaml:" in joined
    assert "[fields.titel] no such message in the code" in joined
    assert "[contact.title] unknown placeholder(s) ['cluster']" in joined
    assert "[page.line] the words drop ['page']" in joined
    assert "[stage.title] not a valid template" in joined
    # English has no fallback: the message the typo lost is missing, and that is an error.
    assert "[fields.title] message missing" in joined


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{x.y}", "plain name"),
        ("{x[0]}", "plain name"),
        ("{x!r}", "no conversions"),
        ("{x:{y}}", "one word"),
        ("{", "not a valid template"),
        ("}", "not a valid template"),
    ],
)
def test_templates_allow_only_plain_named_placeholders(template, reason):
    """No attribute or index access, conversions or nested specs: a catalogue cannot reach
    into the objects it formats."""
    with pytest.raises(TemplateError, match=reason):
        parse_template(template)


def test_plural_forms_need_a_count(knowledge_copy):
    """Plural forms on a message without a count are refused."""
    en = knowledge_copy / MESSAGES_DIR / "en.yaml"
    edit(
        en,
        '  fields.line: "{fields:dot/emoji}"',
        '  fields.line: {one: "{fields}", other: "{fields}"}',
    )
    assert any(
        "[fields.line] has plural forms but no count" in p for p in problems_of(knowledge_copy)
    )


def test_an_unknown_list_pattern_is_refused(knowledge_copy):
    en = knowledge_copy / MESSAGES_DIR / "en.yaml"
    edit(en, '  fields.line: "{fields:dot/emoji}"', '  fields.line: "Fields: {fields:nope}"')
    assert any("unknown spec in {fields:nope}" in p for p in problems_of(knowledge_copy))


def test_a_translation_gap_falls_back_to_english_and_check_fails(knowledge_copy, capsys):
    """A message missing from a translation is English in the reply, and `check` lists it."""
    catalogue = knowledge_copy / MESSAGES_DIR / "xx.yaml"
    english = (knowledge_copy / MESSAGES_DIR / "en.yaml").read_text(encoding="utf-8")
    translated = english.replace("language: en", "language: xx").replace(
        '  fields.title: "Key fields of {clusters:slash/readable}"\n', ""
    )
    translated = translated.replace('"{fields:dot/emoji}"', '"FIELDS: {fields}"')
    catalogue.write_text(translated, encoding="utf-8")

    catalogues = load_catalogues(knowledge_copy)  # the bot still starts
    assert [p.entry_id for p in catalogues.missing] == ["fields.title"]
    localizer = Localizer(shipped_knowledge().kb, catalogues)
    reply = localizer.localize(shipped_knowledge().engine.ask("kyoto fields"), "xx")
    assert reply.title == "Key fields of Kyoto"  # from English, for this message only
    assert reply.lead == "FIELDS: Nanotech/Materials"  # from xx

    assert run_check(str(knowledge_copy)) == 1
    # Located where it belongs: after the message English has before it.
    lines = translated.splitlines()
    english_lines = english.splitlines()
    title = next(n for n, line in enumerate(english_lines) if line.startswith("  fields.title:"))
    before = next(
        line.split(":")[0].strip()
        for line in reversed(english_lines[:title])
        if line.startswith("  ") and line[2] not in " #" and ":" in line
    )
    line = next(n for n, text in enumerate(lines, 1) if text.startswith(f"  {before}:"))
    assert (
        f"messages/xx.yaml:{line} [fields.title] message missing (the code uses it): it "
        f"belongs after {before}"
    ) in capsys.readouterr().err


def test_a_translation_gap_is_listed_beside_the_catalogues_other_problems(knowledge_copy):
    """A missing message and a broken one in the same translation: both in one run."""
    ja = knowledge_copy / MESSAGES_DIR / "ja.yaml"
    text = ja.read_text(encoding="utf-8")
    gone = next(line for line in text.splitlines() if line.startswith("  card.stage:"))
    edit(ja, gone + "\n", "")
    edit(ja, '  cluster.titled: "{cluster}', '  cluster.titled: "{clustr}')
    with pytest.raises(KnowledgeBaseError) as caught:
        load_catalogues(knowledge_copy)
    assert [p.entry_id for p in caught.value.problems] == ["cluster.titled"]
    assert [p.entry_id for p in caught.value.gaps] == ["card.stage"]


def test_yaml_mistakes_in_a_catalogue_are_all_reported_with_its_other_problems(knowledge_copy):
    """Two YAML mistakes, an unknown placeholder and a missing message in one catalogue:
    each at its line, in our words, in one load."""
    ja = knowledge_copy / MESSAGES_DIR / "ja.yaml"
    edit(ja, '  card.stage: "段階"', '\tcard.stage: "段階"')
    edit(ja, '  cluster.titled: "{cluster}（{stage}）"', '  cluster.titled: "{cluster}（{stage}）')
    edit(ja, '  stage.phrase: "{stage}', '  stage.phrase: "{stge}')
    gone = next(
        line for line in ja.read_text(encoding="utf-8").splitlines() if "as_of.edition" in line
    )
    edit(ja, gone + "\n", "")
    text = ja.read_text(encoding="utf-8")
    lines = text.splitlines()

    def line_of(needle: str) -> int:
        return next(number for number, line in enumerate(lines, 1) if needle in line)

    with pytest.raises(KnowledgeBaseError) as caught:
        load_catalogues(knowledge_copy)
    problems = caught.value.problems
    assert sorted((p.line, p.entry_id or "") for p in problems) == sorted(
        [
            (line_of("\tcard.stage"), ""),
            (line_of("cluster.titled"), ""),
            (line_of("stage.phrase:"), "stage.phrase"),
        ]
    )
    messages = {p.line: p.message for p in problems}
    assert messages[line_of("\tcard.stage")].startswith("invalid YAML: a tab in the indentation")
    assert messages[line_of("cluster.titled")].startswith("invalid YAML: an unclosed quote")
    assert [p.entry_id for p in caught.value.gaps] == [gone.split(":")[0].strip()]


def test_a_broken_catalogue_fails_the_load_and_a_reload_keeps_the_old(knowledge_copy):
    """application.load refuses a broken catalogue, so a reload keeps what was live."""
    live = application.load(knowledge_copy)
    app = application.Application(live)
    edit(knowledge_copy / MESSAGES_DIR / "en.yaml", "messages:", "messages: [")
    with pytest.raises(KnowledgeBaseError):
        application.load(knowledge_copy)
    assert app.knowledge is live


def test_a_knowledge_dir_without_catalogues_uses_the_shipped_ones(tmp_path):
    """A deployer's own knowledge base need not carry the wording."""
    for name in FILES:
        shutil.copyfile(SHIPPED / name, tmp_path / name)
    assert load_catalogues(tmp_path).by_language["en"].path.startswith(str(SHIPPED))


# ----------------------------------------------------------------------------- words


@pytest.fixture(scope="module")
def localizer() -> Localizer:
    return shipped_knowledge().localizer


def test_lists_are_joined_by_the_named_pattern(localizer):
    """{places:and} joins with "and"; a bare list parameter uses commas."""
    places = (Ref("place", "tokyo"), Ref("place", "kyoto"), Ref("place", "ube"))
    text = localizer.text(M.DECLINE_UNCLUSTERED(places=places, count=3))
    assert text.startswith("Tokyo, Kyoto and Ube head no cluster")
    fields = (Ref("field", "it"), Ref("field", "environment"))
    assert localizer.text(M.FIELD_INCLUDED(field=fields[0])) == "Yes: IT is one of its key fields."


def test_a_list_takes_a_pattern_and_a_form(localizer):
    """{fields:dot/emoji}: joined by " · ", each field in its short form with its emoji; a
    lone form ({clusters:readable}) joins with commas."""
    fields = (Ref("field", "it"), Ref("field", "environment"))
    assert localizer.text(M.FIELDS_LINE(fields=fields)) == "💻 IT · 🌱 Environment"
    assert localizer.text(M.FIELDS_LINE(fields=fields), "ja") == "💻 情報通信、🌱 環境"
    clusters = (Ref("cluster", "hokkaido-second"), Ref("cluster", "sapporo-first"))
    followed = localizer.text(M.NOTE_FOLLOWUP_CLUSTERS(clusters=clusters))
    assert followed == "Following up on Hokkaido Area (with Sapporo as the core) and Sapporo."


def test_a_form_unknown_to_the_catalogue_is_refused(knowledge_copy):
    en = knowledge_copy / MESSAGES_DIR / "en.yaml"
    edit(en, '  fields.line: "{fields:dot/emoji}"', '  fields.line: "{fields:dot/nope}"')
    assert any("unknown spec in {fields:dot/nope}" in p for p in problems_of(knowledge_copy))


@pytest.mark.parametrize(("count", "word"), [(1, "cluster "), (2, "clusters "), (0, "clusters ")])
def test_plural_forms_follow_the_count(localizer, count, word):
    text = localizer.text(M.CLUSTER_SET[(False, False, False)](count=count))
    assert text == f"{count} {word}in the 2008 edition"


def test_plural_rules_per_language():
    assert [plural_category("en", n) for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [plural_category("ja", n) for n in (0, 1, 2)] == ["other", "other", "other"]


def test_references_show_names_in_the_language_asked(localizer):
    """A field is named in English, or in Japanese with the `ja` spec."""
    assert localizer.text(M.CHOICE_FIELD(field=Ref("field", "environment"))) == "Environment (環境)"


def test_an_unknown_message_id_never_fails_a_reply(localizer, caplog):
    assert localizer.text(Msg("no.such.message")) == "no.such.message"
    assert "no.such.message" in caplog.text


def test_every_message_of_an_answer_is_in_the_catalogue(localizer):
    """The messages of an answer all resolve in English (none falls back to its id)."""
    engine = shipped_knowledge().engine
    for question in ("hamamatsu", "contact kyoto", "how many clusters", "what is mext", "x"):
        answer = engine.ask(question)
        assert localizer.unresolved(answer, "en") == [], question


# --- words remembered ----------------------------------------------------------------------


def _devset_answers(count: int) -> list:
    from tests.test_devset import load_devset, question_text

    engine = shipped_knowledge().engine
    questions = [question_text(entry) for entry in load_devset()][:count]
    return [(engine.ask(q), lang) for q in questions for lang in ("en", "ja")]


def test_remembered_words_are_the_words_and_stay_within_their_bound(monkeypatch):
    """Localizing with the cache gives exactly what composing every message afresh gives,
    and the cache never holds more messages than its bound."""
    from bot.i18n import localize

    kb, catalogues = shipped_knowledge().kb, shipped_knowledge().localizer.catalogues
    monkeypatch.setattr(localize, "WORDS_CACHE_SIZE", 0)  # no cache: every message composed
    afresh = Localizer(kb, catalogues)
    monkeypatch.setattr(localize, "WORDS_CACHE_SIZE", 64)
    remembering = Localizer(kb, catalogues)
    for answer, lang in _devset_answers(150) * 2:  # twice: the second time mostly remembered
        assert remembering.localize(answer, lang) == afresh.localize(answer, lang)
        assert remembering.words_cache_info().currsize <= 64
    info = remembering.words_cache_info()
    assert (info.maxsize, info.currsize) == (64, 64)
    assert info.hits > 0  # cluster names, headings and the like recur
    assert afresh.words_cache_info().hits == 0


def test_a_pickled_localizer_travels_without_its_cache_and_is_freed_when_dropped():
    """The engine cache and a reload's child hand knowledge over pickled: the words cache
    is not in the pickle, the copy starts with an empty one, and no cycle keeps a dropped
    localizer alive (a replaced knowledge base is freed at once)."""
    import pickle
    import weakref

    original = shipped_knowledge().localizer
    for answer, lang in _devset_answers(20):
        original.localize(answer, lang)
    assert original.words_cache_info().currsize > 0
    copy = pickle.loads(pickle.dumps(original))
    assert copy.words_cache_info().currsize == 0
    for answer, lang in _devset_answers(20):
        assert copy.localize(answer, lang) == original.localize(answer, lang)
    gone = weakref.ref(copy)
    del copy
    assert gone() is None
