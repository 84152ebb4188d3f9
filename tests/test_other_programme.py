"""Another programme, same code and catalogues (issue 20, §1): the measure of "programme as data".

`tests/other_programme/` is a complete knowledge base for a FICTITIOUS programme in the
shipped schema (its own names in English and Japanese, runner, edition and year, three
phases, three statuses, six hubs in other cities, four fields, budget, passages, examples);
its catalogues and intents are the shipped ones, copied unchanged. These tests run the
real bot on it: `check` in its own process, the real discord.py client against the
Discord double for questions, commands, buttons and the map, and the console's `ask`.

Every reply is searched for the shipped programme's words, names and dates, built from the
shipped knowledge base itself (so the list follows the data): a catalogue word, a constant in
code or an assumption about the shipped programme shows up as one of them.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from bot import app as application
from bot.app import Application, Knowledge, Request
from bot.i18n.localize import yen
from bot.kb.loader import load_knowledge
from bot.kb.model import KnowledgeBase
from bot.kb.paths import shipped_knowledge_dir
from bot.maps import style
from bot.render.plain import full_sources, render_plain
from tests.test_e2e_discord import ask, kc_bot, message_text, response_text, wait_reply

OTHER = Path(__file__).resolve().parent / "other_programme"
ROOT = Path(__file__).resolve().parent.parent
# Geography's data sets are the same packages whichever programme is mapped.
SHARED_DOCUMENTS = {"geonames-cities", "japanmap-0.6.0"}
# What the engine must answer correctly (the measure: 95% or better).
PASS_RATE = 0.95


@functools.cache
def other_knowledge() -> Knowledge:
    return application.load(OTHER)


@functools.cache
def shipped_kb() -> KnowledgeBase:
    return load_knowledge(shipped_knowledge_dir())


@pytest.fixture(scope="module")
def other() -> Knowledge:
    return other_knowledge()


# ------------------------------------------------- the shipped programme's words ----


def _latin(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", re.IGNORECASE)


def _number(text: str) -> re.Pattern[str]:
    """A year or an amount, not part of a longer number ("2008" is not in "12008", "9
    billion yen" not in "6.9 billion yen", which is listed itself)."""
    return re.compile(rf"(?<![0-9.]){re.escape(text)}(?![0-9])")


@functools.cache
def shipped_words() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The shipped programme's names, words and dates, from the shipped knowledge base: its
    names in both languages and its successor's, its runner's and every organization's
    names, its edition's title, short names and year, its stages, fields, clusters and
    places, every year it gives and its budget figures as a reply writes them."""
    kb = shipped_kb()
    programme = kb.programme
    edition = kb.documents[programme.edition]
    texts = {"MEXT", "Knowledge Cluster", "知的クラスター", programme.name, programme.name_ja}
    if programme.successor:
        texts.add(programme.successor.name_ja)
    for organization in kb.organizations.values():
        names = (organization.name, organization.name_ja, organization.short_name)
        texts.update(t for t in names if t)
        texts.update(a for a in organization.aliases if not a.isascii())
    texts.update(t for t in (edition.title, edition.short, edition.short_ja) if t)
    for term in kb.stages.values():
        texts.update((term.name, term.name_ja))
    for field in kb.fields.values():
        texts.update(t for t in (field.name, field.name_ja, field.short, field.short_ja) if t)
    for cluster in kb.clusters:
        texts.add(cluster.name)
    for place in kb.places.values():
        texts.update(t for t in (place.name, place.name_ja) if t)
    years = {programme.started, edition.as_of and int(edition.as_of)}
    years |= {t.started for t in kb.stages.values()}
    years |= {f.year for f in programme.figures}
    if programme.successor:
        years.add(programme.successor.from_fiscal_year)
    amounts = {
        yen(f.amount, lang)
        for f in programme.figures
        if f.kind != "project_years"
        for lang in ("en", "ja")
    }
    # Latin names of three letters or more ("Ube", not "IT"); Japanese ones of two (浜松).
    found = [(t, _latin(t)) for t in texts if t.isascii() and len(t) > 2]
    found += [(t, re.compile(re.escape(t))) for t in texts if not t.isascii() and len(t) > 1]
    found += [(str(y), _number(str(y))) for y in years if y]
    found += [(a, _number(a)) for a in amounts]
    return tuple(sorted(found))


def leaks(text: str) -> list[str]:
    return [word for word, pattern in shipped_words() if pattern.search(text)]


def visible(message: Mapping[str, Any]) -> str:
    """Everything of a message a user can see: text, embeds (titles, fields, footers),
    buttons and select options, attachments' descriptions (the map's title)."""
    return json.dumps(
        {
            "content": message.get("content"),
            "embeds": message.get("embeds"),
            "components": [
                {k: v for k, v in item.items() if k != "custom_id"}
                for row in message.get("components") or []
                for item in row.get("components") or []
            ],
            "attachments": [a.get("description") for a in message.get("attachments") or []],
        },
        ensure_ascii=False,
    )


def test_the_list_of_the_shipped_programme_s_words_comes_from_the_shipped_data():
    """The forbidden words are the shipped base's, and none is the other base's own."""
    words = {word for word, _ in shipped_words()}
    assert {"Knowledge Cluster Initiative", "知的クラスター創成事業", "MEXT", "文部科学省"} <= words
    assert {"2008 edition", "2008年版", "2008", "HAMAMATSU", "浜松", "Second Stage"} <= words
    assert {"9 billion yen", "69億円", "2004", "2003"} <= words
    assert leaks("The Knowledge Cluster Initiative began in 2002.") == [
        "2002",
        "Knowledge Cluster",
        "Knowledge Cluster Initiative",
    ]
    assert leaks("Page 14 of the 2019 yearbook; 4.2 billion yen; 12008 yen") == []
    kb = other_knowledge().kb
    own = {kb.programme.name, kb.programme.name_ja, *(c.name for c in kb.clusters)}
    own |= {p.name for p in kb.places.values()} | {s.name for s in kb.stages.values()}
    assert not [text for text in own if leaks(text)]


# ------------------------------------------------------------------ the base itself ----


def test_check_passes_on_it_in_its_own_process():
    """`python -m bot check` on the other base (by --knowledge and by $KNOWLEDGE_DIR)."""
    env = {k: v for k, v in os.environ.items() if k != "KNOWLEDGE_DIR"}
    by_option = subprocess.run(
        [sys.executable, "-m", "bot", "--knowledge", str(OTHER), "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert by_option.returncode == 0, by_option.stderr
    out = by_option.stdout
    assert "OK: the knowledge base is valid." in out
    assert "Clusters: 6" in out
    # Three stages, latest first, each with its statuses: any number of either works.
    assert "Harvest Phase: 2 operating\n  Rooting Phase: 1 operating, 1 graduated\n" in out
    assert "Seedling Phase: 1 graduated, 1 discontinued" in out
    assert "Key fields: 4 (Agriculture, Marine Technology, Renewable Energy, Robotics)" in out
    by_variable = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "KNOWLEDGE_DIR": str(OTHER)},
        timeout=120,
        check=False,
    )
    assert by_variable.returncode == 0, by_variable.stderr
    assert by_variable.stdout == out


def test_it_shares_the_catalogues_and_the_generic_parts_and_nothing_else():
    """The catalogues and intents are the shipped files, byte for byte, and so is the
    lexicon's grammar; every fact, name and id is the other programme's own."""
    shipped = shipped_knowledge_dir()
    for name in ("messages/en.yaml", "messages/ja.yaml", "intents.yaml"):
        assert (OTHER / name).read_bytes() == (shipped / name).read_bytes(), (
            f"{name} drifted: run python tools/sync_other_programme.py"
        )
    mine, theirs = other_knowledge().kb, shipped_kb()
    assert mine.lexicon.function == theirs.lexicon.function
    assert mine.lexicon.connectives == theirs.lexicon.connectives
    assert mine.lexicon.negation == theirs.lexicon.negation
    assert mine.regions == theirs.regions
    assert mine.prefectures == theirs.prefectures
    assert not set(mine.lexicon.programme) & {
        p
        for p in theirs.lexicon.programme
        if p
        not in (
            "program",
            "programme",
            "programs",
            "programmes",
            "initiative",
            "事業",
            "この事業",
            "本事業",
        )
    }
    for kind in ("clusters_by_id", "places", "fields", "stages", "statuses", "organizations"):
        assert not set(getattr(mine, kind)) & set(getattr(theirs, kind)), kind
    assert set(mine.documents) & set(theirs.documents) == SHARED_DOCUMENTS
    assert len(mine.stages) == 3
    assert len(mine.statuses) == 3
    own_years = {mine.programme.started, *(s.started for s in mine.stages.values())}
    own_years |= {f.year for f in mine.programme.figures if f.year}
    assert mine.documents[mine.programme.edition].as_of == "2019"
    assert not [y for y in own_years if leaks(str(y))]


# ------------------------------------------------------------------ the questions ----


@dataclass(frozen=True)
class Case:
    """A question (or a conversation, the last question answered), what its reply must
    say, and what it must not."""

    label: str
    asked: str | tuple[str, ...]
    says: tuple[str, ...]
    not_says: tuple[str, ...] = ()

    @property
    def questions(self) -> tuple[str, ...]:
        return (self.asked,) if isinstance(self.asked, str) else self.asked


def case(label: str, asked: str | tuple[str, ...], *says: str, absent: Sequence[str] = ()) -> Case:
    return Case(label, asked, says, tuple(absent))


ENGLISH = (
    case(
        "a place's fields",
        "what fields does Matsuyama cover",
        "Key fields of Matsuyama",
        "🌾 Agriculture",
        "🌊 Marine",
    ),
    case(
        "a cluster by its place",
        "tell me about the Kumamoto cluster",
        "Kumamoto Volcanic Belt",
        "Seedling Phase (from 2014), discontinued",
        "⚡ Renewables",
    ),
    case(
        "a place heading two clusters",
        "which clusters are in Aomori?",
        "Aomori/Hachinohe",
        "Seedling Phase",
        "Harvest Phase",
    ),
    case(
        "a contact",
        "contact for Aomori",
        "Aomori Hub Promotion Foundation",
        "TEL 017-555-0101 · FAX 017-555-0102",
    ),
    case(
        "a telephone number",
        "phone number of the Matsuyama hub",
        "Matsuyama Science Hub Council",
        "089-555-0133",
    ),
    case(
        "no contact: the programme office",
        "contact for Shizuoka",
        "no contact for Shizuoka Coast",
        "Programme office: NARS",
        "TEL 03-5550-0190",
    ),
    case("a cluster's stage", "what stage is Shizuoka in", "Rooting Phase (from 2016), graduated"),
    case(
        "a stage's clusters",
        "list the harvest phase clusters",
        "Clusters of the Harvest Phase",
        "Matsuyama",
        "Aomori/Hachinohe",
        absent=("Shizuoka", "Kumamoto", "Niigata"),
    ),
    case(
        "the third stage by its ordinal",
        "which clusters are in the third phase",
        "Clusters of the Harvest Phase",
        "Matsuyama",
        absent=("Shizuoka",),
    ),
    case(
        "a field's clusters",
        "which clusters work on robotics",
        "Niigata Prefecture Region",
        "Shizuoka Coast",
        absent=("Matsuyama",),
    ),
    case(
        "a status's clusters",
        "list the graduated clusters",
        "Shizuoka Coast",
        "Aomori",
        absent=("Matsuyama", "Kumamoto", "Niigata"),
    ),
    case("a count", "how many clusters are there", "6 clusters in the 2019 yearbook"),
    case(
        "a count in a stage",
        "how many clusters are in the seedling phase",
        "2 clusters in the Seedling Phase",
    ),
    case(
        "the key fields",
        "what are the key fields",
        "4 key fields",
        "🌾 Agriculture — 3 clusters",
        "🤖 Robotics — 2 clusters",
    ),
    case(
        "the budget",
        "what is the budget",
        "Government budget for 2018: 4.8 billion yen",
        "4.2 billion yen",
        "300 million yen",
    ),
    case(
        "the budget of a year it gives",
        "what was the budget in 2017",
        "Government budget for 2017: 4.2 billion yen",
        absent=("4.8",),
    ),
    case(
        "the budget of a year it lacks",
        "what was the budget in 2015",
        "The sources give no budget for 2015; they give one for 2018 and 2017.",
    ),
    case(
        "a cluster's budget in a year the programme's is given",
        "what was the budget of the Matsuyama hub in 2017",
        "no budget figure for Matsuyama itself",
        "4.2 billion yen",
    ),
    case(
        "a change of budget", "did the budget go up from 2017 to 2018", "went up by 600 million yen"
    ),
    case(
        "when it began",
        "when did the programme start",
        "The Hometown Science Hub Programme began in 2014.",
        "The Harvest Phase started in 2018.",
    ),
    case(
        "who runs it",
        "who runs the programme",
        "is run by NARS (National Agency for Regional Science)",
        "Full contact card",  # its card, one click away
    ),
    case("a page", "what page is Kumamoto on", "Page 14 of the 2019 yearbook."),
    case(
        "where a cluster is", "where is the Matsuyama cluster", "Ehime Prefecture", "Shikoku region"
    ),
    case("what a hub is", "what is a science hub", "a partnership of a region's university"),
    case("its purpose", "what is the purpose of the programme", "young researchers"),
    case(
        "what became of it", "what became of the programme", "From fiscal 2021", "地域科学共創事業"
    ),
    case(
        "a stage it does not have",
        "is there a fourth phase?",
        "There is no stage 4: the sources name 3 stages",
    ),
    case(
        "another programme",
        "what is the coastal startup fund",
        "The sources cover the Hometown Science Hub Programme only",
    ),
    case(
        "a place heading no cluster",
        "is there a cluster in Nagasaki",
        "No.",
        "Nagasaki heads no cluster in the 2019 yearbook.",
    ),
    case(
        "a greeting",
        "hello",
        "Hello!",
        "NARS's Hometown Science Hub Programme",
        "what fields does Matsuyama cover",
    ),
    case(
        "help",
        "help",
        "How to ask",
        "its 6 clusters and 5 programme topics",
        "list the harvest phase clusters",
    ),
    case(
        "an out-of-domain decline",
        "what's the weather in Matsuyama",
        "That is not about the Hometown Science Hub Programme.",
    ),
    case(
        "a follow-up",
        ("what fields does Niigata cover", "and Shizuoka?"),
        "Key fields of Shizuoka Coast",
        "🌊 Marine",
        "🤖 Robotics",
    ),
)

JAPANESE = (
    case("a place's fields", "松山の分野は？", "松山の重点分野", "🌾 農業", "🌊 海洋"),
    case("a cluster by its place", "熊本のクラスターについて教えて", "熊本", "萌芽期", "中止"),
    case("a contact", "青森の連絡先", "青森拠点推進財団", "電話 017-555-0101"),
    case(
        "no contact: the programme office", "静岡の連絡先は？", "地域科学振興機構", "03-5550-0190"
    ),
    case("a cluster's stage", "静岡の段階は？", "定着期", "自立化"),
    case(
        "a stage's clusters",
        "結実期のクラスター一覧",
        "松山",
        "青森・八戸",
        absent=("静岡", "熊本"),
    ),
    case("a field's clusters", "海洋技術分野のクラスターは？", "松山", "青森・八戸", "静岡"),
    case("a status's clusters", "中止になったクラスターは？", "熊本", absent=("松山", "静岡")),
    case("a count", "クラスターはいくつありますか", "2019年版年鑑のクラスター6件"),
    case("the key fields", "重点分野は？", "🌾 農業：3件", "🤖 ロボット工学：2件"),
    case("the budget", "予算はいくらですか", "48億円", "42億円"),
    case("the budget of a year it gives", "2017年の予算は？", "42億円", absent=("48億円",)),
    case(
        "the budget of a year it lacks",
        "2015年の予算は？",
        "2015年度の予算は出典に記載がありません",
    ),
    case("a page", "熊本は何ページ？", "2019年版年鑑の14ページ"),
    case("where a cluster is", "松山のクラスターはどこにありますか", "愛媛県", "四国"),
    case("what a hub is", "科学拠点とは", "地域の大学"),
    case("who runs it", "この事業はどこが実施していますか", "地域科学振興機構"),
    case("when it began", "事業はいつ始まりましたか", "2014年"),
    case(
        "its names",
        "この事業の日本語名は",
        "ふるさと科学拠点形成事業",
        "Hometown Science Hub Programme",
    ),
    case(
        "a place heading no cluster",
        "長崎にクラスターはありますか",
        "いいえ",
        "長崎のクラスターはありません",
    ),
    case("a greeting", "こんにちは", "こんにちは！", "松山の分野は？"),
    case("help", "ヘルプ", "使い方", "結実期のクラスター一覧"),
    case(
        "an out-of-domain decline",
        "松山の天気は？",
        "ふるさと科学拠点形成事業についての質問ではないようです",
    ),
    case("a follow-up", ("新潟の分野は？", "静岡は？"), "静岡", "🌊 海洋", "🤖 ロボット工学"),
)


@dataclass(frozen=True)
class Outcome:
    case: Case
    text: str  # what the reader sees: the message and its buttons
    visible: str  # every visible part, buttons and attachments included

    @property
    def problems(self) -> list[str]:
        found = [f"missing {s!r}" for s in self.case.says if s not in self.text]
        found += [f"says {s!r}" for s in self.case.not_says if s in self.text]
        return found


async def asked_on_discord(double, cases: Iterable[Case]) -> list[Outcome]:
    """Each case asked by mentioning the bot, by a user of its own (a follow-up continues
    only its own conversation)."""
    outcomes = []
    for index, item in enumerate(cases):
        user = double.add_user(f"asker{index}-{len(double.users)}")
        reply: dict[str, Any] = {}
        for question in item.questions:
            delivery = await double.dispatch_message(question, mention_bot=True, author=user)
            reply = await wait_reply(double, delivery)
        seen = "\n".join([message_text(reply), *button_labels(reply)])
        outcomes.append(Outcome(item, seen, visible(reply)))
    return outcomes


def report(name: str, outcomes: Sequence[Outcome]) -> tuple[float, list[str]]:
    failures = [
        f"{o.case.label}: {o.case.questions[-1]!r}: {o.problems}\n    got: {o.text!r}"
        for o in outcomes
        if o.problems
    ]
    rate = 1 - len(failures) / len(outcomes)
    print(
        f"\nother programme, {name}: {len(outcomes) - len(failures)}/{len(outcomes)} answered "
        f"with its own facts ({rate:.0%})"
    )
    return rate, failures


@pytest.mark.parametrize(("name", "cases"), [("English", ENGLISH), ("Japanese", JAPANESE)])
async def test_questions_are_answered_with_its_own_facts_and_none_of_the_shipped(
    double, other, name, cases
):
    """20+ questions a language, through the real Discord client: each reply says the other
    programme's facts, and no reply (text, titles, buttons, source notes) names the shipped
    programme."""
    async with kc_bot(double, other, {"KNOWLEDGE_DIR": str(OTHER)}):
        outcomes = await asked_on_discord(double, cases)
    assert len(outcomes) >= 20
    leaked = {o.case.questions[-1]: leaks(o.visible) for o in outcomes if leaks(o.visible)}
    assert not leaked, leaked
    rate, failures = report(name, outcomes)
    assert rate >= PASS_RATE, "\n".join(failures)
    double.assert_clean()


async def test_replies_answer_in_the_question_s_language(double, other):
    """A Japanese question gets the Japanese names of the other programme's facts."""
    async with kc_bot(double, other, {"KNOWLEDGE_DIR": str(OTHER)}):
        [english, japanese] = await asked_on_discord(
            double, [case("en", "stage of Matsuyama"), case("ja", "松山の段階は？")]
        )
    assert "Harvest Phase (from 2018), operating" in english.text
    assert "結実期" in japanese.text
    assert "運営中" in japanese.text
    assert "Harvest" not in japanese.text
    double.assert_clean()


def shipped_devset_questions() -> list[str]:
    """Every question of the shipped development sets (conversations' turns included)."""
    found: dict[str, None] = {}
    for name in ("devset.yaml", "devset_heldout.yaml"):
        with open(Path(__file__).parent / name, encoding="utf-8") as file:
            for entry in yaml.safe_load(file):
                for turn in entry.get("turns") or [entry]:
                    if isinstance(turn.get("q"), str):
                        found[turn["q"]] = None
    return list(found)


def test_the_shipped_questions_get_nothing_of_the_shipped_programme(other):
    """The shipped development sets' questions (they name its places, stages, fields and
    years), asked of the other base in each language: a reply may repeat what the question
    typed, or name the prefecture or region of Japan it typed, and nothing else of the
    shipped programme."""
    app = Application(other)
    kb = other.kb
    areas = [
        name.casefold()
        for area in (*kb.prefectures.values(), *kb.regions.values())
        for name in (area.name, area.name_ja)
    ]
    found = {}
    questions = shipped_devset_questions()
    assert len(questions) > 500
    for question in questions:
        typed = question.casefold()
        for lang in ("auto", "en", "ja"):
            reply = app.handle(Request("ask", question, lang=lang)).reply
            seen = "\n".join(
                [render_plain(reply), full_sources(reply), *reply.suggestions]
                + [step.label for step in reply.steps]
            )
            echoed = [
                word
                for word in leaks(seen)
                if word.casefold() not in typed and not any(word.casefold() in a for a in areas)
            ]
            if echoed:
                found[(question, lang)] = echoed
    assert not found, found


# ------------------------------------------------ commands, examples, buttons, map ----


def button_labels(message: Mapping[str, Any]) -> list[str]:
    return [
        item.get("label", "")
        for row in message.get("components") or []
        for item in row.get("components") or []
        if item.get("type") == 2
    ]


def examples(lang: str) -> list[str]:
    return [e.text(lang) for e in other_knowledge().kb.programme.examples]


async def test_help_greeting_and_an_empty_question_offer_its_own_examples(double, other):
    """/help offers its example questions, a greeting and an empty question the first three,
    in each language; /about names the programme and its own FAQ entries."""
    async with kc_bot(double, other, {"KNOWLEDGE_DIR": str(OTHER)}):
        _, about = await ask(double, "about")
        _, help_en = await ask(double, "help")
        _, help_ja = await ask(double, "help", locale="ja")
        replies = {}
        for lang, text in (("en", "hello"), ("ja", "こんにちは"), ("en", "?")):
            user = double.add_user(f"greeter-{len(double.users)}")
            delivery = await double.dispatch_message(text, mention_bot=True, author=user)
            replies[(lang, text)] = await wait_reply(double, delivery)
    about_text = response_text(about)
    assert "The Hometown Science Hub Programme (ふるさと科学拠点形成事業)" in about_text
    assert "The 2019 yearbook lists 6 clusters in 3 stages and 4 key fields." in about_text
    assert button_labels(about["data"])[:2] == [
        "What is the budget of the Hometown Science Hub Programme?",
        "Who runs the Hometown Science Hub Programme?",
    ]
    assert button_labels(help_en["data"]) == examples("en")[: len(button_labels(help_en["data"]))]
    assert len(button_labels(help_en["data"])) >= 3
    assert button_labels(help_ja["data"])[:3] == examples("ja")[:3]
    for (lang, _), reply in replies.items():
        assert button_labels(reply)[:3] == examples(lang)[:3], reply
    assert "No question" in message_text(replies[("en", "?")])
    for body in (about["data"], help_en["data"], help_ja["data"], *replies.values()):
        assert not leaks(visible(body)), visible(body)
    double.assert_clean()


async def test_an_example_button_asks_its_question(double, other):
    """Clicking the greeting's first example answers it with the other programme's facts."""
    async with kc_bot(double, other, {"KNOWLEDGE_DIR": str(OTHER)}):
        greeting = await wait_reply(double, await double.dispatch_message("hi", mention_bot=True))
        [first] = [
            item
            for row in greeting["components"]
            for item in row["components"]
            if item.get("label") == examples("en")[0]
        ]
        click = await double.dispatch_component(greeting, first["custom_id"])
        body = await click.wait_response()
    text = response_text(body)
    assert "Key fields of Matsuyama" in text
    assert not leaks(visible(body["data"]))
    double.assert_clean()


async def test_the_sources_button_cites_its_own_documents(double, other):
    async with kc_bot(double, other, {"KNOWLEDGE_DIR": str(OTHER)}):
        reply = await wait_reply(
            double, await double.dispatch_message("contact for Aomori", mention_bot=True)
        )
        [sources] = [
            item
            for row in reply["components"]
            for item in row["components"]
            if item.get("label") == "Sources"
        ]
        click = await double.dispatch_component(reply, sources["custom_id"])
        body = await click.wait_response()
    text = response_text(body)
    assert "Hometown Science Hub Programme, 2019 Yearbook (NARS)" in text
    assert "Aomori Hub Promotion Foundation website" in text
    assert not leaks(visible(body["data"]))
    double.assert_clean()


async def test_commands_and_their_options_name_only_its_own_programme(double, other):
    """The synced commands (descriptions, Japanese included) name the other programme; /stage
    offers its three stages with their start years; /region completes its places."""
    async with kc_bot(double, other, {"KNOWLEDGE_DIR": str(OTHER)}):
        payload = double.command_syncs[0].payload
        stages = await double.dispatch_autocomplete("stage", {"stage": ""}, focused="stage")
        await stages.wait_response()
        statuses = await double.dispatch_autocomplete(
            "stage", {"stage": "harvest", "status": ""}, focused="status", locale="ja"
        )
        await statuses.wait_response()
        places = await double.dispatch_autocomplete("region", {"name": "mats"}, focused="name")
        await places.wait_response()
        _, listing = await ask(double, "stage", {"stage": "seedling", "status": "discontinued"})
    synced = json.dumps(payload, ensure_ascii=False)
    assert "Ask anything about the Hometown Science Hub Programme." in synced
    assert not leaks(synced)
    assert [c["name"] for c in stages.choices] == [
        "Seedling Phase (from 2014)",
        "Rooting Phase (from 2016)",
        "Harvest Phase (from 2018)",
    ]
    assert {c["name"] for c in statuses.choices} >= {"運営中", "自立化", "中止"}
    assert places.choices[0]["value"] in {"matsuyama", "matsuyama-harvest"}
    assert "Matsuyama" in places.choices[0]["name"]
    text = response_text(listing)
    assert "Kumamoto Volcanic Belt" in text
    assert "Aomori —" not in text
    for body in (stages.response, statuses.response, places.response, listing["data"]):
        assert not leaks(json.dumps(body, ensure_ascii=False))
    double.assert_clean()


def _colour(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _pixels_near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 6) -> int:
    return sum(
        count
        for count, pixel in image.getcolors(image.width * image.height) or []
        if all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))
    )


@pytest.mark.parametrize(
    ("options", "locale", "title"),
    [
        ({}, "en-US", "Clusters (2019 yearbook)"),
        ({"stage": "harvest"}, "ja", "クラスター（2019年版年鑑）"),
    ],
)
async def test_the_map_draws_its_own_clusters(double, other, tmp_path, options, locale, title):
    """/map: a real PNG titled by the other edition, with a marker in each of its stages'
    colours for each stage and status it shows (clusters.yaml's colours), and nothing of the
    shipped programme in the message."""
    async with kc_bot(double, other, {"KNOWLEDGE_DIR": str(OTHER)}):
        record = await double.dispatch_interaction("map", options, locale=locale)
        await record.wait_response()
        followup = await record.wait_followup()
    [upload] = record.uploads
    (tmp_path / "map.png").write_bytes(upload["data"])
    image = Image.open(io.BytesIO(upload["data"]))
    image.load()
    assert (image.format, image.size) == ("PNG", (style.WIDTH, style.HEIGHT))
    assert [a.get("description") for a in followup["attachments"]] == [title]
    assert not leaks(visible(followup))
    kb = other.kb
    shown = {(c.stage, c.status) for c in kb.clusters if options.get("stage", c.stage) == c.stage}
    rgb = image.convert("RGB")
    for stage, status in shown:
        colour = _colour(kb.stages[stage].colours[status])
        assert _pixels_near(rgb, colour) > 50, (stage, status)
    hidden = {(c.stage, c.status) for c in kb.clusters} - shown
    for stage, status in hidden:
        assert _pixels_near(rgb, _colour(kb.stages[stage].colours[status]), 2) < 10, (stage, status)
    double.assert_clean()


# ----------------------------------------------------------------- the console ----


def test_the_console_answers_from_it_in_its_own_process():
    """`kcbot ask` in its own process, the base named by $KNOWLEDGE_DIR: one line a question,
    each with the other programme's facts and none of the shipped programme's words."""
    questions = ["what fields does Matsuyama cover", "結実期のクラスター一覧", "what is the budget"]
    env = {**os.environ, "KNOWLEDGE_DIR": str(OTHER)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask"],
        input="\n".join(questions) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(questions)
    assert "🌾 Agriculture · 🌊 Marine" in lines[0]
    assert "松山" in lines[1]
    assert "4.8 billion yen" in lines[2]
    assert not leaks(done.stdout)


def test_the_console_s_commands_offer_its_own_stages_and_examples(tmp_path):
    """`kcbot chat` in its own process: a command's usage lists the base's stages and
    statuses, its example argument is the base's own, and /map draws its stage."""
    env = {**os.environ, "KNOWLEDGE_DIR": str(OTHER)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="/stage\n/ask\n/map harvest\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "COLUMNS": "400", "MAP_DIR": str(tmp_path)},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "/stage seedling|rooting|harvest [operating|graduated|discontinued]" in out
    assert "e.g. /stage harvest." in out
    assert "e.g. /ask what fields does Matsuyama cover." in out
    [drawn] = tmp_path.glob("*.png")
    assert drawn.read_bytes().startswith(b"\x89PNG")
    assert not leaks(out)
