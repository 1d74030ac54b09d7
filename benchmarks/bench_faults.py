"""Faults and bad input, at full size: a fuzz run and kill -9 trials.

    python benchmarks/bench_faults.py fuzz OUT_DIR [--inputs 10000] [--seed 7] [--analysis]
    python benchmarks/bench_faults.py kill OUT_DIR [--documents 10000] [--trials 5]
        [--engine local|ray] [--analysis] [--seed 3]

``fuzz`` writes ``--inputs`` generated inputs of every ingest kind, good and broken
(tests/fuzz_inputs.py), runs them through ``wirecheck.pipeline.analyze`` (the spine unless
``--analysis``) and checks the fuzz invariants of tests/test_fuzz_ingest.py: no exception, no
WC900, every failure in the log, every input stored or failed, every good input stored once.

``kill`` writes ``--documents`` text articles plus two bad files, measures one clean run of
``wirecheck analyze``, then for each trial starts a fresh store, kills the command with SIGKILL at
a random point of the run, checks that the store holds only whole batches, and re-runs the same
command: every document must be stored exactly once, the failure log must hold exactly the two
bad files. Prints one row per trial and a JSON summary (losses and doubles must be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

PLACES = ["Klaipeda", "Gdansk", "Riga", "Tallinn", "Turku", "Rostock", "Kiel", "Liepaja"]
SUBJECTS = ["port authority", "city council", "fisheries agency", "coast guard", "rail operator"]
TOPICS = ["harbour", "budget", "ferry", "storm", "repairs", "tender", "bridge", "school"]


# -- fuzz -----------------------------------------------------------------------------------------
def run_fuzz(out: Path, inputs: int, seed: int, analysis: bool) -> dict[str, Any]:
    from fuzz_inputs import write_cases
    from test_fuzz_ingest import check_accounting
    from wirecheck.pipeline import analyze
    from wirecheck.settings import load_settings
    from wirecheck.store import open_store

    settings = load_settings(search_user_files=False, environ={})
    if not analysis:
        settings = settings.replace({"analyze": {"enabled": False}, "verify": {"enabled": False}})
    out.mkdir(parents=True, exist_ok=False)
    cases = write_cases(out / "in", inputs, seed)
    db = out / "fuzz.duckdb"
    started = time.perf_counter()
    with open_store(db) as store:
        summary = analyze([str(out / "in")], settings=settings, store=store)
    seconds = time.perf_counter() - started
    counts = check_accounting(cases, db, summary)  # raises on any broken invariant
    con = duckdb.connect(str(db), read_only=True)
    codes = dict(
        con.execute("SELECT code, sum(attempts) FROM failures GROUP BY 1 ORDER BY 1").fetchall()
    )
    con.close()
    return {
        **counts,
        "analysis": analysis,
        "seed": seed,
        "documents": summary.documents,
        "failure_codes": {k: int(v) for k, v in codes.items()},
        "internal_errors": int(codes.get("WC900", 0)),
        "seconds": round(seconds, 1),
        "invariants": "all held",
    }


# -- kill -9 -------------------------------------------------------------------------------------
def write_documents(root: Path, count: int) -> None:
    rng = random.Random(11)
    root.mkdir(parents=True)
    for i in range(count):
        folder = root / f"{i // 1000:03d}"
        folder.mkdir(exist_ok=True)
        place, subject = rng.choice(PLACES), rng.choice(SUBJECTS)
        words = " ".join(rng.choice(TOPICS) for _ in range(14))
        (folder / f"doc{i:06d}.txt").write_text(
            f"Headline {i}: {place} {subject} approves plan\n"
            f"{place.upper()}, Oct {1 + i % 28} - The {subject} of {place} approved plan number "
            f"{i} on Monday, officials said, after {i * 7 % 97} days of talks about {words}.\n"
            f"The decision covers {i % 13 + 2} projects and {i * 3} jobs, according to a "
            f"statement issued by the {subject} late in the evening, and takes effect next month.\n"
        )
    (root / "bad.bin").write_bytes(b"\x00\x01\x02" * 100)
    (root / "empty.txt").write_bytes(b"")


def command(docs: Path, db: Path, engine: str, analysis: bool) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRECHECK_")}
    env.update(
        WIRECHECK_PIPELINE__ENGINE=engine,
        WIRECHECK_ANALYZE__ENABLED=str(analysis).lower(),
        WIRECHECK_VERIFY__ENABLED=str(analysis).lower(),
        RAY_USAGE_STATS_ENABLED="0",
    )
    return [sys.executable, "-m", "wirecheck", "--db", str(db), "analyze", str(docs)], env


def check_partial(db: Path, analysis: bool) -> dict[str, int]:
    """What a killed run left: only whole batches (each article with its signature, dedup
    verdict, sighting and, with analysis, its analysis version)."""
    if not db.exists():
        return {"articles": 0, "half_written": 0, "doubled": 0}
    con = duckdb.connect(str(db), read_only=True)
    try:
        total, distinct = con.execute(
            "SELECT count(*), count(DISTINCT id) FROM articles"
        ).fetchone()  # type: ignore[misc]
        half = con.execute(
            "SELECT count(*) FROM articles a LEFT JOIN dedup_signatures s ON s.article_id = a.id "
            "WHERE s.article_id IS NULL OR a.syndication_group IS NULL "
            "OR NOT EXISTS (SELECT 1 FROM sightings g WHERE g.article_id = a.id)"
            + (" OR a.analysis_version IS NULL" if analysis else "")
        ).fetchone()[0]  # type: ignore[index]
    finally:
        con.close()
    return {"articles": int(total), "half_written": int(half), "doubled": int(total - distinct)}


def check_final(db: Path, count: int) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        total, distinct = con.execute(
            "SELECT count(*), count(DISTINCT id) FROM articles"
        ).fetchone()  # type: ignore[misc]
        sightings = con.execute("SELECT count(*) FROM sightings").fetchone()[0]  # type: ignore[index]
        failures = con.execute("SELECT input, code FROM failures ORDER BY input").fetchall()
    finally:
        con.close()
    expected = [("bad.bin", "WC105"), ("empty.txt", "WC104")]
    return {
        "stored": int(total),
        "lost": count - int(distinct),
        "doubled": int(total - distinct),
        "sightings": int(sightings),
        "failure_log_intact": int([(Path(i).name, c) for i, c in failures] == expected),
    }


def run_kills(
    out: Path, documents: int, trials: int, engine: str, analysis: bool, seed: int
) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=False)
    docs = out / "docs"
    write_documents(docs, documents)
    args, env = command(docs, out / "clean.duckdb", engine, analysis)
    started = time.perf_counter()
    code = subprocess.run(args, env=env, cwd=out, capture_output=True).returncode
    clean_seconds = time.perf_counter() - started
    assert code == 1, f"the clean run exited {code}"  # 1: the two bad inputs
    assert check_final(out / "clean.duckdb", documents)["lost"] == 0
    rng = random.Random(seed)
    rows = []
    for trial in range(trials):
        db = out / f"trial{trial}.duckdb"
        args, env = command(docs, db, engine, analysis)
        kill_at = rng.uniform(0.05, 0.95) * clean_seconds
        proc = subprocess.Popen(
            args, env=env, cwd=out, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            proc.wait(timeout=kill_at)
            killed = False
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed = True
        partial = check_partial(db, analysis)
        rerun_started = time.perf_counter()
        rerun_code = subprocess.run(args, env=env, cwd=out, capture_output=True).returncode
        final = check_final(db, documents)
        rows.append(
            {
                "trial": trial,
                "kill_at_s": round(kill_at, 1),
                "killed": killed,
                "stored_at_kill": partial["articles"],
                "half_written": partial["half_written"],
                "doubled_at_kill": partial["doubled"],
                "rerun_exit": rerun_code,
                "rerun_s": round(time.perf_counter() - rerun_started, 1),
                **final,
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return {
        "documents": documents,
        "engine": engine,
        "analysis": analysis,
        "clean_run_s": round(clean_seconds, 1),
        "trials": trials,
        "killed": sum(r["killed"] for r in rows),
        "losses": sum(r["lost"] for r in rows),
        "doubles": sum(r["doubled"] + r["doubled_at_kill"] for r in rows),
        "half_written": sum(r["half_written"] for r in rows),
        "failure_logs_intact": sum(r["failure_log_intact"] for r in rows),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    fuzz = sub.add_parser("fuzz")
    fuzz.add_argument("out_dir", type=Path)
    fuzz.add_argument("--inputs", type=int, default=10_000)
    fuzz.add_argument("--seed", type=int, default=7)
    fuzz.add_argument("--analysis", action="store_true")
    kill = sub.add_parser("kill")
    kill.add_argument("out_dir", type=Path)
    kill.add_argument("--documents", type=int, default=10_000)
    kill.add_argument("--trials", type=int, default=5)
    kill.add_argument("--engine", choices=["local", "ray"], default="local")
    kill.add_argument("--analysis", action="store_true")
    kill.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    if args.what == "fuzz":
        result = run_fuzz(args.out_dir, args.inputs, args.seed, args.analysis)
    else:
        result = run_kills(
            args.out_dir, args.documents, args.trials, args.engine, args.analysis, args.seed
        )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
