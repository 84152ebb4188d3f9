"""The Discord front-end: client, rendering, limits and the runner.

Only this package, `bot.commands` and `bot.cli` may import discord (ruff banned-api).
"""
