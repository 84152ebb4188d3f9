"""Catalogues and localization: an Answer's message ids into the words of one language."""
