"""The design rules of issue 14, checked on every kind of reply, in English and Japanese.

Each test sweeps the replies a user can get (every question of the dev set, every command
for every cluster and place, about, help, an empty message) as Discord shows them (the
real renderer and component builder) and as the console prints them, and fails on a
reply that breaks a rule: a footer over 120 characters, a fact said twice, a decline
suggesting something the engine scored below its own threshold, a field label that is
not the catalogue's, a Discord limit, a console line wider than the terminal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from bot.app import Application, Request
from bot.discord_app.components import (
    BUTTON_LABEL_LIMIT,
    BUTTONS_PER_ROW,
    ROWS,
    render_with_steps,
)
from bot.discord_app.render import (
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    message_total,
)
from bot.discord_app.text import measure
from bot.engine.answer import FACT, ITEMS, Intent, Ref
from bot.engine.text import Text
from bot.engine.thresholds import FAQ_SUGGEST
from bot.i18n.localize import LocalizedAnswer
from bot.i18n.sources import SOURCE_NOTE_LIMIT
from bot.render.plain import render_plain
from bot.render.wrap import display_width
from tests.support import shipped_knowledge

LANGUAGES = ("en", "ja")
ROOT = Path(__file__).resolve().parents[1]


def _devset_questions() -> list[str]:
    entries = yaml.safe_load((ROOT / "tests" / "devset.yaml").read_text(encoding="utf-8"))
    questions: list[str] = []
    for entry in entries:
        for turn in entry.get("turns", [entry]):
            if isinstance(turn.get("q"), str):
                questions.append(turn["q"])
    return questions


def _requests() -> Iterator[Request]:
    kb = shipped_knowledge().kb
    for question in _devset_questions():
        yield Request("ask", question)
    for cluster in kb.clusters:
        for command in ("region", "contact"):
            yield Request(command, cluster.id)
    for place in kb.places.values():
        yield Request("region", place.name)
    for stage in kb.stages:
        for status in (None, *kb.statuses):
            yield Request("stage", stage, {"status": status})
    for field in kb.fields:
        yield Request("field", field)
    yield from (Request("about"), Request("help"), Request("ask", ""))


@functools.cache
def replies(lang: str) -> tuple[LocalizedAnswer, ...]:
    """Every reply of the sweep, in `lang`, each asked on its own."""
    app = Application(shipped_knowledge())
    seen: dict[tuple, LocalizedAnswer] = {}
    for request in _requests():
        reply = app.handle(replace(request, lang=lang)).reply
        seen.setdefault((reply.title, reply.summary, reply.blocks), reply)
    return tuple(seen.values())


def label(reply: LocalizedAnswer) -> str:
    return f"{reply.question!r} ({reply.lang}, {reply.intent.value})"


# ----------------------------------------------------------------------------- footer


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_footer_is_one_short_line(lang):
    """The source note is at most 120 characters, one line, for every reply."""
    kb_fields = shipped_knowledge().kb.fields
    longest = 0
    for reply in replies(lang):
        for embed in render_with_steps(reply, kb_fields, private=False).embeds:
            footer = embed.footer.text or ""
            assert measure(footer) <= SOURCE_NOTE_LIMIT == 120, (label(reply), footer)
            assert "\n" not in footer
            longest = max(longest, len(footer))
    assert longest > 40  # the sweep did reach replies with sources


def test_the_footer_names_the_first_source_and_the_date():
    reply = Application(shipped_knowledge()).handle(Request("stage", "second")).reply
    assert reply.source_note == "Source: 2008 edition, contents, p. 1 · as of 2008"


# ----------------------------------------------------------------------------- repetition


_NUMBER_SENTENCE = re.compile(r"(\d+)\s*(?:clusters?\b|件)")
_GROUP_COUNT = re.compile(r"[·:：]\s*(\d+)件?$")


def _group_count(line: str, pairs: list[tuple[str, str]]) -> str | None:
    """The count in a field's name ("Active · 7"), if `line` is one."""
    if not any(subject == line for subject, _ in pairs):
        return None
    match = _GROUP_COUNT.search(line)
    return match.group(1) if match else None


def facts_of(reply: LocalizedAnswer) -> list[tuple[str, str]]:
    """What a Discord user reads of a reply as (subject, line) pairs: the title and the
    description's lines are about the reply itself; a field's lines are about its name
    (one cluster, one organization). Markdown bullets and the small-text marker are taken
    off. The footer names sources, not facts."""
    message = render_with_steps(reply, shipped_knowledge().kb.fields, private=False)
    pairs: list[tuple[str, str]] = []

    def clean(line: str) -> str:
        return re.sub(r"^(-# |- |• )", "", line).strip()

    for embed in message.embeds:
        if embed.title:
            pairs.append(("", clean(embed.title)))
        pairs += [("", clean(line)) for line in (embed.description or "").split("\n")]
        for field in embed.fields:  # a field's name is said of itself, not of the reply
            pairs.append((field.name, clean(field.name)))
            pairs += [(field.name, clean(line)) for line in field.value.split("\n")]
    return [(subject, line) for subject, line in pairs if line]


_NUMBER_SENTENCE = re.compile(r"(\d+)\s*(?:clusters?\b|件)")
_GROUP_COUNT = re.compile(r"[·:：]\s*(\d+)件?$")


def _group_count(line: str, pairs: list[tuple[str, str]]) -> str | None:
    """The count in a field's name ("Active · 7"), if `line` is one."""
    if not any(subject == line for subject, _ in pairs):
        return None
    match = _GROUP_COUNT.search(line)
    return match.group(1) if match else None


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_fact_is_said_twice_in_one_reply(lang):
    """Operationally: a fact is a line said of a subject (the reply, or the cluster or
    organization a field is about). None is said twice: not in the title and again in the
    description, not in a field's name and again in its lines, not twice about one subject
    (a shared organization is said once for all, not per cluster). And no count of
    clusters ("6 clusters", "6件") is stated twice in one reply."""
    for reply in replies(lang):
        pairs = facts_of(reply)
        said_of_reply = [line for subject, line in pairs if not subject]
        for subject, line in pairs:
            assert pairs.count((subject, line)) == 1 or len(line) <= 3, (label(reply), line)
            if subject:
                assert line not in said_of_reply, (label(reply), line)
        names = [subject for subject, line in pairs if subject and subject == line]
        assert len(names) == len(set(names)), (label(reply), names)
        organizations = [line for _, line in pairs if line.startswith("Core organization:")]
        assert len(organizations) == len(set(organizations)), (label(reply), organizations)
        # Counts said of the reply (title, description) once each; a lone group's heading
        # does not say the reply's count again ("6 clusters:" over "Second Stage: 6").
        per_line = [{m.group(1) for m in _NUMBER_SENTENCE.finditer(line)} for line in said_of_reply]
        counts = [number for numbers in per_line for number in numbers]
        assert len(counts) == len(set(counts)), (label(reply), counts)
        groups = [n for _, line in pairs if (n := _group_count(line, pairs))]
        if len(groups) == 1:
            assert groups[0] not in counts, (label(reply), groups, counts)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_cluster_is_not_told_its_own_places(lang):
    """No "Places: Hamamatsu" under HAMAMATSU: the places are in the name already, so no
    line of a cluster's block is only its places' names (with or without a label)."""
    kb = shipped_knowledge().kb
    localizer = shipped_knowledge().localizer
    for reply in replies(lang):
        for block in reply.blocks:
            if block.cluster_id is None:
                continue
            places = [
                localizer.name(Ref("place", p), "", lang)
                for p in kb.cluster(block.cluster_id).places
            ]
            for line in block.lines:
                value = re.split(r"[:：]\s*", line, maxsplit=1)[-1]
                words = [w for w in re.split(r"[,、・/ ]+", value) if w]
                assert not words or set(words) - set(places), (label(reply), line)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_title_does_not_stutter(lang):
    """A title names what was asked once: not "Contact for Greater SENDAI Area / SENDAI"
    (two clusters carrying one place are titled by the place)."""
    for reply in replies(lang):
        words = re.findall(r"[^\W\d_]+", reply.title.casefold())
        long_words = [w for w in words if len(w) > 4]
        assert len(long_words) == len(set(long_words)), (label(reply), reply.title)


# ----------------------------------------------------------------------------- declines


def test_a_decline_suggests_nothing_scored_below_the_threshold():
    """Every programme topic a decline offers scored at least FAQ_SUGGEST for the question;
    off-topic questions with a stray shared word get none."""
    knowledge = shipped_knowledge()
    engine = knowledge.engine
    checked = 0
    for question in [*_devset_questions(), "who is the best player in the world"]:
        answer = engine.ask(question)
        if answer.answered or answer.intent not in (Intent.OUT_OF_DOMAIN, Intent.CLARIFY):
            continue
        offered = [s.id for s in answer.suggestions if isinstance(s, Ref) and s.kind == "faq"]
        if not offered:
            continue
        scores = {hit.entry.id: hit.score for hit in engine._context(Text.parse(question)).hits}
        for entry_id in offered:
            assert scores.get(entry_id, 0.0) >= FAQ_SUGGEST, (question, entry_id, scores)
            checked += 1
    assert checked  # some declines do suggest a topic
    for question in ("who is the best player in the world", "who won the world cup"):
        assert engine.ask(question).suggestions == (), question


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_decline_is_laid_out_as_no_answer(lang):
    """Declines have no title and the neutral colour: they never look like an answer."""
    from bot.discord_app.style import NEUTRAL_COLOUR

    kb_fields = shipped_knowledge().kb.fields
    declines = [r for r in replies(lang) if r.intent is Intent.OUT_OF_DOMAIN]
    assert declines
    for reply in declines:
        (embed,) = render_with_steps(reply, kb_fields, private=False).embeds
        assert embed.title is None, label(reply)
        assert embed.colour == NEUTRAL_COLOUR


# ----------------------------------------------------------------------------- labels


def test_every_field_label_comes_from_the_catalogue():
    """The labels of a card's facts are catalogue words: in a Japanese reply they are
    Japanese, and each one's message is in every catalogue."""
    localizer = shipped_knowledge().localizer
    english = localizer.catalogue("en").messages
    japanese = localizer.catalogue("ja").messages
    cards = 0
    for reply in replies("ja"):
        for section in reply.answer.sections:
            if section.heading is not None:
                assert section.heading.id in english
                assert section.heading.id in japanese
        for block in reply.blocks:
            if block.style == FACT:
                assert not re.search(r"[A-Za-z]", block.title), (label(reply), block.title)
                cards += 1
    assert cards


def test_lists_use_short_field_labels():
    """A listing line says "IT", not "IT (Information Technology)" (an answer quoting the
    sources keeps their words)."""
    for reply in replies("en"):
        for block in reply.blocks:
            if block.style not in (ITEMS, FACT):
                continue
            for line in block.lines:
                assert "IT (Information Technology)" not in line, (label(reply), line)


# ----------------------------------------------------------------------------- limits


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reply_stays_within_discord_limits(lang):
    kb_fields = shipped_knowledge().kb.fields
    for reply in replies(lang):
        message = render_with_steps(reply, kb_fields, private=False)
        assert message_total(message.embeds) <= EMBED_TOTAL_LIMIT
        for embed in message.embeds:
            assert len(embed) <= EMBED_TOTAL_LIMIT
            assert measure(embed.footer.text or "") <= FOOTER_LIMIT
            for field in embed.fields:
                assert 0 < measure(field.name) <= FIELD_NAME_LIMIT
                assert 0 < measure(field.value) <= FIELD_VALUE_LIMIT
        view = message.view
        if view is None:
            continue
        rows: dict[int, int] = {}
        for item in view.children:
            rows[item.row] = rows.get(item.row, 0) + 1
            custom_id = getattr(item, "custom_id", None)
            assert custom_id is None or len(custom_id) <= 100
            text = getattr(getattr(item, "item", item), "label", None)
            assert text is None or len(text) <= BUTTON_LABEL_LIMIT
        assert len(rows) <= ROWS
        assert all(count <= BUTTONS_PER_ROW for count in rows.values())


# ----------------------------------------------------------------------------- console


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("width", [32, 60, 80])
def test_console_lines_fit_the_terminal(lang, width):
    """Every line of every reply, wrapped for a terminal, is at most `width` cells wide
    (a kanji counts two), Japanese included."""
    wrapped = 0
    for reply in replies(lang):
        for line in render_plain(reply, width).split("\n"):
            assert display_width(line) <= width, (label(reply), line)
        wrapped += 1
    assert wrapped


def test_japanese_is_not_broken_before_closing_punctuation():
    """Kinsoku: no wrapped line starts with 、。）」 or a small kana."""
    for reply in replies("ja"):
        lines = render_plain(reply, 24).split("\n")
        for line in lines[1:]:
            assert not re.match(r"\s*[、。）」』ぁぃぅぇぉっゃゅょァィゥェォッャュョー]", line), (
                label(reply),
                line,
            )
