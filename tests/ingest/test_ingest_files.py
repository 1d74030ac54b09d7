"""Ingest of files and directories: kinds, recursion, sniffing, and every bad-file case."""

from __future__ import annotations

import gzip
import os
import pickle
import shutil
import tempfile
from pathlib import Path

import pytest

from wirecheck.ingest import content_id, iter_documents
from wirecheck.models import Document, DocumentKind, Failure
from wirecheck.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
SETTINGS = Settings()


def run(*inputs: str | Path, settings: Settings = SETTINGS) -> list[Document | Failure]:
    return list(iter_documents([str(i) for i in inputs], settings=settings))


def docs(items: list[Document | Failure]) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def fails(items: list[Document | Failure]) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


def test_plain_text_file() -> None:
    path = FIXTURES / "site-a" / "harbour-bridge.txt"
    (doc,) = run(path)
    assert isinstance(doc, Document)
    assert doc.kind is DocumentKind.TEXT
    assert doc.content == path.read_bytes()
    assert doc.input == str(path)
    assert doc.site_hint == "site-a"
    assert doc.url is None
    assert doc.id == content_id(doc.content, None)
    assert len(doc.id) == 16


def test_html_file() -> None:
    (doc,) = run(FIXTURES / "site-a" / "council-vote.html")
    assert isinstance(doc, Document)
    assert doc.kind is DocumentKind.HTML
    assert b"tram line" in doc.content


def test_directory_recursion_sorted_and_hidden_skipped(tmp_path: Path) -> None:
    (tmp_path / "b-site").mkdir()
    (tmp_path / "a-site" / "deeper").mkdir(parents=True)
    (tmp_path / "b-site" / "one.txt").write_text("Title one\nBody of story one.\n")
    (tmp_path / "a-site" / "deeper" / "two.txt").write_text("Title two\nBody of story two.\n")
    (tmp_path / "a-site" / "three.txt").write_text("Title three\nBody of story three.\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "four.txt").write_text("never read\n")
    (tmp_path / "a-site" / ".draft.txt").write_text("never read\n")
    items = run(tmp_path)
    assert all(isinstance(i, Document) for i in items)
    inputs = [i.input for i in items]
    assert inputs == [
        os.path.join(str(tmp_path), "a-site", "deeper", "two.txt"),
        os.path.join(str(tmp_path), "a-site", "three.txt"),
        os.path.join(str(tmp_path), "b-site", "one.txt"),
    ]
    assert [d.site_hint for d in docs(items)] == ["deeper", "a-site", "b-site"]


def test_input_locator_is_the_path_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "x.txt").write_text("A title\nSome body text.\n")
    monkeypatch.chdir(tmp_path)
    (doc,) = run("corpus")
    assert doc.input == os.path.join("corpus", "x.txt")
    assert isinstance(doc, Document)
    assert doc.site_hint == "corpus"


def test_reingest_gives_the_same_ids() -> None:
    first = [d.id for d in docs(run(FIXTURES))]
    second = [d.id for d in docs(run(FIXTURES))]
    assert first == second
    assert len(first) == len(set(first))


def test_content_id_depends_on_content_and_url() -> None:
    assert content_id(b"abc", None) == content_id(b"abc", "")
    assert content_id(b"abc", None) != content_id(b"abc", "https://x.example/")
    assert content_id(b"abc", None) != content_id(b"abd", None)
    import hashlib

    assert content_id(b"abc", "u") == hashlib.sha256(b"abc\0u").hexdigest()[:16]


def test_txt_holding_html_is_sniffed_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    shutil.copy(FIXTURES / "site-a" / "council-vote.html", path)
    (doc,) = run(path)
    assert isinstance(doc, Document)
    assert doc.kind is DocumentKind.HTML


def test_html_holding_jsonl_is_sniffed_as_records(tmp_path: Path) -> None:
    path = tmp_path / "export.html"
    shutil.copy(FIXTURES / "newsplease.jsonl", path)
    items = run(path)
    assert [d.input for d in docs(items)] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    assert all(d.kind is DocumentKind.RECORD for d in docs(items))


def test_latin1_text_is_text_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    raw = "Café in Zürich reopens\nThe café on the Bahnhofstraße reopened, señor.\n"
    path.write_bytes(raw.encode("latin-1"))
    (doc,) = run(path)
    assert isinstance(doc, Document)
    assert doc.kind is DocumentKind.TEXT
    assert doc.content == raw.encode("latin-1")  # bytes untouched: decoding is the cleaner's job
    assert doc.charset is None


def test_binary_file_fails_with_binary_input(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 40)
    (item,) = run(path)
    assert isinstance(item, Failure)
    assert (item.input, item.stage, item.code) == (str(path), "ingest", "WC105")
    assert "NUL" in item.message


def test_pdf_named_txt_fails(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (item,) = run(path)
    assert isinstance(item, Failure)
    assert item.code == "WC105"
    assert "PDF" in item.message


def test_gzipped_binary_is_binary_after_decompression(tmp_path: Path) -> None:
    path = tmp_path / "blob.gz"
    path.write_bytes(gzip.compress(b"\x00\x01\x02\x03" * 1000))
    (item,) = run(path)
    assert isinstance(item, Failure)
    assert item.code == "WC105"


def test_bzip2_is_unsupported(tmp_path: Path) -> None:
    import bz2

    path = tmp_path / "story.txt.bz2"
    path.write_bytes(bz2.compress(b"Title\nBody\n"))
    (item,) = run(path)
    assert isinstance(item, Failure)
    assert item.code == "WC109"


@pytest.mark.parametrize("content", [b"", b"  \n\n\t  \r\n", b"\xef\xbb\xbf\n"])
def test_empty_file_fails_with_empty_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    (item,) = run(path)
    assert isinstance(item, Failure)
    assert item.code == "WC104"


def test_100mb_file_over_the_cap_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: no 100 MB on disk
    small = Path(tmp_path / "small.txt")
    small.write_text("Title\nA body that is fine.\n")
    items = run(tmp_path)
    (failure,) = fails(items)
    assert failure.input == str(path)
    assert failure.code == "WC103"
    assert "104857600 bytes" in failure.message
    assert [d.input for d in docs(items)] == [str(small)]


def test_size_cap_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Title\n" + "word " * 100)
    tight = SETTINGS.replace({"ingest": {"max_bytes": 100}})
    (item,) = run(path, settings=tight)
    assert isinstance(item, Failure)
    assert item.code == "WC103"


def test_gzip_bomb_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 5_000_000))
    tight = SETTINGS.replace({"ingest": {"max_bytes": 1_000_000}})
    (item,) = run(path, settings=tight)
    assert isinstance(item, Failure)
    assert item.code == "WC103"


def test_gzipped_text_is_decompressed(tmp_path: Path) -> None:
    raw = (FIXTURES / "site-a" / "harbour-bridge.txt").read_bytes()
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(raw))
    (doc,) = run(path)
    assert isinstance(doc, Document)
    assert doc.kind is DocumentKind.TEXT
    assert doc.content == raw


def test_truncated_gz_text_fails_with_corrupt_archive(tmp_path: Path) -> None:
    raw = (FIXTURES / "site-a" / "harbour-bridge.txt").read_bytes() * 20
    packed = gzip.compress(raw)
    path = tmp_path / "story.txt.gz"
    path.write_bytes(packed[: len(packed) // 2])
    items = run(path)
    assert not docs(items)  # a half document is not ingested as if it were whole
    (failure,) = fails(items)
    assert failure.code == "WC107"
    assert "truncated" in failure.message


def test_truncated_gz_jsonl_keeps_complete_lines(tmp_path: Path) -> None:
    lines = [
        f'{{"title": "Story {n}", "text": "Body of story number {n}.", "url": "https://x.example/{n}"}}'
        for n in range(200)
    ]
    packed = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "records.jsonl.gz"
    path.write_bytes(packed[: int(len(packed) * 0.6)])
    items = run(path)
    kept = docs(items)
    assert 0 < len(kept) < 200
    assert [d.input for d in kept] == [f"{path}:{n}" for n in range(1, len(kept) + 1)]
    assert [f.code for f in fails(items)] == ["WC107"]


def test_missing_path_fails_with_not_found(tmp_path: Path) -> None:
    (item,) = run(tmp_path / "nope.txt")
    assert isinstance(item, Failure)
    assert item.code == "WC101"


def test_directory_with_unreadable_entries(tmp_path: Path) -> None:
    """A FIFO (would block a naive open forever), a dangling symlink and a chmod-000 file: each
    fails alone with a coded error and the readable file still comes through."""
    good = tmp_path / "a-good.txt"
    good.write_text("Title\nA readable story.\n")
    fifo = tmp_path / "b-pipe.txt"
    os.mkfifo(fifo)
    dangling = tmp_path / "c-link.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    locked = tmp_path / "d-locked.txt"
    locked.write_text("Title\nSecret story.\n")
    locked.chmod(0)
    try:
        items = run(tmp_path)
    finally:
        locked.chmod(0o644)
    by_input = {i.input: i for i in items}
    assert isinstance(by_input[str(good)], Document)
    fifo_item = by_input[str(fifo)]
    assert isinstance(fifo_item, Failure)
    assert fifo_item.code == "WC102"
    assert "not a regular file" in fifo_item.message
    link_item = by_input[str(dangling)]
    assert isinstance(link_item, Failure)
    assert link_item.code == "WC101"
    if os.geteuid() == 0:  # root reads through chmod 000: nothing to assert about permissions
        assert isinstance(by_input[str(locked)], Document)
    else:
        locked_item = by_input[str(locked)]
        assert isinstance(locked_item, Failure)
        assert locked_item.code == "WC102"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list a chmod-000 directory")
def test_unreadable_subdirectory(tmp_path: Path) -> None:
    sub = tmp_path / "locked"
    sub.mkdir()
    (sub / "x.txt").write_text("Title\nBody\n")
    (tmp_path / "ok.txt").write_text("Title\nBody\n")
    sub.chmod(0)
    try:
        items = run(tmp_path)
    finally:
        sub.chmod(0o755)
    assert [(f.input, f.code) for f in fails(items)] == [(str(sub), "WC102")]
    assert len(docs(items)) == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="covered by the tests above when not root")
def test_unreadable_entries_as_an_unprivileged_child() -> None:
    """Root ignores permissions, so drop to `nobody` in a forked child and ingest from there."""
    root = Path(tempfile.mkdtemp(prefix="wc-perm-"))
    try:
        root.chmod(0o755)
        (root / "a-ok.txt").write_text("Title\nA readable story.\n")
        (root / "b-locked.txt").write_text("Title\nSecret story.\n")
        (root / "b-locked.txt").chmod(0)
        (root / "c-locked-dir").mkdir()
        (root / "c-locked-dir" / "x.txt").write_text("Title\nHidden.\n")
        (root / "c-locked-dir").chmod(0)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: never return into pytest
            status = 1
            try:
                os.close(read_end)
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                items = [(i.input, getattr(i, "code", "doc")) for i in run(root)]
                with os.fdopen(write_end, "wb") as out:
                    pickle.dump(items, out)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as inp:
            data = inp.read()
        _, status = os.waitpid(pid, 0)
        assert status == 0
        assert pickle.loads(data) == [
            (str(root / "a-ok.txt"), "doc"),
            (str(root / "b-locked.txt"), "WC102"),
            (str(root / "c-locked-dir"), "WC102"),
        ]
    finally:
        (root / "c-locked-dir").chmod(0o755)
        shutil.rmtree(root)


def test_fifo_given_directly_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.xml"
    os.mkfifo(fifo)
    (item,) = run(fifo)
    assert isinstance(item, Failure)
    assert item.code == "WC102"


def test_one_bad_input_does_not_stop_the_batch(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    items = run(empty, tmp_path / "missing.txt", FIXTURES / "site-a")
    assert [f.code for f in fails(items)] == ["WC104", "WC101"]
    assert len(docs(items)) == 2


def test_directory_walk_skips_corpus_documentation(tmp_path: Path) -> None:
    from wirecheck.ingest.files import walk

    (tmp_path / "README.md").write_text("# About this corpus")
    (tmp_path / "LICENSE").write_text("CC0")
    (tmp_path / "notes.md").write_text("notes")
    (tmp_path / "story.txt").write_text("A story")
    assert [Path(p).name for p, _ in walk(str(tmp_path))] == ["story.txt"]
    assert [Path(p).name for p, _ in walk(str(tmp_path / "README.md"))] == ["README.md"]
