"""Secrets out of the logs, whatever the level.

At DEBUG discord.py logs every gateway payload and every REST call; interactions carry a
token that lets anyone answer as the bot for 15 minutes, in the payload (`'token': '...'`)
and in the webhook and callback URLs (`/interactions/ID/TOKEN/callback`,
`/webhooks/APP_ID/TOKEN`). `RedactSecrets` rewrites each record (message, arguments and
traceback text) before any handler formats it, so DEBUG stays useful without them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"
_PATTERNS = (
    # 'token': 'abc' in a dict's repr, "token": "abc" in JSON
    (
        re.compile(r"""(['"](?:token|access_token)['"]\s*:\s*)(['"])[^'"]*\2"""),
        rf"\1\2{REDACTED}\2",
    ),
    # interaction callbacks and webhook (follow-up, edit) URLs
    (re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/\s?'\"]+"), rf"\1{REDACTED}"),
    # an Authorization header, should one ever be printed
    (re.compile(r"((?:Bot|Bearer) )[A-Za-z0-9_.\-]{20,}"), rf"\1{REDACTED}"),
)


class RedactSecrets(logging.Filter):
    """Removes interaction tokens, webhook tokens and the given secrets from log records."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(secret for secret in secrets if secret)

    def redact(self, text: str) -> str:
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def redact_handlers(logger: logging.Logger, secrets: Iterable[str] = ()) -> RedactSecrets:
    """Put one `RedactSecrets` on every handler of `logger` (the root: everything logged)."""
    redaction = RedactSecrets(secrets)
    for handler in logger.handlers:
        handler.addFilter(redaction)
    return redaction
