"""Reading one setting's text: whole numbers, numbers, Discord ids, booleans, id lists.

Each parser names the variable and the bad value in its `ConfigError`, so an operator
reads at once what to fix. Shared by `bot.config` and the storage settings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})
# Discord snowflakes are unsigned 64-bit integers.
MAX_SNOWFLAKE = 2**64 - 1


class ConfigError(ValueError):
    """A configuration variable has a value the bot cannot use; the message names both."""


def clean(environ: Mapping[str, str], name: str) -> str:
    return (environ.get(name) or "").strip()


def parse_int(name: str, raw: str, *, minimum: int, maximum: int | None = None) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise ConfigError(f"{name}={raw!r} is out of range (must be {bound})")
    return value


def parse_float(name: str, raw: str, *, minimum_exclusive: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if not (math.isfinite(value) and value > minimum_exclusive):
        raise ConfigError(f"{name}={raw!r} is out of range (must be above {minimum_exclusive:g})")
    return value


def parse_snowflake(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a Discord id (a whole number)") from None
    if not 0 < value <= MAX_SNOWFLAKE:
        raise ConfigError(f"{name}: {raw!r} is not a Discord id (out of range)")
    return value


def parse_id_list(name: str, raw: str, parse: Callable[[str, str], T]) -> tuple[T, ...]:
    items = [item.strip() for item in raw.replace(";", ",").split(",")]
    return tuple(parse(name, item) for item in items if item)


def parse_bool(name: str, raw: str) -> bool:
    lowered = raw.casefold()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use true or false)")


def optional(
    environ: Mapping[str, str], name: str, parse: Callable[[str, str], T], default: T
) -> T:
    raw = clean(environ, name)
    return parse(name, raw) if raw else default
