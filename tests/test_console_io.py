"""`ask` whatever the locale and whatever the input: UTF-8 JSON Lines that stay one line per
answer, and bounded memory per input line."""

from __future__ import annotations

import io
import json
import tracemalloc

from bot import chat, console

JAPANESE = "浜松の分野は"


def byte_stdin(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def locale_stdout(encoding: str) -> tuple[io.TextIOWrapper, io.BytesIO]:
    """Standard output as a process in a non-UTF-8 locale gets it."""
    raw = io.BytesIO()
    return io.TextIOWrapper(raw, encoding=encoding, write_through=True), raw


def test_json_batch_is_utf8_in_an_ascii_locale():
    """--json to an ASCII stdout: no UnicodeEncodeError, every line answered, UTF-8 JSON."""
    out, raw = locale_stdout("ascii")
    stdin = byte_stdin(f"{JAPANESE}\nwho runs the sapporo cluster\n".encode())
    err = io.StringIO()
    assert console.run_ask(None, [], as_json=True, stdin=stdin, out=out, err=err) == 0
    lines = raw.getvalue().decode("utf-8").splitlines()
    assert [json.loads(line)["question"] for line in lines] == [
        JAPANESE,
        "who runs the sapporo cluster",
    ]
    assert "浜松" in json.loads(lines[0])["text"]


def test_json_one_question_in_a_latin1_locale():
    """One question with --json to a Latin-1 stdout is written as UTF-8."""
    out, raw = locale_stdout("latin-1")
    assert console.run_ask(None, [JAPANESE], as_json=True, out=out, err=io.StringIO()) == 0
    assert json.loads(raw.getvalue().decode("utf-8"))["question"] == JAPANESE


def test_plain_text_in_an_ascii_locale_escapes_instead_of_crashing():
    """Plain answers to an ASCII stdout escape what the locale cannot show."""
    out, raw = locale_stdout("ascii")
    stdin = byte_stdin(b"life sciences clusters\nwhat is a knowledge cluster\n")
    assert console.run_ask(None, [], stdin=stdin, out=out, err=io.StringIO()) == 0
    lines = raw.getvalue().decode("ascii").splitlines()
    assert len(lines) == 2
    assert "\\u2014" in lines[0]  # the em dash of each cluster line, escaped
    assert "Knowledge Cluster" in lines[1]


def test_json_lines_never_contain_raw_line_separators():
    """U+2028, U+2029 and U+0085 in a question are escaped: one physical line per answer
    for any line-based reader, and the JSON still decodes to the same text."""
    questions = ["what is\u2028a cluster", "kyoto\u2029contact", "sapporo\x85fields"]
    stdin = byte_stdin("".join(q + "\n" for q in questions).encode())
    out = io.StringIO()
    assert console.run_ask(None, [], as_json=True, stdin=stdin, out=out, err=io.StringIO()) == 0
    lines = out.getvalue().splitlines()  # splits at U+2028, U+2029 and U+0085 too
    assert len(lines) == len(questions)
    assert [json.loads(line)["question"] for line in lines] == questions


def test_an_oversized_line_costs_kilobytes_not_its_size():
    """A 20 MB line is read without holding it: peak memory stays far below its size, and
    the line after it is answered."""
    huge = b"what fields does hamamatsu cover " + b"x" * (20 * 1024 * 1024) + b"\n"
    stdin = byte_stdin(huge + b"who runs the sapporo cluster\n")
    out = io.StringIO()
    console.run_ask(None, ["warm up the engine"], out=io.StringIO(), err=io.StringIO())
    tracemalloc.start()
    try:
        code = console.run_ask(None, [], as_json=True, stdin=stdin, out=out, err=io.StringIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0
    # The window includes loading the knowledge (about 4.3 MB of indexes at their peak,
    # with the lexicon): what matters is that it is nowhere near the line's 20 MB.
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a 20 MB line"
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["question"].startswith("what fields does hamamatsu cover")
    assert second["question"] == "who runs the sapporo cluster"


def test_chat_bounds_a_line_too():
    """The interactive console reads an oversized line without holding it either."""
    huge = b"x" * (5 * 1024 * 1024) + b"\nwhat is a knowledge cluster\n"
    out = io.StringIO()
    chat.run_chat(None, stdin=byte_stdin(huge), out=out, err=io.StringIO())
    assert "Knowledge Cluster" in out.getvalue()
