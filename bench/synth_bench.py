"""Speed of the synthetic measure generator (pure Python: no Django, no database).

    .venv/bin/python bench/synth_bench.py [N] [RUNS]      (defaults 100000, 3)

Prints measures/s of each run and the best. It used to be a test asserting 200,000/s,
which failed on a busy machine; a rate is a figure to watch, not a pass/fail.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT  # noqa: E402

sys.path.insert(0, str(ROOT))

from measures.synth import load_sentences, synth_measures  # noqa: E402

YEARS = range(2015, 2027)


def main(n: int, runs: int) -> None:
    zh, en = load_sentences(ROOT / "fixtures" / "seeds")
    rates = []
    for attempt in range(runs):
        start = time.perf_counter()
        count = sum(
            1
            for _ in synth_measures(
                n, rng_seed=attempt, zh=zh, en=en, agency_count=1000, years=YEARS
            )
        )
        seconds = time.perf_counter() - start
        rates.append(count / seconds)
        print(f"run {attempt + 1}: {count:,} measures in {seconds:.2f} s = {rates[-1]:,.0f}/s")
    print(f"best {max(rates):,.0f} measures/s, median {sorted(rates)[len(rates) // 2]:,.0f}/s")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 3,
    )
