"""A seeded generator of ingest inputs, good and bad, for the fuzz test and benchmarks/bench_faults.

Every kind the ingest stage reads (scraped text, HTML, JSONL, JSON, WARC, WARC.gz, RSS, Atom) is
generated well-formed ("good": the number of articles it must give is known) and broken
(random bytes, truncated gzip, wrong encodings, byte-level mutations, malformed records and
markup, empty files). All text is generated here from a word list; nothing is fictional news
about real people.
"""

from __future__ import annotations

import gzip
import io
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_WORD_TEXT = (
    "harbour council budget ferry storm repairs tender minister agency port bridge railway "
    "contract village school hospital election vote committee report inspector delegation "
    "treaty border patrol exercise drill ship convoy pipeline power grid outage winter "
    "supply price market farmer harvest river flood dam engineer museum festival bishop "
    "mayor court judge appeal ruling prosecutor police station tunnel airport runway cargo "
    "customs fishing quota licence forest fire brigade volunteer union strike wage pension "
    "reform ministry spokesperson statement official figure survey research university "
    "student library"
)
WORDS = _WORD_TEXT.split()
PLACES = ["Klaipeda", "Gdansk", "Riga", "Tallinn", "Turku", "Rostock", "Kiel", "Liepaja"]
ACCENTED = "Klaipėda Petrauskienė Białowieża Māris Lūsis Šiauliai Łódź Jūrmala “quoted” — déjà"


@dataclass(frozen=True)
class Case:
    """One input file. ``articles`` is how many articles a good input must give (and it must
    give no failure); None for a broken input, which may give articles, failures or both but
    must give at least one of them."""

    name: str
    data: bytes
    articles: int | None


def _sentence(rng: random.Random, uid: str) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    words.insert(rng.randint(0, len(words)), uid)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _story(rng: random.Random, uid: str) -> tuple[str, list[str]]:
    place = rng.choice(PLACES)
    title = f"{place} {rng.choice(WORDS)} {rng.choice(WORDS)} {uid}".title()
    paragraphs = [
        f"{place.upper()}, Oct {rng.randint(1, 28)} - " + _sentence(rng, uid),
        *(
            " ".join(_sentence(rng, f"{uid}x{i}{j}") for j in range(rng.randint(2, 4)))
            for i in range(rng.randint(2, 4))
        ),
    ]
    return title, paragraphs


def good_text(rng: random.Random, uid: str) -> bytes:
    title, paragraphs = _story(rng, uid)
    return ("\n".join([title, *paragraphs]) + "\n").encode("utf-8")


def good_html(rng: random.Random, uid: str) -> bytes:
    title, paragraphs = _story(rng, uid)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'</head><body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>{body}</article>'
        "<footer>Footer</footer></body></html>"
    ).encode()


def _record(rng: random.Random, uid: str) -> dict[str, object]:
    title, paragraphs = _story(rng, uid)
    return {
        "title": title,
        "text": "\n".join(paragraphs),
        "url": f"https://site{rng.randint(1, 50)}.example/{uid}",
        "date": f"2026-10-{rng.randint(1, 28):02d}",
    }


def good_jsonl(rng: random.Random, uid: str, count: int) -> bytes:
    return "".join(json.dumps(_record(rng, f"{uid}r{i}")) + "\n" for i in range(count)).encode()


def good_json(rng: random.Random, uid: str, count: int) -> bytes:
    return json.dumps([_record(rng, f"{uid}r{i}") for i in range(count)]).encode()


def good_warc(rng: random.Random, uid: str, count: int, *, gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(count):
        body = good_html(rng, f"{uid}w{i}")
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            f"https://site{rng.randint(1, 50)}.example/{uid}/{i}",
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
        )
        writer.write_record(record)
    return buf.getvalue()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def good_rss(rng: random.Random, uid: str, count: int) -> bytes:
    items = []
    for i in range(count):
        title, paragraphs = _story(rng, f"{uid}f{i}")
        items.append(
            f"<item><title>{_xml(title)}</title><link>https://feed.example/{uid}/{i}</link>"
            f"<guid>{uid}-{i}</guid><pubDate>Tue, 14 Oct 2026 09:00:00 GMT</pubDate>"
            f"<description>{_xml(''.join(f'<p>{p}</p>' for p in paragraphs))}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed</title>'
        f"<link>https://feed.example/</link>{''.join(items)}</channel></rss>"
    ).encode()


def good_atom(rng: random.Random, uid: str, count: int) -> bytes:
    entries = []
    for i in range(count):
        title, paragraphs = _story(rng, f"{uid}a{i}")
        entries.append(
            f"<entry><title>{_xml(title)}</title><id>urn:{uid}:{i}</id>"
            f'<link href="https://atom.example/{uid}/{i}"/><updated>2026-10-14T09:00:00Z</updated>'
            f'<content type="html">{_xml("".join(f"<p>{p}</p>" for p in paragraphs))}</content>'
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Atom</title><id>urn:feed</id>{''.join(entries)}</feed>"
    ).encode()


# -- broken inputs --------------------------------------------------------------------------------
def garbage(rng: random.Random) -> bytes:
    return rng.randbytes(rng.randint(1, 4096))


def truncated_gzip(rng: random.Random, blob: bytes) -> bytes:
    packed = gzip.compress(blob)
    return packed[: rng.randint(1, max(1, len(packed) - 1))]


ENCODINGS = ["cp1251", "latin-1", "cp1252", "utf-16-le", "utf-16-be", "utf-32", "koi8-r",
             "shift_jis", "iso-8859-13", "mac_roman"]  # fmt: skip


def wrong_encoding(rng: random.Random, uid: str) -> bytes:
    title, paragraphs = _story(rng, uid)
    text = "\n".join([title, *paragraphs, ACCENTED, "Россия заявила, что учения завершены."])
    return text.encode(rng.choice(ENCODINGS), errors="replace")


def mutate(rng: random.Random, blob: bytes) -> bytes:
    data = bytearray(blob)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(6)
        at = rng.randrange(len(data) + 1)
        if op == 0 and data:  # flip a byte
            data[min(at, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:  # insert random bytes
            data[at:at] = rng.randbytes(rng.randint(1, 16))
        elif op == 2:  # delete a stretch
            del data[at : at + rng.randint(1, 64)]
        elif op == 3:  # truncate
            del data[at:]
        elif op == 4:  # NUL bytes
            data[at:at] = b"\x00" * rng.randint(1, 4)
        else:  # repeat a stretch
            data[at:at] = data[max(0, at - 32) : at]
    out = bytes(data)
    return out if out != blob else out + b"\xff"


def broken_records(rng: random.Random, uid: str) -> bytes:
    variants: list[object] = [
        {"title": ["a", "list"], "text": 12},
        {"text": None},
        {"title": "t", "text": {"nested": {"deep": [1, 2, 3]}}},
        {"url": 5, "text": "x" * rng.randint(0, 3)},
        [1, 2, 3],
        "just a string",
        {"title": "\u0000\ud800", "text": "\ufffd" * 10},
        {"title": "Deep", "text": "A" * 10, "date": "not a date"},
    ]
    lines = [json.dumps(rng.choice(variants)) for _ in range(rng.randint(1, 6))]
    lines.insert(rng.randint(0, len(lines)), "{not json at all")
    lines.insert(rng.randint(0, len(lines)), '{"text": "' + "\\u" + '"}')
    if rng.random() < 0.5:
        lines.append(json.dumps(_record(rng, uid)))
    return ("\n".join(lines) + "\n").encode()


def broken_markup(rng: random.Random, uid: str) -> bytes:
    choices: list[Callable[[], bytes]] = [
        lambda: b"<rss><channel><item><title>unclosed",
        lambda: (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<rss><channel><item><title>&b;</title><description>&b;&b;</description></item>"
            b"</channel></rss>"
        ),
        lambda: b"<feed xmlns='http://www.w3.org/2005/Atom'><entry></entry></feed>",
        lambda: b"<html><body>" + b"<div>" * rng.randint(100, 3000) + b"deep" + b"</body>",
        lambda: (
            b"<html><head><meta charset='x-unknown-charset'></head><body><p>"
            + good_text(rng, uid)
            + b"</p></body></html>"
        ),
        lambda: b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort",
        lambda: good_warc(rng, uid, 2, gz=False)[: rng.randint(10, 400)],
        lambda: b"<" * rng.randint(1, 5000),
        lambda: ("x" * rng.randint(100_000, 400_000)).encode(),  # one enormous line
        lambda: b" \n\t\r\n" * rng.randint(0, 50),
        lambda: b"",
        lambda: b"\xef\xbb\xbf",
        lambda: b"\x1f\x8b\x08" + rng.randbytes(rng.randint(0, 64)),
    ]
    return rng.choice(choices)()


# -- the mix ----------------------------------------------------------------------------------
def generate(count: int, seed: int = 7) -> Iterator[Case]:
    """``count`` inputs: about half good (every kind), half broken (every way)."""
    rng = random.Random(seed)
    for n in range(count):
        uid = f"u{seed}n{n}"
        k = rng.randint(1, 4)
        roll = n % 20
        if roll == 0:
            yield Case(f"{n:06d}.txt", good_text(rng, uid), 1)
        elif roll == 1:
            yield Case(f"{n:06d}.html", good_html(rng, uid), 1)
        elif roll == 2:
            yield Case(f"{n:06d}.jsonl", good_jsonl(rng, uid, k), k)
        elif roll == 3:
            yield Case(f"{n:06d}.json", good_json(rng, uid, k), k)
        elif roll == 4:
            yield Case(f"{n:06d}.warc", good_warc(rng, uid, k, gz=False), k)
        elif roll == 5:
            yield Case(f"{n:06d}.warc.gz", good_warc(rng, uid, k, gz=True), k)
        elif roll == 6:
            yield Case(f"{n:06d}.rss", good_rss(rng, uid, k), k)
        elif roll == 7:
            yield Case(f"{n:06d}.atom", good_atom(rng, uid, k), k)
        elif roll == 8:
            yield Case(f"{n:06d}.txt.gz", gzip.compress(good_text(rng, uid)), 1)
        elif roll == 9:
            yield Case(f"{n:06d}.bin", garbage(rng), None)
        elif roll == 10:
            yield Case(f"{n:06d}.gz", truncated_gzip(rng, good_text(rng, uid)), None)
        elif roll == 11:
            yield Case(f"{n:06d}.warc.gz", truncated_gzip(rng, good_warc(rng, uid, k, gz=False)), None)  # fmt: skip
        elif roll == 12:
            yield Case(f"{n:06d}.txt", wrong_encoding(rng, uid), None)
        elif roll == 13:
            yield Case(f"{n:06d}.jsonl", broken_records(rng, uid), None)
        elif roll == 14:
            yield Case(f"{n:06d}.xml", broken_markup(rng, uid), None)
        else:
            yield Case(f"{n:06d}.mut", mutate(rng, _any_good(rng, uid, k)), None)


def _any_good(rng: random.Random, uid: str, k: int) -> bytes:
    pick = rng.randrange(6)
    if pick == 0:
        return good_text(rng, uid)
    if pick == 1:
        return good_html(rng, uid)
    if pick == 2:
        return good_jsonl(rng, uid, k)
    if pick == 3:
        return good_warc(rng, uid, k, gz=rng.random() < 0.5)
    if pick == 4:
        return good_rss(rng, uid, k)
    return good_atom(rng, uid, k)


def write_cases(root: Path, count: int, seed: int = 7) -> list[Case]:
    """Write ``count`` generated inputs under ``root`` (100 per folder) and return them."""
    cases = []
    for case in generate(count, seed):
        folder = root / case.name[:4]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / case.name).write_bytes(case.data)
        cases.append(Case(str(folder / case.name), case.data, case.articles))
    return cases
