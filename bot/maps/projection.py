"""From longitude/latitude to pixels of the picture: a plain equirectangular projection,
true in scale at the middle latitude of what it frames, which is close enough for a country
this size and keeps every position easy to compute again (the image tests do)."""

from __future__ import annotations

import math
from dataclasses import dataclass

Pixel = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom (pixels)
LonLatBox = tuple[float, float, float, float]  # west, south, east, north (degrees)


@dataclass(frozen=True, slots=True)
class Projection:
    """Longitude/latitude to pixels: `origin` is where (west, north) of the frame lands."""

    scale: float  # pixels per degree of latitude
    x_scale: float  # pixels per degree of longitude
    west: float
    north: float
    origin: Pixel

    def __call__(self, longitude: float, latitude: float) -> Pixel:
        return (
            self.origin[0] + (longitude - self.west) * self.x_scale,
            self.origin[1] + (self.north - latitude) * self.scale,
        )


def fit(extent: LonLatBox, box: Box, padding: float, min_span: float) -> Projection:
    """The projection that shows `extent` as large as it fits in `box`, centred, at least
    `padding` pixels inside every edge, and spanning at least `min_span` degrees of latitude
    (or the same distance east to west), so one town is never a street plan."""
    west, south, east, north = extent
    middle = (south + north) / 2
    cos = math.cos(math.radians(middle))
    # A degree of longitude is `cos` of a degree of latitude here.
    span_y = max(north - south, min_span)
    span_x = max((east - west) * cos, min_span)
    room_x = box[2] - box[0] - 2 * padding
    room_y = box[3] - box[1] - 2 * padding
    scale = min(room_x / span_x, room_y / span_y)
    x_scale = scale * cos
    centre_x, centre_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    centre_lon, centre_lat = (west + east) / 2, middle
    return Projection(
        scale=scale,
        x_scale=x_scale,
        west=centre_lon,
        north=centre_lat,
        origin=(centre_x, centre_y),
    )


def extent_of(points: list[tuple[float, float]]) -> LonLatBox:
    """The (west, south, east, north) box around (longitude, latitude) points."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)
