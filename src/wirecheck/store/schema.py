"""The store's schema as ordered migrations. Each runs once, in a transaction, and is recorded in
``schema_migrations`` so a database always says which version of the schema it holds.

SQL here is the common subset of DuckDB and PostgreSQL.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, list[str]]] = [
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
]

SCHEMA_VERSION = MIGRATIONS[-1][0]
