"""tools/sync_other_programme.py: the shared grammar is copied, each base's own words and
comments stay."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "tools" / "sync_other_programme.py"
_SPEC = importlib.util.spec_from_file_location("sync_other_programme", _PATH)
sync = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(sync)

SHIPPED = """# Grammar: Kyoto's own example.
function:
  en: [a, the, gimme]
  ja: [の]

nouns:
  cluster: [cluster]
# Negation: "other than Kyoto".
negation: [not, no longer]
programme: [initiative]
"""
OTHER = """# Grammar: Aomori's example.
function:
  en: [a, the]
  ja: [の]

nouns:
  cluster: [hub]
# Negation: "other than Aomori".
negation: [not]
programme: [hub programme]
"""


def test_the_grammar_is_copied_and_the_base_s_own_words_and_comments_stay():
    synced = sync.synced_lexicon(SHIPPED, OTHER)
    assert "en: [a, the, gimme]" in synced
    assert "negation: [not, no longer]" in synced
    assert "cluster: [hub]" in synced
    assert "programme: [hub programme]" in synced
    assert "Aomori's example" in synced
    assert "other than Aomori" in synced
    assert "Kyoto" not in synced


def test_a_synced_lexicon_is_left_as_it_is():
    once = sync.synced_lexicon(SHIPPED, OTHER)
    assert sync.synced_lexicon(SHIPPED, once) == once


def test_the_shipped_test_base_is_in_step():
    assert sync.planned() == {}, "run python tools/sync_other_programme.py"
