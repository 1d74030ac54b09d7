"""Scale: time and peak memory of `wirecheck analyze` as the corpus grows, and the Ray speed-up.

    python benchmarks/bench_scale.py sizes OUT_DIR --sizes 10000 100000 [--analysis] [--verify]
        [--engine local|ray] [--workers N]
    python benchmarks/bench_scale.py speedup OUT_DIR [--articles 2000] [--verify]

The corpora come from benchmarks/make_corpus.py (seeded: the same size gives the same corpus),
written in JSONL shards of ``--shard-size`` records. Each run is the real command line
(``python -m wirecheck --db DB analyze DIR --json``) in a fresh store; settings go in through
WIRECHECK_* variables. Memory is sampled every 0.2 s over the whole process tree (the command,
its worker processes, and for Ray the local Ray instance it starts): ``peak_tree_mb`` is the
largest sum seen, ``peak_driver_mb`` the command's own largest RSS.

``sizes`` runs each size once and prints docs/s and the ratio of times to the smallest size.
``speedup`` runs the same corpus with analysis on (a) in one local process (pipeline.workers=1)
and (b) with the Ray engine and 2 workers, and prints the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


class Sampler(threading.Thread):
    """Peak RSS of a process and of its whole tree, sampled until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_tree = self.peak_driver = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            pids = _tree(self.pid)
            self.peak_tree = max(self.peak_tree, sum(_rss(p) for p in pids))
            self.peak_driver = max(self.peak_driver, _rss(self.pid))


def make_corpus(out: Path, articles: int, shard_size: int) -> Path:
    target = out / f"corpus-{articles}-{shard_size}"
    if not (target / "MANIFEST.json").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "make_corpus.py"), str(target), "--articles",
             str(articles), "--shard-size", str(shard_size)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return target


def run_analyze(
    corpus: Path, db: Path, *, engine: str, analysis: bool, verify: bool, workers: int
) -> dict[str, Any]:
    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRECHECK_")}
    env.update(
        WIRECHECK_PIPELINE__ENGINE=engine,
        WIRECHECK_PIPELINE__WORKERS=str(workers),
        WIRECHECK_PIPELINE__RAY_WORKERS=str(workers),
        WIRECHECK_ANALYZE__ENABLED=str(analysis).lower(),
        WIRECHECK_VERIFY__ENABLED=str(verify).lower(),
        RAY_USAGE_STATS_ENABLED="0",
    )
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wirecheck", "--db", str(db), "analyze", str(corpus), "--json"],
        env=env, cwd=db.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    sampler = Sampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"analyze exited {proc.returncode}: {stderr.decode()[-2000:]}")
    try:
        summary = json.loads(stdout)
    except ValueError:
        # Keep the time and memory even when the summary is unreadable (seen once at 100k: stdout
        # began with something other than the JSON); show what came out instead.
        print(f"unreadable summary: {stdout[:300]!r}", file=sys.stderr)
        summary = {}
    return {
        "engine": engine,
        "workers": workers,
        "analysis": analysis,
        "verify": verify,
        "documents": summary.get("documents"),
        "articles": summary.get("totals", {}).get("articles"),
        "groups": summary.get("totals", {}).get("syndication_groups"),
        "seconds": round(seconds, 1),
        "docs_per_s": round(summary.get("documents", 0) / seconds, 1),
        "peak_tree_mb": round(sampler.peak_tree / 2**20),
        "peak_driver_mb": round(sampler.peak_driver / 2**20),
        # The machine is shared: the 1-minute load average before and after the run says how
        # much of the 2 vCPUs other work took.
        "load_before": round(load_before, 1),
        "load_after": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    sizes = sub.add_parser("sizes")
    sizes.add_argument("out_dir", type=Path)
    sizes.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    sizes.add_argument("--analysis", action="store_true")
    sizes.add_argument("--verify", action="store_true")
    sizes.add_argument("--engine", choices=["local", "ray"], default="local")
    sizes.add_argument("--workers", type=int, default=2)
    sizes.add_argument("--shard-size", type=int, default=1000)
    speed = sub.add_parser("speedup")
    speed.add_argument("out_dir", type=Path)
    speed.add_argument("--articles", type=int, default=2000)
    speed.add_argument("--verify", action="store_true")
    # Small shards so both Ray workers stay busy to the end (make_corpus writes one JSONL file
    # per shard; the Ray engine never splits a file).
    speed.add_argument("--shard-size", type=int, default=125)
    args = parser.parse_args()
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    if args.what == "sizes":
        for size in args.sizes:
            corpus = make_corpus(out, size, args.shard_size)
            row = run_analyze(
                corpus, out / f"sizes-{size}.duckdb", engine=args.engine,
                analysis=args.analysis, verify=args.verify, workers=args.workers,
            )  # fmt: skip
            rows.append({"size": size, **row})
            print(json.dumps(rows[-1]), flush=True)
        base = rows[0]
        for row in rows:
            row["time_ratio"] = round(row["seconds"] / base["seconds"], 2)
            row["size_ratio"] = round(row["size"] / base["size"], 2)
    else:
        corpus = make_corpus(out, args.articles, args.shard_size)
        for engine, workers in (("local", 1), ("ray", 2)):
            row = run_analyze(
                corpus, out / f"speedup-{engine}.duckdb", engine=engine, analysis=True,
                verify=args.verify, workers=workers,
            )  # fmt: skip
            rows.append(row)
            print(json.dumps(row), flush=True)
        rows.append({"speedup": round(rows[0]["seconds"] / rows[1]["seconds"], 2)})
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
