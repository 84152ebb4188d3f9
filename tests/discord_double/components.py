"""Discord's limits on message components (legacy layout: action rows of buttons or one select).

https://discord.com/developers/docs/components/reference: a message has at most 5 action
rows; a row holds up to 5 buttons or exactly one select menu; a button's label is at most
80 characters; every custom_id is 1-100 characters and unique within the message; a string
select has 1-25 options (label and value 1-100 characters, description at most 100), a
placeholder of at most 150 and min/max values within 0-25 and the number of options. A link
button has a url and no custom_id; every other button has a custom_id and no url.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MAX_ROWS = 5
MAX_BUTTONS_PER_ROW = 5
MAX_BUTTON_LABEL = 80
MAX_CUSTOM_ID = 100
MAX_OPTIONS = 25
MAX_OPTION_TEXT = 100
MAX_PLACEHOLDER = 150

ACTION_ROW, BUTTON, STRING_SELECT = 1, 2, 3
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
LINK_STYLE = 5
BUTTON_STYLES = frozenset({1, 2, 3, 4, 5, 6})

Errors = dict[str, Any]


def _error(code: str, message: str) -> Errors:
    return {"_errors": [{"code": code, "message": message}]}


def _put(tree: Errors, path: list[str], leaf: Errors) -> None:
    node = tree
    for key in path:
        node = node.setdefault(key, {})
    node.setdefault("_errors", []).extend(leaf["_errors"])


def _too_long(limit: int) -> Errors:
    return _error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _length(value: Any, low: int, high: int) -> bool:
    return isinstance(value, str) and low <= len(value) <= high


def interactive(components: Any) -> Iterator[dict[str, Any]]:
    """Every button and select of a message's components."""
    for row in components if isinstance(components, list) else []:
        for item in (row or {}).get("components") or [] if isinstance(row, dict) else []:
            if isinstance(item, dict):
                yield item


def validate_components(components: Any, errors: Errors, path: list[str] | None = None) -> None:
    """Add the problems of a message's `components` to `errors` (Discord's error tree)."""
    path = ["components"] if path is None else path
    if not isinstance(components, list):
        _put(errors, path, _error("LIST_TYPE_CONVERT", "Must be an array."))
        return
    if len(components) > MAX_ROWS:
        _put(errors, path, _too_long(MAX_ROWS))
    seen: set[str] = set()
    for r, row in enumerate(components):
        here = [*path, str(r)]
        if not isinstance(row, dict) or row.get("type") != ACTION_ROW:
            _put(errors, here, _error("COMPONENT_LAYOUT_INVALID", "Expected an action row."))
            continue
        items = row.get("components") or []
        if not items:
            _put(errors, [*here, "components"], _error("BASE_TYPE_REQUIRED", "Required."))
        selects = [i for i in items if isinstance(i, dict) and i.get("type") in SELECT_TYPES]
        if selects and len(items) > 1:
            _put(
                errors,
                [*here, "components"],
                _error(
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select menu must be alone in its row."
                ),
            )
        if len(items) > MAX_BUTTONS_PER_ROW:
            _put(
                errors,
                [*here, "components"],
                _error(
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The component exceeds the maximum width."
                ),
            )
        for c, item in enumerate(items):
            _validate_item(item, errors, [*here, "components", str(c)], seen)


def _validate_item(item: Any, errors: Errors, path: list[str], seen: set[str]) -> None:
    if not isinstance(item, dict):
        _put(errors, path, _error("DICT_TYPE_CONVERT", "Only dictionaries may be used."))
        return
    kind = item.get("type")
    custom_id = item.get("custom_id")
    if kind == BUTTON:
        style = item.get("style")
        if style not in BUTTON_STYLES:
            _put(errors, [*path, "style"], _error("BASE_TYPE_CHOICES", f"Invalid style {style}."))
        if style == LINK_STYLE:
            if not item.get("url") or custom_id is not None:
                _put(
                    errors,
                    path,
                    _error(
                        "BUTTON_COMPONENT_URL_REQUIRED", "A link button has a url, no custom_id."
                    ),
                )
            custom_id = None
        elif item.get("url") is not None or custom_id is None:
            _put(
                errors,
                path,
                _error(
                    "BUTTON_COMPONENT_CUSTOM_ID_REQUIRED", "A button needs a custom_id, no url."
                ),
            )
        label = item.get("label")
        if label is not None and not _length(label, 0, MAX_BUTTON_LABEL):
            _put(errors, [*path, "label"], _too_long(MAX_BUTTON_LABEL))
        if not label and not item.get("emoji"):
            _put(errors, path, _error("BUTTON_COMPONENT_LABEL_OR_EMOJI", "Label or emoji."))
    elif kind == STRING_SELECT:
        _validate_select(item, errors, path)
    elif kind not in SELECT_TYPES:
        _put(errors, [*path, "type"], _error("COMPONENT_TYPE_INVALID", f"Unknown type {kind}."))
    if custom_id is not None:
        if not _length(custom_id, 1, MAX_CUSTOM_ID):
            _put(errors, [*path, "custom_id"], _too_long(MAX_CUSTOM_ID))
        elif custom_id in seen:
            _put(
                errors,
                [*path, "custom_id"],
                _error(
                    "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated"
                ),
            )
        seen.add(custom_id)


def _validate_select(item: dict[str, Any], errors: Errors, path: list[str]) -> None:
    if item.get("custom_id") is None:
        _put(errors, [*path, "custom_id"], _error("BASE_TYPE_REQUIRED", "Required."))
    options = item.get("options")
    if not isinstance(options, list) or not 1 <= len(options) <= MAX_OPTIONS:
        _put(
            errors,
            [*path, "options"],
            _error("BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {MAX_OPTIONS} in length."),
        )
        options = options if isinstance(options, list) else []
    values: set[str] = set()
    for o, option in enumerate(options):
        here = [*path, "options", str(o)]
        if not isinstance(option, dict):
            _put(errors, here, _error("DICT_TYPE_CONVERT", "Only dictionaries may be used."))
            continue
        for key in ("label", "value"):
            if not _length(option.get(key), 1, MAX_OPTION_TEXT):
                _put(
                    errors,
                    [*here, key],
                    _error(
                        "BASE_TYPE_BAD_LENGTH",
                        f"Must be between 1 and {MAX_OPTION_TEXT} in length.",
                    ),
                )
        description = option.get("description")
        if description is not None and not _length(description, 0, MAX_OPTION_TEXT):
            _put(errors, [*here, "description"], _too_long(MAX_OPTION_TEXT))
        if option.get("value") in values:
            _put(
                errors,
                [*here, "value"],
                _error("SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Option values must be unique."),
            )
        values.add(option.get("value"))
    placeholder = item.get("placeholder")
    if placeholder is not None and not _length(placeholder, 0, MAX_PLACEHOLDER):
        _put(errors, [*path, "placeholder"], _too_long(MAX_PLACEHOLDER))
    low, high = item.get("min_values", 1), item.get("max_values", 1)
    if not (0 <= low <= MAX_OPTIONS and 1 <= high <= MAX_OPTIONS and low <= high):
        _put(errors, [*path, "max_values"], _error("BASE_TYPE_BAD_INT", "Invalid min/max values."))
    elif options and high > len(options):
        _put(
            errors,
            [*path, "max_values"],
            _error("BASE_TYPE_BAD_INT", "max_values exceeds the number of options."),
        )


def find_component(message: dict[str, Any], custom_id: str) -> dict[str, Any] | None:
    """The button or select of a message with this custom_id."""
    return next(
        (c for c in interactive(message.get("components")) if c.get("custom_id") == custom_id), None
    )
