"""The verify stage's tables: stories and their members, claim links, claim support, assessments.

They are recomputed over the whole corpus on every run, so :meth:`VerificationTables.write_verification`
replaces all of them in one transaction; readers see the old results or the new, never a mix.
A mixin of :class:`wirecheck.store.Store`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wirecheck.errors import NotFound, UsageError
from wirecheck.models import Assessment, Claim, ClaimLink, ClaimSupport, Signal, Story
from wirecheck.store.analysis import CLAIM_COLUMNS, claim_from_row
from wirecheck.store.backend import Backend, Row

STORY_COLUMNS = ("id", "label", "first_seen", "last_seen", "independent_sources", "size")
LINK_COLUMNS = ("claim", "other", "stance", "score", "reasons")
SUPPORT_COLUMNS = (
    "claim", "supports", "contradicts", "independent_support", "independent_contradict",
    "first_source", "first_seen",
)  # fmt: skip
ASSESSMENT_COLUMNS = ("subject", "kind", "score", "band", "signals")
VERIFICATION_TABLES = ("stories", "story_members", "claim_links", "claim_support", "assessments")
# The order DuckDB stores the verification tables in. It keeps no indexes on them (see schema
# migration 4), so a lookup by key scans; in key order the scan reads only the blocks whose
# min/max span the key (and a join's key range, which DuckDB pushes into the scan).
CLUSTER_ORDER = {
    "story_members": "article_id",
    "claim_links": "claim",
    "claim_support": "claim",
    "assessments": "subject",
}


@dataclass(frozen=True)
class ClaimRow:
    """A claim with where it sits (article, story) and what verification found about it."""

    claim: Claim
    article_id: str
    story_id: str | None
    support: ClaimSupport | None
    assessment: Assessment | None

    def to_dict(self) -> dict[str, Any]:
        claim = {**self.claim.__dict__}
        for key in ("hedges", "actors", "events"):
            claim[key] = list(claim[key])
        return {
            "claim": claim,
            "article_id": self.article_id,
            "story_id": self.story_id,
            "support": dict(self.support.__dict__) if self.support else None,
            "assessment": self.assessment.to_dict() if self.assessment else None,
        }


@dataclass(frozen=True)
class SourceRow:
    """One site's record across the corpus.

    ``mean_score`` averages the credibility scores of its assessed articles (None if none is).
    ``supported_share``/``contradicted_share`` are the shares of its claims with a support record
    that at least one independent other source supports / contradicts (None without such claims).
    """

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

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def assessment_kind(subject: str) -> str:
    """``claim`` for a claim id (``ARTICLE_ID:N``), ``article`` for an article id."""
    return "claim" if ":" in subject else "article"


_encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps builds one per call


def _signals_json(signals: Sequence[Signal]) -> str:
    if not signals:
        return "[]"
    return _encode(
        [
            {
                "name": s.name,
                "value": s.value,
                "contribution": s.contribution,
                "evidence": list(s.evidence),
            }
            for s in signals
        ]
    )


def _list_json(values: Sequence[str]) -> str:
    return _encode(list(values)) if values else "[]"


def _assessment(subject: str, score: float, band: str, signals: str) -> Assessment:
    return Assessment.from_dict(
        {"subject": subject, "score": score, "band": band, "signals": json.loads(signals)}
    )


def _support(row: Sequence[Any]) -> ClaimSupport:
    return ClaimSupport(row[0], int(row[1]), int(row[2]), int(row[3]), int(row[4]), row[5], row[6])


def _link(row: Sequence[Any]) -> ClaimLink:
    return ClaimLink(row[0], row[1], row[2], float(row[3]), tuple(json.loads(row[4])))


def _story_rows(
    stories: Sequence[Story], story_of: Mapping[str, str]
) -> tuple[list[Row], list[Row]]:
    known = {s.id for s in stories}
    if len(known) != len(stories):
        raise UsageError("two stories share an id")
    members: dict[str, tuple[str, int]] = {}
    for story in stories:
        for position, article_id in enumerate(story.articles):
            if article_id in members:
                raise UsageError(f"article {article_id} is a member of two stories")
            members[article_id] = (story.id, position)
    extra: dict[str, int] = {}
    for article_id, story_id in story_of.items():
        if story_id not in known:
            raise UsageError(f"story_of maps {article_id} to unknown story {story_id}")
        if article_id in members:
            if members[article_id][0] != story_id:
                raise UsageError(
                    f"story_of puts {article_id} in {story_id}, the stories in {members[article_id][0]}"
                )
            continue
        # Members named only by story_of go after the story's listed articles.
        position = len(next(s for s in stories if s.id == story_id).articles) + extra.get(
            story_id, 0
        )
        extra[story_id] = extra.get(story_id, 0) + 1
        members[article_id] = (story_id, position)
    sizes: dict[str, int] = {}
    for story_id, _ in members.values():
        sizes[story_id] = sizes.get(story_id, 0) + 1
    story_rows = [
        (s.id, s.label, s.first_seen, s.last_seen, s.independent_sources, sizes.get(s.id, 0))
        for s in stories
    ]
    member_rows = [(a, s, p) for a, (s, p) in members.items()]
    return story_rows, member_rows


def _unique(what: str, keys: Sequence[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise UsageError(f"two {what} for {key!r}")
        seen.add(key)


class VerificationTables:
    """Reading and writing the verify stage's tables (a base of Store)."""

    _db: Backend
    location: str

    def _write_retrying(self, what: str, work: Callable[[], None]) -> None:
        raise NotImplementedError  # provided by Store

    def write_verification(
        self,
        *,
        stories: Sequence[Story],
        story_of: Mapping[str, str],
        links: Sequence[ClaimLink],
        support: Sequence[ClaimSupport],
        assessments: Sequence[Assessment],
    ) -> None:
        """Replace every verification result with these, in one transaction.

        ``story_of`` (article id -> story id) must agree with ``Story.articles``; articles it
        names that a story does not list are added to that story. A failure (or a kill) leaves the
        previous results in place.
        """
        story_rows, member_rows = _story_rows(stories, story_of)
        _unique("claim support records", [s.claim for s in support])
        _unique("assessments", [a.subject for a in assessments])
        # Column by column: for a million claims this is the bulk of the Python work, and lists
        # per column cost a fraction of a tuple per row.
        reasons_json: dict[tuple[str, ...], str] = {}  # links share a few reason lists
        link_columns: dict[str, list[Any]] = {
            "claim": [k.claim for k in links],
            "other": [k.other for k in links],
            "stance": [k.stance for k in links],
            "score": [float(k.score) for k in links],
            "reasons": [
                reasons_json.get(k.reasons)
                or reasons_json.setdefault(k.reasons, _list_json(k.reasons))
                for k in links
            ],
        }
        support_columns: dict[str, list[Any]] = {
            "claim": [s.claim for s in support],
            "supports": [s.supports for s in support],
            "contradicts": [s.contradicts for s in support],
            "independent_support": [s.independent_support for s in support],
            "independent_contradict": [s.independent_contradict for s in support],
            "first_source": [s.first_source for s in support],
            "first_seen": [s.first_seen for s in support],
        }
        assessment_columns: dict[str, list[Any]] = {
            "subject": [a.subject for a in assessments],
            "kind": [assessment_kind(a.subject) for a in assessments],
            "score": [float(a.score) for a in assessments],
            "band": [a.band for a in assessments],
            "signals": [_signals_json(a.signals) for a in assessments],
        }

        def work() -> None:
            db = self._db
            for table in VERIFICATION_TABLES:
                db.run(f"DELETE FROM {table}")
            db.bulk("stories", STORY_COLUMNS, story_rows)
            # In key order (see _cluster_verification): DuckDB keeps no indexes on these.
            db.bulk_columns(
                "story_members",
                {
                    "article_id": [r[0] for r in member_rows],
                    "story_id": [r[1] for r in member_rows],
                    "position": [r[2] for r in member_rows],
                },
                order=CLUSTER_ORDER["story_members"],
            )
            db.bulk_columns("claim_links", link_columns, order=CLUSTER_ORDER["claim_links"])
            db.bulk_columns("claim_support", support_columns, order=CLUSTER_ORDER["claim_support"])
            db.bulk_columns("assessments", assessment_columns, order=CLUSTER_ORDER["assessments"])

        self._write_retrying("verification results", work)

    def _cluster_verification(self) -> None:
        """DuckDB: rewrite the verification tables in key order (inside the caller's
        transaction); stores written before migration 5 hold them in write order."""
        for table, order in CLUSTER_ORDER.items():
            self._db.cluster(table, order)

    # -- stories ----------------------------------------------------------------------------------
    def _stories_from(self, rows: list[Row]) -> list[Story]:
        if not rows:
            return []
        members: dict[str, list[str]] = {}
        for story_id, article_id in self._db.rows(
            f"SELECT story_id, article_id FROM story_members WHERE {self._db.in_list('story_id')} "
            "ORDER BY story_id, position",
            [[r[0] for r in rows]],
        ):
            members.setdefault(story_id, []).append(article_id)
        return [
            Story(r[0], r[1], r[2], r[3], tuple(members.get(r[0], ())), int(r[4])) for r in rows
        ]

    def stories(
        self,
        *,
        limit: int = 100,
        after: str | None = None,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[Story]:
        """Stories ordered by id, ``limit`` at a time after the story id ``after``.

        ``actor`` keeps stories with an article mentioning that actor (its id, or a code prefix:
        ``RUS`` finds RUSGOV); ``since``/``until`` keep stories whose span overlaps those ISO dates.
        """
        where: list[str] = []
        params: list[Any] = []
        if after is not None:
            where.append("s.id > ?")
            params.append(after)
        if actor:
            where.append(
                "EXISTS (SELECT 1 FROM story_members sm JOIN mentions m ON m.article_id = sm.article_id "
                "WHERE sm.story_id = s.id AND (m.actor_id = ? OR m.code LIKE ?))"
            )
            params += [actor, actor.replace("%", "").replace("_", "") + "%"]
        if since:
            where.append("substr(coalesce(s.last_seen, s.first_seen), 1, 10) >= ?")
            params.append(since)
        if until:
            where.append("substr(coalesce(s.first_seen, s.last_seen), 1, 10) <= ?")
            params.append(until)
        sql = (
            "SELECT s.id, s.label, s.first_seen, s.last_seen, s.independent_sources FROM stories s"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY s.id LIMIT {max(0, int(limit))}"
        return self._stories_from(self._db.rows(sql, params))

    def story(self, story_id: str) -> Story:
        found = self._stories_from(
            self._db.rows(
                "SELECT id, label, first_seen, last_seen, independent_sources FROM stories WHERE id = ?",
                [story_id],
            )
        )
        if not found:
            raise NotFound(f"no story {story_id!r} in {self.location}", hint="list stories first")
        return found[0]

    def story_of(self, article_id: str) -> str | None:
        value = self._db.scalar(
            "SELECT story_id FROM story_members WHERE article_id = ?", [article_id]
        )
        return None if value is None else str(value)

    # -- claims -----------------------------------------------------------------------------------
    def claims(
        self,
        *,
        article: str | None = None,
        story: str | None = None,
        attribution: str | None = None,
        band: str | None = None,
        min_checkworthiness: float | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> list[ClaimRow]:
        """Claims in article order (article id, then position), ``limit`` at a time after the
        claim id ``after``; filtered by article, story, attribution kind, assessment band and
        check-worthiness."""
        where: list[str] = []
        params: list[Any] = []
        if after is not None:
            cursor = self._db.one("SELECT article_id, idx FROM claims WHERE id = ?", [after])
            if cursor is None:
                raise UsageError(f"unknown claim cursor {after!r}")
            where.append("(c.article_id > ? OR (c.article_id = ? AND c.idx > ?))")
            params += [cursor[0], cursor[0], cursor[1]]
        if article is not None:
            where.append("c.article_id = ?")
            params.append(article)
        if story is not None:
            where.append(
                "c.article_id IN (SELECT article_id FROM story_members WHERE story_id = ?)"
            )
            params.append(story)
        if attribution is not None:
            where.append("c.attribution = ?")
            params.append(attribution)
        if band is not None:
            where.append(
                "c.id IN (SELECT subject FROM assessments WHERE kind = 'claim' AND band = ?)"
            )
            params.append(band)
        if min_checkworthiness is not None:
            where.append("c.checkworthiness >= ?")
            params.append(float(min_checkworthiness))
        # The page is cut from claims alone, then joined: joining a million claims to their
        # support and assessments before sorting took 1 s of CPU per page on 1M claims.
        page = f"SELECT {', '.join(CLAIM_COLUMNS)} FROM claims c"
        if where:
            page += " WHERE " + " AND ".join(where)
        page += f" ORDER BY c.article_id, c.idx LIMIT {max(0, int(limit))}"
        sql = (
            f"SELECT {', '.join('c.' + c for c in CLAIM_COLUMNS)}, sm.story_id, "
            f"{', '.join('cs.' + c for c in SUPPORT_COLUMNS)}, x.score, x.band, x.signals "
            f"FROM ({page}) c "
            "LEFT JOIN story_members sm ON sm.article_id = c.article_id "
            "LEFT JOIN claim_support cs ON cs.claim = c.id "
            "LEFT JOIN assessments x ON x.subject = c.id "
            "ORDER BY c.article_id, c.idx"
        )
        out: list[ClaimRow] = []
        n = len(CLAIM_COLUMNS)
        for r in self._db.rows(sql, params):
            claim = claim_from_row(r[2:n])
            support = _support(r[n + 1 : n + 8]) if r[n + 1] is not None else None
            assessment = (
                _assessment(claim.id, r[n + 8], r[n + 9], r[n + 10])
                if r[n + 8] is not None
                else None
            )
            out.append(ClaimRow(claim, r[0], r[n], support, assessment))
        return out

    def claim_links(self, claim_id: str) -> list[ClaimLink]:
        """Links from or to ``claim_id``, strongest first, each as stored (``claim`` -> ``other``)."""
        rows = self._db.rows(
            f"SELECT {', '.join(LINK_COLUMNS)} FROM claim_links WHERE claim = ? "
            f"UNION ALL SELECT {', '.join(LINK_COLUMNS)} FROM claim_links WHERE other = ? AND claim <> ?",
            [claim_id, claim_id, claim_id],
        )
        links = [_link(r) for r in rows]
        return sorted(links, key=lambda k: (-k.score, k.claim, k.other))

    def claim_links_of(self, claim_ids: Sequence[str]) -> dict[str, list[ClaimLink]]:
        """:meth:`claim_links` of each of ``claim_ids`` (all of them, an empty list where none),
        read in one query instead of two per claim."""
        wanted = list(dict.fromkeys(claim_ids))
        if not wanted:
            return {}
        db = self._db
        rows = db.rows(
            f"SELECT {', '.join(LINK_COLUMNS)} FROM claim_links "
            f"WHERE {db.in_list('claim')} OR {db.in_list('other')}",
            [wanted, wanted],
        )
        links = [_link(r) for r in rows]
        out: dict[str, list[ClaimLink]] = {}
        for claim_id in wanted:
            mine = [k for k in links if k.claim == claim_id]
            mine += [k for k in links if k.other == claim_id and k.claim != claim_id]
            out[claim_id] = sorted(mine, key=lambda k: (-k.score, k.claim, k.other))
        return out

    def claim_support(self, claim_id: str) -> ClaimSupport | None:
        row = self._db.one(
            f"SELECT {', '.join(SUPPORT_COLUMNS)} FROM claim_support WHERE claim = ?", [claim_id]
        )
        return None if row is None else _support(row)

    # -- assessments ------------------------------------------------------------------------------
    def assessment(self, subject: str) -> Assessment | None:
        row = self._db.one(
            "SELECT subject, score, band, signals FROM assessments WHERE subject = ?", [subject]
        )
        return None if row is None else _assessment(*row)

    def assessments(
        self, *, kind: str = "article", band: str | None = None, limit: int | None = None
    ) -> list[Assessment]:
        """Assessments of articles (``kind="article"``) or claims, by subject id."""
        if kind not in {"article", "claim"}:
            raise UsageError(f"assessment kind must be article or claim, not {kind!r}")
        sql = "SELECT subject, score, band, signals FROM assessments WHERE kind = ?"
        params: list[Any] = [kind]
        if band is not None:
            sql += " AND band = ?"
            params.append(band)
        sql += " ORDER BY subject"
        if limit is not None:
            sql += f" LIMIT {max(0, int(limit))}"
        return [_assessment(*r) for r in self._db.rows(sql, params)]

    # -- sources ----------------------------------------------------------------------------------
    def sources(self) -> list[SourceRow]:
        """Every site with its article count, span, mean article score and claim corroboration,
        most articles first."""
        rows = self._db.rows(
            "WITH a AS (SELECT site, count(*) AS n, min(published) AS first_seen, "
            "max(published) AS last_seen FROM articles GROUP BY site), "
            "s AS (SELECT ar.site, count(*) AS assessed, avg(x.score) AS mean_score "
            "FROM articles ar JOIN assessments x ON x.subject = ar.id AND x.kind = 'article' "
            "GROUP BY ar.site), "
            "c AS (SELECT ar.site, count(*) AS claims, count(cs.claim) AS checked, "
            "sum(CASE WHEN cs.independent_support > 0 THEN 1 ELSE 0 END) AS supported, "
            "sum(CASE WHEN cs.independent_contradict > 0 THEN 1 ELSE 0 END) AS contradicted "
            "FROM claims cl JOIN articles ar ON ar.id = cl.article_id "
            "LEFT JOIN claim_support cs ON cs.claim = cl.id GROUP BY ar.site) "
            "SELECT a.site, a.n, a.first_seen, a.last_seen, coalesce(s.assessed, 0), s.mean_score, "
            "coalesce(c.claims, 0), coalesce(c.checked, 0), c.supported, c.contradicted "
            "FROM a LEFT JOIN s ON s.site IS NOT DISTINCT FROM a.site "
            "LEFT JOIN c ON c.site IS NOT DISTINCT FROM a.site "
            "ORDER BY a.n DESC, a.site"
        )
        out = []
        for r in rows:
            checked = int(r[7])
            out.append(
                SourceRow(
                    site=r[0],
                    articles=int(r[1]),
                    first_seen=r[2],
                    last_seen=r[3],
                    assessed=int(r[4]),
                    mean_score=None if r[5] is None else float(r[5]),
                    claims=int(r[6]),
                    checked_claims=checked,
                    supported_share=int(r[8]) / checked if checked else None,
                    contradicted_share=int(r[9]) / checked if checked else None,
                )
            )
        return out
