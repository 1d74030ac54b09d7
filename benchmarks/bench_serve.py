"""Load test of `wirecheck serve` on loopback: req/s and latency percentiles at a fixed offered rate.

Two steps:

    # 1. build a store of N articles (takes minutes; see "How the store is built" below)
    python benchmarks/bench_serve.py build /tmp/wc-bench --articles 100000 [--seed-articles 300]

    # (a store built by an older wirecheck: apply the new migrations once)
    python benchmarks/bench_serve.py upgrade /tmp/wc-bench/bench.duckdb

    # 2. serve it in a subprocess and offer a fixed request rate to each endpoint in turn
    python benchmarks/bench_serve.py run /tmp/wc-bench/bench.duckdb --rate 200 --seconds 15

`run` prints one table row per endpoint (and a mixed workload): requests sent, errors, achieved
req/s, p50/p90/p99/max latency in ms. Latency is measured from each request's *scheduled* send
time (open loop), so a server that falls behind shows it in the percentiles instead of being
offered less load. Every request goes to 127.0.0.1; the run stops by itself after the set time.

How the store is built (running the full analyze stage on 100k articles would take about four
hours at ~7 documents/s on two cores):

1. ``make_corpus.py`` composes N realistic articles (JSONL).
2. The first ``--seed-articles`` of them go through the real pipeline (clean, dedup, analyze with
   spaCy, verify): the *seed store*.
3. The N articles of the benchmark store are copies of the seed articles (article i copies seed
   article i mod K) with the i-th composed record's URL, site and date and a fresh id; each copy
   keeps its seed's body and analysis (mentions, dates, events, claims re-keyed to the new id),
   written through ``Store.write_batch`` (so the search index is built as in real use).
4. Verification records: where the seed store has none (the verify stage is being wired), they
   are made cheaply and deterministically: claims from the first sentences of articles without
   claims, one story per seed syndication group and block of copies, random support counts and
   article assessments with three signals. They give the tables realistic sizes, not meaning.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BANDS = ((80, "well supported"), (60, "plausible"), (40, "unverified"), (20, "disputed"))
_SENTENCE = re.compile(r"[^.!?\n]{40,400}[.!?]")


def _records(folder: Path) -> Iterator[dict[str, object]]:
    for shard in sorted(folder.glob("part-*.jsonl")):
        with shard.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def _band(score: float) -> str:
    return next((name for floor, name in BANDS if score >= floor), "likely false")


def build(out: Path, articles: int, seed_articles: int, batch: int) -> dict[str, object]:
    from make_corpus import make_corpus
    from wirecheck.analyze import ANALYSIS_VERSION
    from wirecheck.models import Assessment, Claim, ClaimLink, ClaimSupport, Signal, Story
    from wirecheck.pipeline import analyze
    from wirecheck.settings import load_settings
    from wirecheck.store import ActorRow, open_store

    timings: dict[str, float] = {}
    started = time.perf_counter()
    corpus = out / "corpus"
    if not (corpus / "MANIFEST.json").exists():
        make_corpus(corpus, articles, seed=0)
    timings["make_corpus"] = time.perf_counter() - started

    seed_dir = out / "seed-input"
    seed_dir.mkdir(parents=True, exist_ok=True)
    records = list(_records(corpus))[:articles]
    with (seed_dir / "seed.jsonl").open("w", encoding="utf-8") as fh:
        for record in records[:seed_articles]:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    seed_db = out / "seed.duckdb"
    t = time.perf_counter()
    if not seed_db.exists():
        settings = load_settings(search_user_files=False, environ={})
        with open_store(seed_db) as seed_store:
            analyze([str(seed_dir)], settings=settings, store=seed_store)
    timings["seed_pipeline"] = time.perf_counter() - t

    with open_store(seed_db, read_only=True) as seed_store:
        seeds = [a for chunk in seed_store.iter_articles() for a in chunk]
        actors = [ActorRow(a.id, a.type, a.name, a.country) for a in seed_store.actor_counts()]
        seed_story = {
            member: story.id
            for story in seed_store.stories(limit=1_000_000)
            for member in story.articles
        }
    seeds.sort(key=lambda a: a.id)
    rng = random.Random(0)
    db = out / "bench.duckdb"
    if db.exists():
        db.unlink()
    t = time.perf_counter()
    claims_of: dict[str, list[str]] = {}
    story_members: dict[str, list[str]] = {}
    assessments: list[Assessment] = []
    block = len(seeds) * 8  # each story holds the copies of its seed members in one block
    with open_store(db) as store:
        pending = []
        for i, record in enumerate(records):
            seed = seeds[i % len(seeds)]
            new_id = hashlib.sha256(f"{seed.id}:{i}".encode()).hexdigest()[:16]
            claims = list(seed.claims)
            if not claims:
                claims = [
                    Claim(f"x:{n}", n, m.start(), m.end(), m.group(0), "event", rng.random())
                    for n, m in enumerate(list(_SENTENCE.finditer(seed.body))[:3])
                ]
            claims = [replace(c, id=f"{new_id}:{n}") for n, c in enumerate(claims)]
            group_key = seed_story.get(seed.id) or seed.syndication_group or seed.id
            story_key = f"s{hashlib.sha256(f'{group_key}:{i // block}'.encode()).hexdigest()[:16]}"
            story_members.setdefault(story_key, []).append(new_id)
            claims_of[new_id] = [c.id for c in claims]
            score = round(rng.uniform(5, 95), 1)
            assessments.append(
                Assessment(
                    new_id,
                    score,
                    _band(score),
                    (
                        Signal(
                            "sourcing",
                            rng.random(),
                            rng.uniform(-1, 1),
                            (claims[0].text,) if claims else (),
                        ),
                        Signal("specificity", rng.random(), rng.uniform(-1, 1)),
                        Signal("corroboration", rng.random(), rng.uniform(-1, 1)),
                    ),
                )
            )
            pending.append(
                replace(
                    seed,
                    id=new_id,
                    input=f"bench:{i}",
                    url=str(record["url"]),
                    site=str(record["source_domain"]),
                    published=str(record["date_publish"]).replace(" ", "T"),
                    syndication_group=f"g{hashlib.sha256(f'{seed.syndication_group}:{i // block}'.encode()).hexdigest()[:15]}",
                    origin=None,
                    duplicate_of=None,
                    claims=tuple(claims),
                )
            )
            if len(pending) >= batch:
                store.write_batch(
                    articles=pending, analysis_version=ANALYSIS_VERSION, actors=actors
                )
                pending = []
        if pending:
            store.write_batch(articles=pending, analysis_version=ANALYSIS_VERSION, actors=actors)
        timings["replicate"] = time.perf_counter() - t
        t = time.perf_counter()
        stories = []
        links = []
        support = []
        for story_id, members in story_members.items():
            stories.append(
                Story(
                    story_id,
                    f"Story {story_id[1:9]}",
                    None,
                    None,
                    tuple(members),
                    min(len(members), rng.randint(1, 6)),
                )
            )
            lead = claims_of[members[0]]
            for member in members[1:]:
                mine = claims_of[member]
                if lead and mine:
                    links.append(
                        ClaimLink(
                            lead[0],
                            mine[0],
                            rng.choice(("supports", "supports", "contradicts", "discusses")),
                            round(rng.random(), 3),
                            ("bench",),
                        )
                    )
        for claim_ids in claims_of.values():
            for claim_id in claim_ids:
                s = rng.randint(0, 6)
                c = rng.randint(0, 2) if rng.random() < 0.2 else 0
                support.append(
                    ClaimSupport(claim_id, s, c, min(s, rng.randint(0, 4)), min(c, 1), None, None)
                )
        story_of = {m: s.id for s in stories for m in s.articles}
        store.write_verification(
            stories=stories,
            story_of=story_of,
            links=links,
            support=support,
            assessments=assessments,
        )
        timings["verification"] = time.perf_counter() - t
        t = time.perf_counter()
        store.optimize()  # search index and verification tables in key order (see Store.optimize)
        timings["optimize"] = time.perf_counter() - t
        counts = store.counts()
    summary: dict[str, object] = {
        "db": str(db),
        "articles": articles,
        "seed_articles": len(seeds),
        "counts": counts,
        "seconds": {k: round(v, 1) for k, v in timings.items()},
    }
    (out / "BUILD.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


# -- load --------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    sent: int
    errors: int
    seconds: float
    latencies: list[float]

    def row(self) -> str:
        lat = sorted(self.latencies) or [float("nan")]

        def pct(p: float) -> float:
            return 1000 * lat[min(len(lat) - 1, int(p * len(lat)))]

        return (
            f"| {self.name} | {self.sent} | {self.errors} | {len(self.latencies) / self.seconds:.0f} "
            f"| {pct(0.50):.1f} | {pct(0.90):.1f} | {pct(0.99):.1f} | {1000 * lat[-1]:.1f} |"
        )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVER = """
import sys
from wirecheck.store import open_store
from wirecheck.serve import ServeLimits, run_server
store = open_store(sys.argv[1], read_only=True)
run_server(store, port=int(sys.argv[2]), access_log=False, log_level="warning",
           limits=ServeLimits(readers=int(sys.argv[3])))
"""


async def _offer(client: object, name: str, urls: list[str], rate: float, seconds: float) -> Result:
    import httpx

    assert isinstance(client, httpx.AsyncClient)
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)
    start = time.perf_counter() + 0.05

    async def one(i: int) -> None:
        nonlocal errors
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            response = await client.get(urls[i % len(urls)])
            if response.status_code != 200:
                errors += 1
                return
        except httpx.HTTPError:
            errors += 1
            return
        latencies.append(time.perf_counter() - scheduled)

    await asyncio.gather(*(one(i) for i in range(total)))
    return Result(name, total, errors, time.perf_counter() - start, latencies)


def _workloads(base: str, db: Path, seed: int) -> dict[str, list[str]]:
    from wirecheck.store import open_store

    rng = random.Random(seed)
    with open_store(db, read_only=True) as store:
        total = store.counts()["articles"]
        ids = [a.id for a in store.articles(limit=2000, offset=rng.randrange(max(1, total - 2000)))]
        stories = [s.id for s in store.stories(limit=500)]
        actors = [a.codes[0] or a.id for a in store.actor_counts(limit=40)]
        claims = [r.claim.id for r in store.claims(limit=500)]
    words = ("drills", "gas pipeline", "ambassador", "drone", "navy exercise", "minister said")
    from wirecheck.serve.paging import encode

    return {
        "articles page": [
            f"{base}/api/articles?limit=50&after={encode({'o': rng.randrange(0, min(5000, total))})}"
            for _ in range(200)
        ],
        "article": [f"{base}/api/articles/{i}" for i in ids],
        "stories page": [f"{base}/api/stories?limit=50&after={encode({'a': s})}" for s in stories],
        "story": [f"{base}/api/stories/{s}" for s in stories],
        "events by actor": [f"{base}/api/events?limit=50&actor={a}" for a in actors],
        "claims page": [f"{base}/api/claims?limit=50&after={encode({'a': c})}" for c in claims],
        "search": [f"{base}/api/search?q={w}&limit=20" for w in words],
        "actors": [f"{base}/api/actors?limit=50"],
        "sources": [f"{base}/api/sources?limit=50"],
        "article page (HTML)": [f"{base}/articles/{i}" for i in ids],
        "overview (HTML)": [f"{base}/"],
    }


async def _run_all(
    base: str, workloads: dict[str, list[str]], rate: float, seconds: float
) -> list[Result]:
    import httpx

    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    results = []
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        for urls in workloads.values():  # warm-up: caches, the digest, connections
            await _offer(client, "warm-up", urls, min(rate, 50), 1.0)
        for name, urls in workloads.items():
            results.append(await _offer(client, name, urls, rate, seconds))
        mixed = [u for urls in workloads.values() for u in urls[:50]]
        random.Random(1).shuffle(mixed)
        results.append(await _offer(client, "mixed (all above)", mixed, rate, seconds))
    return results


def run(db: Path, rate: float, seconds: float, readers: int) -> None:
    import httpx

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port), str(readers)])
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        counts = httpx.get(f"{base}/api/stats", timeout=60).json()["counts"]
        workloads = _workloads(base, db, 0)
        results = asyncio.run(_run_all(base, workloads, rate, seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"# {dt.date.today()} {platform.node()} {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; store: {counts}"
    )
    print(f"# offered {rate:g} req/s for {seconds:g} s per row; {readers} reader sessions")
    print("| endpoint | sent | errors | req/s | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        print(result.row())


def latency(db: Path, repeats: int) -> None:
    """Service time of one request at a time, in-process (no network, no concurrency)."""
    from fastapi.testclient import TestClient

    from wirecheck.serve import create_app
    from wirecheck.store import open_store

    store = open_store(db, read_only=True)
    workloads = _workloads("", db, 0)
    print(f"# {dt.date.today()} {platform.node()}; one request at a time, {repeats} per row")
    print("| endpoint | median ms | min ms |")
    print("|---|---|---|")
    with TestClient(create_app(store)) as client:
        client.get("/")
        time.sleep(2)  # let the dashboard digest finish
        for name, urls in workloads.items():
            times = []
            for i in range(repeats):
                started = time.perf_counter()
                response = client.get(urls[i % len(urls)])
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (urls[i % len(urls)], response.text[:200])
            times.sort()
            print(f"| {name} | {1000 * times[len(times) // 2]:.1f} | {1000 * times[0]:.1f} |")
    store.close()


def upgrade(db: Path) -> None:
    """Open the store read-write once, so missing migrations (and their optimize) are applied."""
    from wirecheck.store import open_store

    started = time.perf_counter()
    with open_store(db) as store:
        versions = store.schema_versions()
        print(f"# schema {versions[-1][0]} after {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        store.optimize()
    print(f"# optimize: {time.perf_counter() - started:.1f} s")


def calls(db: Path, repeats: int) -> None:
    """Time the store calls behind the main endpoints directly (no HTTP, no JSON)."""
    from wirecheck.store import open_store

    rng = random.Random(0)
    with open_store(db, read_only=True) as store:
        total = store.counts()["articles"]
        ids = [
            a.id
            for a in store.articles(limit=200, offset=rng.randrange(total - 200), analysis=False)
        ]
        stories = [s.id for s in store.stories(limit=200)]
        claims = [r.claim.id for r in store.claims(limit=200, after=f"{ids[0]}:0")] or [None]
        probes: dict[str, object] = {
            "store.article(id)": lambda i: store.article(ids[i % len(ids)]),
            "store.claims(article=id)": lambda i: store.claims(
                article=ids[i % len(ids)], limit=1000
            ),
            "store.claim_links_of(claims of id)": lambda i: store.claim_links_of(
                [f"{ids[i % len(ids)]}:{n}" for n in range(6)]
            ),
            "store.articles(limit=51, offset<=5000, analysis=False)": lambda i: list(
                store.articles(limit=51, offset=rng.randrange(5000), analysis=False)
            ),
            "store.story(id) + articles_by_id(50 members)": lambda i: store.articles_by_id(
                store.story(stories[i % len(stories)]).articles[:50]
            ),
            "store.events(actor=..., limit=51)": lambda i: store.events(
                actor=("RUS", "UKR", "USA", "CHN", "LTU")[i % 5], limit=51
            ),
            "store.claims(limit=51, after=claim)": lambda i: store.claims(
                limit=51, after=claims[i % len(claims)]
            ),
            "store.search(q, limit=21)": lambda i: store.search(
                ("drills", "gas pipeline", "ambassador", "drone", "navy exercise")[i % 5], limit=21
            ),
        }
        print(f"# {dt.date.today()} {platform.node()}; store calls, {repeats} per row")
        print("| store call | median ms | min ms |")
        print("|---|---|---|")
        for name, probe in probes.items():
            assert callable(probe)
            probe(0)
            times = []
            for i in range(repeats):
                started = time.perf_counter()
                probe(i)
                times.append(time.perf_counter() - started)
            times.sort()
            print(f"| {name} | {1000 * times[len(times) // 2]:.1f} | {1000 * times[0]:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("out", type=Path)
    b.add_argument("--articles", type=int, default=100_000)
    b.add_argument("--seed-articles", type=int, default=300)
    b.add_argument("--batch", type=int, default=2000)
    r = sub.add_parser("run")
    r.add_argument("db", type=Path)
    r.add_argument("--rate", type=float, default=200.0)
    r.add_argument("--seconds", type=float, default=15.0)
    r.add_argument("--readers", type=int, default=4)
    lat = sub.add_parser("latency")
    lat.add_argument("db", type=Path)
    lat.add_argument("--repeats", type=int, default=15)
    up = sub.add_parser("upgrade")
    up.add_argument("db", type=Path)
    c = sub.add_parser("calls")
    c.add_argument("db", type=Path)
    c.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    if args.command == "latency":
        latency(args.db, args.repeats)
    elif args.command == "upgrade":
        upgrade(args.db)
    elif args.command == "calls":
        calls(args.db, args.repeats)
    elif args.command == "build":
        print(json.dumps(build(args.out, args.articles, args.seed_articles, args.batch), indent=2))
    else:
        run(args.db, args.rate, args.seconds, args.readers)


if __name__ == "__main__":
    main()
