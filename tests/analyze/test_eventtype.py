"""The event-type classifier: the packaged artifact loads, predicts sensible labels on hand-written
sentences, survives odd input, and refuses a corrupted or tampered artifact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from wirecheck.analyze.eventtrain import train
from wirecheck.analyze.eventtype import (
    DEFAULT_DIR,
    LABELS,
    EventTypeModel,
    EventTypePrediction,
    Lexicon,
)
from wirecheck.errors import SettingsError

FIXTURE = Path(__file__).parent.parent / "fixtures" / "analyze" / "eventtype_sentences.tsv"


@pytest.fixture(scope="module")
def model() -> EventTypeModel:
    return EventTypeModel.load()


def _cases() -> list[tuple[str, str]]:
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, _, text = line.partition("\t")
            rows.append((label, text))
    return rows


def test_packaged_model_gets_obvious_sentences_right(model: EventTypeModel) -> None:
    cases = _cases()
    preds = model.predict([text for _, text in cases])
    right = [gold == p.label for (gold, _), p in zip(cases, preds, strict=True)]
    misses = [
        (gold, p.label, text)
        for (gold, text), p, ok in zip(cases, preds, right, strict=True)
        if not ok
    ]
    # A floor, not an exact check: retraining may move a borderline sentence. The packaged model
    # gets 23 of 28 (it misses e.g. "met his counterpart" -> YIELD, "promised to ratify" -> SUPPORT).
    assert sum(right) >= 0.75 * len(cases), misses


def test_prediction_shape_and_scores(model: EventTypeModel) -> None:
    (pred,) = model.predict(["Police arrested twenty protesters in the capital."])
    assert isinstance(pred, EventTypePrediction)
    assert set(pred.scores) == set(LABELS)
    assert pred.label in LABELS
    assert pred.score == max(pred.scores.values())
    assert sum(pred.scores.values()) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize(
    "sentences",
    [[], [""], ["   ", "\n\t"], ["!!! ??? ..."], ["x" * 20_000], ["Ça va? 北京 😀 — ‘quoted’"]],
)
def test_odd_input_does_not_crash(model: EventTypeModel, sentences: list[str]) -> None:
    preds = model.predict(sentences)
    assert len(preds) == len(sentences)
    for p in preds:
        assert p.label in LABELS
        assert 0.0 <= p.score <= 1.0


def test_predictions_do_not_depend_on_batch(model: EventTypeModel) -> None:
    texts = [t for _, t in _cases()[:6]]
    together = model.predict(texts)
    alone = [model.predict([t])[0] for t in texts]
    assert [p.label for p in together] == [p.label for p in alone]
    assert np.allclose([p.score for p in together], [p.score for p in alone], atol=1e-3)


@pytest.fixture
def artifact_copy(tmp_path: Path) -> Path:
    out = tmp_path / "eventtype"
    shutil.copytree(DEFAULT_DIR, out)
    return out


def test_copy_loads(artifact_copy: Path) -> None:
    assert EventTypeModel.load(artifact_copy).labels == LABELS


def test_corrupted_weights_are_rejected(artifact_copy: Path) -> None:
    weights = artifact_copy / "weights.npz"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(SettingsError):
        EventTypeModel.load(artifact_copy)


def test_truncated_weights_are_rejected_even_with_matching_hash(artifact_copy: Path) -> None:
    import hashlib

    weights = artifact_copy / "weights.npz"
    weights.write_bytes(weights.read_bytes()[:1000])
    meta_file = artifact_copy / "model.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["sha256"]["weights.npz"] = hashlib.sha256(weights.read_bytes()).hexdigest()
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(SettingsError):
        EventTypeModel.load(artifact_copy)


def test_edited_lexicon_and_bad_metadata_are_rejected(artifact_copy: Path) -> None:
    lexicon = artifact_copy / "triggers.tsv"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "ASSAULT\tpummel*\n", encoding="utf-8")
    with pytest.raises(SettingsError):
        EventTypeModel.load(artifact_copy)
    (artifact_copy / "model.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SettingsError):
        EventTypeModel.load(artifact_copy)


def test_missing_artifact_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        EventTypeModel.load(tmp_path)


def test_lexicon_matching() -> None:
    lex = Lexicon("# comment\nSANCTION\trecall* ambassador\nCOERCE\texpel*\n")
    counts = lex.counts(["Ruritania recalled its ambassador and expelled two diplomats.", ""])
    row = dict(zip(LABELS, counts[0], strict=True))
    assert row["SANCTION"] > 0
    assert row["COERCE"] > 0
    assert row["ASSAULT"] == 0
    assert not counts[1].any()


def test_malformed_lexicon_is_rejected() -> None:
    with pytest.raises(SettingsError):
        Lexicon("NOT_A_LABEL\tfoo\n")


def test_train_writes_a_loadable_artifact(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    data = Path(__file__).parent.parent / "fixtures" / "analyze" / "eventtype_tiny.jsonl"
    out = tmp_path / "model"
    figures = train(data, out)
    # T-train-13 repeats test sentence T-test-1 (up to punctuation): it must be dropped.
    assert figures["train_sentences"] == 12
    assert figures["cameo_definitions"] == 0
    assert 0.0 <= figures["cv_micro_f1"] <= 1.0
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "| training sentences (PLV train, test overlaps removed) | 12 |" in card
    assert "Not measured for these weights yet" in card
    model = EventTypeModel.load(out)
    (pred,) = model.predict(["Police detained and deported the activists."])
    assert pred.label == "COERCE"


def test_train_rejects_unusable_data(tmp_path: Path) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"split": "test", "text": "x", "event": "AID"}\n', encoding="utf-8")
    with pytest.raises(SettingsError):
        train(bad, tmp_path / "out")
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(SettingsError):
        train(bad, tmp_path / "out")
