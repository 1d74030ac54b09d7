"""Size and time of the HTML report on a large synthetic store.

Writes N synthetic articles (bodies of ~1.5 kB, 3 claims and 2 events each, stories of 1-12
articles, claim support and links, an assessment per article) straight into a fresh store, then
times ``write_report`` and prints the file size and the report process's peak memory.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_report_scale.py --articles 100000 \
        [--workdir /tmp/wc-report-bench] [--reuse]

``--reuse`` keeps a store built by an earlier run in the same workdir (building 100k articles takes
minutes) and only times the report.

The text is generated (no data set is read): this measures the report's caps and cost, not
analysis quality.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import time
from pathlib import Path

from wirecheck.models import (
    Article,
    Assessment,
    Claim,
    ClaimLink,
    ClaimSupport,
    DocumentKind,
    Event,
    Mention,
    Signal,
    Story,
)
from wirecheck.report.html import write_report
from wirecheck.store import ActorRow, open_store

ACTORS = ["RUS", "FRA", "LTU", "POL", "LVA", "BLR", "DEU", "SWE", "FIN", "EST", "UKR", "USA"]
PLACES = [(f"geonames:{1000 + i}", f"Town {i}", 45 + (i % 20), 5 + (i * 7) % 40) for i in range(60)]
BANDS = ["well supported", "plausible", "unverified", "disputed", "likely false"]


def article(i: int, rng: random.Random) -> Article:
    aid = f"{i:016x}"
    src, tgt = rng.sample(ACTORS, 2)
    place = rng.choice(PLACES)
    sentences = [
        f"{src} officials said on Tuesday that {tgt} had moved {rng.randint(2, 900)} units near {place[1]}.",
        f"About {rng.randint(100, 5000)} people were affected, according to a ministry statement.",
        f"{tgt} denied the report and said the claims were false.",
    ]
    filler = " ".join(
        f"Background sentence {k} about the region and its history." for k in range(20)
    )
    body = " ".join(sentences) + " " + filler
    claims = []
    pos = 0
    for n, s in enumerate(sentences):
        start = body.index(s, pos)
        claims.append(Claim(f"{aid}:{n}", n, start, start + len(s), s, "event", 0.8))
        pos = start + len(s)
    m_start = body.index(place[1])
    mentions = (
        Mention(0, len(src), src, "country", src, code=src),
        Mention(
            m_start,
            m_start + len(place[1]),
            place[1],
            "place",
            place[0],
            lat=place[2],
            lon=place[3],
        ),
    )
    events = tuple(
        Event(
            sentence=0, sentence_text=sentences[0], source=(a,), target=(b,), plover="MOBILIZE",
            mode=None, cameo="150", goldstein=rng.uniform(-10, 10), quad_class=rng.randint(1, 4),
            trigger="moved", trigger_start=0, trigger_end=5, place=place[0],
            date=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", date_precision="day",
        )
        for a, b in ((src, tgt), (tgt, src))
    )  # fmt: skip
    return Article(
        id=aid, input=f"doc{i}.txt", kind=DocumentKind.TEXT, title=f"Report {i}: {src} and {tgt}",
        body=body, url=f"https://site{i % 500}.example/{i}", published=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
        site=f"site{i % 500}.example", body_hash=aid, mentions=mentions, events=events,
        claims=tuple(claims),
    )  # fmt: skip


def build(db: Path, n: int) -> None:
    rng = random.Random(7)
    with open_store(db) as store:
        for start in range(0, n, 2000):
            batch = [article(i, rng) for i in range(start, min(n, start + 2000))]
            store.write_batch(
                articles=batch,
                analysis_version=1,
                actors=[ActorRow(a, "country", a, a) for a in ACTORS],
            )
        stories, story_of = [], {}
        i = 0
        while i < n:
            size = rng.randint(1, 12)
            members = tuple(f"{k:016x}" for k in range(i, min(n, i + size)))
            s = Story(
                "s" + members[0], f"Story {i}", "2026-01-01", "2026-01-02", members, min(size, 4)
            )
            stories.append(s)
            story_of.update({m: s.id for m in members})
            i += size
        support, links, assessments = [], [], []
        for k in range(n):
            aid = f"{k:016x}"
            for c in range(3):
                support.append(
                    ClaimSupport(f"{aid}:{c}", c % 2, (c + 1) % 2, c % 2, 0, "site", None)
                )
            if k:
                links.append(ClaimLink(f"{aid}:0", f"{k - 1:016x}:0", "supports", 0.8, ("same",)))
            assessments.append(
                Assessment(aid, rng.uniform(0, 100), rng.choice(BANDS),
                           (Signal("named sources", 1.0, 0.4, ("a sentence as evidence",)),))
            )  # fmt: skip
        store.write_verification(
            stories=stories,
            story_of=story_of,
            links=links,
            support=support,
            assessments=assessments,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/wc-report-bench"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing store")
    args = parser.parse_args()
    db = args.workdir / "store.duckdb"
    built = 0.0
    if not (args.reuse and db.exists()):
        shutil.rmtree(args.workdir, ignore_errors=True)
        args.workdir.mkdir(parents=True)
        t0 = time.perf_counter()
        build(db, args.articles)
        built = time.perf_counter() - t0
    with open_store(db, read_only=True) as store:
        t1 = time.perf_counter()
        out = write_report(store, args.workdir / "report.html")
        seconds = time.perf_counter() - t1
    # Peak of the whole process: with a fresh build it includes the build's own peak.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| articles | store build s | report s | report MB | peak RSS MB |")
    print("|---|---|---|---|---|")
    print(
        f"| {args.articles} | {built:.0f} | {seconds:.1f} | {out.stat().st_size / 1e6:.1f} "
        f"| {peak_mb:.0f} |"
    )


if __name__ == "__main__":
    main()
