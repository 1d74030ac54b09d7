"""Benchmark the actor resolver (wirecheck.analyze.actors) on public event-coding gold data.

Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_actors.py ../shared/data/events [--test]

The folder holds ``plover_gsr/gold.jsonl`` and ``plv_event_coding/gold.jsonl``.

1. PLOVER GSR (CC BY-SA 4.0, Open Event Data Alliance): 322 edited CAMEO-manual sentences with
   source/target actors as text plus ``code`` (ISO-3 or IGO/NGO/IMG) and ``sector``. For each gold
   actor found in the text: is there a wirecheck mention overlapping its ``actorText`` whose code
   has the same country part (country-level accuracy), and the same country + sector (full code;
   records with sector ``***`` are left out of it; a lower-case ethnic suffix such as ``CVLalb`` is
   cut to its sector)? CAMEO's legacy codes JAP, ITL and VTN are mapped to ISO (JPN, ITA, VNM).
   The GSR's dates are 2000-01-01 placeholders, so articles are resolved with ``published=None``.
   The set has no split. It is not fully held out: a sample of 60 misses was read once during
   development, which led to three general rules (adjective + noun; adjective, title words and a
   name; "army of / police from <country>") and four EU aliases (0.649 -> 0.687 country level).
2. PLV event coding (research/evaluation use only): source/target spans of 2,083 sentences.
   Recall = share of gold spans overlapped by an actor mention (placeholders "recipient"/"actor"
   and spans not found verbatim are left out), with the mean token F1 of the best overlapping
   mention. Only the ``train`` split was looked at while building the resolver; ``--test`` reports
   the ``test`` split (once, at the end of the work). Its 271 GSR sentences are in ``test``.
3. Speed on the same texts, same run: words/s of the analyze stage (the reduced pipeline - no
   parser, no lemmatizer, senter on - plus ``ActorResolver.find``) against spaCy's full pipeline
   (every component) alone. Words are whitespace tokens; one untimed warm-up pass each.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wirecheck.analyze import one_reading
from wirecheck.analyze.actordata import ActorTable, load_actors
from wirecheck.analyze.actors import ActorResolver
from wirecheck.analyze.nlp import load_nlp
from wirecheck.analyze.places import Gazetteer, find_places
from wirecheck.models import Mention

LEGACY = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _span(text: str, needle: str) -> tuple[int, int] | None:
    needle = " ".join(needle.split())
    at = text.find(needle)
    if at < 0:
        at = text.lower().find(needle.lower())
    return None if at < 0 else (at, at + len(needle))


def _overlapping(mentions: list[Mention], span: tuple[int, int]) -> list[Mention]:
    return [m for m in mentions if m.start < span[1] and span[0] < m.end]


def _parts(code: str | None, table: ActorTable) -> tuple[str, str]:
    """(country part, first sector in the code) of a wirecheck code."""
    if not code:
        return "", ""
    triples = [code[i : i + 3] for i in range(3, len(code), 3)]
    return code[:3], next((t for t in triples if t in table.sectors), "")


def bench_gsr(
    rows: list[dict[str, Any]],
    find: Callable[[str], list[Mention]],
    table: ActorTable,
    label: str = "actor mentions",
) -> None:
    n = country_ok = full_n = full_ok = missing = 0
    misses: dict[str, int] = {}
    for row in rows:
        mentions = find(row["text"])
        for actor in row["source"] + row["target"]:
            if not actor.get("code"):
                continue
            span = _span(row["text"], actor["actorText"])
            if span is None:
                missing += 1
                continue
            gold_country = LEGACY.get(actor["code"][:3], actor["code"][:3])
            sector = (actor.get("sector") or "")[:3].upper()
            got = [_parts(m.code or m.country, table) for m in _overlapping(mentions, span)]
            n += 1
            if any(c == gold_country for c, _ in got):
                country_ok += 1
            else:
                misses[gold_country] = misses.get(gold_country, 0) + 1
            if sector != "***":
                full_n += 1
                full_ok += any((c, s) == (gold_country, sector) for c, s in got)
    print(f"\nPLOVER GSR actors (published=None), counting {label}")
    print(f"{'metric':<28}{'n':>6}{'correct':>9}{'accuracy':>10}")
    print(f"{'country part':<28}{n:>6}{country_ok:>9}{country_ok / n:>10.3f}")
    print(f"{'full code (country+sector)':<28}{full_n:>6}{full_ok:>9}{full_ok / full_n:>10.3f}")
    print(
        f"(actorText not found in text: {missing}; most missed countries: "
        f"{sorted(misses.items(), key=lambda kv: -kv[1])[:8]})"
    )


def _f1(a: str, b: str) -> float:
    ta, tb = re.findall(r"\w+", a.lower()), re.findall(r"\w+", b.lower())
    common = sum(min(ta.count(t), tb.count(t)) for t in set(ta))
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def bench_plv(rows: list[dict[str, Any]], find: Callable[[str], list[Mention]], split: str) -> None:
    stats = {"source": [0, 0, 0.0], "target": [0, 0, 0.0]}
    n_mentions = 0
    for row in rows:
        mentions = find(row["text"])
        n_mentions += len(mentions)
        for role in ("source", "target"):
            gold = row.get(f"{role}_text") or ""
            if gold.strip().lower() in {"", "recipient", "actor"}:
                continue
            span = _span(row["text"], gold)
            if span is None:
                continue
            hit = _overlapping(mentions, span)
            stats[role][0] += 1
            stats[role][1] += bool(hit)
            stats[role][2] += max((_f1(m.text, gold) for m in hit), default=0.0)
    print(
        f"\nPLV event coding, {split} split ({len(rows)} sentences, "
        f"{n_mentions / max(len(rows), 1):.2f} actor mentions per sentence)"
    )
    print(f"{'span':<8}{'n':>6}{'overlap recall':>16}{'mean token F1':>15}")
    for role, (n, found, f1) in stats.items():
        print(f"{role:<8}{n:>6}{found / n:>16.3f}{f1 / n:>15.3f}")


def bench_speed(texts: list[str], nlp: Any, resolver: ActorResolver, full: Any) -> None:
    words = sum(len(t.split()) for t in texts)

    def stage() -> None:
        for text in texts:
            resolver.find(nlp(text), published=None)

    def spacy_full() -> None:
        for text in texts:
            full(text)

    def find_only(docs: list[Any]) -> None:
        for doc in docs:
            resolver.find(doc, published=None)

    docs = [nlp(t) for t in texts]
    print(f"\nSpeed ({len(texts)} texts, {words} words, one process)")
    print(f"{'what':<44}{'seconds':>9}{'words/s':>10}")
    for label, fn in (
        ("analyze stage: reduced nlp + ActorResolver.find", stage),
        ("ActorResolver.find alone (docs ready)", lambda: find_only(docs)),
        ("spaCy full pipeline alone", spacy_full),
    ):
        fn()  # warm-up
        t0 = time.perf_counter()
        fn()
        secs = time.perf_counter() - t0
        print(f"{label:<44}{secs:>9.2f}{words / secs:>10.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="folder holding plover_gsr/ and plv_event_coding/")
    ap.add_argument("--test", action="store_true", help="also report the PLV test split")
    args = ap.parse_args()
    nlp = load_nlp(disable=("parser", "lemmatizer"))
    nlp.enable_pipe("senter")
    table = load_actors()
    resolver = ActorResolver(table, nlp)

    def find(text: str) -> list[Mention]:
        return resolver.find(nlp(text), published=None)

    gazetteer = Gazetteer()

    def find_with_places(text: str) -> list[Mention]:
        # What the event coder sees: one reading per span, a place standing for its country
        # (PETRARCH and the GSR code "Tokyo" in an actor slot as JPN).
        doc = nlp(text)
        actors = resolver.find(doc, published=None)
        countries = {m.country for m in actors if m.country}
        places = find_places(doc, gazetteer=gazetteer, dateline=None, actor_countries=countries)
        return one_reading(actors, places)

    gsr = _rows(args.data / "plover_gsr" / "gold.jsonl")
    plv = _rows(args.data / "plv_event_coding" / "gold.jsonl")
    train = [r for r in plv if r["split"] == "train"]
    bench_gsr(gsr, find, table)
    bench_gsr(gsr, find_with_places, table, "actor or place mentions")
    bench_plv(train, find, "train")
    if args.test:
        bench_plv([r for r in plv if r["split"] == "test"], find, "test")
    full = load_nlp(disable=())
    bench_speed([r["text"] for r in gsr] + [r["text"] for r in train], nlp, resolver, full)


if __name__ == "__main__":
    main()
