"""The store's two backends behind one small interface: DuckDB (a file) and PostgreSQL (a server).

Store code writes SQL once, in the common subset of the two dialects, with ``?`` placeholders.
A backend supplies what differs:

- placeholders (``?`` for DuckDB, ``%s`` for psycopg) and "column is in this list"
  (``IN (SELECT unnest(?))`` vs ``= ANY(?)``);
- bulk inserts: an Arrow table scanned by DuckDB, ``COPY ... FROM STDIN`` on PostgreSQL (through a
  temporary staging table when the insert has an ``ON CONFLICT`` clause, which COPY lacks);
- DDL type names (``DOUBLE``/``BLOB`` become ``DOUBLE PRECISION``/``BYTEA`` on PostgreSQL);
- error translation: every driver error becomes a :class:`~wirecheck.errors.StoreError`; a lost
  PostgreSQL connection becomes :class:`ConnectionLost`, which the store retries for writes;
- transactions (explicit ``BEGIN``/``COMMIT``; PostgreSQL connections run in autocommit mode
  otherwise, so a server's reads never sit idle in a transaction).
"""

from __future__ import annotations

import contextlib
import itertools
import re
import time
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from wirecheck.errors import StoreError, StoreLocked

Row = tuple[Any, ...]
Params = Sequence[Any]


class ConnectionLost(StoreError):
    """The connection to the database server dropped (server restarted, network cut)."""

    hint = "check that the PostgreSQL server is up; writes that failed were not applied"


class Backend:
    """One connection to one database. Not shared between threads: use :meth:`session`."""

    dialect: str
    location: str

    # Seconds a read waits for a lost server to come back before failing; a server answering
    # requests should not hang much longer than this.
    reconnect_timeout = 3.0

    def __init__(self) -> None:
        self._in_transaction = False

    # -- statements -----------------------------------------------------------------------------
    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        raise NotImplementedError

    def one(self, sql: str, params: Params = ()) -> Row | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def run(self, sql: str, params: Params = ()) -> None:
        self.rows(sql, params)

    def run_many(self, sql: str, seq: Sequence[Params]) -> None:
        raise NotImplementedError

    def bulk(
        self, table: str, columns: Sequence[str], rows: Sequence[Row], conflict: str = ""
    ) -> None:
        """Insert many rows at once (``conflict`` is an ``ON CONFLICT ...`` clause or empty)."""
        raise NotImplementedError

    def bulk_columns(
        self, table: str, data: Mapping[str, list[Any]], conflict: str = "", *, order: str = ""
    ) -> None:
        """:meth:`bulk` with the values given column by column (cheaper for millions of rows:
        no row tuples are built on DuckDB). ``order`` (columns) stores the rows in that order
        where the layout matters (DuckDB, see :meth:`cluster`); ignored elsewhere."""
        columns = list(data)
        self.bulk(table, columns, list(zip(*data.values(), strict=True)), conflict)

    def cluster(self, table: str, order: str) -> None:
        """Rewrite ``table`` in ``order`` (inside the caller's transaction), so a lookup by the
        leading column reads only the blocks whose min/max span its value. No-op where the
        database has real indexes for those lookups (PostgreSQL)."""

    def stream(
        self, sql: str, params: Params = (), *, size: int = 5000
    ) -> Generator[list[Row], None, None]:
        """The rows of ``sql`` in chunks of ``size``, on a cursor of their own, so other
        statements may run while it is being read (close the iterator if stopping early)."""
        raise NotImplementedError

    def binary(self, column: str) -> str:
        """``column`` compared byte by byte (code-point order, as Python compares strings)."""
        return column

    def in_list(self, column: str) -> str:
        """A predicate "``column`` is one of the values of the list passed as one parameter"."""
        raise NotImplementedError

    def ddl(self, statement: str) -> str:
        return statement

    def lock_schema(self) -> None:
        """Serialise migrations between processes (inside a transaction)."""

    # -- transactions -----------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.run("BEGIN TRANSACTION")
        # Set until COMMIT returns: a connection lost during COMMIT must surface (the outcome is
        # unknown), not be "retried" as a bare COMMIT on a fresh connection.
        self._in_transaction = True
        try:
            yield
            self.run("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._in_transaction = False

    def _rollback(self) -> None:
        # If the connection is gone, the server has rolled the transaction back itself.
        with contextlib.suppress(StoreError):
            self.run("ROLLBACK")

    # -- lifecycle --------------------------------------------------------------------------------
    def reconnect(self, *, timeout: float) -> None:
        """Replace a lost connection (PostgreSQL); a no-op where connections cannot be lost."""

    def session(self) -> Backend:
        """Another connection to the same database, for another thread."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def export(self, sql: str, path: str, fmt: str) -> None:
        """Write the result of ``sql`` to a CSV (with header) or Parquet file."""
        raise NotImplementedError


def _columns(columns: Sequence[str], rows: Sequence[Row]) -> dict[str, list[Any]]:
    # Column-wise construction: building one dict per row first took ~3 s per million rows.
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return {name: list(col) for name, col in zip(columns, values, strict=True)}


class DuckDBBackend(Backend):
    dialect = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection, location: str) -> None:
        super().__init__()
        self._con = con
        self.location = location

    def _error(self, exc: duckdb.Error) -> StoreError:
        return StoreError(f"database error on {self.location}: {exc}")

    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            result = self._con.execute(sql, list(params))
            return result.fetchall() if result.description else []
        except duckdb.Error as exc:
            raise self._error(exc) from exc

    def run_many(self, sql: str, seq: Sequence[Params]) -> None:
        if not seq:
            return
        try:
            self._con.executemany(sql, [list(p) for p in seq])
        except duckdb.Error as exc:
            raise self._error(exc) from exc

    def bulk(
        self, table: str, columns: Sequence[str], rows: Sequence[Row], conflict: str = ""
    ) -> None:
        if rows:
            self.bulk_columns(table, _columns(columns, rows), conflict)

    def cluster(self, table: str, order: str) -> None:
        staged = f"wc_cluster_{table}"
        self.run(f"CREATE TEMP TABLE {staged} AS SELECT * FROM {table}")
        self.run(f"DELETE FROM {table}")
        self.run(f"INSERT INTO {table} SELECT * FROM {staged} ORDER BY {order}")
        self.run(f"DROP TABLE {staged}")

    def bulk_columns(
        self, table: str, data: Mapping[str, list[Any]], conflict: str = "", *, order: str = ""
    ) -> None:
        if not data or not len(next(iter(data.values()))):
            return
        # Rows go in as an Arrow table: DuckDB's executemany runs one statement per row, which
        # took over a second per batch of 200 articles; a bulk INSERT ... SELECT takes ms.
        staged = pa.table({name: pa.array(values) for name, values in data.items()})
        names = ", ".join(data)
        try:
            self._con.register("wirecheck_staged", staged)
            try:
                self._con.execute(
                    f"INSERT INTO {table} ({names}) SELECT {names} FROM wirecheck_staged "
                    f"{'ORDER BY ' + order if order else ''} {conflict}"
                )
            finally:
                self._con.unregister("wirecheck_staged")
        except duckdb.Error as exc:
            raise self._error(exc) from exc

    def stream(
        self, sql: str, params: Params = (), *, size: int = 5000
    ) -> Generator[list[Row], None, None]:
        cursor = self._con.cursor()
        try:
            cursor.execute(sql, list(params))
            while chunk := cursor.fetchmany(size):
                yield chunk
        except duckdb.Error as exc:
            raise self._error(exc) from exc
        finally:
            cursor.close()

    def in_list(self, column: str) -> str:
        return f"{column} IN (SELECT unnest(?))"

    def session(self) -> Backend:
        # A cursor shares the open database (and its single-writer lock) with MVCC isolation.
        return DuckDBBackend(self._con.cursor(), self.location)

    def close(self) -> None:
        self._con.close()

    def export(self, sql: str, path: str, fmt: str) -> None:
        target = path.replace("'", "''")
        options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
        self.run(f"COPY ({sql}) TO '{target}' ({options})")


def open_duckdb(path: Path, *, read_only: bool) -> DuckDBBackend:
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        text = str(exc).lower()
        if "lock" in text:
            raise StoreLocked(f"{path} is in use by another process") from exc
        if "different configuration" in text:
            raise StoreLocked(
                f"{path} is already open in this process with another mode",
                hint="share the open store with Store.session() instead of opening it twice",
            ) from exc
        raise StoreError(f"cannot open {path}: {exc}") from exc
    return DuckDBBackend(con, str(path))


_DDL_TYPES = ((re.compile(r"\bDOUBLE\b(?! PRECISION)"), "DOUBLE PRECISION"),
              (re.compile(r"\bBLOB\b"), "BYTEA"))  # fmt: skip


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    # psycopg's placeholder is %s, so a literal % must be doubled; no SQL here has a literal ?.
    return sql.replace("%", "%%").replace("?", "%s")


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


class PostgresBackend(Backend):
    dialect = "postgresql"

    def __init__(self, url: str, *, connect_timeout: float = 10.0, read_only: bool = False) -> None:
        super().__init__()
        self._url = url
        self._read_only = read_only
        self.location = _redact(url)
        self._connect_timeout = connect_timeout
        self._con = self._connect()

    def _connect(self) -> Any:
        import psycopg

        try:
            extra: dict[str, Any] = (
                {"options": "-c default_transaction_read_only=on"} if self._read_only else {}
            )
            return psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=max(1, int(self._connect_timeout)),
                **extra,
            )
        except psycopg.Error as exc:
            raise ConnectionLost(f"cannot connect to PostgreSQL at {self.location}: {exc}") from exc

    def _lost(self, exc: Exception) -> bool:
        import psycopg

        if not isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
            return False
        return bool(
            self._con.closed
            or self._con.broken
            or isinstance(exc, psycopg.errors.AdminShutdown | psycopg.errors.CannotConnectNow)
        )

    def _error(self, exc: Exception) -> StoreError:
        if self._lost(exc):
            return ConnectionLost(f"lost the connection to PostgreSQL at {self.location}: {exc}")
        return StoreError(f"database error on {self.location}: {exc}")

    def _guarded(self, work: Any) -> Any:
        import psycopg

        try:
            return work()
        except psycopg.Error as exc:
            error = self._error(exc)
            if not isinstance(error, ConnectionLost) or self._in_transaction:
                raise error from exc
        # A read outside a transaction is safe to repeat on a fresh connection.
        self.reconnect(timeout=self.reconnect_timeout)
        try:
            return work()
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        def work() -> list[Row]:
            with self._con.cursor() as cur:
                cur.execute(_pg_sql(sql), list(params) or None)
                return cur.fetchall() if cur.description else []

        result: list[Row] = self._guarded(work)
        return result

    def run_many(self, sql: str, seq: Sequence[Params]) -> None:
        if not seq:
            return

        def work() -> None:
            with self._con.cursor() as cur:
                cur.executemany(_pg_sql(sql), [list(p) for p in seq])

        self._guarded(work)

    def bulk(
        self, table: str, columns: Sequence[str], rows: Sequence[Row], conflict: str = ""
    ) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        target = table
        if conflict:
            target = f"wc_stage_{table}"
            self.run(f"CREATE TEMP TABLE IF NOT EXISTS {target} (LIKE {table})")
            self.run(f"DELETE FROM {target}")

        def work() -> None:
            with (
                self._con.cursor() as cur,
                cur.copy(f"COPY {target} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)

        self._guarded(work)
        if conflict:
            self.run(f"INSERT INTO {table} ({names}) SELECT {names} FROM {target} {conflict}")

    def in_list(self, column: str) -> str:
        return f"{column} = ANY(?)"

    def binary(self, column: str) -> str:
        return f'{column} COLLATE "C"'

    _streams = itertools.count()

    def stream(
        self, sql: str, params: Params = (), *, size: int = 5000
    ) -> Generator[list[Row], None, None]:
        import psycopg

        # A server-side cursor WITH HOLD lives outside any transaction (this connection runs
        # in autocommit), so other statements can run on the connection between fetches.
        name = f"wc_stream_{next(self._streams)}"
        try:
            with self._con.cursor(name=name, withhold=True) as cursor:
                cursor.execute(_pg_sql(sql), list(params) or None)
                while chunk := cursor.fetchmany(size):
                    yield chunk
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def ddl(self, statement: str) -> str:
        for pattern, name in _DDL_TYPES:
            statement = pattern.sub(name, statement)
        return statement

    def lock_schema(self) -> None:
        self.run("SELECT pg_advisory_xact_lock(7305114)")  # an arbitrary key owned by wirecheck

    def reconnect(self, *, timeout: float) -> None:
        """Open a new connection, retrying until ``timeout`` seconds have passed."""
        with contextlib.suppress(Exception):
            self._con.close()
        deadline = time.monotonic() + timeout
        delay = 0.2
        while True:
            try:
                self._con = self._connect()
                return
            except ConnectionLost:
                if time.monotonic() + delay > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 2.0)

    def session(self) -> Backend:
        return PostgresBackend(
            self._url, connect_timeout=self._connect_timeout, read_only=self._read_only
        )

    def close(self) -> None:
        self._con.close()

    def export(self, sql: str, path: str, fmt: str) -> None:
        # Fetch in Arrow batches and let an in-memory DuckDB write the file, so CSV and Parquet
        # exports look the same whichever backend holds the data.
        def work() -> tuple[list[str], list[Row]]:
            with self._con.cursor() as cur:
                cur.execute(_pg_sql(sql))
                return [d.name for d in cur.description or ()], cur.fetchall()

        names, rows = self._guarded(work)
        local = DuckDBBackend(duckdb.connect(), "memory")
        try:
            local._con.register(
                "exported",
                pa.table({k: pa.array(v) for k, v in _columns(names, rows).items()}),
            )
            local.export("SELECT * FROM exported", path, fmt)
        finally:
            local.close()
