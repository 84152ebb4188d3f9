"""A start from the engine cache reads no YAML: what only building needs (the YAML parser,
the loaders, the installed packages' metadata) is not imported, so a cached start costs
the unpickling and the engine's own modules only."""

from __future__ import annotations

import json
import subprocess
import sys

START_FROM_THE_CACHE = """
import json, sys
from bot.config import EngineCacheSetting
from bot.ops.engines import EngineSource
source = EngineSource(None, cache=EngineCacheSetting(directory=sys.argv[1]))
knowledge = source.load()
answer = knowledge.engine.ask("what fields does hamamatsu cover")
print(json.dumps({
    "answered": answer.answered,
    "imported": sorted(
        name for name in ("yaml", "bot.kb.loader", "bot.i18n.loading", "importlib.metadata")
        if name in sys.modules
    ),
}))
"""


def started(cache_dir) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", START_FROM_THE_CACHE, str(cache_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(run.stdout)


def test_a_start_from_the_cache_imports_no_yaml_reading(tmp_path):
    cold = started(tmp_path)  # builds the engine and stores it
    assert cold["answered"]
    assert "yaml" in cold["imported"]  # the build read the files
    warm = started(tmp_path)
    assert warm["answered"]
    assert warm["imported"] == []
