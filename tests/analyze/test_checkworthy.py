"""The packaged check-worthiness model: artifact integrity, the cue features, and a regression
floor on a small gold set written for this test (fictional; not from any shared data set)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from wirecheck.analyze.checkworthy import (
    CUE_NAMES,
    DEFAULT_DIR,
    CheckworthyModel,
    average_precision,
    best_threshold,
    cue_features,
    factual_cue,
)
from wirecheck.errors import SettingsError

#: 1 = a check-worthy factual claim (a number, an event, a checkable state of affairs);
#: 0 = opinion, question, pleasantry, call to action, vague talk.
GOLD: list[tuple[str, int]] = [
    ("Unemployment fell to 4.1 percent in the third quarter, the lowest rate since 2008.", 1),
    ("The government spent 2.3 billion euros on the new rail line last year.", 1),
    ("Three people were killed when the bridge collapsed on Tuesday night.", 1),
    ("The company laid off 1,200 workers at its two plants in Ohio.", 1),
    ("Exports to China doubled between 2015 and 2020.", 1),
    ("The army moved two tank battalions to the northern border in March.", 1),
    ("Crime in the capital rose by 12 percent in the first six months of the year.", 1),
    ("The treaty was signed by 48 countries but ratified by only 19.", 1),
    ("Our state has lost half of its manufacturing jobs over the last decade.", 1),
    ("The minister voted against the budget three times.", 1),
    ("More than 40,000 people crossed the border illegally in May.", 1),
    ("The central bank raised its main interest rate to 5.25 percent on Thursday.", 1),
    ("Taxes on small businesses went up by 30 percent under the last administration.", 1),
    ("The pipeline carries 6 million cubic metres of gas a day to the coast.", 1),
    ("The hospital closed its emergency ward in January because of a shortage of doctors.", 1),
    ("Police arrested 14 people after the protest outside parliament.", 1),
    ("The country imports two thirds of its oil from a single supplier.", 1),
    ("The senator received 2 million dollars from the oil industry during the campaign.", 1),
    ("Average wages have not grown since 2019 once inflation is taken into account.", 1),
    ("The navy will hold a two-week exercise with 40 ships starting on October 20.", 1),
    ("I think we can do much better than this.", 0),
    ("Thank you very much, it is wonderful to be here tonight.", 0),
    ("What are you going to do about it?", 0),
    ("We have to come together as a nation and look to the future.", 0),
    ("I love this country and I love the people of this great state.", 0),
    ("That is a very good question.", 0),
    ("Let me be very clear about one thing.", 0),
    ("My opponent simply does not understand the people of this country.", 0),
    ("We need leadership that believes in the American dream.", 0),
    ("Good evening and welcome to the debate.", 0),
    ("I hope that everyone will go out and vote next week.", 0),
    ("Nobody knows what the future will bring.", 0),
    ("Please share this with your friends and family.", 0),
    ("It is time for a change.", 0),
    ("I am proud of what we have achieved together.", 0),
    ("We will fight for every family in every town.", 0),
    ("Well, I disagree with that.", 0),
    ("Believe me, it is going to be fantastic.", 0),
    ("Folks, this is not about left or right.", 0),
    ("Can you tell us more about your plan?", 0),
]

# Measured on the model packaged on 2026-11-22 (ClaimBuster-trained, MODEL_CARD.md): average
# precision 1.000 and F1 1.000 at the shipped threshold (the 20 check-worthy sentences score
# 0.57-1.00, the 20 others 0.00-0.02). The floors leave room for a retrained model, not for a
# broken one.
AP_FLOOR = 0.95
F1_FLOOR = 0.90


@pytest.fixture(scope="module")
def model() -> CheckworthyModel:
    return CheckworthyModel.load()


def test_gold_regression_floor(model: CheckworthyModel) -> None:
    texts = [t for t, _ in GOLD]
    labels = [y for _, y in GOLD]
    scores = model.predict(texts)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert average_precision(labels, scores) >= AP_FLOOR
    pred = [s >= model.threshold for s in scores]
    tp = sum(p and y for p, y in zip(pred, labels, strict=True))
    f1 = 2 * tp / (sum(pred) + sum(labels))
    assert f1 >= F1_FLOOR, [(t, round(s, 3)) for t, s in zip(texts, scores, strict=True)]


def test_thresholds_are_probabilities(model: CheckworthyModel) -> None:
    assert 0.0 < model.cue_threshold <= model.threshold < 1.0
    assert model.is_checkworthy(model.threshold, cue=False)
    assert not model.is_checkworthy(model.cue_threshold - 1e-6, cue=True)
    assert model.is_checkworthy(model.cue_threshold, cue=True)


def test_predict_edge_cases(model: CheckworthyModel) -> None:
    assert model.predict([]) == []
    (p,) = model.predict([""])
    assert 0.0 <= p <= 1.0
    a, b = model.predict(
        ["Exports fell by 8 percent in 2024.", "Exports fell by 8 percent in 2024."]
    )
    assert a == pytest.approx(b)


def test_shared_encoder_gives_the_same_scores(model: CheckworthyModel) -> None:
    shared = CheckworthyModel.load(embedder=model.embedder)
    assert shared.embedder is model.embedder
    texts = ["The army moved two battalions to the border.", "Thank you all."]
    assert shared.predict(texts) == pytest.approx(model.predict(texts), abs=1e-6)


def test_remembered_vectors_are_reused(model: CheckworthyModel) -> None:
    embedder = model.embedder
    assert embedder is not None
    texts = ["Ships left port on Monday.", "The drills begin on Tuesday."]
    fresh = embedder.embed(texts)
    embedder.remember(texts)
    assert np.allclose(embedder.embed(texts[::-1]), fresh[::-1], atol=1e-3)
    embedder.remember([])


def test_cue_features() -> None:
    x = cue_features(["Exports rose 8% in 2024, to 3 million euros.", "Why would you say that?"])
    assert x.shape == (2, len(CUE_NAMES))
    col = dict(zip(CUE_NAMES, range(len(CUE_NAMES)), strict=True))
    assert x[0, col["percent"]] > 0 and x[0, col["year"]] > 0 and x[0, col["money"]] > 0
    assert x[1, col["question"]] > 0 and x[1, col["second_person"]] > 0
    assert x[1, col["digits"]] == 0


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Ships left port on Monday.", True),
        ("Twelve ships took part.", True),
        ("It rose by 3.5 percent.", True),
        ("The talks resumed in May.", True),
        ("The talks may resume soon.", False),
        ("The ships left port.", False),
    ],
)
def test_factual_cue(text: str, cue: bool) -> None:
    assert factual_cue(text) is cue


def test_best_threshold_and_average_precision() -> None:
    labels = np.array([1, 0, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.2, 0.1])
    f1, threshold = best_threshold(labels, scores)
    assert f1 == pytest.approx(0.8) and threshold == 0.7
    assert average_precision([1, 0, 1], [0.9, 0.8, 0.7]) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision([0, 0], [0.1, 0.2]) == 0.0


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    for name in ("model.json", "weights.npz"):
        shutil.copyfile(DEFAULT_DIR / name, tmp_path / name)
    with (tmp_path / "weights.npz").open("ab") as fh:
        fh.write(b"x")
    with pytest.raises(SettingsError, match="sha256"):
        CheckworthyModel.load(tmp_path)


def test_unknown_format_and_missing_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        CheckworthyModel.load(tmp_path)
    meta = json.loads((DEFAULT_DIR / "model.json").read_text(encoding="utf-8"))
    meta["format"] = 99
    (tmp_path / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(SettingsError, match="format"):
        CheckworthyModel.load(tmp_path)


def test_train_writes_a_loadable_artifact(tmp_path: Path) -> None:
    """The training path end to end on the gold sentences (no MiniLM, to stay fast): CSV and
    CLEF-style folders in, model.json + weights.npz + card out, the artifact loads and ranks."""
    import csv

    from wirecheck.analyze.checkworthy import CheckworthyConfig, train_checkworthy

    rows = GOLD * 2  # 4 folds need a few examples of each class per fold
    with (tmp_path / "kfold_25ncs.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sentence_id", "screening", "label", "text"])
        for i, (text, label) in enumerate(rows):
            writer.writerow([i, -3, label, text])
    clef = tmp_path / "clef"
    for split, lines in (("training", GOLD[:6]), ("test_annotated", GOLD[-4:])):
        (clef / split).mkdir(parents=True)
        body = "".join(f"{i}\tSPEAKER\t{t}\t{y}\n" for i, (t, y) in enumerate(lines, 1))
        (clef / split / "debate.tsv").write_text(body, encoding="utf-8")
    out = tmp_path / "model"
    config = CheckworthyConfig(embedding=False, clef_weight=0.5)
    figures = train_checkworthy(tmp_path, clef, out, config)
    # The 4 test-debate sentences (twice each) never reach the training data.
    assert figures["train_claimbuster"] == len(rows) - 8 and figures["train_clef"] == 6
    assert 0.0 <= figures["cv_f1"] <= 1.0 and figures["cue_threshold"] <= figures["threshold"]
    assert {p.name for p in out.iterdir()} == {"model.json", "weights.npz", "MODEL_CARD.md"}
    assert json.loads((out / "model.json").read_text())["config"]["clef_weight"] == 0.5
    model = CheckworthyModel.load(out)
    assert model.embedder is None
    high, low = model.predict(["Exports fell by 12 percent in 2023.", "Thank you so much."])
    assert high > low
