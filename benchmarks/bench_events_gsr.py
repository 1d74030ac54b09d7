"""Event coding on the PLOVER gold-standard records: type accuracy, actor codes and the
(source, target, type) triple F1, with wirecheck's whole analyze stage.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_events_gsr.py ../shared/data/events/plover_gsr

Data: ``gold.jsonl`` (322 edited CAMEO-manual sentences, CC BY-SA 4.0, Open Event Data Alliance;
see its SOURCE.txt). The GSR is coded in PLOVER 0.5 names; they are mapped to the later names
wirecheck uses (DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, FIGHT -> ASSAULT, CONCEDE/RETREAT ->
YIELD); INVESTIGATE records are left out (no such type any more). Overlap warning from the
SOURCE.txt: 271 GSR sentences are in the PLV *test* split. The event-type model is trained on the
PLV *train* split only, so nothing scored here was trained on.

Per sentence: type accuracy = the type of wirecheck's most confident event equals the gold type.
Triples compare country parts of codes (first three letters): gold triples are every
(source, target, type) of the record (a target-less record gives (source, "", type)); wirecheck's
are those of all its events in the sentence. Dates are placeholders, so articles have no date.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from wirecheck.analyze import analyze_article, load_resources
from wirecheck.analyze.cameo import plv_label
from wirecheck.models import Article, DocumentKind
from wirecheck.settings import Settings

RENAMED = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT"}
LEGACY = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def country(code: str | None) -> str:
    part = (code or "")[:3]
    return LEGACY.get(part, part)


def gold_type(event: str) -> str:
    return plv_label(RENAMED.get(event, event))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="the plover_gsr folder")
    args = ap.parse_args()
    rows = [json.loads(line) for line in (args.data / "gold.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if r["event"] != "INVESTIGATE"]
    settings = Settings()
    resources = load_resources(settings.analyze)
    typed = typed_ok = 0
    tp = fp = fn = 0
    for row in rows:
        article = Article(
            id=row["id"], input=row["id"], kind=DocumentKind.TEXT, title=None, body=row["text"],
        )  # fmt: skip
        events = analyze_article(article, resources, max_chars=10_000).events
        want_type = gold_type(row["event"])
        typed += 1
        if events:
            best = max(events, key=lambda e: e.confidence)
            typed_ok += plv_label(best.plover) == want_type
        gold = {
            (country(s["code"]), country(t["code"]) if t else "", want_type)
            for s in row["source"] or [{"code": ""}]
            for t in (row["target"] or [None])
        }
        got = {
            (country(s), country(t), plv_label(e.plover))
            for e in events
            for s in (e.source or ("",))
            for t in (e.target or ("",))
        }
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{typed} GSR sentences (INVESTIGATE left out)")
    print("| metric | value |")
    print("|---|---|")
    print(f"| type accuracy (most confident event) | {typed_ok / typed:.3f} |")
    print(f"| (source, target, type) triple precision | {precision:.3f} |")
    print(f"| triple recall | {recall:.3f} |")
    print(f"| triple F1 | {f1:.3f} |")


if __name__ == "__main__":
    main()
