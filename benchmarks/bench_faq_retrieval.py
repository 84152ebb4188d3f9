"""FAQ retrieval: the engine's index against BM25 (the `bm25s` library) and the two fused.

Run:  pip install bm25s && python benchmarks/bench_faq_retrieval.py [--queries FILE]

Each labelled question (benchmarks/faq_queries.yaml) is searched; a mechanism is right when
its best entry is the labelled one (top-1 accuracy) and, for the engine, when that entry
also scores enough to be given as the answer (the threshold the bot answers by). BM25 is
run twice: with its own tokenizer (English stop words, words of two or more letters) and
with the engine's terms (stemmed English words, Japanese character bigrams), over one
document per entry (its question, Japanese question and alternates). "fused" is
reciprocal-rank fusion (k = 60) of the engine's ranking and BM25's on the engine's terms.
Prints accuracy per mechanism and the per-question latency of each.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml

from bot.engine import build_engine
from bot.engine.faq import content_terms
from bot.engine.text import Text, normalize
from bot.engine.thresholds import FAQ_ANSWER
from bot.engine.vocabulary import STOPWORDS

QUERIES = Path(__file__).with_name("faq_queries.yaml")
RRF_K = 60


def main() -> None:
    import bm25s  # a benchmark-only dependency: the bot does not need it

    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=Path, default=QUERIES)
    args = parser.parse_args()
    cases = yaml.safe_load(args.queries.read_text(encoding="utf-8"))
    engine = build_engine()
    entries = list(engine.kb.faq)
    ids = [e.id for e in entries]
    texts = [" ".join((e.question, e.question_ja or "", *e.alternates)) for e in entries]

    plain = bm25s.BM25()
    plain.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    ours_terms = [content_terms(normalize(t).split(), STOPWORDS) for t in texts]
    termed = bm25s.BM25()
    termed.index(ours_terms, show_progress=False)

    def rank_bm25(model, tokens) -> list[str]:
        if not tokens:
            return []
        docs, scores = model.retrieve([tokens], k=len(ids), show_progress=False)
        return [ids[d] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    right = {"engine": 0, "engine (answers)": 0, "bm25": 0, "bm25 (our terms)": 0, "fused": 0}
    timings: dict[str, list[float]] = {"engine": [], "bm25 (our terms)": []}
    misses: list[str] = []
    for case in cases:
        query = Text.parse(case["q"])
        started = time.perf_counter()
        hits = engine.faq.search(query, limit=len(ids))
        timings["engine"].append((time.perf_counter() - started) * 1000)
        ours = [h.entry.id for h in hits]
        tokens = content_terms(query.tokens, STOPWORDS)
        started = time.perf_counter()
        termed_rank = rank_bm25(termed, tokens)
        timings["bm25 (our terms)"].append((time.perf_counter() - started) * 1000)
        plain_tokens = bm25s.tokenize(
            [case["q"]], stopwords="en", return_ids=False, show_progress=False
        )[0]
        plain_rank = rank_bm25(plain, plain_tokens)
        fused: dict[str, float] = {}
        for ranking in (ours, termed_rank):
            for position, entry_id in enumerate(ranking):
                fused[entry_id] = fused.get(entry_id, 0.0) + 1 / (RRF_K + position + 1)
        fused_rank = sorted(fused, key=fused.get, reverse=True)
        label = case["entry"]
        results = {
            "engine": ours[:1] == [label],
            "engine (answers)": ours[:1] == [label] and hits[0].score >= FAQ_ANSWER,
            "bm25": plain_rank[:1] == [label],
            "bm25 (our terms)": termed_rank[:1] == [label],
            "fused": fused_rank[:1] == [label],
        }
        for name, ok in results.items():
            right[name] += ok
        if not results["engine (answers)"]:
            got = f"{ours[0]} ({hits[0].score:.2f})" if hits else "nothing"
            misses.append(
                f"  {case['q']!r}: expected {label}, engine {got}, bm25 {termed_rank[:1]}"
            )
    total = len(cases)
    print(f"{total} labelled questions ({Path(args.queries).name})")
    for name, count in right.items():
        print(f"  {name:<18} {count:>3}/{total}  {count / total:6.1%}")
    for name, values in timings.items():
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"  latency {name:<18} median {statistics.median(values):.3f} ms, p99 {p99:.3f} ms")
    if misses:
        print("engine misses (wrong entry, or right entry below the answer threshold):")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
