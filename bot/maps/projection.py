"""From longitude/latitude to pixels of the picture: a plain equirectangular projection,
true in scale at 37°N, which is close enough for a country this size and keeps every
position easy to compute again (the image tests do)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.maps import style

Pixel = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Projection:
    scale: float  # pixels per degree of latitude
    x_scale: float  # pixels per degree of longitude
    centre_longitude: float
    north: float
    top: float
    width: float

    def __call__(self, longitude: float, latitude: float) -> Pixel:
        x = self.width / 2 + (longitude - self.centre_longitude) * self.x_scale
        y = self.top + (self.north - latitude) * self.scale
        return x, y


def projection(width: int = style.WIDTH, height: int = style.HEIGHT) -> Projection:
    """The projection of the picture: latitudes NORTH..SOUTH fill its height."""
    scale = (height - style.MAP_TOP) / (style.NORTH - style.SOUTH)
    x_scale = scale * math.cos(math.radians(style.REFERENCE_LATITUDE))
    return Projection(
        scale=scale,
        x_scale=x_scale,
        centre_longitude=style.CENTRE_LONGITUDE,
        north=style.NORTH,
        top=style.MAP_TOP,
        width=width,
    )
