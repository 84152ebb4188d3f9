"""The application pipeline: every front-end's request answered, in words, logged once."""

from __future__ import annotations

import logging

import pytest

from bot.app import Application, Request
from tests.support import shipped_knowledge


@pytest.fixture
def app() -> Application:
    return Application(shipped_knowledge())


@pytest.mark.parametrize(
    ("request_", "title"),
    [
        (Request("ask", "what fields does kyoto cover"), "Key fields of Kyoto"),
        # Both Sapporo clusters: titled by the place they share, not by a list of names.
        (Request("contact", "sapporo"), "Contact for Sapporo"),
        (Request("region", "ube"), "Ube"),
        (Request("stage", "second", {"status": "active"}), "Active clusters of the Second Stage"),
        (Request("field", "environment"), "Clusters working in Environment"),
        (Request("about"), "The Knowledge Cluster Initiative (知的クラスター創成事業)"),
        (Request("help"), "How to ask"),
    ],
)
def test_each_command_is_answered_in_words(app, request_, title):
    response = app.handle(request_)
    assert response.reply.title.startswith(title)
    assert response.lang == "en"
    assert response.latency_ms >= 0


def test_an_unknown_command_is_a_programming_error(app):
    with pytest.raises(ValueError, match="unknown command 'nope'"):
        app.handle(Request("nope"))


def test_listeners_hear_every_answer_and_cannot_break_one(app, caplog):
    """A listener that raises is logged; the user still gets the answer."""
    heard = []

    def broken(response):
        raise RuntimeError("listener bug")

    app.listeners += [heard.append, broken]
    with caplog.at_level(logging.ERROR, logger="bot.app"):
        response = app.handle(Request("ask", "kyoto"))
    assert heard == [response]
    assert response.answer.answered
    assert "listener bug" in caplog.text


def test_one_log_line_per_answer_with_ids_not_text(app, caplog):
    request = Request("ask", "who runs Sapporo, please?", via="text:dm", origin={"user": 42})
    with caplog.at_level(logging.INFO, logger="bot.app"):
        app.handle(request)
    (record,) = caplog.records
    line = record.getMessage()
    assert "via=text:dm" in line
    assert "rule=region" in line
    assert "lang=en" in line
    assert "user=42" in line
    assert "please" not in line
    # the same values as the record's own fields (keys of their own in JSON logs)
    assert record.fields["via"] == "text:dm"
    assert record.fields["rule"] == "region"
    assert record.fields["user"] == "42"
    assert "please" not in str(record.fields)


def test_a_reload_swaps_engine_and_words_together(app):
    """Knowledge is replaced whole: the next request reads the new one."""
    from bot import app as application

    fresh = application.load()
    app.knowledge = fresh
    assert app.engine is fresh.engine
    assert app.localizer is fresh.localizer


def test_translation_gaps_are_logged_a_few_then_counted(tmp_path, caplog):
    """A base whose places lack Japanese names (the benchmark's generated one): the first
    gaps a line each, then one line with how many more, never a line per gap."""
    import importlib.util
    import logging
    import re
    from pathlib import Path

    from bot import app as application

    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_engine.py"
    spec = importlib.util.spec_from_file_location("bench_engine", bench)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate_knowledge(tmp_path, clusters=40, faq_entries=40)
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        application.load(str(tmp_path))
    gap_lines = [r.getMessage() for r in caplog.records if "translation gap" in r.getMessage()]
    assert len(gap_lines) == application.GAPS_LOGGED + 1
    counted = re.match(r"(\d+) more translation gaps", gap_lines[-1])
    assert counted
    assert int(counted.group(1)) >= 40 - application.GAPS_LOGGED
    assert "kcbot check" in gap_lines[-1]
