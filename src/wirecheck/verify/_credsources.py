"""The source side of credibility: track records within the corpus, user source ratings, and
how the weights that read them (and the corroboration weights) are learned.

A source's track record is the smoothed share of its checked claims that other independent
sources corroborated, ``(corroborated + 1) / (corroborated + contradicted + 2)``; a user rating
(0-100) is read as the same kind of share (rating / 100). One weight on the logit of that share
is learned on LIAR (Wang 2017): each PolitiFact statement's truth against its speaker's credit
history, with the statement's own label taken out of the history.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wirecheck.errors import (
    EmptyInput,
    InputNotFound,
    InputUnreadable,
    MalformedRecord,
    UndecodableText,
)
from wirecheck.models import Article, ClaimSupport

__all__ = [
    "TrackRecord",
    "article_track_record",
    "fit_corroboration",
    "fit_source_prior",
    "load_source_ratings",
    "rating_for",
    "source_key",
    "track_records",
]

FloatArray = npt.NDArray[np.float64]
LIAR_GOOD = ("half-true", "mostly-true", "true")
#: Corroboration weights used when no veracity-labelled corroboration data is available: log-odds
#: per unit of log(1 + independent sources). Set by hand, not learned: one independent source
#: confirming a claim multiplies its odds by ~1.6, three by ~2.6; one contradicting it divides
#: them by ~2.3, three by ~5.3. Contradiction weighs more because repetition is weak evidence:
#: Ferreira & Vlachos (2016) found most outlets repeat rumours that later proved false.
PRIOR_SUPPORT_WEIGHT = 0.7
PRIOR_CONTRADICT_WEIGHT = -1.2


# -- track records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackRecord:
    """A source's claims over the corpus: how many other independent sources corroborated
    (more support than contradiction) or contradicted (more contradiction than support)."""

    source: str
    articles: int
    claims: int
    corroborated: int
    contradicted: int

    @property
    def checked(self) -> int:
        return self.corroborated + self.contradicted

    def share(self, *, minus_corroborated: int = 0, minus_contradicted: int = 0) -> float | None:
        """The smoothed accurate share ``(corroborated + 1) / (checked + 2)`` (the form the
        weight was learned on), or None when none of its claims was checked."""
        good = self.corroborated - minus_corroborated
        bad = self.contradicted - minus_contradicted
        return (good + 1.0) / (good + bad + 2.0) if good + bad > 0 else None


def source_key(article: Article) -> str | None:
    """Whose record an article counts towards: its site (lower case, no ``www.``)."""
    site = (article.site or "").strip().casefold().removeprefix("www.")
    return site or None


def _verdicts(article: Article, support: Mapping[str, ClaimSupport]) -> tuple[int, int]:
    good = bad = 0
    for claim in article.claims:
        s = support.get(claim.id)
        if s is None:
            continue
        if s.independent_support > s.independent_contradict:
            good += 1
        elif s.independent_contradict > s.independent_support:
            bad += 1
    return good, bad


def track_records(
    articles: Iterable[Article],
    support: Mapping[str, ClaimSupport],
    *,
    key: Callable[[Article], str | None] = source_key,
) -> dict[str, TrackRecord]:
    """Per source (site by default): its articles, claims, and claims corroborated or contradicted
    by other independent sources, over the whole corpus."""
    acc: dict[str, list[int]] = {}
    for article in articles:
        name = key(article)
        if name is None:
            continue
        good, bad = _verdicts(article, support)
        row = acc.setdefault(name, [0, 0, 0, 0])
        row[0] += 1
        row[1] += len(article.claims)
        row[2] += good
        row[3] += bad
    return {name: TrackRecord(name, *row) for name, row in sorted(acc.items())}


def article_track_record(
    article: Article,
    records: Mapping[str, TrackRecord],
    support: Mapping[str, ClaimSupport],
    *,
    key: Callable[[Article], str | None] = source_key,
) -> float | None:
    """The article's source's accurate share with the article's own claims left out, so an
    article's corroboration is not counted twice (once directly, once through its source)."""
    name = key(article)
    record = records.get(name) if name else None
    if record is None:
        return None
    good, bad = _verdicts(article, support)
    return record.share(minus_corroborated=good, minus_contradicted=bad)


# -- user source ratings --------------------------------------------------------------------------


def _normalise_domain(value: str) -> str:
    host = value.strip().casefold()
    for prefix in ("https://", "http://"):
        host = host.removeprefix(prefix)
    return host.split("/")[0].split(":")[0].removeprefix("www.").rstrip(".")


def load_source_ratings(path: Path) -> dict[str, float]:
    """Read a CSV of ``domain,score`` rows (score 0-100; an optional header line; ``#`` comments).

    Raises InputNotFound (WC101), InputUnreadable (WC102), EmptyInput (WC104), UndecodableText
    (WC106) or MalformedRecord (WC108, naming the line) for a bad file.
    """
    hint = "each line must be DOMAIN,SCORE with SCORE between 0 and 100"
    if not path.exists():
        raise InputNotFound(f"source ratings file not found: {path}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UndecodableText(f"source ratings file {path} is not UTF-8") from exc
    except OSError as exc:
        raise InputUnreadable(f"cannot read source ratings file {path}: {exc}") from exc
    ratings: dict[str, float] = {}
    for number, row in enumerate(csv.reader(text.splitlines()), 1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) != 2:
            raise MalformedRecord(
                f"{path}:{number}: expected 2 columns, found {len(row)}", hint=hint
            )
        domain, raw = _normalise_domain(row[0]), row[1].strip()
        try:
            score = float(raw)
        except ValueError:
            if number == 1 and not ratings:  # a header line
                continue
            raise MalformedRecord(
                f"{path}:{number}: score {raw!r} is not a number", hint=hint
            ) from None
        if not domain or "." not in domain:
            raise MalformedRecord(f"{path}:{number}: {row[0]!r} is not a domain", hint=hint)
        if not 0.0 <= score <= 100.0 or math.isnan(score):
            raise MalformedRecord(f"{path}:{number}: score {raw} is outside 0-100", hint=hint)
        if domain in ratings and ratings[domain] != score:
            raise MalformedRecord(
                f"{path}:{number}: {domain} is rated twice ({ratings[domain]:g} and {score:g})",
                hint=hint,
            )
        ratings[domain] = score
    if not ratings:
        raise EmptyInput(f"source ratings file {path} has no ratings", hint=hint)
    return ratings


def rating_for(ratings: Mapping[str, float], article: Article) -> float | None:
    """The user rating of the article's site (or of its URL's host), trying parent domains too
    (``news.example.com`` falls back to ``example.com``)."""
    for value in (article.site, article.url):
        if not value:
            continue
        host = _normalise_domain(value)
        parts = host.split(".")
        for i in range(len(parts) - 1):
            candidate = ".".join(parts[i:])
            if candidate in ratings:
                return ratings[candidate]
    return None


# -- source prior (LIAR) ------------------------------------------------------------------------


def share_logit(good: float, bad: float) -> float:
    """Logit of a smoothed share of accurate statements: (good + 1) / (good + bad + 2)."""
    return math.log((good + 1.0) / (bad + 1.0))


def _liar_rows(path: Path) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    xs, ys = [], []
    columns = ("barely-true", "false", "half-true", "mostly-true", "pants-fire")
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 13:
                continue
            try:
                counts = dict(zip(columns, (float(v) for v in row[8:13]), strict=True))
            except ValueError:
                continue
            if row[1] in counts:  # the history includes the statement itself: take it out
                counts[row[1]] = max(0.0, counts[row[1]] - 1.0)
            good = counts["half-true"] + counts["mostly-true"]
            bad = counts["barely-true"] + counts["false"] + counts["pants-fire"]
            xs.append(share_logit(good, bad))
            ys.append(int(row[1] in LIAR_GOOD))
    return np.array(xs)[:, None], np.array(ys)


def fit_source_prior(data_root: Path) -> dict[str, Any]:
    """One weight on the logit of a source's smoothed accurate share, learned on LIAR train and
    scored on LIAR test (AUC; the statement's own label is removed from the history)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    folder = data_root / "liar_wang_2017"
    x, y = _liar_rows(folder / "train.tsv")
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    xt, yt = _liar_rows(folder / "test.tsv")
    p = lr.predict_proba(xt)[:, 1]
    return {
        "weight": float(lr.coef_[0][0]),
        "learned": True,
        "data": "LIAR (Wang 2017) train split, speaker credit history minus the statement's label",
        "train_n": len(y),
        "test_n": len(yt),
        "test_auc": float(roc_auc_score(yt, p)),
        "test_accuracy": float(((p >= 0.5) == yt).mean()),
        "test_majority_accuracy": float(max(yt.mean(), 1 - yt.mean())),
    }


# -- corroboration (Emergent, when veracity is present) -----------------------------------------


def fit_corroboration(data_root: Path) -> dict[str, Any]:
    """Learn support/contradiction weights from Emergent claims with a veracity column
    (``claimTruthiness`` true/false; "unknown" dropped): for each claim, count its articles for
    and against, and fit truth ~ log1p(for) + log1p(against). Without such a file, return the
    documented prior weights with ``learned: false``."""
    folder = data_root / "emergent_ferreira_vlachos_2016"
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "claimTruthiness" not in reader.fieldnames:
                continue
            stance_col = (
                "articleHeadlineStance"
                if "articleHeadlineStance" in reader.fieldnames
                else "articleStance"
            )
            claims: dict[str, dict[str, Any]] = {}
            for row in reader:
                item = claims.setdefault(
                    row["claimId"],
                    {"truth": row["claimTruthiness"], "for": set(), "against": set()},
                )
                stance = (row.get(stance_col) or "").strip()
                if stance in ("for", "against"):
                    item[stance].add(row.get("articleId") or row.get("id"))
        return _fit_corroboration_counts(claims, path.name)
    return {
        "support": PRIOR_SUPPORT_WEIGHT,
        "contradict": PRIOR_CONTRADICT_WEIGHT,
        "learned": False,
        "data": "none: no veracity-labelled corroboration data under the data root (the Emergent "
        "file there has stances but no claimTruthiness); prior weights set by hand",
    }


def _fit_corroboration_counts(claims: dict[str, dict[str, Any]], source: str) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rows = [
        (math.log1p(len(c["for"])), math.log1p(len(c["against"])), int(c["truth"] == "true"))
        for c in claims.values()
        if c["truth"] in ("true", "false")
    ]
    x = np.array([[a, b] for a, b, _ in rows])
    y = np.array([t for _, _, t in rows])
    lr = LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced")
    folds = min(5, int(min(y.sum(), len(y) - y.sum())))
    acc = None
    if folds >= 2:
        pred = cross_val_predict(lr, x, y, cv=StratifiedKFold(folds, shuffle=True, random_state=0))
        acc = float((pred == y).mean())
    lr.fit(x, y)
    return {
        "support": float(lr.coef_[0][0]),
        "contradict": float(lr.coef_[0][1]),
        "learned": True,
        "data": f"Emergent claims with veracity ({source}): {len(rows)} true/false claims",
        "cv_accuracy": acc,
    }
