"""A reply's steps as Discord components (bot/discord_app/components.py) and the checks a
click goes through (bot/discord_app/clicks.py), without a network."""

from __future__ import annotations

from unittest import mock

import discord
import pytest

from bot.app import Application
from bot.config import Settings
from bot.discord_app.clicks import is_valid, owner_id
from bot.discord_app.client import create_bot
from bot.discord_app.components import (
    BUTTONS_PER_ROW,
    ROWS,
    ComponentContext,
    build_view,
)
from bot.discord_app.custom_ids import (
    CUSTOM_ID_LIMIT,
    StepCall,
    button_id,
    parse_button,
    parse_select,
)
from bot.discord_app.layout import Button
from bot.engine import messages as M
from bot.engine.answer import Ref, Step
from bot.i18n.localize import LocalizedStep
from tests.discord_double.components import validate_components
from tests.support import shipped_knowledge


def reply_to(question: str, lang: str = "en"):
    knowledge = shipped_knowledge()
    return knowledge.localizer.localize(knowledge.engine.ask(question), lang)


def rows(view: discord.ui.View) -> list[dict]:
    return view.to_components()


def assert_discord_accepts(view: discord.ui.View) -> None:
    errors: dict = {}
    validate_components(rows(view), errors, ["components"])
    assert errors == {}


def step(action: str, kind: str, ident: str, label: str = "Label") -> LocalizedStep:
    return LocalizedStep(Step("next", action, Ref(kind, ident), M.TEXT(text=label)), label)


# ------------------------------------------------------------------------ custom ids ----


@pytest.mark.parametrize("private", [False, True])
def test_a_button_id_reads_back_as_its_step(private):
    custom_id = button_id(step("contact", "cluster", "kyoto-first"), "ja", private)
    assert custom_id == f"kc:s:ja:{'p' if private else 'o'}:contact:cluster:kyoto-first"
    assert parse_button(custom_id.removeprefix("kc:s:")) == StepCall(
        "ja", private, "contact", Ref("cluster", "kyoto-first")
    )


def test_an_example_question_is_named_by_its_id():
    target = Ref("example", "fields")
    example = LocalizedStep(
        Step("suggestion", "ask", target, M.EXAMPLE(example=target)), "what fields…"
    )
    assert button_id(example, "en", False) == "kc:s:en:o:ask:example:fields"


def test_a_step_too_long_for_a_custom_id_gets_no_button():
    assert button_id(step("contact", "cluster", "x" * 90), "en", False) is None
    assert len(button_id(step("contact", "cluster", "x" * 64), "en", False)) <= CUSTOM_ID_LIMIT


@pytest.mark.parametrize(
    "data",
    [
        "",
        "en",
        "en:o:contact",
        "en:x:contact:cluster:a",
        "EN:o:contact:cluster:a",
        "en:o:contact:secret:a",
        "en:o:contact:cluster:a:b",
        "en:o:" + "a" * 41 + ":cluster:a",
    ],
)
def test_malformed_button_ids_are_refused(data):
    assert parse_button(data) is None


def test_a_select_takes_exactly_one_value():
    assert parse_select("en:o:region", ["ube-first"]) == StepCall(
        "en", False, "region", Ref("cluster", "ube-first")
    )
    assert parse_select("en:o:region", []) is None
    assert parse_select("en:o:region", ["a", "b"]) is None
    assert parse_select("en:o:region:extra", ["a"]) is None


# ----------------------------------------------------------------------------- layout ----


def test_a_listing_gets_a_menu_of_its_clusters():
    view = build_view(reply_to("which clusters work on IT"), private=False)
    (row,) = rows(view)
    (menu,) = row["components"]
    assert menu["type"] == 3
    assert menu["custom_id"] == "kc:c:en:o:region"
    assert len(menu["options"]) == 11
    assert menu["placeholder"] == "Choose a cluster…"
    assert_discord_accepts(view)


def test_more_than_25_choices_get_no_menu():
    """Discord's limit; the listing itself still names every cluster."""
    reply = reply_to("which clusters work on IT")
    many = tuple(reply.steps) * 3
    view = build_view(type(reply)(**{**_fields(reply), "steps": many}), private=False)
    assert view is None


def _fields(reply) -> dict:
    return {name: getattr(reply, name) for name in reply.__dataclass_fields__}


def test_did_you_mean_comes_first_and_buttons_are_labelled_in_the_reply_language():
    view = build_view(reply_to("tokyo contact", "ja"), private=False)
    first = rows(view)[0]["components"]
    assert first[0]["label"] == "京都"
    assert first[0]["style"] == discord.ButtonStyle.primary.value
    assert first[0]["custom_id"].startswith("kc:s:ja:o:contact:place:kyoto")
    assert_discord_accepts(view)


def test_many_steps_give_one_primary_action_and_three_more():
    """However many steps a reply offers, four buttons show them, the first primary; the
    menu and the extra rows keep their places, within Discord's limits."""
    reply = reply_to("contact hamamatsu")
    following = tuple(step("contact", "cluster", f"c{i}", f"Step {i}") for i in range(23))
    crowded = type(reply)(**{**_fields(reply), "steps": (*reply.steps, *following)})

    def feedback(reply, context: ComponentContext):
        assert context == ComponentContext(private=True)
        return [[Button(f"fb:{x}", x) for x in ("👍", "👎")]]

    view = build_view(crowded, private=True, extra=[feedback])
    laid_out = rows(view)
    assert len(laid_out) <= ROWS
    assert all(len(row["components"]) <= BUTTONS_PER_ROW for row in laid_out)
    steps = laid_out[0]["components"]
    assert len(steps) == 4
    styles = [c["style"] for c in steps]
    assert styles == [discord.ButtonStyle.primary.value] + [discord.ButtonStyle.secondary.value] * 3
    assert laid_out[1]["components"][0]["type"] == 3  # the menu
    assert [c["custom_id"] for c in laid_out[-1]["components"]] == ["fb:👍", "fb:👎"]
    assert_discord_accepts(view)


def test_labels_are_cut_to_discords_80_characters():
    long = step("contact", "cluster", "kyoto-first", "x" * 200)
    reply = reply_to("contact kyoto")
    view = build_view(type(reply)(**{**_fields(reply), "steps": (long,)}), private=False)
    label = rows(view)[0]["components"][0]["label"]
    assert len(label) == 80
    assert label.endswith("…")


def test_an_answer_with_nothing_to_offer_has_no_components():
    assert build_view(reply_to("what is a knowledge cluster"), private=False) is None


# ----------------------------------------------------------------------------- clicks ----


@pytest.fixture(scope="module")
def app() -> Application:
    return Application(shipped_knowledge())


@pytest.mark.parametrize(
    ("call", "valid"),
    [
        (StepCall("en", False, "contact", Ref("cluster", "kyoto-first")), True),
        (StepCall("ja", True, "fields", Ref("place", "hamamatsu")), True),
        (StepCall("en", False, "contact", Ref("organization", "noastec")), True),
        (StepCall("en", False, "faq", Ref("faq", "budget")), True),
        (StepCall("en", False, "ask", Ref("example", "fields")), True),
        (StepCall("en", False, "contact", Ref("cluster", "atlantis")), False),
        (StepCall("en", False, "contact", Ref("place", "tokyo")), False),  # heads no cluster
        (StepCall("fr", False, "contact", Ref("cluster", "kyoto-first")), False),
        (StepCall("en", False, "delete", Ref("cluster", "kyoto-first")), False),
        (StepCall("en", False, "ask", Ref("example", "rm -rf")), False),
        (StepCall("en", False, "faq", Ref("cluster", "kyoto-first")), False),
        (None, False),
    ],
)
def test_a_click_is_checked_against_the_live_base(app, call, valid):
    assert is_valid(call, app, {}) is valid


def test_a_features_own_action_is_accepted():
    call = StepCall("en", False, "map", Ref("cluster", "kyoto-first"))
    assert is_valid(call, Application(shipped_knowledge()), {"map": mock.AsyncMock()})


def test_the_owner_of_a_reply():
    message = mock.Mock(spec=discord.Message)
    message.interaction_metadata = mock.Mock(user=mock.Mock(id=7))
    assert owner_id(message) == 7
    message.interaction_metadata = None
    message.reference = mock.Mock(resolved=mock.Mock(spec=discord.Message, author=mock.Mock(id=9)))
    assert owner_id(message) == 9
    message.reference = None
    assert owner_id(message) is None
    assert owner_id(None) is None


def test_the_bot_keeps_conversations_as_configured():
    bot = create_bot(Settings(conversation_idle_seconds=5, conversation_max=7), shipped_knowledge())
    assert (bot.app.conversations.idle_seconds, bot.app.conversations.capacity) == (5, 7)


def test_suggestions_offered_as_buttons_are_not_repeated_as_text():
    from bot.discord_app.components import render_with_steps

    knowledge = shipped_knowledge()
    fields = knowledge.kb.fields
    with_buttons = render_with_steps(reply_to("tokyo contact"), fields, private=False)
    assert "Did you mean…" not in [f.name for e in with_buttons.embeds for f in e.fields]
    assert with_buttons.view is not None
    # /field with an unknown field suggests fields, which no button asks: the text stays.
    unknown = knowledge.localizer.localize(knowledge.engine.field("astrology"), "en")
    as_text = render_with_steps(unknown, fields, private=False)
    assert "Did you mean…" in [f.name for e in as_text.embeds for f in e.fields]
    assert as_text.view is None


@pytest.mark.parametrize(
    ("custom_id", "mine"),
    [
        ("kc:zz", True),
        ("kc:s:x", False),
        ("kc:c:x", False),
        ("kc:vote:x", False),
        ("other:x", False),
    ],
)
def test_only_unclaimed_kc_ids_fall_to_the_polite_notice(custom_id, mine):
    """Each id is answered by exactly one DynamicItem: the feedback votes' `kc:vote:` too."""
    from bot.discord_app.components import UnknownComponent

    pattern = UnknownComponent.__discord_ui_compiled_template__
    assert (pattern.fullmatch(custom_id) is not None) is mine
