"""Knowledge (engine and catalogues) by pickle and through the signed, content-keyed cache
(bot.ops)."""

from __future__ import annotations

import gc
import logging
import os
import pickle
import shutil
import stat
import weakref
from pathlib import Path

import pytest

from bot import app as application
from bot.config import EngineCacheSetting
from bot.kb.paths import shipped_knowledge_dir
from bot.ops import pickling
from bot.ops.cache import FORMAT, SECRET_FILE, EngineCache
from bot.ops.engines import EngineSource
from tests.ops_builders import EDITED, PHRASE, QUESTION
from tests.support import Speaker
from tests.test_devset import load_devset, question_text

QUESTIONS = [question_text(entry) for entry in load_devset()][:120]


@pytest.fixture(scope="module")
def engine():
    """The shipped knowledge: the engine and the catalogues it answers with."""
    return application.load()


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(shipped_knowledge_dir(), target)
    return target


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def source(knowledge: Path, cache_dir: Path, **options) -> EngineSource:
    return EngineSource(
        str(knowledge), cache=EngineCacheSetting(directory=str(cache_dir)), **options
    )


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("engine-*.pickle"))


def refuse_to_build(self, files):
    raise AssertionError("built although the cache holds this base")


# --- pickling ------------------------------------------------------------------------------


def test_engine_round_trips_through_pickle_and_answers_the_same(engine):
    """A built engine pickles, and the copy answers every question exactly as the original."""
    copy = pickle.loads(pickle.dumps(engine, protocol=pickling.PROTOCOL))
    original, copied = Speaker(engine), Speaker(copy)
    for question in QUESTIONS:
        assert copied.ask(question) == original.ask(question), question
    assert copied.ask("浜松の分野は") == original.ask("浜松の分野は")
    assert copy.engine.complete_region("ham") == engine.engine.complete_region("ham")


def test_quiet_load_answers_the_same_and_keeps_the_collector_on(engine):
    """loads_quietly gives an equal engine and leaves garbage collection as it found it."""
    copy = pickling.loads_quietly(pickling.dumps(engine))
    assert gc.isenabled()
    for question in QUESTIONS[:30]:
        assert Speaker(copy).ask(question) == Speaker(engine).ask(question)


def test_a_replaced_engine_is_freed(engine):
    """Frozen by the collector or not, an engine no one holds is freed (no cycles keep it)."""
    copy = pickling.loads_quietly(pickling.dumps(engine))
    gone = weakref.ref(copy)
    del copy
    assert gone() is None


# --- the cache -----------------------------------------------------------------------------


def test_second_load_comes_from_the_cache(knowledge, cache_dir, monkeypatch):
    """An unchanged base is not built again: the second load reads the signed entry."""
    first = Speaker(source(knowledge, cache_dir).load())
    assert len(entries(cache_dir)) == 1
    monkeypatch.setattr(EngineSource, "build", refuse_to_build)
    second = Speaker(source(knowledge, cache_dir).load())
    assert second.ask(QUESTION) == first.ask(QUESTION)


def test_cache_files_are_private(knowledge, cache_dir):
    """The directory is 0700 and the secret and entries 0600."""
    source(knowledge, cache_dir).load()
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    for path in [cache_dir / SECRET_FILE, *entries(cache_dir)]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_edited_file_is_never_served_stale(knowledge, cache_dir):
    """Changing one byte of a file changes the key: the next load builds the new base."""
    source(knowledge, cache_dir).load()
    faq = knowledge / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace(PHRASE, EDITED), encoding="utf-8")
    engine = Speaker(source(knowledge, cache_dir).load())
    assert EDITED in engine.ask(QUESTION).summary
    assert len(entries(cache_dir)) == 2


def test_an_edited_catalogue_is_never_served_stale(knowledge, cache_dir):
    """The catalogues are part of the key: a changed wording is what the next load says."""
    source(knowledge, cache_dir).load()
    words = knowledge / "messages" / "en.yaml"
    text = words.read_text(encoding="utf-8")
    words.write_text(text.replace('"{fields:dot/emoji}"', '"Key fields: {fields}"'), "utf-8")
    reply = Speaker(source(knowledge, cache_dir).load()).ask("what fields does kyoto cover")
    assert reply.summary == "Key fields: Nanotech/Materials"
    assert len(entries(cache_dir)) == 2


def test_a_file_edited_during_the_build_is_not_cached_under_the_old_key(knowledge, cache_dir):
    """The build uses the bytes the key was made from, so an edit mid-build cannot be stored
    under the old contents' key: the next load sees the edit."""
    editing = source(knowledge, cache_dir, builder="tests.ops_builders:editing_build")
    mid_build = Speaker(editing.load())
    assert PHRASE in mid_build.ask(QUESTION).summary  # built from what was read
    after = Speaker(source(knowledge, cache_dir).load())
    assert EDITED in after.ask(QUESTION).summary


def test_limits_are_part_of_the_key(knowledge, cache_dir):
    """A base cached under generous limits is checked again under stricter ones."""
    from bot.kb import KnowledgeBaseError, ReadLimits

    source(knowledge, cache_dir).load()
    strict = source(knowledge, cache_dir, limits=ReadLimits(max_nodes=100))
    with pytest.raises(KnowledgeBaseError, match="more than 100 values"):
        strict.load()


def test_a_tampered_entry_is_rejected_and_rebuilt(knowledge, cache_dir, monkeypatch, caplog):
    """One flipped byte fails the signature: the entry is deleted and the engine rebuilt."""
    expected = Speaker(source(knowledge, cache_dir).load()).ask(QUESTION)
    (entry,) = entries(cache_dir)
    data = bytearray(entry.read_bytes())
    data[-10] ^= 0x01
    entry.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="bot.ops.cache"):
        engine = Speaker(source(knowledge, cache_dir).load())
    assert engine.ask(QUESTION) == expected
    assert "failed its authenticity check" in caplog.text
    assert entries(cache_dir)[0].read_bytes() != bytes(data)  # replaced by a good one


class _Planted:
    """Unpickling this creates a file: proof that a forged entry was executed."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def test_a_forged_entry_is_never_unpickled(knowledge, cache_dir):
    """An entry signed with another secret (or none) is refused before anything is loaded."""
    source(knowledge, cache_dir).load()
    (entry,) = entries(cache_dir)
    planted = cache_dir.parent / "planted"
    forged = pickle.dumps(_Planted(str(planted)))
    entry.write_bytes(FORMAT + os.urandom(32) + forged)
    engine = Speaker(source(knowledge, cache_dir).load())
    assert not planted.exists()
    assert engine.ask(QUESTION).answered


def test_a_secret_readable_by_others_disables_the_cache(knowledge, cache_dir, caplog):
    """A secret.key that other users could read is not trusted: no cache, still an engine."""
    EngineCache.open(cache_dir)
    (cache_dir / SECRET_FILE).chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="bot.ops.engines"):
        engine = Speaker(source(knowledge, cache_dir).load())
    assert engine.ask(QUESTION).answered
    assert "engine cache disabled" in caplog.text
    assert entries(cache_dir) == []


def test_an_unusable_cache_directory_never_stops_a_load(knowledge, tmp_path):
    """A cache path that is a file: the engine is built anyway."""
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("x")
    engine = Speaker(source(knowledge, blocked).load())
    assert engine.ask(QUESTION).answered


def test_cache_off_writes_nothing(knowledge, cache_dir):
    """ENGINE_CACHE_DIR=off: nothing is written."""
    EngineSource(str(knowledge), cache=EngineCacheSetting(enabled=False)).load()
    assert not cache_dir.exists()
