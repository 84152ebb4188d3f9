"""Validation of a message's buttons against Discord's component limits."""

from __future__ import annotations

from typing import Any

from .limits import Errors, _bad_len, _err, _max_len, _put, _str_len

# Message components (https://discord.com/developers/docs/components/reference).
MAX_ACTION_ROWS = 5
MAX_ROW_BUTTONS = 5
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 80
BUTTON_STYLES = frozenset({1, 2, 3, 4, 5, 6})  # 5 is a link button, 6 a premium one


def validate_components(rows: Any, errors: Errors) -> None:
    """Action rows of buttons (the classic layout): at most 5 rows of at most 5 buttons,
    each with a style, a custom_id of 1-100 characters unique in the message (or a URL for a
    link button) and a label of at most 80."""
    if not isinstance(rows, list) or len(rows) > MAX_ACTION_ROWS:
        _put(errors, ["components"], _max_len(MAX_ACTION_ROWS))
        return
    seen: set[str] = set()
    for i, row in enumerate(rows):
        here = ["components", str(i)]
        children = row.get("components") if isinstance(row, dict) else None
        if not isinstance(row, dict) or row.get("type") != 1 or not isinstance(children, list):
            _put(errors, here, _err("COMPONENT_LAYOUT_INVALID", "Must be an action row."))
            continue
        if not 1 <= len(children) <= MAX_ROW_BUTTONS:
            _put(errors, [*here, "components"], _bad_len(1, MAX_ROW_BUTTONS))
        for j, button in enumerate(children):
            at = [*here, "components", str(j)]
            if button.get("type") != 2:
                continue  # only buttons are checked; selects have rules of their own
            style, custom_id = button.get("style"), button.get("custom_id")
            if style not in BUTTON_STYLES:
                _put(errors, [*at, "style"], _err("BASE_TYPE_CHOICES", "Not a button style."))
            if style == 5:
                if not button.get("url") or custom_id is not None:
                    _put(errors, at, _err("BUTTON_LINK_INVALID", "A link needs a url only."))
            elif not isinstance(custom_id, str) or not 1 <= len(custom_id) <= MAX_CUSTOM_ID:
                _put(errors, [*at, "custom_id"], _bad_len(1, MAX_CUSTOM_ID))
            elif custom_id in seen:
                _put(errors, [*at, "custom_id"],
                     _err("COMPONENT_CUSTOM_ID_DUPLICATED", "Custom id is duplicated."))
            else:
                seen.add(custom_id)
            label = button.get("label")
            if label is not None and _str_len(label) > MAX_BUTTON_LABEL:
                _put(errors, [*at, "label"], _max_len(MAX_BUTTON_LABEL))
            if label is None and button.get("emoji") is None:
                _put(errors, at, _err("BUTTON_EMPTY", "A button needs a label or an emoji."))
