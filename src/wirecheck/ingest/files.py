"""Files and directories: walking, safe reading under a size cap, and gzip with damage reports."""

from __future__ import annotations

import errno
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from wirecheck.errors import (
    CorruptArchive,
    InputError,
    InputNotFound,
    InputTooLarge,
    InputUnreadable,
)

_READ_CHUNK = 1 << 20
_GZIP_FEED = 1 << 16
_GZIP_HEADER = b"\x1f\x8b\x08"  # magic + deflate method: where a new gzip member can start


def _os_error(path: str, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    if isinstance(exc, FileNotFoundError) or exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return InputNotFound(f"{path}: no such file or directory")
    if isinstance(exc, PermissionError):
        return InputUnreadable(f"{path}: permission denied")
    return InputUnreadable(f"{path}: {reason}")


def _is_corpus_documentation(name: str) -> bool:
    upper = name.upper()
    return upper.startswith(("README", "LICENSE", "LICENCE")) or upper.endswith(".MD")


def walk(path: str) -> Iterator[tuple[str, InputError | None]]:
    """Yield the files under ``path`` (or ``path`` itself), sorted, skipping hidden entries and
    the documentation files that travel with a corpus (README*, LICENSE*, *.md): they describe the
    articles, they are not articles. A file named explicitly is always read.

    Directory symlinks are not followed (a link back up the tree would loop forever). Errors
    (an unreadable directory) are yielded in place as ``(path, error)``, so the rest of the tree
    is still walked; files come as ``(path, None)``.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        yield path, _os_error(path, exc)
        return
    if not stat.S_ISDIR(st.st_mode):
        yield path, None
        return
    try:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield path, _os_error(path, exc)
        return
    for entry in entries:
        if entry.name.startswith(".") or _is_corpus_documentation(entry.name):
            continue
        child = os.path.join(path, entry.name)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            yield child, _os_error(child, exc)
            continue
        if is_dir:
            yield from walk(child)
        else:
            yield child, None


def read_file(path: str, max_bytes: int) -> bytes:
    """Read a regular file of at most ``max_bytes``; the size is checked before reading.

    Opened non-blocking and checked with fstat on the open descriptor, so a FIFO or device that
    slips into a directory is refused instead of hanging the batch, with no race between a
    check and the open.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_error(path, exc) from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputUnreadable(f"{path}: is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise InputUnreadable(f"{path}: not a regular file (a FIFO, socket or device)")
        if st.st_size > max_bytes:
            raise InputTooLarge(f"{path}: {st.st_size} bytes, over the {max_bytes}-byte cap")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_READ_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # the file grew after the stat
                raise InputTooLarge(f"{path}: over the {max_bytes}-byte cap")
        return b"".join(chunks)
    except OSError as exc:
        raise _os_error(path, exc) from exc
    finally:
        os.close(fd)


@dataclass
class Segment:
    """A stretch of decompressed data with no damage inside it."""

    data: bytes
    cut: bool = False  # damage right after it: its last record may be incomplete


@dataclass
class Gunzipped:
    """What could be recovered from a gzip stream, and the damage found on the way."""

    segments: list[Segment] = field(default_factory=list)
    damage: list[CorruptArchive] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return b"".join(seg.data for seg in self.segments)


def gunzip(blob: bytes, max_bytes: int) -> Gunzipped:
    """Decompress every gzip member of ``blob`` (WARC.gz has one per record), keeping going.

    A damaged or non-gzip stretch between members is reported with its offset and skipped to the
    next gzip header; a stream that ends mid-member keeps what was decompressed before the cut.
    Good data on either side of damage lands in separate segments, so a record cut by the damage
    is never spliced onto the next one. The decompressed size is capped at ``max_bytes`` (a gzip
    bomb raises InputTooLarge).
    """
    view = memoryview(blob)
    result = Gunzipped()
    out = bytearray()
    total = 0

    def close_segment(cut: bool) -> None:
        nonlocal out
        if out:
            result.segments.append(Segment(bytes(out), cut))
        out = bytearray()

    pos = 0
    while pos < len(blob):
        if blob[pos : pos + 3] != _GZIP_HEADER:
            if not blob[pos:].strip(b"\0"):
                break  # NUL padding after the last member, as some tools write it
            nxt = blob.find(_GZIP_HEADER, pos + 1)
            end = nxt if nxt >= 0 else len(blob)
            result.damage.append(
                CorruptArchive(f"{end - pos} bytes of non-gzip data at offset {pos} skipped")
            )
            close_segment(cut=False)
            if nxt < 0:
                break
            pos = nxt
            continue
        member_start = pos
        decomp = zlib.decompressobj(wbits=31)
        fed = pos
        piece: bytes | memoryview
        try:
            while not decomp.eof:
                if decomp.unconsumed_tail:
                    piece = decomp.unconsumed_tail
                else:
                    piece = view[fed : fed + _GZIP_FEED]
                    fed += len(piece)
                if not piece:
                    break
                produced = decomp.decompress(piece, max_bytes + 1 - total)
                total += len(produced)
                out += produced
                if total > max_bytes:
                    raise InputTooLarge(f"decompresses to over the {max_bytes}-byte cap")
        except zlib.error as exc:
            result.damage.append(
                CorruptArchive(f"damaged gzip member at offset {member_start}: {exc}")
            )
            close_segment(cut=True)
            nxt = blob.find(_GZIP_HEADER, member_start + 1)
            if nxt < 0:
                break
            pos = nxt
            continue
        if not decomp.eof:
            result.damage.append(
                CorruptArchive(
                    f"gzip stream truncated in the member starting at offset {member_start}"
                )
            )
            close_segment(cut=True)
            break
        pos = fed - len(decomp.unused_data)
    close_segment(cut=False)
    return result
