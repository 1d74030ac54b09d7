"""Credibility: how far to believe an article and each of its claims, and why.

An assessment adds up log-odds: the shipped model's intercept, one contribution per measured
signal (weight x clipped z-score, learned; see ``data/credibility/MODEL_CARD.md``), the word
profile, corroboration and contradiction by independent sources, and the source's track record
and user rating. The score is ``100 * sigmoid(sum)``; every :class:`~wirecheck.models.Signal`
carries its value, its contribution and the sentences or words behind it, so the contributions
plus the baseline add up exactly to the score's log-odds.

A claim starts from its article's score without the corroboration part, moves by how its own
attribution, quote and hedging differ from the article's average (same weights), and adds its
own corroboration and contradiction.

Bands (:func:`band_for`) come from the score, overridden by the independent-source counts:

=====================================================  ==========================================
rule (first that applies)                              band
=====================================================  ==========================================
more independent sources contradict than support it    "likely false" if score < 30, else "disputed"
some independent source contradicts it (for an       "disputed" if score < 55, else "plausible"
  article: claims carrying 1/4 of its check-worthiness)
score >= 75 and at least one independent source        "well supported"
  supports it (or its story has 2+ sources)
score >= 55                                            "plausible"
score >= 30                                            "unverified"
otherwise                                              "likely false"
=====================================================  ==========================================
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirecheck.errors import (
    SettingsError,
)
from wirecheck.models import Article, Assessment, Claim, ClaimSupport, Signal
from wirecheck.verify._credsources import (
    TrackRecord,
    article_track_record,
    load_source_ratings,
    rating_for,
    source_key,
    track_records,
)
from wirecheck.verify._signals import (
    ARTICLE_FEATURES,
    CLAIM_FEATURES,
    LEXICON_FILES,
    Lexicon,
    Measure,
    article_measures,
    claim_measures,
    load_lexicon,
    profile_counts,
    profile_decision,
)

__all__ = [
    "BANDS",
    "DEFAULT_DIR",
    "CredibilityModel",
    "TrackRecord",
    "article_track_record",
    "assess",
    "band_for",
    "load_source_ratings",
    "rating_for",
    "source_key",
    "track_records",
    "train_credibility",
]

DEFAULT_DIR = Path(__file__).parent / "data" / "credibility"
FORMAT_VERSION = 1
BANDS = ("well supported", "plausible", "unverified", "disputed", "likely false")
WELL_SUPPORTED, PLAUSIBLE, UNVERIFIED = 75.0, 55.0, 30.0
#: Share of an article's check-worthiness (summed over its claims) that must be contradicted by an
#: independent source before the article as a whole counts as contradicted (set by hand).
SOME_CONTRADICTION = 0.25
PROFILE_FEATURE = "style.word_profile"
# A source's accurate share is clipped before its logit, so "0 of 0" or a 100/100 rating cannot
# give an unbounded contribution.
_SHARE_CLIP = (0.02, 0.98)


@dataclass(frozen=True)
class FeatureWeight:
    name: str
    mean: float
    scale: float
    weight: float  # calibrated log-odds per z unit


@dataclass(frozen=True)
class CredibilityModel:
    """The shipped, learned model (``model.json`` + ``profile.json`` + the lexicon files)."""

    features: tuple[FeatureWeight, ...]
    intercept: float
    z_clip: float
    profile_idf: Mapping[str, float]
    profile_weights: Mapping[str, float]
    profile_intercept: float
    source_prior_weight: float
    support_weight: float
    contradict_weight: float
    lexicon: Lexicon
    #: Measure attribution, quotes and hedging over the analyze stage's claims (True) or over
    #: the sentences (False), as the model was trained ("statements" in model.json).
    statements_from_claims: bool = True
    meta: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path | None = None) -> CredibilityModel:
        """Read the model from ``directory`` (default: the packaged one), checking the sha256 of
        every file ``model.json`` names."""
        directory = directory or DEFAULT_DIR
        try:
            data = json.loads((directory / "model.json").read_text(encoding="utf-8"))
            profile = json.loads((directory / "profile.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SettingsError(
                f"cannot read the credibility model in {directory}: {exc}",
                hint="run `wirecheck train credibility DATA` to rebuild it",
            ) from exc
        for name, digest in data.get("sha256", {}).items():
            path = directory / name
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                raise SettingsError(
                    f"credibility model file {path} is missing or was edited after training",
                    hint="retrain: `wirecheck train credibility DATA`",
                )
        return cls.from_dict(data, profile, load_lexicon(directory))

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], profile: Mapping[str, Any], lexicon: Lexicon
    ) -> CredibilityModel:
        if data.get("format") != FORMAT_VERSION:
            raise SettingsError(
                f"credibility model format {data.get('format')!r} is not {FORMAT_VERSION}",
                hint="retrain or upgrade wirecheck",
            )
        article = data["article"]
        features = tuple(
            FeatureWeight(f["name"], float(f["mean"]), float(f["scale"]), float(f["weight"]))
            for f in article["features"]
        )
        known = {*ARTICLE_FEATURES, PROFILE_FEATURE}
        unknown = [f.name for f in features if f.name not in known]
        if unknown:
            raise SettingsError(
                f"credibility model names unknown features: {unknown}",
                hint="the model was trained by another wirecheck version",
            )
        ngrams = profile["ngrams"]
        return cls(
            features=features,
            intercept=float(article["intercept"]),
            z_clip=float(article["z_clip"]),
            profile_idf={g: float(v[0]) for g, v in ngrams.items()},
            profile_weights={g: float(v[1]) for g, v in ngrams.items()},
            profile_intercept=float(profile["intercept"]),
            source_prior_weight=float(data["source_prior"]["weight"]),
            support_weight=float(data["corroboration"]["support"]),
            contradict_weight=float(data["corroboration"]["contradict"]),
            lexicon=lexicon,
            statements_from_claims=data.get("statements", "claims") == "claims",
            meta={k: v for k, v in data.items() if k not in ("article", "sha256")},
        )

    def to_dict(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """``(model.json, profile.json)`` contents, without the sha256 block (see :meth:`save`)."""
        model = {
            **self.meta,
            "format": FORMAT_VERSION,
            "statements": "claims" if self.statements_from_claims else "sentences",
            "article": {
                "intercept": self.intercept,
                "z_clip": self.z_clip,
                "features": [
                    {
                        "name": f.name,
                        "description": _description(f.name),
                        "mean": f.mean,
                        "scale": f.scale,
                        "weight": f.weight,
                    }
                    for f in self.features
                ],
            },
            "source_prior": {
                **dict(self.meta.get("source_prior", {})),
                "weight": self.source_prior_weight,
            },
            "corroboration": {
                **dict(self.meta.get("corroboration", {})),
                "support": self.support_weight,
                "contradict": self.contradict_weight,
            },
        }
        ngrams = sorted(self.profile_idf, key=lambda g: (-self.profile_weights.get(g, 0.0), g))
        profile = {
            "intercept": self.profile_intercept,
            "ngrams": {g: [self.profile_idf[g], self.profile_weights.get(g, 0.0)] for g in ngrams},
        }
        return model, profile

    def save(self, directory: Path) -> None:
        """Write ``model.json``, ``profile.json`` and the lexicon files (copied when ``directory``
        is not the lexicon's own folder), with the sha256 of each file in ``model.json``."""
        directory.mkdir(parents=True, exist_ok=True)
        model, profile = self.to_dict()
        (directory / "profile.json").write_text(
            json.dumps(profile, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
        )
        self._copy_lexicon(directory)
        hashes = {
            name: hashlib.sha256((directory / name).read_bytes()).hexdigest()
            for name in (*LEXICON_FILES, "profile.json")
        }
        model.pop("lexicon_dir", None)
        (directory / "model.json").write_text(
            json.dumps({**model, "sha256": hashes}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )

    def _copy_lexicon(self, directory: Path) -> None:
        """Put the lexicon files the model was built with into ``directory``: from the folder
        training read them from, or the packaged folder, whichever holds files with the hashes
        of :attr:`lexicon` (so a saved model always loads with the words it was trained on)."""

        def matches(folder: Path) -> bool:
            return all(
                (folder / n).is_file()
                and hashlib.sha256((folder / n).read_bytes()).hexdigest()
                == self.lexicon.sha256.get(n)
                for n in LEXICON_FILES
            )

        if matches(directory):
            return
        candidates = [Path(str(self.meta["lexicon_dir"]))] if self.meta.get("lexicon_dir") else []
        for folder in [*candidates, DEFAULT_DIR]:
            if matches(folder):
                for name in LEXICON_FILES:
                    shutil.copyfile(folder / name, directory / name)
                return
        raise SettingsError(
            f"cannot find the lexicon files this credibility model was built with to copy to "
            f"{directory}",
            hint="retrain: `wirecheck train credibility DATA`",
        )


def _description(name: str) -> str:
    if name == PROFILE_FEATURE:
        return "word profile: score of a function-word n-gram model (see profile.json)"
    return ARTICLE_FEATURES.get(name, name)


# -- scoring --------------------------------------------------------------------------------------


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _share_logit(share: float) -> float:
    p = min(max(share, _SHARE_CLIP[0]), _SHARE_CLIP[1])
    return math.log(p / (1.0 - p))


def band_for(score: float, *, support: int, contradict: int) -> str:
    """The band for a score and the independent-source counts (table in the module docstring)."""
    if contradict > support:
        return "likely false" if score < UNVERIFIED else "disputed"
    if contradict > 0:
        return "disputed" if score < PLAUSIBLE else "plausible"
    if score >= WELL_SUPPORTED and support > 0:
        return "well supported"
    if score >= PLAUSIBLE:
        return "plausible"
    if score >= UNVERIFIED:
        return "unverified"
    return "likely false"


def _r(x: float) -> float:
    return round(x, 4)


def _profile_signal(article: Article, model: CredibilityModel) -> tuple[float, tuple[str, ...]]:
    counts = profile_counts(article.title or "", article.body, model.lexicon.function_words)
    value, parts = profile_decision(
        counts, model.profile_idf, model.profile_weights, model.profile_intercept
    )
    top = sorted(parts.items(), key=lambda kv: -abs(kv[1]))[:6]
    return value, tuple(f"“{g}” {p:+.3f}" for g, p in top if p)


def _feature_signals(
    measures: Mapping[str, Measure], model: CredibilityModel
) -> tuple[list[Signal], dict[str, float]]:
    """One signal per model feature, and each feature's z-score (for the claims)."""
    signals, zs = [], {}
    for f in model.features:
        if f.name == PROFILE_FEATURE:  # scored from the n-gram profile in assess()
            continue
        m = measures[f.name]
        z = max(-model.z_clip, min(model.z_clip, (m.value - f.mean) / f.scale))
        zs[f.name] = z
        # A zero count is a finding too ("no dates"), so it says so rather than showing nothing.
        evidence = m.evidence or ((f"none found: {_description(f.name)}",) if not m.value else ())
        signals.append(Signal(f.name, _r(m.value), _r(f.weight * z), evidence))
    return signals, zs


def _source_signals(
    model: CredibilityModel, track_record: float | None, source_rating: float | None
) -> list[Signal]:
    # Both are shares of accurate output (0..1, the rating as rating/100), read with the one
    # weight learned on LIAR; when both are known each gets half of it.
    known = [
        (n, v)
        for n, v in (
            ("source.track_record", track_record),
            ("source.rating", None if source_rating is None else source_rating / 100.0),
        )
        if v is not None
    ]
    out = []
    for name, share in known:
        contribution = model.source_prior_weight * _share_logit(share) / len(known)
        note = (
            "share of this source's checked claims that other sources corroborated"
            if name == "source.track_record"
            else "user rating of this source (0-100)"
        )
        value = share if name == "source.track_record" else share * 100.0
        out.append(Signal(name, _r(value), _r(contribution), (note,)))
    return out


def _support_evidence(claim: Claim, s: ClaimSupport) -> str:
    first = f"; first reported by {s.first_source}" if s.first_source else ""
    first += f" ({s.first_seen})" if s.first_seen else ""
    return (
        f"“{claim.text[:160]}” — supported by {s.independent_support}, contradicted by "
        f"{s.independent_contradict} independent source(s){first}"
    )


def _weight(claim: Claim) -> float:
    return max(claim.checkworthiness, 0.05)


def assess(
    article: Article,
    *,
    support: Mapping[str, ClaimSupport],
    model: CredibilityModel,
    track_record: float | None = None,
    source_rating: float | None = None,
    story_sources: int | None = None,
) -> tuple[Assessment, list[Assessment]]:
    """Assess ``article`` and each of its claims.

    ``support`` maps claim ids to their corroboration (missing = nobody else reports it);
    ``track_record`` is the source's accurate share (0..1, e.g. from
    :func:`article_track_record`), ``source_rating`` a user rating (0..100), ``story_sources``
    the number of independent sources carrying the article's story (this one included).
    """
    measures = article_measures(article, model.lexicon, use_claims=model.statements_from_claims)
    signals, zs = _feature_signals(measures, model)
    prof_value, prof_evidence = _profile_signal(article, model)
    prof = next((f for f in model.features if f.name == PROFILE_FEATURE), None)
    if prof is not None:
        z = max(-model.z_clip, min(model.z_clip, (prof_value - prof.mean) / prof.scale))
        signals.append(Signal(PROFILE_FEATURE, _r(prof_value), _r(prof.weight * z), prof_evidence))
    baseline = Signal(
        "baseline",
        _r(_sigmoid(model.intercept)),
        _r(model.intercept),
        ("the model's log-odds for an average training article",),
    )
    signals.extend(_source_signals(model, track_record, source_rating))
    notices = [n for n in article.notices if n.kind == "disclaimer"]
    if notices:  # shown, not weighted: no training article carries a notice
        signals.append(
            Signal(
                "structure.disclaimer",
                float(len(notices)),
                0.0,
                tuple(n.text[:220] for n in notices),
            )
        )
    base_logit = model.intercept + sum(s.contribution for s in signals)

    # Corroboration and contradiction, article level (see the module docstring).
    records = [(c, support[c.id]) for c in article.claims if c.id in support]
    total_w = sum(_weight(c) for c in article.claims) or 1.0
    claim_sup = sum(_weight(c) * math.log1p(s.independent_support) for c, s in records) / total_w
    claim_con = sum(_weight(c) * math.log1p(s.independent_contradict) for c, s in records) / total_w
    story = math.log(story_sources) if story_sources and story_sources > 1 else 0.0
    most_support = max([s.independent_support for _, s in records] or [0])
    others = max(most_support, (story_sources or 1) - 1)
    evidence = [_support_evidence(c, s) for c, s in records if s.independent_support][:3]
    if story_sources:
        evidence.insert(0, f"the story is carried by {story_sources} independent source(s)")
    corr = [
        Signal(
            "corroboration",
            float(others),
            _r(model.support_weight * max(claim_sup, story)),
            tuple(evidence),
        ),
        Signal(
            "contradiction",
            float(max([s.independent_contradict for _, s in records] or [0])),
            _r(model.contradict_weight * claim_con),
            tuple(_support_evidence(c, s) for c, s in records if s.independent_contradict)[:3],
        ),
    ]
    logit = base_logit + sum(s.contribution for s in corr)
    score = round(100.0 * _sigmoid(logit), 1)
    # Band: claims carrying half the check-worthiness contradicted more than supported count as
    # "more contradiction than support"; claims carrying a quarter of it contradicted at all as
    # "some contradiction". Not "any contradicted claim": an article of a dozen claims in a
    # well-covered story nearly always has one detail (a count, a time) another outlet gives
    # differently, and on the demo corpus that rule left no article "well supported".
    contested = sum(
        _weight(c) for c, s in records if s.independent_contradict > s.independent_support
    )
    touched = sum(_weight(c) for c, s in records if s.independent_contradict)
    if contested >= 0.5 * total_w:
        band = band_for(score, support=0, contradict=1)
    elif touched >= SOME_CONTRADICTION * total_w:
        band = band_for(score, support=1, contradict=1)
    else:
        band = band_for(score, support=others, contradict=0)
    article_assessment = Assessment(article.id, score, band, (baseline, *signals, *corr))
    claims = [
        _assess_claim(c, support.get(c.id), model, measures, zs, base_logit) for c in article.claims
    ]
    return article_assessment, claims


def _assess_claim(
    claim: Claim,
    s: ClaimSupport | None,
    model: CredibilityModel,
    measures: Mapping[str, Measure],
    zs: Mapping[str, float],
    article_logit: float,
) -> Assessment:
    signals = [
        Signal(
            "article",
            _r(100.0 * _sigmoid(article_logit)),
            _r(article_logit),
            ("the article's score before corroboration",),
        )
    ]
    own = claim_measures(claim)
    weights = {f.name: f for f in model.features}
    for name in CLAIM_FEATURES:
        f = weights.get(name)
        if f is None:
            continue
        z = max(-model.z_clip, min(model.z_clip, (own[name] - f.mean) / f.scale))
        # How this claim differs from its article's average (already in the article's score).
        contribution = f.weight * (z - zs[name])
        ev: tuple[str, ...] = (
            claim.text[:220],
        )  # the claim's own wording shows its attribution, quote, hedge
        if name == "hedging.hedged" and claim.hedges:
            ev = (f"hedges: {', '.join(claim.hedges)}", *ev)
        if name.startswith("attribution.") and own[name] and claim.attributed_to:
            ev = (f"attributed to {claim.attributed_to}", *ev)
        signals.append(Signal(name, own[name], _r(contribution), ev))
    sup = s.independent_support if s else 0
    con = s.independent_contradict if s else 0
    ev_s = (_support_evidence(claim, s),) if s else ("no other independent source reports it",)
    signals.append(
        Signal("corroboration", float(sup), _r(model.support_weight * math.log1p(sup)), ev_s)
    )
    signals.append(
        Signal(
            "contradiction",
            float(con),
            _r(model.contradict_weight * math.log1p(con)),
            ev_s if con else (),
        )
    )
    logit = sum(x.contribution for x in signals)
    score = round(100.0 * _sigmoid(logit), 1)
    return Assessment(claim.id, score, band_for(score, support=sup, contradict=con), tuple(signals))


# -- training -------------------------------------------------------------------------------------


def train_credibility(
    data_root: Path,
    out_dir: Path,
    *,
    enrich: Callable[[Article], Article] | None = None,
    progress: Callable[[str], None] | None = None,
    cv: bool = True,
) -> dict[str, Any]:
    """Retrain the model from the credibility data folder and write it to ``out_dir``.

    ``enrich`` fills the analyze stage's mentions and dates of a training article (the CLI
    passes one built on wirecheck.analyze; verify may not import it). Without it the specificity
    features are all zero in training, and so carry no weight. Returns the figures (also stored
    in model.json under "training").
    """
    from wirecheck.verify._credtrain import train

    lexicon_dir = out_dir if all((out_dir / n).is_file() for n in LEXICON_FILES) else DEFAULT_DIR
    lexicon = load_lexicon(lexicon_dir)
    model_dict, profile_dict, figures = train(
        data_root, lexicon, enrich=enrich, progress=progress, cv=cv
    )
    model_dict["lexicon_dir"] = str(lexicon_dir)
    model = CredibilityModel.from_dict(model_dict, profile_dict, lexicon)
    model.save(out_dir)
    return figures
