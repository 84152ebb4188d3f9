"""Where the knowledge base is read from."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

KNOWLEDGE_DIR_ENV = "KNOWLEDGE_DIR"


def shipped_knowledge_dir() -> Path:
    """The knowledge base shipped with the package, found from the package, not the CWD.

    An installed wheel carries it as the data package `bot.knowledge_files`; a source checkout
    (including an editable install) has it beside the `bot` package.
    """
    try:
        # Joining a file first matters: the data package has no __init__.py, so files()
        # returns a namespace MultiplexedPath whose str() is not a path.
        marker = resources.files("bot.knowledge_files").joinpath("clusters.yaml")
        packaged = Path(str(marker)).parent
    except (ModuleNotFoundError, TypeError):
        packaged = None
    if packaged is not None and (packaged / "clusters.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "knowledge"


MESSAGES_DIR = "messages"


def messages_dir(knowledge_dir: str | os.PathLike[str]) -> Path:
    """The catalogues of a knowledge directory, or the shipped ones when it has none."""
    own = Path(knowledge_dir) / MESSAGES_DIR
    return own if own.is_dir() else shipped_knowledge_dir() / MESSAGES_DIR


def resolve_knowledge_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """An explicit directory wins, then $KNOWLEDGE_DIR, then the shipped one."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(KNOWLEDGE_DIR_ENV, "").strip()
    if from_env:
        return Path(from_env)
    return shipped_knowledge_dir()
