"""Console input and output that neither crash on a locale nor grow with a hostile line.

- JSON goes out as UTF-8 whatever the locale (RFC 8259 says JSON is UTF-8), plain text in
  the locale's encoding with what it cannot encode escaped, so a batch never dies of a
  `UnicodeEncodeError` half-way.
- JSON Lines escape U+2028, U+2029 and U+0085: JSON allows them raw, but line-based readers
  (`str.splitlines`, JavaScript before ES2019) split lines there.
- A line is read from the bytes, at most `MAX_LINE_BYTES` of it kept and the rest skipped
  in small chunks, so a 100 MB line costs kilobytes, not half a gigabyte. The engine reads
  only the first 600 characters of a question anyway.
"""

from __future__ import annotations

import codecs
import json
from typing import Any, TextIO

MAX_LINE_BYTES = 16 * 1024  # 600 characters of any script fit many times over
_SKIP_CHUNK = 64 * 1024
_LINE_SEPARATORS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def json_line(obj: Any) -> str:
    """Compact JSON with non-ASCII kept readable, on one line for any line-based reader."""
    text = json.dumps(obj, ensure_ascii=False)
    for raw, escaped in _LINE_SEPARATORS.items():  # outside strings JSON has none of them
        text = text.replace(raw, escaped)
    return text


def _is_utf8(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None)
    return encoding is None or codecs.lookup(encoding).name == "utf-8"


def prepare_output(stream: TextIO, *, as_json: bool) -> TextIO:
    """Make `stream` able to write any answer: UTF-8 for JSON, escapes for plain text."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and not _is_utf8(stream):
        if as_json:
            reconfigure(encoding="utf-8", errors="strict")
        else:
            reconfigure(errors="backslashreplace")
    return stream


def read_line(stream: TextIO, *, errors: str = "replace", max_bytes: int = MAX_LINE_BYTES) -> str:
    """One line ('' at the end), decoded on its own with `errors`; an oversized line keeps
    its first `max_bytes` bytes and the rest is read past without being stored."""
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text-only stream (tests, StringIO): bound by characters
        line = stream.readline(max_bytes + 1)
        if len(line) > max_bytes and not line.endswith("\n"):
            while (rest := stream.readline(_SKIP_CHUNK)) and not rest.endswith("\n"):
                pass
            line = line[:max_bytes] + "\n"
        return line
    data = binary.readline(max_bytes + 1)
    if len(data) > max_bytes and not data.endswith(b"\n"):
        while (rest := binary.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
            pass
        data = data[:max_bytes] + b"\n"
    encoding = getattr(stream, "encoding", None) or "utf-8"
    return data.decode(encoding, errors)
