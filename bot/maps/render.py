"""The map as a pure function: knowledge, language, filter and colours in, PNG bytes out.

`render_map` lays the scene out and draws it; `RenderedMap` keeps what tests and the
front-ends need besides the picture: which clusters are on it, where every marker and
label went.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine.answer import MapView
from bot.i18n.localize import Localizer
from bot.kb.model import KnowledgeBase
from bot.maps import style
from bot.maps.contents import Colour, Group
from bot.maps.draw import draw_map, land_grid, shaded_grid
from bot.maps.layout import LabelItem, Placement, place_labels
from bot.maps.scene import Scene, build_scene

PNG_MEDIA_TYPE = "image/png"


@dataclass(frozen=True, slots=True)
class RenderedMap:
    png: bytes
    scene: Scene
    placements: tuple[Placement, ...]
    width: int = style.WIDTH
    height: int = style.HEIGHT

    @property
    def clusters(self) -> tuple[str, ...]:
        return self.scene.clusters


def render_map(
    kb: KnowledgeBase,
    localizer: Localizer,
    lang: str,
    view: MapView,
    colours: Mapping[Group, Colour],
) -> RenderedMap:
    """The map of the view's clusters, lettered in `lang`, each cluster in the colour of
    its (stage, status) in `colours`. Raises `MapFilterError` for an unknown stage, status,
    field or cluster, `FontMissing` or `OutlineDataMissing` when a packaged resource is
    missing."""
    scene = build_scene(kb, localizer, lang, view, colours)
    placements = lay_out(scene)
    return RenderedMap(draw_map(scene, placements), scene, placements)


def lay_out(scene: Scene) -> tuple[Placement, ...]:
    """Where each label of the scene goes (in the scene's order of labels): the main
    frame's labels around the title, legend and insets; each inset's inside its box."""
    frame = scene.frame
    radius = style.MARKER_RADIUS + style.MARKER_RING
    markers = [
        (
            m.label,
            (
                m.centre[0] - radius,
                m.centre[1] - radius,
                m.centre[0] + radius,
                m.centre[1] + radius,
            ),
        )
        for m in scene.markers
    ]
    land = land_grid(frame)
    # A label may lie on its own clusters' areas (Nagoya on Aichi), not on others'.
    areas = [(set(tint.clusters), shaded_grid(tint)) for tint in scene.tints]
    clusters_of: dict[str, set[str]] = {}
    for marker in scene.markers:
        clusters_of.setdefault(marker.label, set()).add(marker.cluster)
    shaded = {
        label.key: [grid for own, grid in areas if not own & clusters_of.get(label.key, set())]
        for label in scene.labels
        if not label.area
    }
    margin = style.EDGE_MARGIN
    placements: list[Placement] = []
    insets = [inset.box for inset in frame.insets]
    for index, shown in enumerate(frame.views):
        items = [
            LabelItem(
                label.key,
                label.anchor,
                label.points or (label.anchor,),
                label.size,
                on_anchor=bool(label.area),
            )
            for label in scene.labels
            if label.view == index
        ]
        if not items:
            continue
        if index:  # an inset's labels stay in its box
            left, top, right, bottom = shown.box
            bounds = (left + margin / 2, top + margin / 2, right - margin / 2, bottom - margin / 2)
            obstacles = [p.box for p in placements]
        else:
            bounds = (margin, margin, style.WIDTH - margin, style.HEIGHT - margin)
            obstacles = [frame.title, frame.legend, *insets]
        placements += place_labels(
            items,
            bounds=bounds,
            obstacles=obstacles,
            markers=markers,
            land=land,
            gap=style.LABEL_GAP,
            shaded=shaded,
        )
    by_key = {p.key: p for p in placements}
    return tuple(by_key[label.key] for label in scene.labels)
