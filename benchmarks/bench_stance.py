"""Stance benchmark: Emergent claim-grouped CV, FNC-1 zero-shot, and inference throughput.

    python benchmarks/bench_stance.py DATA_ROOT [--folds 10] [--skip-fnc]

DATA_ROOT is the credibility data folder (holding emergent_ferreira_vlachos_2016 and fnc1_stance).

* Emergent: GroupKFold on claimId (no claim in both train and test, as its SOURCE.txt says); the
  model is trained on the training claims (plus unrelated pairs made from training claims only) and
  scored on the held-out real pairs, 3 classes (for / against / observing), argmax over those 3.
* FNC-1: trained on all of Emergent only, applied to competition_test (headline = claim, body =
  other); 4-class macro-F1 (Hanselowski et al. 2018) and the official weighted score (the
  organisers' scorer.py rules, as a share of the maximum). Nothing is tuned on this split.
* Throughput: pairs per second of ``StanceModel.predict_pairs`` on headline pairs.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from wirecheck.verify.encoder import SentenceEncoder
from wirecheck.verify.stance import (
    NEGATIVES_PER_CLAIM,
    STANCES,
    StanceModel,
    StancePair,
    add_unrelated,
    apply_checks,
    fit_weights,
    focus_text,
    load_emergent,
)

FNC_NAMES = {
    "agree": "supports",
    "disagree": "contradicts",
    "discuss": "discusses",
    "unrelated": "unrelated",
}


def macro_f1(gold: list[str], pred: list[str], labels: list[str]) -> tuple[float, dict[str, float]]:
    per: dict[str, float] = {}
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred, strict=True))
        per[lab] = 2 * tp / max(2 * tp + fp + fn, 1)
    return sum(per.values()) / len(labels), per


def fnc_score(gold: list[str], pred: list[str]) -> float:
    """The FNC-1 scorer (0.25 related/unrelated right, +0.75 exact related label), as a share of
    the best possible score."""

    def score(g_list: list[str], p_list: list[str]) -> float:
        s = 0.0
        for g, p in zip(g_list, p_list, strict=True):
            if g == p:
                s += 0.25 + (0.5 if g != "unrelated" else 0.0)
            if g != "unrelated" and p != "unrelated":
                s += 0.25
        return s

    return score(gold, pred) / score(gold, gold)


class CosineCache:
    def __init__(self, encoder: SentenceEncoder) -> None:
        self.encoder = encoder
        self.vec: dict[str, np.ndarray] = {}

    def cosines(self, pairs: list[tuple[str, str]]) -> list[float]:
        focused = [focus_text(c, o) for c, o in pairs]
        todo = sorted(({c for c, _ in pairs} | set(focused)) - set(self.vec))
        for text, v in zip(todo, self.encoder.encode(todo), strict=True):
            self.vec[text] = v
        return [float(self.vec[c] @ self.vec[f]) for (c, _), f in zip(pairs, focused, strict=True)]


def emergent_cv(
    root: Path, folds: int, cache: CosineCache, semantic: bool, checks: bool = True
) -> dict[str, float]:
    from sklearn.model_selection import GroupKFold

    real = load_emergent(root / "emergent_ferreira_vlachos_2016")
    groups = np.array([p.group for p in real])
    gold: list[str] = []
    pred: list[str] = []
    three = [STANCES.index(s) for s in STANCES[:3]]
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(real, groups=groups):
        train = add_unrelated([real[i] for i in train_idx], NEGATIVES_PER_CLAIM)
        test = [real[i] for i in test_idx]
        cos = cache.cosines([(p.claim, p.other) for p in train]) if semantic else None
        w = fit_weights(train, cos)
        model = StanceModel(w, w, {})
        tpairs = [(p.claim, p.other) for p in test]
        tcos = cache.cosines(tpairs) if semantic else None
        probs, reasons = model.probabilities(tpairs, tcos)
        for p, row, why in zip(test, probs, reasons, strict=True):
            gold.append(p.label)
            plain = STANCES[three[int(np.argmax(row[three]))]]
            pred.append(apply_checks(plain, why) if checks else plain)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    mf1, per = macro_f1(gold, pred, list(STANCES[:3]))
    return {"accuracy": acc, "macro_f1": mf1, **{f"f1_{k}": v for k, v in per.items()}}


def read_fnc(root: Path) -> list[StancePair]:
    base = root / "fnc1_stance"
    with (base / "competition_test_bodies.csv").open(encoding="utf-8", newline="") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    with (base / "competition_test_stances.csv").open(encoding="utf-8", newline="") as fh:
        return [
            StancePair(r["Headline"], bodies[r["Body ID"]], FNC_NAMES[r["Stance"]], r["Body ID"])
            for r in csv.DictReader(fh)
        ]


def fnc_zero_shot(root: Path, cache: CosineCache, semantic: bool) -> dict[str, float]:
    real = load_emergent(root / "emergent_ferreira_vlachos_2016")
    train = add_unrelated(real, NEGATIVES_PER_CLAIM)
    cos = cache.cosines([(p.claim, p.other) for p in train]) if semantic else None
    w = fit_weights(train, cos)
    model = StanceModel(w, w, {})
    test = read_fnc(root)
    pairs = [(p.claim, p.other) for p in test]
    tcos = cache.cosines(pairs) if semantic else None
    start = time.perf_counter()
    out = model.predict_pairs(pairs, tcos)
    elapsed = time.perf_counter() - start
    gold = [p.label for p in test]
    pred = [s for s, _, _ in out]
    mf1, per = macro_f1(gold, pred, list(STANCES))
    print("  FNC predicted:", dict(Counter(pred)), file=sys.stderr)
    return {
        "macro_f1": mf1,
        "fnc_score": fnc_score(gold, pred),
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        **{f"f1_{k}": v for k, v in per.items()},
        "pairs_per_s_bodies": len(pairs) / elapsed,
    }


def throughput(root: Path) -> float:
    model = StanceModel.load()
    real = load_emergent(root / "emergent_ferreira_vlachos_2016")
    pairs = [(p.claim, p.other + " x") for p in real] * 4  # defeat read_text's cache partly
    start = time.perf_counter()
    model.predict_pairs(pairs, [0.5] * len(pairs))
    return len(pairs) / (time.perf_counter() - start)


def match_speed(root: Path, encoder: SentenceEncoder | None, copies: int = 4) -> dict[str, float]:
    """match_claims + claim_support over ~10k claims: every Emergent headline and claim, each
    ``copies`` times under other article ids and sites (story = the Emergent claim)."""
    from wirecheck.models import Claim
    from wirecheck.verify.corroborate import ClaimItem, claim_support, match_claims
    from wirecheck.verify.sources import SourceInfo

    real = load_emergent(root / "emergent_ferreira_vlachos_2016")
    texts = sorted({(p.group, p.claim) for p in real} | {(p.group, p.other) for p in real})
    items = []
    for c in range(copies):
        for i, (story, text) in enumerate(texts):
            aid = f"a{c}-{i}"
            claim = Claim(aid + ":0", 0, 0, len(text), text, "event", 0.9)
            source = SourceInfo(aid, site=f"site{(i * 7 + c) % 60}.example")
            items.append(ClaimItem(claim, aid, story, source, None))
    start = time.perf_counter()
    links = match_claims(items, StanceModel.load(), encoder=encoder)
    claim_support(items, links)
    elapsed = time.perf_counter() - start
    return {
        "claims": len(items),
        "links": len(links),
        "seconds": elapsed,
        "claims_per_s": len(items) / elapsed,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_root", type=Path)
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--skip-fnc", action="store_true")
    ap.add_argument("--match-speed", action="store_true", help="only time match_claims")
    ap.add_argument("--lexical", action="store_true", help="also report the lexical-only weights")
    args = ap.parse_args()
    if args.match_speed:
        enc = SentenceEncoder.load()
        print("match_claims, no encoder:", match_speed(args.data_root, None))
        print("match_claims, encoder:", match_speed(args.data_root, enc))
        return
    cache = CosineCache(SentenceEncoder.load())
    rows: list[tuple[str, dict[str, float]]] = []
    for semantic in (True, False) if args.lexical else (True,):
        tag = "semantic" if semantic else "lexical"
        rows.append(
            (
                f"Emergent {args.folds}-fold claim-grouped ({tag})",
                emergent_cv(args.data_root, args.folds, cache, semantic),
            )
        )
        print(rows[-1], file=sys.stderr)
        if not args.skip_fnc:
            rows.append(
                (f"FNC-1 test zero-shot ({tag})", fnc_zero_shot(args.data_root, cache, semantic))
            )
            print(rows[-1], file=sys.stderr)
    print(f"{'set':48} {'metric':22} value")
    for name, figures in rows:
        for key, value in figures.items():
            print(f"{name:48} {key:22} {value:.4f}")
    try:
        print(
            f"{'shipped model, headline pairs':48} {'pairs_per_s':22} {throughput(args.data_root):.0f}"
        )
    except Exception as exc:  # the shipped weights may not exist yet during development
        print("throughput skipped:", exc, file=sys.stderr)


if __name__ == "__main__":
    main()
