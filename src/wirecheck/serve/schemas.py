"""The REST API's response bodies as pydantic models, so /openapi.json says exactly what comes back.

They mirror wirecheck.models and the store's row types field by field (see those for meanings);
:mod:`wirecheck.serve.convert` builds them. Lists are lists (JSON has no tuples).
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

Band = Literal["well supported", "plausible", "unverified", "disputed", "likely false"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(_Model):
    code: str = Field(description="wirecheck's stable error code (WC...)", examples=["WC404"])
    message: str
    hint: str | None = None


class ErrorBody(_Model):
    """Every 4xx/5xx answer has this body."""

    error: ErrorDetail


class Page(_Model, Generic[T]):
    """One page of a listing. Pass ``next`` back as ``?after=`` for the next page; null at the end."""

    items: list[T]
    next: str | None = Field(description="cursor of the next page, or null on the last page")


class Notice(_Model):
    kind: str
    text: str


class RemovedLine(_Model):
    text: str
    reason: str


class Mention(_Model):
    start: int
    end: int
    text: str
    type: str
    id: str | None
    code: str | None
    role: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    sentence: int
    confidence: float
    via: str


class DateMention(_Model):
    start: int
    end: int
    text: str
    value: str
    precision: str
    anchor: str
    relative: bool
    sentence: int


class Event(_Model):
    sentence: int
    sentence_text: str
    source: list[str]
    target: list[str]
    plover: str
    mode: str | None
    cameo: str
    goldstein: float
    quad_class: int
    trigger: str
    trigger_start: int
    trigger_end: int
    source_text: str | None
    target_text: str | None
    place: str | None
    date: str | None
    date_precision: str | None
    negated: bool
    modality: str
    attributed_to: str | None
    confidence: float


class EventItem(Event):
    """An event with the article it was read in."""

    article_id: str
    published: str | None
    url: str | None


class Claim(_Model):
    id: str
    sentence: int
    start: int
    end: int
    text: str
    kind: str
    checkworthiness: float
    attribution: str
    attributed_to: str | None
    attributed_actor: str | None
    attributed_role: str | None
    quote: str
    hedges: list[str]
    actors: list[str]
    events: list[int]


class ClaimSupport(_Model):
    supports: int
    contradicts: int
    independent_support: int
    independent_contradict: int
    first_source: str | None
    first_seen: str | None


class Signal(_Model):
    name: str
    value: float
    contribution: float
    evidence: list[str]


class Assessment(_Model):
    subject: str
    score: float = Field(ge=0, le=100)
    band: str
    signals: list[Signal]


class ClaimItem(_Model):
    """A claim with where it sits and what verification found about it. ``verdict`` summarises
    the support record: supported (an independent source supports it and none contradicts it),
    contradicted (an independent source contradicts it), mixed (both), unverified (neither) or
    unchecked (no support record)."""

    claim: Claim
    article_id: str
    story_id: str | None
    support: ClaimSupport | None
    assessment: Assessment | None
    verdict: Literal["supported", "contradicted", "mixed", "unverified", "unchecked"]


class ClaimLink(_Model):
    claim: str
    other: str
    stance: str
    score: float
    reasons: list[str]


class ArticleSummary(_Model):
    id: str
    title: str | None
    url: str | None
    published: str | None
    site: str | None
    agency: str | None
    language: str | None
    syndication_group: str | None
    duplicate_of: str | None


class ArticleDetail(ArticleSummary):
    input: str
    kind: str
    body: str
    authors: list[str]
    dateline: str | None
    tags: list[str]
    notices: list[Notice]
    removed: list[RemovedLine]
    warnings: list[str]
    origin: str | None
    ingested_at: str | None
    also_seen_at: list[str]
    story_id: str | None
    mentions: list[Mention]
    dates: list[DateMention]
    events: list[Event]
    claims: list[ClaimItem]
    assessment: Assessment | None


class Story(_Model):
    id: str
    label: str
    first_seen: str | None
    last_seen: str | None
    articles: list[str]
    independent_sources: int


class SourceGroup(_Model):
    """One independent source inside a story: the articles that count as one (reprints of one
    syndication group), with the sites and agency they came from."""

    key: str
    sites: list[str]
    agency: str | None
    articles: list[str]


class StoryDetail(Story):
    members: list[ArticleSummary]
    sources: list[SourceGroup]
    more_articles: int = Field(description="members not listed in ``members`` (large stories)")


class Actor(_Model):
    id: str
    type: str
    name: str
    country: str | None
    mentions: int
    articles: int
    codes: list[str]


class Source(_Model):
    site: str | None
    articles: int
    first_seen: str | None
    last_seen: str | None
    assessed: int
    mean_score: float | None
    claims: int
    checked_claims: int
    supported_share: float | None
    contradicted_share: float | None


class Place(_Model):
    id: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None


class SearchHit(_Model):
    article_id: str
    title: str | None
    snippet: str
    score: float


class Stats(_Model):
    counts: dict[str, int]
    read_only: bool


class Job(_Model):
    """One ingest job: queued, running, done or failed."""

    id: str
    status: Literal["queued", "running", "done", "failed"]
    inputs: int
    submitted: str
    started: str | None
    finished: str | None
    summary: dict[str, object] | None
    error: ErrorDetail | None
