"""Fuzz: generated inputs of every ingest kind, good and broken, through the whole pipeline.

No exception escapes, no input is a bug (WC900), every failure is in the store's failure log
with a stable code, every input shows up (stored or failed), and every good input is stored
exactly once. The 10k-input run is benchmarks/bench_faults.py (figures in
benchmarks/RESULTS-scale.md); this test runs 1,500 inputs through the spine and 80 through the
full analysis.
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from pathlib import Path

import duckdb

import wirecheck.errors
from fuzz_inputs import Case, write_cases
from wirecheck.pipeline import RunSummary, analyze
from wirecheck.settings import Settings
from wirecheck.store import open_store

CODES = {
    cls.code
    for _, cls in inspect.getmembers(wirecheck.errors, inspect.isclass)
    if issubclass(cls, wirecheck.errors.WirecheckError)
}
_CASE = re.compile(r"^(.*/\d{6}\.[a-z]+(?:\.[a-z]+)?)(?:[:#].*)?$")


def case_of(locator: str) -> str:
    match = _CASE.match(locator)
    assert match, locator
    return match.group(1)


def check_accounting(cases: list[Case], db: Path, summary: RunSummary) -> dict[str, int]:
    """The fuzz invariants over a finished run; returns counts for the report."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles = con.execute("SELECT id, input FROM articles").fetchall()
        sightings = con.execute("SELECT article_id, input FROM sightings").fetchall()
        failures = con.execute("SELECT input, stage, code, attempts FROM failures").fetchall()
    finally:
        con.close()
    assert len({a[0] for a in articles}) == len(articles), "an article is stored twice"
    stored = {a[0] for a in articles}
    assert {s[0] for s in sightings} == stored, "an article without a sighting, or vice versa"
    codes = Counter(f[2] for f in failures)
    assert set(codes) <= CODES, codes
    assert "WC900" not in codes, [f for f in failures if f[2] == "WC900"][:5]
    # The log keeps one row per (input, stage, code): two damaged members of one archive are
    # one row with two attempts. Every failure of the run is counted there.
    logged = Counter((f.input, f.stage, f.code) for f in summary.failures)
    assert logged == Counter({f[:3]: f[3] for f in failures}), "the failure log lost one"

    seen_articles = Counter(case_of(a[1]) for a in articles)
    seen_sightings = Counter(case_of(s[1]) for s in sightings)
    failed = Counter(case_of(f[0]) for f in failures)
    good = broken = 0
    for case in cases:
        if case.articles is not None:
            good += 1
            assert failed[case.name] == 0, (case.name, [f for f in failures if case.name in f[0]])
            assert seen_articles[case.name] == case.articles, case.name
            assert seen_sightings[case.name] == case.articles, case.name
        else:
            broken += 1
            assert seen_sightings[case.name] + failed[case.name] > 0, f"{case.name} vanished"
    return {
        "inputs": len(cases),
        "good": good,
        "broken": broken,
        "articles": len(articles),
        "failures": len(failures),
    }


def fuzz(tmp_path: Path, settings: Settings, count: int, seed: int) -> dict[str, int]:
    cases = write_cases(tmp_path / "in", count, seed)
    db = tmp_path / "fuzz.duckdb"
    with open_store(db) as store:
        summary = analyze([str(tmp_path / "in")], settings=settings, store=store)
    return check_accounting(cases, db, summary)


def test_fuzz_spine(tmp_path: Path, settings: Settings) -> None:
    spine = settings.replace({"analyze": {"enabled": False}, "verify": {"enabled": False}})
    counts = fuzz(tmp_path, spine, 1500, seed=7)
    assert counts["good"] == 675 and counts["broken"] == 825
    assert counts["articles"] > counts["good"] and counts["failures"] > 0


def test_fuzz_full_pipeline(tmp_path: Path, settings: Settings) -> None:
    counts = fuzz(tmp_path, settings, 80, seed=8)
    assert counts["articles"] > 0 and counts["failures"] > 0
