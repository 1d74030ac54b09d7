"""Stance of one text towards a claim: supports, contradicts, discusses or unrelated.

No NLI model can be loaded here, so the decision combines three kinds of evidence in one small
multinomial logistic regression whose weights ship as readable JSON (``data/stance/``):

* similarity: content-word overlap both ways, shared bigrams, and the MiniLM sentence-vector cosine
  when an encoder is at hand (a second, lexical-only set of weights is used without one);
* the explicit checks of :mod:`wirecheck.verify._stancecues` (negation, mismatched numbers, dates,
  places or actors, denial verbs, refuting and hedging words, questions), each also crossed with
  similarity (a denial only matters in a text about the same thing);
* a bag of words of the other text (cue words such as "reportedly", "hoax", "confirms").

It is trained on Emergent (Ferreira & Vlachos 2016; claim vs article headline, for / against /
observing) plus "unrelated" pairs made by pairing each claim with headlines of other claims, by
:func:`train_stance` (``wirecheck train stance DATA``). A long other text (an article body) is first
cut down to the few sentences closest to the claim, so a body is read like a headline.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from wirecheck.errors import SettingsError, UsageError
from wirecheck.verify._stancecues import CUE_NAMES, TextInfo, compare, read_text, split_segments

if TYPE_CHECKING:
    from wirecheck.verify.encoder import SentenceEncoder

__all__ = [
    "EMERGENT_LABELS",
    "STANCES",
    "WEIGHTS_FILE",
    "StanceModel",
    "apply_checks",
    "focus_text",
    "load_emergent",
    "train_stance",
]

FloatArray = npt.NDArray[np.float64]

STANCES = ("supports", "contradicts", "discusses", "unrelated")
EMERGENT_LABELS = {"for": "supports", "against": "contradicts", "observing": "discusses"}
DATA_DIR = Path(__file__).parent / "data" / "stance"
WEIGHTS_FILE = "stance_model.json"
EMERGENT_FILE = "url-versions-2015-06-14-clean.csv"

#: Similarity above which two texts "say the same thing" for the substitution checks of
#: ``compare`` (a different number / name / date is then a mismatch, not a different topic).
#: Cosine 0.6 and overlap 0.5 are set by hand (typical MiniLM cosine of paraphrases), not tuned.
SIMILAR_COSINE = 0.6
SIMILAR_OVERLAP = 0.5
#: A long other text is cut to this many sentences: the ones sharing most content with the claim,
#: plus the first (the lead).
FOCUS_SENTENCES = 2
FOCUS_MIN_WORDS = 45
#: Bag-of-words vocabulary: words of the other text seen with at least this many distinct claims
#: in training (so topic words of one rumour cannot become stance cues).
MIN_CLAIMS = 4
#: Unrelated examples per claim in training: headlines of other claims (random).
NEGATIVES_PER_CLAIM = 8
#: Inverse regularisation: Emergent claim-grouped 10-fold CV accuracy 0.746 / 0.745 / 0.731 for
#: C = 0.1 / 0.3 / 1 (RESULTS-stance.md); 0.3 kept.
C_VALUE = 0.3

_SIM_NAMES = ("overlap_claim", "overlap_other", "jaccard", "bigram_overlap", "other_words")
_CROSSED = (
    "refute_one_side",
    "denial_verb",
    "negation_mismatch",
    "hedge_other",
    "question_other",
    "number_mismatch",
    "date_mismatch",
    "place_mismatch",
    "actor_mismatch",
)
_MISMATCH = ("number mismatch", "date mismatch", "place mismatch")
_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\?")


def dense_names(semantic: bool) -> tuple[str, ...]:
    sims = _SIM_NAMES + (("cosine",) if semantic else ())
    return CUE_NAMES + sims + tuple("sim_x_" + n for n in _CROSSED)


def _bigrams(info: TextInfo) -> set[tuple[str, str]]:
    w = [x for x in info.words if x in info.content or x.rstrip("s") in info.content]
    return set(itertools.pairwise(w))


def focus_text(claim: str, other: str) -> str:
    """The part of ``other`` to compare with ``claim``: all of it when short, else the lead
    sentence and the sentences sharing most content words with the claim, in text order."""
    if len(other.split()) <= FOCUS_MIN_WORDS:
        return other
    segments = split_segments(other)
    if len(segments) <= FOCUS_SENTENCES + 1:
        return other
    wanted = read_text(claim).content
    scored = sorted(
        range(1, len(segments)),
        key=lambda i: (-len(wanted & read_text(segments[i]).content), i),
    )
    keep = sorted({0, *scored[:FOCUS_SENTENCES]})
    return " ".join(segments[i] for i in keep)


def pair_features(
    claim: str, other: str, cosine: float | None
) -> tuple[list[float], list[str], list[str]]:
    """Dense features (in :func:`dense_names` order), bag-of-words tokens and readable reasons."""
    a, b = read_text(claim), read_text(other)
    shared = len(a.content & b.content)
    overlap_claim = shared / max(len(a.content), 1)
    overlap_other = shared / max(len(b.content), 1)
    jaccard = shared / max(len(a.content | b.content), 1)
    ba, bb = _bigrams(a), _bigrams(b)
    bigram = len(ba & bb) / max(len(ba), 1)
    sim = overlap_claim if cosine is None else 0.5 * (overlap_claim + max(cosine, 0.0))
    similar = overlap_claim >= SIMILAR_OVERLAP or (cosine is not None and cosine >= SIMILAR_COSINE)
    cues, reasons = compare(a, b, similar)
    sims = [overlap_claim, overlap_other, jaccard, bigram, math.log1p(len(b.words)) / 5.0]
    if cosine is not None:
        sims.append(cosine)
    by_name = dict(zip(CUE_NAMES, cues, strict=True))
    crossed = [sim * by_name[n] for n in _CROSSED]
    tokens = sorted({t for t in _TOKEN_RE.findall(b.text.lower())})
    return cues + sims + crossed, tokens, reasons


# ------------------------------------------------------------------------------------ the model


@dataclass(frozen=True)
class _Weights:
    names: tuple[str, ...]
    mean: FloatArray
    scale: FloatArray
    coef: FloatArray  # (len(names), len(STANCES))
    vocab: dict[str, FloatArray]  # token -> (len(STANCES),)
    intercept: FloatArray

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Weights:
        dense = data["dense"]
        names = tuple(dense)
        return cls(
            names=names,
            mean=np.array([dense[n]["mean"] for n in names], dtype=np.float64),
            scale=np.array([dense[n]["scale"] for n in names], dtype=np.float64),
            coef=np.array([dense[n]["weights"] for n in names], dtype=np.float64),
            vocab={t: np.array(w, dtype=np.float64) for t, w in data["words"].items()},
            intercept=np.array(data["intercept"], dtype=np.float64),
        )

    def logits(
        self, dense: Sequence[Sequence[float]], tokens: Sequence[Sequence[str]]
    ) -> FloatArray:
        x = (np.asarray(dense, dtype=np.float64) - self.mean) / self.scale
        out = x @ self.coef + self.intercept
        for row, toks in enumerate(tokens):
            for t in toks:
                w = self.vocab.get(t)
                if w is not None:
                    out[row] += w
        return out


class StanceModel:
    """The shipped stance classifier. Build with :meth:`load`; thread-safe for reading."""

    def __init__(self, semantic: _Weights, lexical: _Weights, meta: dict[str, Any]) -> None:
        self.semantic = semantic
        self.lexical = lexical
        self.meta = meta

    @classmethod
    def load(cls, directory: Path | None = None) -> StanceModel:
        """Read ``stance_model.json`` from ``directory`` (default: the packaged weights)."""
        path = (DATA_DIR if directory is None else Path(directory)) / WEIGHTS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                _Weights.from_json(data["semantic"]), _Weights.from_json(data["lexical"]), data
            )
        except FileNotFoundError as exc:
            raise SettingsError(
                f"no stance model at {path}", hint="run `wirecheck train stance DATA` or reinstall"
            ) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise SettingsError(
                f"{path} is not a wirecheck stance model: {exc}",
                hint="run `wirecheck train stance DATA` again",
            ) from exc

    def predict(
        self, claim_text: str, other_text: str, *, cosine: float | None = None
    ) -> tuple[str, float, tuple[str, ...]]:
        """Stance of ``other_text`` towards ``claim_text``, its probability and the reasons.

        ``cosine``: the sentence-vector cosine of the two texts if the caller has it (see
        :meth:`predict_many` to have it computed)."""
        return self.predict_pairs([(claim_text, other_text)], None if cosine is None else [cosine])[
            0
        ]

    def predict_many(
        self, pairs: Sequence[tuple[str, str]], encoder: SentenceEncoder | None = None
    ) -> list[tuple[str, float, tuple[str, ...]]]:
        """Like :meth:`predict` for many pairs; with an encoder the cosines are computed here."""
        cosines = None
        if encoder is not None and pairs:
            focused = [focus_text(c, o) for c, o in pairs]
            texts = sorted({c for c, _ in pairs} | set(focused))
            vectors = encoder.encode(texts)
            index = {t: i for i, t in enumerate(texts)}
            cosines = [
                float(vectors[index[c]] @ vectors[index[f]])
                for (c, _), f in zip(pairs, focused, strict=True)
            ]
        return self.predict_pairs(pairs, cosines)

    def probabilities(
        self, pairs: Sequence[tuple[str, str]], cosines: Sequence[float] | None
    ) -> tuple[FloatArray, list[tuple[str, ...]]]:
        """Class probabilities (rows in ``pairs`` order, columns in :data:`STANCES` order)."""
        weights = self.lexical if cosines is None else self.semantic
        dense: list[list[float]] = []
        tokens: list[list[str]] = []
        reasons: list[tuple[str, ...]] = []
        for i, (claim, other) in enumerate(pairs):
            d, t, r = pair_features(
                claim, focus_text(claim, other), None if cosines is None else cosines[i]
            )
            dense.append(d)
            tokens.append(t)
            reasons.append(tuple(r))
        if not pairs:
            return np.zeros((0, len(STANCES))), []
        logits = weights.logits(dense, tokens)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs, reasons

    def predict_pairs(
        self, pairs: Sequence[tuple[str, str]], cosines: Sequence[float] | None
    ) -> list[tuple[str, float, tuple[str, ...]]]:
        probs, reasons = self.probabilities(pairs, cosines)
        out: list[tuple[str, float, tuple[str, ...]]] = []
        for row, why in zip(probs, reasons, strict=True):
            k = int(np.argmax(row))
            stance = apply_checks(STANCES[k], why)
            score = row[k] if stance == STANCES[k] else 1.0 - row[3]  # P(related)
            out.append((stance, round(float(score), 4), why))
        return out


def apply_checks(stance: str, reasons: Sequence[str]) -> str:
    """The explicit checks overrule "supports" (and an unhedged "discusses"): two otherwise similar
    texts that give a different number, date or place ("14 dead" vs "140 dead") are two competing
    accounts. Emergent headlines
    hardly ever differ that way, so the classifier cannot learn it; on Emergent claim-grouped CV the
    rule changes accuracy by less than 0.005 (RESULTS-stance.md)."""
    hedged = any(r.startswith(("hedge:", "question")) for r in reasons)
    if (stance == "supports" or (stance == "discusses" and not hedged)) and any(
        r.startswith(_MISMATCH) for r in reasons
    ):
        return "contradicts"
    return stance


# ------------------------------------------------------------------------------------- training


@dataclass(frozen=True)
class StancePair:
    claim: str
    other: str
    label: str  # one of STANCES
    group: str  # the claim id: no claim may straddle folds


def load_emergent(emergent_dir: Path) -> list[StancePair]:
    """The Emergent claim / headline pairs (labels mapped to :data:`STANCES`)."""
    path = Path(emergent_dir) / EMERGENT_FILE
    if not path.is_file():
        raise UsageError(
            f"{path} not found", hint="pass the emergent_ferreira_vlachos_2016 data folder"
        )
    pairs: list[StancePair] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            label = EMERGENT_LABELS.get(row["articleHeadlineStance"].strip())
            if label and row["claimHeadline"].strip() and row["articleHeadline"].strip():
                pairs.append(
                    StancePair(row["claimHeadline"], row["articleHeadline"], label, row["claimId"])
                )
    if not pairs:
        raise UsageError(f"{path} has no labelled claim/headline pairs")
    return sorted(pairs, key=lambda p: (p.group, p.other, p.label))


def add_unrelated(pairs: Sequence[StancePair], per_claim: int, seed: int = 0) -> list[StancePair]:
    """``pairs`` plus, for each claim, headlines of other claims labelled unrelated."""
    rng = np.random.default_rng(seed)
    claims: dict[str, str] = {}
    heads: dict[str, list[str]] = {}
    for p in pairs:
        claims.setdefault(p.group, p.claim)
        heads.setdefault(p.group, []).append(p.other)
    groups = sorted(claims)
    out = list(pairs)
    if len(groups) < 2:
        return out
    for g in groups:
        others = [h for h in groups if h != g]
        for j in rng.choice(len(others), size=min(per_claim, len(others)), replace=False):
            hs = heads[others[int(j)]]
            out.append(StancePair(claims[g], hs[int(rng.integers(len(hs)))], "unrelated", g))
    return out


def _features(
    pairs: Sequence[StancePair], cosines: Sequence[float] | None
) -> tuple[list[list[float]], list[list[str]]]:
    dense, tokens = [], []
    for i, p in enumerate(pairs):
        d, t, _ = pair_features(
            p.claim, focus_text(p.claim, p.other), None if cosines is None else cosines[i]
        )
        dense.append(d)
        tokens.append(t)
    return dense, tokens


def fit_weights(
    pairs: Sequence[StancePair], cosines: Sequence[float] | None, c_value: float = C_VALUE
) -> _Weights:
    """Fit one set of weights (semantic when cosines are given, else lexical)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    dense, tokens = _features(pairs, cosines)
    claims_with: dict[str, set[str]] = {}
    for p, toks in zip(pairs, tokens, strict=True):
        for t in toks:
            claims_with.setdefault(t, set()).add(p.group)
    vocab = sorted(t for t, gs in claims_with.items() if len(gs) >= MIN_CLAIMS)
    index = {t: i for i, t in enumerate(vocab)}
    x = np.asarray(dense, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    rows, cols = [], []
    for r, toks in enumerate(tokens):
        for t in toks:
            if t in index:
                rows.append(r)
                cols.append(index[t])
    bow = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(pairs), len(vocab)))
    design = sparse.hstack([sparse.csr_matrix((x - mean) / scale), bow]).tocsr()
    y = np.array([STANCES.index(p.label) for p in pairs])
    present = sorted(set(y.tolist()))
    clf = LogisticRegression(C=c_value, max_iter=3000)
    clf.fit(design, y)
    coef = np.full((design.shape[1], len(STANCES)), 0.0)
    intercept = np.full(len(STANCES), -30.0)  # a class never seen in training is never predicted
    for k, cls in enumerate(clf.classes_):
        coef[:, cls] = clf.coef_[k] if len(present) > 2 else (clf.coef_[0] if k else -clf.coef_[0])
        intercept[cls] = clf.intercept_[k] if len(present) > 2 else 0.0
    names = dense_names(cosines is not None)
    nd = len(names)
    return _Weights(
        names=names,
        mean=mean,
        scale=scale,
        coef=coef[:nd],
        vocab={t: coef[nd + i] for i, t in enumerate(vocab) if np.abs(coef[nd + i]).max() > 1e-4},
        intercept=intercept,
    )


def _round(values: FloatArray) -> list[float]:
    return [round(float(v), 5) for v in values]


def weights_json(w: _Weights) -> dict[str, Any]:
    return {
        "intercept": _round(w.intercept),
        "dense": {
            n: {
                "mean": round(float(w.mean[i]), 6),
                "scale": round(float(w.scale[i]), 6),
                "weights": _round(w.coef[i]),
            }
            for i, n in enumerate(w.names)
        },
        "words": {t: _round(v) for t, v in sorted(w.vocab.items())},
    }


def pair_cosines(pairs: Sequence[StancePair], encoder: SentenceEncoder) -> list[float]:
    focused = [focus_text(p.claim, p.other) for p in pairs]
    texts = sorted({p.claim for p in pairs} | set(focused))
    vectors = encoder.encode(texts)
    index = {t: i for i, t in enumerate(texts)}
    return [
        float(vectors[index[p.claim]] @ vectors[index[f]])
        for p, f in zip(pairs, focused, strict=True)
    ]


def train_stance(emergent_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Train on all of Emergent (plus unrelated pairs) and write ``out_dir/stance_model.json``.

    Returns the figures written into the file: pair counts, label balance, vocabulary size and
    the training accuracy (the held-out figures come from ``benchmarks/bench_stance.py``)."""
    from wirecheck.verify.encoder import SentenceEncoder

    real = load_emergent(emergent_dir)
    pairs = add_unrelated(real, NEGATIVES_PER_CLAIM)
    encoder = SentenceEncoder.load()
    cosines = pair_cosines(pairs, encoder)
    semantic = fit_weights(pairs, cosines)
    lexical = fit_weights(pairs, None)
    model = StanceModel(semantic, lexical, {})
    predicted = model.predict_pairs([(p.claim, p.other) for p in real], cosines[: len(real)])
    train_acc = sum(s == p.label for (s, _, _), p in zip(predicted, real, strict=True)) / len(real)
    figures: dict[str, Any] = {
        "pairs": len(real),
        "claims": len({p.group for p in real}),
        "unrelated_pairs": len(pairs) - len(real),
        "labels": dict(sorted(Counter(p.label for p in real).items())),
        "semantic_words": len(semantic.vocab),
        "lexical_words": len(lexical.vocab),
        "train_accuracy_3class": round(train_acc, 4),
    }
    data = {
        "format": "wirecheck-stance-1",
        "labels": list(STANCES),
        "trained": dt.date.today().isoformat(),
        "data": "Emergent (Ferreira & Vlachos 2016), url-versions-2015-06-14-clean.csv; "
        f"{NEGATIVES_PER_CLAIM} unrelated headlines of other claims per claim",
        "settings": {
            "C": C_VALUE,
            "min_claims": MIN_CLAIMS,
            "negatives_per_claim": NEGATIVES_PER_CLAIM,
            "similar_cosine": SIMILAR_COSINE,
            "similar_overlap": SIMILAR_OVERLAP,
            "focus_sentences": FOCUS_SENTENCES,
        },
        "figures": figures,
        "semantic": weights_json(semantic),
        "lexical": weights_json(lexical),
    }
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / WEIGHTS_FILE).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return figures
