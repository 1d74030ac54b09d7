"""The shipped stance model on hand-written sentences (invented names; no shared data).

Each case checks the stance and that the explicit check behind it is named in the reasons.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from wirecheck.errors import SettingsError, UsageError
from wirecheck.verify.stance import STANCES, StanceModel, apply_checks, focus_text, train_stance

CLAIM = "President Alvarez signed the water treaty with Ecuador on Tuesday"


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load()


def test_support(model: StanceModel) -> None:
    stance, score, _ = model.predict(CLAIM, "Alvarez signs water treaty with Ecuador")
    assert stance == "supports"
    assert 0.5 < score <= 1.0


def test_negation_contradicts(model: StanceModel) -> None:
    stance, _, reasons = model.predict(
        CLAIM, "President Alvarez did not sign the water treaty with Ecuador"
    )
    assert stance == "contradicts"
    assert "negation" in reasons


def test_denial_verb_contradicts(model: StanceModel) -> None:
    stance, _, reasons = model.predict(
        CLAIM, "The government denied that President Alvarez signed the water treaty"
    )
    assert stance == "contradicts"
    assert "denial verb: denied" in reasons


def test_number_mismatch_contradicts(model: StanceModel) -> None:
    claim = "Floods killed 14 people in the northern province on Monday"
    for cosine in (None, 0.9):
        stance, _, reasons = model.predict(
            claim, "Floods killed 140 people in the northern province on Monday", cosine=cosine
        )
        assert stance == "contradicts"
        assert any(r.startswith("number mismatch: 14") for r in reasons)
    same, _, _ = model.predict(claim, "Floods killed 14 people in the northern province")
    assert same == "supports"


def test_hedged_report_discusses(model: StanceModel) -> None:
    stance, _, reasons = model.predict(
        CLAIM, "President Alvarez reportedly signed a water treaty, sources say"
    )
    assert stance == "discusses"
    assert any(r.startswith("hedge:") for r in reasons)


def test_unrelated(model: StanceModel) -> None:
    stance, _, _ = model.predict(CLAIM, "Heavy snow closed schools across the capital")
    assert stance == "unrelated"


def test_apply_checks_leaves_hedged_and_contradicting_alone() -> None:
    assert apply_checks("supports", ["number mismatch: 3 vs 5"]) == "contradicts"
    assert apply_checks("discusses", ["number mismatch: 3 vs 5", "hedge: may"]) == "discusses"
    assert apply_checks("supports", ["actor mismatch: A vs B"]) == "supports"
    assert apply_checks("unrelated", ["date mismatch: Monday vs Friday"]) == "unrelated"


def test_long_text_is_cut_to_the_sentences_about_the_claim(model: StanceModel) -> None:
    filler = " ".join(f"The weather in the valley was mild on day {i}." for i in range(12))
    body = (
        "Officials met in the capital on Wednesday. " + filler + " The government denied that "
        "President Alvarez signed the water treaty with Ecuador. " + filler
    )
    focused = focus_text(CLAIM, body)
    assert "denied" in focused and len(focused) < len(body) / 3
    stance, _, _ = model.predict(CLAIM, body)
    assert stance == "contradicts"


def test_batch_equals_single(model: StanceModel) -> None:
    others = ["Alvarez signs water treaty with Ecuador", "Heavy snow closed schools"]
    batch = model.predict_pairs([(CLAIM, o) for o in others], None)
    assert batch == [model.predict(CLAIM, o) for o in others]
    assert all(s in STANCES for s, _, _ in batch)


def test_missing_weights_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError):
        StanceModel.load(tmp_path)
    (tmp_path / "stance_model.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SettingsError):
        StanceModel.load(tmp_path)


def test_train_needs_the_emergent_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        train_stance(tmp_path, tmp_path / "out")


def test_train_writes_a_loadable_model(tmp_path: Path) -> None:
    """A tiny invented Emergent-format file: training runs end to end and the result loads."""
    rows = []
    topics = [
        ("Pilot landed a plane on the motorway near Tarnow", "plane", "motorway"),
        ("Zoo panda gave birth to twins in Lisbon", "panda", "twins"),
        ("Mayor banned cars from the old town of Brugg", "mayor", "cars"),
        ("Singer cancelled the Oslo concert after a fall", "singer", "concert"),
        ("Farmer found a gold coin hoard in a field at Kerry", "farmer", "coin"),
    ]
    for c, (claim, a, b) in enumerate(topics):
        for k, (head, label) in enumerate(
            [
                (f"The {a} story is true: {b} confirmed", "for"),
                (f"{a.title()} {b} report is a hoax, officials deny it", "against"),
                (f"{a.title()} reportedly involved in {b} claim", "observing"),
                (f"Witnesses confirm {a} and {b} account", "for"),
            ]
        ):
            rows.append([str(c * 10 + k), claim, head, label, f"a{c}{k}", f"c{c}"])
    data = tmp_path / "emergent"
    data.mkdir()
    with (data / "url-versions-2015-06-14-clean.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "id",
                "claimHeadline",
                "articleHeadline",
                "articleHeadlineStance",
                "articleId",
                "claimId",
            ]
        )
        writer.writerows(rows)
    figures = train_stance(data, tmp_path / "out")
    assert figures["pairs"] == 20 and figures["claims"] == 5
    saved = json.loads((tmp_path / "out" / "stance_model.json").read_text(encoding="utf-8"))
    assert saved["labels"] == list(STANCES) and saved["figures"] == figures
    trained = StanceModel.load(tmp_path / "out")
    stance, _, _ = trained.predict(topics[0][0], "The plane story is true: motorway confirmed")
    assert stance in STANCES
