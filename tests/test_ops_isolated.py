"""Knowledge built in a child process for /reload: same answers, bounded in time (bot.ops)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from bot.config import EngineCacheSetting
from bot.kb import KnowledgeBaseError
from bot.kb.paths import shipped_knowledge_dir
from bot.ops.engines import EngineSource
from bot.ops.isolated import BuildFailed, ReloadTimedOut, build_isolated
from tests.ops_builders import QUESTION
from tests.support import Speaker, shipped_knowledge

NO_CACHE = EngineCacheSetting(enabled=False)
TIMEOUT = 60.0


def build_children() -> list[int]:
    """Ids of this process's children that run the build bootstrap (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = next(
            (line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), ""
        )
        if parent == str(os.getpid()) and b"child_main" in command:
            found.append(int(entry.name))
    return found


def test_child_built_engine_answers_like_one_built_here():
    """The engine handed back by the child answers exactly as one built in this process."""
    child = Speaker(build_isolated(EngineSource(None, cache=NO_CACHE), TIMEOUT))
    here = Speaker(shipped_knowledge())
    for question in (QUESTION, "who runs the sapporo cluster", "浜松の分野は", "tell me a joke"):
        assert child.ask(question) == here.ask(question)


def test_invalid_base_raises_the_knowledge_base_error(tmp_path):
    """An invalid base comes back as KnowledgeBaseError with its problems and directory."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(shipped_knowledge_dir(), knowledge)
    clusters = knowledge / "clusters.yaml"
    text = clusters.read_text(encoding="utf-8")
    clusters.write_text(text.replace("stage: second", "stage: third", 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        build_isolated(EngineSource(str(knowledge), cache=NO_CACHE), TIMEOUT)
    assert raised.value.directory == str(knowledge.resolve())
    assert any("unknown stage 'third'" in str(p) for p in raised.value.problems)


def test_a_broken_builder_is_a_build_failure():
    """An exception in the child is reported as BuildFailed with its message."""
    source = EngineSource(None, cache=NO_CACHE, builder="tests.ops_builders:failing_build")
    with pytest.raises(BuildFailed, match="the builder broke"):
        build_isolated(source, TIMEOUT)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_a_build_past_the_timeout_is_stopped():
    """A build that does not finish in time raises ReloadTimedOut and its child is killed."""
    source = EngineSource(None, cache=NO_CACHE, builder="tests.ops_builders:sleeping_build")
    started = time.monotonic()
    with pytest.raises(ReloadTimedOut):
        build_isolated(source, 1.5)
    assert time.monotonic() - started < 10
    assert build_children() == []
