"""Reading a knowledge-base file safely: what is opened is what is checked."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.kb import _yaml

ROOT = Path(__file__).resolve().parents[1]
SWAP_SECONDS = 2.0

# Renames a FIFO and a regular file over `target` in turn until the deadline.
SWAPPER = textwrap.dedent(
    """
    import os, sys, time
    folder, seconds = sys.argv[1], float(sys.argv[2])
    target = os.path.join(folder, "faq.yaml")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for source in ("fifo", "regular"):
            os.link(os.path.join(folder, source), os.path.join(folder, "next"))
            os.replace(os.path.join(folder, "next"), target)
    """
)
# Reads `target` in a loop until the deadline; prints how the reads ended.
READER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from bot.kb import _yaml
    folder, seconds = Path(sys.argv[1]), float(sys.argv[2])
    deadline = time.monotonic() + seconds
    outcomes = {}
    while time.monotonic() < deadline:
        try:
            _yaml.read_text(folder / "faq.yaml")
            outcome = "read"
        except _yaml.FileRefused as refused:
            outcome = refused.message
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(outcomes)
    """
)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_renamed_over_the_file_while_reading_never_blocks(tmp_path):
    """A FIFO swapped in between the check and the open is refused, never waited on."""
    (tmp_path / "regular").write_text("faq: []\n", encoding="utf-8")
    os.mkfifo(tmp_path / "fifo")
    os.link(tmp_path / "regular", tmp_path / "faq.yaml")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [str(tmp_path), str(SWAP_SECONDS)]
    swapper = subprocess.Popen([sys.executable, "-c", SWAPPER, *args])
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, *args], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        output, _ = reader.communicate(timeout=SWAP_SECONDS + 20)
    except subprocess.TimeoutExpired:
        reader.kill()
        reader.communicate()
        pytest.fail("reading the file blocked on a FIFO swapped in under it")
    finally:
        swapper.wait(timeout=SWAP_SECONDS + 20)
    assert reader.returncode == 0
    outcomes = ast.literal_eval(output)
    assert outcomes.get("read", 0) > 0  # the swap really alternated
    assert set(outcomes) <= {"read", "not a regular file"}


def test_fifo_is_refused_at_once(tmp_path):
    """A FIFO in place of a file is refused as not a regular file, without waiting."""
    os.mkfifo(tmp_path / "faq.yaml")
    with pytest.raises(_yaml.FileRefused, match="not a regular file"):
        _yaml.read_text(tmp_path / "faq.yaml")
