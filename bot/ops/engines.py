"""Where the bot's engine comes from: the knowledge files, read once, then the cache or a build.

`EngineSource` names everything that decides an engine (directory, read limits, cache
setting, and the builder, `bot.engine:build_engine` by default) and is picklable, so the
same recipe runs in this process at start-up (`load`) and in a child process for /reload
(`payload`, see `bot.ops.isolated`). It never looks inside what the builder returns.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.config import EngineCacheSetting, load_engine_cache_setting, load_read_limits
from bot.kb.file_bytes import DEFAULT_LIMITS, ReadLimits
from bot.kb.files import KnowledgeFiles, read_knowledge_files
from bot.ops import pickling
from bot.ops.cache import CacheUnusable, EngineCache, cache_key, default_cache_dir

log = logging.getLogger(__name__)

BUILDER = "bot.app:load"  # the engine and the catalogues it answers with


def resolve_builder(reference: str) -> Callable[..., Any]:
    """`module:function` to the function, e.g. `bot.engine:build_engine`."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True, slots=True)
class EngineSource:
    """The recipe of an engine: `builder(files, limits=limits)` on the files of `directory`."""

    directory: str | None = None
    limits: ReadLimits = DEFAULT_LIMITS
    cache: EngineCacheSetting = field(default_factory=EngineCacheSetting)
    builder: str = BUILDER

    def open_cache(self) -> EngineCache | None:
        if not self.cache.enabled:
            return None
        directory = self.cache.directory or default_cache_dir()
        try:
            return EngineCache.open(directory)
        except CacheUnusable as exc:
            log.warning("engine cache disabled: %s", exc)
            return None

    def _obtain(self, *, as_payload: bool) -> tuple[Any, bytes | None]:
        """(engine, None) or (None, pickled engine); raises what the builder raises."""
        files = read_knowledge_files(self.directory, self.limits)
        cache = self.open_cache() if files.readable else None
        key = cache_key(files, self.builder) if cache is not None else None
        if cache is not None and key is not None:
            payload = cache.get(key)
            if payload is not None:
                log.info("engine loaded from the cache (%.1f MB)", len(payload) / 1e6)
                return (None, payload) if as_payload else (pickling.loads_quietly(payload), None)
        engine = self.build(files)
        payload = pickling.dumps(engine) if (cache is not None or as_payload) else None
        if cache is not None and key is not None and payload is not None:
            cache.put(key, payload)
        return (None, payload) if as_payload else (engine, None)

    def build(self, files: KnowledgeFiles) -> Any:
        return resolve_builder(self.builder)(files, limits=self.limits)

    def load(self) -> Any:
        """The engine, from the cache when it has this exact base, else built here."""
        engine, _ = self._obtain(as_payload=False)
        return engine

    def payload(self) -> bytes:
        """The pickled engine (what a child process hands back), from the cache or built."""
        _, payload = self._obtain(as_payload=True)
        assert payload is not None
        return payload


def source_from_environment(directory: str | os.PathLike[str] | None) -> EngineSource:
    """The engine source the offline front-ends use: limits and cache from the environment.

    Raises `bot.config.ConfigError` naming a bad variable.
    """
    return EngineSource(
        directory=None if directory is None else os.fspath(directory),
        limits=load_read_limits(),
        cache=load_engine_cache_setting(),
    )


def load_configured(directory: str | os.PathLike[str] | None = None) -> Any:
    """The knowledge (`bot.app.load`) as configured: read limits and the engine cache from
    the environment."""
    return source_from_environment(directory).load()
