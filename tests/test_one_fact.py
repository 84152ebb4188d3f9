"""One-fact questions and follow-ups (issue 19 §1), from tests/one_fact.yaml: the fact asked
is in the reply's first line, the reply is short, a Japanese reply starts in Japanese, and a
substitute says first that it is one and is not an answer. Each conversation is asked as
`ask --conversation` asks it (free text, one conversation per case)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from bot.app import Application, Request
from bot.engine.answer import Intent, Ref
from bot.render.plain import render_plain
from tests.support import shipped_knowledge

CASES = yaml.safe_load((Path(__file__).with_name("one_fact.yaml")).read_text(encoding="utf-8"))[
    "cases"
]
# Phone-like strings other than the sourced ones would be made up.
SOURCED_NUMBERS = {"011-708-6525", "011-708-6529", "022-346-9237", "022-346-9238", "03-5253-4111"}
PHONE_LIKE = re.compile(r"(?<![\d-])0\d{1,4}-\d{2,4}-\d{3,4}(?!\d)")
SOURCE_LINE = re.compile(r"^\s*(sources?|出典)\b.*$", re.IGNORECASE | re.MULTILINE)
_KEYS = itertools.count()


@pytest.fixture(scope="module")
def app() -> Application:
    return Application(shipped_knowledge())


def _label(case: dict) -> str:
    return " ⏎ ".join(case.get("turns") or [case["q"]])


def _reply(app: Application, case: dict):
    key = ("one-fact", next(_KEYS))
    response = None
    for text in case.get("turns") or [case["q"]]:
        response = app.handle(Request("ask", text, conversation=key))
    assert response is not None
    return response.reply


def _starts_in_japanese(line: str) -> bool:
    first = next((ch for ch in line if ch.isalpha()), "")
    return bool(first) and not first.isascii()


def test_the_set_is_large_enough_in_both_languages():
    """At least 30 cases, follow-ups and Japanese among them."""
    japanese = [c for c in CASES if c.get("lang") == "ja"]
    follow_ups = [c for c in CASES if "turns" in c]
    assert len(CASES) >= 30
    assert len(japanese) >= 10
    assert len(follow_ups) >= 10


@pytest.mark.parametrize("case", CASES, ids=_label)
def test_one_fact_reply(app, case):
    reply = _reply(app, case)
    text = render_plain(reply)
    first_line = text.split("\n", 1)[0]
    body = SOURCE_LINE.sub("", text).strip()
    where = f"{_label(case)!r} → {text!r}"
    assert re.search(case["first"], first_line, re.IGNORECASE), where
    for pattern in case.get("must", []):
        assert re.search(pattern, text, re.IGNORECASE), (pattern, where)
    for pattern in case.get("not", []):
        assert not re.search(pattern, text, re.IGNORECASE), (pattern, where)
    assert set(PHONE_LIKE.findall(text)) <= SOURCED_NUMBERS, where
    if "max_chars" in case:
        assert len(body) <= case["max_chars"], (len(body), where)
    if "answered" in case:
        assert reply.answered is case["answered"], where
    if case.get("lang") == "ja":
        assert reply.lang == "ja", where
        assert _starts_in_japanese(first_line), where
    elif case.get("lang") == "en":
        assert reply.lang == "en", where


def test_a_one_fact_reply_offers_its_card_first(app):
    """ "and the fax?" after Sendai's card: one line, and the full card is the first button;
    clicking it gives the card with the fax and everything else."""
    key = ("one-fact", "card")
    app.handle(Request("ask", "contact for sendai", conversation=key))
    reply = app.handle(Request("ask", "and the fax?", conversation=key)).reply
    assert reply.answer.one_fact
    assert reply.blocks == ()
    step = reply.steps[0]
    assert (step.action, step.target, step.label) == (
        "contact",
        Ref("place", "sendai"),
        "Full contact card",
    )
    card = app.engine.show(step.action, step.target)
    shown = render_plain(app.localizer.localize(card, "en"))
    assert "TEL 022-346-9237 · FAX 022-346-9238" in shown
    assert "SENDAI KNOWLEDGE CLUSTER INITIATIVE office" in shown


def test_an_organizations_card_is_one_click_from_its_number(app):
    """MEXT is no cluster's organization: its number alone, then its card on a click."""
    reply = app.handle(Request("ask", "what's MEXT's phone number?")).reply
    (step,) = [s for s in reply.steps if s.action == Intent.CONTACT.value]
    assert step.target == Ref("organization", "mext-office")
    card = app.engine.show(step.action, step.target)
    assert card.answered
    assert card.sections  # the card, with its office and number
    assert not card.one_fact


def test_the_contact_command_titles_a_substitute_as_what_it_is(app):
    """/contact kyoto: the title says the sources give no contact for Kyoto; the card below
    is headed as the programme office; not an answer."""
    for lang, title, heading in (
        ("en", "The sources give no contact for Kyoto", "Programme office: "),
        ("ja", "京都の連絡先は、出典に記載がありません", "事業の担当窓口："),
    ):
        reply = app.handle(Request("contact", "kyoto", lang=lang)).reply
        assert reply.title == title
        assert not reply.answered
        (block,) = reply.blocks
        assert block.title.startswith(heading)
        assert any("03-5253-4111" in line for line in block.lines)


def test_a_card_asked_for_is_still_the_card(app):
    """ "contact for sapporo" asks for the contact, not one detail: the whole card."""
    reply = app.handle(Request("ask", "contact for sapporo")).reply
    assert not reply.answer.one_fact
    text = render_plain(reply)
    assert "TEL 011-708-6525 · FAX 011-708-6529" in text
    assert "Knowledge Cluster Headquarters" in text


def test_one_fact_among_other_things_asked_is_a_labelled_fact(app):
    """ "page and phone number of gifu": the page and the (missing) number, each labelled."""
    reply = app.handle(Request("ask", "page and phone number of gifu")).reply
    labels = [block.title for block in reply.blocks]
    assert labels[:2] == ["Page", "Contact details"]
    assert "no telephone number" in reply.blocks[1].lines[0]
    assert not reply.answered
