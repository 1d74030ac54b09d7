"""Scraped-text cleaning benchmark: article body P/R/F1 and docs/s on whole-page text.

Usage:
    python benchmarks/bench_pagetext.py ../shared/data/extraction/pagetext [--split train|test|all]
        [--out preds.json] [--per-doc]

Data: ``<path>/txt/<id>.txt`` (a page's full visible text) and ``<path>/ground-truth.json``
(``{"<id>": {"articleBody": ...}}``). The metric is the one of ``shared/eval/extraction_score.py``:
``\\w+`` tokens of the lower-cased text, multiset overlap, P/R/F1 per document, then the mean over
documents; an empty prediction scores 0.

Split. The folder has no official split, so this script fixes one to keep the figures honest: ids
sorted, the first 80 are "train" (looked at and tuned on while writing wirecheck.clean.text and
wirecheck.clean.furniture), the last 40 are "test" (never looked at while tuning). ``--split all``
prints train, test and all 120 together.

Rows: "unchanged" returns the page text as is (the reference figure: F1 0.657 on all 120 pages);
"wirecheck" is :func:`wirecheck.clean.text.clean_scraped_text`. docs/s is wall time of the cleaning
call alone, single process.

Measured 2026-11-22 on the 2-core build machine (``--split all``):

    system     split   docs     F1      P      R  docs/s
    unchanged  train     80  0.650  0.515  1.000
    unchanged  test      40  0.670  0.536  0.998
    unchanged  all      120  0.657  0.522  0.999
    wirecheck  train     80  0.936  0.940  0.949   ~330
    wirecheck  test      40  0.854  0.869  0.898   ~330
    wirecheck  all      120  0.909  0.916  0.932   ~330

The gap between train and test is the honest cost of tuning on 80 pages: read the test row as the
figure to expect on unseen pages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from wirecheck.clean.text import clean_scraped_text
from wirecheck.errors import WirecheckError

TRAIN_SIZE = 80
_WORD = re.compile(r"\w+", re.UNICODE)


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p_u = Counter(_WORD.findall(pred.lower()))
    g_u = Counter(_WORD.findall(gold.lower()))
    n_pred, n_gold = sum(p_u.values()), sum(g_u.values())
    overlap = sum((p_u & g_u).values())
    p = overlap / n_pred if n_pred else 0.0
    r = overlap / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def load(path: Path) -> tuple[list[str], dict[str, str], dict[str, str]]:
    gold_raw = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold_raw)
    gold = {i: str(gold_raw[i]["articleBody"]) for i in ids}
    texts = {i: (path / "txt" / f"{i}.txt").read_text(encoding="utf-8") for i in ids}
    return ids, gold, texts


def unchanged(text: str) -> str:
    return text


def wirecheck_body(text: str) -> str:
    try:
        return clean_scraped_text(text).body
    except WirecheckError:
        return ""


def run(
    fn: Callable[[str], str], ids: list[str], texts: dict[str, str]
) -> tuple[dict[str, str], float]:
    fn(texts[ids[0]])  # untimed warm-up: regex compilation, imports
    preds: dict[str, str] = {}
    elapsed = 0.0
    for i in ids:
        t0 = time.perf_counter()
        preds[i] = fn(texts[i])
        elapsed += time.perf_counter() - t0
    return preds, elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("data", type=Path, help="the pagetext folder (txt/ and ground-truth.json)")
    ap.add_argument("--split", choices=["train", "test", "all"], default="all")
    ap.add_argument("--out", type=Path, help="write wirecheck's predictions as JSON here")
    ap.add_argument("--per-doc", action="store_true", help="print per-document scores (wirecheck)")
    args = ap.parse_args(argv)

    ids, gold, texts = load(args.data)
    splits = {"train": ids[:TRAIN_SIZE], "test": ids[TRAIN_SIZE:], "all": ids}
    shown = ["train", "test", "all"] if args.split == "all" else [args.split]
    run_ids = splits[args.split]

    header = ("system", "split", "docs", "F1", "P", "R", "empty", "docs/s")
    print("{:<10} {:<6} {:>5} {:>6} {:>6} {:>6} {:>5} {:>8}".format(*header))
    for name, fn in (("unchanged", unchanged), ("wirecheck", wirecheck_body)):
        preds, elapsed = run(fn, run_ids, texts)
        for split in shown:
            sids = splits[split]
            scores = [prf(preds[i], gold[i]) for i in sids]
            k = len(scores)
            p = sum(s[0] for s in scores) / k
            r = sum(s[1] for s in scores) / k
            f = sum(s[2] for s in scores) / k
            empty = sum(1 for i in sids if not preds[i].strip())
            rate = len(run_ids) / elapsed if elapsed else float("inf")
            print(f"{name:<10} {split:<6} {k:>5} {f:6.3f} {p:6.3f} {r:6.3f} {empty:>5} {rate:8.1f}")
        if name == "wirecheck" and args.per_doc:
            for i in run_ids:
                p, r, f = prf(preds[i], gold[i])
                print(f"  {ids.index(i):>3} {i[:12]} F1={f:.3f} P={p:.3f} R={r:.3f}")
        if name == "wirecheck" and args.out:
            args.out.write_text(
                json.dumps({i: {"articleBody": preds[i]} for i in run_ids}, ensure_ascii=False),
                encoding="utf-8",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
