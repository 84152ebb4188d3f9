"""How the map looks: its size, colours and type sizes, in one place.

Sizes are in pixels of the final picture. It is 4:3 because Discord previews an embed's
image in a box about 400 by 300: a 4:3 picture fills it, and every label stays legible
there (text about 9 px high in the preview, 28 px in the picture).
"""

from __future__ import annotations

WIDTH = 1280
HEIGHT = 960
SUPERSAMPLE = 2  # drawn at twice the size and scaled down: smooth outlines and lines

# What part of the earth is drawn: Japan's four main islands and their seas (Okinawa goes
# into an inset), in longitude/latitude, with the scale that fits the latitudes.
NORTH = 45.9
SOUTH = 30.6
CENTRE_LONGITUDE = 136.3
REFERENCE_LATITUDE = 37.0  # where the east-west scale is true
MAP_TOP = 18  # pixels above NORTH

SEA = (220, 232, 242)
LAND = (250, 250, 247)
BORDER = (163, 174, 186)
COAST = (120, 134, 150)
INK = (31, 41, 51)
MUTED_INK = (82, 96, 109)
PANEL = (255, 255, 255)
PANEL_BORDER = (188, 198, 208)
HALO = (255, 255, 255)

# A cluster's colour says its stage and status (as of the 2008 edition).
STAGE_STATUS_COLOURS: dict[tuple[str, str], tuple[int, int, int]] = {
    ("second", "active"): (200, 40, 62),
    ("second", "ended"): (140, 90, 110),
    ("first", "active"): (232, 140, 20),
    ("first", "ended"): (128, 134, 145),
}
FALLBACK_COLOUR = (90, 90, 90)

MARKER_RADIUS = 8
MARKER_RING = 2  # white ring around a marker, so neighbours stay apart
MARKER_GAP = 3  # the least space between two markers once spread
JOIN_WIDTH = 4  # the line joining the places of one cluster

LABEL_SIZE = 24
TITLE_SIZE = 34
SUBTITLE_SIZE = 24
LEGEND_SIZE = 22
SMALL_SIZE = 16
LABEL_PADDING = (8, 4)  # horizontal, vertical
LABEL_BORDER = 3
LABEL_GAP = 4  # the least space between two labels, or a label and a marker
LABEL_WRAP = 20  # a longer English name is split over two lines
LEADER_WIDTH = 2
CHIP = 13  # a key field's square beside a label
CHIP_GAP = 3

# Where labels of crowded markers line up (see bot.maps.layout.Dock): open sea at this
# projection, and the side of each that faces the markers. West of Kyushu; the Sea of Japan
# north of Chugoku; the Pacific east of Kanto and Tokai; the Pacific south of Shikoku.
DOCKS = (
    ("west", (8, 364, 322, 730), "right"),
    ("north", (330, 364, 606, 636), "right"),
    ("east", (904, 476, 1268, 948), "left"),
    ("south", (396, 860, 890, 948), "top"),
)
