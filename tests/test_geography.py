"""knowledge/geography.yaml: every place of every cluster located inside Japan, in the
outline of its prefecture; what `check` says when a position or a reference is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.geo.geometry import centroid, contains, distance_km
from bot.geo.outlines import OutlineDataMissing, load_outlines
from bot.kb.loader import KnowledgeBaseError, load_knowledge
from tests.support import shipped_knowledge

GEOGRAPHY = "geography.yaml"


def problems_after(directory: Path, name: str, old: str, new: str) -> list:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(directory)
    return list(raised.value.problems)


def test_every_place_of_every_cluster_has_a_location():
    kb = shipped_knowledge().kb
    for cluster in kb.clusters:
        for place in cluster.places:
            assert place in kb.locations, f"{cluster.id}: {place}"


def test_every_point_lies_in_the_outline_of_its_prefecture():
    kb = shipped_knowledge().kb
    outlines = load_outlines()
    for location in kb.locations.values():
        if location.area is not None:
            continue
        ring = outlines[kb.prefectures[location.prefecture].code].ring
        point = (location.longitude, location.latitude)
        assert contains(ring, point) or distance_km(ring, point) < 5, location.place


def test_areas_are_located_at_the_centre_of_their_outlines():
    """Hokkaido and Aichi at the centre of their prefecture; Kansai at the centre of the
    Kinki region's prefectures, which lies inside one of them. (The map does not draw them
    there: it shades the outlines.)"""
    kb = shipped_knowledge().kb
    outlines = load_outlines()
    hokkaido = kb.locations["hokkaido"]
    assert hokkaido.area == "prefecture"
    assert contains(outlines[1].ring, (hokkaido.longitude, hokkaido.latitude))
    kansai = kb.locations["kansai"]
    assert (kansai.area, kansai.prefecture, kansai.region) == ("region", None, "kinki")
    kinki = [outlines[p.code].ring for p in kb.prefectures.values() if p.region == "kinki"]
    assert (kansai.longitude, kansai.latitude) == pytest.approx(centroid(kinki))
    assert any(contains(ring, (kansai.longitude, kansai.latitude)) for ring in kinki)


@pytest.mark.parametrize(
    ("place", "prefecture", "region"),
    [
        ("ube", "yamaguchi", "chugoku"),
        ("sapporo", "hokkaido", "hokkaido"),
        ("kobe", "hyogo", "kinki"),
        ("takamatsu", "kagawa", "shikoku"),
        ("iizuka", "fukuoka", "kyushu"),
        ("sendai", "miyagi", "tohoku"),
        ("hamamatsu", "shizuoka", "chubu"),
        ("saito", "osaka", "kinki"),
    ],
)
def test_prefecture_and_region_of_a_place(place, prefecture, region):
    location = shipped_knowledge().kb.locations[place]
    assert (location.prefecture, location.region) == (prefecture, region)


def test_the_outlines_are_the_47_prefectures_in_japan():
    outlines = load_outlines()
    assert sorted(outlines) == list(range(1, 48))
    for outline in outlines.values():
        assert len(outline.ring) >= 3
        left, bottom, right, top = outline.box
        assert 122 <= left < right <= 154
        assert 20 <= bottom < top <= 46


def test_a_position_outside_japan_is_refused(kb_copy):
    [problem] = problems_after(
        kb_copy, GEOGRAPHY, "position: [33.94306, 131.25111]", "position: [51.5072, -0.1276]"
    )
    assert (problem.file, problem.entry_id) == (GEOGRAPHY, "ube")
    assert "is not in Japan" in problem.message


def test_longitude_and_latitude_swapped_are_named(kb_copy):
    [problem] = problems_after(
        kb_copy, GEOGRAPHY, "position: [33.94306, 131.25111]", "position: [131.25111, 33.94306]"
    )
    assert "is it [longitude, latitude]?" in problem.message


def test_a_position_in_another_prefecture_is_refused(kb_copy):
    """Ube's GeoNames position is in Yamaguchi: recorded as Hiroshima, check says where it is."""
    [problem] = problems_after(
        kb_copy,
        GEOGRAPHY,
        "position: [33.94306, 131.25111], prefecture: yamaguchi",
        "position: [33.94306, 131.25111], prefecture: hiroshima",
    )
    assert problem.entry_id == "ube"
    assert problem.message == (
        "position: [33.94306, 131.25111] lies in prefecture 'yamaguchi', not 'hiroshima'"
    )


def test_a_position_at_sea_is_refused(kb_copy):
    """In the Pacific, 100 km off Shikoku: inside no outline and far from Kagawa's."""
    [problem] = problems_after(
        kb_copy, GEOGRAPHY, "position: [34.33333, 134.05]", "position: [32.5, 134.05]"
    )
    assert problem.entry_id == "takamatsu"
    assert "km outside the outline of 'kagawa'" in problem.message


def test_a_place_of_a_cluster_without_a_location_is_reported(kb_copy):
    text = (kb_copy / GEOGRAPHY).read_text(encoding="utf-8")
    start = text.index("  - {id: ube,")
    end = text.index("\n", text.index("source:", start)) + 1
    (kb_copy / GEOGRAPHY).write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(kb_copy)
    [problem] = raised.value.problems
    assert (problem.file, problem.entry_id) == ("clusters.yaml", "ube-first")
    assert problem.message == "places: 'ube' has no location in geography.yaml"


def test_unknown_prefecture_region_and_place_are_reported(kb_copy):
    text = (kb_copy / GEOGRAPHY).read_text(encoding="utf-8")
    text = text.replace("prefecture: yamaguchi,", "prefecture: yamaguti,", 1)
    text = text.replace("area: region, region: kinki", "area: region, region: kansai")
    text = text.replace("  - {id: takaoka,", "  - {id: takaoka-city,")
    (kb_copy / GEOGRAPHY).write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(kb_copy)
    messages = {(p.entry_id, p.message.split(" (")[0]) for p in raised.value.problems}
    assert ("ube", "prefecture: unknown prefecture 'yamaguti'") in messages
    assert ("kansai", "region: unknown region 'kansai'") in messages
    assert ("takaoka-city", "id: unknown place 'takaoka-city'") in messages
    assert ("toyama-first", "places: 'takaoka' has no location in geography.yaml") in messages


def test_a_region_without_prefectures_cannot_be_drawn(kb_copy):
    """An area naming a region no prefecture belongs to: nothing to shade on the map, no
    centre to locate it by; check says so instead of failing."""
    text = (kb_copy / GEOGRAPHY).read_text(encoding="utf-8")
    text = text.replace(
        "  - {id: kyushu,", "  - {id: nankai, name: Nankai, name_ja: 南海}\n  - {id: kyushu,"
    )
    text = text.replace("area: region, region: kinki", "area: region, region: nankai")
    (kb_copy / GEOGRAPHY).write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(kb_copy)
    [problem] = raised.value.problems
    assert (problem.file, problem.entry_id) == (GEOGRAPHY, "kansai")
    assert problem.message == (
        "region: 'nankai' has no prefecture in geography.yaml, so the area cannot be drawn"
    )


def test_a_point_needs_its_source_fields_and_an_area_takes_no_position(kb_copy):
    text = (kb_copy / GEOGRAPHY).read_text(encoding="utf-8")
    text = text.replace("  - {id: ube, geonames: 1849498, ", "  - {id: ube, ")
    text = text.replace(
        "  - {id: aichi, area: prefecture, prefecture: aichi,",
        "  - {id: aichi, area: prefecture, prefecture: aichi, position: [35.0, 137.2],",
    )
    (kb_copy / GEOGRAPHY).write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge(kb_copy)
    messages = {(p.entry_id, p.message) for p in raised.value.problems}
    assert ("ube", "a point needs `geonames`") in messages
    assert ("aichi", "position: an area (prefecture) takes no `position`") in messages


def test_missing_outline_data_is_one_clear_problem(kb_copy, monkeypatch, tmp_path):
    """Without the outlines kcbot ships, check says the installation is incomplete."""
    load_outlines.cache_clear()
    monkeypatch.setattr("bot.geo.outlines.outline_file", lambda: tmp_path / "japan.json")
    try:
        with pytest.raises(OutlineDataMissing, match="reinstall kcbot"):
            load_outlines()
        with pytest.raises(KnowledgeBaseError) as raised:
            load_knowledge(kb_copy)
        [problem] = raised.value.problems
        assert problem.file == GEOGRAPHY
        assert f"the prefecture outlines ({tmp_path / 'japan.json'}) are missing" in problem.message
    finally:
        monkeypatch.undo()
        load_outlines.cache_clear()
