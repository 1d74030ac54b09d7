"""What corroboration adds to the credibility assessment, on an analysed store.

A style model alone reads one article at a time; it cannot tell a well-written false report from
a true one, nor notice that two outlets disagree. This script takes a store that `wirecheck
analyze` has filled (e.g. the demo: `bash scripts/demo.sh`, then `out/demo.duckdb`) and compares,
per article and per claim, the band the shipped model gives with everything against the band it
gives from the single-article signals alone (the corroboration, contradiction, track-record and
source-rating contributions removed from the log-odds, and no source counts for the band rules).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_corroboration.py out/demo.duckdb
"""

from __future__ import annotations

import argparse
import math
from collections import Counter
from pathlib import Path

from wirecheck.models import Assessment
from wirecheck.store import open_store
from wirecheck.verify.credibility import BANDS, band_for

# Signals that come from other articles (or from outside the article), not from its own text.
CORPUS_SIGNALS = ("corroboration", "contradiction", "source.track_record", "source.rating")


def _logit(score: float) -> float:
    p = min(max(score / 100.0, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def alone(assessment: Assessment) -> tuple[float, str]:
    """Score and band from the article's (or claim's) own signals only."""
    removed = sum(s.contribution for s in assessment.signals if s.name.startswith(CORPUS_SIGNALS))
    logit = _logit(assessment.score) - removed
    score = 100.0 / (1.0 + math.exp(-logit))
    return score, band_for(score, support=0, contradict=0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path, help="an analysed wirecheck store")
    args = ap.parse_args()
    with open_store(args.db, read_only=True) as store:
        for kind in ("article", "claim"):
            rows = store.assessments(kind=kind)
            moved = Counter((alone(a)[1], a.band) for a in rows)
            print(f"\n{kind}s: {len(rows)}; band from own signals (rows) -> with corroboration")
            print("| own signals only | " + " | ".join(BANDS) + " |")
            print("|---|" + "---|" * len(BANDS))
            for before in BANDS:
                cells = [str(moved.get((before, after), 0)) for after in BANDS]
                print(f"| {before} | " + " | ".join(cells) + " |")
            changed = sum(n for (b, a), n in moved.items() if b != a)
            shift = [abs(a.score - alone(a)[0]) for a in rows]
            print(
                f"changed band: {changed} of {len(rows)}; mean |score change| "
                f"{sum(shift) / max(len(shift), 1):.1f} points"
            )


if __name__ == "__main__":
    main()
