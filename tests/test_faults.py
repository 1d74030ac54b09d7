"""kill -9 in the middle of `wirecheck analyze`, then a re-run: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

PLACES = ["Klaipeda", "Gdansk", "Riga", "Tallinn", "Turku", "Rostock", "Kiel", "Liepaja"]
SUBJECTS = ["port authority", "city council", "fisheries agency", "coast guard", "rail operator"]


def _write_documents(root: Path, count: int) -> None:
    rng = random.Random(11)
    root.mkdir()
    for i in range(count):
        place, subject = rng.choice(PLACES), rng.choice(SUBJECTS)
        words = " ".join(
            rng.choice(["harbour", "budget", "ferry", "storm", "repairs", "tender"])
            for _ in range(12)
        )
        body = (
            f"{place.upper()}, Oct {1 + i % 28} - The {subject} of {place} approved plan number {i} "
            f"on Monday, officials said, after {i * 7 % 97} days of talks about {words}.\n"
            f"The decision covers {i % 13 + 2} projects and {i * 3} jobs, according to a statement "
            f"issued by the {subject} late in the evening, and takes effect next month."
        )
        (root / f"doc{i:05d}.txt").write_text(
            f"Headline {i}: {place} {subject} approves plan\n{body}\n"
        )
    (root / "bad.bin").write_bytes(b"\x00\x01\x02" * 100)
    (root / "empty.txt").write_bytes(b"")


def _run(root: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRECHECK_")}
    env.update(HOME=str(root), WIRECHECK_PIPELINE__BATCH_SIZE="7")
    return subprocess.Popen(
        [sys.executable, "-m", "wirecheck", "--db", str(db), "analyze", str(root / "docs")],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_kill_9_mid_run_then_rerun_loses_and_doubles_nothing(tmp_path: Path) -> None:
    count = 400
    _write_documents(tmp_path / "docs", count)
    db = tmp_path / "w.duckdb"
    rng = random.Random(3)
    killed = 0
    for _ in range(4):
        proc = _run(tmp_path, db)
        time.sleep(rng.uniform(1.5, 4.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        if db.exists():
            con = duckdb.connect(str(db), read_only=True)
            # whatever is stored is whole: every article has its dedup verdict and its signature
            orphans = con.execute(
                "SELECT count(*) FROM articles a LEFT JOIN dedup_signatures s ON s.article_id = a.id "
                "WHERE s.article_id IS NULL OR a.syndication_group IS NULL"
            ).fetchone()
            con.close()
            assert orphans == (0,)
    assert killed >= 1, "no trial was killed mid-run; the corpus is too small for this machine"
    final = _run(tmp_path, db)
    assert final.wait(timeout=600) == 1  # the two bad inputs are reported
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (
        count,
        count,
    )
    assert con.execute("SELECT count(*) FROM sightings").fetchone() == (count,)
    assert con.execute(
        "SELECT count(*) FROM articles WHERE syndication_group IS NULL"
    ).fetchone() == (0,)
    failures = con.execute("SELECT input, code FROM failures ORDER BY input").fetchall()
    assert [(Path(i).name, c) for i, c in failures] == [
        ("bad.bin", "WC105"),
        ("empty.txt", "WC104"),
    ]
