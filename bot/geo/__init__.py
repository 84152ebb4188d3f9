"""Geography without discord or drawing: prefecture outlines and the geometry on them."""
