"""Maps for the front-ends: rendered once per view and language, then served from a cache.

A map is rendered in whichever thread asks (Discord's front-end asks from a worker thread),
one at a time: Pillow's font objects are shared and not meant for concurrent use, and two
renders at once would only halve each other's speed on a 2-core machine. The cache is a
bounded LRU keyed by the knowledge base, the view and the language, so a reload never
serves a map of the old knowledge base.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from bot.app import Knowledge
from bot.engine.answer import MapView
from bot.maps import style
from bot.maps.contents import Colour, Group
from bot.maps.render import RenderedMap, render_map

DEFAULT_CAPACITY = 32  # a map is about 0.4 MB: the cache stays near 13 MB at most
FILENAME = "map.png"


@dataclass(frozen=True, slots=True)
class _Key:
    knowledge: int  # id() of the Knowledge; the entry keeps the object alive, so ids stay unique
    view: MapView
    lang: str


class MapService:
    """Renders and caches maps; safe to share between threads."""

    def __init__(
        self,
        capacity: int = DEFAULT_CAPACITY,
        colours: Mapping[Group, Colour] | None = None,
    ) -> None:
        if capacity < 1:
            raise ValueError(f"a map cache needs room for at least one map, not {capacity}")
        self.capacity = capacity
        # (stage id, status id) to a cluster's colour; by default the knowledge base's
        self.colours = dict(colours) if colours is not None else None
        self._cache: OrderedDict[_Key, tuple[Knowledge, RenderedMap]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._render_lock = threading.Lock()
        self.renders = 0  # how many maps were drawn (not served from the cache)

    def cached(self, knowledge: Knowledge, view: MapView, lang: str) -> RenderedMap | None:
        """The map if it is in the cache (cheap: a front-end decides whether to defer)."""
        key = _Key(id(knowledge), view, lang)
        with self._cache_lock:
            entry = self._cache.get(key)
            if entry is None or entry[0] is not knowledge:
                return None
            self._cache.move_to_end(key)
            return entry[1]

    def render(self, knowledge: Knowledge, view: MapView, lang: str) -> RenderedMap:
        """The map of `view` in `lang`, from the cache or drawn now (about 0.2 s)."""
        found = self.cached(knowledge, view, lang)
        if found is not None:
            return found
        with self._render_lock:
            found = self.cached(knowledge, view, lang)  # drawn while this thread waited
            if found is not None:
                return found
            colours = self.colours if self.colours is not None else style.colours_of(knowledge.kb)
            rendered = render_map(knowledge.kb, knowledge.localizer, lang, view, colours)
            self.renders += 1
        with self._cache_lock:
            self._cache[_Key(id(knowledge), view, lang)] = (knowledge, rendered)
            while len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
        return rendered

    def __len__(self) -> int:
        return len(self._cache)
