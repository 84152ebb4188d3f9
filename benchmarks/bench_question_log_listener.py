"""What the question log's listener costs an answer on the answering thread: the record (with
the question's reading, compacted to JSON) and the memory of each conversation's last
question that finds a question asked again.

Run:  python benchmarks/bench_question_log_listener.py [--questions 400] [--rounds 9]

The development set's questions are answered once; then, in interleaved rounds, the same
requests are answered again (the pipeline without listeners) and their responses handed to
a fresh listener in two settings: each question in a conversation of its own (nothing to
pair: the usual case) and seven conversations taking turns within the window (every
question a candidate retry: the worst case, its subject worked out and compared). Medians
over the rounds, in µs per answer, and each listener's cost as a share of the pipeline's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `tests.*` lives in the repository, not the wheel
    sys.path.insert(0, str(ROOT))

from bot.app import Application, Request, Response  # noqa: E402
from bot.storage.questionlog import QuestionLog  # noqa: E402
from tests.support import shipped_knowledge  # noqa: E402
from tests.test_devset import load_devset  # noqa: E402

TAKING_TURNS = 7


def per_answer(responses: Sequence[Response], handle: Callable[[Response], object]) -> float:
    started = time.perf_counter()
    for response in responses:
        handle(response)
    return (time.perf_counter() - started) / len(responses) * 1e6


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    texts = [c["q"] for c in load_devset() if isinstance(c.get("q"), str)][: args.questions]
    app = Application(shipped_knowledge())
    alone = [app.handle(Request("ask", t, conversation=n, via="/ask")) for n, t in enumerate(texts)]
    turns = [
        app.handle(Request("ask", t, conversation=n % TAKING_TURNS, via="/ask"))
        for n, t in enumerate(texts)
    ]
    kept: list[object] = []
    figures: dict[str, list[float]] = {"pipeline": [], "listener, alone": [], "listener, turns": []}
    for _ in range(args.rounds):
        figures["pipeline"].append(per_answer(alone, lambda r: app.handle(r.request)))
        figures["listener, alone"].append(per_answer(alone, QuestionLog(kept.append)))
        figures["listener, turns"].append(per_answer(turns, QuestionLog(kept.append)))
        kept.clear()
    medians = {name: statistics.median(values) for name, values in figures.items()}
    print(f"{len(texts)} questions, {args.rounds} rounds; median µs per answer:")
    for name, value in medians.items():
        share = (
            "" if name == "pipeline" else f"  ({value / medians['pipeline']:.1%} of the pipeline)"
        )
        print(f"  {name:<18}{value:>9.1f}{share}")


if __name__ == "__main__":
    main()
