from __future__ import annotations

from pathlib import Path

from helpers import TITLE, write_corpus
from wirecheck.pipeline import analyze, analyze_text
from wirecheck.settings import Settings
from wirecheck.store import Store


def _snapshot(store: Store) -> list[dict[str, object]]:
    rows = []
    for article in store.articles():
        data = article.to_dict()
        data.pop("ingested_at")
        rows.append(data)
    return rows


def test_analyze_stores_articles_groups_reprints_and_logs_failures(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    paths = write_corpus(tmp_path / "corpus")
    summary = analyze([str(tmp_path / "corpus")], settings=settings, store=store)
    articles = {a.input: a for a in store.articles()}
    assert summary.new_articles == len(articles) == 4
    txt = articles[str(paths["txt"])]
    html = articles[str(paths["html"])]
    jsonl = articles[f"{paths['jsonl']}:1"]
    assert f"{paths['jsonl']}:3" in articles
    # one wire story in three formats is one syndication group, credited to the agency
    assert txt.syndication_group == html.syndication_group == jsonl.syndication_group
    assert txt.origin == "agency:BWS"
    assert txt.title == TITLE
    assert "Share on Facebook" not in txt.body and "Comments (2)" not in txt.body
    assert txt.tags == ("Baltic", "Navy", "Drills")
    assert txt.dateline == "Vilnius"
    assert html.published is not None and html.published.startswith("2026-10-14")
    assert jsonl.published == "2026-10-14T11:00:00"
    failed = {(f.input, f.code) for f in store.failures()}
    assert (f"{paths['jsonl']}:2", "WC108") in failed
    assert (str(paths["binary"]), "WC105") in failed
    assert (str(paths["empty"]), "WC104") in failed
    assert len(summary.failures) == 3


def test_rerun_changes_nothing(tmp_path: Path, settings: Settings, store: Store) -> None:
    write_corpus(tmp_path / "corpus")
    analyze([str(tmp_path / "corpus")], settings=settings, store=store)
    before = _snapshot(store)
    again = analyze([str(tmp_path / "corpus")], settings=settings, store=store)
    assert again.new_articles == 0
    assert again.already_stored == 4
    assert _snapshot(store) == before
    assert all(f.attempts == 2 for f in store.failures())


def test_batches_of_one_give_the_same_store(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    from wirecheck.store import open_store

    write_corpus(tmp_path / "corpus")
    analyze([str(tmp_path / "corpus")], settings=settings, store=store)
    small = settings.replace({"pipeline": {"batch_size": 1}})
    with open_store(tmp_path / "other.duckdb") as other:
        analyze([str(tmp_path / "corpus")], settings=small, store=other)
        assert _snapshot(other) == _snapshot(store)


def test_analyze_text_returns_a_full_record() -> None:
    from helpers import scraped_page

    article = analyze_text(scraped_page("northgate-herald.example"), published="2026-10-14")
    assert article.title == TITLE
    assert article.published == "2026-10-14"
    assert article.syndication_group == "g" + article.id
    assert article.language == "en"
    assert any(r.text == "Back to top" for r in article.removed)


def test_worker_processes_give_the_same_store(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    from wirecheck.store import open_store

    write_corpus(tmp_path / "corpus")
    serial = settings.replace({"pipeline": {"workers": 1}})
    analyze([str(tmp_path / "corpus")], settings=serial, store=store)
    parallel = settings.replace(
        {"pipeline": {"workers": 2, "parallel_min_documents": 1, "batch_size": 3}}
    )
    with open_store(tmp_path / "parallel.duckdb") as other:
        summary = analyze([str(tmp_path / "corpus")], settings=parallel, store=other)
        assert summary.new_articles == 4
        assert _snapshot(other) == _snapshot(store)


def test_analyze_a_url_from_a_local_server(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    """A real HTTP fetch over loopback (allowed by setting), through the whole pipeline."""
    import functools
    import http.server
    import threading

    from helpers import html_page

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "drills.html").write_text(html_page("harbour-ledger.example"))
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site")
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/drills.html"
        refused = analyze([url], settings=settings, store=store)
        assert [f.code for f in refused.failures] == ["WC202"]  # loopback is private by default
        allowed = settings.replace({"fetch": {"allow_private": True}})
        summary = analyze([url], settings=allowed, store=store)
    finally:
        server.shutdown()
    assert summary.failures == [] and summary.new_articles == 1
    (article,) = list(store.articles())
    assert article.input == url
    assert article.title == TITLE
    assert article.body.startswith("VILNIUS, Oct 14 (BWS)")


def test_articles_carry_actors_places_and_dates(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    write_corpus(tmp_path / "corpus")
    analyze([str(tmp_path / "corpus")], settings=settings, store=store)
    txt = next(a for a in store.articles() if a.input.endswith("drills.txt"))
    by_text = {(m.text, m.type): m for m in txt.mentions}
    assert by_text[("VILNIUS", "place")].country == "LTU"
    assert by_text[("VILNIUS", "place")].via == "dateline"
    assert by_text[("Klaipeda", "place")].id == "geonames:598098"
    assert by_text[("Lithuania's defence ministry", "country")].code == "LTUMIL"
    # one reading per span: the actor, not also a place
    assert ("Lithuania", "place") not in by_text
    dates = {d.text: d for d in txt.dates}
    assert dates["Tuesday"].value == "2026-10-13"  # published Wednesday 14 October
    assert dates["Tuesday"].anchor == "published" and dates["Tuesday"].precision == "day"
    assert {c.id for c in store.actor_counts()} >= {"LTU", "FIN"}


def test_articles_analysed_by_an_older_version_are_analysed_again(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    write_corpus(tmp_path / "corpus")
    analyze(
        [str(tmp_path / "corpus")],
        settings=settings.replace({"analyze": {"enabled": False}}),
        store=store,
    )
    assert all(a.mentions == () for a in store.articles())
    again = analyze([str(tmp_path / "corpus")], settings=settings, store=store)
    assert again.new_articles == 4  # re-processed for the analysis, stored once
    assert store.counts()["articles"] == 4
    assert all(a.mentions for a in store.articles() if a.input.endswith("drills.txt"))
    third = analyze([str(tmp_path / "corpus")], settings=settings, store=store)
    assert third.new_articles == 0
