"""Shards for the Ray engine: planning them on the driver, reading them on a worker, and the
Parquet rows a worker writes for the driver to load.

A shard is a run of consecutive inputs in the order the local engine reads them (files of a
directory walk, a WARC or JSONL file alone, URLs): the driver loads shard outputs in shard order,
so the store sees the documents in the same order as with the local engine.

Inputs are local paths (the same path must be readable on every worker: a shared file system on
a cluster), http(s) URLs (fetched by a worker with the same rules as the local engine) or any
fsspec URL (``s3://``, ``gs://``, ``file://``, ...; the protocol's package must be installed
on every node).
"""

from __future__ import annotations

import json
import math
import os
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import fsspec  # type: ignore[import-untyped]
import pyarrow as pa

from wirecheck.dedup import DedupMember
from wirecheck.errors import InputNotFound, InputTooLarge, InputUnreadable, WirecheckError
from wirecheck.ingest.common import failure
from wirecheck.ingest.dispatch import Ingestor, is_url
from wirecheck.ingest.files import walk
from wirecheck.models import Article, Document, Failure
from wirecheck.pipeline._common import Processed

# Shards group small files so that one worker call (and one output file) is not one page; a
# big WARC or JSONL file is a shard of its own. Four shards per worker keep both workers busy
# to the end of a run when shards differ in cost.
SHARD_MAX_FILES = 64
SHARD_MAX_BYTES = 32 << 20
SHARDS_PER_WORKER = 4


@dataclass(frozen=True)
class ShardItem:
    """One input of a shard: ``kind`` is path, url, remote (fsspec URL) or error (an input the
    driver could not list; ``code``/``message`` are its failure)."""

    locator: str
    kind: str
    size: int = 0
    stamp: str = ""
    code: str = ""
    message: str = ""

    def to_list(self) -> list[Any]:
        return [self.locator, self.kind, self.size, self.stamp, self.code, self.message]

    @classmethod
    def from_list(cls, data: Sequence[Any]) -> ShardItem:
        return cls(
            str(data[0]), str(data[1]), int(data[2]), str(data[3]), str(data[4]), str(data[5])
        )


def is_remote(value: str) -> bool:
    """An fsspec URL other than http(s): ``s3://...``, ``gs://...``, ``file://...``."""
    return "://" in value and not is_url(value)


def _is_corpus_documentation(name: str) -> bool:
    # The same rule as the local directory walk (ingest.files.walk): README, LICENSE and *.md
    # files travel with a corpus and describe it; they are not articles.
    upper = name.upper()
    return upper.startswith(("README", "LICENSE", "LICENCE")) or upper.endswith(".MD")


def _list_remote(url: str) -> Iterator[ShardItem]:
    try:
        fs, root = fsspec.core.url_to_fs(url)
        if not fs.isdir(root):
            info = fs.info(root)
            yield ShardItem(url, "remote", int(info.get("size") or 0), _stamp(info))
            return
        found = fs.find(root, detail=True)
    except FileNotFoundError:
        err: WirecheckError = InputNotFound(f"{url}: no such file or directory")
        yield ShardItem(url, "error", code=err.code, message=str(err))
        return
    except Exception as exc:  # any backend's error (credentials, network) fails this input only
        err = InputUnreadable(f"{url}: {type(exc).__name__}: {exc}")
        yield ShardItem(url, "error", code=err.code, message=str(err))
        return
    base = root.rstrip("/")
    for path in sorted(found):
        relative = path[len(base) :].lstrip("/") if path.startswith(base) else path
        parts = relative.split("/")
        if any(p.startswith(".") for p in parts) or _is_corpus_documentation(parts[-1]):
            continue
        info = found[path]
        yield ShardItem(
            fs.unstrip_protocol(path), "remote", int(info.get("size") or 0), _stamp(info)
        )


def _stamp(info: dict[str, Any]) -> str:
    for key in ("mtime", "LastModified", "last_modified", "updated", "ETag", "etag", "md5Hash"):
        if info.get(key) is not None:
            return str(info[key])
    return ""


def list_inputs(inputs: Sequence[str]) -> Iterator[ShardItem]:
    """Every input file, URL and listing failure, in the local engine's reading order."""
    for value in inputs:
        if is_url(value):
            yield ShardItem(value, "url")
        elif is_remote(value):
            yield from _list_remote(value)
        else:
            for path, error in walk(value):
                if error is not None:
                    yield ShardItem(path, "error", code=error.code, message=str(error))
                    continue
                try:
                    st = os.stat(path)
                    size, stamp = st.st_size, str(st.st_mtime_ns)
                except OSError:
                    size, stamp = 0, ""  # reading it on the worker reports why
                yield ShardItem(path, "path", size, stamp)


def plan_shards(items: Sequence[ShardItem], workers: int) -> list[list[ShardItem]]:
    """Group ``items`` (in order) into shards: at most SHARD_MAX_FILES files or SHARD_MAX_BYTES
    bytes each, and small enough that every worker gets several."""
    if not items:
        return []
    per_shard = max(1, min(SHARD_MAX_FILES, math.ceil(len(items) / (workers * SHARDS_PER_WORKER))))
    shards: list[list[ShardItem]] = []
    current: list[ShardItem] = []
    size = 0
    for item in items:
        current.append(item)
        size += item.size
        if len(current) >= per_shard or size >= SHARD_MAX_BYTES:
            shards.append(current)
            current, size = [], 0
    if current:
        shards.append(current)
    return shards


class ShardReader(Ingestor):
    """Ingests the items of one shard exactly as the local engine's ingest would."""

    def read(self, items: Sequence[ShardItem]) -> Iterator[Document | Failure]:
        for item in items:
            if item.kind == "error":
                yield Failure(item.locator, "ingest", item.code, item.message)
            elif item.kind == "remote":
                yield from self._guarded(item.locator, self._from_remote(item.locator))
            else:
                yield from self.run([item.locator])

    def _from_remote(self, url: str) -> Iterator[Document | Failure]:
        cap = self.settings.ingest.max_bytes
        try:
            blob = read_remote(url, cap)
        except WirecheckError as err:
            yield failure(url, err)
            return
        fs_path = url.split("://", 1)[1]
        site_hint = posixpath.basename(posixpath.dirname(fs_path)) or None
        yield from self.from_bytes(
            blob, locator=url, site_hint=site_hint, fetch_page=self._fetch_item
        )


def read_remote(url: str, max_bytes: int) -> bytes:
    """The bytes of an fsspec URL, refused over ``max_bytes`` (checked before reading)."""
    try:
        fs, path = fsspec.core.url_to_fs(url)
        size = fs.size(path)
        if size is not None and size > max_bytes:
            raise InputTooLarge(f"{url}: {size} bytes, over the {max_bytes}-byte cap")
        blob = fs.cat_file(path, start=0, end=max_bytes + 1)
    except WirecheckError:
        raise
    except FileNotFoundError as exc:
        raise InputNotFound(f"{url}: no such file or directory") from exc
    except Exception as exc:  # permissions, network, credentials: this input fails alone
        raise InputUnreadable(f"{url}: {type(exc).__name__}: {exc}") from exc
    if len(blob) > max_bytes:
        raise InputTooLarge(f"{url}: over the {max_bytes}-byte cap")
    return bytes(blob)


# -- the rows a worker writes ----------------------------------------------------------------
SCHEMA = pa.schema(
    [
        ("pos", pa.int64()),
        ("kind", pa.string()),  # ingest (a failure before any document), article, failure, known
        ("doc_id", pa.string()),
        ("input", pa.string()),
        ("article", pa.large_string()),  # Article.to_dict() as JSON
        ("body_hash", pa.string()),
        ("published", pa.string()),
        ("agency", pa.string()),
        ("signature", pa.binary()),
        ("stage", pa.string()),
        ("code", pa.string()),
        ("message", pa.string()),
    ]
)


def encode_row(
    pos: int,
    item: Document | Failure,
    result: Article | Failure | None,
    member: DedupMember | None,
) -> dict[str, Any]:
    """One output row: an ingest failure, or a document with its result (None: skipped as
    already stored)."""
    row: dict[str, Any] = dict.fromkeys(SCHEMA.names)
    row["pos"] = pos
    if isinstance(item, Failure):
        row.update(kind="ingest", input=item.input, stage=item.stage, code=item.code)
        row["message"] = item.message
        return row
    row.update(doc_id=item.id, input=item.input)
    if result is None:
        row["kind"] = "known"
    elif isinstance(result, Failure):
        row.update(kind="failure", stage=result.stage, code=result.code, message=result.message)
    else:
        row.update(kind="article", article=json.dumps(result.to_dict(), ensure_ascii=False))
        if member is not None:
            row.update(
                body_hash=member.body_hash,
                published=member.published,
                agency=member.agency,
                signature=member.signature,
            )
    return row


def decode_rows(table: pa.Table) -> Iterator[Failure | Processed]:
    """The driver's items from one output file, in their order."""
    for row in table.sort_by("pos").to_pylist():
        kind = row["kind"]
        if kind == "ingest":
            yield Failure(row["input"], row["stage"], row["code"], row["message"])
        elif kind == "known":
            yield Processed(row["doc_id"], row["input"], None)
        elif kind == "failure":
            failed = Failure(row["input"], row["stage"], row["code"], row["message"])
            yield Processed(row["doc_id"], row["input"], failed)
        else:
            article = Article.from_dict(json.loads(row["article"]))
            member = DedupMember(
                article.id, row["body_hash"], row["published"], row["agency"], row["signature"]
            )
            yield Processed(row["doc_id"], row["input"], article, member)
