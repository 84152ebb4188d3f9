"""The map as a real PNG: it decodes at its size, markers have their stage's colour where
the data puts the places, a filter leaves the other clusters out, and labels never overlap."""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image

from bot.engine.answer import MapView
from bot.maps import style
from bot.maps.fonts import FontMissing, font, font_path
from bot.maps.layout import overlaps, segment_hits_box
from bot.maps.projection import projection
from bot.maps.render import RenderedMap, render_map
from bot.maps.scene import MapFilterError
from tests.support import shipped_knowledge

KNOWLEDGE = shipped_knowledge()
KB = KNOWLEDGE.kb
ALL = MapView(tuple(c.id for c in KB.clusters))


def render(view: MapView = ALL, lang: str = "en") -> RenderedMap:
    return render_map(KB, KNOWLEDGE.localizer, lang, view)


def view_of(stage=None, status=None, fields=()) -> MapView:
    answer = KNOWLEDGE.engine.map(stage, status, fields[0] if fields else None)
    assert answer.map is not None
    return answer.map


@pytest.fixture(scope="module")
def everything() -> RenderedMap:
    return render()


def pixels(rendered: RenderedMap) -> Image.Image:
    image = Image.open(io.BytesIO(rendered.png))
    image.load()
    return image.convert("RGB")


def colour_at(image: Image.Image, place: str) -> tuple[int, int, int]:
    """The colour where the data puts a place, projected independently of the drawing."""
    location = KB.locations[place]
    x, y = projection()(location.longitude, location.latitude)
    return image.getpixel((round(x), round(y)))


def near(colour, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def test_the_png_decodes_at_its_size(everything):
    image = Image.open(io.BytesIO(everything.png))
    assert image.format == "PNG"
    assert image.size == (style.WIDTH, style.HEIGHT) == (everything.width, everything.height)
    image.verify()
    assert len(everything.png) < 1024 * 1024  # far below Discord's 10 MiB


@pytest.mark.parametrize(
    ("place", "stage_status"),
    [
        ("ube", ("first", "active")),  # UBE, First Stage, active
        ("hiroshima", ("first", "ended")),  # HIROSHIMA, ended
        ("hokkaido", ("second", "active")),  # HOKKAIDO Area, drawn at Hokkaido's centre
        ("tokushima", ("first", "active")),
    ],
)
def test_a_marker_has_its_stage_and_status_colour(everything, place, stage_status):
    colour = colour_at(pixels(everything), place)
    assert near(colour, style.STAGE_STATUS_COLOURS[stage_status]), colour


def test_a_filtered_map_has_no_marker_of_the_clusters_left_out():
    """The Second Stage map: Ube and Hiroshima show land, not a marker's colour."""
    second = render(view_of("second"))
    image = pixels(second)
    for place in ("ube", "hiroshima", "tokushima"):
        colour = colour_at(image, place)
        for stage_colour in style.STAGE_STATUS_COLOURS.values():
            assert not near(colour, stage_colour, 25), (place, colour)
    assert near(colour_at(image, "hokkaido"), style.STAGE_STATUS_COLOURS["second", "active"])
    assert set(second.clusters) == {c.id for c in KB.clusters if c.stage == "second"}
    assert {m.cluster for m in second.scene.markers} == set(second.clusters)


def test_every_cluster_has_a_label_and_a_marker_at_each_place(everything):
    scene = everything.scene
    assert {label.cluster for label in scene.labels} == set(ALL.clusters)
    assert {p.key for p in everything.placements} == set(ALL.clusters)
    markers = {(m.cluster, m.place) for m in scene.markers}
    assert markers == {(c.id, p) for c in KB.clusters for p in c.places}
    # Clusters of several places are joined: one line per such cluster.
    assert len(scene.joins) == sum(1 for c in KB.clusters if len(c.places) > 1)


def test_markers_at_one_place_are_spread_so_each_shows(everything):
    radius = style.MARKER_RADIUS + style.MARKER_RING
    for a, b in itertools.combinations(everything.scene.markers, 2):
        gap = ((a.centre[0] - b.centre[0]) ** 2 + (a.centre[1] - b.centre[1]) ** 2) ** 0.5
        assert gap >= 2 * radius, (a.cluster, a.place, b.cluster, b.place)


VIEWS = [
    ("all", ALL, "en"),
    ("all-ja", ALL, "ja"),
    *((f"stage-{s}", view_of(stage=s), "en") for s in ("first", "second")),
    *((f"status-{s}", view_of(status=s), "en") for s in ("active", "ended")),
    *((f"field-{f}", view_of(fields=(f,)), "en") for f in KB.fields),
    ("first-ended-ja", view_of("first", "ended"), "ja"),
    ("ube", MapView(("ube-first",)), "en"),
]


@pytest.mark.parametrize(("name", "view", "lang"), VIEWS, ids=[v[0] for v in VIEWS])
def test_labels_never_overlap_anything(name, view, lang):
    """No two label boxes overlap; none covers a marker or a panel or leaves the picture;
    no leader line runs through another label."""
    rendered = render(view, lang)
    boxes = [p.box for p in rendered.placements]
    for a, b in itertools.combinations(boxes, 2):
        assert not overlaps(a, b), (a, b)
    radius = style.MARKER_RADIUS + style.MARKER_RING
    for marker in rendered.scene.markers:
        x, y = marker.centre
        for box in boxes:
            assert not overlaps(box, (x - radius, y - radius, x + radius, y + radius))
    for box in boxes:
        assert 0 <= box[0] < box[2] <= style.WIDTH
        assert 0 <= box[1] < box[3] <= style.HEIGHT
    for a in rendered.placements:
        for b in rendered.placements:
            if a is not b:
                assert not segment_hits_box(*a.leader, b.box), (a.key, b.key)


def test_japanese_labels_name_the_places_in_kanji():
    scene = render(ALL, "ja").scene
    lines = {label.cluster: label.lines for label in scene.labels}
    assert lines["fukuoka-second"] == ("福岡・北九州・飯塚",)
    assert lines["ube-first"] == ("宇部",)
    assert scene.title == "知的クラスター（2008年版）"


def test_english_labels_are_the_clusters_names_on_at_most_two_lines(everything):
    lines = {label.cluster: label.lines for label in everything.scene.labels}
    assert lines["ube-first"] == ("UBE",)
    assert lines["fukuoka-second"] == ("FUKUOKA/KITAKYUSHU/", "IIZUKA")
    assert all(1 <= len(text) <= 2 for text in lines.values())
    for cluster in KB.clusters:
        assert " ".join(lines[cluster.id]).replace("/ ", "/") == cluster.name


def test_the_legend_counts_the_clusters_shown_per_stage_and_status(everything):
    assert [text for _, text in everything.scene.groups] == [
        "Second Stage (active): 6",
        "First Stage (active): 7",
        "First Stage (ended): 11",
    ]
    assert [text for _, text in everything.scene.fields] == [f.name for f in KB.fields.values()]


def test_an_unknown_cluster_is_refused():
    with pytest.raises(MapFilterError, match="cluster 'atlantis'"):
        render(MapView(("atlantis",)))


def test_a_missing_font_is_a_clear_error(monkeypatch):
    font_path.cache_clear()
    font.cache_clear()
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    try:
        with pytest.raises(FontMissing, match="noto-cjk-sans-jp-regular"):
            render(MapView(("ube-first",)), "en")
    finally:
        monkeypatch.undo()
        font_path.cache_clear()
        font.cache_clear()


def test_labels_still_fit_when_the_docks_are_too_small(monkeypatch):
    """More crowded labels than the docks hold: each takes the best free place instead, and
    still none overlaps another."""
    from bot.maps import render as render_module
    from bot.maps.layout import Dock

    monkeypatch.setattr(render_module, "DOCKS", (Dock("tiny", (14, 364, 300, 420), "right"),))
    rendered = render()
    assert {p.key for p in rendered.placements} == set(ALL.clusters)
    for a, b in itertools.combinations([p.box for p in rendered.placements], 2):
        assert not overlaps(a, b)
