"""Maps served to the front-ends: cached per knowledge base, view and language, bounded,
and drawn once even when two threads ask at the same moment."""

from __future__ import annotations

import threading

import pytest

from bot.app import Knowledge
from bot.engine.answer import MapView
from bot.maps.service import MapService
from tests.support import shipped_knowledge

KNOWLEDGE = shipped_knowledge()
UBE = MapView(("ube-first",))
KYOTO = MapView(("kyoto-first",))


def test_a_second_request_comes_from_the_cache():
    service = MapService()
    assert service.cached(KNOWLEDGE, UBE, "en") is None
    first = service.render(KNOWLEDGE, UBE, "en")
    assert service.render(KNOWLEDGE, UBE, "en") is first
    assert service.cached(KNOWLEDGE, UBE, "en") is first
    assert service.renders == 1


def test_each_language_and_view_is_its_own_map():
    service = MapService()
    english = service.render(KNOWLEDGE, UBE, "en")
    japanese = service.render(KNOWLEDGE, UBE, "ja")
    other = service.render(KNOWLEDGE, KYOTO, "en")
    assert len({english.png, japanese.png, other.png}) == 3
    assert service.renders == 3


def test_a_reloaded_knowledge_base_never_gets_the_old_map():
    service = MapService()
    service.render(KNOWLEDGE, UBE, "en")
    reloaded = Knowledge(KNOWLEDGE.engine, KNOWLEDGE.localizer)  # what a reload swaps in
    assert service.cached(reloaded, UBE, "en") is None
    service.render(reloaded, UBE, "en")
    assert service.renders == 2


def test_the_cache_is_bounded_and_forgets_the_least_recently_used():
    service = MapService(capacity=2)
    service.render(KNOWLEDGE, UBE, "en")
    service.render(KNOWLEDGE, KYOTO, "en")
    service.render(KNOWLEDGE, UBE, "en")  # Ube is now the most recent
    service.render(KNOWLEDGE, UBE, "ja")
    assert len(service) == 2
    assert service.cached(KNOWLEDGE, KYOTO, "en") is None
    assert service.cached(KNOWLEDGE, UBE, "en") is not None
    with pytest.raises(ValueError, match="at least one"):
        MapService(capacity=0)


def test_threads_asking_at_once_share_one_drawing():
    service = MapService()
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(service.render(KNOWLEDGE, KYOTO, "en")))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 4
    assert all(r is results[0] for r in results)
    assert service.renders == 1
