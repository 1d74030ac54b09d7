"""Speed of the analyze stage (actors, places, dates, events) against spaCy's full pipeline alone,
on the same article bodies, in one process and one run.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_analyze_speed.py examples/corpus [--repeat 4]

The bodies come from cleaning the corpus (not timed). "spaCy full pipeline" runs every component
of the English pipeline (tagger, parser, NER, lemmatizer...) over each body, which is what a coder
that parses everything pays; wirecheck's stage runs NER and the sentence splitter over the body,
then the parser and the event models on candidate sentences only. One untimed warm-up pass each.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from wirecheck.analyze import analyze_article, load_resources
from wirecheck.analyze.nlp import load_nlp
from wirecheck.clean import clean_document
from wirecheck.errors import WirecheckError
from wirecheck.ingest import iter_documents
from wirecheck.models import Article, Document
from wirecheck.settings import Settings


def articles(corpus: Path, settings: Settings) -> list[Article]:
    out = []
    for item in iter_documents([str(corpus)], settings=settings):
        if isinstance(item, Document):
            try:
                out.append(clean_document(item, settings=settings.clean))
            except WirecheckError:
                continue
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--repeat", type=int, default=4)
    args = ap.parse_args()
    settings = Settings()
    docs = articles(args.corpus, settings) * args.repeat
    words = sum(len(a.body.split()) for a in docs)
    resources = load_resources(settings.analyze)
    full = load_nlp(disable=())

    def stage() -> int:
        return sum(
            len(analyze_article(a, resources, max_chars=settings.analyze.max_chars).events)
            for a in docs
        )

    def spacy_full() -> int:
        return sum(len(list(full(a.body).sents)) for a in docs)

    rows = []
    for name, fn in (("wirecheck analyze stage (actors, places, dates, events)", stage),
                     ("spaCy full pipeline alone", spacy_full)):  # fmt: skip
        fn()
        started = time.perf_counter()
        fn()
        rows.append((name, time.perf_counter() - started))
    print(f"{len(docs)} articles, {words} words, one process")
    print("| what | seconds | words/s |")
    print("|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {words / seconds:,.0f} |")
    print(f"| ratio (spaCy full / wirecheck) | {rows[1][1] / rows[0][1]:.2f}x | |")


if __name__ == "__main__":
    main()
