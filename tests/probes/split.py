"""Split a probe file into tune (odd) and hold (even) halves, per section, keeping headers."""
import re, sys
for name in sys.argv[1:]:
    lines = open(f"{name}.yaml", encoding="utf-8").read().split("\n")
    out = {"tune": [], "hold": []}
    n = 0
    for line in lines:
        if re.match(r"\s*-\s*\{?\s*(q|turns)\s*:", line):
            out["tune" if n % 2 == 0 else "hold"].append(line)
            n += 1
        else:
            for k in out:
                out[k].append(line)
    for k, v in out.items():
        open(f"{k}_{name}.yaml", "w", encoding="utf-8").write("\n".join(v))
