"""Engine speed and memory: latency per question, throughput, start-up, peak memory.

Run:  python benchmarks/bench_engine.py [--repeat N] [--json]

Measures, on one core (the engine is single-threaded):
- the shipped knowledge base, with the development set's questions;
- a generated knowledge base of 1,000 clusters and 10,000 FAQ entries, written as YAML and
  loaded through the real loader, with questions drawn from it (exact, typo, Japanese-free
  paraphrase, out of domain);
- start-up to the first answer in a fresh interpreter, and its peak memory (max RSS), the
  way `run` and `ask` start: through the engine cache, cold (empty cache: read, validate,
  build, store) and warm (the same base again: read, check the signature, unpickle).
Prints medians; machines are shared and noisy, so compare ratios, not single runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bot.engine import build_engine
from bot.kb import ReadLimits
from bot.kb.paths import shipped_knowledge_dir

ROOT = Path(__file__).resolve().parents[1]
# The generated base is far beyond the shipped one; its size is the point, so say so.
LARGE_LIMITS = ReadLimits(max_file_bytes=256 * 1024 * 1024, max_nodes=5_000_000)
SYLLABLES = [
    c + v
    for c in ("", "k", "s", "t", "n", "h", "m", "y", "r", "w", "g", "z", "d", "b", "p")
    for v in "aiueo"
]
WORDS = (
    "research innovation university company network region budget science technology "
    "industry partner program office laboratory product market design energy material "
    "device sensor medical health software data system robot water climate transport "
    "policy fund grant startup talent exchange seminar patent license export venture"
).split()


def place_names(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))))
    return sorted(names)


# libyaml's C reader and writer where PyYAML has them: the large base is 10 MB of YAML.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _load(text: str):
    return yaml.load(text, Loader=_FAST_LOADER)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_FAST_DUMPER, allow_unicode=True)


def generate_knowledge(directory: Path, clusters: int, faq_entries: int, seed: int = 7) -> None:
    """A large, valid knowledge base: the shipped documents, fields, intents, lexicon and
    programme, plus generated places, clusters and FAQ entries."""
    rng = random.Random(seed)
    shipped = shipped_knowledge_dir()
    for name in (
        "sources.yaml",
        "organizations.yaml",
        "fields.yaml",
        "intents.yaml",
        "lexicon.yaml",
        "programme.yaml",
        "passages.yaml",
    ):
        shutil.copy(shipped / name, directory / name)
    base = _load((shipped / "clusters.yaml").read_text(encoding="utf-8"))
    field_ids = [f["id"] for f in _load((shipped / "fields.yaml").read_text())["fields"]]
    names = place_names(clusters, rng)
    places = [{"id": f"gen-{n}", "name": n.capitalize(), "aliases": [n + "h"]} for n in names]
    generated = []
    for index, place in enumerate(places):
        stage = "second" if index % 4 == 0 else "first"
        status = "active" if stage == "second" or index % 3 else "ended"
        generated.append(
            {
                "id": f"{place['id']}-{stage}",
                "name": place["name"].upper(),
                "stage": stage,
                "status": status,
                "fields": rng.sample(field_ids, rng.randint(1, 3)),
                "places": [place["id"]],
                "aliases": [],
                "source": {"doc": "kci-2008", "where": "generated for the benchmark"},
            }
        )
    base["places"] = places
    base["clusters"] = generated
    (directory / "clusters.yaml").write_text(_dump(base))
    # Every place of a cluster needs a location: each generated place names a whole
    # prefecture (an area: no position is invented for it).
    geography = _load((shipped / "geography.yaml").read_text(encoding="utf-8"))
    prefecture_ids = [p["id"] for p in geography["prefectures"]]
    geography["places"] = [
        {
            "id": place["id"],
            "area": "prefecture",
            "prefecture": rng.choice(prefecture_ids),
            "source": {"doc": "japanmap-0.6.0", "where": "generated for the benchmark"},
        }
        for place in places
    ]
    (directory / "geography.yaml").write_text(_dump(geography))
    # The shipped entries stay (the contents list refers to some), the rest are generated.
    faq = _load((shipped / "faq.yaml").read_text(encoding="utf-8"))["faq"]
    for index in range(faq_entries - len(faq)):
        topic = rng.sample(WORDS, 3)
        question = f"what is the {topic[0]} {topic[1]} of {topic[2]} number {index}"
        faq.append(
            {
                "id": f"gen-{index}",
                "topic": topic[0],
                "question": question,
                "alternates": [
                    f"tell me about {topic[1]} {topic[0]} {index}",
                    f"how does {topic[2]} {topic[0]} work {index}",
                    f"{topic[0]} and {topic[1]} for {topic[2]} {index}",
                ],
                "keywords": [f"{topic[0]}{index}"],
                "answer": f"Generated answer {index}.",
                "sources": [{"doc": "kci-2008"}],
            }
        )
    (directory / "faq.yaml").write_text(_dump({"faq": faq}))


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_questions(engine, questions: list[str], repeat: int) -> dict[str, float]:
    for question in questions[:50]:  # warm caches once, as a running bot would have
        engine.ask(question)
    latencies: list[float] = []
    started = time.perf_counter()
    for _ in range(repeat):
        for question in questions:
            begin = time.perf_counter_ns()
            engine.ask(question)
            latencies.append((time.perf_counter_ns() - begin) / 1e6)
    elapsed = time.perf_counter() - started
    return {
        "questions": len(latencies),
        "p50_ms": round(statistics.median(latencies), 4),
        "p99_ms": round(percentile(latencies, 0.99), 4),
        "max_ms": round(max(latencies), 3),
        "questions_per_second": round(len(latencies) / elapsed),
    }


def devset_questions() -> list[str]:
    items = _load((ROOT / "tests" / "devset.yaml").read_text(encoding="utf-8"))
    questions = []
    # A conversation's questions are timed one by one, each on its own.
    flat = [turn for item in items for turn in item.get("turns", [item])]
    for item in flat:
        if "q" in item:
            questions.append(item["q"])
        else:
            spec = item["q_repeat"]
            questions.append(
                spec.get("prefix", "") + spec["text"] * spec["times"] + spec.get("suffix", "")
            )
    return questions


def large_questions(directory: Path, count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    clusters = _load((directory / "clusters.yaml").read_text())["clusters"]
    faq = _load((directory / "faq.yaml").read_text())["faq"]
    questions = []
    for index in range(count):
        kind = index % 5
        if kind == 0:
            questions.append(f"what fields does {rng.choice(clusters)['name'].lower()} cover")
        elif kind == 1:  # a typo in the place name
            name = rng.choice(clusters)["name"].lower()
            cut = rng.randrange(1, len(name) - 1)
            questions.append(f"contact for {name[:cut] + name[cut + 1 :]}")
        elif kind == 2:
            questions.append(rng.choice(faq)["question"])
        elif kind == 3:
            questions.append(rng.choice(rng.choice(faq)["alternates"]))
        else:
            questions.append(
                rng.choice(
                    [
                        "tell me a joke",
                        "what's the weather in tokyo",
                        "asdfghjkl",
                        "how many clusters are there",
                    ]
                )
            )
    return questions


STARTUP_SNIPPET = """
import resource, sys, time
start = time.perf_counter()
from bot.config import EngineCacheSetting
from bot.kb import ReadLimits
from bot.ops.engines import EngineSource
limits = ReadLimits(max_file_bytes=256 * 1024 * 1024, max_nodes=5_000_000)
directory = sys.argv[2] if len(sys.argv) > 2 else None
source = EngineSource(directory, limits, EngineCacheSetting(directory=sys.argv[1]))
knowledge = source.load()  # the engine with its catalogues (bot.app.Knowledge)
knowledge.engine.ask("what fields does hamamatsu cover")
elapsed = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{elapsed:.4f} {peak_kib}")
"""


# As an installed package starts: with its modules' bytecode cached (pip compiles it at
# install). A shell with PYTHONDONTWRITEBYTECODE would otherwise compile ~70 modules from
# source at every start (~65 ms) and measure that instead.
_CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _start_once(directory: Path | None, cache: Path) -> tuple[float, float]:
    args = [sys.executable, "-c", STARTUP_SNIPPET, str(cache)]
    args += [str(directory)] if directory else []
    run = subprocess.run(args, capture_output=True, text=True, check=True, env=_CHILD_ENV)
    output = run.stdout.split()
    return float(output[0]), int(output[1]) / 1024


def startup(directory: Path | None, runs: int) -> dict[str, float]:
    """Fresh interpreter: import + first answer, cold (empty cache) and warm (cached)."""
    cold, warm, peaks = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        _start_once(directory, Path(scratch) / "bytecode")  # writes the modules' bytecode
        for run in range(runs):
            seconds, _ = _start_once(directory, Path(scratch) / f"cold-{run}")
            cold.append(seconds)
        for _ in range(runs):
            seconds, peak = _start_once(directory, Path(scratch) / "cold-0")
            warm.append(seconds)
            peaks.append(peak)
    return {
        "startup_cold_median_s": round(statistics.median(cold), 3),
        "startup_warm_median_s": round(statistics.median(warm), 3),
        "startup_warm_min_s": round(min(warm), 3),
        "peak_rss_warm_mib": round(statistics.median(peaks), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the shipped set")
    parser.add_argument("--large-questions", type=int, default=2000)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    results: dict[str, dict] = {}
    engine = build_engine()
    results["shipped"] = time_questions(engine, devset_questions(), args.repeat)
    results["shipped"].update(startup(None, args.startup_runs))

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        generate_knowledge(directory, clusters=1000, faq_entries=10000)
        begin = time.perf_counter()
        large = build_engine(directory, limits=LARGE_LIMITS)
        build_seconds = time.perf_counter() - begin
        results["large"] = time_questions(
            large, large_questions(directory, args.large_questions), 1
        )
        results["large"]["build_s"] = round(build_seconds, 3)
        results["large"].update(startup(directory, max(1, args.startup_runs // 2)))
        results["large"]["clusters"] = len(large.kb.clusters)
        results["large"]["faq_entries"] = len(large.kb.faq)

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for name, figures in results.items():
        print(f"[{name}]")
        for key, value in figures.items():
            print(f"  {key:22} {value}")
    print(
        "targets: p99 <= 1 ms (shipped), <= 2 ms (large); start-up to first answer "
        "<= 0.15 s (shipped), <= 0.5 s (large)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
