"""Compose a large, realistic, fictional news corpus from the demo corpus's parts.

    python benchmarks/make_corpus.py OUT_DIR --articles 100000 [--seed 0] [--shard-size 10000]
        [--corpus examples/corpus] [--reprint-share 0.15]

Writes OUT_DIR/part-00000.jsonl, part-00001.jsonl, ... with news-please field names (title,
maintext, url, date_publish, source_domain, authors, language) — records the JSONL ingester reads
as they are — plus OUT_DIR/MANIFEST.json (parameters, counts, seconds).

How an article is made (all choices from one seeded ``random.Random``, so the same arguments give
byte-identical shards):

- The parts are the clean article paragraphs of the demo corpus: the JSONL records' bodies and the
  ``<p>`` paragraphs of the HTML pages' ``<article>`` (before the comments), grouped into topics
  (naval drills, diplomatic expulsions, gas pipeline, drone incursion, disinformation) by keywords.
- A new article takes one source article as its template (its title and lead paragraph), then 2-5
  more paragraphs drawn from articles of the same topic, keeping the template's order first.
- Countries, their adjectives and capitals (also upper-case, as in datelines) are swapped
  consistently through the article with a random permutation of a pool of countries; numbers of
  ships/people/days are perturbed; "Oct NN" dates and the publication date are shifted together
  by the same number of days within 2026.
- It is published by one of a few hundred invented outlets (``*.example``) with an invented byline.
- A share of articles (``--reprint-share``) are reprints of an earlier article: same body, the
  last paragraph sometimes dropped, another outlet, published the same day or the next — the
  syndication that the dedup stage must collapse.

Everything stays fiction (see examples/corpus/README.md): real country names only, no real outlet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

DEMO_CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"

TOPICS = {
    "drills": ("drill", "exercise", "amber shield", "war games", "naval", "minehunter"),
    "diplomats": ("diplomat", "ambassador", "expel", "embassy", "spy"),
    "gas": ("gas", "pipeline", "interconnector", "compressor"),
    "drone": ("drone", "airspace", "border guard"),
}

# (country, adjective, capital). Swapped as a consistent permutation inside one article.
COUNTRIES = [
    ("Lithuania", "Lithuanian", "Vilnius"),
    ("Latvia", "Latvian", "Riga"),
    ("Estonia", "Estonian", "Tallinn"),
    ("Poland", "Polish", "Warsaw"),
    ("Finland", "Finnish", "Helsinki"),
    ("Sweden", "Swedish", "Stockholm"),
    ("Germany", "German", "Berlin"),
    ("Denmark", "Danish", "Copenhagen"),
    ("Norway", "Norwegian", "Oslo"),
    ("France", "French", "Paris"),
    ("the Netherlands", "Dutch", "Amsterdam"),
    ("Romania", "Romanian", "Bucharest"),
]
RIVALS = [("Russia", "Russian", "Moscow"), ("Belarus", "Belarusian", "Minsk")]

OUTLET_FIRST = (
    "northgate", "harbour", "lakeshore", "riverside", "eastline", "vistula", "daugava", "amberline",
    "kestrel", "continental", "mercantile", "eurasia", "baltic", "meridian", "granite", "lantern",
    "compass", "beacon", "harbinger", "pinewood", "saltmarsh", "ironbridge", "coastal", "upland",
)  # fmt: skip
OUTLET_SECOND = (
    "herald", "ledger", "gazette", "post", "courier", "daily", "times", "observer", "dispatch",
    "briefing", "chronicle", "tribune", "review", "monitor", "record", "journal",
)  # fmt: skip
FIRST_NAMES = (
    "Anna", "Jonas", "Marta", "Piotr", "Ilze", "Tomas", "Eva", "Lars", "Sofia", "Mikael", "Ruta",
    "Karl", "Ines", "Aleksander", "Laura", "Henrik", "Zofia", "Mateo", "Greta", "Oskar",
)  # fmt: skip
LAST_NAMES = (
    "Kalnina", "Novak", "Berg", "Lindqvist", "Wojcik", "Petraitis", "Ozols", "Tamm", "Moreau",
    "Hansen", "Virtanen", "Schulz", "Jensen", "Kowalska", "Dumitru", "Vos", "Rekdal", "Aalund",
)  # fmt: skip

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_DAY = re.compile(r"\b(" + "|".join(_MONTHS) + r")\.? (\d{1,2})\b")
_NUMBER = re.compile(
    r"(?<![\d.,:])(\d{1,3}(?:,\d{3})*|\d+)(?= (?:ships|warships|vessels|personnel|sailors|marines|aircraft|diplomats|days|kilometres|km|people|percent|per cent|drones|troops|soldiers))"
)
# Every name a mapping may swap, compiled once (compiling a pattern per article took 70% of the
# time); names absent from an article's mapping are replaced by themselves.
_NAMES = re.compile(
    r"\b("
    + "|".join(
        re.escape(name)
        for name in sorted(
            {n for row in COUNTRIES + RIVALS for n in (*row, row[2].upper())}, key=len, reverse=True
        )
    )
    + r")\b"
)
_P = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_PUBLISHED = re.compile(r'article:published_time" content="([^"]+)"')


@dataclass(frozen=True)
class Source:
    title: str
    paragraphs: tuple[str, ...]
    published: dt.date
    topic: str


def _topic(text: str) -> str:
    lowered = text.lower()
    scores = {t: sum(lowered.count(k) for k in keys) for t, keys in TOPICS.items()}
    best = max(scores, key=lambda t: scores[t])
    return best if scores[best] else "other"


def _parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def load_sources(corpus: Path) -> list[Source]:
    """The demo corpus's clean articles: JSONL records and the HTML pages' article paragraphs."""
    sources: list[Source] = []
    for line in (corpus / "feeds" / "crawl.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        body = record.get("maintext") or record.get("text") or ""
        paragraphs = tuple(p.strip() for p in body.split("\n") if len(p.strip()) > 40)
        date = record.get("date_publish") or record.get("date") or "2026-10-15"
        title = record["title"]
        if paragraphs:
            sources.append(Source(title, paragraphs, _parse_date(date), _topic(title + " " + body)))
    for page in sorted((corpus / "html").glob("*.html")):
        text = page.read_text("utf-8")
        start = text.find("<article")
        end = text.find("<section", start)
        article = text[start : end if end > 0 else None]
        paragraphs = tuple(
            p
            for p in (html.unescape(_TAG.sub("", raw)).strip() for raw in _P.findall(article))
            if len(p) > 40
        )
        title_match = _H1.search(text)
        date_match = _PUBLISHED.search(text)
        if not (paragraphs and title_match and date_match):
            continue
        title = html.unescape(_TAG.sub("", title_match.group(1))).strip()
        sources.append(
            Source(
                title,
                paragraphs,
                _parse_date(date_match.group(1)),
                _topic(title + " " + " ".join(paragraphs)),
            )
        )
    return sources


def _country_mapping(rng: random.Random) -> dict[str, str]:
    """A consistent swap of country, adjective and capital names (and upper-case capitals)."""
    shuffled = COUNTRIES[:]
    rng.shuffle(shuffled)
    mapping: dict[str, str] = {}
    # Swap only some countries, as real stories about a region share most of their names.
    for (name, adj, cap), (new_name, new_adj, new_cap) in zip(COUNTRIES, shuffled, strict=True):
        if rng.random() < 0.5:
            continue
        mapping[name] = new_name
        mapping[adj] = new_adj
        mapping[cap] = new_cap
        mapping[cap.upper()] = new_cap.upper()
    if rng.random() < 0.3:
        (a, a_adj, a_cap), (b, b_adj, b_cap) = RIVALS
        mapping.update({a: b, a_adj: b_adj, a_cap: b_cap, b: a, b_adj: a_adj, b_cap: a_cap})
    return mapping


class Composer:
    """Makes articles from the sources, deterministically for a seed."""

    def __init__(self, sources: list[Source], seed: int) -> None:
        if not sources:
            raise SystemExit("no source articles found in the corpus")
        self.sources = sources
        self.rng = random.Random(seed)
        self.by_topic: dict[str, list[Source]] = {}
        for source in sources:
            self.by_topic.setdefault(source.topic, []).append(source)
        self.outlets = [f"{a}-{b}.example" for a in OUTLET_FIRST for b in OUTLET_SECOND]
        self.rng.shuffle(self.outlets)
        self.start = dt.date(2026, 1, 1)
        self.days = 365

    def _substitute(
        self,
        text: str,
        mapping: dict[str, str],
        pattern: re.Pattern[str] | None,
        shift: int,
        scale: float,
    ) -> str:
        if pattern is not None:
            text = pattern.sub(lambda m: mapping.get(m.group(1), m.group(1)), text)

        def month_day(m: re.Match[str]) -> str:
            month = _MONTHS.index(m.group(1)) + 1
            try:
                day = dt.date(2026, month, int(m.group(2))) + dt.timedelta(days=shift)
            except ValueError:
                return m.group(0)
            return f"{_MONTHS[day.month - 1]} {day.day}"

        text = _MONTH_DAY.sub(month_day, text)

        def number(m: re.Match[str]) -> str:
            value = int(m.group(1).replace(",", ""))
            new = max(1, round(value * scale))
            return f"{new:,}" if value >= 1000 else str(new)

        return _NUMBER.sub(number, text)

    def compose(self, index: int) -> dict[str, object]:
        rng = self.rng
        template = rng.choice(self.sources)
        pool = self.by_topic.get(template.topic, [template])
        paragraphs = [template.paragraphs[0]]
        wanted = rng.randint(2, 5)
        others = [p for s in pool for p in s.paragraphs if p not in template.paragraphs[:1]]
        own = list(template.paragraphs[1:])
        for _ in range(wanted):
            if own and rng.random() < 0.6:
                paragraphs.append(own.pop(0))
            elif others:
                paragraphs.append(rng.choice(others))
        day = self.start + dt.timedelta(days=rng.randrange(self.days))
        shift = (day - template.published).days
        mapping = _country_mapping(rng)
        pattern = _NAMES if mapping else None
        scale = rng.choice((0.5, 0.75, 1.0, 1.0, 1.25, 1.5, 2.0))
        body = "\n".join(
            self._substitute(p, mapping, pattern, shift, scale) for p in dict.fromkeys(paragraphs)
        )
        title = self._substitute(template.title, mapping, pattern, shift, scale)
        outlet = rng.choice(self.outlets)
        when = dt.datetime.combine(day, dt.time(rng.randrange(6, 23), rng.randrange(60)))
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
        return {
            "title": title,
            "maintext": body,
            "url": f"https://{outlet}/{day:%Y/%m/%d}/{slug}-{index}",
            "date_publish": when.strftime("%Y-%m-%d %H:%M:%S"),
            "source_domain": outlet,
            "authors": [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"],
            "language": "en",
        }

    def reprint(self, original: dict[str, object], index: int) -> dict[str, object]:
        rng = self.rng
        paragraphs = str(original["maintext"]).split("\n")
        if len(paragraphs) > 2 and rng.random() < 0.5:
            paragraphs = paragraphs[:-1]
        outlet = rng.choice(self.outlets)
        published = dt.datetime.strptime(str(original["date_publish"]), "%Y-%m-%d %H:%M:%S")
        published += dt.timedelta(hours=rng.randrange(1, 30))
        slug = str(original["url"]).rsplit("/", 1)[-1].rsplit("-", 1)[0]
        return {
            **original,
            "maintext": "\n".join(paragraphs),
            "url": f"https://{outlet}/{published:%Y/%m/%d}/{slug}-{index}",
            "date_publish": published.strftime("%Y-%m-%d %H:%M:%S"),
            "source_domain": outlet,
            "authors": [f"{outlet.split('-')[0].title()} staff"],
        }


def make_corpus(
    out_dir: Path,
    articles: int,
    *,
    seed: int = 0,
    shard_size: int = 10_000,
    corpus: Path = DEMO_CORPUS,
    reprint_share: float = 0.15,
) -> dict[str, object]:
    """Write ``articles`` composed articles as JSONL shards under ``out_dir``; return the manifest."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    composer = Composer(load_sources(corpus), seed)
    recent: list[dict[str, object]] = []
    shards = 0
    reprints = 0
    handle = None
    try:
        for index in range(articles):
            if index % shard_size == 0:
                if handle is not None:
                    handle.close()
                handle = (out_dir / f"part-{shards:05d}.jsonl").open("w", encoding="utf-8")
                shards += 1
            if recent and composer.rng.random() < reprint_share:
                record = composer.reprint(composer.rng.choice(recent), index)
                reprints += 1
            else:
                record = composer.compose(index)
                recent.append(record)
                if len(recent) > 500:  # reprints follow recent stories, not year-old ones
                    recent.pop(0)
            assert handle is not None
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if handle is not None:
            handle.close()
    manifest: dict[str, object] = {
        "articles": articles,
        "reprints": reprints,
        "shards": shards,
        "seed": seed,
        "shard_size": shard_size,
        "sources": len(composer.sources),
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out_dir / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shard-size", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=DEMO_CORPUS)
    parser.add_argument("--reprint-share", type=float, default=0.15)
    args = parser.parse_args()
    manifest = make_corpus(
        args.out_dir,
        args.articles,
        seed=args.seed,
        shard_size=args.shard_size,
        corpus=args.corpus,
        reprint_share=args.reprint_share,
    )
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
