"""Validation of bot-sent payloads against the limits Discord enforces.

Every function returns a Discord-shaped ``errors`` tree (the value of the ``errors`` key of a
``{"code": 50035, "message": "Invalid Form Body", "errors": ...}`` body), empty when the payload
is acceptable. The tree mirrors the payload: ``{"embeds": {"0": {"title": {"_errors": [...]}}}}``.
"""

from __future__ import annotations

import re
from typing import Any

from .components import validate_components

# Message limits (https://discord.com/developers/docs/resources/message#create-message and
# https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER_TEXT = 2048
MAX_AUTHOR_NAME = 256
MAX_EMBED_TOTAL = 6000

# Attachments (https://discord.com/developers/docs/reference#uploading-files): at most 10 files
# a message, each within the upload limit of a bot in a server without boosts (10 MiB).
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_SCHEME = "attachment://"

# Autocomplete and application commands.
MAX_CHOICES = 25
MAX_CHOICE_NAME = 100
MAX_CHOICE_VALUE = 100
MAX_GLOBAL_CHAT_COMMANDS = 100
MAX_OPTIONS = 25
MAX_COMMAND_NAME = 32
MAX_COMMAND_DESCRIPTION = 100

_NAME_RE = re.compile(r"^[-_'\w]{1,32}$")
# The locales Discord accepts as keys of name_localizations / description_localizations.
LOCALES = frozenset(
    "id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el "
    "bg ru uk hi th zh-CN ja zh-TW ko".split()
)

Errors = dict[str, Any]


def _err(code: str, message: str) -> Errors:
    return {"_errors": [{"code": code, "message": message}]}


def _max_len(n: int) -> Errors:
    return _err("BASE_TYPE_MAX_LENGTH", f"Must be {n} or fewer in length.")


def _bad_len(lo: int, hi: int) -> Errors:
    return _err("BASE_TYPE_BAD_LENGTH", f"Must be between {lo} and {hi} in length.")


def _put(tree: Errors, path: list[str], leaf: Errors) -> None:
    node = tree
    for key in path:
        node = node.setdefault(key, {})
    node.setdefault("_errors", []).extend(leaf["_errors"])


def flatten(errors: Errors, prefix: str = "") -> list[str]:
    """``["embeds.0.title: Must be 256 or fewer in length.", ...]`` for messages and asserts."""
    out: list[str] = []
    for key, value in errors.items():
        if key == "_errors":
            out.extend(f"{prefix or '<body>'}: {e['message']}" for e in value)
        else:
            out.extend(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _str_len(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def validate_embeds(embeds: Any, errors: Errors, path: list[str]) -> None:
    if not isinstance(embeds, list):
        _put(errors, path, _err("LIST_TYPE_CONVERT", "Must be an array."))
        return
    if len(embeds) > MAX_EMBEDS:
        _put(errors, path, _max_len(MAX_EMBEDS))
    total = 0
    for i, embed in enumerate(embeds):
        here = [*path, str(i)]
        if not isinstance(embed, dict):
            _put(errors, here, _err("DICT_TYPE_CONVERT", "Only dictionaries may be used."))
            continue
        title = embed.get("title")
        if _str_len(title) > MAX_EMBED_TITLE:
            _put(errors, [*here, "title"], _max_len(MAX_EMBED_TITLE))
        description = embed.get("description")
        if _str_len(description) > MAX_EMBED_DESCRIPTION:
            _put(errors, [*here, "description"], _max_len(MAX_EMBED_DESCRIPTION))
        total += _str_len(title) + _str_len(description)
        fields = embed.get("fields") or []
        if len(fields) > MAX_EMBED_FIELDS:
            _put(errors, [*here, "fields"], _max_len(MAX_EMBED_FIELDS))
        for j, field in enumerate(fields):
            name, value = field.get("name"), field.get("value")
            if not 1 <= _str_len(name) <= MAX_FIELD_NAME:
                _put(errors, [*here, "fields", str(j), "name"], _bad_len(1, MAX_FIELD_NAME))
            if not 1 <= _str_len(value) <= MAX_FIELD_VALUE:
                _put(errors, [*here, "fields", str(j), "value"], _bad_len(1, MAX_FIELD_VALUE))
            total += _str_len(name) + _str_len(value)
        footer_text = (embed.get("footer") or {}).get("text")
        if _str_len(footer_text) > MAX_FOOTER_TEXT:
            _put(errors, [*here, "footer", "text"], _max_len(MAX_FOOTER_TEXT))
        author_name = (embed.get("author") or {}).get("name")
        if _str_len(author_name) > MAX_AUTHOR_NAME:
            _put(errors, [*here, "author", "name"], _max_len(MAX_AUTHOR_NAME))
        total += _str_len(footer_text) + _str_len(author_name)
    if total > MAX_EMBED_TOTAL:
        _put(
            errors,
            path,
            _err(
                "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}"
            ),
        )


def validate_files(body: dict[str, Any], files: list[dict[str, Any]], errors: Errors) -> None:
    """The multipart uploads against the payload: at most 10, each `files[n]` described by an
    `attachments` entry with id n when the payload lists them, and every `attachment://NAME`
    an embed uses naming an uploaded file (Discord would show no image: project policy, like
    allowed_mentions)."""
    if len(files) > MAX_ATTACHMENTS:
        _put(errors, ["attachments"], _max_len(MAX_ATTACHMENTS))
    listed = body.get("attachments")
    if files and isinstance(listed, list):
        ids = {str(entry.get("id")) for entry in listed if isinstance(entry, dict)}
        for upload in files:
            index = re.fullmatch(r"files\[(\d+)\]", upload.get("name") or "")
            if index is None or index.group(1) not in ids:
                _put(
                    errors,
                    ["attachments"],
                    _err(
                        "ATTACHMENT_NOT_FOUND",
                        f"Upload {upload.get('name')!r} has no attachments entry with its id",
                    ),
                )
    names = {upload.get("filename") for upload in files}
    names |= {entry.get("filename") for entry in listed or () if isinstance(entry, dict)}
    for i, embed in enumerate(body.get("embeds") or ()):
        if not isinstance(embed, dict):
            continue
        for key in ("image", "thumbnail"):
            url = (embed.get(key) or {}).get("url")
            if (
                isinstance(url, str)
                and url.startswith(ATTACHMENT_SCHEME)
                and url[len(ATTACHMENT_SCHEME) :] not in names
            ):
                _put(
                    errors,
                    ["embeds", str(i), key, "url"],
                    _err(
                        "ATTACHMENT_REFERENCE_UNKNOWN",
                        f"Test double policy: {url} names no file of this message",
                    ),
                )


def validate_message(
    body: dict[str, Any],
    *,
    require_allowed_mentions: bool = True,
    allow_empty: bool = False,
    has_files: bool = False,
    files: list[dict[str, Any]] | None = None,
) -> Errors:
    """Errors of a message create/edit body (channel message, interaction data, follow-up)."""
    errors: Errors = {}
    if files is not None:
        validate_files(body, files, errors)
        has_files = has_files or bool(files)
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        _put(errors, ["content"], _err("BASE_TYPE_STRING", "Must be a string."))
    elif _str_len(content) > MAX_CONTENT:
        _put(errors, ["content"], _max_len(MAX_CONTENT))
    embeds = body.get("embeds")
    if embeds is not None:
        validate_embeds(embeds, errors, ["embeds"])
    components = body.get("components")
    if components is not None:
        validate_components(components, errors, ["components"])
    carries_text = bool(content) or bool(embeds)
    if require_allowed_mentions and carries_text and "allowed_mentions" not in body:
        # Not a Discord rule: the project's policy, enforced by the double so that no reply can
        # ping @everyone or a role by accident.
        _put(
            errors,
            ["allowed_mentions"],
            _err("ALLOWED_MENTIONS_REQUIRED", "Test double policy: allowed_mentions must be set."),
        )
    if not allow_empty and not errors:
        has_payload = (
            carries_text
            or has_files
            or bool(body.get("attachments"))
            or bool(body.get("components"))
            or bool(body.get("sticker_ids"))
            or bool(body.get("poll"))
        )
        if not has_payload:
            # Discord answers {"code": 50006, "message": "Cannot send an empty message"}; the
            # caller turns this marker into that body.
            errors["__empty__"] = True
    return errors


def validate_choices(choices: Any) -> Errors:
    """Errors of an autocomplete result's ``choices`` (under ``data`` in the callback body)."""
    errors: Errors = {}
    if not isinstance(choices, list):
        _put(errors, ["choices"], _err("LIST_TYPE_CONVERT", "Must be an array."))
        return errors
    if len(choices) > MAX_CHOICES:
        _put(errors, ["choices"], _max_len(MAX_CHOICES))
    for i, choice in enumerate(choices):
        name = choice.get("name") if isinstance(choice, dict) else None
        value = choice.get("value") if isinstance(choice, dict) else None
        if not isinstance(name, str) or not 1 <= len(name) <= MAX_CHOICE_NAME:
            _put(errors, ["choices", str(i), "name"], _bad_len(1, MAX_CHOICE_NAME))
        if isinstance(value, str):
            if not 1 <= len(value) <= MAX_CHOICE_VALUE:
                _put(errors, ["choices", str(i), "value"], _bad_len(1, MAX_CHOICE_VALUE))
        elif not isinstance(value, int | float) or isinstance(value, bool):
            _put(errors, ["choices", str(i), "value"], _err("BASE_TYPE_REQUIRED", "Invalid value."))
    return errors


def _name_errors(name: Any, *, chat_input: bool) -> Errors:
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_COMMAND_NAME:
        return _bad_len(1, MAX_COMMAND_NAME)
    if chat_input and (not _NAME_RE.match(name) or name != name.lower()):
        return _err("APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}")
    return {}


def _validate_name(name: Any, errors: Errors, path: list[str], *, chat_input: bool) -> None:
    bad = _name_errors(name, chat_input=chat_input)
    if bad:
        _put(errors, [*path, "name"], bad)


def _validate_description(desc: Any, errors: Errors, path: list[str]) -> None:
    if not isinstance(desc, str) or not 1 <= len(desc) <= MAX_COMMAND_DESCRIPTION:
        _put(errors, [*path, "description"], _bad_len(1, MAX_COMMAND_DESCRIPTION))


def _validate_localizations(
    item: Any,
    errors: Errors,
    path: list[str],
    *,
    chat_input: bool,
    text_limit: int = MAX_COMMAND_DESCRIPTION,
) -> None:
    """`name_localizations` / `description_localizations`: known locales, and each value
    under the same rules as the default it replaces."""
    for key in ("name_localizations", "description_localizations"):
        localized = item.get(key)
        if localized is None:
            continue
        if not isinstance(localized, dict):
            _put(errors, [*path, key], _err("DICT_TYPE_CONVERT", "Only dictionaries may be used."))
            continue
        for locale, text in localized.items():
            here = [*path, key, str(locale)]
            if locale not in LOCALES:
                _put(errors, here, _err("LOCALE_INVALID", f"Invalid locale {locale!r}."))
            elif key == "name_localizations" and "value" not in item:
                bad = _name_errors(text, chat_input=chat_input)
                if bad:
                    _put(errors, here, bad)
            elif not isinstance(text, str) or not 1 <= len(text) <= text_limit:
                _put(errors, here, _bad_len(1, text_limit))


def _validate_options(options: Any, errors: Errors, path: list[str], depth: int) -> None:
    if not options:
        return
    if len(options) > MAX_OPTIONS:
        _put(errors, path, _max_len(MAX_OPTIONS))
    seen_optional = False
    names: set[str] = set()
    for i, opt in enumerate(options):
        here = [*path, str(i)]
        _validate_name(opt.get("name"), errors, here, chat_input=True)
        _validate_description(opt.get("description"), errors, here)
        _validate_localizations(opt, errors, here, chat_input=True)
        if opt.get("name") in names:
            _put(
                errors,
                [*here, "name"],
                _err(
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique"
                ),
            )
        names.add(opt.get("name"))
        otype = opt.get("type")
        if otype in (1, 2):
            if depth >= 2 or (otype == 2 and depth >= 1):
                _put(
                    errors,
                    [*here, "type"],
                    _err(
                        "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                        "Sub-command groups are nested too deeply",
                    ),
                )
            _validate_options(opt.get("options"), errors, [*here, "options"], depth + 1)
            continue
        if opt.get("required"):
            if seen_optional:
                _put(
                    errors,
                    here,
                    _err(
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    ),
                )
        else:
            seen_optional = True
        choices = opt.get("choices")
        if choices:
            if opt.get("autocomplete"):
                _put(
                    errors,
                    [*here, "autocomplete"],
                    _err(
                        "APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE",
                        "Autocomplete cannot be enabled with choices",
                    ),
                )
            _put_tree(errors, here, validate_choices(choices))
            for j, choice in enumerate(choices):
                if isinstance(choice, dict):
                    _validate_localizations(
                        choice,
                        errors,
                        [*here, "choices", str(j)],
                        chat_input=False,
                        text_limit=MAX_CHOICE_NAME,
                    )


def _put_tree(tree: Errors, path: list[str], sub: Errors) -> None:
    for key, value in sub.items():
        if key == "_errors":
            _put(tree, path, {"_errors": value})
        else:
            _put_tree(tree, [*path, key], value)


# Where a command may be installed (0 guild, 1 user) and used (0 guild, 1 bot DM, 2 private
# channel): https://discord.com/developers/docs/interactions/application-commands
INTEGRATION_TYPES = frozenset({0, 1})
CONTEXTS = frozenset({0, 1, 2})


def _validate_reach(cmd: dict[str, Any], errors: Errors, path: list[str]) -> None:
    for key, allowed in (("integration_types", INTEGRATION_TYPES), ("contexts", CONTEXTS)):
        value = cmd.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not value or not set(value) <= allowed:
            _put(
                errors,
                [*path, key],
                _err("BASE_TYPE_CHOICES", f"Value must be a non-empty list of {sorted(allowed)}."),
            )


def validate_commands(commands: Any) -> Errors:
    """Errors of a bulk-overwrite body (``PUT /applications/{app}/commands``)."""
    errors: Errors = {}
    if not isinstance(commands, list):
        _put(errors, [], _err("LIST_TYPE_CONVERT", "Must be an array."))
        return errors
    counts = {1: 0, 2: 0, 3: 0}
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        here = [str(i)]
        ctype = cmd.get("type", 1)
        counts[ctype] = counts.get(ctype, 0) + 1
        _validate_name(cmd.get("name"), errors, here, chat_input=ctype == 1)
        _validate_localizations(cmd, errors, here, chat_input=ctype == 1)
        key = (ctype, cmd.get("name"))
        if key in seen:
            _put(
                errors,
                [*here, "name"],
                _err(
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique: {key[1]}",
                ),
            )
        seen.add(key)
        if ctype == 1:
            _validate_description(cmd.get("description"), errors, here)
            _validate_options(cmd.get("options"), errors, [*here, "options"], 0)
        elif cmd.get("description"):
            _put(
                errors,
                [*here, "description"],
                _err(
                    "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                    "Context menu commands cannot have a description",
                ),
            )
        _validate_reach(cmd, errors, here)
    if counts.get(1, 0) > MAX_GLOBAL_CHAT_COMMANDS:
        _put(errors, [], _max_len(MAX_GLOBAL_CHAT_COMMANDS))
    for ctype in (2, 3):
        if counts.get(ctype, 0) > 15:
            _put(errors, [], _err("APPLICATION_COMMAND_TOO_MANY", "Too many context menu commands"))
    return errors
