"""The front-ends' own words: their layouts' labels, the Discord bot's notices, the slash
commands' names and descriptions, the feedback buttons and /report's notices.

Declared here beside the engine's (`bot.engine.messages`), in the same registry, so `check`
holds both to the catalogues; front-ends use them as `W.UI_SOURCE_NOTE(...)`.
"""

from __future__ import annotations

from bot.engine.registry import message

# -- words of the front-ends' layouts (plain text, embeds)
UI_DID_YOU_MEAN = message("ui.did_you_mean")
UI_DID_YOU_MEAN_LINE = message("ui.did_you_mean_line", "suggestions")
UI_TRY_LINE = message("ui.try_line", "examples")
UI_FACT_LINE = message("ui.fact_line", "label", "value")  # one fact of a card, in plain text
UI_LIST_LINE = message("ui.list_line", "items")
# The one-line source note under a reply: "Source: 2008 edition, p. 1 · +1 more · as of 2008"
UI_SOURCE_NOTE = message("ui.source_note", "source", "count", optional=("count",))
UI_SOURCE_WHERE = message("ui.source_where", "document", "where")
UI_SOURCE_PAGE = message("ui.source_page", "page")
UI_SOURCE_CONTENTS = message("ui.source_contents")
UI_SOURCE_MORE = message("ui.source_more", "count")
UI_NOTE_PARTS = message("ui.note_parts", "parts")
UI_SOURCES_BUTTON = message("ui.sources_button")
UI_SOURCES_TITLE = message("ui.sources_title")
UI_SOURCE = message("ui.source", "citation")
UI_SOURCES_LABEL = message("ui.sources_label", "count", optional=("count",))
UI_AS_OF_LINE = message("ui.as_of_line", "as_of")
UI_AND_MORE = message("ui.and_more", "count")
UI_AND_MORE_SOURCES = message("ui.and_more_sources", "count")
UI_AND_MORE_HINT = message("ui.and_more_hint")
UI_NO_ANSWER = message("ui.no_answer")

# -- the Discord bot's own notices
DISCORD_FAILURE = message("discord.failure")
DISCORD_NOT_ADMIN = message("discord.not_admin")
DISCORD_COOLDOWN = message("discord.cooldown", "seconds")
DISCORD_COOLDOWN_NOTICE = message("discord.cooldown_notice", "seconds")
DISCORD_GUILD_ONLY = message("discord.guild_only")
DISCORD_BAD_OPTION = message("discord.bad_option")
DISCORD_NOT_HERE = message("discord.not_here")
DISCORD_TOO_LONG = message("discord.too_long", "length", "limit")
DISCORD_STALE_BUTTON = message("discord.stale_button")
DISCORD_NO_TEXT = message("discord.no_text")
DISCORD_MAP_UNAVAILABLE = message("discord.map_unavailable")
DISCORD_RELOADED = message("discord.reloaded", "clusters", "entries")
DISCORD_RELOAD_PROBLEMS = message("discord.reload.problems", "count")
DISCORD_RELOAD_RUNNING = message("discord.reload.running")
DISCORD_RELOAD_TIMED_OUT = message("discord.reload.timed_out")
DISCORD_RELOAD_FAILED = message("discord.reload.failed")

# -- the slash commands' names, descriptions, options and choices, for Discord's command
# localizations (command.NAME.name, command.NAME.description, command.NAME.OPTION.name,
# command.NAME.OPTION.description, command.choice.VALUE). A new command adds a line here.
COMMAND_OPTIONS: dict[str, tuple[str, ...]] = {
    "ask": ("question", "private"),
    "contact": ("region",),
    "region": ("name",),
    "stage": ("stage", "status"),
    "field": ("field",),
    "about": (),
    "help": (),
    "reload": (),
    "map": ("stage", "status", "field"),
    "report": ("since", "format"),
}
COMMAND_CHOICES = ("text", "markdown", "csv", "json")
for _command, _options in COMMAND_OPTIONS.items():
    message(f"command.{_command}.name")
    message(f"command.{_command}.description")
    for _option in _options:
        message(f"command.{_command}.{_option}.name")
        message(f"command.{_command}.{_option}.description")
for _choice in COMMAND_CHOICES:
    message(f"command.choice.{_choice}")
# Context-menu commands have a name only (Discord shows no description for them).
CONTEXT_MENUS = ("ask_kcbot",)
for _menu in CONTEXT_MENUS:
    message(f"command.{_menu}.name")

# -- 👍/👎 feedback buttons under an answer on Discord, and what a click is told
FEEDBACK_UP = message("feedback.up")
FEEDBACK_DOWN = message("feedback.down")
FEEDBACK_THANKS_UP = message("feedback.thanks.up")
FEEDBACK_THANKS_DOWN = message("feedback.thanks.down")
FEEDBACK_INVALID = message("feedback.invalid")
FEEDBACK_UNAVAILABLE = message("feedback.unavailable")
# -- /report's notices (the report itself is for the editors, in English like `check`)
REPORT_OFF = message("discord.report.off")
REPORT_BAD_PERIOD = message("discord.report.bad_period", "value")
