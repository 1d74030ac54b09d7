"""Article metadata found in the text itself: dateline, wire agency, publication date, language.

These matter downstream: an agency credit makes an article a wire reprint for independent-source
counting, and the publication date anchors every relative date ("on Wednesday").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

import dateparser
import py3langid

from wirecheck.clean.furniture import DATELINE
from wirecheck.models import Notice

# Canonical agency names and the ways bylines, datelines and credits name them.
AGENCIES: dict[str, tuple[str, ...]] = {
    "AP": ("ap", "associated press", "the associated press"),
    "Reuters": ("reuters", "thomson reuters"),
    "AFP": ("afp", "agence france-presse", "agence france presse", "agence france‑presse"),
    "dpa": ("dpa", "deutsche presse-agentur"),
    "Xinhua": ("xinhua",),
    "TASS": ("tass", "itar-tass"),
    "RIA Novosti": ("ria novosti", "ria"),
    "Interfax": ("interfax",),
    "Anadolu": ("anadolu", "anadolu agency", "aa"),
    "ANSA": ("ansa",),
    "EFE": ("efe",),
    "PTI": ("pti", "press trust of india"),
    "IANS": ("ians",),
    "ANI": ("ani",),
    "Kyodo": ("kyodo", "kyodo news"),
    "Yonhap": ("yonhap",),
    "Bernama": ("bernama",),
    "PAP": ("pap", "polish press agency"),
    "Ukrinform": ("ukrinform",),
    "UNIAN": ("unian",),
    "BelTA": ("belta",),
    "Bloomberg": ("bloomberg",),
    "UPI": ("upi", "united press international"),
    "CNA": ("cna",),
    "PA": ("pa", "press association", "pa media"),
    "AAP": ("aap", "australian associated press"),
    "CP": ("the canadian press", "canadian press"),
    "IRNA": ("irna",),
    "WAM": ("wam",),
    "SPA": ("spa", "saudi press agency"),
    "MENA": ("mena",),
    "APA": ("apa",),
}
_ALIAS = {alias: name for name, aliases in AGENCIES.items() for alias in aliases}

# Any agency name as a word. Short acronyms ("AP", "PA", "AA") must be upper case so that ordinary
# words and initials in other text do not match.
_ANY_AGENCY = re.compile(
    r"\b((?i:"
    + "|".join(sorted((re.escape(a) for a in _ALIAS if len(a) > 4), key=len, reverse=True))
    + r"))\b|\b("
    + "|".join(sorted((re.escape(a.upper()) for a in _ALIAS if len(a) <= 4), key=len, reverse=True))
    + r")\b",
)
_CREDIT_CONTEXT = re.compile(r"\b(?:by|from|source|credit|copyright|reporting)\b|©", re.I)
_TRAILING_CREDIT = re.compile(r"^[-–—(]\s*(?P<credit>[A-Za-z .]{2,30}?)\s*\)?$")
_DATE_LINE = re.compile(
    r"(?:\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b)",
    re.I,
)
_DATE_WORDS = re.compile(r"\b(?:published|updated|posted|date|on)\b", re.I)


def canonical_agency(name: str) -> str | None:
    """'Associated Press' -> 'AP'; unknown names -> None."""
    return _ALIAS.get(
        re.sub(r"\s+", " ", name.strip().lower()).removeprefix("the ").strip()
    ) or _ALIAS.get(name.strip().lower())


# Upper-case words that open a line with a colon or dash without being a place ("BREAKING:",
# "SHARED FROM X:", "EDITOR'S NOTE:").
_NOT_PLACE_WORDS = {
    "breaking", "update", "updated", "exclusive", "watch", "live", "opinion", "analysis", "shared",
    "from", "by", "the", "of", "and", "posted", "read", "photo", "video", "note", "editor's",
    "editors", "warning", "urgent", "alert", "share", "this", "just", "wow", "must",
}  # fmt: skip


def find_dateline(body: str) -> tuple[str | None, str | None]:
    """Return (dateline place, credited agency) from the opening of ``body``.

    The first two paragraphs are tried: a one-line kicker or breadcrumb ("World · Agency") often
    survives extraction above the dateline paragraph.
    """
    paragraphs = [p for p in body.strip().split("\n") if p.strip()][:2]
    for paragraph in paragraphs:
        match = DATELINE.match(paragraph.strip()[:200])
        if not match:
            continue
        place = match.group("place").strip(" ,")
        words = place.lower().replace(",", " ").split()
        if not words or len(words) > 5 or any(w in _NOT_PLACE_WORDS for w in words):
            continue
        credit = match.group("credit")
        agency = (canonical_agency(credit) or credit.strip()) if credit else None
        return place.title(), agency
    return None, None


def find_agency(
    body: str,
    *,
    dateline_agency: str | None,
    authors: Sequence[str],
    notices: Sequence[Notice],
    removed: Sequence[str],
) -> str | None:
    """The wire agency credited by the dateline, a byline, a trailing credit or a notice."""
    if dateline_agency:
        return dateline_agency
    for author in authors:
        for part in re.split(r"[,;|/]| and ", author):
            if agency := canonical_agency(part):
                return agency
    paragraphs = [p.strip() for p in body.strip().split("\n") if p.strip()]
    for line in paragraphs[-2:]:
        credit = _TRAILING_CREDIT.match(line)
        if credit and (agency := canonical_agency(credit.group("credit"))):
            return agency
    # A notice names the feed it came from; a cut line only counts in a credit or byline context.
    candidates = [n.text for n in notices] + [r for r in removed if _CREDIT_CONTEXT.search(r)]
    for text in candidates:
        for match in _ANY_AGENCY.finditer(text if len(text) < 400 else text[:400]):
            if agency := canonical_agency(match.group(0)):
                return agency
    return None


_FAST_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%d.%m.%Y")


def _fast_parse(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in _FAST_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 string for a date as found in metadata, or None when it does not parse."""
    if not value or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = dateparser.parse(
            text, settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"}
        )
        if parsed is None:
            return None
    if not re.search(r"\d:\d", text) and parsed.hour == parsed.minute == parsed.second == 0:
        return parsed.date().isoformat()
    return parsed.isoformat()


def date_from_lines(lines: Sequence[str]) -> str | None:
    """A publication date from short lines near the headline ("Updated 1:39 am EST, Nov 20, 2019")."""
    for line in lines:
        if len(line) > 120:
            continue
        match = _DATE_LINE.search(line)
        if match and (_DATE_WORDS.search(line) or len(line) < 60):
            found = normalise_date(match.group(0))
            if found:
                return found
    return None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the body's language (py3langid), None for text too short to tell."""
    # 1,500 characters decide the language as well as the whole text and cost half as much.
    sample = text[:1500]
    if len(re.findall(r"\w+", sample)) < 5:
        return None
    lang, _score = py3langid.classify(sample)
    return str(lang)


def site_of(url: str | None) -> str | None:
    """The site (host without 'www.') of a URL."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")
