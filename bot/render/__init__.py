"""Renderers at the edge: a LocalizedAnswer laid out as plain text or JSON (Discord's
embeds are in bot.discord_app.render)."""
