"""Training the credibility model (``wirecheck train credibility``): data loading and fitting.

Three parts, each learned from the data that can teach it (MODEL_CARD.md has the details):

* **article model**: logistic regression over the measured signals of ``_signals.py`` plus one
  stacked "word profile" score (a TF-IDF logistic regression over function-word n-grams), then
  Platt-calibrated on grouped out-of-fold scores and folded into one set of weights. Trained on
  the fake/real article sets under ``data_root`` (PerezRosas FakeNewsAMT, BuzzFeed-Webis, Horne
  2017, FakeNewsNet v1), each set given the same total weight, classes balanced within a set.
* **source prior** (track record and user rating): one weight on the logit of a source's smoothed
  share of accurate statements, learned on LIAR (speaker credit history, with the statement's own
  label removed from it, against the statement's label).
* **corroboration**: weights on log(1 + independent sources) supporting / contradicting a claim,
  learned from Emergent when its file carries claim veracity (``claimTruthiness``); otherwise the
  documented prior weights below are kept and the model says so (``"learned": false``).

scikit-learn is imported lazily: only training needs it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wirecheck.errors import UsageError
from wirecheck.models import Article, DocumentKind
from wirecheck.verify._credsources import fit_corroboration, fit_source_prior
from wirecheck.verify._signals import (
    ARTICLE_FEATURES,
    Lexicon,
    article_measures,
    profile_counts,
    profile_decision,
)

FloatArray = npt.NDArray[np.float64]
Enrich = Callable[[Article], Article]

PROFILE_FEATURE = "style.word_profile"
#: z-scores are clipped to this range in training and in use, so one extreme value (a title with
#: nine "!") cannot outweigh every other signal.
Z_CLIP = 4.0
#: Word-profile vocabulary: n-grams seen in at least this many training articles.
PROFILE_MIN_DF = 3
#: Regularisation (inverse strength) of the word-profile model. Chosen by grouped 5-fold CV on
#: FakeNewsAMT and BuzzFeed-Webis (C = 0.3 / 1 / 4: 0.760 / 0.769 / 0.777 acc on FakeNewsAMT alone,
#: but 1 was best stacked with the signals, 0.804 vs 0.79; see benchmarks/RESULTS-credibility.md).
PROFILE_C = 1.0
#: A signal seen (non-zero) in fewer training articles than this gets no weight: its estimate
#: would rest on a handful of articles. Agency credits are the case in point: 13 of 2,716
#: training articles carry one (10 of them fakes copying an AP story), which learned a weight
#: that marked every real wire story down by ~1.2 log-odds.
MIN_SUPPORT = 30
#: Candidate regularisation strengths for the signal model, picked by grouped CV log-loss.
SIGNAL_CS = (0.01, 0.03, 0.1, 0.3, 1.0)


@dataclass(frozen=True)
class Example:
    """One labelled article: ``label`` 1 = credible (real / mostly true), 0 = fake."""

    article: Article
    label: int
    dataset: str
    group: str  # the unit that must not straddle folds (pair, publisher, source domain)
    unknown: frozenset[str] = frozenset()  # features this data set cannot observe


# -- data sets ----------------------------------------------------------------------------------


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _article(uid: str, title: str | None, body: str, **extra: Any) -> Article:
    return Article(
        id=uid, input=uid, kind=DocumentKind.RECORD, title=title or None, body=body or "", **extra
    )


def _domain(url: str | None) -> str:
    host = re.sub(r"^[a-z]+://", "", (url or "").strip().lower()).split("/")[0]
    return host.removeprefix("www.")


def _date(value: Any) -> str | None:
    """FakeNewsNet stores dates as {"$date": milliseconds}."""
    if isinstance(value, dict) and isinstance(value.get("$date"), int | float):
        return dt.datetime.fromtimestamp(value["$date"] / 1000, dt.UTC).date().isoformat()
    return str(value) if value else None


_NO_BYLINE_DATE = frozenset({"structure.byline", "structure.published"})


def load_perez(root: Path) -> list[Example]:
    """PerezRosas FakeNewsAMT: crowd-written fakes paired with the legit item (same number);
    group = pair id, per the data set's protocol."""
    return [
        Example(
            _article("perez:" + r["id"], r["title"], r["body"]),
            int(r["label"] == "legit"),
            "perez_rosas_2018_fakenewsamt",
            "perez:" + r["id"].split(".")[0],
            _NO_BYLINE_DATE,
        )
        for r in _jsonl(root / "perez_rosas_2018_fakenewsamt" / "data.jsonl")
    ]


def load_webis(root: Path) -> list[Example]:
    """BuzzFeed-Webis: fake = mostly false + mixture, real = mostly true, "no factual content"
    dropped (the paper's setting); group = publisher (portal)."""
    out = []
    for r in _jsonl(root / "buzzfeed_webis_2016" / "articles.jsonl"):
        if r["veracity"] == "no factual content":
            continue
        authors = (r["author"],) if r.get("author") else ()
        art = _article("webis:" + r["id"], r.get("title"), r.get("mainText") or "", authors=authors)
        out.append(
            Example(
                art,
                int(r["veracity"] == "mostly true"),
                "buzzfeed_webis_2016",
                "webis:" + r["portal"],
                frozenset({"structure.published"}),
            )
        )
    return out


def load_horne(root: Path) -> list[Example]:
    """Horne & Adali 2017, both sets, fake vs real (satire left out). The records carry no
    publisher, so each article is its own group."""
    out = []
    for part in ("buzzfeed", "random"):
        for r in _jsonl(root / "horne2017_fakenewsdata1" / f"{part}_political.jsonl"):
            if r["label"] == "satire":
                continue
            uid = f"horne_{part}:{r['id']}"
            out.append(
                Example(
                    _article(uid, r.get("title"), r.get("body") or ""),
                    int(r["label"] == "real"),
                    "horne2017_fakenewsdata1",
                    uid,
                    _NO_BYLINE_DATE,
                )
            )
    return out


def load_fakenewsnet(root: Path) -> list[Example]:
    """FakeNewsNet v1 (BuzzFeed + PolitiFact); group = publisher domain."""
    out = []
    for part in ("buzzfeed", "politifact"):
        path = root / "fakenewsnet_v1_buzzfeed_politifact" / f"{part}_content.jsonl"
        for r in _jsonl(path):
            authors = tuple(a for a in (r.get("authors") or []) if isinstance(a, str) and a)
            published = _date(r.get("publish_date"))
            art = _article(
                f"fnn_{part}:{r['id']}",
                r.get("title"),
                r.get("text") or "",
                authors=authors,
                published=published,
            )
            group = "fnn:" + (_domain(r.get("source")) or _domain(r.get("url")) or r["id"])
            out.append(
                Example(art, int(r["label"] == "real"), "fakenewsnet_v1_buzzfeed_politifact", group)
            )
    return out


ARTICLE_SETS: dict[str, Callable[[Path], list[Example]]] = {
    "perez_rosas_2018_fakenewsamt": load_perez,
    "buzzfeed_webis_2016": load_webis,
    "horne2017_fakenewsdata1": load_horne,
    "fakenewsnet_v1_buzzfeed_politifact": load_fakenewsnet,
}


def _text_key(article: Article) -> str | None:
    """The body's first 30 words, lower case (None for bodies under 20 words)."""
    head = re.findall(r"\w+", article.body.casefold())[:30]
    return " ".join(head) if len(head) >= 20 else None


def load_examples(data_root: Path, names: Iterable[str] | None = None) -> list[Example]:
    """The labelled articles of the named sets (all by default). An article already loaded from
    an earlier set is skipped: FakeNewsNet's BuzzFeed part repeats 82 BuzzFeed-Webis articles,
    which would otherwise sit on both sides of a source-disjoint split."""
    out: list[Example] = []
    seen: set[str] = set()
    for name in names or ARTICLE_SETS:
        if not (data_root / name).is_dir():
            raise UsageError(
                f"no data set {name!r} under {data_root}",
                hint="pass the credibility data folder (../shared/data/credibility)",
            )
        keys = []
        for ex in ARTICLE_SETS[name](data_root):
            key = _text_key(ex.article)
            if key is None or key not in seen:  # only across sets: a set's own items all stay
                out.append(ex)
                keys.append(key)
        seen.update(k for k in keys if k is not None)
    return out


# -- features -----------------------------------------------------------------------------------


@dataclass
class FeatureTable:
    """Measured signals (NaN where the data set cannot observe them) and word-profile counts."""

    names: list[str]
    values: FloatArray
    profiles: list[Counter[str]]
    with_claims: int = 0  # training articles whose statements were measured over claims

    def take(self, rows: Sequence[int] | npt.NDArray[np.int64]) -> FeatureTable:
        return FeatureTable(
            self.names, self.values[rows], [self.profiles[i] for i in rows], self.with_claims
        )


def build_features(
    examples: Sequence[Example],
    lexicon: Lexicon,
    *,
    enrich: Enrich | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> FeatureTable:
    names = list(ARTICLE_FEATURES)
    rows = np.full((len(examples), len(names)), np.nan)
    profiles: list[Counter[str]] = []
    with_claims = 0
    for i, ex in enumerate(examples):
        article = enrich(ex.article) if enrich else ex.article
        with_claims += bool(article.claims)
        measures = article_measures(article, lexicon)
        for j, name in enumerate(names):
            if name not in ex.unknown:
                rows[i, j] = measures[name].value
        profiles.append(profile_counts(article.title or "", article.body, lexicon.function_words))
        if progress and (i + 1) % 100 == 0:
            progress(i + 1, len(examples))
    return FeatureTable(names, rows, profiles, with_claims)


def sample_weights(examples: Sequence[Example]) -> FloatArray:
    """Each data set the same total weight; within a set, the two classes the same weight."""
    counts = Counter((ex.dataset, ex.label) for ex in examples)
    n_sets = len({ex.dataset for ex in examples})
    raw = np.array([1.0 / (n_sets * 2 * counts[(ex.dataset, ex.label)]) for ex in examples])
    scaled: FloatArray = raw * (len(examples) / float(raw.sum()))
    return scaled


# -- word profile -------------------------------------------------------------------------------


@dataclass
class ProfileModel:
    """TF-IDF (sublinear tf, smooth idf, L2) + logistic regression over profile n-grams."""

    idf: dict[str, float]
    weights: dict[str, float]
    intercept: float

    def decision(self, counts: Counter[str]) -> float:
        return profile_decision(counts, self.idf, self.weights, self.intercept)[0]


def _profile_matrix(
    profiles: Sequence[Counter[str]], index: dict[str, int], idf: FloatArray
) -> Any:
    from scipy import sparse  # type: ignore[import-untyped, unused-ignore]

    rows, cols, vals = [], [], []
    for i, counts in enumerate(profiles):
        for g, n in counts.items():
            j = index.get(g)
            if j is not None and n > 0:
                rows.append(i)
                cols.append(j)
                vals.append((1.0 + math.log(n)) * idf[j])
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(profiles), len(index)))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ m


def fit_profile(
    profiles: Sequence[Counter[str]], y: npt.NDArray[Any], w: FloatArray, *, c: float = PROFILE_C
) -> ProfileModel:
    from sklearn.linear_model import LogisticRegression

    df: Counter[str] = Counter()
    for counts in profiles:
        df.update(counts.keys())
    vocab = sorted(g for g, n in df.items() if n >= PROFILE_MIN_DF)
    index = {g: i for i, g in enumerate(vocab)}
    n = len(profiles)
    idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in vocab])
    lr = LogisticRegression(C=c, max_iter=5000).fit(
        _profile_matrix(profiles, index, idf), y, sample_weight=w
    )
    coef = lr.coef_[0]
    return ProfileModel(
        {g: float(idf[i]) for g, i in index.items()},
        {g: float(coef[i]) for g, i in index.items() if abs(coef[i]) > 1e-9},
        float(lr.intercept_[0]),
    )


def _folds(groups: Sequence[str], n_splits: int, seed: int) -> list[npt.NDArray[np.int64]]:
    """Group-disjoint folds with groups shuffled by a seeded permutation (GroupKFold is
    deterministic by size, which puts all large publishers in the same folds)."""
    unique = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = {unique[k]: i % n_splits for i, k in enumerate(order)}
    assign = np.array([fold_of[g] for g in groups])
    return [np.flatnonzero(assign == f) for f in range(n_splits)]


def oof_profile(
    profiles: Sequence[Counter[str]],
    y: npt.NDArray[Any],
    w: FloatArray,
    groups: Sequence[str],
    *,
    n_splits: int = 5,
    seed: int = 0,
) -> FloatArray:
    """Out-of-fold profile scores, so the signal model learns how far to trust the profile on
    articles it was not fitted on."""
    out = np.zeros(len(profiles))
    for test in _folds(groups, n_splits, seed):
        train = np.setdiff1d(np.arange(len(profiles)), test)
        model = fit_profile([profiles[i] for i in train], y[train], w[train])
        out[test] = [model.decision(profiles[i]) for i in test]
    return out


# -- signal model -------------------------------------------------------------------------------


@dataclass
class ArticleFit:
    """A fitted article model: standardisation, calibrated weights (log-odds per z unit)."""

    names: list[str]
    means: FloatArray
    scales: FloatArray
    weights: FloatArray
    intercept: float
    profile: ProfileModel
    calibration: dict[str, float] = field(default_factory=dict)
    c: float = 0.0
    rare: list[str] = field(default_factory=list)  # too rare in training to get a weight

    def z(self, values: FloatArray) -> FloatArray:
        filled = np.where(np.isnan(values), self.means, values)
        return np.clip((filled - self.means) / self.scales, -Z_CLIP, Z_CLIP)

    def decision(self, table: FeatureTable) -> FloatArray:
        prof = np.array([[self.profile.decision(c)] for c in table.profiles])
        return self.z(np.hstack([table.values, prof])) @ self.weights + self.intercept


def _standardise(x: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    means = np.zeros(x.shape[1])
    scales = np.ones(x.shape[1])
    for j in range(x.shape[1]):
        known = ~np.isnan(x[:, j])
        if known.any():
            means[j] = np.average(x[known, j], weights=w[known])
            sd = math.sqrt(np.average((x[known, j] - means[j]) ** 2, weights=w[known]))
            scales[j] = sd if sd > 1e-9 else 1.0
    return means, scales


def _fit_lr(
    z: FloatArray, y: npt.NDArray[Any], w: FloatArray, c: float
) -> tuple[FloatArray, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=c, max_iter=5000).fit(z, y, sample_weight=w)
    return lr.coef_[0].astype(float), float(lr.intercept_[0])


def _weighted_logloss(d: FloatArray, y: npt.NDArray[Any], w: FloatArray) -> float:
    p = np.clip(1.0 / (1.0 + np.exp(-d)), 1e-9, 1 - 1e-9)
    return float(-np.average(y * np.log(p) + (1 - y) * np.log(1 - p), weights=w))


def fit_article_model(
    table: FeatureTable,
    y: npt.NDArray[Any],
    w: FloatArray,
    groups: Sequence[str],
    *,
    seed: int = 0,
    calibrate: bool = True,
    c: float | None = None,
) -> ArticleFit:
    """Fit profile + signal model on the given rows (all training happens here)."""
    prof_oof = oof_profile(table.profiles, y, w, groups, seed=seed)
    x = np.hstack([table.values, prof_oof[:, None]])
    names = [*table.names, PROFILE_FEATURE]
    means, scales = _standardise(x, w)
    z = np.clip((np.where(np.isnan(x), means, x) - means) / scales, -Z_CLIP, Z_CLIP)
    seen = ((~np.isnan(x)) & (x != 0)).sum(axis=0)
    rare = np.array([seen[j] < MIN_SUPPORT and n != PROFILE_FEATURE for j, n in enumerate(names)])
    z[:, rare] = 0.0  # no information, so the fit leaves them at zero weight
    folds = _folds(groups, 5, seed + 1)
    if c is None:  # pick C by grouped CV log-loss
        best = (math.inf, SIGNAL_CS[0])
        for cand in SIGNAL_CS:
            d = _oof_decisions(z, y, w, folds, cand)
            best = min(best, (_weighted_logloss(d, y, w), cand))
        c = best[1]
    calibration: dict[str, float] = {"a": 1.0, "b": 0.0}
    if calibrate:
        # Platt scaling on out-of-fold decisions, folded into the weights below.
        d = _oof_decisions(z, y, w, folds, c)
        from sklearn.linear_model import LogisticRegression

        platt = LogisticRegression(C=1e6, max_iter=1000).fit(d[:, None], y, sample_weight=w)
        calibration = {"a": float(platt.coef_[0][0]), "b": float(platt.intercept_[0])}
    coef, intercept = _fit_lr(z, y, w, c)
    coef[rare] = 0.0
    a, b = calibration["a"], calibration["b"]
    profile = fit_profile(table.profiles, y, w)
    return ArticleFit(
        names,
        means,
        scales,
        coef * a,
        intercept * a + b,
        profile,
        calibration,
        c,
        [n for n, r in zip(names, rare, strict=True) if r],
    )


def _oof_decisions(
    z: FloatArray, y: npt.NDArray[Any], w: FloatArray, folds: list[npt.NDArray[np.int64]], c: float
) -> FloatArray:
    out = np.zeros(len(y))
    for test in folds:
        train = np.setdiff1d(np.arange(len(y)), test)
        coef, intercept = _fit_lr(z[train], y[train], w[train], c)
        out[test] = z[test] @ coef + intercept
    return out


# -- the whole training run -----------------------------------------------------------------------


def _metrics(y: npt.NDArray[Any], p: FloatArray, w: FloatArray | None = None) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    pred = (p >= 0.5).astype(int)
    out = {
        "accuracy": float((pred == y).mean()),
        "auc": float(roc_auc_score(y, p)),
        "brier": float(np.average((p - y) ** 2, weights=w)),
        "ece": expected_calibration_error(y, p, w),
    }
    tp = float(((pred == 0) & (y == 0)).sum())
    fp = float(((pred == 0) & (y == 1)).sum())
    fn = float(((pred == 1) & (y == 0)).sum())
    out["f1_fake"] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def expected_calibration_error(
    y: npt.NDArray[Any], p: FloatArray, w: FloatArray | None = None, bins: int = 10
) -> float:
    """Weighted mean |observed rate - mean probability| over 10 equal-width probability bins."""
    w = np.ones(len(y)) if w is None else w
    edges = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = edges == b
        if mask.any():
            total += w[mask].sum() * abs(
                np.average(y[mask], weights=w[mask]) - np.average(p[mask], weights=w[mask])
            )
    return float(total / w.sum())


def cross_validate(
    table: FeatureTable,
    y: npt.NDArray[Any],
    w: FloatArray,
    groups: Sequence[str],
    datasets: Sequence[str],
    *,
    c: float,
    seed: int = 0,
) -> dict[str, Any]:
    """Group-disjoint 5-fold CV of the whole recipe over the pooled sets (held-out probabilities
    from calibrated fold models); figures overall and per data set."""
    p = np.zeros(len(y))
    for test in _folds(groups, 5, seed + 7):
        train = np.setdiff1d(np.arange(len(y)), test)
        fit = fit_article_model(
            table.take(train), y[train], w[train], [groups[i] for i in train], seed=seed, c=c
        )
        p[test] = 1.0 / (1.0 + np.exp(-fit.decision(table.take(test))))
    out: dict[str, Any] = {"pooled": _metrics(y, p, w)}
    for name in sorted(set(datasets)):
        mask = np.array([d == name for d in datasets])
        out[name] = _metrics(y[mask], p[mask])
    return out


def train(
    data_root: Path,
    lexicon: Lexicon,
    *,
    enrich: Enrich | None = None,
    progress: Callable[[str], None] | None = None,
    cv: bool = True,
    seed: int = 0,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Fit everything; return (model.json, profile.json, figures) contents."""
    say = progress or (lambda _msg: None)
    examples = load_examples(data_root)
    say(f"measuring {len(examples)} training articles" + (" (with analyze)" if enrich else ""))
    table = build_features(
        examples, lexicon, enrich=enrich, progress=lambda i, n: say(f"  {i}/{n} articles")
    )
    y = np.array([ex.label for ex in examples])
    w = sample_weights(examples)
    groups = [ex.group for ex in examples]
    datasets = [ex.dataset for ex in examples]
    say("fitting the article model")
    fit = fit_article_model(table, y, w, groups, seed=seed)
    in_sample = 1.0 / (1.0 + np.exp(-fit.decision(table)))
    figures: dict[str, Any] = {
        "articles": len(examples),
        "per_dataset": dict(Counter(datasets)),
        "analyze_enriched": enrich is not None,
        "articles_with_claims": table.with_claims,
        "signal_C": fit.c,
        "too_rare_to_weigh": fit.rare,
        "platt": fit.calibration,
        "profile_ngrams": len(fit.profile.idf),
        "in_sample_accuracy": float(((in_sample >= 0.5) == y).mean()),
    }
    if cv:
        say("cross-validating (group-disjoint 5-fold)")
        figures["cv"] = cross_validate(table, y, w, groups, datasets, c=fit.c, seed=seed)
    say("fitting the source prior on LIAR")
    source_prior = fit_source_prior(data_root)
    corroboration = fit_corroboration(data_root)
    figures["source_prior"] = source_prior
    figures["corroboration"] = corroboration
    model = {
        "format": 1,
        "trained": dt.date.today().isoformat(),
        # Where attribution, quotes and hedging were measured in training; used the same way.
        "statements": "claims" if table.with_claims else "sentences",
        "training": figures,
        "article": {
            "intercept": fit.intercept,
            "z_clip": Z_CLIP,
            "features": [
                {"name": n, "mean": float(m), "scale": float(s), "weight": float(c)}
                for n, m, s, c in zip(fit.names, fit.means, fit.scales, fit.weights, strict=True)
            ],
        },
        "source_prior": source_prior,
        "corroboration": corroboration,
    }
    profile = {
        "intercept": fit.profile.intercept,
        "ngrams": {
            g: [fit.profile.idf[g], fit.profile.weights.get(g, 0.0)] for g in fit.profile.idf
        },
    }
    return model, profile, figures
