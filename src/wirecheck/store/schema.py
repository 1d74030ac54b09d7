"""The store's schema as ordered migrations. Each runs once, in a transaction, and is recorded in
``schema_migrations`` so a database always says which version of the schema it holds.

SQL here is the common subset of DuckDB and PostgreSQL (the PostgreSQL backend spells ``DOUBLE``
and ``BLOB`` as ``DOUBLE PRECISION`` and ``BYTEA``). A statement that differs between the two is a
mapping from dialect name (``duckdb``, ``postgresql``) to its SQL.
"""

from __future__ import annotations

from collections.abc import Mapping

Statement = str | Mapping[str, str]

MIGRATIONS: list[tuple[int, str, list[Statement]]] = [
    (
        1,
        "articles, sightings, dedup signatures, failure log",
        [
            """CREATE TABLE articles (
                id VARCHAR PRIMARY KEY,
                input VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                url VARCHAR,
                title VARCHAR,
                body VARCHAR NOT NULL,
                published VARCHAR,
                site VARCHAR,
                authors VARCHAR NOT NULL,
                dateline VARCHAR,
                agency VARCHAR,
                language VARCHAR,
                tags VARCHAR NOT NULL,
                notices VARCHAR NOT NULL,
                removed VARCHAR NOT NULL,
                warnings VARCHAR NOT NULL,
                body_hash VARCHAR NOT NULL,
                syndication_group VARCHAR,
                origin VARCHAR,
                duplicate_of VARCHAR,
                ingested_at VARCHAR
            )""",
            """CREATE TABLE sightings (
                article_id VARCHAR NOT NULL,
                input VARCHAR NOT NULL,
                PRIMARY KEY (article_id, input)
            )""",
            """CREATE TABLE dedup_signatures (
                article_id VARCHAR PRIMARY KEY,
                body_hash VARCHAR NOT NULL,
                published VARCHAR,
                agency VARCHAR,
                signature BLOB NOT NULL
            )""",
            """CREATE TABLE failures (
                input VARCHAR NOT NULL,
                stage VARCHAR NOT NULL,
                code VARCHAR NOT NULL,
                message VARCHAR NOT NULL,
                first_seen VARCHAR NOT NULL,
                last_seen VARCHAR NOT NULL,
                attempts INTEGER NOT NULL,
                PRIMARY KEY (input, stage, code)
            )""",
            "CREATE INDEX articles_group ON articles (syndication_group)",
        ],
    ),
    (
        2,
        "actor and place mentions, resolved dates, actors and places seen; analysis version",
        [
            "ALTER TABLE articles ADD COLUMN analysis_version INTEGER",
            """CREATE TABLE mentions (
                article_id VARCHAR NOT NULL,
                idx INTEGER NOT NULL,
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                text VARCHAR NOT NULL,
                type VARCHAR NOT NULL,
                actor_id VARCHAR,
                code VARCHAR,
                role VARCHAR,
                country VARCHAR,
                admin1 VARCHAR,
                lat DOUBLE,
                lon DOUBLE,
                sentence INTEGER NOT NULL,
                confidence DOUBLE NOT NULL,
                via VARCHAR NOT NULL,
                PRIMARY KEY (article_id, idx)
            )""",
            """CREATE TABLE date_mentions (
                article_id VARCHAR NOT NULL,
                idx INTEGER NOT NULL,
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                text VARCHAR NOT NULL,
                value VARCHAR NOT NULL,
                precision VARCHAR NOT NULL,
                anchor VARCHAR NOT NULL,
                relative BOOLEAN NOT NULL,
                sentence INTEGER NOT NULL,
                PRIMARY KEY (article_id, idx)
            )""",
            """CREATE TABLE actors (
                id VARCHAR PRIMARY KEY,
                type VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                country VARCHAR
            )""",
            """CREATE TABLE places (
                id VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                country VARCHAR,
                admin1 VARCHAR,
                lat DOUBLE,
                lon DOUBLE
            )""",
            "CREATE INDEX mentions_actor ON mentions (actor_id)",
        ],
    ),
    (
        3,
        "events coded in PLOVER and CAMEO",
        [
            """CREATE TABLE events (
                article_id VARCHAR NOT NULL,
                idx INTEGER NOT NULL,
                sentence INTEGER NOT NULL,
                sentence_text VARCHAR NOT NULL,
                source VARCHAR NOT NULL,
                target VARCHAR NOT NULL,
                plover VARCHAR NOT NULL,
                mode VARCHAR,
                cameo VARCHAR NOT NULL,
                goldstein DOUBLE NOT NULL,
                quad_class INTEGER NOT NULL,
                trigger VARCHAR NOT NULL,
                trigger_start INTEGER NOT NULL,
                trigger_end INTEGER NOT NULL,
                source_text VARCHAR,
                target_text VARCHAR,
                place VARCHAR,
                date VARCHAR,
                date_precision VARCHAR,
                negated BOOLEAN NOT NULL,
                modality VARCHAR NOT NULL,
                attributed_to VARCHAR,
                confidence DOUBLE NOT NULL,
                PRIMARY KEY (article_id, idx)
            )""",
            "CREATE INDEX events_plover ON events (plover)",
        ],
    ),
    (
        4,
        "claims; stories, claim links, claim support, assessments; full-text search index",
        [
            """CREATE TABLE claims (
                article_id VARCHAR NOT NULL,
                idx INTEGER NOT NULL,
                id VARCHAR NOT NULL,
                sentence INTEGER NOT NULL,
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                text VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                checkworthiness DOUBLE PRECISION NOT NULL,
                attribution VARCHAR NOT NULL,
                attributed_to VARCHAR,
                attributed_actor VARCHAR,
                attributed_role VARCHAR,
                quote VARCHAR NOT NULL,
                hedges VARCHAR NOT NULL,
                actors VARCHAR NOT NULL,
                events VARCHAR NOT NULL
            )""",
            """CREATE TABLE stories (
                id VARCHAR NOT NULL,
                label VARCHAR NOT NULL,
                first_seen VARCHAR,
                last_seen VARCHAR,
                independent_sources INTEGER NOT NULL,
                size INTEGER NOT NULL
            )""",
            """CREATE TABLE story_members (
                article_id VARCHAR NOT NULL,
                story_id VARCHAR NOT NULL,
                position INTEGER NOT NULL
            )""",
            """CREATE TABLE claim_links (
                claim VARCHAR NOT NULL,
                other VARCHAR NOT NULL,
                stance VARCHAR NOT NULL,
                score DOUBLE PRECISION NOT NULL,
                reasons VARCHAR NOT NULL
            )""",
            """CREATE TABLE claim_support (
                claim VARCHAR NOT NULL,
                supports INTEGER NOT NULL,
                contradicts INTEGER NOT NULL,
                independent_support INTEGER NOT NULL,
                independent_contradict INTEGER NOT NULL,
                first_source VARCHAR,
                first_seen VARCHAR
            )""",
            """CREATE TABLE assessments (
                subject VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                score DOUBLE PRECISION NOT NULL,
                band VARCHAR NOT NULL,
                signals VARCHAR NOT NULL
            )""",
            # Keys and indexes on PostgreSQL only. On DuckDB 2.0 an ART index (or primary key)
            # made replacing 1M rows of a 3-column table take 25 s at COMMIT instead of 0.05 s
            # (2-vCPU VM, 2026-11-22), while a scan answers a point lookup on 1M rows in ~2 ms.
            # Uniqueness is checked in Python before writing, so both backends refuse the same
            # input.
            *(
                {"duckdb": "", "postgresql": statement}
                for statement in (
                    "ALTER TABLE claims ADD PRIMARY KEY (article_id, idx)",
                    "CREATE INDEX claims_id ON claims (id)",
                    "ALTER TABLE stories ADD PRIMARY KEY (id)",
                    "ALTER TABLE story_members ADD PRIMARY KEY (article_id)",
                    "CREATE INDEX story_members_story ON story_members (story_id)",
                    "CREATE INDEX claim_links_claim ON claim_links (claim)",
                    "CREATE INDEX claim_links_other ON claim_links (other)",
                    "ALTER TABLE claim_support ADD PRIMARY KEY (claim)",
                    "ALTER TABLE assessments ADD PRIMARY KEY (subject)",
                    "CREATE INDEX assessments_kind_band ON assessments (kind, band)",
                    "CREATE INDEX articles_site ON articles (site)",
                )
            ),
            {
                # No FTS extension ships inside the duckdb wheel (LOAD fts wants a download), so
                # DuckDB gets a term table filled at write time and BM25 in SQL (store/search.py).
                "duckdb": """CREATE TABLE search_terms (
                    article_id VARCHAR NOT NULL,
                    term VARCHAR NOT NULL,
                    tf INTEGER NOT NULL
                )""",
                "postgresql": """CREATE TABLE search_index (
                    article_id VARCHAR PRIMARY KEY,
                    doc TSVECTOR NOT NULL
                )""",
            },
            {
                "duckdb": """CREATE TABLE search_docs (
                    article_id VARCHAR NOT NULL,
                    length INTEGER NOT NULL
                )""",
                "postgresql": "CREATE INDEX search_index_doc ON search_index USING GIN (doc)",
            },
        ],
    ),
    (
        5,
        "indexes for serving: analysis rows by article, claims by id; event actors by code",
        [
            # Point lookups of one article's analysis. On DuckDB these are ART indexes on tables
            # written a batch at a time (never replaced wholesale, unlike the verification tables
            # above), so they cost little at COMMIT; the composite (article_id, idx) keys do not
            # serve an ``article_id = ?`` lookup there. PostgreSQL's primary keys already do.
            {"duckdb": "CREATE INDEX mentions_article ON mentions (article_id)", "postgresql": ""},
            {
                "duckdb": "CREATE INDEX dates_article ON date_mentions (article_id)",
                "postgresql": "",
            },
            {"duckdb": "CREATE INDEX events_article ON events (article_id)", "postgresql": ""},
            {"duckdb": "CREATE INDEX claims_article ON claims (article_id)", "postgresql": ""},
            {"duckdb": "CREATE INDEX claims_id ON claims (id)", "postgresql": ""},
            # One row per event and actor code on either side, with the event's sort day
            # (coalesce(event date, article day)) and the usual filters, so "events by actor"
            # is a prefix match on a narrow table instead of LIKE over JSON text joined to
            # articles. Filled at write time; migration 5 fills it for stored events.
            """CREATE TABLE event_actors (
                code VARCHAR NOT NULL,
                day VARCHAR,
                article_id VARCHAR NOT NULL,
                idx INTEGER NOT NULL,
                plover VARCHAR NOT NULL,
                quad_class INTEGER NOT NULL
            )""",
            "CREATE INDEX event_actors_article ON event_actors (article_id)",
            {
                "duckdb": "",  # an ART index does not serve a prefix (LIKE 'RUS%') match
                "postgresql": "CREATE INDEX event_actors_code ON event_actors "
                "(code text_pattern_ops, day)",
            },
            {
                "duckdb": """INSERT INTO event_actors
                    SELECT DISTINCT code, day, article_id, idx, plover, quad_class FROM (
                        SELECT unnest(list_concat(CAST(e.source AS JSON)::VARCHAR[],
                                                  CAST(e.target AS JSON)::VARCHAR[])) AS code,
                               coalesce(e.date, substr(a.published, 1, 10)) AS day,
                               e.article_id, e.idx, e.plover, e.quad_class
                        FROM events e LEFT JOIN articles a ON a.id = e.article_id
                    ) WHERE code IS NOT NULL AND code <> ''""",
                "postgresql": """INSERT INTO event_actors
                    SELECT DISTINCT c.code, coalesce(e.date, substr(a.published, 1, 10)),
                           e.article_id, e.idx, e.plover, e.quad_class
                    FROM events e LEFT JOIN articles a ON a.id = e.article_id
                    CROSS JOIN LATERAL (
                        SELECT json_array_elements_text(e.source::json) AS code
                        UNION SELECT json_array_elements_text(e.target::json)
                    ) c
                    WHERE c.code <> ''""",
            },
        ],
    ),
    (
        6,
        "search postings carry their document's length",
        [
            # BM25 needs each hit's document length; joining the 100k-row search_docs to every
            # query's postings was most of a search's time (DuckDB, 100k articles).
            {"duckdb": "ALTER TABLE search_terms ADD COLUMN length INTEGER", "postgresql": ""},
            {
                "duckdb": "UPDATE search_terms SET length = d.length FROM search_docs d "
                "WHERE d.article_id = search_terms.article_id",
                "postgresql": "",
            },
        ],
    ),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]
