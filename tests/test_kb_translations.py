"""The Japanese texts a Japanese reply needs: a missing one is shown in English by the bot,
and reported by `check` (which fails) with its file and line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.app import Application, Request, load
from bot.kb.check import run_check
from bot.kb.loader import KnowledgeBaseError, load_knowledge
from bot.render.plain import render_plain
from tests.kb_copies import edit, line_of

BUDGET_QUESTION_JA = '    question_ja: "知的クラスター創成事業の予算はいくらですか？"\n'


def check(directory: Path) -> tuple[int, str]:
    err = io.StringIO()
    status = run_check(directory, out=io.StringIO(), err=err)
    return status, err.getvalue()


def test_shipped_base_has_every_translation():
    assert load_knowledge().translation_gaps == ()


def test_a_missing_question_ja_is_a_gap_at_the_question(kb_copy):
    """The bot still loads the base, and `check` names the entry and its question's line."""
    text = edit(kb_copy, "faq.yaml", BUDGET_QUESTION_JA, "")
    kb = load_knowledge(kb_copy)
    (gap,) = kb.translation_gaps
    line = line_of(text, 'question: "What is the budget')
    assert (gap.file, gap.line, gap.entry_id) == ("faq.yaml", line, "budget")
    assert gap.message.startswith("no question_ja: a Japanese reply shows the question in English")
    status, err = check(kb_copy)
    assert status == 1
    assert f"faq.yaml:{line} [budget] no question_ja" in err


def test_a_missing_answer_ja_is_a_gap_at_the_answer(kb_copy):
    path = kb_copy / "faq.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("    answer_ja: >-\n", line_of("".join(lines), "id: budget"))
    assert lines[start + 1].startswith("      2004年の政府予算")
    del lines[start : start + 2]
    text = "".join(lines)
    path.write_text(text, encoding="utf-8")
    (gap,) = load_knowledge(kb_copy).translation_gaps
    assert (gap.line, gap.entry_id) == (line_of(text, "Government budget for 2004") - 1, "budget")
    assert gap.message.startswith("no answer_ja: a Japanese reply shows the answer in English")


POINTS_QUESTION_JA = '    question_ja: "知的クラスターの3つのポイントは何ですか？"\n'


def test_the_bot_shows_the_english_question_where_there_is_no_translation(kb_copy):
    edit(kb_copy, "faq.yaml", POINTS_QUESTION_JA, "")
    reply = Application(load(kb_copy)).handle(Request("ask", "知的クラスターのポイントは")).reply
    assert "What are the three points about the Knowledge Cluster?" in render_plain(reply)


@pytest.mark.parametrize(
    ("name", "old", "new", "english", "entry_id", "key"),
    [
        pytest.param(
            "clusters.yaml",
            "name: Hamamatsu, name_ja: 浜松, aliases",
            "name: Hamamatsu, aliases",
            "name: Hamamatsu, aliases",
            "hamamatsu",
            "name_ja",
            id="place-name",
        ),
        pytest.param(
            "sources.yaml",
            '    title_ja: "クラスター政策の変遷"\n',
            "",
            '    title: "Transition of Cluster Policy"',
            "transition",
            "title_ja",
            id="contents-title",
        ),
        pytest.param(
            "fields.yaml",
            '    short_ja: "情報通信"\n',
            "",
            '    short: "IT"',
            "it",
            "short_ja",
            id="field-short-label",
        ),
        pytest.param(
            "sources.yaml",
            '    short_ja: "2008年版"\n',
            "",
            '    short: "2008 edition"',
            "kci-2008",
            "short_ja",
            id="document-short-name",
        ),
        pytest.param(
            "organizations.yaml",
            '    note_ja: "出典には区名の記載しかなく、完全な住所や電話番号はありません。"\n'
            "    contact_source: astf-aichi\n",
            "    contact_source: astf-aichi\n",
            'note: "The source gives the ward only',
            "astf",
            "note_ja",
            id="organization-note",
        ),
    ],
)
def test_each_text_a_japanese_reply_needs_is_checked(
    kb_copy, name, old, new, english, entry_id, key
):
    text = edit(kb_copy, name, old, new)
    kb = load_knowledge(kb_copy)
    (gap,) = kb.translation_gaps
    assert (gap.file, gap.line, gap.entry_id) == (name, line_of(text, english), entry_id)
    assert gap.message.startswith(f"no {key}: ")


def test_an_optional_english_text_needs_no_translation_when_absent(kb_copy):
    """A field without a `short` label needs no `short_ja` either."""
    edit(kb_copy, "fields.yaml", '    short: "IT"\n    short_ja: "情報通信"\n', "")
    kb = load_knowledge(kb_copy)
    assert kb.fields["it"].short is None
    assert kb.translation_gaps == ()


def test_gaps_are_reported_with_the_problems_of_a_broken_base(kb_copy):
    """One run of `check` lists the missing translation beside a problem that stops the load."""
    edit(kb_copy, "faq.yaml", BUDGET_QUESTION_JA, "")
    edit(kb_copy, "clusters.yaml", "    page: 46\n", "    page: 0\n")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(kb_copy)
    assert [p.file for p in raised.value.problems] == ["clusters.yaml"]
    assert [(p.file, p.entry_id) for p in raised.value.gaps] == [("faq.yaml", "budget")]
    status, err = check(kb_copy)
    assert status == 1
    assert "clusters.yaml" in err
    assert "[budget] no question_ja" in err
    assert err.rstrip().endswith("2 problems found in " + str(kb_copy))
