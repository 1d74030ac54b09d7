"""The real command line, run as a subprocess: exit codes, --json listings, export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from helpers import write_corpus

RECORD_KEYS = {
    "id", "input", "title", "body", "published", "site", "dateline", "agency", "language", "tags",
    "notices", "removed", "syndication_group", "origin", "duplicate_of",
}  # fmt: skip


def wirecheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRECHECK_")}
    env["HOME"] = str(cwd)  # no user settings file leaks in
    return subprocess.run(
        [sys.executable, "-m", "wirecheck", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    write_corpus(root / "corpus")
    result = wirecheck("--db", "w.duckdb", "analyze", "corpus", cwd=root)
    assert result.returncode == 1, result.stderr  # three bad inputs in the corpus
    assert "wrote" in result.stdout and "w.duckdb" in result.stdout
    return root


def test_articles_json_prints_full_records(analyzed: Path) -> None:
    result = wirecheck("--db", "w.duckdb", "articles", "--json", cwd=analyzed)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 4
    for record in records:
        assert record.keys() >= RECORD_KEYS
    show = wirecheck("--db", "w.duckdb", "show", records[0]["id"][:10], "--json", cwd=analyzed)
    shown = json.loads(show.stdout)
    # `show --json` is the article record plus what the verify stage adds: the story, the
    # credibility assessment, and per claim its support, assessment and stance links.
    assert shown.keys() == records[0].keys() | {"story", "credibility"}
    assert {k: v for k, v in shown.items() if k not in ("story", "credibility", "claims")} == {
        k: v for k, v in records[0].items() if k != "claims"
    }
    added = {"support", "credibility", "links"}
    assert [{k: v for k, v in c.items() if k not in added} for c in shown["claims"]] == records[0][
        "claims"
    ]
    assert all(c.keys() >= added for c in shown["claims"])


def test_show_human_readable_lists_what_was_cut(analyzed: Path) -> None:
    records = [
        json.loads(line)
        for line in wirecheck(
            "--db", "w.duckdb", "articles", "--json", cwd=analyzed
        ).stdout.splitlines()
    ]
    txt = next(r for r in records if r["input"].endswith("drills.txt"))
    result = wirecheck("--db", "w.duckdb", "show", txt["id"], cwd=analyzed)
    assert result.returncode == 0
    assert "cut as furniture" in result.stdout
    assert "Back to top" in result.stdout


def test_actors_json(analyzed: Path) -> None:
    result = wirecheck("--db", "w.duckdb", "actors", "--json", cwd=analyzed)
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert rows["LTU"]["type"] == "country" and "LTUMIL" in rows["LTU"]["codes"]
    assert rows["LTU"]["articles"] == 3  # the wire story in three formats
    only = wirecheck("--db", "w.duckdb", "actors", "--type", "organisation", "--json", cwd=analyzed)
    assert all(json.loads(line)["type"] == "organisation" for line in only.stdout.splitlines())


def test_failures_json(analyzed: Path) -> None:
    result = wirecheck("--db", "w.duckdb", "failures", "--json", cwd=analyzed)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["code"] for r in rows} == {"WC104", "WC105", "WC108"}
    assert all(r["message"] and r["stage"] == "ingest" for r in rows)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export(analyzed: Path, fmt: str) -> None:
    out = analyzed / f"export.{fmt}"
    result = wirecheck(
        "--db", "w.duckdb", "export", "--format", fmt, "--out", str(out), cwd=analyzed
    )
    assert result.returncode == 0, result.stderr
    if fmt == "jsonl":
        assert len(out.read_text().splitlines()) == 4
    else:
        reader = "read_parquet" if fmt == "parquet" else "read_csv_auto"
        assert duckdb.sql(f"SELECT count(*) FROM {reader}('{out}')").fetchall() == [(4,)]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert wirecheck("articles", "--limit", "0", cwd=tmp_path).returncode == 2
    assert wirecheck("nosuchcommand", cwd=tmp_path).returncode == 2
    (tmp_path / "wirecheck.toml").write_text("[fetch]\nmax_bytes = 'lots'\n")
    bad = wirecheck("config", cwd=tmp_path)
    assert bad.returncode == 2 and "WC002" in bad.stderr


def test_missing_db_is_a_clear_error(tmp_path: Path) -> None:
    result = wirecheck("--db", "absent.duckdb", "articles", cwd=tmp_path)
    assert result.returncode == 3
    assert "WC404" in result.stderr and "wirecheck analyze" in result.stderr


def test_clean_run_exits_0_and_help_everywhere(tmp_path: Path) -> None:
    from helpers import scraped_page

    (tmp_path / "one.txt").write_text(scraped_page("example.org"))
    result = wirecheck("--db", "x.duckdb", "analyze", "one.txt", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["new_articles"] == 1
    for command in [
        "analyze",
        "ingest",
        "articles",
        "show",
        "actors",
        "failures",
        "export",
        "config",
    ]:
        assert wirecheck(command, "--help", cwd=tmp_path).returncode == 0


def test_train_events_writes_a_model(tmp_path: Path) -> None:
    data = Path(__file__).parent / "fixtures" / "analyze" / "eventtype_tiny.jsonl"
    result = wirecheck("train", "events", str(data), "--out", str(tmp_path / "model"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "model" / "weights.npz").exists()
    assert json.loads(result.stdout)["train_sentences"] > 0
    missing = wirecheck("train", "events", str(tmp_path / "absent"), cwd=tmp_path)
    assert missing.returncode == 2
