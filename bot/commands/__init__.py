"""Slash-command groups and the free-text listener, each module a discord.py extension."""
