"""Speed of the ingestion stages on awkward inputs (pure: no database).

    .venv/bin/python bench/pipeline_bench.py

Prints the seconds `parse` takes on inputs that once risked slow regular expressions:
one huge line, thousands of numbered items, a wall of punctuation. A timed test of the
first of them moved here: its limit depended on how busy the machine was.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT  # noqa: E402

sys.path.insert(0, str(ROOT))

from documents.pipeline import parse  # noqa: E402
from documents.pipeline.errors import IngestError  # noqa: E402

CASES = {
    "one line of 460,000 characters": (
        "支持中小企业发展，力争全年新增企业500家以上。" * 20000
    ).encode(),
    "3,000 numbered items": "\n".join(
        f"{i}.支持中小企业融资，给予贷款贴息{i}万元。" for i in range(1, 3001)
    ).encode(),
    "200,000 punctuation marks": ("，。；：" * 50000).encode(),
}


def main() -> None:
    for label, data in CASES.items():
        start = time.perf_counter()
        try:
            outcome = f"{len(parse(data, name='bench.txt', agencies=[]).measures):5} measures"
        except IngestError as error:
            outcome = f"refused: {error}"
        seconds = time.perf_counter() - start
        print(f"{label:35} {len(data) / 1e6:6.2f} MB  {seconds:6.2f} s  {outcome}")


if __name__ == "__main__":
    main()
