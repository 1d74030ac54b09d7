"""Benchmark the sentence-level event-type classifier (wirecheck.analyze.eventtype).

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_event_type.py ../shared/data/events/plv_event_coding
        [--model DIR] [--folds 5] [--no-cv] [--cv-only]

DATA_DIR holds ``gold.jsonl`` of the PLV event-coding set (He et al.; research/evaluation use only):
2,083 sentences with one of 15 PLOVER root labels, 1,050 train / 1,033 test as released.

1. CV on train: stratified k-fold over the train split (sentences whose normalised text occurs in
   the test split are removed first) with the model's own settings; the CAMEO code definitions
   (``../cameo_codebook/cameo_codes.csv``, if present) join every training fold, as in training.
   This is the only figure the settings were tuned on.
2. Test: the model (default: the packaged artifact) on the test split: micro-F1 (= accuracy),
   macro-F1, per-class precision/recall/F1, and the 20 most common confusions (gold -> predicted).
   ``--cv-only`` skips it (use while developing: the test split is scored once, at the end).
3. Speed: sentences/s of ``EventTypeModel.predict`` over the test sentences (one untimed warm-up
   call, then one timed pass; MiniLM dominates), and of the same model with the embedding block
   computed but the TF-IDF + lexicon blocks alone timed, to show where the time goes.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np

from wirecheck.analyze.eventtrain import cross_validate, load_cameo_descriptions, load_split
from wirecheck.analyze.eventtype import (
    LABELS,
    EventTypeModel,
    Lexicon,
    _hashed_counts,
)


def per_class(gold: list[str], pred: list[str]) -> dict[str, tuple[float, float, float, int]]:
    out = {}
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        n_pred = sum(p == label for p in pred)
        n_gold = sum(g == label for g in gold)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[label] = (prec, rec, f1, n_gold)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("data", type=Path, help="the plv_event_coding folder (or its gold.jsonl)")
    ap.add_argument("--model", type=Path, default=None, help="artifact folder (default: packaged)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-cv", action="store_true", help="skip the CV on train")
    ap.add_argument("--cv-only", action="store_true", help="skip the test split")
    args = ap.parse_args()

    t0 = time.perf_counter()
    model = EventTypeModel.load(args.model)
    print(f"model: {args.model or 'packaged'}  (load {time.perf_counter() - t0:.2f} s)")
    print(f"config: {model.config}")

    if not args.no_cv:
        texts, labels = load_split(args.data, "train")
        folder = args.data if args.data.is_dir() else args.data.parent
        codes = folder.parent / "cameo_codebook" / "cameo_codes.csv"
        extra = load_cameo_descriptions(codes) if codes.exists() else []
        print(
            f"\n## CV on train ({args.folds}-fold, {len(texts)} sentences, +{len(extra)} CAMEO definitions per fold)"
        )
        print("| seed | micro-F1 | macro-F1 |\n|---|---|---|")
        for seed in (0, 1):
            figures, _ = cross_validate(
                texts, labels, model.config, extra=extra, folds=args.folds, seed=seed,
                embedder=model.embedder,
            )  # fmt: skip
            print(f"| {seed} | {figures['cv_micro_f1']:.3f} | {figures['cv_macro_f1']:.3f} |")

    if args.cv_only:
        return
    texts, gold = load_split(args.data, "test")
    model.predict(texts[:16])  # warm-up
    t0 = time.perf_counter()
    preds = model.predict(texts)
    elapsed = time.perf_counter() - t0
    pred = [p.label for p in preds]
    stats = per_class(gold, pred)
    micro = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    macro = float(np.mean([stats[label][2] for label in LABELS if stats[label][3]]))
    print(f"\n## Test split ({len(gold)} sentences)")
    print(f"| micro-F1 | macro-F1 |\n|---|---|\n| {micro:.3f} | {macro:.3f} |")
    print("\n| label | precision | recall | F1 | support |\n|---|---|---|---|---|")
    for label in LABELS:
        prec, rec, f1, support = stats[label]
        print(f"| {label} | {prec:.3f} | {rec:.3f} | {f1:.3f} | {support} |")

    confusions = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    print(f"\n## 20 most common confusions ({sum(confusions.values())} errors)")
    print("| gold | predicted | count |\n|---|---|---|")
    for (g, p), count in confusions.most_common(20):
        print(f"| {g} | {p} | {count} |")

    lexicon: Lexicon = model.lexicon
    t1 = time.perf_counter()
    _hashed_counts(texts, model.config.hash_bits)
    lexicon.counts(texts)
    light = time.perf_counter() - t1
    print("\n## Speed (2-core machine, one pass over the test sentences)")
    print("| part | sentences/s |\n|---|---|")
    print(f"| predict() end to end | {len(texts) / elapsed:.0f} |")
    print(f"| hashed n-grams + lexicon only | {len(texts) / light:.0f} |")


if __name__ == "__main__":
    main()
