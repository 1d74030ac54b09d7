"""Benchmark story clustering (wirecheck.verify.stories) on ECB+ and on synthetic corpora.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_stories.py ../shared/data/clustering/ecbplus \
        [--grid] [--dev] [--minilm] [--determinism] [--scale 10000,100000] [--scorer PATH] \
        [--demo examples/corpus [--demo-analyze]] [--skip-ecb]

1. **ECB+** (CC BY 3.0; 982 news articles, 86 gold stories; ``ecbplus_docs.jsonl``). Only the train
   (575 docs, 50 stories) and dev (197 docs, 16 stories) splits are read; settings were tuned on
   train only, and ``--dev`` scores dev (run once, after the settings were frozen). Each document
   becomes a StoryItem: title = its first line, text = the other lines, no date, no actors or places
   (ECB+ has none; the time window and actor/place features are not exercised here). Lines that
   are only a date/time stamp ("May 03, 2013", "Updated: July 7, 2012, 10: 04 PM ET") are dropped:
   only the ecbplus half of each topic carries them, so they would leak the gold sub-topic (the
   SOURCE.txt caveat); the URL field is never read. Scored with ``../shared/eval/clustering_score.py``
   (BCubed and pairwise P/R/F1), next to its TF-IDF single-pass baseline (threshold tuned on train).
   ``--grid`` prints train BCubed F1 over the threshold and entity weight (the tuning table).
2. **Scaling**: synthetic corpora of 10k and 100k articles composed from the ECB+ train sentences
   (see ``synthetic_items``), over one fixed year, so the 100k corpus is ten times as dense in time
   as the 10k one (the harder case for blocking). Each size runs in a fresh process; the table
   gives wall time of ``cluster_stories`` (best of two runs) and of its steps, the candidate pairs
   compared, peak RSS of the process and BCubed F1 against the synthetic gold.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from wirecheck.models import Story
from wirecheck.verify.sources import SourceInfo
from wirecheck.verify.stories import StoryConfig, StoryItem, cluster_stories, story_partition

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH_DAY_RE = re.compile(r"\b" + _MONTH + r"\.?\s+\d", re.I)
_CLOCK_RE = re.compile(r"\d\s*:\s*\d\d")


def is_stamp(line: str) -> bool:
    """A short line carrying a date or a clock time: a page's date stamp, not article text."""
    if len(line.split()) > 10:
        return False
    return bool(_YEAR_RE.search(line) or _MONTH_DAY_RE.search(line) or _CLOCK_RE.search(line))


def load_docs(data_dir: Path, split: str) -> list[dict[str, Any]]:
    with (data_dir / "ecbplus_docs.jsonl").open(encoding="utf-8") as f:
        return [d for d in map(json.loads, f) if d["split"] == split]


def to_item(doc: dict[str, Any]) -> StoryItem:
    lines = [ln for ln in doc["text"].split("\n") if ln.strip() and not is_stamp(ln)]
    lines = lines or [doc["first_sentence"]]
    return StoryItem(
        article_id=doc["doc_id"],
        published=None,
        title=lines[0],
        text="\n".join(lines[1:]),
        actors=(),
        places=(),
        source=SourceInfo(article_id=doc["doc_id"]),
    )


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("clustering_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(scorer: ModuleType, docs: list[dict[str, Any]], config: StoryConfig) -> dict[str, Any]:
    groups = story_partition([to_item(d) for d in docs], config=config)
    pred = {doc_id: g[0] for g in groups for doc_id in g}
    result: dict[str, Any] = scorer.evaluate(docs, pred)
    return result


def row(name: str, split: str, r: dict[str, Any], seconds: float) -> str:
    return (
        f"| {name} | {split} | {r['bcubed_p']:.3f} | {r['bcubed_r']:.3f} | **{r['bcubed_f1']:.3f}** "
        f"| {r['pair_f1']:.3f} | {r['n_pred_clusters']}/{r['n_gold_clusters']} | {seconds:.2f} |"
    )


def ecb(data_dir: Path, scorer: ModuleType, dev: bool, grid: bool) -> None:
    splits = ["train", "dev"] if dev else ["train"]
    docs = {s: load_docs(data_dir, s) for s in splits}
    if grid:
        print("\nTrain BCubed F1 by threshold (rows) and entity weight (columns):\n")
        weights = [0.0, 0.3, 0.5, 0.7]
        print("| threshold | " + " | ".join(f"w={w}" for w in weights) + " |")
        print("|---|" + "---|" * len(weights))
        for thr in (0.15, 0.175, 0.2, 0.225, 0.25, 0.275, 0.3):
            cells = [
                score(scorer, docs["train"], StoryConfig(threshold=thr, entity_weight=w))
                for w in weights
            ]
            print(f"| {thr} | " + " | ".join(f"{c['bcubed_f1']:.3f}" for c in cells) + " |")
        print("\nTrain BCubed F1, one setting changed from the defaults:\n")
        print("| setting | values | BCubed F1 |")
        print("|---|---|---|")
        variants: dict[str, list[Any]] = {
            "title_weight": [1.0, 2.0, 3.0],
            "body_chars": [600, 1000, 1500, 2500, 100_000],
            "key_terms": [10, 20, 30, 40],
            "min_shared": [1, 2, 3],
        }
        for name, values in variants.items():
            f1s = [
                score(scorer, docs["train"], StoryConfig(**{name: v}))["bcubed_f1"] for v in values
            ]
            print(
                f"| {name} | {' / '.join(map(str, values))} | "
                + " / ".join(f"{f:.3f}" for f in f1s)
                + " |"
            )
    print(
        "\n| system | split | BCubed P | BCubed R | BCubed F1 | pairwise F1 | clusters pred/gold "
        "| seconds |"
    )
    print("|---|---|---|---|---|---|---|---|")
    tune = scorer.load_gold(str(data_dir / "ecbplus_docs.jsonl"), "train")
    grid_thr = [x / 100 for x in range(5, 80, 5)]
    best = max(
        (scorer.evaluate(tune, scorer.run_baseline(tune, t))["bcubed_f1"], t) for t in grid_thr
    )
    for split in splits:
        t0 = time.perf_counter()
        base = scorer.evaluate(docs[split], scorer.run_baseline(docs[split], best[1]))
        print(
            row(
                f"baseline TF-IDF single pass (thr {best[1]:.2f})",
                split,
                base,
                time.perf_counter() - t0,
            )
        )
    for split in splits:
        t0 = time.perf_counter()
        r = score(scorer, docs[split], StoryConfig())
        print(row("wirecheck cluster_stories", split, r, time.perf_counter() - t0))


def minilm(data_dir: Path, scorer: ModuleType, chars: int = 600) -> None:
    """Train only: does adding MiniLM cosine (title + first ``chars`` characters) to the TF-IDF
    similarity of the candidate pairs help? Prints BCubed F1 by embedding weight and threshold."""
    import numpy as np

    from wirecheck.verify import _storyfeatures as sf
    from wirecheck.verify._storylink import average_linkage
    from wirecheck.verify.encoder import SentenceEncoder

    docs = load_docs(data_dir, "train")
    items = sorted((to_item(d) for d in docs), key=lambda it: it.article_id)
    cfg = StoryConfig()
    t0 = time.perf_counter()
    vectors = SentenceEncoder.load().encode([f"{it.title}. {it.text}"[:chars] for it in items])
    seconds = time.perf_counter() - t0
    print(f"\nMiniLM: {len(items)} texts of <= {chars} chars in {seconds:.1f} s")
    feats = sf.vectorise(
        [it.title for it in items],
        [it.text for it in items],
        [it.actors for it in items],
        [it.places for it in items],
        title_weight=cfg.title_weight,
        body_chars=cfg.body_chars,
        key_terms=cfg.key_terms,
    )
    days = np.full(len(items), -1, dtype=np.int64)
    lo, hi = sf.candidate_pairs(
        feats.keys,
        days,
        14,
        neighbours=cfg.neighbours,
        max_postings=cfg.max_postings,
        min_shared=cfg.min_shared,
    )
    tfidf = sf.pair_similarity(feats, lo, hi, cfg.entity_weight)
    cosine = np.einsum("ij,ij->i", vectors[lo], vectors[hi])
    print("\n| embedding weight | " + " | ".join(f"thr {t}" for t in THRESHOLDS) + " |")
    print("|---|" + "---|" * len(THRESHOLDS))
    for weight in (0.0, 0.1, 0.2, 0.3, 0.5, 1.0):
        sim = (1 - weight) * tfidf + weight * cosine
        cells = []
        for thr in THRESHOLDS:
            groups = average_linkage(len(items), lo, hi, sim, threshold=thr)
            pred = {items[i].article_id: str(k) for k, g in enumerate(groups) for i in g}
            cells.append(scorer.evaluate(docs, pred)["bcubed_f1"])
        print(f"| {weight} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")


def demo(corpus: Path, analyze_articles: bool) -> None:
    """Stories of the demo corpus (examples/corpus; its README lists 5 gold stories), through the
    real pipeline into a temporary store; ``analyze_articles`` False skips the analyze stage, so
    the stories are found without actor codes and place ids."""
    import dataclasses
    import tempfile

    from wirecheck.pipeline import analyze
    from wirecheck.settings import Settings
    from wirecheck.store import open_store
    from wirecheck.verify.stories import story_item

    settings = Settings()
    settings = dataclasses.replace(
        settings,
        analyze=dataclasses.replace(settings.analyze, enabled=analyze_articles),
        verify=dataclasses.replace(settings.verify, enabled=False),
    )
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "demo.duckdb") as store:
        analyze([str(corpus)], settings=settings, store=store)
        articles = list(store.articles())
    names = {a.id: a.input.split("corpus/")[-1] for a in articles}
    items = [story_item(a) for a in articles]
    stories = cluster_stories(items)
    coded = sum(1 for it in items if it.actors or it.places)
    print(
        f"\nDemo corpus: {len(articles)} articles ({coded} with actor codes or place ids) -> "
        f"{len(stories)} stories\n"
    )
    for story in stories:
        print(
            f"{story.id}  {story.first_seen} .. {story.last_seen}  "
            f"{story.independent_sources} independent sources  | {story.label}"
        )
        for aid in story.articles:
            print(f"    {names[aid]}")


def determinism(data_dir: Path, seeds: Sequence[int] = (1, 2, 3)) -> None:
    """SHA-256 of the stories of ECB+ train and a 3,000-article synthetic corpus, with the input
    shuffled by each seed, each in a fresh process with its own PYTHONHASHSEED."""
    import os

    digests = []
    for seed in seeds:
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        out = subprocess.run(
            [sys.executable, __file__, str(data_dir), "--digest-one", str(seed)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        digests.append(out.strip().splitlines()[-1])
    print(
        "\nDeterminism: "
        + ", ".join(f"seed {s}: {d[:16]}" for s, d in zip(seeds, digests, strict=True))
    )
    print("identical" if len(set(digests)) == 1 else "DIFFERENT")


def digest_one(data_dir: Path, seed: int) -> str:
    import hashlib

    ecb = [to_item(d) for d in load_docs(data_dir, "train")]
    synthetic, _ = synthetic_items(data_dir, 3000)
    random.Random(seed).shuffle(ecb)
    random.Random(seed).shuffle(synthetic)
    out = [s.to_dict() for s in cluster_stories(ecb)]
    out += [s.to_dict() for s in cluster_stories(synthetic)]
    return hashlib.sha256(json.dumps(out).encode()).hexdigest()


THRESHOLDS = (0.2, 0.225, 0.25, 0.3, 0.35, 0.4, 0.5)


# ------------------------------------------------------------------------------ synthetic scaling

_SYLLABLE_TEXT = "ka lo mi ra ven tor sel an dru pe zo gar nel vi tam or bek sha lun dar fi"
_SYLLABLES = _SYLLABLE_TEXT.split()


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def synthetic_items(
    data_dir: Path, n: int, seed: int = 7, days: int = 365
) -> tuple[list[StoryItem], dict[str, str]]:
    """n articles in stories of 1-12 members (mean about 5) over ``days`` days.

    A story has two invented people from a pool of n/4 names and a town from a pool of n/20 (so
    stories share names now and then), a start date, two actor codes from a pool of 40 and a place
    id from a pool of 3,000. Each article: a headline naming the story's
    people, and a body mixing story sentences (a seed sentence of an ECB+ train document with the
    story's names spliced in) with unrelated ECB+ train sentences, dated within ten days of the story
    start, published by one of 400 sites (wire copies share an agency).
    """
    rng = random.Random(seed)
    sentences = [
        s
        for d in load_docs(data_dir, "train")
        for s in d["text"].split("\n")[1:]
        if len(s.split()) >= 8 and not is_stamp(s)
    ]
    actors = [f"A{k:02d}" for k in range(40)]
    items: list[StoryItem] = []
    gold: dict[str, str] = {}
    people_pool = [_name(rng) + " " + _name(rng) for _ in range(max(n // 4, 2))]
    towns = [_name(rng) for _ in range(max(n // 20, 1))]
    story = 0
    while len(items) < n:
        story += 1
        people = rng.sample(people_pool, 2)
        place = rng.choice(towns)
        seeds = rng.sample(sentences, 4)
        start = rng.randrange(days)
        acts = tuple(rng.sample(actors, 2))
        place_id = f"geonames:{rng.randrange(3000)}"
        for _ in range(min(rng.randint(1, 12), n - len(items))):
            aid = f"a{len(items):07d}"
            body: list[str] = []
            for s in rng.sample(seeds, 3):
                body.append(f"{s} {rng.choice(people)} said in {place}.")
            body += rng.sample(sentences, rng.randint(2, 6))
            rng.shuffle(body)
            day = 738000 + start + rng.randrange(10)
            items.append(
                StoryItem(
                    article_id=aid,
                    published=date.fromordinal(day).isoformat(),
                    title=f"{people[0]} and {people[1]} in {place}: "
                    + " ".join(rng.choice(seeds).split()[:6]),
                    text=" ".join(body),
                    actors=acts,
                    places=(place_id,),
                    source=SourceInfo(article_id=aid, site=f"site{rng.randrange(400)}.example"),
                )
            )
            gold[aid] = f"story{story}"
    return items, gold


def bcubed_f1(gold: dict[str, str], groups: Sequence[Sequence[str]]) -> float:
    pred = {a: g[0] for g in groups for a in g}
    by_gold: dict[str, set[str]] = {}
    by_pred: dict[str, set[str]] = {}
    for a in gold:
        by_gold.setdefault(gold[a], set()).add(a)
        by_pred.setdefault(pred[a], set()).add(a)
    p = r = 0.0
    for a in gold:
        inter = len(by_gold[gold[a]] & by_pred[pred[a]])
        p += inter / len(by_pred[pred[a]])
        r += inter / len(by_gold[gold[a]])
    p, r = p / len(gold), r / len(gold)
    return 2 * p * r / (p + r)


def scale_one(data_dir: Path, n: int) -> dict[str, Any]:
    items, gold = synthetic_items(data_dir, n)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Best of two runs: the VM is shared, and the slower run measures the neighbours' load.
    best: tuple[float, dict[str, float], list[Story]] | None = None
    for _ in range(2):
        stats: dict[str, float] = {}
        t0 = time.perf_counter()
        stories = cluster_stories(items, stats=stats)
        seconds = time.perf_counter() - t0
        if best is None or seconds < best[0]:
            best = (seconds, stats, stories)
    seconds, stats, stories = best
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "n": n,
        "seconds": seconds,
        "stats": stats,
        "stories": len(stories),
        "gold_stories": len(set(gold.values())),
        "f1": bcubed_f1(gold, [s.articles for s in stories]),
        "rss_before_mb": rss_before / 1024,
        "peak_rss_mb": rss_after / 1024,
    }


def scaling(data_dir: Path, sizes: list[int]) -> None:
    results = []
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, str(data_dir), "--scale-one", str(n)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    print(
        "\n| articles | stories pred/gold | candidate pairs | seconds (vectors / blocking / "
        "similarity / linkage / stories) | articles/s | peak RSS MB (before clustering) | "
        "BCubed F1 |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        st = r["stats"]
        steps = " / ".join(
            f"{st[k]:.1f}" for k in ("vectors", "blocking", "similarity", "linkage", "stories")
        )
        print(
            f"| {r['n']:,} | {r['stories']:,}/{r['gold_stories']:,} | {int(st['pairs']):,} "
            f"| {r['seconds']:.1f} ({steps}) | {r['n'] / r['seconds']:.0f} "
            f"| {r['peak_rss_mb']:.0f} ({r['rss_before_mb']:.0f}) | {r['f1']:.3f} |"
        )
    if len(results) >= 2:
        a, b = results[0], results[-1]
        print(
            f"\ntime ratio {b['n']:,} / {a['n']:,}: {b['seconds'] / a['seconds']:.1f} "
            f"(size ratio {b['n'] / a['n']:.0f})"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path, help="folder with ecbplus_docs.jsonl")
    ap.add_argument(
        "--scorer",
        type=Path,
        default=None,
        help="clustering_score.py (default: DATA_DIR/../../../eval/clustering_score.py)",
    )
    ap.add_argument("--dev", action="store_true", help="also score the dev split (once!)")
    ap.add_argument("--grid", action="store_true", help="print the train tuning grid")
    ap.add_argument("--minilm", action="store_true", help="train: TF-IDF + MiniLM vectors")
    ap.add_argument("--demo", type=Path, default=None, help="examples/corpus: print its stories")
    ap.add_argument("--demo-analyze", action="store_true", help="run the analyze stage on it")
    ap.add_argument("--scale", default="10000,100000", help="synthetic sizes ('' to skip)")
    ap.add_argument("--skip-ecb", action="store_true")
    ap.add_argument("--determinism", action="store_true", help="same stories for any order?")
    ap.add_argument("--scale-one", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--digest-one", type=int, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.scale_one:
        print(json.dumps(scale_one(a.data_dir, a.scale_one)))
        return
    if a.digest_one is not None:
        print(digest_one(a.data_dir, a.digest_one))
        return
    scorer_path = a.scorer or a.data_dir / ".." / ".." / ".." / "eval" / "clustering_score.py"
    if not a.skip_ecb:
        ecb(a.data_dir, load_scorer(scorer_path.resolve()), a.dev, a.grid)
    if a.minilm:
        minilm(a.data_dir, load_scorer(scorer_path.resolve()))
    if a.demo:
        demo(a.demo, a.demo_analyze)
    if a.determinism:
        determinism(a.data_dir)
    if a.scale:
        scaling(a.data_dir, [int(x) for x in a.scale.split(",")])


if __name__ == "__main__":
    main()
