"""Check-worthiness model (wirecheck/analyze/checkworthy.py) on its two published benchmarks.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_checkworthy.py ../shared/data/credibility

DATA_DIR holds ``claimbuster_cfs_ncs/`` and ``clef2019_checkthat_task1_debates/`` (each with its
SOURCE.txt). Protocols:

* ClaimBuster (Arslan et al. 2020): stratified 4-fold CV over kfold_25ncs.csv with the packaged
  model's settings (the recipe `wirecheck train checkworthy` runs); F1, precision and recall of
  the check-worthy class (CFS). The threshold of each fold is chosen on the other three folds'
  scores, never on the fold it is applied to.
* CLEF-2019 CheckThat! task 1 (Atanasova et al. 2019): the *packaged* weights (trained without
  any test debate; test overlaps removed) rank the sentences of each of the 7 test debates; MAP
  over the debates is the official measure (also mean R-precision, P@5, P@10). The 19 training
  debates, used to choose settings, are scored the same way for reference.

The reference rows are the figures SOURCE.txt gives (a TF-IDF + logistic regression floor
measured by the data's curator, and the best CLEF-2019 primary run).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_checkworthy.py --speed examples/corpus

measures instead what claims cost the analyze stage: the same article bodies analysed without
claims, with claims (the shipped wiring: one MiniLM session, each sentence embedded once per
article) and with claims on a separate MiniLM session (no reuse); alternating rounds in one
process, the fastest round of each reported.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from wirecheck.analyze.checkworthy import (
    CheckworthyModel,
    average_precision,
    cross_validate,
    load_claimbuster,
    load_clef,
)


def ranking_figures(
    debates: list[tuple[str, list[tuple[str, int]]]], model: CheckworthyModel
) -> tuple[dict[str, float], list[tuple[str, int, float]]]:
    """MAP, mean R-precision, P@5 and P@10 over debates, and each debate's AP."""
    texts = [t for _, rows in debates for t, _ in rows]
    scores = model.decision(texts)
    per: list[tuple[str, int, float]] = []
    rp, p5, p10 = [], [], []
    pos = 0
    for name, rows in debates:
        y = np.array([label for _, label in rows])
        s = scores[pos : pos + len(rows)]
        pos += len(rows)
        per.append((name, int(y.sum()), average_precision(list(y), list(s))))
        ranked = y[np.argsort(-s, kind="stable")]
        r = max(int(y.sum()), 1)
        rp.append(ranked[:r].sum() / r)
        p5.append(ranked[:5].mean())
        p10.append(ranked[:10].mean())
    figures = {
        "map": float(np.mean([ap for _, _, ap in per])),
        "r_precision": float(np.mean(rp)),
        "p_at_5": float(np.mean(p5)),
        "p_at_10": float(np.mean(p10)),
    }
    return figures, per


def speed(corpus: Path, repeat: int, rounds: int) -> None:
    from bench_analyze_speed import articles  # benchmarks/ is on sys.path when run as a script
    from wirecheck.analyze import analyze_article, load_resources
    from wirecheck.analyze.claims import ClaimExtractor
    from wirecheck.settings import Settings

    settings = Settings()
    docs = articles(corpus, settings) * repeat
    words = sum(len(a.body.split()) for a in docs)
    shipped = load_resources(settings.analyze)
    variants = {
        "analyze stage without claims": replace(shipped, claims=None),
        "with claims, shared MiniLM vectors (shipped)": shipped,
        "with claims, separate MiniLM session (no reuse)": replace(
            shipped, claims=ClaimExtractor(CheckworthyModel.load())
        ),
    }
    best = dict.fromkeys(variants, float("inf"))
    claims = 0
    for res in variants.values():  # warm-up
        claims = max(
            claims,
            sum(
                len(analyze_article(a, res, max_chars=100_000).claims)
                for a in docs[: len(docs) // repeat]
            ),
        )
    for _ in range(rounds):
        for name, res in variants.items():
            started = time.perf_counter()
            for a in docs:
                analyze_article(a, res, max_chars=settings.analyze.max_chars)
            best[name] = min(best[name], time.perf_counter() - started)
    print(
        f"{len(docs)} articles ({len(docs) // repeat} x {repeat}), {words} words, "
        f"{claims} claims per pass; fastest of {rounds} alternating rounds, one process"
    )
    print("| what | seconds | articles/s | relative |")
    print("|---|---|---|---|")
    base = best["analyze stage without claims"]
    for name, seconds in best.items():
        print(f"| {name} | {seconds:.2f} | {len(docs) / seconds:.2f} | {base / seconds:.2f}x |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "data_dir",
        type=Path,
        help="../shared/data/credibility (or, with --speed, a corpus such as examples/corpus)",
    )
    ap.add_argument("--skip-cv", action="store_true", help="only the CLEF ranking (fast)")
    ap.add_argument("--speed", action="store_true", help="time the analyze stage instead")
    ap.add_argument("--repeat", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if args.speed:
        speed(args.data_dir, args.repeat, args.rounds)
        return
    cb_dir = args.data_dir / "claimbuster_cfs_ncs"
    clef_dir = args.data_dir / "clef2019_checkthat_task1_debates"
    model = CheckworthyModel.load()
    config = model.config
    print(f"packaged model: {model.meta['training']['data']}")

    started = time.perf_counter()
    test, per = ranking_figures(load_clef(clef_dir, "test_annotated"), model)
    train, _ = ranking_figures(load_clef(clef_dir, "training"), model)
    clef_seconds = time.perf_counter() - started

    cv: dict[str, float] = {}
    if not args.skip_cv:
        texts, labels = load_claimbuster(cb_dir)
        extra_texts: list[str] = []
        extra_labels: list[int] = []
        if config.clef_weight > 0:
            for _, rows in load_clef(clef_dir, "training"):
                extra_texts += [t for t, _ in rows]
                extra_labels += [y for _, y in rows]
        started = time.perf_counter()
        cv, _ = cross_validate(
            texts,
            labels,
            config,
            extra_texts=extra_texts,
            extra_labels=extra_labels,
            embedder=model.embedder,
        )
        cv_seconds = time.perf_counter() - started
        print(
            f"\nClaimBuster kfold_25ncs.csv: {len(texts)} sentences, {sum(labels)} check-worthy;"
            f" stratified 4-fold CV, seed 0 ({cv_seconds:.0f} s)"
        )
        print("| model | F1 (CFS) | precision | recall | macro-F1 | average precision |")
        print("|---|---|---|---|---|---|")
        print(
            f"| wirecheck check-worthiness (nested threshold) | **{cv['cv_f1']:.3f}** | "
            f"{cv['cv_precision']:.3f} | {cv['cv_recall']:.3f} | {cv['cv_macro_f1']:.3f} | "
            f"{cv['cv_average_precision']:.3f} |"
        )
        print(f"| same, threshold 0 on the decision value | {cv['cv_f1_at_0']:.3f} | | | | |")
        print("| TF-IDF word 1-2-grams + LR (SOURCE.txt floor) | 0.752 | | | 0.823 | |")
        print("| goal | >= 0.80 | | | | |")

    print(
        f"\nCLEF-2019 CheckThat! task 1: packaged weights, sentences ranked per debate "
        f"({clef_seconds:.0f} s)"
    )
    print("| debates | MAP | R-precision | P@5 | P@10 |")
    print("|---|---|---|---|---|")
    print(
        f"| test (7 debates, official) | **{test['map']:.4f}** | {test['r_precision']:.4f} | "
        f"{test['p_at_5']:.4f} | {test['p_at_10']:.4f} |"
    )
    print(
        f"| training (19 debates, used to choose settings, not trained on) | {train['map']:.4f} |"
        f" {train['r_precision']:.4f} | {train['p_at_5']:.4f} | {train['p_at_10']:.4f} |"
    )
    print("| TF-IDF + LR on the training debates (SOURCE.txt floor), test | 0.1509 | | | |")
    print("| best CLEF-2019 primary run (Copenhagen), test | 0.1660 | 0.1387 | 0.2571 | 0.2286 |")
    print("| goal, test | >= 0.17 | | | |")
    print("\nper test debate: " + ", ".join(f"{n} AP {a:.3f} ({k} pos)" for n, k, a in per))


if __name__ == "__main__":
    main()
