"""Speed of the ingestion stages on awkward inputs (pure: no database).

    .venv/bin/python bench/pipeline_bench.py

Prints the seconds `parse` takes, and the most memory it allocated (tracemalloc), on
inputs that once risked slow regular expressions (one huge line, thousands of numbered
items, a wall of punctuation) and on broken ones (empty, white space, binary, cut inside a
character, over the size limit, compressed bombs): each must end in bounded time and
memory with a result or a clear error. A timed test of the first of them moved here: its
limit depended on how busy the machine was.
"""

from __future__ import annotations

import bz2
import gzip
import sys
import time
import tracemalloc
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
    "10,003 numbered items": "\n".join(
        f"{i}.支持企业开展第{i}项技术改造。" for i in range(1, 10004)
    ).encode(),
    "empty": b"",
    "white space only": " \r\n\t\u3000".encode() * 1000,
    "binary": bytes(range(256)) * 4000,
    "cut inside a character": "一、设立专项资金。二、开展融资服务。".encode()[:-2],
    "20 MB": b"1." + b"a" * 19_999_998,
    "gzip bomb (200 MB of zeros)": gzip.compress(b"\x00" * 200_000_000),
    "bzip2 bomb (200 MB of zeros)": bz2.compress(b"\x00" * 200_000_000),
}


def main() -> None:
    for label, data in CASES.items():
        tracemalloc.start()
        start = time.perf_counter()
        try:
            parsed = parse(data, name="bench.txt", agencies=[])
            outcome = f"{len(parsed.measures):5} measures, {len(parsed.warnings)} warnings"
        except IngestError as error:
            outcome = f"refused: {str(error)[:70]}"
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"{label:30} {len(data) / 1e6:6.2f} MB in  {seconds:6.2f} s"
            f"  peak {peak / 1e6:6.1f} MB  {outcome}"
        )


if __name__ == "__main__":
    main()
