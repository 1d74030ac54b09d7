"""Full-text search over article titles and bodies.

DuckDB: the duckdb wheel has no FTS extension built in (``LOAD fts`` wants a download, and
wirecheck never downloads at run time), so articles are tokenised when written into a term table
(``search_terms``: article, term, frequency; ``search_docs``: article, length) and ranked with
BM25 (k1 = 1.2, b = 0.75, the usual defaults of Robertson & Zaragoza 2009) in one SQL query.
PostgreSQL: a ``tsvector`` per article (title weighted A, body B) in ``search_index`` with a GIN
index, ranked with ``ts_rank_cd``. Both match any query word (OR), so a document with more of
them ranks higher; stop words are dropped. Scores are comparable within one backend only.

A mixin of :class:`wirecheck.store.Store`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wirecheck.store.backend import Backend, Row

K1, B = 1.2, 0.75
TITLE_WEIGHT = 2  # a title word counts as two body words
SNIPPET_CHARS = 200
_WORD = re.compile(r"\w+", re.UNICODE)
# Function words that would match nearly every article (the core of the usual English lists).
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with you your yours yourself yourselves said says""".split()
)


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str | None
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _stem(word: str) -> str:
    # A deliberately light plural stripper ("drills" -> "drill", "forces" -> "force") applied to
    # documents and queries alike; a full stemmer would merge words like "news"/"new".
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` without stop words (unstemmed)."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) <= 40]


def terms(text: str) -> list[str]:
    """The index terms of ``text``: its words, lightly stemmed."""
    return [_stem(w) for w in words(text)]


def snippet(title: str | None, body: str, query_words: Sequence[str]) -> str:
    """About :data:`SNIPPET_CHARS` characters of ``body`` around the first query word."""
    stems = sorted({_stem(w) for w in query_words} | set(query_words), key=len, reverse=True)
    start = 0
    if stems:
        found = re.search(r"\b(?:" + "|".join(map(re.escape, stems)) + ")", body, re.IGNORECASE)
        if found:
            start = max(0, found.start() - SNIPPET_CHARS // 4)
            space = body.rfind(" ", 0, start)
            start = space + 1 if start and space >= 0 else start
    text = body[start : start + SNIPPET_CHARS]
    if start + SNIPPET_CHARS < len(body):
        cut = text.rfind(" ")
        text = (text[:cut] if cut > SNIPPET_CHARS // 2 else text) + "…"
    if start:
        text = "…" + text
    return " ".join(text.split())


class SearchIndex:
    """Keeping the search index and querying it (a base of Store)."""

    _db: Backend

    def _index_articles(self, ids: Sequence[str], *, lengths: bool = True) -> None:
        """Index the stored articles ``ids`` not yet indexed (inside the caller's transaction).
        ``lengths=False`` is for migration 4, which runs before search_terms has its length
        column (migration 6 fills it)."""
        if not ids:
            return
        db = self._db
        if db.dialect == "postgresql":
            db.run(
                "INSERT INTO search_index (article_id, doc) SELECT id, "
                "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                "setweight(to_tsvector('english', body), 'B') "
                f"FROM articles WHERE {db.in_list('id')} ON CONFLICT (article_id) DO NOTHING",
                [list(ids)],
            )
            return
        done = {r[0] for r in db.rows(
            f"SELECT article_id FROM search_docs WHERE {db.in_list('article_id')}", [list(ids)]
        )}  # fmt: skip
        todo = [i for i in ids if i not in done]
        if not todo:
            return
        term_rows: list[Row] = []
        doc_rows: list[Row] = []
        for article_id, title, body in db.rows(
            f"SELECT id, title, body FROM articles WHERE {db.in_list('id')}", [todo]
        ):
            counts = Counter(terms(body))
            for term in terms(title or ""):
                counts[term] += TITLE_WEIGHT
            length = sum(counts.values())
            term_rows += [(article_id, t, n, length) for t, n in counts.items()]
            doc_rows.append((article_id, length))
        columns: tuple[str, ...] = ("article_id", "term", "tf", "length")
        if not lengths:
            columns, term_rows = columns[:3], [r[:3] for r in term_rows]
        db.bulk("search_terms", columns, term_rows)
        db.bulk("search_docs", ("article_id", "length"), doc_rows)

    def _cluster_search(self) -> None:
        """DuckDB: rewrite the term table in term order (inside the caller's transaction)."""
        self._db.cluster("search_terms", "term, article_id")

    def _reindex_all(self, batch_size: int = 2000, *, lengths: bool = True) -> None:
        after = ""
        while True:
            ids = [r[0] for r in self._db.rows(
                f"SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT {int(batch_size)}", [after]
            )]  # fmt: skip
            if not ids:
                return
            self._index_articles(ids, lengths=lengths)
            after = ids[-1]

    def search(self, query: str, *, limit: int = 20, after: str | None = None) -> list[SearchHit]:
        """Articles matching any word of ``query``, best first, ``limit`` at a time after the
        article id ``after`` (the last hit of the previous page; an id not among the hits gives
        an empty page)."""
        query_words = list(dict.fromkeys(words(query)))
        if not query_words or limit <= 0:
            return []
        db = self._db
        params: list[Any]
        if db.dialect == "postgresql":
            scored = (
                "q AS (SELECT to_tsquery('english', ?) AS q), "
                "scored AS (SELECT s.article_id, ts_rank_cd(s.doc, q.q, 1)::numeric AS score "
                "FROM search_index s, q WHERE s.doc @@ q.q)"
            )
            params = [" | ".join(f"'{w}'" for w in query_words)]
        else:
            # One equality per term: with search_terms in term order (optimize()), each reads
            # only the blocks whose min/max span that term instead of all 8.9M rows (100k
            # articles); an IN list would be checked against the blocks as one wide range.
            stems = list(dict.fromkeys(_stem(w) for w in query_words))
            # Each posting carries its document's length (migration 6), so scoring joins
            # nothing; one term needs no grouping either (an article holds a term once).
            postings = " UNION ALL ".join(
                "SELECT article_id, term, tf, length FROM search_terms WHERE term = ?"
                for _ in stems
            )
            weight = (
                "ln(1 + (n.docs - pd.df + 0.5) / (pd.df + 0.5)) * pd.tf * "
                f"({K1} + 1) / (pd.tf + {K1} * (1 - {B} + {B} * pd.length / n.avgdl))"
            )
            scored = (
                f"p AS ({postings}), "
                "pd AS (SELECT article_id, tf, length, "
                "count(*) OVER (PARTITION BY term) AS df FROM p), "
                "n AS (SELECT count(*) AS docs, avg(length) AS avgdl FROM search_docs), "
                + (
                    f"scored AS (SELECT pd.article_id, {weight} AS score FROM pd CROSS JOIN n)"
                    if len(stems) == 1
                    else f"scored AS (SELECT pd.article_id, sum({weight}) AS score "
                    "FROM pd CROSS JOIN n GROUP BY pd.article_id)"
                )
            )
            params = list(stems)
        # Rounding makes the order (and so the cursor) deterministic despite float sums whose
        # order a parallel aggregate may change.
        # The page is a top-N cut before joining articles (a numbered ranking of every hit
        # sorted them all, and joining their titles and bodies first read thousands of texts to
        # show twenty); the cursor is the last hit's place in (score desc, id) order.
        page = "SELECT article_id, score FROM ranked"
        if after is not None:
            page += (
                " WHERE score < (SELECT score FROM ranked WHERE article_id = ?) OR (score = "
                "(SELECT score FROM ranked WHERE article_id = ?) AND article_id > ?)"
            )
            params += [after, after, after]
        page += f" ORDER BY score DESC, article_id LIMIT {int(limit)}"
        sql = (
            f"WITH {scored}, ranked AS (SELECT article_id, round(score, 9) AS score FROM scored), "
            f"page AS ({page}) "
            "SELECT r.article_id, a.title, a.body, r.score FROM page r "
            "JOIN articles a ON a.id = r.article_id ORDER BY r.score DESC, r.article_id"
        )
        return [
            SearchHit(r[0], r[1], snippet(r[1], r[2], query_words), float(r[3]))
            for r in db.rows(sql, params)
        ]
