"""Split probe files into a tuning half (the 1st, 3rd, ... case) and a held-out half (the
others), keeping the section headers: `python split.py probe_a probe_b` writes
tune_probe_a.yaml, hold_probe_a.yaml, ... beside them."""

import re
import sys
from pathlib import Path

CASE = re.compile(r"\s*-\s*\{?\s*(q|turns)\s*:")


def split(name: str) -> None:
    lines = Path(f"{name}.yaml").read_text(encoding="utf-8").split("\n")
    halves: dict[str, list[str]] = {"tune": [], "hold": []}
    cases = 0
    for line in lines:
        if CASE.match(line):
            halves["tune" if cases % 2 == 0 else "hold"].append(line)
            cases += 1
        else:
            for kept in halves.values():
                kept.append(line)
    for half, kept in halves.items():
        Path(f"{half}_{name}.yaml").write_text("\n".join(kept), encoding="utf-8")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        split(argument)
