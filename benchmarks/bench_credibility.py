"""Benchmark wirecheck's article credibility model against a TF-IDF baseline on fake/real sets.

Usage::

    PYTHONPATH=src nice .venv/bin/python benchmarks/bench_credibility.py ../shared/data/credibility
        [--no-analyze] [--cache FILE] [--only perez,webis,horne,fnn] [--skip-transfer]

DATA_ROOT is the credibility data folder (each set has a SOURCE.txt with its terms). Protocols,
from the SOURCE.txt files:

* perez_rosas_2018_fakenewsamt: 5-fold CV grouped by pair id (a fake and the legit item it
  rewrites never straddle folds); also leave-one-domain-out (6 domains). Accuracy, macro-F1.
* buzzfeed_webis_2016: fake = mostly false + mixture, real = mostly true; leave-one-publisher-out
  (9 portals). F1 of the fake class (the paper's metric), accuracy.
* horne2017_fakenewsdata1: fake vs real in each subset; the records name no publisher, so
  stratified 5-fold (source-disjoint only in the "transfer" row, trained on the other sets).
* fakenewsnet_v1_buzzfeed_politifact: 5-fold grouped by publisher domain (source-disjoint).

Systems, all scored on the same folds:

* ``tfidf+lr``: word 1-2-gram TF-IDF (min_df 2, sublinear) + logistic regression (C 4, balanced
  classes), the floor measured in BASELINES_measured_here.json;
* ``wirecheck in-domain``: the shipped recipe (signals + stacked word profile, Platt-calibrated;
  ``_credtrain.fit_article_model``) fitted on the training folds of the set only;
* ``wirecheck +other sets``: the same, training folds plus every other set (how the shipped model
  is trained: all sets pooled);
* ``wirecheck transfer``: fitted on the other sets only, no article of the tested set.

Features are measured once per run, with the analyze stage's mentions and dates unless
--no-analyze (~3 articles/s on a busy 2-core VM; --cache FILE keeps them for the next run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from wirecheck.models import Article
from wirecheck.verify._credtrain import (
    ARTICLE_SETS,
    Example,
    FeatureTable,
    build_features,
    fit_article_model,
    load_examples,
    sample_weights,
)
from wirecheck.verify._signals import article_measures, load_lexicon, profile_counts
from wirecheck.verify.credibility import (
    DEFAULT_DIR,
    CredibilityModel,
    assess,
    train_credibility,
)

SHORT = {
    "perez": "perez_rosas_2018_fakenewsamt",
    "webis": "buzzfeed_webis_2016",
    "horne": "horne2017_fakenewsdata1",
    "fnn": "fakenewsnet_v1_buzzfeed_politifact",
}


def analyze_enricher() -> Callable[[Article], Article]:
    """Mentions (actors, places) and dates from the analyze stage, without event coding (which the
    credibility signals do not read and which triples the time). Same calls as
    ``wirecheck.analyze.analyze_article``."""
    import dataclasses

    from wirecheck.analyze import load_resources, one_reading
    from wirecheck.analyze.dates import find_dates
    from wirecheck.analyze.places import find_places
    from wirecheck.settings import Settings

    resources = load_resources(Settings().analyze)
    anchor = dt.datetime(2017, 1, 1)  # the sets are from 2014-2017; only counts are used

    def enrich(article: Article) -> Article:
        doc = resources.nlp(article.body[:20_000])
        actors = resources.resolver.find(doc, published=None)
        countries = {m.country for m in actors if m.country}
        places = find_places(
            doc, gazetteer=resources.gazetteer, dateline=article.dateline, actor_countries=countries
        )
        mentions = sorted(one_reading(actors, places), key=lambda m: (m.start, m.end, m.type))
        dates = find_dates(doc, anchor=anchor, anchor_source="ingested")
        return dataclasses.replace(article, mentions=tuple(mentions), dates=tuple(dates))

    return enrich


# -- features (analyze output cached) ---------------------------------------------------------


class CachedEnricher:
    """The analyze stage's mentions and dates per article id, computed once and kept in a JSON
    file, so changing a signal does not mean re-running spaCy over 2,700 articles."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.data: dict[str, dict[str, list[dict[str, Any]]]] = {}
        if path and path.exists():
            self.data = json.loads(path.read_text(encoding="utf-8"))
        self._live: Callable[[Article], Article] | None = None
        self.computed = 0

    def __call__(self, article: Article) -> Article:
        import dataclasses

        from wirecheck.models import DateMention, Mention

        hit = self.data.get(article.id)
        if hit is None:
            if self._live is None:
                self._live = analyze_enricher()
            done = self._live(article)
            hit = {
                "mentions": [dataclasses.asdict(m) for m in done.mentions],
                "dates": [dataclasses.asdict(d) for d in done.dates],
            }
            self.data[article.id] = hit
            self.computed += 1
            if self.path and self.computed % 200 == 0:
                self.save()
        return dataclasses.replace(
            article,
            mentions=tuple(Mention(**m) for m in hit["mentions"]),
            dates=tuple(DateMention(**d) for d in hit["dates"]),
        )

    def save(self) -> None:
        if self.path and self.computed:
            self.path.write_text(json.dumps(self.data), encoding="utf-8")


def features(examples: list[Example], args: argparse.Namespace) -> FeatureTable:
    lexicon = load_lexicon(DEFAULT_DIR)
    enrich = None if args.no_analyze else CachedEnricher(args.cache)
    t0 = time.time()
    table = build_features(
        examples,
        lexicon,
        enrich=enrich,
        progress=lambda i, n: print(
            f"  measured {i}/{n} ({time.time() - t0:.0f} s)", file=sys.stderr
        ),
    )
    if enrich is not None:
        enrich.save()
    print(f"measured {len(examples)} articles in {time.time() - t0:.0f} s", file=sys.stderr)
    return table


# -- systems --------------------------------------------------------------------------------------


def tfidf_predict(
    texts: list[str], y: np.ndarray, train: np.ndarray, test: np.ndarray
) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x = vec.fit_transform([texts[i] for i in train])
    lr = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000).fit(x, y[train])
    return np.asarray(lr.predict_proba(vec.transform([texts[i] for i in test]))[:, 1])


def recipe_predict(
    examples: list[Example], table: FeatureTable, train: np.ndarray, test: np.ndarray
) -> np.ndarray:
    sub = [examples[i] for i in train]
    y = np.array([e.label for e in sub])
    fit = fit_article_model(table.take(train), y, sample_weights(sub), [e.group for e in sub])
    return np.asarray(1.0 / (1.0 + np.exp(-fit.decision(table.take(test)))))


def scores(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import f1_score, roc_auc_score

    pred = (p >= 0.5).astype(int)
    return {
        "acc": float((pred == y).mean()),
        "macro_f1": float(f1_score(y, pred, average="macro")),
        "f1_fake": float(f1_score(y, pred, pos_label=0)),
        "auc": float(roc_auc_score(y, p)),
    }


# -- protocols ------------------------------------------------------------------------------------


def protocol_folds(
    name: str, members: list[int], examples: list[Example]
) -> list[tuple[str, list[np.ndarray]]]:
    """(protocol name, test folds as indices into ``examples``) for one set or subset."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    idx = np.array(members)
    y = np.array([examples[i].label for i in members])
    groups = [examples[i].group for i in members]
    if name == "perez":
        domain = [
            examples[i].article.id.split(":")[1].split(".")[0].rstrip("0123456789") for i in members
        ]
        pair = GroupKFold(5).split(idx, y, groups)
        lodo = GroupKFold(len(set(domain))).split(idx, y, domain)
        return [
            ("pair-grouped 5-fold", [idx[t] for _, t in pair]),
            ("leave-one-domain-out", [idx[t] for _, t in lodo]),
        ]
    if name == "webis":
        lopo = GroupKFold(len(set(groups))).split(idx, y, groups)
        return [("leave-one-publisher-out", [idx[t] for _, t in lopo])]
    if name.startswith("horne"):
        strat = StratifiedKFold(5, shuffle=True, random_state=0).split(idx, y)
        return [("stratified 5-fold", [idx[t] for _, t in strat])]
    source = GroupKFold(5).split(idx, y, groups)
    return [("source-disjoint 5-fold", [idx[t] for _, t in source])]


def subsets(examples: list[Example], only: list[str]) -> list[tuple[str, list[int]]]:
    out: list[tuple[str, list[int]]] = []
    for short in only:
        members = [i for i, e in enumerate(examples) if e.dataset == SHORT[short]]
        if short in ("horne", "fnn"):
            parts = sorted({examples[i].article.id.split(":")[0] for i in members})
            out.extend(
                (p, [i for i in members if examples[i].article.id.startswith(p + ":")])
                for p in parts
            )
        else:
            out.append((short, members))
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    examples = load_examples(args.data)
    table = features(examples, args)
    texts = [(e.article.title or "") + "\n" + e.article.body for e in examples]
    y_all = np.array([e.label for e in examples])
    results: dict[str, Any] = {}
    rows = []
    for name, members in subsets(examples, args.only):
        others = np.array(
            [i for i, e in enumerate(examples) if e.dataset != examples[members[0]].dataset]
        )
        for protocol, folds in protocol_folds(name, members, examples):
            preds: dict[str, np.ndarray] = {}
            for system in ("tfidf+lr", "wirecheck in-domain", "wirecheck +other sets"):
                p = np.zeros(len(examples))
                for test in folds:
                    train = np.setdiff1d(np.array(members), test)
                    if system == "tfidf+lr":
                        p[test] = tfidf_predict(texts, y_all, train, test)
                    elif system == "wirecheck in-domain":
                        p[test] = recipe_predict(examples, table, train, test)
                    else:
                        p[test] = recipe_predict(
                            examples, table, np.concatenate([train, others]), test
                        )
                preds[system] = p
            if not args.skip_transfer and protocol == folds_first(name):
                preds["wirecheck transfer"] = np.zeros(len(examples))
                preds["wirecheck transfer"][members] = recipe_predict(
                    examples, table, others, np.array(members)
                )
            for system, p in preds.items():
                s = scores(y_all[members], p[members])
                results[f"{name} | {protocol} | {system}"] = s
                rows.append((name, protocol, system, s))
                print(
                    f"{name:18s} {protocol:26s} {system:24s} acc {s['acc']:.3f}  macro-F1 {s['macro_f1']:.3f}  "
                    f"F1[fake] {s['f1_fake']:.3f}  AUC {s['auc']:.3f}",
                    file=sys.stderr,
                    flush=True,
                )
    print_table(rows)
    return results


def folds_first(name: str) -> str:
    return {"perez": "pair-grouped 5-fold", "webis": "leave-one-publisher-out"}.get(
        name, "stratified 5-fold" if name.startswith("horne") else "source-disjoint 5-fold"
    )


def print_table(rows: list[tuple[str, str, str, dict[str, float]]]) -> None:
    print("| set | protocol | system | n | accuracy | macro-F1 | F1[fake] | AUC |")
    print("|---|---|---|---|---|---|---|---|")
    for name, protocol, system, s in rows:
        bold = "**" if system.startswith("wirecheck") else ""
        print(
            f"| {name} | {protocol} | {bold}{system}{bold} | | {s['acc']:.3f} | {s['macro_f1']:.3f} | "
            f"{s['f1_fake']:.3f} | {s['auc']:.3f} |"
        )


def speed(args: argparse.Namespace) -> None:
    """articles/s of assess() with the packaged model (measures + profile + scoring)."""
    model = CredibilityModel.load()
    examples = load_examples(args.data, [SHORT["webis"]])[:300]
    words = sum(len(e.article.body.split()) for e in examples) / len(examples)
    t0 = time.perf_counter()
    for e in examples:
        assess(e.article, support={}, model=model)
    rate = len(examples) / (time.perf_counter() - t0)
    lexicon = model.lexicon
    t0 = time.perf_counter()
    for e in examples:
        article_measures(e.article, lexicon)
        profile_counts(e.article.title or "", e.article.body, lexicon.function_words)
    print(
        f"\nassess(): {rate:.0f} articles/s (BuzzFeed-Webis, mean {words:.0f} words; measuring alone "
        f"{len(examples) / (time.perf_counter() - t0):.0f}/s), one process"
    )


def train_shipped(args: argparse.Namespace) -> None:
    """Train the packaged model (what ``wirecheck train credibility DATA`` does, with the analyze
    output cached) and print the figures stored in model.json."""
    enrich = None if args.no_analyze else CachedEnricher(args.cache)
    figures = train_credibility(
        args.data,
        args.train_to,
        enrich=enrich,
        progress=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    if isinstance(enrich, CachedEnricher):
        enrich.save()
    print(json.dumps(figures, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("data", type=Path, help="the credibility data folder")
    ap.add_argument("--no-analyze", action="store_true", help="no analyze-stage mentions/dates")
    ap.add_argument("--cache", type=Path, default=None, help="analyze-output cache file (JSON)")
    ap.add_argument("--only", default="perez,webis,horne,fnn", help="sets to score (short names)")
    ap.add_argument("--skip-transfer", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument(
        "--train-to",
        type=Path,
        default=None,
        help="instead of benchmarking, train the shipped model into this folder (with the "
        "analyze stage's mentions and dates unless --no-analyze) and print its figures",
    )
    args = ap.parse_args()
    args.only = [s for s in args.only.split(",") if s]
    unknown = [s for s in args.only if s not in SHORT]
    if unknown or set(SHORT.values()) != set(ARTICLE_SETS):
        ap.error(f"unknown set(s): {unknown}; choose from {sorted(SHORT)}")
    print(
        f"# bench_credibility {dt.date.today()} {platform.node()} python {platform.python_version()}"
    )
    t0 = time.time()
    if args.train_to is not None:
        train_shipped(args)
        return
    run(args)
    if not args.no_speed:
        speed(args)
    print(f"\ntotal {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
