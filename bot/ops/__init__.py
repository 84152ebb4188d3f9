"""Operations: building the engine out of the bot's way, caching it, and safe I/O.

Nothing here knows what an engine contains: whatever `build_engine` returns is built, pickled,
cached and handed over as it is. No discord import (ruff's banned-api).
"""
