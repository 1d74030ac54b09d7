"""Dates in an article body: spaCy DATE entities (plus weekday names and relative phrases that NER
missed), resolved with dateparser against the publication date, or the ingest date when the
publication date is unknown (``DateMention.anchor`` says which).

Precision is kept: ``day`` (2026-10-14), ``week`` (ISO week, 2026-W41: "last week"), ``month``
(2026-10: "earlier this month", "in March") or ``year`` (2014: "in 2014", "last year").
Durations ("two weeks", "the past three years"), ages ("42 years old"), decades ("the 1990s") and
ranges ("2014-2015") are not points in time and are skipped, as is anything dateparser cannot read.

News conventions applied on top of dateparser:
- dates without a year, weekdays and bare months resolve to the past (``PREFER_DATES_FROM=past``),
  or to the future when the sentence is in the future tense ("will meet on Friday");
- a bare weekday equal to the anchor's weekday is the anchor's day ("said on Thursday" in a
  Thursday article), where dateparser would pick the same weekday a week earlier (or later);
- "earlier this month", "late 2024", "mid-October" drop the modifier and keep the precision of
  what remains (dateparser reads none of them).

An anchor with a time zone is read as its local wall-clock date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from typing import Any

from dateparser.date import DateDataParser

from wirecheck.models import DateMention

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Expressions NER often misses; weekdays are matched capitalised only ("may", "march" are words).
_EXTRA = re.compile(
    r"\b(?:(?:[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?i:(?:earlier|later)\s+this\s+(?:week|month|year)|(?:last|next|this)\s+(?:week|month|year)"
    r"|yesterday)\b"
)
_NUMBER = (
    r"(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|hundred|several|few|a few|many|some|\w+-)"
)
_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ie))s?"
_DURATION = re.compile(
    rf"^(?:(?:for|about|around|some|nearly|almost|roughly|more than|less than|over|under|"
    rf"at least|up to|only|just|another|the|past|last|next|first|previous|coming|following)\s+)*"
    rf"{_NUMBER}\s*-?\s*(?:and a half\s+)?{_UNIT}(?:\s+and\s+{_NUMBER}\s*{_UNIT})?$"
    # "years", "the past week", "over the last year" (but "last year" is a point in time)
    rf"|^(?:(?:for|over|in|during|within|throughout)\s+)?(?:the\s+(?:past|last|next|previous|"
    rf"coming|following)\s+)?{_UNIT}$",
    re.IGNORECASE,
)
_AGE = re.compile(r"\bold\b|-year-old|\baged?\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged?|age of)\s+$", re.IGNORECASE)
_DECADE = re.compile(r"\d0s\b|'\d0s\b", re.IGNORECASE)
_MODIFIER = re.compile(
    r"^(?:earlier|later|early|late|mid|the (?:end|start|beginning|middle) of|the rest of)\s*-?\s*",
    re.IGNORECASE,
)
_LEADING_PREPOSITION = re.compile(r"^(?:on|in|since|by|until|from|during|as of)\s+", re.I)
_WEEKDAY_ONLY = re.compile(
    r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?$",
    re.IGNORECASE,
)
_RELATIVE_WORDS = re.compile(
    r"\b(?:last|next|this|ago|earlier|later|yesterday|today|tomorrow|previous|coming)\b", re.I
)
_YEAR = re.compile(r"\b\d{4}\b")
_FUTURE_WORDS = frozenset({"will", "'ll", "shall"})
_PERIOD_PRECISION = {
    "day": "day",
    "part_of_day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}
MIN_YEAR = 1000
MAX_YEARS_AHEAD = 50


def _skip(text: str) -> bool:
    """Durations, ages, decades, bare small numbers ("aged 42"): not points in time."""
    if text.isdigit() and len(text) != 4:
        return True
    return bool(_DURATION.match(text) or _AGE.search(text) or _DECADE.search(text))


@functools.lru_cache(maxsize=64)
def _parser(base: dt.datetime, prefer: str) -> DateDataParser:
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer, "RETURN_TIME_AS_PERIOD": True}
    return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=4096)
def _resolve(text: str, base: dt.datetime, prefer: str) -> tuple[str, str] | None:
    """(ISO value, precision) of ``text`` against ``base``; None when it is not a point in time.
    Cached: the same expressions recur across a batch of articles with the same date."""
    if _skip(text):
        return None
    normalised = _LEADING_PREPOSITION.sub("", _MODIFIER.sub("", text.strip())).strip()
    if not normalised or _skip(normalised):
        return None
    try:
        data = _parser(base, prefer).get_date_data(normalised)
    except (ValueError, OverflowError, TypeError, IndexError, AttributeError, KeyError):
        # dateparser raises assorted errors on odd input; an unreadable expression is skipped.
        return None
    when, period = data.date_obj, data.period
    precision = _PERIOD_PRECISION.get(period or "")
    if when is None or precision is None:
        return None
    if not MIN_YEAR <= when.year <= base.year + MAX_YEARS_AHEAD:
        return None
    weekday = _WEEKDAY_ONLY.match(normalised)
    if weekday and _WEEKDAYS.index(weekday.group(1).lower()) == base.weekday():
        when = base  # same weekday as the anchor: the anchor's day, not a week off
    if precision == "day" and not (
        _YEAR.search(normalised) or _RELATIVE_WORDS.search(normalised) or weekday
    ):
        # A month and day without a year ("Oct 27"): the nearest such date to the anchor, past or
        # future, whatever the tense (drills "end on Oct 27", were "announced on Sept 30").
        when = min(
            (_with_year(when, base.year + k) for k in (-1, 0, 1)),
            key=lambda d: abs((d - base).total_seconds()),
        )
    if precision == "day":
        return when.date().isoformat(), precision
    if precision == "week":
        year, week, _ = when.isocalendar()
        return f"{year:04d}-W{week:02d}", precision
    if precision == "month":
        return f"{when.year:04d}-{when.month:02d}", precision
    return f"{when.year:04d}", precision


def _with_year(when: dt.datetime, year: int) -> dt.datetime:
    try:
        return when.replace(year=year)
    except ValueError:  # 29 February
        return when.replace(year=year, day=28)


def _is_future(sentence: Any) -> bool:
    return any(tok.lower_ in _FUTURE_WORDS for tok in sentence)


def find_dates(doc: Any, *, anchor: dt.datetime, anchor_source: str) -> list[DateMention]:
    """Date expressions of ``doc`` (the article body) resolved against ``anchor``.

    ``anchor_source`` ("published" or "ingested") is copied to each ``DateMention.anchor``.
    """
    text: str = doc.text
    # Midnight of the anchor's (local) date: "Oct 14" in an article published at 12:40 on
    # 14 October is that day, not (PREFER_DATES_FROM=future) the next year's.
    base = dt.datetime.combine(anchor.date(), dt.time())
    sents = list(doc.sents) if len(doc) else []
    starts = [s.start_char for s in sents]
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "DATE"]
    taken = sorted(spans)
    for match in _EXTRA.finditer(text):
        s, e = match.span()
        i = bisect.bisect_left(taken, (e, e))
        # No overlap with the entity just before (the list is sorted by start).
        if i and taken[i - 1][1] > s:
            continue
        if i < len(taken) and taken[i][0] < e:
            continue
        bisect.insort(taken, (s, e))
    out: list[DateMention] = []
    for start, end in taken:
        surface = text[start:end]
        nxt = text[end : end + 5].lower()
        if nxt.startswith((" old", "-old")):  # "42 years" + " old": an age
            continue
        if _AGE_BEFORE.search(text[max(start - 8, 0) : start]):  # "aged 42"
            continue
        index = max(bisect.bisect_right(starts, start) - 1, 0)
        future = bool(sents) and _is_future(sents[index])
        resolved = _resolve(surface, base, "future" if future else "past")
        if resolved is None:
            continue
        value, precision = resolved
        relative = bool(_RELATIVE_WORDS.search(surface)) or not _YEAR.search(surface)
        out.append(
            DateMention(
                start=start,
                end=end,
                text=surface,
                value=value,
                precision=precision,
                anchor=anchor_source,
                relative=relative,
                sentence=index,
            )
        )
    return out
