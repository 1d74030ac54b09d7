"""The Ray engine: the per-document stages (ingest, clean, analyze) as Ray Data map_batches over
shards, their output as Parquet, loaded into the store by the driver.

A run:

1. The driver lists the inputs (directory walks, fsspec listings) and groups them into shards
   in the local engine's reading order (``_shards.plan_shards``).
2. Pass one, Ray tasks: each shard's scraped-text pages give their site-furniture samples and
   every document's id. The driver sums the samples into the furniture table and asks the store
   which ids it already holds.
3. Pass two, a pool of Ray actors (``concurrency = pipeline.ray_workers``), each loading the spaCy
   pipeline and the other analyze resources once: every shard is ingested, cleaned, analysed and
   signed for dedup, and written as Parquet files under the run directory with a ``_DONE``
   marker written last. A shard whose marker matches (same inputs, settings, furniture and
   already-stored ids) is not computed again, so a re-run after a kill only does what is left.
4. The driver loads the shards' rows in shard order while later shards are still running, in
   batches of ``pipeline.batch_size`` with one transaction each; dedup and the corpus stages run
   on the driver as with the local engine, so the store ends the same.

A killed worker is restarted by Ray and its shard retried (up to ``_RETRIES`` times); a job that
still fails raises :class:`RayEngineError` (WC500) and leaves whole batches in the store: a re-run
completes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from functools import partial
from typing import Any

import fsspec  # type: ignore[import-untyped]
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import ray
import ray.data

from wirecheck.analyze import ANALYSIS_VERSION
from wirecheck.errors import UsageError, WirecheckError
from wirecheck.models import Article, Document, Failure
from wirecheck.pipeline._common import (
    Furniture,
    Item,
    Processed,
    ProgressCallback,
    RunSummary,
    SiteSample,
    analysis_version,
    document_site,
    load_deduplicator,
    site_sample,
    store_batches,
    table_digest,
)
from wirecheck.pipeline._shards import (
    SCHEMA,
    ShardItem,
    ShardReader,
    decode_rows,
    encode_row,
    list_inputs,
    plan_shards,
)
from wirecheck.pipeline.local import clean_and_sign, process_resources
from wirecheck.settings import Settings
from wirecheck.store import Store

log = logging.getLogger(__name__)

# Restarts of a dead actor and retries of its shard before the job fails: enough for a node
# lost in a long run, few enough that a document that kills its worker every time ends the run
# with an error instead of looping (Ray Data's default is to retry forever).
_RETRIES = 3
# Rows per Parquet file: bounds a worker's and the driver's memory for a shard of any size.
_PART_ROWS = 500


class RayEngineError(WirecheckError):
    """The Ray job could not start, or failed after Ray's retries."""

    code = "WC500"
    hint = (
        "whole batches already loaded stay in the store; re-run the same command to finish "
        "(finished shards are not computed again)"
    )


# -- Ray session --------------------------------------------------------------------------------
@contextmanager
def ray_session(settings: Settings) -> Iterator[None]:
    """Use the caller's Ray session, or join ``pipeline.ray_address``, or start a local
    instance with ``pipeline.ray_workers`` CPUs (shut down at the end)."""
    if ray.is_initialized():
        yield
        return
    # wirecheck runs offline: no usage report from a Ray instance it starts.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    address = settings.pipeline.ray_address or None
    try:
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(
                num_cpus=max(1, settings.pipeline.ray_workers),
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
            )
    except Exception as exc:
        where = address or "a local Ray instance"
        raise RayEngineError(
            f"cannot start or join {where}: {type(exc).__name__}: {exc}",
            hint="check pipeline.ray_address (--ray-address); `ray status` shows a cluster",
        ) from exc
    try:
        yield
    finally:
        ray.shutdown()


def _quiet_ray_data() -> None:
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.enable_operator_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)


def _ray_rows(dataset: ray.data.Dataset) -> Iterator[dict[str, Any]]:
    """The dataset's rows; a failure of the Ray job becomes a coded error."""
    rows = iter(dataset.iter_rows())
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:
            raise RayEngineError(f"the Ray job failed: {type(exc).__name__}: {exc}") from exc
        yield row


# -- pass one: furniture samples and ids ----------------------------------------------------------
def sample_shards(batch: dict[str, Any], *, settings: Settings) -> dict[str, Any]:
    """Ray task: for each shard, its document count, its entries in order (``[id, input]`` for
    a document, ``[None, input, stage, code, message]`` for an ingest failure) and its
    furniture samples."""
    counts, ids_out, samples_out = [], [], []
    for items_json in batch["items"]:
        items = [ShardItem.from_list(i) for i in json.loads(str(items_json))]
        reader = ShardReader(settings)
        ids: list[list[str | None]] = []
        samples: list[list[Any]] = []
        try:
            for item in reader.read(items):
                if isinstance(item, Failure):
                    ids.append([None, item.input, item.stage, item.code, item.message])
                    continue
                ids.append([item.id, item.input])
                sample = site_sample(item)
                if sample is not None:
                    samples.append([sample.site, sample.digest, list(sample.keys)])
        finally:
            reader.close()
        counts.append(sum(1 for entry in ids if entry[0] is not None))
        ids_out.append(json.dumps(ids, ensure_ascii=False))
        samples_out.append(json.dumps(samples, ensure_ascii=False))
    return {
        "seq": np.asarray(batch["seq"], dtype=np.int64),
        "count": np.asarray(counts, dtype=np.int64),
        "ids": np.asarray(ids_out, dtype=object),
        "samples": np.asarray(samples_out, dtype=object),
    }


# -- pass two: the per-document stages on actors ------------------------------------------------
class ShardWorker:
    """Ray Data actor: cleans, analyses and signs whole shards, writing Parquet parts.

    The analyze resources (spaCy pipeline, actor matchers, gazetteers) are loaded once, in the
    constructor, and reused for every shard this actor gets.
    """

    def __init__(
        self,
        settings: Settings,
        ingested_at: str,
        furniture: dict[str, frozenset[str]],
        run_dir: str,
    ) -> None:
        self.settings = settings
        self.ingested_at = ingested_at
        self.furniture = furniture
        self.fs, self.root = fsspec.core.url_to_fs(run_dir)
        if settings.analyze.enabled:
            process_resources(settings.analyze)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        parts, documents = [], []
        for seq, items_json, known_json, fingerprint in zip(
            batch["seq"], batch["items"], batch["known"], batch["fingerprint"], strict=True
        ):
            items = [ShardItem.from_list(i) for i in json.loads(str(items_json))]
            count, written = self._shard(
                int(seq), items, frozenset(json.loads(str(known_json))), str(fingerprint)
            )
            documents.append(count)
            parts.append(written)
        return {
            "seq": np.asarray(batch["seq"], dtype=np.int64),
            "parts": np.asarray(parts, dtype=np.int64),
            "documents": np.asarray(documents, dtype=np.int64),
        }

    def _process(self, doc: Document) -> tuple[Article | Failure, Any]:
        site, _ = document_site(doc)
        task = (doc, self.furniture.get(site, frozenset()) if site else frozenset())
        return clean_and_sign(task, settings=self.settings, ingested_at=self.ingested_at)

    def _shard(
        self, seq: int, items: Sequence[ShardItem], known: frozenset[str], fingerprint: str
    ) -> tuple[int, int]:
        folder = shard_dir(self.root, seq)
        if self.fs.exists(folder):  # a retried or stale attempt: start clean
            self.fs.rm(folder, recursive=True)
        self.fs.makedirs(folder, exist_ok=True)
        reader = ShardReader(self.settings)
        rows: list[dict[str, Any]] = []
        parts = documents = 0
        try:
            for pos, item in enumerate(reader.read(items)):
                if isinstance(item, Failure):
                    rows.append(encode_row(pos, item, None, None))
                else:
                    documents += 1
                    if item.id in known:
                        rows.append(encode_row(pos, item, None, None))
                    else:
                        result, member = self._process(item)
                        rows.append(encode_row(pos, item, result, member))
                if len(rows) >= _PART_ROWS:
                    self._write_part(folder, parts, rows)
                    parts, rows = parts + 1, []
        finally:
            reader.close()
        if rows or parts == 0:
            self._write_part(folder, parts, rows)
            parts += 1
        marker = {
            "fingerprint": fingerprint,
            "parts": parts,
            "documents": documents,
            "known": sorted(known),
        }
        self._write_atomic(f"{folder}/_DONE", json.dumps(marker).encode("utf-8"))
        return documents, parts

    def _write_part(self, folder: str, index: int, rows: list[dict[str, Any]]) -> None:
        table = pa.Table.from_pylist(rows, schema=SCHEMA)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        self._write_atomic(f"{folder}/part-{index:05d}.parquet", sink.getvalue().to_pybytes())

    def _write_atomic(self, path: str, data: bytes) -> None:
        # Written aside then moved: a reader never sees half a file (an object store's put is
        # atomic already; a local or network file system's rename is).
        self.fs.pipe_file(f"{path}.tmp", data)
        self.fs.mv(f"{path}.tmp", path)


def shard_dir(root: str, seq: int) -> str:
    return f"{root.rstrip('/')}/shards/{seq:08d}"


# -- the driver ---------------------------------------------------------------------------------
def run_dir_for(inputs: Sequence[str], settings: Settings, store: Store, output: str | None) -> str:
    """Where a run's shard outputs go: one folder per (inputs, settings, store), so a re-run of
    the same command finds the shards a killed run finished."""
    key = hashlib.sha256(
        json.dumps(
            {
                "inputs": list(inputs),
                "store": store.location,
                "version": ANALYSIS_VERSION,
                "settings": {
                    name: asdict(getattr(settings, name))
                    for name in ("ingest", "fetch", "clean", "dedup", "analyze")
                },
            },
            sort_keys=True,
        ).encode("utf-8")
    ).hexdigest()[:16]
    return f"{default_output_root(store) if output is None else output.rstrip('/')}/run-{key}"


def default_output_root(store: Store) -> str:
    """``<store file>.ray`` next to a DuckDB store; ``./wirecheck-ray`` for a server store."""
    location = store.location
    if "://" in location:
        return os.path.abspath("wirecheck-ray")
    return os.path.abspath(location) + ".ray"


def _fingerprint(run_dir: str, items: Sequence[ShardItem], furniture_digest: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{run_dir}\0{furniture_digest}\0".encode())
    digest.update(json.dumps([i.to_list() for i in items]).encode("utf-8"))
    return digest.hexdigest()[:32]


def _reusable(marker: dict[str, Any] | None, fingerprint: str, known: Iterable[str]) -> bool:
    """Whether a finished shard's output can be loaded instead of computing it again: the same
    inputs, settings and furniture, and every document it skipped as stored is still stored
    (the store only grows during a run; a new store of the same name would not hold them)."""
    if marker is None or marker.get("fingerprint") != fingerprint:
        return False
    return set(marker.get("known") or ()) <= set(known)


def _read_marker(fs: Any, folder: str) -> dict[str, Any] | None:
    try:
        data = json.loads(fs.cat_file(f"{folder}/_DONE"))
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _shard_items(fs: Any, folder: str, parts: int) -> Iterator[Failure | Item]:
    for index in range(parts):
        path = f"{folder}/part-{index:05d}.parquet"
        try:
            with fs.open(path, "rb") as fh:
                table = pq.read_table(fh)
        except FileNotFoundError as exc:
            raise RayEngineError(
                f"a worker wrote {path}, but the driver cannot read it",
                hint="on a cluster of several machines, give --ray-output a folder or URL that "
                "every node and the driver share (s3://..., gs://..., a network file system)",
            ) from exc
        yield from decode_rows(table)


def run_ray(
    inputs: Sequence[str],
    *,
    settings: Settings,
    store: Store,
    summary: RunSummary,
    ingested_at: str,
    output: str | None = None,
    progress: ProgressCallback | None = None,
) -> None:
    """Run the per-document stages on Ray and load their output into ``store``."""
    items = list(list_inputs(inputs))
    with ray_session(settings):
        _quiet_ray_data()
        workers = max(1, settings.pipeline.ray_workers)
        shards = plan_shards(items, workers)
        del items
        run_dir = run_dir_for(inputs, settings, store, output)
        fs, root = fsspec.core.url_to_fs(run_dir)
        furniture = Furniture(settings.clean)
        known: dict[int, list[str]] = {}
        direct: dict[int, list[Item]] = {}
        total = 0
        version = analysis_version(settings)
        if shards:
            pass_one = ray.data.from_items(
                [
                    {"seq": seq, "items": json.dumps([i.to_list() for i in shard])}
                    for seq, shard in enumerate(shards)
                ],
                override_num_blocks=len(shards),
            ).map_batches(
                partial(sample_shards, settings=settings),
                batch_size=1,
                batch_format="numpy",
                num_cpus=1,
            )
            for row in _ray_rows(pass_one):
                total += int(row["count"])
                for site, digest, keys in json.loads(row["samples"]):
                    furniture.add(SiteSample(site, digest, tuple(keys)))
                entries = json.loads(row["ids"])
                ids = [e[0] for e in entries if e[0] is not None]
                seq = int(row["seq"])
                known[seq] = sorted(store.known_ids(ids, analysis_version=version))
                if len(known[seq]) == len(ids):
                    # Nothing to compute: the driver replays the shard (its sightings and
                    # ingest failures) without starting a worker, so a re-run of a finished
                    # job costs one read of the inputs.
                    direct[seq] = [_replayed(e) for e in entries]
        table = furniture.table()
        furniture_digest = table_digest(table)
        todo: list[dict[str, Any]] = []
        ready: dict[int, int] = {}
        for seq, shard in enumerate(shards):
            if seq in direct:
                continue
            fingerprint = _fingerprint(run_dir, shard, furniture_digest)
            marker = _read_marker(fs, shard_dir(root, seq))
            if marker is not None and _reusable(marker, fingerprint, known.get(seq, ())):
                ready[seq] = int(marker["parts"])
                continue
            todo.append(
                {
                    "seq": seq,
                    "items": json.dumps([i.to_list() for i in shard]),
                    "known": json.dumps(known.get(seq, [])),
                    "fingerprint": fingerprint,
                }
            )
        known.clear()
        log.info(
            "ray engine: %d shards, %d to compute, %d already stored, output in %s",
            len(shards),
            len(todo),
            len(direct),
            run_dir,
        )

        def manifests() -> Iterator[dict[str, Any]]:
            if not todo:
                return
            with warnings.catch_warnings():
                # Ray 2.60 has no named parameter for actor restarts; passing them as remote
                # args is deprecated (to be removed in 2.64, and ray is pinned to 2.60).
                warnings.simplefilter("ignore", DeprecationWarning)
                dataset = ray.data.from_items(todo, override_num_blocks=len(todo)).map_batches(
                    ShardWorker,
                    batch_size=1,
                    batch_format="numpy",
                    fn_constructor_kwargs={
                        "settings": settings,
                        "ingested_at": ingested_at,
                        "furniture": table,
                        "run_dir": run_dir,
                    },
                    compute=ray.data.ActorPoolStrategy(size=min(workers, len(todo))),
                    num_cpus=1,
                    max_restarts=_RETRIES,
                    max_task_retries=_RETRIES,
                )
            yield from _ray_rows(dataset)

        def loaded() -> Iterator[Item]:
            # Shards finish in any order; they are loaded in shard order, each as soon as every
            # shard before it is loaded, while later shards are still being computed.
            following = 0
            rows = manifests()
            while following < len(shards):
                if following in direct:
                    yield from direct.pop(following)
                    following += 1
                    continue
                if following in ready:
                    yield from _shard_items(fs, shard_dir(root, following), ready.pop(following))
                    following += 1
                    continue
                row = next(rows, None)
                if row is None:
                    raise RayEngineError(f"the Ray job ended without shard {following}")
                ready[int(row["seq"])] = int(row["parts"])

        dedup = load_deduplicator(store, settings)
        store_batches(
            loaded(),
            settings=settings,
            store=store,
            dedup=dedup,
            work=_no_raw_documents,
            furniture=lambda doc: frozenset(),
            summary=summary,
            total=total,
            progress=progress,
        )
    if output is None:
        # The default output is scratch space: the store holds everything now.
        if fs.exists(root):
            fs.rm(root, recursive=True)
        parent = root.rstrip("/").rsplit("/", 1)[0]
        if fs.exists(parent) and not fs.ls(parent):
            fs.rmdir(parent)


def _replayed(entry: list[Any]) -> Item:
    """A pass-one entry of a shard whose documents are all stored, as the store loop's item."""
    if entry[0] is None:
        return Failure(str(entry[1]), str(entry[2]), str(entry[3]), str(entry[4]))
    return Processed(str(entry[0]), str(entry[1]), None)


def _no_raw_documents(tasks: list[Any]) -> list[Any]:
    raise AssertionError("the Ray engine passes only processed documents to the store loop")


def check_arguments(transport: object, resolver: object) -> None:
    if transport is not None or resolver is not None:
        raise UsageError("a test transport or resolver works with the local engine only")


__all__ = ["RayEngineError", "ShardWorker", "run_ray"]
