"""Ingest jobs run beside the server without blocking it.

wirecheck.serve reads through the store only and may not import the pipeline, so the work itself
is injected: ``create_app(..., ingest=func)`` with ``func(writer, inputs) -> summary`` (the CLI
passes a function that calls ``wirecheck.pipeline.analyze(inputs, settings=..., store=writer)``).

How serving and ingesting share one database:

- Jobs run one at a time, in order, on a single background thread. DuckDB allows one writer, and
  one thread owning the only writing session keeps it that way for PostgreSQL too.
- That thread writes through its own session (``Store.session()``), opened on its first job and
  kept. The pipeline writes in batches of ``pipeline.batch_size`` documents, one transaction each,
  and recomputes the corpus-level results in one more; readers keep their own sessions and see
  each committed batch, never a half-written one, and never wait on the writer.
- ``POST /ingest`` only saves the uploads and queues the job (202 + a job id); ``GET
  /ingest/{id}`` says how it went. The CPU-heavy cleaning and analysis run in the pipeline's worker
  processes for runs large enough to start them, so the server's threads stay free.
- When a job ends the aggregate cache is dropped, so counts and charts show the new articles.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
import threading
import traceback
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirecheck.errors import InternalError, NotFound, WirecheckError
from wirecheck.serve.errors import ServerBusy
from wirecheck.store import Store

IngestFunc = Callable[[Store, Sequence[str]], Mapping[str, Any]]
"""``func(writer, inputs) -> summary``: store ``inputs`` (paths and URLs) through ``writer``."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class JobRecord:
    id: str
    inputs: list[str]
    submitted: str
    status: str = "queued"
    started: str | None = None
    finished: str | None = None
    summary: dict[str, object] | None = None
    error: dict[str, str | None] | None = None
    cleanup: Path | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "inputs": len(self.inputs),
            "submitted": self.submitted,
            "started": self.started,
            "finished": self.finished,
            "summary": self.summary,
            "error": self.error,
        }


class IngestRunner:
    """Runs ingest jobs one at a time on a background thread that owns the writing session."""

    def __init__(
        self,
        store: Store,
        func: IngestFunc,
        *,
        on_done: Callable[[], None] = lambda: None,
        keep: int = 200,
        max_queued: int = 20,
    ) -> None:
        self._store = store
        self._func = func
        self._on_done = on_done
        self._keep = keep
        self._max_queued = max_queued
        self._jobs: OrderedDict[str, JobRecord] = OrderedDict()
        self._lock = threading.Lock()
        self._writer: Store | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wirecheck-ingest")

    def pending(self) -> int:
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.status in {"queued", "running"})

    def submit(self, inputs: Sequence[str], *, cleanup: Path | None = None) -> JobRecord:
        """Queue a job over ``inputs``; ``cleanup`` (a temporary folder) is deleted after it."""
        if self.pending() >= self._max_queued:
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)
            raise ServerBusy(f"{self._max_queued} ingest jobs are already waiting")
        job = JobRecord(id=secrets.token_hex(8), inputs=list(inputs), submitted=_now())
        job.cleanup = cleanup
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].status in {"queued", "running"}:
                    break
                del self._jobs[oldest]
        self._executor.submit(self._run, job)
        return job

    def get(self, job_id: str) -> JobRecord:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no ingest job {job_id!r}", hint="job ids are listed by GET /ingest")
        return job

    def jobs(self) -> list[JobRecord]:
        with self._lock:
            return list(reversed(self._jobs.values()))

    def _run(self, job: JobRecord) -> None:
        job.status, job.started = "running", _now()
        try:
            if self._writer is None:
                self._writer = self._store.session()
            summary = self._func(self._writer, job.inputs)
            job.summary = {str(k): v for k, v in summary.items()}
            job.status = "done"
        except WirecheckError as exc:
            job.status = "failed"
            job.error = {"code": exc.code, "message": exc.message, "hint": exc.hint or None}
        except Exception as exc:  # a bug must fail the job, not kill the ingest thread
            where = traceback.extract_tb(exc.__traceback__)[-1]
            error = InternalError(f"{type(exc).__name__}: {exc} at {where.filename}:{where.lineno}")
            job.status = "failed"
            job.error = {"code": error.code, "message": error.message, "hint": error.hint}
        finally:
            job.finished = _now()
            if job.cleanup is not None:
                shutil.rmtree(job.cleanup, ignore_errors=True)
            self._on_done()

    def wait(self, job_id: str, timeout: float) -> JobRecord:
        """Block until the job has ended or ``timeout`` seconds passed (for tests and scripts)."""
        import time

        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job.status in {"queued", "running"} and time.monotonic() < deadline:
            time.sleep(0.05)
        return job

    def close(self) -> None:
        """Drop queued jobs and close the writer; a running job is not waited for (the process
        exit joins it; the pipeline's per-batch transactions make stopping it mid-way safe)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        running = False
        with self._lock:
            for job in self._jobs.values():
                running = running or job.status == "running"
                if job.status == "queued":
                    job.status = "failed"
                    job.error = {"code": ServerBusy.code, "message": "server stopped", "hint": None}
                    if job.cleanup is not None:
                        shutil.rmtree(job.cleanup, ignore_errors=True)
        if self._writer is not None and not running:
            self._writer.close()
            self._writer = None
