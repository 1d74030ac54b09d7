"""Furniture learned across the corpus: a line that recurs across many pages of one site.

Two guards keep article text out of the learned furniture:

* a page seen twice (the same document ingested again, or one story reprinted on two URLs of the
  site) counts once, so a site's reprints do not turn the story's sentences into "furniture";
* a long line that reads like prose is not learned unless it names a kind of boilerplate (a
  cookie banner, a copyright line, a disclaimer); a site that runs the same story under several
  headlines would otherwise lose its paragraphs.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
# A line with more words than this is only learned when it names a kind of boilerplate.
PROSE_WORDS = 20
_BOILERPLATE = re.compile(
    r"cookie|copyright|©|all rights reserved|disclaimer|newsletter|subscribe|sign up|"
    r"privacy|terms of (?:use|service)|auto-?generated|syndicated feed|not been edited|"
    r"views expressed|endorse|advertis|sponsored|follow us",
    re.I,
)


def line_key(line: str) -> str:
    """A normalised key for a line: case, spacing and digits (counts, dates) do not matter."""
    norm = _DIGITS.sub("0", _SPACE.sub(" ", line.strip().lower()))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def boilerplate(line: str) -> bool:
    """Whether a line names a kind of boilerplate (cookies, copyright, newsletters, ...)."""
    return bool(_BOILERPLATE.search(line))


def learnable(line: str) -> bool:
    """Whether a line may be learned as site furniture (see the module docstring)."""
    text = line.strip()
    if not text:
        return False
    if len(text.split()) <= PROSE_WORDS:
        return True
    return bool(_BOILERPLATE.search(text))


class SiteLineStats:
    """Counts, per site, in how many distinct documents each line key occurs."""

    def __init__(self) -> None:
        self.docs: Counter[str] = Counter()
        self.lines: dict[str, Counter[str]] = {}
        self._seen: dict[str, set[str]] = {}

    def add_document(self, site: str, lines: Iterable[str]) -> None:
        """Count one document's lines; an exact repeat of a document already counted is ignored."""
        all_lines = [line for line in lines if line.strip()]
        # Keyed like the lines: a re-fetch that differs only in a timestamp is the same page.
        digest = hashlib.blake2b(
            "\n".join(line_key(line) for line in all_lines).encode("ascii"), digest_size=16
        ).hexdigest()
        seen = self._seen.setdefault(site, set())
        if digest in seen:
            return
        seen.add(digest)
        keys = {line_key(line) for line in all_lines if learnable(line)}
        self.docs[site] += 1
        self.lines.setdefault(site, Counter()).update(keys)

    def furniture(self, site: str | None, *, min_docs: int, min_share: float) -> frozenset[str]:
        """Keys of lines seen in >= ``min_docs`` documents and >= ``min_share`` of the site's."""
        if site is None or site not in self.lines:
            return frozenset()
        total = self.docs[site]
        return frozenset(
            key
            for key, count in self.lines[site].items()
            if count >= min_docs and count >= min_share * total
        )
