"""Page furniture: lines that are not the article (menus, widgets, promos, notices, hashtags).

Rules are written for *kinds* of furniture, not for one site's strings. The same filter runs on
scraped text and, as a post-filter, on the body an HTML extractor returns, so every rule here
must be safe on a clean article body: a pattern that could match a real sentence is only applied
to short lines (few words), and a long line is cut only by a rule that names a kind of boilerplate
no article sentence is made of (a cookie banner, an agency-feed notice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from wirecheck.clean.sitelines import boilerplate, line_key
from wirecheck.models import Notice, RemovedLine

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")

# --- notices: removed from the body, kept as typed evidence -----------------------------------
# An agency-feed notice says both that the text was not edited (published automatically, without
# changes) and where it came from (a feed, an agency, a wire); either alone is ordinary prose.
_AGENCY_FEED = re.compile(
    r"(?:auto(?:matic(?:ally)?|-)?\s*(?:generated|published|posted|created|imported)|"
    r"(?:published|generated|posted|created|uploaded)\s+(?:automatically|by\s+an?\s+automated)|"
    r"without\s+(?:any\s+)?(?:editing|modifications?|changes|alterations?)|unedited|"
    r"not\s+(?:been\s+)?(?:edited|modified|reviewed)\s+by\s+(?:\w+\s+){0,4}(?:staff|editors?|team|desk))",
    re.I,
)
# A republication note names the outlet a text was taken from (or invites others to take it):
# like an agency-feed notice, it is evidence that the text is not an independent report.
_REPUBLICATION = re.compile(
    r"\b(?:originally\s+(?:published|appeared|posted)\s+(?:by|in|on|at)|"
    r"first\s+(?:published|appeared)\s+(?:by|in|on|at)|"
    r"republished\s+(?:here\s+)?(?:with|by|under)\s+(?:permission|kind\s+permission|arrangement|licen[cs]e)|"
    r"may\s+be\s+republished|reprinted\s+with\s+permission)",
    re.I,
)
_REPUBLICATION_GATE = re.compile(r"publish|appeared|reprint")
_FEED_CONTEXT = re.compile(r"\b(?:feed|agenc|wire\b|syndicat)", re.I)
_DISCLAIMER = re.compile(
    r"(?:\b(?:does|do|did)\s+not\s+(?:necessarily\s+)?(?:endorse|reflect|represent)|"
    r"\bno\s+(?:endorsement|responsibility)\b|\bnot\s+responsible\s+for\b|"
    r"(?:views|opinions)\s+expressed\s+(?:here|in\s+this|by|are)|"
    r"\bdisclaimer\b|\bfor\s+informational\s+purposes\s+only\b)",
    re.I,
)
_IMAGE_CREDIT = re.compile(
    r"^[(\[]?\s*(?:(?:main|top|featured|header|cover|file|lead)\s+)?"
    r"(?:photo(?:graph)?s?|images?|pictures?|pics?|illustrations?|credits?|foto|bild|video)"
    r"(?:\s+(?:credit|courtesy|source|copyright|caption))?\s*(?:[:|/©]|by\b|courtesy\b|©)",
    re.I,
)
_IMAGE_CREDIT_ANY = re.compile(r"^(?:image|photo)\s+(?:copyright|caption|source)\b", re.I)
# A caption that ends with a credit: "A cyclist rides past the plant. © Reuters / David Mercado".
_CAPTION_COPYRIGHT = re.compile(r"^(?:\S+\s+){5,}.*©\s*[^©\d][^©]{1,60}$")
# A caption that ends with its credit: "Protesters wore masks (Image: GETTY)".
_CAPTION_CREDIT = re.compile(
    r"[(\[]\s*(?:photo|image|picture|pic|credit|foto|bild|source)s?\s*(?:credit)?\s*[:/]\s*[^()\[\]]{1,60}[)\]]\s*$",
    re.I,
)

# --- widgets and promos: short lines only ----------------------------------------------------
_COMMENT = re.compile(
    r"(?:how\s+do(?:es)?\s+(?:you|this)\s+(?:feel|make\s+you\s+feel)|what\s+do\s+you\s+think|"
    r"^\d[\d,.]*\s*(?:comments?|responses?|replies|reactions?)\b|"
    r"^(?:comments?|reactions?|discussion|responses?)\s*(?:\(\d+\)|\d+)?\s*[:]?$|"
    r"\b(?:be\s+the\s+first\s+to\s+(?:comment|react|respond|review)|"
    r"(?:leave|post|add|write|view|show|read|hide|load)\s+(?:a\s+|the\s+|all\s+|more\s+)?"
    r"(?:\d+\s+)?(?:comments?|reply|replies|responses?)|join\s+the\s+(?:conversation|discussion)|"
    r"no\s+comments?(?:\s+yet)?|cancel\s+reply|you\s+must\s+be\s+logged\s+in|"
    r"comments?\s+(?:are|is)\s+(?:closed|moderated|disabled)|log\s*in\s+to\s+comment|"
    r"your\s+email\s+address\s+will\s+not\s+be\s+published|required\s+fields\s+are\s+marked))",
    re.I,
)
_REACTION_WORDS = re.compile(
    r"^(?:(?:happy|sad|angry|excited|surprised|amused|bored|inspired|afraid|shocked|love|wow|"
    r"haha|like|dislike|upvote|downvote|funny|informative|interesting|annoyed|fascinated|"
    r"scared|worried|confused|useful)\s*[\d.,%]*\s*)+$",
    re.I,
)
_SHARE = re.compile(
    r"^(?:(?:share|tweet|email|e-mail|print|pin|save|copy\s+link|whatsapp|facebook|twitter|"
    r"x|linkedin|reddit|pinterest|telegram|messenger|flipboard|tumblr|vk|instagram|youtube|rss|"
    r"sms|google\+?|threads|bluesky|mastodon|snapchat|tiktok|line|viber|skype)\s*[,|/·•:]?\s*)+$",
    re.I,
)
_SHARE_PHRASE = re.compile(
    r"^(?:share\s+(?:this|on|via|the|article|story|post|page)|click\s+to\s+share|"
    r"share\s*(?:\d+|$)|shares?\s*[\d,.]+[kmKM]?$|[\d,.]+[kmKM]?\s+shares?$)",
    re.I,
)
_FOLLOW = re.compile(
    r"(?:\b(?:follow|like|join|find)\s+(?:us|me)\b|\bsubscribe\b|\bsign\s*(?:up|in)\b|"
    r"\bnewsletters?\b|\blog\s*(?:in|out)\b|\bregister\b|\bunsubscribe\b|\bget\s+the\s+app\b|"
    r"^follow\b.{1,30}\bon:?$|\bshort\s+url\b|\bdownload\s+(?:our|the)\s+app\b|\bdelivered\s+to\s+your\s+inbox\b|\bpodcast\b|"
    r"\b(?:enter|your)\s+e-?mail(?:\s+address)?\b|\bmy\s+account\b)",
    re.I,
)
_PROMO = re.compile(
    r"(?:\b(?:read|see|watch|view|click|check\s+out|discover|explore)\s+(?:here\s+)?(?:the\s+|all\s+|our\s+|more\s+)?"
    r"(?:latest|breaking|top|more|full|related|all|trending|live)\b.{0,40}"
    r"(?:news|stories|updates|articles|headlines|coverage|here|on|from|at)\b|"
    r"\bclick\s+here\b|\bread\s+more\b|\bcontinue\s+reading\b|\badvertisement\b|"
    r"^(?:see|read|watch|more)\s+(?:more|also|next)?\s*:|\[(?:video|insight|reaction|pictures|photos|gallery|poll|live|analysis|opinion)\]\s*\|?$|"
    r"\b(?:want|like)\s+more\s+(?:stories|news|articles)\b|^also\s+(?:on|in|at)\s+\S+\.\w+|"
    r"^(?:sponsored|advertisement|ad|promoted|paid\s+content|partner\s+content)\b|"
    r"\b(?:also\s+read|read\s+also|see\s+also|more\s+from|recommended(?:\s+for\s+you)?|"
    r"related\s+(?:articles?|stories|posts?|news|content|coverage|topics?)|you\s+may\s+also\s+like|"
    r"you\s+might\s+(?:also\s+)?(?:like|be\s+interested)|don't\s+miss|most\s+(?:popular|read|viewed|shared))\b)",
    re.I,
)
_BACK_TO_TOP = re.compile(
    r"^(?:[\^↑⬆▲]\s*)?(?:back|return|go|scroll)\s+to\s+(?:the\s+)?top\b", re.I
)
_COOKIE = re.compile(
    r"(?:\b(?:we|this\s+(?:web)?site|our\s+(?:web)?site|the\s+site|[\w-]+\.[a-z]{2,6})\s+"
    r"(?:uses?|is\s+using|may\s+use)\s+cookies|\b(?:accept|manage|reject|allow)\s+(?:all\s+)?cookies?\b|"
    r"\bcookies?\s+(?:policy|settings|preferences|notice|consent|banner)\b|"
    r"\bcookies?\b.{0,100}\byou\s+(?:agree|consent|accept)|\byou\s+(?:agree|consent)\b.{0,100}\bcookies?\b|"
    r"\b(?:utilizziamo|usiamo)\s+i\s+cookie|\bnous\s+utilisons\s+des\s+cookies|"
    r"\bwir\s+verwenden\s+cookies|\b(?:utilizamos|usamos)\s+cookies|\bgebruikt\s+cookies)",
    re.I,
)
_NAV = re.compile(
    r"^(?:skip\s+to\s+(?:main\s+)?(?:content|navigation|main)|toggle\s+navigation|main\s+menu|"
    r"menu|search|home|close|open|next|previous|prev|next\s+(?:article|story|post)|"
    r"previous\s+(?:article|story|post)|(?:all\s+)?rights\s+reserved\.?|privacy(?:\s+policy)?|"
    r"terms(?:\s+(?:of\s+(?:use|service)|and\s+conditions))?|contact(?:\s+us)?|about(?:\s+us)?|"
    r"advertise(?:\s+with\s+us)?|sitemap|site\s+map|loading\.*|"
    r"(?:\d+\s*(?:of|/)\s*\d+)|(?:image|photo|slide)\s+\d+\s*(?:of|/)\s*\d+|caption|gallery|"
    r"enlarge(?:\s+this\s+image)?|expand|collapse|hide\s+caption|toggle\s+caption|play(?:\s+video)?|"
    r"watch(?:\s+video)?|listen(?:\s+to\s+(?:this\s+)?(?:article|story))?|more|less|"
    r"top(?:\s+stories)?|trending|latest(?:\s+news)?|topics?|tags?)\s*[:.]?$",
    re.I,
)
_BREADCRUMB = re.compile(r"^(?:[^>»›/|]{1,30}\s*[>»›|]\s*){2,}[^>»›/|]{0,40}$")
_COPYRIGHT = re.compile(
    r"(?:^©|^\(c\)\s|\bcopyright\s*(?:©|\(c\)|\d{4})|©\s*\d{4}|all\s+rights\s+reserved)", re.I
)
_URL_LINE = re.compile(
    r"^(?:<?(?:https?://|www\.)\S+>?|\S+\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?)$", re.I
)
_IMAGE_URL = re.compile(
    r"(?:\.(?:jpe?g|png|gif|webp|svg|avif|bmp)\b|/(?:avatar|images?|img|media|uploads|gravatar)\b)",
    re.I,
)
_HASHTAG = re.compile(r"#(\w[\w-]*)", re.UNICODE)
_HASHTAG_LINE = re.compile(r"^(?:#\w[\w-]*[\s,;·|]*)+$", re.UNICODE)

# "PARIS:", "LONDON (Reuters) -", "WASHINGTON (AP) —", "NEW DELHI, March 3 (PTI):".
# "VILNIUS, Oct 14 (BWS) -", "LONDON (Reuters) -", "PARIS:", "WASHINGTON (AP) —",
# "NEW DELHI, March 3 (PTI):". The place is upper case (that is what makes it a dateline rather
# than a sentence that starts "Paris: ..."); an optional date and a parenthesised credit follow.
DATELINE = re.compile(
    r"""^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’\- ]{1,40}?(?:,\s*[A-ZÀ-Þ][A-Za-zÀ-ÿ.'’\- ]{1,30}?)?)
        (?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?
        \s*(?:\((?P<credit>[^()]{1,40})\))?
        \s*(?:[-–—:]{1,2})\s+(?=\S)""",
    re.X,
)

# Short-line limits. A furniture phrase inside a line of more words than this is taken to be part
# of a sentence ("... said in a newsletter to investors") and kept. Chosen on the first 80 pages of
# the pagetext benchmark (see benchmarks/bench_pagetext.py): run over those pages' gold bodies,
# the rules cut no gold sentence; what they cut there is notices (by design), bare "\u200b" lines
# and one "Click here to ..." line. Repeated paragraphs are not cut: on those pages, removing
# exact repeats cut more real text (a meal plan's repeated rows) than it saved (F1 0.935 vs 0.936).
SHORT = 12
TINY = 6


@dataclass(frozen=True)
class FilteredBody:
    kept: tuple[str, ...]
    removed: tuple[RemovedLine, ...]
    notices: tuple[Notice, ...]
    tags: tuple[str, ...]


def _has(lower: str, gate: re.Pattern[str]) -> bool:
    return gate.search(lower) is not None


def words(line: str) -> int:
    """Number of words; text without spaces (Chinese, Japanese, Thai) counts one per two letters."""
    count = len(line.split())
    if count > 2 or line.isascii():
        return count
    tokens = _WORD.findall(line)
    return sum(max(1, len(tok) // 2) if len(tok) > 12 else 1 for tok in tokens)


def norm(line: str) -> str:
    """Comparison form: lower case, word characters only."""
    return " ".join(_WORD.findall(line.lower()))


_FEED_GATE = re.compile(r"feed|auto|edit|syndicat")
_CREDIT_GATE = re.compile(r"photo|image|pic|credit|illustr|foto|bild|video")
_DISCLAIMER_GATE = re.compile(
    r"endorse|reflect|represent|responsib|expressed|disclaimer|informational"
)


@lru_cache(maxsize=16384)
def notice_kind(line: str) -> str | None:
    """The kind of notice a line is ("agency_feed", "republication", "image_credit",
    "disclaimer"), if any."""
    text = line.strip()
    lower = text.lower()
    n = words(text)
    if n > 80 or n == 0:
        return None
    if (
        n >= 5
        and _has(lower, _FEED_GATE)
        and _AGENCY_FEED.search(text)
        and _FEED_CONTEXT.search(text)
    ):
        return "agency_feed"
    if n <= 40 and _has(lower, _REPUBLICATION_GATE) and _REPUBLICATION.search(text):
        return "republication"
    if (
        n <= 25
        and _has(lower[:30], _CREDIT_GATE)
        and (_IMAGE_CREDIT.match(text) or _IMAGE_CREDIT_ANY.match(text))
    ):
        return "image_credit"
    if n <= 40 and text[-1] in ")]" and _CAPTION_CREDIT.search(text):
        return "image_credit"
    if n <= 40 and "©" in text[1:] and _CAPTION_COPYRIGHT.search(text):
        return "image_credit"
    if (
        _has(lower, _DISCLAIMER_GATE)
        and _DISCLAIMER.search(text)
        and (n <= 30 or (n <= 60 and _DISCLAIMER.search(text[:80])))
    ):
        return "disclaimer"
    return None


def hashtags(line: str) -> tuple[str, ...] | None:
    """The tags of a line made only of hashtags (without '#'), else None."""
    text = line.strip()
    if not text.startswith("#") or not _HASHTAG_LINE.match(text):
        return None
    return tuple(_HASHTAG.findall(text))


# Cheap substring gates in front of the slow alternations: most short lines (menu items) contain
# none of these, and Python's regex engine cannot skip ahead on a pattern that starts with \b.
_COMMENT_GATE = re.compile(
    r"comment|feel|think|repl|respon|react|discuss|conversation|logged|published|required|review"
)
_COPYRIGHT_GATE = re.compile(r"©|\(c\)|copyright|rights")
_PROMO_GATE = re.compile(
    r"read|see|watch|view|click|check|discover|explore|advert|sponsor|promot|paid|partner|also|"
    r"more|recommend|related|miss|popular|like|want|\[|\bad\b"
)
_FOLLOW_GATE = re.compile(
    r"follow|like|join|find|subscri|sign|newsletter|log|regist|app|inbox|podcast|mail|account|url"
)


# A weather widget ("Riga +5°C", "London 12 °F, cloudy") or a reading-time/audio widget.
_WEATHER = re.compile(r"[-+−]?\d{1,3}\s*°\s*[CF]?\b")
_READING_WIDGET = re.compile(
    r"^(?:reading\s+time\b|\d+\s*min(?:ute)?s?\s+read$|listen\s+to\s+(?:this|the)\s+(?:article|story))",
    re.I,
)


@lru_cache(maxsize=16384)
def furniture_reason(line: str) -> str | None:
    """Why a single line is furniture, judged on the line alone; None when it may be article text.

    Notices and hashtags are not judged here (see :func:`notice_kind` and :func:`hashtags`).
    Cached: page templates repeat the same menu lines across pages.
    """
    text = line.strip()
    if not text:
        return None
    n = words(text)
    if n == 0 or not _WORD.search(text):
        return "symbols"
    lower = text.lower()
    if ("http" in lower or "www" in lower or "." in lower) and _URL_LINE.match(text):
        return "image_url" if _IMAGE_URL.search(text) else "url"
    if n <= 60 and "cookie" in lower and _COOKIE.search(text):
        return "cookie"
    if n > SHORT:
        return None
    if _BACK_TO_TOP.match(text):
        return "back_to_top"
    if n <= 6 and "°" in text and _WEATHER.search(text):
        return "weather"
    if n <= 8 and _READING_WIDGET.match(text):
        return "reading_widget"
    if (_has(lower, _COMMENT_GATE) and _COMMENT.search(text)) or _REACTION_WORDS.match(text):
        return "comment_widget"
    if _SHARE.match(text) or _SHARE_PHRASE.match(text):
        return "share"
    if _NAV.match(text) or _BREADCRUMB.match(text):
        return "navigation"
    if _has(lower, _COPYRIGHT_GATE) and _COPYRIGHT.search(text):
        return "copyright"
    if _has(lower, _PROMO_GATE) and _PROMO.search(text):
        return "promo"
    if n <= 10 and _has(lower, _FOLLOW_GATE) and _FOLLOW.search(text):
        return "share"
    return None


def strip_dateline(line: str) -> str | None:
    """The text after a leading dateline, or None when the line has none."""
    match = DATELINE.match(line.strip())
    if not match:
        return None
    return line.strip()[match.end() :]


def filter_body(
    lines: Sequence[str],
    *,
    title: str | None = None,
    site_furniture: frozenset[str] = frozenset(),
) -> FilteredBody:
    """Split body lines into kept lines, removed lines (with reasons), notices and hashtags.

    ``site_furniture`` holds :func:`wirecheck.clean.sitelines.line_key` values of lines learned to
    recur across one site's pages.
    """
    kept: list[str] = []
    removed: list[RemovedLine] = []
    notices: list[Notice] = []
    tags: list[str] = []
    title_norm = norm(title) if title else ""
    for raw in lines:
        text = raw.strip()
        if not text:
            continue
        kind = notice_kind(text)
        if kind:
            notices.append(Notice(kind=kind, text=text))
            removed.append(RemovedLine(text, "notice"))
            continue
        found = hashtags(text)
        if found is not None:
            tags.extend(t for t in found if t not in tags)
            removed.append(RemovedLine(text, "hashtags"))
            continue
        reason = furniture_reason(text)
        # A sentence learned as site furniture is more likely a story the site reprinted than a
        # template line: it is kept unless it names a kind of boilerplate.
        if (
            reason is None
            and site_furniture
            and line_key(text) in site_furniture
            and (not _sentence_like(text) or boilerplate(text))
        ):
            reason = "site_furniture"
        if reason is None and title_norm and not kept:
            text_norm = norm(text)
            if text_norm == title_norm:
                reason = "title_repeat"
            elif text_norm.startswith(title_norm + " ") and words(title or "") >= 3:
                # The headline glued to the first paragraph: cut the headline, keep the rest.
                rest = _strip_prefix_words(text, words(title or ""))
                if rest:
                    cut = text[: len(text) - len(rest)].strip()
                    removed.append(RemovedLine(cut, "title_repeat"))
                    text = rest
        if reason == "url":
            # A bare link can be part of the article (a source, a shop list); image links are not.
            reason = None
        if reason:
            removed.append(RemovedLine(text, reason))
        else:
            kept.append(text)
    kept, lede_removed = _drop_plain_lede(kept)
    removed.extend(lede_removed)
    kept, kicker_removed = _drop_kickers_before_dateline(kept)
    removed.extend(kicker_removed)
    return FilteredBody(tuple(kept), tuple(removed), tuple(notices), tuple(tags))


# How far down the body a dateline may open the article for the lines above it to be cut.
KICKER_SEARCH_LINES = 3


def _drop_kickers_before_dateline(kept: list[str]) -> tuple[list[str], list[RemovedLine]]:
    """A dateline opens the article: non-sentence lines above it are kickers, breadcrumbs or a
    site bar that the extractor took in ("World · Agency", "Site name · Sections · Sign in")."""
    for i, line in enumerate(kept[:KICKER_SEARCH_LINES]):
        if i and strip_dateline(line) is not None:
            above = kept[:i]
            if any(_sentence_like(a) for a in above):
                return kept, []
            return kept[i:], [RemovedLine(a, "before_dateline") for a in above]
    return kept, []


_SENTENCE_END = re.compile(r"""[.!?。！？"”’»]\s*$""")


def _sentence_like(text: str) -> bool:
    return words(text) >= 8 and bool(_SENTENCE_END.search(text))


def _strip_prefix_words(text: str, count: int) -> str:
    """``text`` without its first ``count`` word tokens (and the punctuation after them)."""
    matches = list(_WORD.finditer(text))
    if len(matches) <= count:
        return ""
    rest = text[matches[count - 1].end() :]
    return rest.lstrip(" \t:.-–—|").strip()


def _drop_plain_lede(kept: list[str]) -> tuple[list[str], list[RemovedLine]]:
    """A lede printed twice, once plain and once after a dateline: keep the dateline version."""
    plain = {norm(line): i for i, line in enumerate(kept[:8]) if words(line) >= TINY}
    drop: set[int] = set()
    for j, line in enumerate(kept[:10]):
        rest = strip_dateline(line)
        if rest is None:
            continue
        key = norm(rest)
        for other, i in plain.items():
            if i == j or not other:
                continue
            # The plain copy may be cut short (a teaser) or be the whole paragraph.
            if key == other or (len(other) >= 40 and key.startswith(other)):
                drop.add(i)
    if not drop:
        return kept, []
    return [x for i, x in enumerate(kept) if i not in drop], [
        RemovedLine(kept[i], "duplicate_lede") for i in sorted(drop)
    ]
