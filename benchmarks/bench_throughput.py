"""Throughput and peak memory of `wirecheck analyze` on the demo corpus replicated to N documents.

Each copy differs in bytes (an HTML comment, a trailing page-id line, an extra JSON field) so that
content-derived ids differ and every copy is really cleaned, deduplicated and stored; the copies
are near-duplicates of each other, which also loads the dedup stage.

    python benchmarks/bench_throughput.py examples/corpus --docs 10000 [--workdir /tmp/wc-bench]

Prints documents, wall seconds, documents/s and the peak resident memory of the analyze process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def replicate(corpus: Path, out: Path, target: int) -> int:
    sources = sorted(
        p for p in corpus.rglob("*") if p.is_file() and p.suffix in {".txt", ".html", ".jsonl"}
    )
    records = [
        (p, line)
        for p in sources
        if p.suffix == ".jsonl"
        for line in p.read_text("utf-8").splitlines()
        if line.strip()
    ]
    pages = [p for p in sources if p.suffix != ".jsonl"]
    per_round = len(pages) + len(records)
    rounds = max(1, -(-target // per_round))
    written = 0
    for r in range(rounds):
        folder = out / f"copy{r:05d}"
        folder.mkdir(parents=True)
        for page in pages:
            data = page.read_bytes()
            if page.suffix == ".html":
                data += f"\n<!-- copy {r} -->\n".encode()
            else:
                data += f"\nPage id {r}-{page.stem}\n".encode()
            (folder / page.name).write_bytes(data)
            written += 1
        with (folder / "records.jsonl").open("w", encoding="utf-8") as fh:
            for _, line in records:
                record = json.loads(line)
                record["copy"] = r
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
        if written >= target:
            break
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/wirecheck-throughput"))
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    data = args.workdir / "data"
    count = replicate(args.corpus, data, args.docs)
    db = args.workdir / "bench.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRECHECK_")}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "wirecheck", "--db", str(db), "analyze", str(data), "--json"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if result.returncode not in (0, 1):
        sys.exit(f"analyze failed ({result.returncode}): {result.stderr[-2000:]}")
    summary = json.loads(result.stdout)
    print("| documents | new articles | failures | wall s | docs/s | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {count} | {summary['new_articles']} | {summary['failures']} | {seconds:.1f} "
        f"| {count / seconds:.1f} | {peak_mb:.0f} |"
    )


if __name__ == "__main__":
    main()
