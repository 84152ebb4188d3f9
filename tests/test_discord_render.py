"""Rendering answers as Discord messages: every limit, escaping, colours, footer, suggestions.

Pure functions, hand-built answers: no client, no mocks.
"""

from __future__ import annotations

import discord
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.discord_app import render
from bot.discord_app.render import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELDS_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    MESSAGE_CONTENT_LIMIT,
    measure,
    message_total,
    render_answer,
)
from bot.discord_app.style import (
    CLARIFY_COLOUR,
    CLUSTERS_COLOUR,
    NEUTRAL_COLOUR,
    PROGRAMME_COLOUR,
)
from bot.engine.answer import Intent
from bot.i18n.localize import Block, LocalizedAnswer, Source
from bot.kb.model import KeyField
from tests.support import AS_OF_EDITION_TEXT, localized

FIELDS = {
    "life-sciences": KeyField(
        "life-sciences", "Life Sciences", "ライフサイエンス", (), "🧬", "#2E9E5B"
    ),
    "it": KeyField("it", "IT", "情報通信 (IT)", (), "💻", "#2F6FD0"),
}


def answer(**changes) -> LocalizedAnswer:
    return localized(**changes)


def assert_within_limits(reply: render.Reply) -> None:
    """Every limit Discord enforces on one message, measured conservatively."""
    assert len(reply.embeds) <= EMBEDS_PER_MESSAGE
    assert message_total(reply.embeds) <= EMBED_TOTAL_LIMIT
    if reply.content is not None:
        assert 0 < measure(reply.content) <= MESSAGE_CONTENT_LIMIT
    for embed in reply.embeds:
        assert len(embed) <= EMBED_TOTAL_LIMIT  # discord.py's own count
        assert measure(embed.title or "") <= EMBED_TITLE_LIMIT
        assert measure(embed.description or "") <= EMBED_DESCRIPTION_LIMIT
        assert len(embed.fields) <= EMBED_FIELDS_LIMIT
        assert measure(embed.footer.text or "") <= FOOTER_LIMIT
        for field in embed.fields:
            assert 0 < measure(field.name) <= FIELD_NAME_LIMIT
            assert 0 < measure(field.value) <= FIELD_VALUE_LIMIT
        assert embed.to_dict()  # serialisable as sent


def giant_answer(blocks: int = 200, line: int = 5000) -> LocalizedAnswer:
    return answer(
        title="T" * 1000,
        summary="S" * 10_000,
        blocks=tuple(
            Block(f"Cluster {i} " + "n" * 400, ("x" * line,) * 8, field_ids=("it",))
            for i in range(blocks)
        ),
        sources=tuple(
            Source(f"Document {i}", f"p. {i}", "https://example.org") for i in range(400)
        ),
        suggestions=tuple("s" * 2000 for _ in range(3)),
        as_of=AS_OF_EDITION_TEXT,
    )


def test_small_answer_is_one_embed_with_title_and_summary():
    """A short answer renders as one embed carrying the title and the summary."""
    reply = render_answer(answer(), FIELDS)
    (embed,) = reply.embeds
    assert embed.title == "Sapporo IT Cluster"
    assert embed.description == "The core organization is the Hokkaido foundation."


def test_blocks_become_fields():
    """Each block is an embed field: its title as the name, its lines as the value."""
    reply = render_answer(answer(blocks=(Block("Organization", ("Tel 011", "Fax 012")),)), FIELDS)
    (field,) = reply.embeds[0].fields
    assert (field.name, field.value) == ("Organization", "Tel 011\nFax 012")


def test_giant_answer_stays_within_every_limit():
    """200 blocks of 5,000-character lines, 400 sources, huge title and summary all fit."""
    assert_within_limits(render_answer(giant_answer(), FIELDS, echo_question=True))


def test_giant_answer_says_how_many_blocks_were_left_out():
    """Blocks that do not fit are counted in a final "…and N more" field."""
    reply = render_answer(giant_answer(), FIELDS)
    last = reply.embeds[-1].fields[-1]
    assert reply.omitted > 0
    assert last.name == f"…and {reply.omitted} more"


def test_many_small_blocks_spread_over_embeds_of_25_fields():
    """More than 25 short blocks continue in further embeds rather than being refused."""
    blocks = tuple(Block(f"C{i}", ("one line",)) for i in range(60))
    reply = render_answer(answer(blocks=blocks), FIELDS)
    assert [len(e.fields) for e in reply.embeds] == [25, 25, 10]
    assert reply.omitted == 0


def test_more_blocks_than_slots_are_counted_not_dropped():
    """Past 10 embeds × 25 fields, the rest is reported as "…and N more"."""
    blocks = tuple(Block(str(i), ("·",)) for i in range(400))
    reply = render_answer(answer(blocks=blocks), FIELDS)
    assert_within_limits(reply)
    shown = sum(len(e.fields) for e in reply.embeds) - 1
    assert shown + reply.omitted == 400


def test_long_block_keeps_whole_lines_and_counts_the_rest():
    """A block too long for one field keeps whole lines and says how many it left out."""
    lines = tuple(f"line {i} " + "x" * 90 for i in range(40))
    (field,) = render_answer(answer(blocks=(Block("Big", lines),)), FIELDS).embeds[0].fields
    kept = field.value.split("\n")
    assert kept[-1] == f"…and {40 - (len(kept) - 1)} more"
    assert all(line in lines for line in kept[:-1])


def test_block_with_thousands_of_lines_counts_all_left_out():
    """The "…and N more" of a 3,000-line block counts every line not shown."""
    lines = tuple(f"l{i}" for i in range(3000))
    (field,) = render_answer(answer(blocks=(Block("Many", lines),)), FIELDS).embeds[0].fields
    kept = field.value.split("\n")
    assert kept[-1] == f"…and {3000 - (len(kept) - 1)} more"


def test_single_overlong_line_is_cut_with_ellipsis():
    """One 5,000-character line is cut to the field limit and ends with an ellipsis."""
    (field,) = render_answer(answer(blocks=(Block("Big", ("y" * 5000,)),)), FIELDS).embeds[0].fields
    assert measure(field.value) <= FIELD_VALUE_LIMIT
    assert field.value.endswith("…")


def test_astral_characters_are_counted_twice():
    """Emoji outside the BMP count as two units, so 600 of them cannot pass as 600."""
    (field,) = render_answer(answer(blocks=(Block("E", ("🧬" * 600,)),)), FIELDS).embeds[0].fields
    assert measure(field.value) <= FIELD_VALUE_LIMIT
    assert field.value.count("🧬") < 512


def test_empty_block_gets_a_placeholder_value():
    """A block without lines still has a non-empty value (Discord rejects empty ones)."""
    (field,) = render_answer(answer(blocks=(Block("Nothing", ()),)), FIELDS).embeds[0].fields
    assert field.value


def test_empty_answer_still_renders_a_valid_embed():
    """An answer with no title, summary or blocks is still a non-empty embed."""
    (embed,) = render_answer(answer(title="", summary=""), FIELDS).embeds
    assert embed.description


@pytest.mark.parametrize("ping", ["@everyone", "@here", "<@&123>", "<@456>", "<@!456>"])
def test_echoed_question_cannot_ping(ping):
    """Mentions in the echoed question are broken with a zero-width space."""
    reply = render_answer(
        answer(question=f"hi {ping} who runs Sapporo?"), FIELDS, echo_question=True
    )
    assert ping not in reply.content
    assert ping.replace("@", "@\u200b") in reply.content


@pytest.mark.parametrize("ping", ["@everyone", "<@&123>", "<@456>"])
def test_engine_text_quoting_the_question_cannot_ping(ping):
    """Mentions anywhere in the answer (title, summary, blocks, suggestions) are broken."""
    text = f"about {ping}"
    reply = render_answer(
        answer(title=text, summary=text, blocks=(Block(text, (text,)),), suggestions=(text,)),
        FIELDS,
    )
    rendered = str([e.to_dict() for e in reply.embeds])
    assert ping not in rendered


def test_echoed_question_markdown_is_escaped():
    """Markdown in the echoed question is shown literally, not formatted."""
    reply = render_answer(
        answer(question="**bold** [x](https://evil.example)"), FIELDS, echo_question=True
    )
    assert "\\*\\*bold\\*\\*" in reply.content
    assert "\\[x](https://evil.example)" in reply.content  # a masked link no more


def test_no_echo_unless_asked():
    """Without echo_question the reply has no content, only embeds."""
    assert render_answer(answer(), FIELDS).content is None


def test_echo_of_long_question_fits_the_content_limit():
    """A question far over 2,000 characters is echoed clipped to the content limit."""
    reply = render_answer(answer(question="q" * 10_000), FIELDS, echo_question=True)
    assert measure(reply.content) <= MESSAGE_CONTENT_LIMIT


def test_kwargs_always_disable_mentions():
    """Every reply is sent with AllowedMentions.none()."""
    sent = render_answer(answer(), FIELDS).kwargs()
    mentions = sent["allowed_mentions"]
    assert (mentions.everyone, mentions.users, mentions.roles, mentions.replied_user) == (
        False,
        False,
        False,
        False,
    )


def test_single_field_answer_takes_the_field_colour_and_emoji():
    """Blocks all about one key field: that field's colour, and its emoji on the title."""
    blocks = (Block("A", ("x",), field_ids=("it",)), Block("B", ("y",), field_ids=("it",)))
    (embed,) = render_answer(answer(blocks=blocks, intent=Intent.BY_FIELD), FIELDS).embeds
    assert embed.colour == discord.Colour(0x2F6FD0)
    assert embed.title.startswith("💻 ")


def test_a_reply_not_about_fields_keeps_the_colour_of_its_kind():
    """A contact of a cluster in one field is not about that field: no field colour."""
    blocks = (Block("A", ("x",), field_ids=("it",)),)
    (embed,) = render_answer(answer(blocks=blocks, intent=Intent.CONTACT), FIELDS).embeds
    assert embed.colour == CLUSTERS_COLOUR
    assert not embed.title.startswith("💻")


def test_block_names_carry_no_glued_emoji():
    """A block's name is its words alone: no row of emoji without a legend (issue 14)."""
    blocks = (Block("Kobe", ("x",), field_ids=("life-sciences", "it")),)
    (field,) = render_answer(answer(blocks=blocks), FIELDS).embeds[0].fields
    assert field.name == "Kobe"


def test_mixed_fields_take_the_colour_of_the_kind_of_answer():
    """Blocks in different key fields: the colour says the kind of reply (an answer about
    clusters), and the title has no emoji."""
    blocks = (
        Block("A", ("x",), field_ids=("it",)),
        Block("B", ("y",), field_ids=("life-sciences",)),
    )
    (embed,) = render_answer(answer(blocks=blocks), FIELDS).embeds
    assert embed.colour == CLUSTERS_COLOUR
    assert embed.title == "Sapporo IT Cluster"


@pytest.mark.parametrize(
    ("intent", "answered", "colour"),
    [
        (Intent.CONTACT, True, CLUSTERS_COLOUR),
        (Intent.BY_STAGE, True, CLUSTERS_COLOUR),
        (Intent.FAQ, True, PROGRAMME_COLOUR),
        (Intent.HELP, True, PROGRAMME_COLOUR),
        (Intent.CLARIFY, False, CLARIFY_COLOUR),
        (Intent.OUT_OF_DOMAIN, False, NEUTRAL_COLOUR),
        (Intent.NOT_IN_SOURCES, False, NEUTRAL_COLOUR),
    ],
)
def test_an_answer_about_no_key_field_is_coloured_by_its_kind(intent, answered, colour):
    """Clusters, the programme, a question back and a decline each have their colour; a
    decline is neutral, so it never looks like an answer."""
    reply = render_answer(answer(intent=intent, answered=answered), FIELDS)
    assert reply.embeds[0].colour == colour


def test_a_decline_has_no_title_emoji_even_with_one_field():
    """Not answered: no field colour, no emoji, even if the words mention one field."""
    blocks = (Block("A", ("x",), field_ids=("it",)),)
    reply = render_answer(
        answer(intent=Intent.OUT_OF_DOMAIN, answered=False, blocks=blocks), FIELDS
    )
    assert reply.embeds[0].colour == NEUTRAL_COLOUR
    assert not reply.embeds[0].title.startswith("💻")


def test_unknown_field_id_is_ignored():
    """A field id the knowledge base does not define adds no colour or emoji."""
    blocks = (Block("A", ("x",), field_ids=("astrology",)),)
    (embed,) = render_answer(answer(blocks=blocks), FIELDS).embeds
    assert embed.colour == CLUSTERS_COLOUR
    assert embed.fields[0].name == "A"


def test_every_embed_of_a_message_shares_the_colour():
    """Continuation embeds keep the colour of the first."""
    blocks = tuple(Block(f"C{i}", ("l",), field_ids=("it",)) for i in range(30))
    reply = render_answer(answer(blocks=blocks, intent=Intent.BY_FIELD), FIELDS)
    assert {e.colour for e in reply.embeds} == {discord.Colour(0x2F6FD0)}


def test_footer_cites_sources_and_edition():
    """The footer lists the sources and says "as of the 2008 edition"."""
    reply = render_answer(
        answer(
            sources=(Source("Knowledge Cluster Initiative 2008", "p. 12"),),
            as_of=AS_OF_EDITION_TEXT,
        ),
        FIELDS,
    )
    assert reply.embeds[-1].footer.text == (
        "Source: Knowledge Cluster Initiative 2008, p. 12 · as of 2008"
    )


def test_duplicate_sources_are_cited_once():
    """The same citation twice appears once in the footer."""
    source = Source("KCI 2008", "p. 3")
    reply = render_answer(answer(sources=(source, source)), FIELDS)
    assert reply.embeds[-1].footer.text == "Source: KCI 2008, p. 3"


def test_many_sources_are_counted_and_the_edition_kept():
    """With hundreds of sources the footer says how many more, and keeps the edition note."""
    sources = tuple(Source(f"Document {i}", "p. 1") for i in range(300))
    reply = render_answer(answer(sources=sources, as_of=AS_OF_EDITION_TEXT), FIELDS)
    footer = reply.embeds[-1].footer.text
    assert "+299 more" in footer
    assert footer.endswith(AS_OF_EDITION_TEXT)
    assert measure(footer) <= FOOTER_LIMIT


def test_footer_goes_on_the_last_embed_only():
    """In a multi-embed reply only the last embed has the footer."""
    blocks = tuple(Block(f"C{i}", ("l",)) for i in range(30))
    reply = render_answer(answer(blocks=blocks, as_of=AS_OF_EDITION_TEXT), FIELDS)
    assert [bool(e.footer.text) for e in reply.embeds] == [False, True]


def test_no_link_on_the_title():
    """The title is not a link to one of the sources (it read as a link to the answer);
    the links are in the Sources button's message, and never in the footer."""
    sources = (Source("Plain"), Source("MEXT page", url="https://www.mext.go.jp/"))
    (embed,) = render_answer(answer(sources=sources), FIELDS).embeds
    assert embed.url is None
    assert "https://" not in embed.footer.text


def test_suggestions_are_offered_as_did_you_mean():
    """An answer with suggestions shows a "Did you mean…" field listing each one."""
    reply = render_answer(
        answer(answered=False, intent=Intent.CLARIFY, suggestions=("Sapporo", "Sendai")), FIELDS
    )
    (field,) = reply.embeds[0].fields
    assert field.name == "Did you mean…"
    assert field.value == "• Sapporo\n• Sendai"


def test_no_suggestions_no_did_you_mean():
    """Without suggestions there is no "Did you mean" field."""
    assert not render_answer(answer(), FIELDS).embeds[0].fields


def test_problems_message_fits_and_counts_the_rest():
    """A long problem list fits in one message and says how many were left out."""
    reply = render.problems_message(
        "Errors:", [f"clusters.yaml:{i} bad " + "z" * 80 for i in range(500)]
    )
    assert measure(reply.content) <= MESSAGE_CONTENT_LIMIT
    assert reply.content.splitlines()[-1].startswith("…and ")


def test_plain_message_is_escaped_and_clipped():
    """Plain notices are clipped to 2,000 characters and cannot ping."""
    reply = render.plain_message("@everyone " + "w" * 3000)
    assert measure(reply.content) <= MESSAGE_CONTENT_LIMIT
    assert "@everyone" not in reply.content


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=3000)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_text,
    summary=_text,
    blocks=st.lists(st.tuples(_text, st.lists(_text, max_size=6)), max_size=40),
    question=_text,
    suggestions=st.lists(_text, max_size=3),
)
def test_any_answer_stays_within_limits(title, summary, blocks, question, suggestions):
    """Whatever text an answer holds, the rendered message is within every Discord limit."""
    built = answer(
        question=question,
        title=title,
        summary=summary,
        blocks=tuple(Block(t, tuple(lines), field_ids=("it",)) for t, lines in blocks),
        suggestions=tuple(suggestions),
        sources=(Source(title or "doc", summary[:50] or None),),
        as_of=AS_OF_EDITION_TEXT,
    )
    assert_within_limits(render_answer(built, FIELDS, echo_question=bool(question.strip())))


# Text that exercises the short cuts: plain words, markup, mentions, links, kana, emoji.
_markup_text = st.lists(
    st.sampled_from(
        list("ab Z09\n\t.,:/<>()[]{}") + list("_\\~|*`>#-@&!") + ["https://", "京", "…", "😀"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_markup_text)
def test_escape_matches_discords_escaping_however_short_cut(text):
    """`escape` skips the markdown escaping for text without any character it acts on; the
    result is always what discord.py's escaping and the mention breaking make of it."""
    expected = render.neutralise_mentions(discord.utils.escape_markdown(text))
    assert render.escape(text) == expected


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_measure_counts_utf16_units_however_short_cut(text):
    """ASCII text is measured by its length; any text counts as its UTF-16 code units."""
    assert measure(text) == len(text.encode("utf-16-le", "surrogatepass")) // 2
