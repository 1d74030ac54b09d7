"""Store write and read speed on a synthetic corpus (no data set needed: the records are made up).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_store.py --db /tmp/bench.duckdb \
        --articles 100000 --claims 10
    PYTHONPATH=src .venv/bin/python benchmarks/bench_store.py --db postgresql://user@host/db ...

Writes the articles (with claims) in batches of --batch, then one verification result over them
(a story per 5 articles, a support record and an assessment per claim, one link per claim), then
times the reads a server makes. The database must be new (or empty). CPU seconds are this
process's (all its threads; on PostgreSQL the server's work is not in them): on a shared,
loaded machine they vary far less than wall time.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from wirecheck.models import (
    Article,
    Assessment,
    Claim,
    ClaimLink,
    ClaimSupport,
    DocumentKind,
    Signal,
    Story,
)
from wirecheck.store import open_store

WORDS = [
    "ships", "sailed", "navy", "drill", "border", "minister", "said", "troops", "talks",
    "sanctions", "grain", "port", "missile", "election", "parliament", "protest", "ceasefire",
    "aid", "convoy", "bridge", "pipeline",
]  # fmt: skip


def make_articles(start: int, n: int, claims: int, rng: random.Random) -> list[Article]:
    out = []
    for i in range(start, start + n):
        aid = f"{i:016x}"
        body = " ".join(rng.choice(WORDS) for _ in range(300))
        out.append(
            Article(
                id=aid, input=f"bench/{i}.txt", kind=DocumentKind.TEXT,
                title=" ".join(rng.choice(WORDS) for _ in range(8)), body=body,
                published=f"2026-10-{1 + i % 28:02d}", site=f"site{i % 200}.example",
                body_hash=aid,
                claims=tuple(
                    Claim(f"{aid}:{k}", k, 0, 40, body[:40], "event", rng.random(),
                          attribution=rng.choice(("named", "unnamed", "none")))
                    for k in range(claims)
                ),
            )
        )  # fmt: skip
    return out


def timed(label: str, work: Callable[[], Any], table: list[tuple[str, float, float]]) -> Any:
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    table.append((label, time.perf_counter() - started, time.process_time() - cpu))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=10, help="claims per article")
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(7)
    table: list[tuple[str, float, float]] = []
    store = open_store(args.db)
    making = writing = cpu = 0.0
    for start in range(0, args.articles, args.batch):
        began = time.perf_counter()
        batch = make_articles(start, min(args.batch, args.articles - start), args.claims, rng)
        making += time.perf_counter() - began
        began, cpu_began = time.perf_counter(), time.process_time()
        store.write_batch(articles=batch, analysis_version=1)
        writing += time.perf_counter() - began
        cpu += time.process_time() - cpu_began
    batches = -(-args.articles // args.batch)
    table.append((f"write_batch x{batches} of {args.batch} articles", writing, cpu))

    ids = [f"{i:016x}" for i in range(args.articles)]
    stories = [
        Story("s" + ids[i], f"story {i}", "2026-10-01", "2026-10-28", tuple(ids[i : i + 5]), 3)
        for i in range(0, len(ids), 5)
    ]
    story_of = {a: s.id for s in stories for a in s.articles}
    claim_ids = [f"{a}:{k}" for a in ids for k in range(args.claims)]
    links = [
        ClaimLink(c, claim_ids[(i + 7) % len(claim_ids)], "supports", 0.8, ("same numbers",))
        for i, c in enumerate(claim_ids)
    ]
    support = [ClaimSupport(c, 2, 1, 1, 1, "site1.example", "2026-10-01") for c in claim_ids]
    signals = (Signal("named_sources", 1.0, 0.5, ("the minister said",)),)
    assessments = [Assessment(c, 50.0, "plausible", signals) for c in ids + claim_ids]
    for attempt in ("first", "replacing"):
        timed(
            f"write_verification ({attempt}: {len(stories)} stories, {len(links)} links, "
            f"{len(assessments)} assessments)",
            lambda: store.write_verification(
                stories=stories,
                story_of=story_of,
                links=links,
                support=support,
                assessments=assessments,
            ),
            table,
        )
    middle = ids[len(ids) // 2]
    timed("article(id)", lambda: store.article(middle), table)
    timed("claims(article=...)", lambda: store.claims(article=middle), table)
    timed("claims(limit=100)", lambda: store.claims(limit=100), table)
    timed("claims(band=..., limit=100)", lambda: store.claims(band="plausible", limit=100), table)
    timed("claim_links(id)", lambda: store.claim_links(f"{middle}:3"), table)
    timed("stories(limit=100)", lambda: store.stories(limit=100), table)
    timed("story_of(id)", lambda: store.story_of(middle), table)
    timed("assessment(id)", lambda: store.assessment(middle), table)
    timed("search('ceasefire convoy')", lambda: store.search("ceasefire convoy"), table)
    timed("sources()", store.sources, table)
    timed("counts()", store.counts, table)
    timed("iter_articles (all, batches of 1000)",
          lambda: sum(len(b) for b in store.iter_articles()), table)  # fmt: skip
    store.close()
    print(f"({making:.1f} s making the records is not counted)")
    print(f"| {store.dialect}: {args.articles} articles, {args.claims} claims each | wall s | "
          "CPU s (this process) |\n|---|---|---|")  # fmt: skip
    for label, seconds, cpu_seconds in table:
        print(f"| {label} | {seconds:.3f} | {cpu_seconds:.3f} |")


if __name__ == "__main__":
    main()
