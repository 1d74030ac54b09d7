"""Benchmark wirecheck's HTML path against trafilatura and resiliparse alone, in one run.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_html.py ../shared/data/extraction/scrapinghub

The folder holds ``html/<id>.html.gz`` and ``ground-truth.json`` (``{"<id>": {"articleBody": ...,
"url": ...}}``). Metric (the same as ../shared/eval/extraction_score.py): per document, tokens are
``\\w+`` on lower-cased text, P/R/F1 from the multiset overlap of predicted and gold tokens, an
empty or failed prediction scores 0; the table shows the mean over documents.

Split: the folder has no official split, so the ids, sorted, are cut once: the first 80 are the
*tune* part (every choice in wirecheck.clean.html was made looking only at them), the last 40 are
*held out* (never inspected while tuning). The table reports tune, held-out and all pages.

Speed: only the extraction call is timed (``time.perf_counter``), after one untimed warm-up call;
docs/CPU-s uses the process CPU time of the same calls and is steadier when the machine is busy.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import trafilatura
from resiliparse.extract.html2text import extract_plain_text

import wirecheck.clean.html as wc_html
from wirecheck.clean.furniture import FilteredBody
from wirecheck.errors import WirecheckError

TUNE_DOCS = 80
_WORD = re.compile(r"\w+")

Extractor = Callable[[str, str | None], str]


@dataclass(frozen=True)
class Page:
    id: str
    html: str
    url: str | None
    gold: str


@dataclass(frozen=True)
class Row:
    name: str
    f1: tuple[float, float, float]  # tune, held-out, all
    precision: float
    recall: float
    docs_per_s: float
    docs_per_cpu_s: float
    failed: int


def load(folder: Path) -> list[Page]:
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for doc_id in sorted(gold):
        with gzip.open(folder / "html" / f"{doc_id}.html.gz") as fh:
            html = fh.read().decode("utf-8", errors="replace")
        pages.append(Page(doc_id, html, gold[doc_id].get("url"), gold[doc_id]["articleBody"]))
    return pages


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p_tokens = Counter(_WORD.findall(pred.lower()))
    g_tokens = Counter(_WORD.findall(gold.lower()))
    overlap = sum((p_tokens & g_tokens).values())
    n_pred, n_gold = sum(p_tokens.values()), sum(g_tokens.values())
    p = overlap / n_pred if n_pred else 0.0
    r = overlap / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def measure(name: str, fn: Extractor, pages: list[Page]) -> Row:
    with contextlib.suppress(WirecheckError):  # warm-up: lazy imports, caches
        fn(pages[0].html, pages[0].url)
    scores: list[tuple[float, float, float]] = []
    wall = cpu = 0.0
    failed = 0
    for page in pages:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            text = fn(page.html, page.url)
        except WirecheckError:
            text = ""
            failed += 1
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        scores.append(prf(text, page.gold))
    f1 = [s[2] for s in scores]
    return Row(
        name=name,
        f1=(_mean(f1[:TUNE_DOCS]), _mean(f1[TUNE_DOCS:]), _mean(f1)),
        precision=_mean([s[0] for s in scores]),
        recall=_mean([s[1] for s in scores]),
        docs_per_s=len(pages) / wall if wall else float("inf"),
        docs_per_cpu_s=len(pages) / cpu if cpu else float("inf"),
        failed=failed,
    )


def _trafilatura(**options: Any) -> Extractor:
    def run(html: str, url: str | None) -> str:
        doc: Any = trafilatura.bare_extraction(
            html, url=url, include_comments=False, with_metadata=True, **options
        )
        return (doc.text or "") if doc is not None else ""

    return run


def _resiliparse(html: str, url: str | None) -> str:
    return str(
        extract_plain_text(html, main_content=True, preserve_formatting=True, comments=False)
    )


def _wirecheck(extractor: str) -> Extractor:
    def run(html: str, url: str | None) -> str:
        return wc_html.extract_html(html, url=url, extractor=extractor).body

    return run


def _keep_all(lines: list[str], **_: object) -> FilteredBody:
    return FilteredBody(tuple(lines), (), (), ())


def _wirecheck_without_filter_body(html: str, url: str | None) -> str:
    with mock.patch.object(wc_html, "filter_body", _keep_all):
        return wc_html.extract_html(html, url=url, extractor="auto").body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="folder with html/ and ground-truth.json")
    parser.add_argument("--limit", type=int, default=None, help="first N pages only (smoke test)")
    args = parser.parse_args(argv)
    pages = load(args.data)[: args.limit]
    runs: list[tuple[str, Extractor]] = [
        ("trafilatura (default)", _trafilatura()),
        ("trafilatura favor_precision", _trafilatura(favor_precision=True)),
        ("trafilatura fast", _trafilatura(fast=True)),
        ("resiliparse main_content", _resiliparse),
        ("wirecheck extractor=trafilatura", _wirecheck("trafilatura")),
        ("wirecheck extractor=resiliparse", _wirecheck("resiliparse")),
        ("wirecheck auto, no filter_body", _wirecheck_without_filter_body),
        ("wirecheck auto", _wirecheck("auto")),
    ]
    print(
        f"{len(pages)} pages; split by sorted id: tune = first {min(TUNE_DOCS, len(pages))}, "
        f"held out = the other {max(0, len(pages) - TUNE_DOCS)}"
    )
    header = (
        f"| {'extractor':33s} | F1 all | F1 tune | F1 held | P     | R     "
        f"| docs/s | docs/CPU-s | failed |"
    )
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    for name, fn in runs:
        row = measure(name, fn, pages)
        tune, held, both = row.f1
        print(
            f"| {row.name:33s} | {both:.4f} | {tune:.4f}  | {held:.4f}  | {row.precision:.3f} "
            f"| {row.recall:.3f} | {row.docs_per_s:6.1f} | {row.docs_per_cpu_s:10.1f} "
            f"| {row.failed:6d} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
