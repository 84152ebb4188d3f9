"""How fast the map is drawn and served: first render, new views, cached maps.

Run:  python benchmarks/bench_map.py [--processes N] [--cached N] [--json]

- first render: in N fresh processes (the knowledge base loaded, nothing of the map yet:
  outlines, base layer, fonts all on the clock), the first map of all 24 clusters;
- new view: in one warm process, each of 11 views (all, by stage, by status, by field,
  Japanese), first time each;
- cached: the same map asked again, N times (what /map answers from the cache).
Targets (issue 12, on the 2-core machine): first render <= 300 ms, cached <= 5 ms. Since
issue 19 (the map framed on its clusters, labels placed by simulated annealing) a render
costs about 1.3-1.5 times what the fixed frame did. To compare versions, run this script
in a checkout of each, one right after the other.
Prints medians and maxima; the machine is shared and noisy, so compare ratios between runs.
Exits 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIRST_TARGET_MS = 300.0
CACHED_TARGET_MS = 5.0

_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from bot import app
from bot.maps.service import MapService
knowledge = app.load()
view = knowledge.engine.map().map
service = MapService()
started = time.perf_counter()
rendered = service.render(knowledge, view, "en")
print(json.dumps({{"ms": (time.perf_counter() - started) * 1000, "bytes": len(rendered.png)}}))
"""


def first_renders(processes: int) -> list[dict[str, float]]:
    results = []
    for _ in range(processes):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD.format(root=str(ROOT))],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def views(knowledge):
    engine = knowledge.engine
    kb = knowledge.kb
    yield "all", engine.map().map, "en"
    yield "all-ja", engine.map().map, "ja"
    for stage in kb.stages:
        yield f"stage-{stage}", engine.map(stage).map, "en"
    for status in kb.statuses:
        yield f"status-{status}", engine.map(None, status).map, "en"
    for field in kb.fields:
        yield f"field-{field}", engine.map(field=field).map, "en"
    yield "first-ended-ja", engine.map("first", "ended").map, "ja"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=7, help="fresh processes (first render)")
    parser.add_argument("--cached", type=int, default=1000, help="cached requests timed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    from bot import app
    from bot.maps.service import MapService

    cold = first_renders(args.processes)
    knowledge = app.load()
    service = MapService()
    warm_up = knowledge.engine.ask("where is ube").map
    service.render(knowledge, warm_up, "en")  # a view not timed below: fonts, base layer
    new_views = {}
    for name, view, lang in views(knowledge):
        started = time.perf_counter()
        service.render(knowledge, view, lang)
        new_views[name] = (time.perf_counter() - started) * 1000
    everything = knowledge.engine.map().map
    cached = []
    for _ in range(args.cached):
        started = time.perf_counter()
        service.render(knowledge, everything, "en")
        cached.append((time.perf_counter() - started) * 1000)

    report = {
        "first_render_ms": {
            "median": statistics.median(r["ms"] for r in cold),
            "max": max(r["ms"] for r in cold),
            "runs": len(cold),
        },
        "new_view_ms": {
            "median": statistics.median(new_views.values()),
            "max": max(new_views.values()),
            "views": {name: round(ms, 1) for name, ms in new_views.items()},
        },
        "cached_ms": {"median": statistics.median(cached), "max": max(cached), "runs": len(cached)},
        "png_bytes": cold[0]["bytes"],
    }
    ok = (
        report["first_render_ms"]["median"] <= FIRST_TARGET_MS
        and report["cached_ms"]["median"] <= CACHED_TARGET_MS
    )
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        first, new, hit = report["first_render_ms"], report["new_view_ms"], report["cached_ms"]
        print(
            f"first render, fresh process ({first['runs']} runs): median {first['median']:.0f} ms, "
            f"max {first['max']:.0f} ms (target <= {FIRST_TARGET_MS:.0f} ms)"
        )
        print(
            f"new view, warm process ({len(new['views'])} views): median {new['median']:.0f} ms, "
            f"max {new['max']:.0f} ms"
        )
        print(
            f"cached ({hit['runs']} requests): median {hit['median'] * 1000:.1f} µs, "
            f"max {hit['max'] * 1000:.1f} µs (target <= {CACHED_TARGET_MS:.0f} ms)"
        )
        print(f"PNG of all 24 clusters: {report['png_bytes'] / 1024:.0f} KiB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
