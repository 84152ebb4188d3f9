"""Feedback without identities: signed button ids and salted voter hashes. No discord here.

A button's custom_id carries the vote and the answer's id, signed with a key derived from
the feedback secret, so a click is checked before anything is stored: an id that was not
made by this deployment (tampered, or from before the secret changed) is refused. The
voter is an HMAC of the user id under another derived key: one vote per person per answer
can be kept without ever storing who voted.

The secret is FEEDBACK_SECRET, or a random one kept in the data directory
(`feedback-secret`, readable by the bot's user only), created on first use. Every process
writing to one database must share it (docker-compose passes FEEDBACK_SECRET to each).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from bot.storage.records import DOWN, UP

PREFIX = "kc:vote:"
SECRET_FILE = "feedback-secret"
_VOTES = {"up": UP, "down": DOWN}
_NAMES = {UP: "up", DOWN: "down"}
_ANSWER_ID = re.compile(r"[0-9a-f]{16}")
_MAC_CHARS = 16


@dataclass(frozen=True, slots=True)
class Ballot:
    """A vote as a button carries it: +1 or -1 on one answer."""

    vote: int
    answer_id: str


class FeedbackKeys:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the feedback secret must be at least 16 bytes")
        self._button_key = hmac.new(secret, b"kcbot feedback buttons", hashlib.sha256).digest()
        self._voter_key = hmac.new(secret, b"kcbot feedback voters", hashlib.sha256).digest()

    def _mac(self, payload: str) -> str:
        digest = hmac.digest(self._button_key, payload.encode(), "sha256")  # one call, in C
        return base64.urlsafe_b64encode(digest).decode()[:_MAC_CHARS]

    def custom_id(self, ballot: Ballot) -> str:
        """The button's custom_id: `kc:vote:down:<answer id>:<signature>` (≤ 100 chars)."""
        payload = f"{_NAMES[ballot.vote]}:{ballot.answer_id}"
        return f"{PREFIX}{payload}:{self._mac(payload)}"

    def read(self, custom_id: str) -> Ballot | None:
        """The ballot a custom_id carries, or None unless this deployment signed it."""
        if not custom_id.startswith(PREFIX):
            return None
        payload, _, mac = custom_id[len(PREFIX) :].rpartition(":")
        vote_name, _, answer_id = payload.partition(":")
        if vote_name not in _VOTES or not _ANSWER_ID.fullmatch(answer_id):
            return None
        if not hmac.compare_digest(mac, self._mac(payload)):
            return None
        return Ballot(_VOTES[vote_name], answer_id)

    def voter(self, user_id: int) -> str:
        """The salted hash a person's votes are stored under (never the id itself)."""
        return hmac.new(self._voter_key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]


def load_secret(configured: str | None, data_dir: Path) -> bytes:
    """FEEDBACK_SECRET, else the data directory's secret file, created (0600) if missing.

    Two processes starting at once end up with the same file: it is written aside and
    linked into place, and whoever loses the race reads the winner's.
    """
    if configured:
        return configured.encode()
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        draft = data_dir / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 16:
        raise ValueError(f"{path} holds no usable secret; delete it to have a new one made")
    return secret.encode()
