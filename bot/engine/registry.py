"""The registry of message ids: every id the code can emit, with the parameters it takes.

Declared with `message(...)` by `bot.engine.messages` (what answers say) and
`bot.i18n.words` (what the front-ends say around them); `check` holds the catalogues to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.engine.answer import Msg, Param

_REGISTRY: dict[str, MessageSpec] = {}


@dataclass(frozen=True, slots=True)
class MessageSpec:
    id: str
    params: frozenset[str]
    optional: frozenset[str] = frozenset()  # parameters a language's words may leave out

    def __call__(self, **params: Param) -> Msg:
        if params.keys() != self.params:
            raise TypeError(f"message {self.id} takes {sorted(self.params)}, got {sorted(params)}")
        return Msg(self.id, tuple(sorted(params.items())))


def message(message_id: str, *params: str, optional: tuple[str, ...] = ()) -> MessageSpec:
    if message_id in _REGISTRY:
        raise ValueError(f"message {message_id} is declared twice")
    spec = MessageSpec(message_id, frozenset(params), frozenset(optional))
    _REGISTRY[message_id] = spec
    return spec


# Read-only, and live: it shows every message declared so far.
REGISTRY: Mapping[str, MessageSpec] = MappingProxyType(_REGISTRY)
