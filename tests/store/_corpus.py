"""Hand-written records for the store tests: three small articles with claims, and verification
results over them."""

from __future__ import annotations

from dataclasses import replace

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

A1, A2, A3 = "aaaaaaaa00000001", "bbbbbbbb00000002", "cccccccc00000003"


def article(article_id: str, title: str, body: str, **kw: object) -> Article:
    values: dict[str, object] = dict(
        id=article_id,
        input=f"corpus/{article_id}.txt",
        kind=DocumentKind.TEXT,
        title=title,
        body=body,
        body_hash="h" + article_id,
    )
    values.update(kw)
    return Article(**values)  # type: ignore[arg-type]


def claim(article_id: str, n: int, text: str, **kw: object) -> Claim:
    values: dict[str, object] = dict(
        id=f"{article_id}:{n}", sentence=n, start=0, end=len(text), text=text, kind="event",
        checkworthiness=0.5,
    )  # fmt: skip
    values.update(kw)
    return Claim(**values)  # type: ignore[arg-type]


def corpus() -> list[Article]:
    """A wire report, its reprint on a portal, and a viral post."""
    wire = article(
        A1,
        "Navies drill in the Baltic",
        "VILNIUS, Oct 14 (BWS) - Lithuanian and Finnish warships began naval drills in the "
        "Baltic Sea on Tuesday, the defence minister said. Three frigates took part.",
        published="2026-10-14",
        site="bws.example",
        agency="BWS",
        mentions=(
            Mention(25, 35, "Lithuanian", "country", "LTU", code="LTU"),
            Mention(40, 47, "Finnish", "country", "FIN", code="FINMIL"),
        ),
        events=(
            Event(
                0,
                "Lithuanian and Finnish warships began naval drills.",
                ("LTU",),
                ("FIN",),
                "COOPERATE",
                None,
                "061",
                6.4,
                2,
                "began",
                48,
                53,
            ),
        ),
        claims=(
            claim(
                A1,
                0,
                "Lithuanian and Finnish warships began naval drills in the Baltic Sea.",
                attribution="named",
                attributed_to="the defence minister",
                attributed_role="defence minister",
                checkworthiness=0.9,
                actors=("LTU", "FIN"),
                events=(0,),
                hedges=(),
            ),
            claim(A1, 1, "Three frigates took part.", kind="number", checkworthiness=0.7),
        ),
    )
    reprint = replace(
        wire,
        id=A2,
        input=f"corpus/{A2}.txt",
        site="portal.example",
        published="2026-10-15",
        body_hash="h" + A2,
        claims=tuple(replace(c, id=f"{A2}:{i}") for i, c in enumerate(wire.claims)),
    )
    post = article(
        A3,
        "UNPRECEDENTED exercise against the alliance",
        "Sources say three countries will hold an unprecedented joint exercise against the "
        "alliance. Five frigates, not three, are involved. #breaking",
        published="2026-10-20",
        site="viral.example",
        mentions=(Mention(0, 5, "alliance", "organisation", "NATO", code="NATO"),),
        claims=(
            claim(
                A3,
                0,
                "Three countries will hold an unprecedented joint exercise.",
                attribution="unnamed",
                attributed_to="sources",
                checkworthiness=0.8,
                hedges=("will",),
            ),
            claim(
                A3, 1, "Five frigates, not three, are involved.", kind="number", checkworthiness=0.6
            ),
        ),
    )
    return [wire, reprint, post]


STORY_DRILL = Story("s" + A1, "Baltic naval drills", "2026-10-14", "2026-10-15", (A1, A2), 1)
STORY_POST = Story("s" + A3, "Unprecedented exercise claim", "2026-10-20", "2026-10-20", (A3,), 1)
STORY_OF = {A1: STORY_DRILL.id, A2: STORY_DRILL.id, A3: STORY_POST.id}
LINKS = [
    ClaimLink(f"{A1}:0", f"{A2}:0", "supports", 0.97, ()),
    ClaimLink(f"{A1}:1", f"{A3}:1", "contradicts", 0.71, ("number mismatch: 3 vs 5",)),
]
SUPPORT = [
    ClaimSupport(f"{A1}:0", 1, 0, 0, 0, "agency:BWS", "2026-10-14"),
    ClaimSupport(f"{A1}:1", 0, 1, 0, 1, "agency:BWS", "2026-10-14"),
    ClaimSupport(f"{A3}:0", 0, 0, 0, 0, "viral.example", "2026-10-20"),
    ClaimSupport(f"{A3}:1", 0, 1, 0, 1, "viral.example", "2026-10-20"),
]
ASSESSMENTS = [
    Assessment(A1, 82.0, "well supported",
               (Signal("named_sources", 1.0, 0.8, ("the defence minister said",)),
                Signal("dateline", 1.0, 0.3, ("VILNIUS, Oct 14 (BWS)",)))),
    Assessment(A2, 78.5, "plausible", (Signal("named_sources", 1.0, 0.8, ()),)),
    Assessment(A3, 12.0, "likely false",
               (Signal("anonymous_sources", 1.0, -0.9, ("Sources say",)),
                Signal("title_body_mismatch", 0.4, -0.5, ("UNPRECEDENTED",)))),
    Assessment(f"{A1}:1", 55.0, "disputed", (Signal("contradicted", 1.0, -0.6, ("Five frigates",)),)),
    Assessment(f"{A3}:0", 20.0, "unverified", ()),
]  # fmt: skip


def verification() -> dict[str, object]:
    """Keyword arguments for ``Store.write_verification`` over :func:`corpus`."""
    return dict(
        stories=[STORY_DRILL, STORY_POST],
        story_of=STORY_OF,
        links=LINKS,
        support=SUPPORT,
        assessments=ASSESSMENTS,
    )
