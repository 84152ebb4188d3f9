"""`geography.yaml`: regions, prefectures and where each place of a cluster is.

Read like the other files (every problem reported at once, with file, line and entry), then
checked against the prefecture outlines (`bot.geo.outlines`): every place of every cluster
needs a location, and a point must lie inside Japan, in the outline of the prefecture it
names. An area (a place naming a whole prefecture or region) gets its position here, at the
centre of its outline, so the map and the engine never compute geometry per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import yaml

from bot.geo.geometry import Ring, centroid, contains, distance_km
from bot.geo.outlines import Outline, OutlineDataMissing, load_outlines
from bot.kb.model import AREA_KINDS, Location, Prefecture, Region, SourceRef
from bot.kb.nodes import INVALID, SOURCE, Context, Entry, Key, describe, line_of, text_key
from bot.kb.problems import Problem, quoted, verbatim
from bot.kb.references import check_known, check_unique, known_ids, report_at
from bot.kb.schema import CLUSTERS_FILE, GEOGRAPHY_FILE

# A simplified coastline can leave a harbour city just outside its prefecture's outline.
COAST_TOLERANCE_KM = 5.0
# Japan from Okinotorishima to Cape Sōya and from Yonaguni to Minamitorishima.
LATITUDES = (20.0, 46.0)
LONGITUDES = (122.0, 154.0)


def read_position(ctx: Context, node: yaml.Node, entry: Entry, key: str) -> Any:
    """`[latitude, longitude]` in degrees, within Japan's extent."""
    values = (
        [ctx._scalar(item) for item in node.value] if isinstance(node, yaml.SequenceNode) else None
    )
    numbers = values is not None and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    )
    if not numbers or len(values) != 2:
        ctx.report(
            line_of(node),
            entry.label,
            f"{key}: expected [latitude, longitude] in degrees, got {describe(node)}",
        )
        return INVALID
    entry.lines[key] = line_of(node)
    latitude, longitude = float(values[0]), float(values[1])
    if not (
        LATITUDES[0] <= latitude <= LATITUDES[1] and LONGITUDES[0] <= longitude <= LONGITUDES[1]
    ):
        ctx.report(
            line_of(node),
            entry.label,
            f"{key}: {verbatim([latitude, longitude])} is not in Japan (latitude "
            f"{LATITUDES[0]:g} to {LATITUDES[1]:g}, longitude {LONGITUDES[0]:g} to "
            f"{LONGITUDES[1]:g}; "
            "is it [longitude, latitude]?)",
        )
        return INVALID
    return latitude, longitude


REGION_KEYS = {"id": text_key(), "name": text_key(), "name_ja": text_key()}
PREFECTURE_KEYS = {
    "id": text_key(),
    "code": Key(Context.integer),
    "name": text_key(),
    "name_ja": text_key(),
    "region": text_key(),
}
LOCATION_KEYS = {
    "id": text_key(),
    "area": text_key(required=False),
    "prefecture": text_key(required=False),
    "region": text_key(required=False),
    "geonames": Key(Context.integer, required=False),
    "position": Key(read_position, required=False),
    "note": text_key(required=False),
    "source": SOURCE,
}
# What each kind of location must have and must not have.
_SHAPES: dict[str | None, tuple[tuple[str, ...], tuple[str, ...]]] = {
    None: (("geonames", "position", "prefecture"), ("region",)),
    "prefecture": (("prefecture",), ("geonames", "position", "region")),
    "region": (("region",), ("geonames", "position", "prefecture")),
}


@dataclass(slots=True)
class GeographyEntries:
    """The validated entries of geography.yaml, before they are frozen."""

    source: Any = None
    as_of: Any = None
    regions: list[Entry] = field(default_factory=list)
    prefectures: list[Entry] = field(default_factory=list)
    locations: list[Entry] = field(default_factory=list)
    outlines: Mapping[int, Outline] = field(default_factory=dict)


def read(ctx: Context, top: Mapping[str, yaml.Node]) -> GeographyEntries:
    holder = Entry(GEOGRAPHY_FILE, 0, "", {}, {})
    geo = GeographyEntries(
        source=ctx.source(top["source"], holder, "source") if "source" in top else INVALID,
        as_of=ctx.texts(top["as_of"], holder, "as_of", minimum=1) if "as_of" in top else INVALID,
        regions=ctx.entries(top.get("regions"), "regions", REGION_KEYS),
        prefectures=ctx.entries(top.get("prefectures"), "prefectures", PREFECTURE_KEYS),
        locations=ctx.entries(top.get("places"), "places", LOCATION_KEYS),
    )
    for entries, kind in (
        (geo.regions, "region"),
        (geo.prefectures, "prefecture"),
        (geo.locations, "location"),
    ):
        check_unique(ctx, entries, kind)
    return geo


def check(ctx: Context, geo: GeographyEntries, places: list[Entry], clusters: list[Entry]) -> None:
    """References within the file and to the places, then the positions against the
    outlines, then that every place of every cluster has a location."""
    region_ids = known_ids(ctx, geo.regions, GEOGRAPHY_FILE)
    prefecture_ids = known_ids(ctx, geo.prefectures, GEOGRAPHY_FILE)
    codes: dict[int, str] = {}
    for entry in geo.prefectures:
        check_known(ctx, entry, "region", region_ids)
        code = entry.get("code")
        if code is not None and code in codes:
            report_at(
                ctx,
                entry,
                "code",
                f"code: {verbatim(code)} is also prefecture {quoted(codes[code])}",
            )
        elif code is not None:
            codes[code] = entry.label
    place_ids = known_ids(ctx, places, CLUSTERS_FILE)
    for entry in geo.locations:
        if place_ids is not None and entry.get("id") not in place_ids:
            report_at(
                ctx, entry, "id", f"id: unknown place {quoted(entry.get('id'))} (see clusters.yaml)"
            )
        area = entry.get("area")
        if area is not None and area not in AREA_KINDS:
            report_at(
                ctx,
                entry,
                "area",
                f"area: expected one of {', '.join(AREA_KINDS)}, got {quoted(area)}",
            )
            continue
        needed, refused = _SHAPES[area]
        kind = f"an area ({area})" if area else "a point"
        for key in needed:
            if key not in entry.values:
                report_at(ctx, entry, "id", f"{kind} needs `{key}`")
        for key in refused:
            if key in entry.values:
                report_at(ctx, entry, key, f"{key}: {kind} takes no `{key}`")
        check_known(ctx, entry, "prefecture", prefecture_ids)
        check_known(ctx, entry, "region", region_ids)
        region = entry.get("region")
        known_region = area == "region" and region_ids is not None and region in region_ids
        if known_region and not any(p.get("region") == region for p in geo.prefectures):
            # Nothing to shade on the map, and no centre to locate it by.
            report_at(
                ctx,
                entry,
                "region",
                f"region: {quoted(region)} has no prefecture in {GEOGRAPHY_FILE}, so the "
                "area cannot be drawn",
            )
    if not any(problem.file == GEOGRAPHY_FILE for problem in ctx.problems):
        _check_positions(ctx, geo, codes)
    located = {entry.get("id") for entry in geo.locations}
    if GEOGRAPHY_FILE in ctx.loaded:
        for entry in clusters:
            for index, place in enumerate(entry.get("places") or ()):
                # An unknown place is reported already; saying it has no location would
                # only repeat that.
                if place not in located and (place_ids is None or place in place_ids):
                    report_at(
                        ctx,
                        entry,
                        f"places[{index}]",
                        f"places: {quoted(place)} has no location in {GEOGRAPHY_FILE}",
                    )


def _check_positions(ctx: Context, geo: GeographyEntries, codes: Mapping[int, str]) -> None:
    try:
        geo.outlines = load_outlines()
    except OutlineDataMissing as exc:
        ctx.problems.append(Problem(GEOGRAPHY_FILE, None, None, str(exc)))
        return
    for code, prefecture in codes.items():
        if code not in geo.outlines:
            entry = next(e for e in geo.prefectures if e.label == prefecture)
            report_at(ctx, entry, "code", f"code: no outline has JIS code {verbatim(code)}")
            return
    code_of = {name: code for code, name in codes.items()}
    for entry in geo.locations:
        position = entry.get("position")
        if position is None:
            continue
        point = (position[1], position[0])
        prefecture = entry.get("prefecture")
        own = geo.outlines[code_of[prefecture]]
        if contains(own.ring, point):
            continue
        inside = [codes[c] for c, o in geo.outlines.items() if contains(o.ring, point)]
        if inside:
            report_at(
                ctx,
                entry,
                "position",
                f"position: {verbatim(list(position))} lies in prefecture {quoted(inside[0])}, "
                f"not {quoted(prefecture)}",
            )
        elif (gap := distance_km(own.ring, point)) > COAST_TOLERANCE_KM:
            report_at(
                ctx,
                entry,
                "position",
                f"position: {verbatim(list(position))} is {gap:.0f} km outside the outline of "
                f"{quoted(prefecture)} (at most {COAST_TOLERANCE_KM:g} km off its coast is "
                "accepted)",
            )


def build(geo: GeographyEntries) -> dict[str, Any]:
    """The frozen regions, prefectures and locations (keyword arguments of KnowledgeBase)."""
    regions = {e.values["id"]: Region(**{k: e.values[k] for k in REGION_KEYS}) for e in geo.regions}
    prefectures = {
        e.values["id"]: Prefecture(**{k: e.values[k] for k in PREFECTURE_KEYS})
        for e in geo.prefectures
    }
    ring_of = {p.id: geo.outlines[p.code].ring for p in prefectures.values()}
    locations = {}
    for entry in geo.locations:
        v = entry.values
        prefecture = v.get("prefecture")
        region = v.get("region") or prefectures[prefecture].region
        if "position" in v:
            latitude, longitude = v["position"]
        else:
            rings: list[Ring] = (
                [ring_of[prefecture]]
                if prefecture
                else [ring_of[p.id] for p in prefectures.values() if p.region == region]
            )
            longitude, latitude = centroid(rings)
        locations[v["id"]] = Location(
            place=v["id"],
            latitude=latitude,
            longitude=longitude,
            region=region,
            source=v["source"],
            prefecture=prefecture,
            area=v.get("area"),
            geonames=v.get("geonames"),
            note=v.get("note"),
        )
    source = geo.source if isinstance(geo.source, SourceRef) else None
    return {
        "regions": MappingProxyType(regions),
        "prefectures": MappingProxyType(prefectures),
        "locations": MappingProxyType(locations),
        "geography_source": source,
        "geography_as_of": geo.as_of if isinstance(geo.as_of, tuple) else (),
    }
