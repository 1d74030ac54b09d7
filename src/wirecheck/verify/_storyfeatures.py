"""Story clustering, part 1: TF-IDF vectors of the articles and the candidate pairs worth comparing.

Two sparse blocks per article, each TF-IDF weighted (sublinear tf, IDF from the clustered set
itself) and L2-normalised:

* **words**: lower-cased word tokens of the title (counted ``title_weight`` times) and of the first
  ``body_chars`` characters of the body, stop words and numbers left out (two accounts of one event
  often disagree on figures, so numbers would split them);
* **entities**: capitalised words that do not open a sentence, and the pairs of neighbours within a
  run of them ("tara reid"), a cheap stand-in for named entities that keeps "Tara Reid" apart from
  "Lindsay Lohan" when both "check into rehab"; plus the article's actor codes and place ids.

The vocabulary is built per run in canonical order (articles sorted by id), so the columns, and
therefore every float sum, depend on the *set* of articles only, never on their arrival order.

Candidate pairs (blocking): each article's ``key_terms`` highest-weighted terms of both blocks
(terms in at least two articles) are its keys, and each key has a posting list ordered by date.
In a list each dated article meets its ``neighbours`` successors (a short list gives all its
pairs, a long one - a big story's name, or a term common that month - a bounded number per
article), and pairs more than ``window_days`` apart are dropped: so the work per article does not
grow with the size or the density of the corpus. An undated article meets every holder of its
keys when the list has at most ``max_postings`` members. A pair is kept if it met in at least
``min_shared`` lists: one shared word is often chance, two rarely are.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped, unused-ignore]

__all__ = ["Features", "candidate_pairs", "day_number", "pair_similarity", "vectorise"]

_IntArray = npt.NDArray[np.int64]
_FloatArray = npt.NDArray[np.float64]

_LOWER_WORD_RE = re.compile(r"[^\W\d_]{2,}(?:'[^\W\d_]+)*")
# A run of words that start with a capital (ASCII lower case excluded in the pattern, the rest
# checked with str.isupper), joined by spaces only, so a run never crosses punctuation.
_CAP_WORD = r"[^\W\d_a-z][^\W\d_]*(?:'[^\W\d_]+)*"
_CAP_RUN_RE = re.compile(rf"(?<![\w']){_CAP_WORD}(?: +{_CAP_WORD})*")
# What comes just before a sentence's first word: the end of the last one, or a line break.
_OPENER_RE = re.compile(r"(?:^|[.!?\n])[\"'“‘”’(\[\s-]*$")
# Function words and reporting verbs: frequent in every story, so they only add noise to cosines.
_STOP_WORDS = """a an the and or but if nor so yet of to in on at by for with from as into onto upon over
under about above below after before between through during without within against among
around across along off out up down is are was were be been being am it its itself this that
these those there here he she they them his her hers their theirs him we us our ours you your
yours i me my mine not no do does did doing done have has had having will would shall should
can could may might must also than then too very just only even still again ever never now
who whom whose which what when where why how all any both each few more most other some such
own same one two said says say saying told tells tell according reported reports report
while whilst though although because since until unless whether per via mr mrs ms dr new
other others another many much last first next year years week day days time times"""
_STOP = frozenset(_STOP_WORDS.split())
_UNDATED = -1


@dataclass(frozen=True)
class Features:
    """The two TF-IDF blocks (rows in canonical order) and each row's blocking keys."""

    words: sparse.csr_matrix
    entities: sparse.csr_matrix
    keys: list[list[int]]  # term ids (shared numbering of both blocks) chosen as blocking keys


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """(word tokens, entity tokens) of one text."""
    words = [w for w in _LOWER_WORD_RE.findall(text.lower()) if w not in _STOP]
    ents: list[str] = []
    for match in _CAP_RUN_RE.finditer(text):
        run = match.group().split()
        start = match.start()
        if _OPENER_RE.search(text, max(0, start - 8), start) or start == 0:
            run = run[1:]  # a sentence's first word is capitalised whatever it is
        part: list[str] = []
        for tok in [*run, ""]:
            low = tok.lower()
            if low and low not in _STOP and tok[0].isupper():
                part.append(low)
                continue
            ents.extend(part)
            ents.extend(a + " " + b for a, b in pairwise(part))
            part = []
    return words, ents


def _normalise(text: str) -> str:
    if text.isascii():  # most English news: nothing to fold, skip the costly normalisation
        return text
    return unicodedata.normalize("NFKC", text).replace("’", "'")


class _Rows:
    """A sparse matrix built row by row in compact arrays (a dict per article would cost ~10x the
    memory at 100k articles)."""

    def __init__(self) -> None:
        self.indices = array("i")
        self.data = array("f")
        self.indptr = array("q", [0])

    def append(self, row: dict[int, float]) -> None:
        self.indices.extend(row.keys())
        self.data.extend(row.values())
        self.indptr.append(len(self.indices))


def _tfidf(rows: _Rows, n_terms: int, min_df: int) -> sparse.csr_matrix:
    """Sublinear-tf, IDF-weighted, L2-normalised matrix (terms below ``min_df`` dropped)."""
    n = len(rows.indptr) - 1
    m = sparse.csr_matrix(
        (
            np.frombuffer(rows.data, dtype=np.float32).astype(np.float64),
            np.frombuffer(rows.indices, dtype=np.int32),
            np.frombuffer(rows.indptr, dtype=np.int64),
        ),
        shape=(n, max(n_terms, 1)),
    )
    m.sort_indices()
    df = np.bincount(m.indices, minlength=m.shape[1])
    # ln(1 + n/df) stays positive when a term is in every article (two reprints alone still
    # match); terms in fewer than min_df articles cannot match anything and would only dilute the
    # norm. On ECB+ train this IDF and ln((n+1)/(df+1)) are within 0.002 BCubed F1.
    idf = np.log1p(n / np.maximum(df, 1))
    idf[df < min_df] = 0.0
    m.data = (1.0 + np.log(m.data)) * idf[m.indices]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ m
    m = m.tocsr()
    m.eliminate_zeros()
    return m


def vectorise(
    titles: Sequence[str | None],
    texts: Sequence[str],
    actors: Sequence[Sequence[str]],
    places: Sequence[Sequence[str]],
    *,
    title_weight: float,
    body_chars: int,
    key_terms: int,
    min_df: int = 2,
) -> Features:
    """The two blocks and the blocking keys; the inputs must already be in canonical order."""
    vocab: dict[str, int] = {}
    word_rows = _Rows()
    ent_rows = _Rows()

    def add(row: dict[int, float], terms: list[str], weight: float) -> None:
        for term, count in Counter(terms).items():
            tid = vocab.setdefault(term, len(vocab))
            row[tid] = row.get(tid, 0.0) + weight * count

    for title, text, acts, plcs in zip(titles, texts, actors, places, strict=True):
        w_row: dict[int, float] = {}
        e_row: dict[int, float] = {}
        if title:
            tw, te = _tokens(_normalise(title))
            add(w_row, tw, title_weight)
            add(e_row, te, title_weight)
        bw, be = _tokens(_normalise(text[:body_chars]))
        add(w_row, bw, 1.0)
        add(e_row, be, 1.0)
        add(e_row, ["@actor " + a for a in sorted(set(acts))], 1.0)
        add(e_row, ["@place " + p for p in sorted(set(plcs))], 1.0)
        word_rows.append(w_row)
        ent_rows.append(e_row)
    words = _tfidf(word_rows, len(vocab), min_df)
    ents = _tfidf(ent_rows, len(vocab), min_df)
    keys = _top_terms(words, ents, key_terms)
    return Features(words=words, entities=ents, keys=keys)


def _top_terms(words: sparse.csr_matrix, ents: sparse.csr_matrix, k: int) -> list[list[int]]:
    """Per row, the k terms with the highest weight over both blocks (ties: lower term id)."""
    both = words.maximum(ents).tocsr()
    both.sort_indices()
    rows = np.repeat(np.arange(both.shape[0]), np.diff(both.indptr))
    # lexsort is stable and the columns are sorted within each row: ties go to the lower term id.
    order = np.lexsort((-both.data, rows))
    rank = np.arange(len(order)) - both.indptr[rows[order]]
    chosen = order[rank < k]
    out: list[list[int]] = [[] for _ in range(both.shape[0])]
    for r, t in zip(rows[chosen].tolist(), both.indices[chosen].tolist(), strict=True):
        out[r].append(t)
    return [sorted(ts) for ts in out]


def day_number(published: str | None) -> int:
    """Days since 0001-01-01 of an ISO date/datetime, or -1 if missing or unreadable."""
    if not published:
        return _UNDATED
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published.strip())
    if not m:
        return _UNDATED
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).toordinal()
    except ValueError:
        return _UNDATED


def candidate_pairs(
    keys: Sequence[Sequence[int]],
    days: _IntArray,
    window_days: int,
    *,
    neighbours: int,
    max_postings: int,
    min_shared: int = 1,
) -> tuple[_IntArray, _IntArray]:
    """Unique pairs (i < j) that meet in at least ``min_shared`` posting lists, within the window.

    Dated articles: one list per key, ordered by (day, index); each member meets the
    ``neighbours`` members after it, and pairs more than ``window_days`` apart are dropped. So a
    member meets at most ``2 * neighbours`` others per key however long the list is.
    Undated articles: for each of their keys, the list of every article holding it; if it has at
    most ``max_postings`` members, each undated member meets all of them, else only its
    ``neighbours`` successors in (day, index) order.
    """
    n = len(keys)
    empty = np.zeros(0, dtype=np.int64)
    dated = days != _UNDATED
    counts = np.fromiter((len(ks) for ks in keys), dtype=np.int64, count=n)
    term = np.fromiter((t for ks in keys for t in ks), dtype=np.int64, count=int(counts.sum()))
    member = np.repeat(np.arange(n, dtype=np.int64), counts)
    firsts: list[_IntArray] = []
    seconds: list[_IntArray] = []
    # Dated lists: sliding window over the list in time order.
    sel = dated[member]
    kid, mem = _sorted_lists(term[sel], member[sel], days)
    for step in range(1, neighbours + 1):
        same = kid[step:] == kid[:-step]
        if not same.any():
            break
        i, j = mem[:-step][same], mem[step:][same]
        near = np.abs(days[i] - days[j]) <= window_days
        firsts.append(i[near])
        seconds.append(j[near])
    # "Any time" lists: the keys of undated articles, with every holder.
    if (~dated).any():
        sel = np.isin(term, np.unique(term[~dated[member]]))
        kid, mem = _sorted_lists(term[sel], member[sel], days)
        starts = np.flatnonzero(np.r_[True, kid[1:] != kid[:-1]])
        sizes = np.diff(np.r_[starts, len(kid)])
        short = np.repeat(sizes <= max_postings, sizes)
        # Steps past `neighbours` only serve the short lists, so none is needed past max_postings.
        for step in range(1, min(int(sizes.max()), max(neighbours + 1, max_postings))):
            same = kid[step:] == kid[:-step]
            if not same.any():
                break
            if step > neighbours:
                same &= short[step:]
            i, j = mem[:-step][same], mem[step:][same]
            keep = ~dated[i] | ~dated[j]
            firsts.append(i[keep])
            seconds.append(j[keep])
    if not firsts:
        return empty, empty
    first = np.concatenate(firsts)
    second = np.concatenate(seconds)
    code, shared = np.unique(
        np.minimum(first, second) * n + np.maximum(first, second), return_counts=True
    )
    code = code[shared >= min_shared]
    lo, hi = code // n, code % n
    keep = lo != hi
    return lo[keep], hi[keep]


def _sorted_lists(
    term: _IntArray, member: _IntArray, days: _IntArray
) -> tuple[_IntArray, _IntArray]:
    """(term, member) entries sorted by term, then day, then member (index order)."""
    order = np.lexsort((member, days[member], term))
    return term[order], member[order]


def pair_similarity(
    feats: Features, lo: _IntArray, hi: _IntArray, entity_weight: float, chunk: int = 200_000
) -> _FloatArray:
    """(1 - w) * cos(words) + w * cos(entities) for each pair, computed in chunks."""
    out = np.zeros(len(lo), dtype=np.float64)
    for start in range(0, len(lo), chunk):
        a, b = lo[start : start + chunk], hi[start : start + chunk]
        sw = _rowwise_dot(feats.words, a, b)
        se = _rowwise_dot(feats.entities, a, b)
        out[start : start + chunk] = (1.0 - entity_weight) * sw + entity_weight * se
    return out


def _rowwise_dot(m: sparse.csr_matrix, a: _IntArray, b: _IntArray) -> _FloatArray:
    prod: Any = m[a].multiply(m[b])
    return np.asarray(prod.sum(axis=1), dtype=np.float64).ravel()
