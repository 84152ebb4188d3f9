"""The map as a pure function: knowledge, language and filter in, PNG bytes out.

`render_map` lays the scene out and draws it; `RenderedMap` keeps what tests and the
front-ends need besides the picture: which clusters are on it, where every marker and
label went.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.answer import MapView
from bot.i18n.localize import Localizer
from bot.kb.model import KnowledgeBase
from bot.maps import style
from bot.maps.draw import (
    INSET,
    base_layer,
    draw_map,
    label_size,
    land_grid,
    legend_panel,
    title_panel,
)
from bot.maps.layout import Dock, LabelItem, Placement, place_labels
from bot.maps.projection import projection
from bot.maps.scene import Scene, build_scene

PNG_MEDIA_TYPE = "image/png"
DOCKS = tuple(Dock(name, area, side) for name, area, side in style.DOCKS)


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


def render_map(kb: KnowledgeBase, localizer: Localizer, lang: str, view: MapView) -> RenderedMap:
    """The map of the view's clusters, lettered in `lang`. Raises `MapFilterError` for an
    unknown stage, status, field or cluster, `FontMissing` or `OutlineDataMissing` when a
    packaged resource is not installed."""
    project = projection()
    scene = build_scene(kb, localizer, lang, view, project)
    title = title_panel(scene)
    panels = (title, legend_panel(scene, below=title))
    radius = style.MARKER_RADIUS + style.MARKER_RING
    markers = [
        (
            m.cluster,
            (
                m.centre[0] - radius,
                m.centre[1] - radius,
                m.centre[0] + radius,
                m.centre[1] + radius,
            ),
        )
        for m in scene.markers
    ]
    items = [
        LabelItem(
            label.cluster,
            (
                sum(p[0] for p in label.points) / len(label.points),
                sum(p[1] for p in label.points) / len(label.points),
            ),
            label.points,
            label_size(label),
        )
        for label in scene.labels
    ]
    margin = 6
    placements = place_labels(
        items,
        bounds=(margin, margin, style.WIDTH - margin, style.HEIGHT - margin),
        obstacles=(*(panel.box for panel in panels), INSET),
        markers=markers,
        land=land_grid(project),
        gap=style.LABEL_GAP,
        docks=DOCKS,
    )
    png = draw_map(scene, placements, panels, base_layer(project))
    return RenderedMap(png, scene, tuple(placements))
