"""The map as a real PNG: it decodes at its size, markers have their stage's colour where
the data puts the places, areas are shaded rather than dotted, a filter leaves the other
clusters out, labels name places and never overlap, and the colours are data."""

from __future__ import annotations

import io
import itertools
import math

import pytest
from PIL import Image

from bot.engine.answer import MapView
from bot.geo.geometry import contains
from bot.geo.outlines import load_outlines
from bot.maps import style
from bot.maps.contents import MapFilterError
from bot.maps.fonts import FontMissing, font, font_path
from bot.maps.layout import overlaps, segment_hits_box
from bot.maps.render import RenderedMap, render_map
from bot.maps.scene import Spot, shared_labels
from tests.support import shipped_knowledge

KNOWLEDGE = shipped_knowledge()
KB = KNOWLEDGE.kb
ALL = MapView(tuple(c.id for c in KB.clusters))
COLOURS = style.colours_of(shipped_knowledge().kb)


def render(view: MapView = ALL, lang: str = "en", colours=COLOURS) -> RenderedMap:
    return render_map(KB, KNOWLEDGE.localizer, lang, view, colours)


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


def position(rendered: RenderedMap, place: str) -> tuple[float, float]:
    """Where the data puts a point place, through the frame the map chose for it."""
    location = KB.locations[place]
    code = KB.prefectures[location.prefecture].code
    return rendered.scene.frame.view_of(code).project(location.longitude, location.latitude)


def colour_at(image: Image.Image, point: tuple[float, float]) -> tuple[int, int, int]:
    return image.getpixel((round(point[0]), round(point[1])))


def near(colour, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def tinted(colour: tuple[int, int, int]) -> tuple[int, ...]:
    """A cluster's colour laid over land at the shading's strength."""
    alpha = style.TINT_ALPHA / 255
    return tuple(
        round(land * (1 - alpha) + c * alpha) for land, c in zip(style.LAND, colour, strict=True)
    )


def free_point_in(rendered: RenderedMap, code: int) -> tuple[float, float]:
    """A point inside a prefecture's outline that no marker, label or leader covers."""
    view = rendered.scene.frame.view_of(code)
    ring = tuple(view.project(lon, lat) for lon, lat in load_outlines()[code].ring)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    reach = style.MARKER_RADIUS + style.MARKER_RING + 4
    for i, j in itertools.product(range(2, 30), range(2, 30)):
        point = (min(xs) + (max(xs) - min(xs)) * i / 31, min(ys) + (max(ys) - min(ys)) * j / 31)
        if not contains(ring, point):
            continue
        if any(math.dist(point, m.centre) < reach + 6 for m in rendered.scene.markers):
            continue
        if any(overlaps(p.box, (*point, *point), 8) for p in rendered.placements):
            continue
        leaders = [(p.leader[0], p.leader[1]) for p in rendered.placements]
        spot = (point[0] - 8, point[1] - 8, point[0] + 8, point[1] + 8)
        if any(segment_hits_box(a, b, spot) for a, b in leaders):
            continue
        if any(math.dist(point, p) < 14 for p in ring):
            continue  # away from the borders drawn over the shading
        return point
    raise AssertionError(f"no free point in prefecture {code}")


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
        ("tokushima", ("first", "active")),
        ("takamatsu", ("first", "ended")),
    ],
)
def test_a_marker_has_its_stage_and_status_colour(everything, place, stage_status):
    colour = colour_at(pixels(everything), position(everything, place))
    assert near(colour, COLOURS[stage_status]), colour


def test_an_area_is_shaded_in_its_clusters_colour_never_dotted(everything):
    """AICHI/NAGOYA: a marker at Nagoya, Aichi shaded orange where no marker is; HOKKAIDO
    Area: Hokkaido shaded red (in its inset) beside Sapporo's markers; no marker anywhere
    for the places that name a whole prefecture or region."""
    image = pixels(everything)
    markers = {(m.cluster, m.place) for m in everything.scene.markers}
    assert ("aichi-first", "nagoya") in markers
    assert not {place for _, place in markers} & {"aichi", "hokkaido", "kansai"}
    aichi = KB.prefectures["aichi"].code
    colour = colour_at(image, free_point_in(everything, aichi))
    assert near(colour, tinted(COLOURS["first", "active"])), colour
    hokkaido = KB.prefectures["hokkaido"].code
    colour = colour_at(image, free_point_in(everything, hokkaido))
    assert near(colour, tinted(COLOURS["second", "active"])), colour


def test_an_area_shared_by_clusters_is_striped_in_each_colour():
    """Kansai: KANSAI (Saito & Kobe), active, and KANSAI Science City, ended, both cover
    the Kinki region: its prefectures show both clusters' shading."""
    rendered = render(MapView(("kansai-second", "kansai-science-city-first")))
    [tint] = rendered.scene.tints
    assert tint.colours == (COLOURS["second", "active"], COLOURS["first", "ended"])
    image = pixels(rendered)
    seen = set()
    for name in ("nara", "wakayama", "mie"):
        code = KB.prefectures[name].code
        view = rendered.scene.frame.view_of(code)
        ring = tuple(view.project(lon, lat) for lon, lat in load_outlines()[code].ring)
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        for i, j in itertools.product(range(1, 20), range(1, 20)):
            point = (min(xs) + (max(xs) - min(xs)) * i / 20, min(ys) + (max(ys) - min(ys)) * j / 20)
            if contains(ring, point):
                colour = colour_at(image, point)
                seen |= {c for c in tint.colours if near(colour, tinted(c), 6)}
    assert seen == set(tint.colours)


def test_a_cluster_known_only_by_its_area_is_labelled_on_it():
    """KANSAI Science City has no town: its label names Kansai and lies on the Kinki
    region, with no leader and no marker."""
    rendered = render(MapView(("kansai-science-city-first",)))
    assert rendered.scene.markers == ()
    [label] = rendered.scene.labels
    [placement] = rendered.placements
    assert label.lines == ("Kansai",)
    left, top, right, bottom = placement.box
    centre = ((left + right) / 2, (top + bottom) / 2)
    assert any(contains(tuple(ring), centre) for ring in label.area)
    assert placement.leader_length == 0
    assert rendered.scene.subtitle == "KANSAI Science City"


def test_a_filtered_map_has_no_marker_of_the_clusters_left_out():
    """The Second Stage map: no marker at Ube, Hiroshima or Tokushima (where the First
    Stage's are), each of its clusters at each of its places."""
    second = render(view_of("second"))
    assert set(second.clusters) == {c.id for c in KB.clusters if c.stage == "second"}
    assert {m.cluster for m in second.scene.markers} == set(second.clusters)
    assert not {m.place for m in second.scene.markers} & {"ube", "hiroshima", "tokushima"}
    image = pixels(second)
    for marker in second.scene.markers:
        assert near(colour_at(image, marker.centre), COLOURS["second", "active"])


def test_every_place_of_every_cluster_has_a_marker_or_its_area_shaded(everything):
    scene = everything.scene
    markers = {(m.cluster, m.place) for m in scene.markers}
    for cluster in KB.clusters:
        for place in cluster.places:
            if KB.locations[place].area is None:
                assert (cluster.id, place) in markers
            else:
                assert place in {tint.place for tint in scene.tints}, place
    # Clusters of several towns are joined: one line per such cluster.
    towns = {c.id: [p for p in c.places if KB.locations[p].area is None] for c in KB.clusters}
    assert len(scene.joins) == sum(1 for places in towns.values() if len(places) > 1)


def test_markers_at_one_place_are_spread_so_each_shows(everything):
    radius = style.MARKER_RADIUS + style.MARKER_RING
    for a, b in itertools.combinations(everything.scene.markers, 2):
        assert math.dist(a.centre, b.centre) >= 2 * radius, (a.cluster, a.place, b.place)


VIEWS = [
    ("all", ALL, "en"),
    ("all-ja", ALL, "ja"),
    *((f"stage-{s}", view_of(stage=s), "en") for s in ("first", "second")),
    *((f"status-{s}", view_of(status=s), "en") for s in ("active", "ended")),
    *((f"field-{f}", view_of(fields=(f,)), "en") for f in KB.fields),
    *((f"field-{f}-ja", view_of(fields=(f,)), "ja") for f in ("environment", "it")),
    ("first-ended-ja", view_of("first", "ended"), "ja"),
    ("second-active", view_of("second", "active"), "en"),
    ("ube", MapView(("ube-first",)), "en"),
    ("hokkaido-ja", MapView(("hokkaido-second",)), "ja"),
    ("aichi", MapView(("aichi-first",)), "en"),
]


@pytest.mark.parametrize(("name", "view", "lang"), VIEWS, ids=[v[0] for v in VIEWS])
def test_labels_never_overlap_anything(name, view, lang):
    """No two label boxes overlap; none covers a marker, the title, the legend or an inset
    it does not belong to, or leaves the picture; no leader line runs through a label."""
    rendered = render(view, lang)
    frame = rendered.scene.frame
    boxes = [p.box for p in rendered.placements]
    for a, b in itertools.combinations(boxes, 2):
        assert not overlaps(a, b), (a, b)
    radius = style.MARKER_RADIUS + style.MARKER_RING
    for marker in rendered.scene.markers:
        x, y = marker.centre
        for box in boxes:
            assert not overlaps(box, (x - radius, y - radius, x + radius, y + radius))
    for label, placement in zip(rendered.scene.labels, rendered.placements, strict=True):
        box = placement.box
        assert 0 <= box[0] < box[2] <= style.WIDTH
        assert 0 <= box[1] < box[3] <= style.HEIGHT
        assert not overlaps(box, frame.title)
        assert not overlaps(box, frame.legend)
        home = frame.views[label.view]
        if label.view:  # in an inset: inside its box
            assert home.box[0] <= box[0] < box[2] <= home.box[2]
            assert home.box[1] <= box[1] < box[3] <= home.box[3]
        else:
            assert not any(overlaps(box, inset.box) for inset in frame.insets)
    for a in rendered.placements:
        for b in rendered.placements:
            if a is not b:
                assert not segment_hits_box(*a.leader, b.box), (a.key, b.key)


@pytest.mark.parametrize(("name", "view", "lang"), VIEWS, ids=[v[0] for v in VIEWS])
def test_leaders_are_short_and_labels_fewer_than_clusters(name, view, lang):
    """Labels name places, so co-located clusters share one; every leader line is shorter
    than a third of the picture's width (most labels sit beside their markers)."""
    rendered = render(view, lang)
    places = {p for c in KB.clusters if c.id in view.clusters for p in c.places}
    assert len(rendered.scene.labels) <= len(places)
    for placement in rendered.placements:
        assert placement.leader_length < style.WIDTH / 3, placement.key
    beside = [p for p in rendered.placements if p.leader_length < 40]
    assert len(beside) >= len(rendered.placements) / 2


def test_english_labels_name_each_shown_town_once(everything):
    """Every town of the view is named by exactly one label; an area by a label only when
    a cluster has nothing but that area (Kansai, for KANSAI Science City)."""
    named = [p for label in everything.scene.labels for p in label.places]
    towns = {p for c in KB.clusters for p in c.places if KB.locations[p].area is None}
    assert len(named) == len(set(named))
    assert set(named) == towns | {"kansai"}
    lines = {label.key: label.lines for label in everything.scene.labels}
    assert lines["area:kansai"] == ("Kansai",)
    text = " / ".join(" ".join(value) for value in lines.values())
    assert "Sapporo" in text
    assert "Ube" in text


def test_japanese_labels_name_the_places_in_kanji():
    scene = render(ALL, "ja").scene
    text = "".join(line for label in scene.labels for line in label.lines)
    for kanji in ("札幌", "仙台", "宇部", "浜松", "関西"):
        assert kanji in text
    assert not any(ch.isascii() and ch.isalpha() for ch in text)
    assert scene.title == "クラスター（2008年版）"
    shared = [label for label in scene.labels if len(label.places) > 1]
    assert shared
    assert all("・" in "".join(label.lines) for label in shared)


def test_places_near_each_other_share_a_label_but_a_chain_does_not():
    """Complete linkage: A and B are near, B and C are near, A and C are not: C keeps a
    label of its own."""
    spots = [Spot(p, (0.0, 0.0), 1, ("x",)) for p in ("a", "b", "c")]
    at = {"a": (0.0, 0.0), "b": (30.0, 0.0), "c": (60.0, 0.0)}
    groups = shared_labels(spots, at, 45)
    assert sorted(sorted(s.place for s in group) for group in groups) == [["a", "b"], ["c"]]
    assert len(shared_labels(spots, at, 10)) == 3


def test_the_legend_counts_the_clusters_shown_per_stage_and_status(everything):
    assert [text for _, text in everything.scene.groups] == [
        "Second Stage (active): 6",
        "First Stage (active): 7",
        "First Stage (ended): 11",
    ]
    assert render(MapView(("ube-first",))).scene.subtitle == "UBE"


def test_the_colours_are_data():
    """The stages' colours come from the caller: the map of the same view in other colours
    has its markers in those; a stage and status without a colour gets one no other group
    has."""
    violet = (120, 60, 200)
    recoloured = render(MapView(("ube-first",)), colours={("first", "active"): violet})
    assert near(colour_at(pixels(recoloured), position(recoloured, "ube")), violet)
    uncoloured = render(colours={})
    colours = [colour for colour, _ in uncoloured.scene.groups]
    assert len(set(colours)) == len(colours) == 3
    image = pixels(uncoloured)
    for marker in uncoloured.scene.markers:
        assert near(colour_at(image, marker.centre), marker.colour)


def test_the_same_view_draws_the_same_picture():
    """The layout's random moves are seeded: a map is the same in every process."""
    view = view_of("first")
    assert render(view).png == render(view).png


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
