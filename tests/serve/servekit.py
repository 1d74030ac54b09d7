"""Helpers for the server tests: the small corpus (part of the demo corpus plus an article with
hostile strings), stand-in verification records, and starting uvicorn on a free loopback port."""

from __future__ import annotations

import itertools
import json
import shutil
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import uvicorn

from helpers import DEMO_CORPUS
from wirecheck.models import Assessment, Claim, ClaimLink, ClaimSupport, Signal, Story
from wirecheck.pipeline import analyze
from wirecheck.serve import IngestFunc, ServeLimits, create_app
from wirecheck.settings import Settings, load_settings
from wirecheck.store import Store

XSS_TITLE = "<script>alert(1)</script>"
XSS_SITE = "xss-test.example"
TOKEN = "test-token-0123456789abcdef"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

DEMO_FILES = (
    "feeds/crawl.jsonl",
    "html/eastline-today_2026-10-14_amber-shield-drills.html",
    "html/harbour-ledger_2026-10-20_amber-shield-begins.html",
    "html/eurasia-briefing_2026-10-22_moscow-expels-french-diplomats.html",
    "scraped/northgate-herald_2026-10-14_baltic-naval-drills.txt",
)


def xss_record() -> dict[str, Any]:
    return {
        "title": XSS_TITLE,
        "maintext": (
            "Russia said on Tuesday that it would hold naval drills in the Baltic Sea next week, "
            "the defence ministry in Moscow said in a statement.\n"
            "A reader wrote <img src=x onerror=alert(2)> under the statement, and "
            '"><script>alert(3)</script> was posted in reply.\n'
            "Lithuania's foreign minister said the drills were a provocation and called on "
            "Russia to withdraw its ships from the area."
        ),
        "url": f"https://{XSS_SITE}/news/script-title",
        "date_publish": "2026-10-16 10:00:00",
        "source_domain": XSS_SITE,
        "authors": ["<b>Bold</b> Author"],
        "language": "en",
    }


def write_serve_corpus(root: Path) -> Path:
    """Part of the demo corpus plus one JSONL record with hostile strings."""
    for name in DEMO_FILES:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEMO_CORPUS / name, target)
    (root / "feeds" / "hostile.jsonl").write_text(
        json.dumps(xss_record(), ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return root


def serve_settings() -> Settings:
    return load_settings(search_user_files=False, environ={})


def _sentence_claim(article_id: str, index: int, body: str, needle: str, **kw: Any) -> Claim:
    start = body.index(needle)
    return Claim(
        id=f"{article_id}:{index}",
        sentence=0,
        start=start,
        end=start + len(needle),
        text=needle,
        kind=kw.pop("kind", "event"),
        checkworthiness=kw.pop("checkworthiness", 0.8),
        **kw,
    )


def add_stand_in_verification(store: Store) -> None:
    """Claims, stories, support and assessments for rendering tests, written only while the
    pipeline's analyze/verify stages do not produce them yet (they are being built). Hand-made
    from the stored articles' real text, so offsets and ids are genuine."""
    counts = store.counts()
    articles = [a for batch in store.iter_articles() for a in batch]
    drills = [a for a in articles if a.title and ("Amber Shield" in a.title or "drills" in a.title)]
    hostile = next(a for a in articles if a.title == XSS_TITLE)
    if not drills[0].claims or not hostile.claims:
        first = drills[0]
        sentence = first.body.split(".")[0]
        claims_first = (_sentence_claim(first.id, 0, first.body, sentence, attribution="named"),)
        claims_hostile = (
            _sentence_claim(
                hostile.id,
                0,
                hostile.body,
                hostile.body.split(".")[0],
                attribution="named",
                attributed_to="the defence ministry",
            ),
            _sentence_claim(
                hostile.id,
                1,
                hostile.body,
                "the drills were a provocation",
                kind="state",
                attribution="named",
                attributed_to="Lithuania's foreign minister",
            ),
        )
        from wirecheck.analyze import ANALYSIS_VERSION

        store.write_batch(
            articles=[replace(first, claims=claims_first), replace(hostile, claims=claims_hostile)],
            analysis_version=ANALYSIS_VERSION,
        )
    if counts["stories"] == 0:
        members = sorted({a.id for a in drills} | {hostile.id})
        story = Story(
            id="s" + members[0],
            label="Baltic naval drills",
            first_seen="2026-10-14",
            last_seen="2026-10-20",
            articles=tuple(members),
            independent_sources=3,
        )
        others = [
            Story("s" + a.id, a.title or a.id, a.published, a.published, (a.id,), 1)
            for a in articles
            if a.id not in members
        ]
        claim_rows = [c for a in (drills[0], hostile) for c in store.claims(article=a.id)]
        ids = [r.claim.id for r in claim_rows]
        store.write_verification(
            stories=[story, *others],
            story_of={a: story.id for a in members},
            links=[ClaimLink(ids[0], ids[-1], "contradicts", 0.71, ("negation",))],
            # Supported, mixed, unverified in turn, so every highlight colour shows up.
            support=[
                ClaimSupport(claim_id, *counts_, "balticwire.example", "2026-10-14")
                for claim_id, counts_ in zip(
                    ids, itertools.cycle([(3, 0, 2, 0), (3, 1, 2, 1), (0, 0, 0, 0)]), strict=False
                )
            ],
            assessments=[
                Assessment(
                    hostile.id,
                    31.0,
                    "disputed",
                    (
                        Signal("sourcing", 0.0, -0.8, ("<i>no named source</i>",)),
                        Signal("contradiction", 1.0, -0.6, (hostile.body.split(".")[0],)),
                    ),
                ),
                Assessment(
                    drills[0].id, 82.0, "well supported", (Signal("specificity", 0.9, 0.7),)
                ),
            ],
        )


@dataclass(frozen=True)
class BuiltStore:
    path: Path
    corpus: Path


def copy_store(built: BuiltStore, target: Path) -> Path:
    shutil.copyfile(built.path, target)
    wal = built.path.with_name(built.path.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    return target


def pipeline_ingest(writer: Store, inputs: Sequence[str]) -> Mapping[str, Any]:
    """What the CLI passes as ``ingest``: the pipeline over the server's writer session."""
    return analyze(list(inputs), settings=serve_settings(), store=writer).to_dict()


@dataclass
class LiveServer:
    url: str
    store: Store
    token: str | None


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def start_server(
    store: Store,
    *,
    token: str | None = None,
    ingest: IngestFunc | None = None,
    limits: ServeLimits | None = None,
) -> tuple[LiveServer, uvicorn.Server, threading.Thread]:
    if token is not None and ingest is None:
        ingest = pipeline_ingest
    app = create_app(store, token=token, ingest=ingest, limits=limits)
    sock = _free_socket()
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return LiveServer(f"http://127.0.0.1:{port}", store, token), server, thread


def stop_server(server: uvicorn.Server, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(timeout=20)
