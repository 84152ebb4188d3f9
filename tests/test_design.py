"""The design rules of issues 14 and 19, checked on every kind of reply, in English and
Japanese (the one-fact questions of tests/one_fact.yaml among them).

Each test sweeps the replies a user can get (every question of the dev set, every command
for every cluster and place, about, help, an empty message) as Discord shows them (the
real renderer and component builder) and as the console prints them, and fails on a
reply that breaks a rule: a footer over 120 characters, a fact said twice, a decline
suggesting something the engine scored below its own threshold, a field label that is
not the catalogue's, a Discord limit, a console line wider than the terminal; a Japanese
title that starts with an English name, a field with two labels, two ways of writing a
stage; more than one primary button or four steps, votes under help or a decline, a short
answer under a tall stack of components; a one-fact reply whose first line is not the fact,
or a substitute titled as what was asked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import discord
import pytest
import yaml

from bot.app import Application, Request
from bot.discord_app.components import (
    BUTTON_LABEL_LIMIT,
    BUTTONS_PER_ROW,
    ROWS,
    SHORT_ANSWER_LINES,
    phone_lines,
    render_with_steps,
)
from bot.discord_app.layout import Button, Layout, Menu
from bot.discord_app.render import (
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    message_total,
)
from bot.discord_app.text import measure
from bot.engine import messages as M
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


def _one_fact_questions() -> list[str]:
    cases = yaml.safe_load((ROOT / "tests" / "one_fact.yaml").read_text(encoding="utf-8"))
    return [case["q"] for case in cases["cases"] if "q" in case]


def _requests() -> Iterator[Request]:
    kb = shipped_knowledge().kb
    for question in (*_devset_questions(), *_one_fact_questions()):
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
    (two clusters carrying one place are titled by the place). The fact a title states (an
    address naming its city) is the sources' text, not a name said again."""
    for reply in replies(lang):
        title = reply.title
        for fact in reply.answer.facts:
            if isinstance(fact.value, str):
                title = title.replace(fact.value, "")
        words = re.findall(r"[^\W\d_]+", title.casefold())
        long_words = [w for w in words if len(w) > 4]
        assert len(long_words) == len(set(long_words)), (label(reply), reply.title)


# ----------------------------------------------------------------------------- one fact

# A reply stating one fact is at most this long, its source line aside (issue 19 §1).
ONE_FACT_LIMIT = 200


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_one_fact_reply_states_the_fact_in_its_first_line(lang):
    """A question asking one contact detail ("Sendai's fax", 「中核機関は？」) is answered in
    the reply's first line: the fact in words (its value, or the organization's name), or
    that the sources lack it. Nothing is repeated under it (no card, no block with a
    heading), the reply is short, and the card it comes from is the first next step."""
    localizer = shipped_knowledge().localizer
    checked = 0
    for reply in replies(lang):
        if not reply.answer.one_fact:
            continue
        text = render_plain(reply)
        first = text.split("\n", 1)[0]
        assert first == reply.title, label(reply)
        body = text.replace(reply.source_note, "").strip()
        assert len(body) <= ONE_FACT_LIMIT, (label(reply), len(body), body)
        assert not [block for block in reply.blocks if block.title], label(reply)
        if reply.answered:
            stated = [
                fact.value
                if isinstance(fact.value, str)
                else localizer.name(fact.value, "short", lang)
                for fact in reply.answer.facts
            ]
            assert any(value in first for value in stated), (label(reply), first, stated)
        assert reply.steps, label(reply)
        assert reply.steps[0].action == Intent.CONTACT.value, label(reply)
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_substitute_is_titled_as_what_it_is(lang):
    """/contact for a cluster the sources give no contact for: the title says there is
    none (never "Contact for Kyoto" above another organization's card), the programme
    office's card is headed as the programme office, and it is not an answer."""
    knowledge = shipped_knowledge()
    kb, localizer = knowledge.kb, knowledge.localizer
    app = Application(knowledge)
    office = Ref("organization", kb.programme_office)
    heading = localizer.text(M.CONTACT_OFFICE(organization=office), lang)
    without = [c for c in kb.clusters if c.organization is None]
    assert without
    for cluster in without:
        reply = app.handle(Request("contact", cluster.id, lang=lang)).reply
        name = Ref("cluster", cluster.id)
        assert not reply.answered, label(reply)
        assert reply.title != localizer.text(M.CONTACT_TITLE(clusters=(name,)), lang)
        assert reply.title == localizer.text(M.CONTACT_NONE(clusters=(name,)), lang)
        assert [block.title for block in reply.blocks] == [heading], label(reply)


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
        for row in view.rows:
            for item in row:
                assert len(item.custom_id) <= 100
                text = getattr(item, "label", None)
                assert text is None or len(text) <= BUTTON_LABEL_LIMIT
        assert len(view.rows) <= ROWS
        assert all(len(row) <= BUTTONS_PER_ROW for row in view.rows)


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


# ----------------------------------------------------------------------------- Japanese


def test_japanese_names_clusters_by_their_places():
    """A cluster is named by its places in kanji; where they alone would name something
    else (one place, and more words in the name: all of Kansai for "KANSAI Science City"),
    the sources give no Japanese name, so its Latin name stands beside them."""
    localizer = shipped_knowledge().localizer

    def japanese(cluster_id: str) -> str:
        return localizer.name(Ref("cluster", cluster_id), "", "ja")

    assert japanese("hokkaido-second") == "北海道・札幌"
    assert japanese("hamamatsu-first") == "浜松"
    assert japanese("kansai-second") == "関西・彩都・神戸"
    assert japanese("kansai-science-city-first") == "関西（Kansai Science City）"
    assert japanese("sendai-second") == "仙台（Greater Sendai Area）"
    assert japanese("sendai-first") == "仙台"
    names = [japanese(c.id) for c in shipped_knowledge().kb.clusters]
    assert not [name for name in names if re.match(r"[A-Za-z]", name)]


def _starts_in_latin(text: str) -> bool:
    text = re.sub(r"^[^\w（「]+", "", text)  # an emoji or a bullet before the words
    return bool(re.match(r"[A-Za-z]", text))


def test_japanese_titles_and_list_items_lead_in_japanese():
    """A Japanese reply's title, its cards' headings and its list items start in Japanese,
    never with a cluster's English name ("HAMAMATSU（浜松）の重点分野" was the old way)."""
    checked = 0
    for reply in replies("ja"):
        if reply.intent in (Intent.FAQ, Intent.CONTENTS):
            continue  # the sources' own titles, quoted
        assert not _starts_in_latin(reply.title), (label(reply), reply.title)
        for block in reply.blocks:
            assert not _starts_in_latin(block.title), (label(reply), block.title)
            if block.style == ITEMS:
                for line in block.lines:
                    assert not _starts_in_latin(line), (label(reply), line)
                    checked += 1
    assert checked > 50


_STAGE_SPELLINGS = re.compile(r"第\s*(?:[IVⅠⅡ]+|[1-9１-９]|[一二三])\s*期(?!科学技術基本計画)")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_stage_notation(lang):
    """A stage is written one way in all the bot's own words: its name in the knowledge
    base (第Ⅰ期, 第Ⅱ期; "First Stage", "Second Stage"), never 第I期 beside 第1期."""
    kb = shipped_knowledge().kb
    names = {(s.name_ja if lang == "ja" else s.name) for s in kb.stages.values()}
    seen = set()
    for reply in replies(lang):
        text = render_plain(reply, 1000)
        if lang == "ja":
            written = set(_STAGE_SPELLINGS.findall(text))
            assert written <= names, (label(reply), written - names)
        else:
            written = set(re.findall(r"\b(?:First|Second) Stage\b", text))
            others = re.findall(r"\b(?:stage|phase) (?:[12]|I{1,2}|one|two)\b", text, re.I)
            assert not others, (label(reply), others)
        seen |= written
    assert seen == names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_label_per_field(lang):
    """A key field has one label wherever the bot lists or names it ("IT", 「ナノテク・材料」):
    its long name appears only where a source is quoted (a programme answer)."""
    kb = shipped_knowledge().kb
    quoted = (Intent.FAQ, Intent.ABOUT, Intent.CONTENTS, Intent.SEVERAL)
    labels = {}
    for field in kb.fields.values():
        name, short = (field.name_ja, field.short_ja) if lang == "ja" else (field.name, field.short)
        if short and short != name:
            labels[name] = short
    assert labels  # IT and Nanotech/Materials have a long and a short form
    used = set()
    for reply in replies(lang):
        if reply.intent in quoted:
            continue
        message = render_with_steps(reply, kb.fields, private=False)
        text = render_plain(reply, 1000) + "".join(
            f"{e.title}{e.description}{''.join(f.name + f.value for f in e.fields)}"
            for e in message.embeds
        )
        for long, short in labels.items():
            assert long not in text, (label(reply), long)
            if short in text:
                used.add(short)
    assert used == set(labels.values())


def test_english_titles_have_one_casing_for_cluster_names():
    """ "Key fields of Kyoto", "Contact for Sendai": a cluster's name in a title is in
    readable case like a place's, never the 2008 edition's capitals in some titles only."""
    kb = shipped_knowledge().kb
    localizer = shipped_knowledge().localizer
    shouting = {
        c.name for c in kb.clusters if c.name != localizer.name(Ref("cluster", c.id), "readable")
    }
    for reply in replies("en"):
        for name in shouting:
            assert name not in reply.title, (label(reply), reply.title)


# ----------------------------------------------------------------------------- language


def test_a_slash_command_follows_the_askers_locale_after_another_language():
    """/contact kyoto from an English client is English even when the asker's conversation
    was Japanese; a mentioned follow-up ("kobe?", no client language) goes on in Japanese."""
    app = Application(shipped_knowledge())
    key = ("channel", "user")
    first = app.handle(Request("ask", "京都の分野は？", conversation=key))
    assert first.lang == "ja"
    command = app.handle(Request("contact", "kyoto", locale="en-US", conversation=key))
    assert command.lang == "en"
    assert command.reply.title == "The sources give no contact for Kyoto"
    app.handle(Request("ask", "京都の分野は？", conversation=key))
    mention = app.handle(Request("ask", "kobe?", conversation=key))
    assert mention.lang == "ja"
    japanese_client = app.handle(Request("region", "kobe", locale="ja", conversation=key))
    assert japanese_client.lang == "ja"
    # The question's own script still comes first, whatever the client's language.
    written = app.handle(Request("ask", "what fields does kobe cover", locale="ja"))
    assert written.lang == "en"


# ----------------------------------------------------------------------------- components


def _bot_rows():
    """The rows a running bot adds under a reply (Sources, 👍/👎), built by the real row
    builders for a bot that keeps feedback."""
    from types import SimpleNamespace

    from bot.discord_app.feedback import FeedbackDesk, feedback_rows
    from bot.discord_app.sources import sources_row
    from bot.storage.feedback import FeedbackKeys

    desk = FeedbackDesk(FeedbackKeys(b"a secret of 16+ bytes"), submit=lambda vote: True)
    bot = SimpleNamespace(
        app=Application(shipped_knowledge()), services=SimpleNamespace(feedback=desk)
    )
    return [sources_row(bot), feedback_rows(bot)]


def _laid_out(reply: LocalizedAnswer):
    message = render_with_steps(
        reply,
        shipped_knowledge().kb.fields,
        private=False,
        extra=_bot_rows(),
        actions={"map"},
        answer_id="0123456789abcdef",
    )
    return [list(row) for row in message.view.rows] if message.view else []


def _is_step(item) -> bool:
    return (getattr(item, "custom_id", None) or "").startswith("kc:s:")


def _is_vote(item) -> bool:
    return (getattr(item, "custom_id", None) or "").startswith("kc:vote:")


def _as_discord_py_view(rows) -> discord.ui.View:
    """The same components as discord.py's own items, in a View of its own."""
    view = discord.ui.View(timeout=None)
    for number, row in enumerate(rows):
        for item in row:
            if isinstance(item, Menu):
                options = [discord.SelectOption(label=lb, value=v) for lb, v in item.options]
                view.add_item(
                    discord.ui.Select(
                        custom_id=item.custom_id,
                        placeholder=item.placeholder,
                        options=options,
                        row=number,
                    )
                )
            else:
                view.add_item(
                    discord.ui.Button(
                        style=item.style,
                        label=item.label,
                        emoji=item.emoji,
                        custom_id=item.custom_id,
                        row=number,
                    )
                )
    return view


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_layouts_are_written_as_discord_py_writes_its_own_items(lang):
    """Every reply's buttons and menu (steps, menu, Sources, 👍/👎) are sent as exactly the
    dicts discord.py would write for the same items, remembered looks or not."""
    for _ in range(2):  # the second time, every button's looks are remembered
        for reply in replies(lang):
            rows = _laid_out(reply)
            if not rows:
                continue
            layout = Layout(rows)
            assert layout.to_components() == _as_discord_py_view(rows).to_components()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_primary_action_and_at_most_three_more_steps(lang):
    offered = 0
    for reply in replies(lang):
        items = [item for row in _laid_out(reply) for item in row]
        steps = [item for item in items if _is_step(item)]
        primary = [
            item
            for item in items
            if isinstance(item, Button) and item.style is discord.ButtonStyle.primary
        ]
        assert len(primary) <= 1, label(reply)
        assert len(steps) <= 4, (label(reply), [s.label for s in steps])
        if steps:
            assert steps[0].style is discord.ButtonStyle.primary, label(reply)
            offered += 1
    assert offered > 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_votes_under_help_about_greetings_and_declines(lang):
    not_answers = (Intent.HELP, Intent.ABOUT, Intent.GREETING, Intent.OUT_OF_DOMAIN)
    seen = dict.fromkeys(not_answers, 0)
    voted = 0
    for reply in replies(lang):
        votes = [item for row in _laid_out(reply) for item in row if _is_vote(item)]
        if reply.intent in not_answers or reply.intent is Intent.CLARIFY:
            assert not votes, label(reply)
            seen[reply.intent] = seen.get(reply.intent, 0) + 1
        elif reply.answered:
            assert len(votes) == 2, label(reply)
            voted += 1
    assert all(seen.values()), seen
    assert voted > 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sources_and_votes_share_one_row(lang):
    checked = 0
    for reply in replies(lang):
        rows = _laid_out(reply)
        holding = [
            number
            for number, row in enumerate(rows)
            for item in row
            if _is_vote(item) or (getattr(item, "custom_id", "") or "").startswith("kc:src:")
        ]
        if len(holding) == 3:
            assert len(set(holding)) == 1, label(reply)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_short_answer_has_few_components(lang):
    """Under an answer of a few lines (on a phone), at most two rows and five components,
    no menu: the buttons are never taller than the answer they follow."""
    short = 0
    for reply in replies(lang):
        if phone_lines(reply) > SHORT_ANSWER_LINES:
            continue
        rows = _laid_out(reply)
        items = [item for row in rows for item in row]
        assert len(rows) <= 2, (label(reply), len(rows))
        assert len(items) <= 5, (label(reply), len(items))
        assert not any(isinstance(item, Menu) for item in items), label(reply)
        short += 1
    assert short > 50
