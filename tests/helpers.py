"""Small article texts written for these tests (fictional)."""

from __future__ import annotations

import json
from pathlib import Path

DEMO_CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"

WIRE_BODY = [
    "VILNIUS, Oct 14 (BWS) - Eleven warships from five navies began a joint exercise in the Baltic "
    "Sea on Tuesday, Lithuania's defence ministry said, in drills planned for more than a year.",
    "The ships will practise mine clearance and air defence off the coast of Klaipeda until Friday, "
    "officials said. About 1,800 sailors are taking part, according to a ministry statement.",
    "“These drills are defensive and routine,” a spokesperson for the alliance told reporters in "
    "Brussels, adding that neighbouring states had been notified in advance.",
    "The exercise follows a similar one held in the same waters in the spring, when seven ships "
    "took part and a Finnish minehunter led the clearance drills.",
]
TITLE = "Five navies begin Baltic mine-clearance drills"


def scraped_page(site: str, extra: str = "") -> str:
    """A whole-page text dump with furniture around the wire story."""
    return "\n".join(
        [
            "Home", "World", "Politics", "Business", "Sport", "Subscribe", "Sign in",
            f"https://www.{site}/world/baltic-drills",
            TITLE,
            "Updated 14 October 2026",
            *WIRE_BODY,
            extra,
            "Share on Facebook", "Share on X",
            "How do you feel about this article?", "Happy", "Sad", "Angry",
            "Comments (2)", "Be the first to comment!",
            "Back to top",
            "#Baltic #Navy #Drills",
            f"© 2026 {site}. All rights reserved.",
        ]
    )  # fmt: skip


def html_page(site: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in WIRE_BODY)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{TITLE} | {site}</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="2026-10-14T09:30:00+00:00">
<link rel="canonical" href="https://{site}/baltic-drills"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{TITLE}</h1><p class="byline">By Staff, Baltic Wire Service</p>{paragraphs}</article>
<aside><h3>Related</h3><ul><li><a href="/a">Markets slip</a></li></ul></aside>
<footer>© 2026 {site}</footer></body></html>"""


def write_corpus(root: Path) -> dict[str, Path]:
    """Three reprints of one wire story in three formats, one other story, and bad inputs."""
    root.mkdir(parents=True, exist_ok=True)
    paths = {
        "txt": root / "a" / "drills.txt",
        "html": root / "b" / "drills.html",
        "jsonl": root / "crawl.jsonl",
        "binary": root / "junk.bin",
        "empty": root / "empty.txt",
    }
    paths["txt"].parent.mkdir()
    paths["html"].parent.mkdir()
    paths["txt"].write_text(scraped_page("northgate-herald.example"), encoding="utf-8")
    paths["html"].write_text(html_page("harbour-ledger.example"), encoding="utf-8")
    records = [
        {
            "title": TITLE,
            "maintext": "\n".join(WIRE_BODY[:3]),
            "url": "https://eastline.example/news/drills",
            "date_publish": "2026-10-14 11:00:00",
            "source_domain": "eastline.example",
            "authors": ["Eastline staff"],
            "language": "en",
        },
        {
            "title": "Central bank holds rates",
            "text": "The central bank held its main interest rate at 4.5 percent on Thursday, "
            "citing slowing inflation and weak demand for credit from households and small "
            "companies, and said it would review the decision in December.",
            "url": "https://eastline.example/news/rates",
            "date": "2026-10-15",
        },
    ]
    lines = [json.dumps(records[0]), "{this is not json", json.dumps(records[1])]
    paths["jsonl"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths["binary"].write_bytes(bytes(range(256)) * 8)
    paths["empty"].write_bytes(b"")
    return paths
