"""Records passed between stages. Frozen dataclasses only: no I/O, no behaviour beyond conversion."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class DocumentKind(enum.StrEnum):
    """What the bytes of a document are, as decided by sniffing the content."""

    TEXT = "text"  # scraped plain text: a whole page's visible text
    HTML = "html"
    RECORD = "record"  # a crawler record that already has title/body fields (JSONL, feed item)


@dataclass(frozen=True)
class Document:
    """Raw content plus where it came from. Produced by ingest, consumed by clean.

    ``input`` is the display locator: a path, ``path:LINE`` for a JSONL record, ``path#RECORD-ID``
    for a WARC record, or a URL.
    """

    id: str
    input: str
    kind: DocumentKind
    content: bytes
    url: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    site_hint: str | None = (
        None  # e.g. the folder or feed a document came from, for site statistics
    )
    fetched_at: dt.datetime | None = None
    charset: str | None = None  # charset declared by a transport (HTTP header, WARC record)


@dataclass(frozen=True)
class Notice:
    """A disclaimer kept out of the body but kept as evidence (e.g. an agency-feed republication)."""

    kind: str
    text: str


@dataclass(frozen=True)
class RemovedLine:
    """A line cut from the body, with the rule that cut it, so users can audit the cleaner."""

    text: str
    reason: str


@dataclass(frozen=True)
class Mention:
    """An actor or a place named in an article's body, resolved to a stable id where possible.

    ``start``/``end`` are character offsets into ``Article.body``. ``type`` is one of country,
    organisation, person, group (actors) or place. For actors, ``id`` is the actor file's id and
    ``code`` the CAMEO-style code at the article's date (``GBRMIL``); ``role`` is the person's
    office at that date. For places, ``id`` is ``geonames:<id>`` (or ``iso:<code>`` for a country
    or subdivision) and ``country``/``admin1``/``lat``/``lon`` say where it is. ``via`` says which
    rule resolved the mention (name, alias, metonym, sector_phrase, coreference, counterpart,
    dateline, gazetteer, ...); an unresolved mention has ``id`` None rather than a guess.
    """

    start: int
    end: int
    text: str
    type: str
    id: str | None
    code: str | None = None
    role: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    sentence: int = 0
    confidence: float = 1.0
    via: str = "name"


@dataclass(frozen=True)
class DateMention:
    """A date expression resolved against the publication date (or the ingest date: ``anchor``).

    ``value`` is ISO 8601 at the stated ``precision`` (day: 2026-10-14, month: 2026-10, year: 2026).
    """

    start: int
    end: int
    text: str
    value: str
    precision: str
    anchor: str
    relative: bool
    sentence: int = 0


@dataclass(frozen=True)
class Event:
    """Who did what to whom, where and when, as one sentence of one article tells it.

    ``source``/``target`` are actor codes (``RUSMIL``); a list when several act jointly. ``plover``
    is the PLOVER event type (``mode`` where PLOVER defines one), ``cameo`` the CAMEO code with its
    ``goldstein`` score and ``quad_class`` (1 verbal cooperation .. 4 material conflict).
    ``modality`` is one of reported, planned, threatened, hypothetical, denied; ``attributed_to`` is
    the actor code (or text) of whoever reports it ("X said that ..."). ``trigger`` is the words
    that carry the action, as character offsets into the body and as text.
    """

    sentence: int
    sentence_text: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    plover: str
    mode: str | None
    cameo: str
    goldstein: float
    quad_class: int
    trigger: str
    trigger_start: int
    trigger_end: int
    source_text: str | None = None
    target_text: str | None = None
    place: str | None = None  # a place mention id (geonames:..., iso:...)
    date: str | None = None
    date_precision: str | None = None
    negated: bool = False
    modality: str = "reported"
    attributed_to: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True)
class Claim:
    """A check-worthy factual assertion in one sentence of one article (analyze stage).

    ``id`` is ``ARTICLE_ID:N`` (N = the claim's index in the article). ``start``/``end`` are
    character offsets into ``Article.body``. ``kind`` says what makes it factual: event, number,
    date, state. ``checkworthiness`` is the model's probability (0..1).

    Attribution: ``attribution`` is one of named (a person or organisation), unnamed ("officials
    said"), document ("according to a report"), none (the article's own voice);
    ``attributed_to`` is the source's words, ``attributed_actor`` its actor code where resolved,
    ``attributed_role`` the role ("defence minister"). ``quote`` is direct, paraphrase or none.
    ``hedges`` are the hedging words found ("reportedly", "might"). ``actors`` are the actor codes
    the claim names; ``events`` the indices into ``Article.events`` of events in its sentence.
    """

    id: str
    sentence: int
    start: int
    end: int
    text: str
    kind: str
    checkworthiness: float
    attribution: str = "none"
    attributed_to: str | None = None
    attributed_actor: str | None = None
    attributed_role: str | None = None
    quote: str = "none"
    hedges: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    events: tuple[int, ...] = ()


@dataclass(frozen=True)
class ClaimLink:
    """A match between two claims about the same thing, with the stance of ``other`` towards
    ``claim``: supports, contradicts, discusses (unrelated matches are not kept). ``reasons`` are
    the explicit checks that fired ("negation", "number mismatch: 3 vs 5", "denial verb: denied")."""

    claim: str
    other: str
    stance: str
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimSupport:
    """Corroboration of one claim across the corpus (verify stage).

    ``supports``/``contradicts`` count matching claims in other articles; the ``independent_``
    counts collapse reprints in one syndication group, copies of one agency's story and an outlet
    repeating itself into one source each. ``first_source``/``first_seen`` say who reported it
    first (site or agency, and when).
    """

    claim: str
    supports: int
    contradicts: int
    independent_support: int
    independent_contradict: int
    first_source: str | None = None
    first_seen: str | None = None


@dataclass(frozen=True)
class Signal:
    """One reason behind a credibility score: its measured ``value``, its ``contribution`` to the
    score (log-odds from the shipped model), and the ``evidence`` (a sentence or span) behind it."""

    name: str
    value: float
    contribution: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """A credibility assessment of one article or one claim (``subject`` is its id).

    ``score`` is 0..100; ``band`` one of: well supported, plausible, unverified, disputed,
    likely false."""

    subject: str
    score: float
    band: str
    signals: tuple[Signal, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["signals"] = [{**s, "evidence": list(s["evidence"])} for s in out["signals"]]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assessment:
        return cls(
            subject=data["subject"],
            score=float(data["score"]),
            band=data["band"],
            signals=tuple(
                Signal(**{**s, "evidence": tuple(s.get("evidence") or ())})
                for s in data.get("signals") or ()
            ),
        )


@dataclass(frozen=True)
class Story:
    """Articles about the same happening, across sources (verify stage).

    ``id`` is ``s`` + the smallest member article id, so it is stable however the corpus arrived.
    ``independent_sources`` counts the members' independent sources (see :class:`ClaimSupport`).
    """

    id: str
    label: str
    first_seen: str | None
    last_seen: str | None
    articles: tuple[str, ...]
    independent_sources: int

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["articles"] = list(self.articles)
        return out


@dataclass(frozen=True)
class Article:
    """A cleaned article. Later stages add mentions, events, claims and credibility."""

    id: str
    input: str
    kind: DocumentKind
    title: str | None
    body: str
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime as found
    site: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    agency: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()
    removed: tuple[RemovedLine, ...] = ()
    warnings: tuple[str, ...] = ()
    body_hash: str = ""
    syndication_group: str | None = None
    origin: str | None = None
    duplicate_of: str | None = None
    ingested_at: str | None = None
    mentions: tuple[Mention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the record `wirecheck articles --json` prints."""
        out = dataclasses.asdict(self)
        out["kind"] = self.kind.value
        for key in ("authors", "tags", "warnings"):
            out[key] = list(out[key])
        out["notices"] = [dict(n) for n in out["notices"]]
        out["removed"] = [dict(r) for r in out["removed"]]
        out["mentions"] = [dict(m) for m in out["mentions"]]
        out["dates"] = [dict(d) for d in out["dates"]]
        out["events"] = [
            {**e, "source": list(e["source"]), "target": list(e["target"])} for e in out["events"]
        ]
        out["claims"] = [
            {
                **c,
                "hedges": list(c["hedges"]),
                "actors": list(c["actors"]),
                "events": list(c["events"]),
            }
            for c in out["claims"]
        ]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        """Inverse of :meth:`to_dict`; unknown keys (added by later stages) are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["kind"] = DocumentKind(values["kind"])
        for key in ("authors", "tags", "warnings"):
            values[key] = tuple(values.get(key) or ())
        values["notices"] = tuple(Notice(**n) for n in values.get("notices") or ())
        values["removed"] = tuple(RemovedLine(**r) for r in values.get("removed") or ())
        values["mentions"] = tuple(Mention(**m) for m in values.get("mentions") or ())
        values["dates"] = tuple(DateMention(**d) for d in values.get("dates") or ())
        values["events"] = tuple(
            Event(**{**e, "source": tuple(e["source"]), "target": tuple(e["target"])})
            for e in values.get("events") or ()
        )
        values["claims"] = tuple(
            Claim(
                **{
                    **c,
                    "hedges": tuple(c.get("hedges") or ()),
                    "actors": tuple(c.get("actors") or ()),
                    "events": tuple(c.get("events") or ()),
                }
            )
            for c in values.get("claims") or ()
        )
        return cls(**values)


@dataclass(frozen=True)
class Failure:
    """An input that failed at some stage; stored in the failure log."""

    input: str
    stage: str
    code: str
    message: str


@dataclass(frozen=True)
class DedupAssignment:
    """The dedup stage's verdict for one article (recomputed as the corpus grows)."""

    article_id: str
    syndication_group: str
    origin: str
    duplicate_of: str | None
