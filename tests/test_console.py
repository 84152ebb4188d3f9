"""bot.console: `ask` (one question, or a batch on stdin, plain or JSON) and the `chat` console."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from bot import chat as chat_console
from bot import console
from bot.app import Application
from bot.kb.loader import FILES
from bot.kb.paths import KNOWLEDGE_DIR_ENV, shipped_knowledge_dir

JSON_KEYS = {
    "question",
    "answered",
    "intent",
    "rule",
    "lang",
    "matches",
    "title",
    "text",
    "sources",
    "suggestions",
    "confidence",
    "as_of",
    "facts",
}


@pytest.fixture(autouse=True)
def no_knowledge_dir_from_the_caller(monkeypatch):
    """Tests read the shipped knowledge base, whatever the developer's shell sets."""
    monkeypatch.delenv(KNOWLEDGE_DIR_ENV, raising=False)


@pytest.fixture(scope="module")
def engine():
    """The application the console runs, over the shipped knowledge."""
    from tests.support import shipped_knowledge

    return Application(shipped_knowledge())


_LOADED: dict[str, object] = {}


@pytest.fixture(autouse=True)
def reuse_loaded_knowledge(monkeypatch):
    """Each front-end call loads its knowledge base; knowledge is immutable, so one load per
    directory serves every test. An invalid base still raises on every call."""
    real = console.load_configured

    def cached(directory=None, **options):
        key = f"{directory} {options}"
        if key not in _LOADED:
            _LOADED[key] = real(directory, **options)
        return _LOADED[key]

    monkeypatch.setattr(console, "load_configured", cached)


@pytest.fixture
def broken_knowledge(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge base with one file that is not valid YAML."""
    target = tmp_path / "knowledge"
    target.mkdir()
    for name in FILES:
        shutil.copyfile(shipped_knowledge_dir() / name, target / name)
    (target / "clusters.yaml").write_text("clusters: [unclosed\n  - {id: x\n", encoding="utf-8")
    return target


def byte_stdin(data: bytes) -> io.TextIOWrapper:
    """Standard input as a process gets it: bytes decoded as UTF-8, strictly by default."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def ask(words, *, as_json=False, stdin=None, knowledge=None):
    out, err = io.StringIO(), io.StringIO()
    code = console.run_ask(knowledge, words, as_json=as_json, stdin=stdin, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def chat(text: str | bytes, knowledge=None):
    stdin = byte_stdin(text) if isinstance(text, bytes) else io.StringIO(text)
    out, err = io.StringIO(), io.StringIO()
    code = chat_console.run_chat(knowledge, stdin=stdin, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# ----------------------------------------------------------------------------- ask


def test_ask_prints_the_plain_answer(engine):
    """`ask QUESTION` prints the rendered answer and exits 0."""
    code, out, err = ask(["what", "fields", "does", "kyoto", "cover"])
    assert code == 0
    assert err == ""
    assert out.startswith("Key fields of Kyoto\n")
    assert "Nanotech/Materials" in out
    assert "Source: " in out


def test_ask_json_has_the_documented_keys(engine):
    """`ask --json` prints one JSON object with the stable keys and the engine's values."""
    code, out, _ = ask(["contact for hokkaido"], as_json=True)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= JSON_KEYS
    assert data["question"] == "contact for hokkaido"
    assert data["answered"] is True
    assert data["intent"] == "contact"
    assert "noastec" in data["matches"]
    assert "011-708-6525" in data["text"]
    assert all({"document", "where", "url"} <= set(s) for s in data["sources"])
    assert isinstance(data["suggestions"], list)
    assert 0.0 <= data["confidence"] <= 1.0
    assert (data["rule"], data["lang"]) == ("region", "en")


def test_ask_json_facts_carry_their_source_and_date(engine):
    """Each fact of `ask --json` names its subject, value, document and the year it was true."""
    _, out, _ = ask(["what fields does kyoto cover"], as_json=True)
    (fact,) = json.loads(out)["facts"]
    assert fact == {
        "subject": "cluster:kyoto-first",
        "attribute": "fields",
        "value": ["field:nanotech-materials"],
        "source": {
            "document": "kci-2008",
            "where": "Contents: Knowledge Clusters: The First Stage (Active)",
        },
        "as_of": "2008",
    }
    _, out, _ = ask(["phone number of noastec"], as_json=True)
    tel = [f for f in json.loads(out)["facts"] if f["attribute"] == "tel"]
    assert tel == [
        {
            "subject": "organization:noastec",
            "attribute": "tel",
            "value": "011-708-6525",
            "source": {"document": "kci-2004-overview", "where": "Implementing regions"},
            "as_of": "2004",
        }
    ]


def test_ask_json_of_a_declined_question(engine):
    """A declined question is still valid JSON, answered false, with its suggestions."""
    code, out, _ = ask(["tokyo"], as_json=True)
    data = json.loads(out)
    assert code == 0
    assert data["answered"] is False
    assert "Kyoto" in data["suggestions"]
    assert data["sources"] == []


def test_ask_json_keeps_japanese_readable(engine):
    """JSON output is UTF-8 text, not \\u escapes, so Japanese stays readable."""
    _, out, _ = ask(["浜松の分野は"], as_json=True)
    assert "浜松" in out


@pytest.mark.parametrize("words", [[""], ["   "], ["", " ", "\t"]])
def test_an_empty_question_is_a_usage_error(words):
    """`ask ""` exits 2 with a message on stderr and prints nothing on stdout."""
    code, out, err = ask(words)
    assert code == 2
    assert out == ""
    assert "empty" in err
    assert "kcbot ask" in err


def test_no_question_with_a_terminal_on_stdin_is_a_usage_error():
    """`ask` with nothing to read but a person at a terminal: exit 2 at once, saying what
    to do, instead of waiting for input no one meant to type."""
    primary, secondary = os.openpty()
    try:
        with os.fdopen(secondary, "r") as terminal:
            code, out, err = ask([], stdin=terminal)
    finally:
        os.close(primary)
    assert code == 2
    assert out == ""
    assert "kcbot ask: no question" in err
    assert "kcbot chat" in err


def test_batch_answers_one_line_per_input_line():
    """With no question, each stdin line (blank ones too) gets exactly one output line."""
    lines = ["what fields does kyoto cover", "", "contact for sendai", "   ", "tokyo"]
    code, out, _ = ask([], stdin=byte_stdin(("\n".join(lines) + "\n").encode()))
    assert code == 0
    outputs = out.splitlines()
    assert len(outputs) == len(lines)
    assert outputs[0].startswith("Key fields of Kyoto | ")
    assert outputs[1].startswith("No question")


def test_batch_json_is_json_lines_echoing_each_line():
    """--json on a batch prints one JSON object per line with the line as its question."""
    lines = ["kyoto", "", "ube page", "浜松"]
    data = "\r\n".join(lines).encode()  # CRLF, and no newline after the last line
    code, out, _ = ask([], as_json=True, stdin=byte_stdin(data))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["question"] for r in records] == lines
    assert [r["answered"] for r in records] == [True, False, True, True]


def test_batch_survives_invalid_utf8():
    """A line of undecodable bytes is answered like any line; the lines around it too."""
    data = b"kyoto\n\xff\xfe\xc3(\nube\n"
    code, out, _ = ask([], as_json=True, stdin=byte_stdin(data))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 3
    assert records[0]["matches"] == ["kyoto-first"]
    assert records[1]["answered"] is False
    assert records[2]["matches"] == ["ube-first"]


def test_batch_of_ten_thousand_questions_runs_in_one_call():
    """10,000 lines are answered in one call, in order (the time it takes is measured in
    the README's performance section, not asserted on a shared machine)."""
    cycle = ["kyoto", "", "ube page", "sendai", "weather"]
    lines = [cycle[i % len(cycle)] for i in range(10_000)]
    stdin = byte_stdin(("\n".join(lines) + "\n").encode())
    code, out, _ = ask([], stdin=stdin)
    assert code == 0
    outputs = out.splitlines()
    assert len(outputs) == 10_000
    assert outputs[0].startswith("Kyoto")
    assert outputs[5] == outputs[0]


def test_empty_stdin_prints_nothing():
    """A batch of no lines answers nothing and exits 0."""
    assert ask([], stdin=byte_stdin(b"")) == (0, "", "")


def test_a_broken_knowledge_base_exits_1_with_the_errors(broken_knowledge):
    """An invalid knowledge base: exit 1, nothing on stdout, the problem on stderr."""
    code, out, err = ask(["kyoto"], knowledge=str(broken_knowledge))
    assert code == 1
    assert out == ""
    assert str(broken_knowledge) in err
    assert "clusters.yaml" in err
    assert "python -m bot check" in err


def test_a_missing_knowledge_dir_exits_1(tmp_path):
    """A knowledge directory that does not exist is reported, not a traceback."""
    code, out, err = ask(["kyoto"], knowledge=str(tmp_path / "nowhere"))
    assert code == 1
    assert out == ""
    assert err


def test_knowledge_dir_comes_from_the_environment(monkeypatch, broken_knowledge):
    """$KNOWLEDGE_DIR is used when no directory is given."""
    monkeypatch.setenv(KNOWLEDGE_DIR_ENV, str(broken_knowledge))
    code, _, err = ask(["kyoto"])
    assert code == 1
    assert str(broken_knowledge) in err


# ----------------------------------------------------------------------------- handle_line


def test_free_text_is_asked(engine):
    """A line without a slash is a question."""
    reply = chat_console.handle_line(engine, "what fields does kyoto cover\n")
    assert reply.startswith("Key fields of Kyoto")


@pytest.mark.parametrize(
    ("line", "start", "contains"),
    [
        ("/contact kyoto", "The sources give no contact for Kyoto", "03-5253-4111"),
        ("/stage second", "Clusters of the Second Stage", "6 clusters, all active:"),
        ("/stage second ended", "Ended clusters of the Second Stage", "None in the 2008"),
        ("/stage first ended", "Ended clusters of the First Stage", "11 clusters:"),
        ("/region hamamatsu", "Hamamatsu", "2 clusters carry the name Hamamatsu"),
        ("/field environment", "Clusters working in Environment", "Aichi/Nagoya"),
        ("/ask how many clusters are there", "24 clusters", "First Stage: 18"),
        ("/help", "How to ask", "/contact — who to contact"),
        ("/about", "The Knowledge Cluster Initiative", "Sources: 2008 edition"),
        ("/CONTACT   kyoto  ", "The sources give no contact for Kyoto", "03-5253-4111"),
    ],
)
def test_slash_commands_run_the_engine_command(engine, line, start, contains):
    """Each slash command gives the engine command's rendered answer."""
    reply = chat_console.handle_line(engine, line)
    assert reply.startswith(start)
    assert contains in reply


def test_stage_command_with_a_bad_value_names_it(engine):
    """'/stage third' refuses and names 'third'."""
    reply = chat_console.handle_line(engine, "/stage third")
    assert "third" in reply
    assert "first, second" in reply


def test_an_unknown_command_lists_the_commands(engine):
    """'/foo' is not run; the reply names it and lists every command and /quit."""
    reply = chat_console.handle_line(engine, "/foo bar")
    assert reply.startswith("Unknown command /foo.")
    for usage in (c.usage_for(engine.kb) for c in chat_console.COMMANDS.values()):
        assert usage in reply
    assert "/quit" in reply


def test_an_unknown_command_name_is_bounded(engine):
    """A huge unknown command name is not echoed whole."""
    reply = chat_console.handle_line(engine, "/" + "x" * 10_000)
    assert len(reply) < 500


@pytest.mark.parametrize("name", ["ask", "region", "contact", "stage", "field"])
def test_a_missing_argument_gets_the_usage_and_an_example(engine, name):
    """A command that needs an argument, given none, shows its usage and an example."""
    reply = chat_console.handle_line(engine, f"/{name}   ")
    usage = chat_console.COMMANDS[name].usage_for(engine.kb)
    assert reply.startswith(f"{usage}: this command needs an argument")
    assert f"e.g. /{name} " in reply


@pytest.mark.parametrize(
    "line",
    ["/quit", "/exit", "/q", "/QUIT", "  /quit  ", "/quit now", "exit", "quit", "Exit", "ｅｘｉｔ"],
)
def test_quit_commands_end_the_session(engine, line):
    """exit and quit, alone or as slash commands (and /q), return None: the console ends."""
    assert chat_console.handle_line(engine, line) is None


@pytest.mark.parametrize("line", ["終了", "終わり", "exit codes", "q", "/"])
def test_questions_near_the_leave_words_are_answered(engine, line):
    """終了 (the ended clusters) and 終わり (has the programme ended?) are questions the bot
    answers, so they do not end the session; nor does a question starting with "exit"."""
    assert chat_console.handle_line(engine, line)


@pytest.mark.parametrize("line", ["", "   ", "\n", "\t\r\n"])
def test_blank_lines_print_nothing(engine, line):
    """A blank line is ignored: an empty reply, not the empty-question answer."""
    assert chat_console.handle_line(engine, line) == ""


# ----------------------------------------------------------------------------- run_chat


def test_chat_prints_the_banner_first(engine):
    """The banner comes first: how many clusters and FAQ entries were loaded, and how to
    leave; like every line, wrapped to the terminal's width."""
    code, out, _ = chat("")
    kb = engine.kb
    assert out.startswith(f"kcbot console: {len(kb.clusters)} clusters, {len(kb.faq)} FAQ")
    banner = " ".join(out.splitlines())
    assert "/help" in banner
    assert "exit or Ctrl-D to leave" in banner
    assert code == 0


def test_chat_lines_fit_the_terminal(monkeypatch):
    """$COLUMNS narrow: every line of the console (banner, answers, notices, /sources),
    English and Japanese, fits it, a kanji counting two cells."""
    from bot.render.wrap import display_width

    monkeypatch.setenv("COLUMNS", "41")  # 40 cells of text and a spare column
    questions = "contact for sapporo\n/sources\n京都の連絡先は？\n/nope\n/lang ja\n/help\n"
    code, out, _ = chat(questions)
    assert code == 0
    assert max(display_width(line) for line in out.splitlines()) <= 40
    assert "TEL 011-708-6525" in out
    assert "出典：" in out


def test_chat_ends_with_0_at_end_of_input():
    """EOF ends the console with exit code 0."""
    code, out, err = chat("what fields does kyoto cover\n")
    assert code == 0
    assert "Key fields of Kyoto" in out
    assert err == ""


def test_chat_stops_reading_at_quit():
    """After /quit nothing more is read or answered."""
    code, out, _ = chat("ube page\n/quit\nwhat fields does kyoto cover\n")
    assert code == 0
    assert "Page 30 of the 2008 edition" in out
    assert "Key fields of Kyoto" not in out


def test_chat_answers_each_line_in_order():
    """Several lines give several replies, in the order typed."""
    _, out, _ = chat("/contact kyoto\n\n/stage second\n/help\n")
    positions = [
        out.index(s) for s in ("no contact for Kyoto", "Clusters of the Second Stage", "How to ask")
    ]
    assert positions == sorted(positions)


def test_chat_does_not_prompt_when_not_interactive():
    """Piped input gets no '> ' prompts in the output."""
    _, out, _ = chat("kyoto\n")
    assert not any(line.startswith("> ") for line in out.splitlines())


def test_chat_with_a_broken_knowledge_base_exits_1(broken_knowledge):
    """The console does not start on an invalid knowledge base: exit 1, errors on stderr."""
    code, out, err = chat("kyoto\n", knowledge=str(broken_knowledge))
    assert code == 1
    assert out == ""
    assert "clusters.yaml" in err


def test_chat_reports_an_undecodable_line():
    """A line of invalid UTF-8 gets a message instead of crashing the console."""
    code, out, _ = chat(b"\xff\xfe\n")
    assert code == 0
    assert "not valid text" in out


def test_chat_keeps_answering_after_an_undecodable_line():
    """Lines after an invalid one are still answered."""
    code, out, _ = chat(b"\xff\xfe\nwhat fields does kyoto cover\n/quit\n")
    assert code == 0
    assert "Key fields of Kyoto" in out


def test_batch_as_one_conversation():
    """`ask --conversation`: the lines are one conversation, so a follow-up is read in the
    context of the line before; without it each line stands alone."""
    lines = b"contact kyoto\nwhat about Kobe?\nthe second one\n"
    out = io.StringIO()
    code = console.run_ask(
        None,
        [],
        as_json=True,
        conversation=True,
        stdin=byte_stdin(lines),
        out=out,
        err=io.StringIO(),
    )
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 0
    assert [r["followup"] for r in records] == [None, "intent", "choice"]
    assert records[2]["matches"][0] == "kobe-first"
    _, alone, _ = ask([], as_json=True, stdin=byte_stdin(lines))
    assert [json.loads(line)["followup"] for line in alone.splitlines()] == [None, None, None]


def test_chat_follows_up():
    code, out, _ = chat("who runs the kyoto cluster\nwhat page is it on?\n")
    assert code == 0
    assert "Following up on Kyoto." in out
