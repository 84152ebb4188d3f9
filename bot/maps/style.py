"""How the map looks: its size, colours and type sizes, in one place.

Discord shows an embed's picture about 400 pixels wide (330 on a phone), so the map is
designed at that size and drawn three times larger (1200 by 900, 4:3 like Discord's preview
box): a size here divided by three is what a reader sees in the chat, and every text is
at least 11 of those pixels high (labels 13).
"""

from __future__ import annotations

WIDTH = 1200
HEIGHT = 900
SUPERSAMPLE = 2  # drawn at twice the size and scaled down: smooth outlines and lines

# What the frame shows: the clusters' places and areas, at least 2.2 degrees of latitude
# (about 240 km: a town alone comes with its neighbours' outlines), never nearer than
# PADDING to the picture's edges, so labels have room around every marker.
MIN_SPAN_DEGREES = 2.2
PADDING = 90
EDGE_MARGIN = 12  # labels and panels keep this far from the picture's edges
# Insets, as Japanese maps often draw them: (JIS X 0401 codes, gain). An inset is drawn
# only when clusters of the view lie both there and elsewhere, and when leaving it out
# makes the main frame at least `gain` times larger (Okinawa, far south, always does).
INSETS = (((47,), 1.0), ((1,), 1.3))
INSET_WIDTH = 300

SEA = (214, 228, 240)
LAND = (250, 250, 247)
BORDER = (176, 186, 197)
COAST = (120, 134, 150)
INK = (31, 41, 51)
MUTED_INK = (82, 96, 109)
LEADER = (70, 82, 96)
PANEL = (255, 255, 255)
PANEL_BORDER = (176, 188, 200)
HALO = (255, 255, 255)
TINT_ALPHA = 90  # of 255: an area cluster's colour over its prefectures
TINT_STRIPE = 14  # width of each colour's stripe where several clusters share an area

# A cluster's colour says its stage and status: the knowledge base's (a stage's `colours`,
# one per status, in clusters.yaml); a pair without one takes the next of FALLBACK_COLOURS,
# so every group stays distinct.


def colours_of(kb) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(stage id, status id) → the colour its clusters are drawn in, from the base."""
    return {
        (stage.id, status): tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        for stage in kb.stages.values()
        for status, colour in stage.colours.items()
    }


FALLBACK_COLOURS = (
    (38, 110, 190),
    (46, 150, 90),
    (150, 70, 180),
    (20, 150, 160),
    (170, 120, 40),
    (90, 90, 90),
)

MARKER_RADIUS = 10
MARKER_RING = 3  # white ring around a marker, so neighbours stay apart
MARKER_GAP = 3  # the least space between two markers once spread
JOIN_WIDTH = 6  # the line joining the places of one cluster

LABEL_SIZE = 39
TITLE_SIZE = 38
LEGEND_SIZE = 32
SMALL_SIZE = 22
LABEL_PADDING = (10, 3)  # horizontal, vertical
LABEL_GAP = 6  # the least space between two labels, or a label and a marker
LABEL_MAX_WIDTH = 330  # a label naming several places breaks onto a new line past this
LEADER_WIDTH = 4
LEADER_MIN = 20  # a label this near its marker (beyond its ring) needs no leader line
# Places nearer each other than this share one label ("Gifu · Ogaki · Nagoya"): at the
# scale of the whole country their labels would otherwise need a leader each.
SHARED_LABEL_DISTANCE = 75
