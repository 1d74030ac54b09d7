"""Scraped plain text (a whole page's visible text) -> title, article body and what was cut.

The article is found as a block of lines, not line by line: each line gets a score (prose lines
count for their words, menu items, teasers and widgets against), and the article is the run of
lines with the highest total (a maximum-sum subarray, as in body-text extraction). Comment and
"related stories" sections are where articles end, so lines after such a marker count for less.
The furniture rules of :mod:`wirecheck.clean.furniture` then clean the lines inside that run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from wirecheck.clean import furniture as fu
from wirecheck.errors import NoArticleText
from wirecheck.models import Notice, RemovedLine

_SENTENCE_END = re.compile(r"""[.!?。！？…:;"”’»)\]]\s*$""")
_PUNCT = re.compile(r"[.,;:!?。，、！？]")
_TIMEISH = re.compile(
    r"(?:\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\b(?:updated|published|posted|min(?:ute)?s?\s+read)\b|"
    r"\b\d+\s*(?:[smhd]|mins?|hours?|days?)\s+ago\b)",
    re.I,
)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s+\S", re.I)
# Credit lines that carry no "By": "Daugava Daily staff", "Continental Press Agency", "Reading time".
_CREDIT_LINE = re.compile(
    r"\b(?:staff|agency|agencies|correspondent|reporter|editor|desk|newsroom|bureau)\s*$|"
    r"^(?:reading\s+time|listen\s+to\s+this|photo|image|video)\b",
    re.I,
)
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
# Weight of the headline's word overlap with the article's opening lines. A headline restates
# the lede; a byline, kicker or standfirst fragment rarely does. Set on the demo corpus and the
# pagetext train split (the held-out split was not used).
TITLE_OVERLAP_WEIGHT = 1.5


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _CONTENT_WORD.findall(text.lower())}


_END_MARKER = re.compile(
    r"^(?:(?:\d+\s+)?comments?|reader\s+comments|leave\s+a\s+(?:comment|reply)|"
    r"(?:related|more|recommended|popular|trending|latest|top)\s+(?:\S+\s+){0,2}(?:articles?|stories|"
    r"posts?|news|reads?|videos?|headlines|content|coverage)|"
    r"you\s+(?:may|might)\s+also\s+(?:like|enjoy|be\s+interested\s+in)|"
    r"most\s+(?:popular|read|viewed|shared|commented)|more\s+(?:from|on|in)\s+\S.{0,40}|"
    r"(?:also|further)\s+read(?:ing)?|read\s+(?:next|more)|what\s+to\s+read\s+next|"
    r"(?:join|start)\s+the\s+(?:conversation|discussion)|about\s+the\s+authors?)\s*:?$|"
    # "About Ascom": the boilerplate paragraph that closes a press release.
    r"^about\s+(?-i:[A-Z][\w&.-]*)(?:\s+(?-i:[A-Z][\w&.-]*)){0,2}\s*:?$|"
    r"^\[?\s*\d+\s+comments?\s*\]?$|\b\d+\s+comments?\b|\bcomments?\s*\(\d+\)",
    re.I,
)
# Comment threads: "jdoe says:", "Jane on May 3, 2019 at 4:47 pm said:", "2 days ago at 07:52 am".
_COMMENT_META = re.compile(
    r"(?:^.{1,60}\s(?:says|said|wrote|writes)\s*:$|^.{0,60}\b(?:\d{4}|ago)\s+at\s+\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?"
    r"(?:\s+said:)?$|^rating:\s*[-+]?\d+\s+votes?$|^reply$|^(?:\d+\s+)?(?:likes?|replies)$)",
    re.I,
)


# Common function words of the languages most pages are in: prose is made of them, menus and
# headline lists are not. The check only applies when the page has enough of them to be in one
# of these languages (otherwise every line would fail it).
def _load_stopwords() -> frozenset[str]:
    text = resources.files("wirecheck.clean").joinpath("data/stopwords.txt").read_text("utf-8")
    found: set[str] = set()
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            found.update(line.split()[1:])
    return frozenset(found)


_STOPWORDS = _load_stopwords()
_STOPWORD_PAGE_SHARE = 0.12

# Line weights for the maximum-sum run. Tuned on the 80 "train" pages of the pagetext benchmark
# (benchmarks/bench_pagetext.py, ids sorted, first 80) by grid search: train body F1 0.936, with a
# flat optimum (SHORT_PENALTY 2-2.5 x PROSE_OFFSET 6-8 all within 0.003); held-out test F1 0.854.
PROSE_MIN_WORDS = 10  # a line this long that reads like a sentence counts for its words ...
PROSE_OFFSET = 8.0  # ... minus this, so one-sentence teaser blurbs between headlines do not add up
PROSE_STOPWORDS = 0.15  # share of function words a prose line has at least (when they apply)
END_AFTER_WORDS = 120  # a comments/related marker ends the article only after this much prose
SHORT_PENALTY = 2.0  # a short line (menu item, subhead, caption) costs this much ...
FURNITURE_PENALTY = 6.0  # ... a line the furniture rules recognise costs more
END_PENALTY = 18.0  # ... and a marker articles end at (comments, related, copyright) more still
INDENT_FACTOR = 0.5  # indented lines (list items in formatted page text) count half
ISOLATED_FACTOR = 0.5  # a prose line among short lines (a teaser blurb) counts half
AFTER_END_FACTOR = 0.25  # prose after a comments/related marker is probably not the article
_TRUNCATED = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")
# "Some headline NEW DELHI: the lede ..." is a teaser: a headline glued to a datelined lede.
_INLINE_DATELINE = re.compile(
    r"[a-z0-9’'”\")]\s+[A-Z][A-Z.]{2,}(?:\s+[A-Z][A-Z.]+){0,2}\s*(?:\([^()]{1,30}\))?\s*[:—–-]\s"
)


@dataclass(frozen=True)
class CleanedText:
    title: str | None
    body: str
    removed: tuple[RemovedLine, ...]
    notices: tuple[Notice, ...]
    tags: tuple[str, ...]


@dataclass
class _Line:
    text: str
    words: int
    indented: bool
    reason: str | None
    notice: str | None
    tags: tuple[str, ...] | None
    prose: bool = False
    weight: float = 0.0


def _stop_share(text: str) -> float:
    toks = text.lower().split()
    if not toks:
        return 0.0
    return sum(1 for t in toks if t.strip(".,;:!?\"'“”‘’()") in _STOPWORDS) / len(toks)


_COUNT_SUFFIX = re.compile(r"\(\d[\d,]*\)$")  # "Some headline (145)": a most-commented list


def _is_prose(line: _Line, use_stopwords: bool) -> bool:
    text, n = line.text, line.words
    if n < PROSE_MIN_WORDS or _COUNT_SUFFIX.search(text):
        return False
    if use_stopwords and _stop_share(text) < PROSE_STOPWORDS:
        return False
    if _SENTENCE_END.search(text) or n >= 2 * PROSE_MIN_WORDS:
        return True
    # A long line without final punctuation still reads as prose if it has inner punctuation.
    return len(_PUNCT.findall(text)) >= 2


# Invisible characters some editors leave on "empty" lines: such a line is a blank line.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def _classify(raw: str) -> _Line:
    text = raw.strip().strip(_INVISIBLE).strip()
    if not text:
        return _Line("", 0, False, None, None, None)
    n = fu.words(text)
    notice = fu.notice_kind(text)
    tags = fu.hashtags(text) if text[0] == "#" else None
    reason = "notice" if notice else "hashtags" if tags is not None else fu.furniture_reason(text)
    return _Line(text, n, raw[0] in " \t", reason, notice, tags)


def _weigh(lines: list[_Line]) -> None:
    sample = " ".join(line.text for line in lines if line.words >= 5)
    use_stopwords = _stop_share(sample) >= _STOPWORD_PAGE_SHARE
    content = [line for line in lines if line.text]
    for line in content:
        line.prose = line.reason is None and _is_prose(line, use_stopwords)
    after_end = False
    prose_words = 0
    for k, line in enumerate(content):
        if line.reason is not None:
            line.weight = -FURNITURE_PENALTY
        elif line.prose:
            prose_words += line.words
            line.weight = line.words - PROSE_OFFSET
            if line.indented:
                line.weight *= INDENT_FACTOR
            if _TRUNCATED.search(line.text) or _INLINE_DATELINE.search(line.text[:200]):
                line.weight = -SHORT_PENALTY
            near = content[max(0, k - 2) : k] + content[k + 1 : k + 3]
            if near and sum(1 for x in near if x.prose) * 2 < len(near):
                line.weight *= ISOLATED_FACTOR
            if after_end:
                line.weight *= AFTER_END_FACTOR
        else:
            line.weight = -SHORT_PENALTY
        if _is_end(line):
            line.weight = -END_PENALTY
            if prose_words >= END_AFTER_WORDS:
                after_end = True


def _best_run(lines: list[_Line]) -> tuple[int, int]:
    """Indexes [start, end) of the run of lines with the highest total weight."""
    best, best_start, best_end = 0.0, 0, 0
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        if total <= 0:
            total, start = 0.0, i
        total += line.weight
        if total > best:
            best, best_start, best_end = total, start, i + 1
    return best_start, best_end


_LIST_SEPARATORS = (" – ", " — ", " -- ", " - ", ": ", " @ ", " | ", " : ", "\t")
LIST_MIN_ITEMS = 3  # a data list after the last paragraph (tour dates, a table) has this many rows


def _is_end(line: _Line) -> bool:
    if line.words > fu.SHORT:
        return False
    text = line.text
    if line.reason == "copyright":
        return True
    return bool(_END_MARKER.search(text) or _COMMENT_META.search(text))


def _extend_list(lines: list[_Line], end: int) -> int:
    """Extend the article over a list that follows its last paragraph (dates, results, a table).

    Taken only when the rows share a separator ("June 9 – Tampa, FL"), which menus and headline
    lists rarely do; an optional heading line may introduce it.
    """
    j = end
    rows: list[int] = []
    blanks = 0
    while j < len(lines) and len(rows) < 200:
        line = lines[j]
        if not line.text:
            blanks += 1
            if blanks > 2:
                break
            j += 1
            continue
        if line.reason is not None or _is_end(line) or line.words > 30:
            break
        blanks = 0
        rows.append(j)
        j += 1
    if len(rows) < LIST_MIN_ITEMS:
        return end
    body = rows[1:] if not any(sep in lines[rows[0]].text for sep in _LIST_SEPARATORS) else rows
    best = 0
    for sep in _LIST_SEPARATORS:
        best = max(best, sum(1 for r in body if sep in lines[r].text))
    if len(body) < LIST_MIN_ITEMS or best < 0.8 * len(body):
        return end
    return rows[-1] + 1


_HEADLINE_END = re.compile(r"""[.!?,;:"”’»]\s*$""")


def _find_title(lines: list[_Line], start: int, end: int) -> tuple[int | None, int]:
    """Index of the headline (a short line shortly above the article) and the article's start.

    A headline that the run swallowed (a long headline reads like prose) is taken from its first
    line when that line does not end like a sentence.
    """
    counts: Counter[str] = Counter()
    keys: dict[int, str] = {}
    for i, line in enumerate(lines):
        if line.text and line.reason is None and 3 <= line.words <= 30:
            keys[i] = fu.norm(line.text)
            counts[keys[i]] += 1
    page_title = next((fu.norm(line.text) for line in lines if line.text), "")
    opening = _stems(" ".join(lines[i].text for i in range(start, min(end, start + 6))))
    best: tuple[float, int] | None = None
    for i in range(start - 1, max(0, start - 30) - 1, -1):
        key = keys.get(i)
        if key is None:
            continue
        line = lines[i]
        if (
            _BYLINE.match(line.text)
            or _CREDIT_LINE.search(line.text)
            or (_TIMEISH.search(line.text) and line.words <= 12)
        ):
            continue
        score = 1.0 - (start - i) / 40
        stems = _stems(line.text)
        if stems and opening:
            score += TITLE_OVERLAP_WEIGHT * len(stems & opening) / len(stems)
        if line.text.endswith("."):
            score -= 0.5
        if counts[key] > 1 or (i > 0 and page_title.startswith(key)):
            score += 1.0
        if best is None or score > best[0]:
            best = (score, i)
    first_at = next((i for i in range(start, end) if lines[i].text), start)
    head = lines[first_at]
    if (
        3 <= head.words <= 25
        and first_at + 1 < end
        and not _HEADLINE_END.search(head.text)
        and (best is None or best[0] < 1.0)
        and (counts[keys.get(first_at, "")] > 1 or page_title.startswith(keys.get(first_at, "-")))
    ):
        return first_at, first_at + 1
    return (best[1] if best else None), start


TEASER_BLOCK_HEADLINES = 3  # this many headline-like lines in a row inside the article ...
TEASER_BLOCK_SHARE = 0.6  # ... making up this share of the short lines there: a teaser box


def _shares_separator(rows: list[_Line]) -> bool:
    return any(sum(1 for r in rows if sep in r.text) >= 0.8 * len(rows) for sep in _LIST_SEPARATORS)


def _headline_like(line: _Line) -> bool:
    text = line.text
    return 5 <= line.words <= 20 and text[0].isupper() and not text.endswith((".", ":", ","))


def _mark_teaser_blocks(lines: list[_Line], start: int, end: int) -> None:
    """Mark runs of headline-like lines inside the article (a "more stories" box) as teasers.

    A list the text introduces (the line before ends with ":") or whose rows share a separator
    is article content and is left alone.
    """
    block: list[_Line] = []
    before: _Line | None = None
    for i in range(start, end + 1):
        line = lines[i] if i < end else None
        if line is not None and not line.text:
            continue
        if line is not None and not line.prose and line.reason is None:
            block.append(line)
            continue
        headlines = [b for b in block if _headline_like(b)]
        if (
            len(headlines) >= TEASER_BLOCK_HEADLINES
            and len(headlines) >= TEASER_BLOCK_SHARE * len(block)
            and not (before is not None and before.text.endswith(":"))
            and not block[0].text.endswith(":")
            and not _shares_separator(block)
        ):
            for b in block:
                if b in headlines or b.words <= 3 or b.text.isupper():
                    b.reason = "teaser"
        block = []
        before = line


def _outside_reason(line: _Line, after_marker: bool) -> str:
    """A reason code for a line outside the article that no furniture rule named."""
    if _COMMENT_META.search(line.text):
        return "comment_widget"
    if line.words <= 3:
        return "navigation"
    if line.words <= 20 and not _HEADLINE_END.search(line.text) and (after_marker or line.indented):
        return "teaser"
    return "outside_article"


def clean_scraped_text(text: str, *, site_furniture: frozenset[str] = frozenset()) -> CleanedText:
    """Find the title and article body in a page's scraped text; everything else is kept as removed.

    Raises :class:`~wirecheck.errors.NoArticleText` when the page holds no article text.
    """
    if not isinstance(text, str):
        raise NoArticleText("scraped text must be a str")
    lines = [_classify(raw) for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    _weigh(lines)
    start, end = _best_run(lines)
    if end <= start:
        raise NoArticleText("no run of prose lines found in the page text")
    end = _extend_list(lines, end)
    title_at, start = _find_title(lines, start, end)
    title = lines[title_at].text if title_at is not None else None

    removed: list[RemovedLine] = []
    notices: list[Notice] = []
    tags: list[str] = []
    _mark_teaser_blocks(lines, start, end)
    body_lines = [line.text for line in lines[start:end] if line.text and line.reason != "teaser"]
    filtered = fu.filter_body(body_lines, title=title, site_furniture=site_furniture)
    after_marker = False
    for i, line in enumerate(lines):
        if i == start:
            removed.extend(filtered.removed)
            notices.extend(filtered.notices)
            tags.extend(t for t in filtered.tags if t not in tags)
        if start <= i < end and line.reason == "teaser":
            removed.append(RemovedLine(line.text, "teaser"))
            continue
        if start <= i < end or not line.text or i == title_at:
            continue
        # Notices and hashtags outside the article are still evidence about it.
        if line.notice:
            notices.append(Notice(kind=line.notice, text=line.text))
            removed.append(RemovedLine(line.text, "notice"))
        elif line.tags is not None and i >= end:
            tags.extend(t for t in line.tags if t not in tags)
            removed.append(RemovedLine(line.text, "hashtags"))
        else:
            after_marker = after_marker or (i >= end and _is_end(line))
            removed.append(
                RemovedLine(line.text, line.reason or _outside_reason(line, after_marker))
            )
    body = "\n\n".join(filtered.kept)
    if not body.strip():
        raise NoArticleText("the page text holds only furniture")
    return CleanedText(title, body, tuple(removed), tuple(notices), tuple(tags))
