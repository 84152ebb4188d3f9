"""Builders the engine-source tests name by reference (`tests.ops_builders:...`), so a child
process can import them like it imports `bot.app:load`."""

from __future__ import annotations

import time
from pathlib import Path

from bot import app as application

QUESTION = "what is a knowledge cluster"
PHRASE = "system for technological innovation"  # in the shipped answer to QUESTION
EDITED = "system for EDITED innovation"


def sleeping_build(directory, *, limits):
    """A build that never finishes in time."""
    time.sleep(600)


def failing_build(directory, *, limits):
    """A builder with a bug."""
    raise RuntimeError("the builder broke")


def editing_build(files, *, limits):
    """Changes faq.yaml on disk after it was read, then builds from what was read."""
    faq = Path(files) / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace(PHRASE, EDITED), encoding="utf-8")
    return application.load(files, limits=limits)
