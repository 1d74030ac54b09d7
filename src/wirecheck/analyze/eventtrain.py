"""Training the event-type classifier (:mod:`wirecheck.analyze.eventtype`): loading the PLV
splits, cross-validation, fitting and writing the artifact with its model card figures.

Kept apart from the model so that predicting never imports the training code (scikit-learn).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["cross_validate", "load_cameo_descriptions", "load_split", "train"]

from wirecheck.analyze.eventtype import (
    _FILES,
    DEFAULT_DIR,
    FORMAT_VERSION,
    LABELS,
    Embedder,
    FeatureConfig,
    Lexicon,
    _Blocks,
    _blocks,
    _softmax,
    _Vectoriser,
)
from wirecheck.errors import SettingsError
from wirecheck.minilm import sha256_file

# ---------------------------------------------------------------------------------- training


def _norm_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", unicodedata.normalize("NFKC", text).lower()).strip()


def load_split(data: Path, split: str) -> tuple[list[str], list[str]]:
    """Sentences and labels of one split of the PLV gold set (``gold.jsonl`` or its folder).

    The train split is returned without any sentence whose normalised text also occurs in the test
    split (the rule: never train on a sentence that is scored).
    """
    file = data / "gold.jsonl" if data.is_dir() else data
    try:
        rows = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line]
    except (OSError, ValueError) as exc:
        raise SettingsError(f"cannot read event training data {file}: {exc}") from exc
    test_keys = {_norm_key(r["text"]) for r in rows if r.get("split") == "test"}
    texts, labels = [], []
    for r in rows:
        if r.get("split") != split or r.get("event") not in LABELS:
            continue
        if split != "test" and _norm_key(r["text"]) in test_keys:
            continue
        texts.append(str(r["text"]))
        labels.append(str(r["event"]))
    if not texts:
        raise SettingsError(f"{file} has no labelled {split!r} rows")
    return texts, labels


def _fit(b: _Blocks, y: npt.NDArray[Any], config: FeatureConfig) -> tuple[_Vectoriser, Any]:
    from sklearn.svm import LinearSVC  # type: ignore[import-untyped, unused-ignore]

    vec = _Vectoriser.fit(b, config)
    clf = LinearSVC(C=config.svm_c, class_weight="balanced", max_iter=5000, random_state=0)
    clf.fit(vec.transform(b), y)
    return vec, clf


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    config: FeatureConfig,
    *,
    extra: Sequence[tuple[str, str]] = (),
    folds: int = 5,
    seed: int = 0,
    blocks: _Blocks | None = None,
    embedder: Embedder | None = None,
) -> tuple[dict[str, float], npt.NDArray[Any]]:
    """Stratified k-fold CV over ``texts``: (micro/macro-F1, out-of-fold decisions, LABELS order).

    ``extra`` (text, label) pairs join the training part of every fold and are never scored.
    ``blocks``, if given, must cover ``texts`` followed by the ``extra`` texts.
    """
    from sklearn.metrics import f1_score  # type: ignore[import-untyped, unused-ignore]
    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped, unused-ignore]

    n = len(texts)
    y_all = np.array(list(labels) + [label for _, label in extra])
    if blocks is None:
        lexicon = Lexicon((DEFAULT_DIR / "triggers.tsv").read_text(encoding="utf-8"))
        if config.embedding and embedder is None:
            embedder = Embedder(DEFAULT_DIR / "minilm_tokenizer.json")
        all_texts = list(texts) + [text for text, _ in extra]
        blocks = _blocks(all_texts, config, lexicon, embedder)
    extra_idx = np.arange(n, len(y_all))
    decisions = np.zeros((n, len(LABELS)))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for tr, te in splitter.split(np.zeros(n), y_all[:n]):
        fit_idx = np.concatenate([tr, extra_idx])
        vec, clf = _fit(blocks.rows(fit_idx), y_all[fit_idx], config)
        d = clf.decision_function(vec.transform(blocks.rows(te)))
        cols = [LABELS.index(c) for c in clf.classes_]
        decisions[te] = -1e3  # a label absent from the fold's training part never wins
        decisions[np.ix_(te, cols)] = d
    y = y_all[:n]
    pred = np.array(LABELS)[decisions.argmax(axis=1)]
    figures = {
        "cv_micro_f1": float(f1_score(y, pred, average="micro")),
        "cv_macro_f1": float(f1_score(y, pred, average="macro")),
    }
    return figures, decisions


def _fit_temperature(decisions: npt.NDArray[Any], y: npt.NDArray[Any]) -> float:
    """The softmax temperature minimising the CV log-loss (a one-parameter calibration)."""
    gold = np.array([LABELS.index(v) for v in y])
    best_t, best_loss = 1.0, math.inf
    for t in np.exp(np.linspace(math.log(0.05), math.log(5.0), 60)):
        p = _softmax(decisions / t)
        loss = float(-np.log(np.maximum(p[np.arange(len(gold)), gold], 1e-12)).mean())
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


#: CAMEO root code -> PLV label (the root-level mapping of CAMEO2PLOVER-2021; 01 statements have
#: no PLOVER category and are left out).
_ROOTS = (
    "02:REQUEST 03:AGREE 04:CONSULT 05:SUPPORT 06:COOPERATE 07:AID 08:YIELD 09:ACCUSE 10:REQUEST"
)
_ROOTS += " 11:ACCUSE 12:REJECT 13:THREATEN 14:PROTEST 15:MOBILIZE 16:SANCTION 17:COERCE 18:ASSAULT"
_CAMEO_ROOT = dict(pair.partition(":")[::2] for pair in (_ROOTS + " 19:ASSAULT 20:ASSAULT").split())


def load_cameo_descriptions(codes_csv: Path) -> list[tuple[str, str]]:
    """(name + definition, label) for every CAMEO sub-code: codebook text, never example sentences
    (the CAMEO manual's examples are in the PLV test split). Adding them raised mean CV micro-F1
    over two seeds from 0.791 to 0.794 and macro-F1 from 0.750 to 0.757."""
    import csv

    try:
        with codes_csv.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SettingsError(f"cannot read CAMEO code table {codes_csv}: {exc}") from exc
    out = []
    for r in rows:
        plover = (r.get("plover_event") or "").strip().upper()
        label = "YIELD" if plover in ("CONCEDE", "RETREAT") else plover
        if label not in LABELS:
            label = _CAMEO_ROOT.get(r.get("root_code") or "", "")
        if label and r.get("level") != "0" and r.get("description"):
            out.append((f"{r['name']}. {r['description']}", label))
    return out


def train(
    data: Path,
    out: Path,
    config: FeatureConfig | None = None,
    *,
    cameo_codes: Path | None = None,
) -> dict[str, float]:
    """Train on the PLV train split of ``data``; write the artifact to ``out``; return CV figures.

    ``cameo_codes`` (default: ``cameo_codebook/cameo_codes.csv`` beside the PLV folder, if present)
    adds the CAMEO code definitions as extra training text. ``out`` gets model.json, weights.npz,
    copies of the trigger lexicon and tokenizer, and MODEL_CARD.md with its figures rewritten.
    """
    config = config or FeatureConfig()
    data = Path(data)
    texts, labels = load_split(data, "train")
    if cameo_codes is None:
        folder = data if data.is_dir() else data.parent
        candidate = folder.parent / "cameo_codebook" / "cameo_codes.csv"
        cameo_codes = candidate if candidate.exists() else None
    extra = load_cameo_descriptions(cameo_codes) if cameo_codes is not None else []
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("triggers.tsv", "minilm_tokenizer.json", "MODEL_CARD.md"):
        src, dst = DEFAULT_DIR / name, out / name
        if src.exists() and not (dst.exists() and dst.resolve() == src.resolve()):
            shutil.copyfile(src, dst)
    lexicon = Lexicon((out / "triggers.tsv").read_text(encoding="utf-8"))
    embedder = Embedder(out / "minilm_tokenizer.json") if config.embedding else None
    blocks = _blocks(list(texts) + [t for t, _ in extra], config, lexicon, embedder)
    # 5 folds, fewer when a label has fewer than 5 sentences (small custom training sets).
    folds = max(2, min(5, *(labels.count(label) for label in set(labels))))
    figures, decisions = cross_validate(
        texts, labels, config, extra=extra, blocks=blocks, folds=folds
    )
    temperature = _fit_temperature(decisions, np.array(labels))
    config = FeatureConfig(**{**asdict(config), "temperature": temperature})
    vec, clf = _fit(blocks, np.array(list(labels) + [label for _, label in extra]), config)
    coef = np.zeros((len(LABELS), clf.coef_.shape[1]), dtype=np.float32)
    intercept = np.full(len(LABELS), -1e3, dtype=np.float32)  # a label never seen never wins
    for k, c in enumerate(clf.classes_):
        coef[LABELS.index(c)] = clf.coef_[k]
        intercept[LABELS.index(c)] = clf.intercept_[k]
    # float16 halves the file; CV predictions are unchanged at this precision.
    np.savez_compressed(
        out / "weights.npz",
        word_cols=vec.word_cols,
        word_idf=vec.word_idf.astype(np.float16),
        char_cols=vec.char_cols,
        char_idf=vec.char_idf.astype(np.float16),
        coef=coef.astype(np.float16),
        intercept=intercept,
    )
    figures = {
        **figures,
        "train_sentences": float(len(texts)),
        "cameo_definitions": float(len(extra)),
        "temperature": temperature,
    }
    sources = ["PLV event coding gold set (He et al.), train split, test overlaps removed"]
    if extra:
        sources.append(f"CAMEO code definitions ({cameo_codes.name if cameo_codes else ''})")
    meta = {
        "format": FORMAT_VERSION,
        "labels": list(LABELS),
        "config": asdict(config),
        "training": {"data": sources, **figures},
        "sha256": {name: sha256_file(out / name) for name in _FILES},
    }
    (out / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    _update_card(out / "MODEL_CARD.md", figures)
    return figures


def _replace_block(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text or end not in text:
        return text
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{body}\n{end}{tail}"


def _update_card(card: Path, figures: dict[str, float]) -> None:
    if not card.exists():
        return
    train_block = (
        "| figure | value |\n|---|---|\n"
        f"| training sentences (PLV train, test overlaps removed) | {figures['train_sentences']:.0f} |\n"
        f"| extra training texts (CAMEO code definitions) | {figures['cameo_definitions']:.0f} |\n"
        f"| 5-fold CV micro-F1 (train) | {figures['cv_micro_f1']:.3f} |\n"
        f"| 5-fold CV macro-F1 (train) | {figures['cv_macro_f1']:.3f} |\n"
        f"| softmax temperature (fitted on CV log-loss) | {figures['temperature']:.3f} |"
    )
    test_block = (
        "Not measured for these weights yet: run `benchmarks/bench_event_type.py DATA_DIR`."
    )
    text = card.read_text(encoding="utf-8")
    text = _replace_block(text, "train-figures", train_block)
    text = _replace_block(text, "test-figures", test_block)
    card.write_text(text, encoding="utf-8")
