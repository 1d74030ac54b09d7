"""Corpus-wide figures for the dashboard's charts (events per week by quad class, events per place,
credibility bands of articles), recomputed in the background.

They need a pass over every event and every article assessment, which takes seconds on a large
store, so no request ever waits for it (except the very first ones, for at most ``wait``
seconds): the last result is served while a new one is computed after each ingest job and at
most every ``max_age`` seconds.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from wirecheck.serve.readers import ReaderPool

BANDS = ("well supported", "plausible", "unverified", "disputed", "likely false")


@dataclass(frozen=True)
class Digest:
    computed_at: float
    seconds: float
    events: int
    weeks: dict[str, list[int]] = field(default_factory=dict)  # ISO week start -> quad 1..4 counts
    places: dict[str, int] = field(default_factory=dict)  # place id -> events there
    bands: dict[str, int] = field(default_factory=dict)  # article credibility band -> articles


def _week(day: str | None) -> str | None:
    if not day or len(day) < 10:
        return None  # month- or year-precision dates do not fall in one week
    try:
        date = dt.date.fromisoformat(day[:10])
    except ValueError:
        return None
    return (date - dt.timedelta(days=date.weekday())).isoformat()


def compute(pool: ReaderPool) -> Digest:
    started = time.perf_counter()
    weeks: dict[str, list[int]] = {}
    places: Counter[str] = Counter()
    with pool.reader() as store:
        rows = store.events()
        bands = Counter(a.band for a in store.assessments(kind="article"))
    for row in rows:
        e = row.event
        week = _week(e.date if e.date and e.date_precision == "day" else row.published)
        if week is not None and 1 <= e.quad_class <= 4:
            weeks.setdefault(week, [0, 0, 0, 0])[e.quad_class - 1] += 1
        if e.place:
            places[e.place] += 1
    return Digest(
        computed_at=time.monotonic(),
        seconds=time.perf_counter() - started,
        events=len(rows),
        weeks=dict(sorted(weeks.items())),
        places=dict(places),
        bands={b: bands.get(b, 0) for b in (*BANDS, *sorted(set(bands) - set(BANDS)))},
    )


class DigestKeeper:
    """Holds the last digest and recomputes it on a background thread when asked or stale."""

    def __init__(self, pool: ReaderPool, *, max_age: float = 300.0, wait: float = 10.0) -> None:
        self._pool = pool
        self._max_age = max_age
        self._wait = wait
        self._current: Digest | None = None
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._ready = threading.Event()
        self.last_error: str | None = None

    def refresh(self) -> None:
        """Start a recomputation (or queue one if one is running)."""
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        threading.Thread(target=self._work, name="wirecheck-digest", daemon=True).start()

    def _work(self) -> None:
        while True:
            try:
                digest = compute(self._pool)
                self._current = digest
                self.last_error = None
            except Exception as exc:  # keep serving the last digest; say why it is old
                self.last_error = f"{type(exc).__name__}: {exc}"
            self._ready.set()
            with self._lock:
                if not self._again:
                    self._running = False
                    return
                self._again = False

    def get(self) -> Digest | None:
        """The last digest (None if the first is not ready within ``wait`` seconds)."""
        current = self._current
        if current is None:
            self.refresh()
            self._ready.wait(self._wait)
            return self._current
        if time.monotonic() - current.computed_at > self._max_age:
            self.refresh()
        return current
