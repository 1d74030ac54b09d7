"""Bytes to clean Unicode: charset detection, mojibake repair, NFC.

Order of trust: a byte-order mark, then strict UTF-8, then the charset a transport or the page
declared, then detection. Latin-1/cp1252 text is common in older scrapes and is decoded without
complaint; bytes that are *mostly* UTF-8 with a few broken sequences are decoded with replacement
characters and flagged, because guessing a legacy charset for them would garble every valid
multi-byte character instead of the few broken ones.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer
import ftfy
from ftfy.badness import is_bad

from wirecheck.errors import UndecodableText

# ftfy's defaults straighten curly quotes and rewrite HTML entities; a news reader must keep the
# quotes as published (they delimit direct speech for the claims stage), and HTML is unescaped by
# the HTML parser, not by a text fixer.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization="NFC",
    explain=False,
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_C1_CONTROLS = re.compile("[\x80-\x9f]")
INVALID_UTF8 = "invalid_utf8_replaced"
LEGACY_CHARSET = "decoded_as_{}"


def _declared_in_html(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace").lower() if match else None


def _try(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(
    data: bytes, *, declared: str | None = None, html: bool = False
) -> tuple[str, tuple[str, ...]]:
    """Decode ``data`` to NFC text with mojibake repaired; return the text and warnings."""
    warnings: list[str] = []
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            break
    if text is None:
        text = _try(data, "utf-8")
    if text is None:
        for candidate in (declared, _declared_in_html(data) if html else None):
            # A page that declares UTF-8 but is not valid UTF-8 falls through to the checks below.
            if candidate and candidate.replace("_", "-") not in {"utf-8", "utf8"}:
                text = _try(data, candidate)
                if text is not None:
                    warnings.append(LEGACY_CHARSET.format(candidate))
                    break
    if text is None:
        valid = len(_UTF8_MULTIBYTE.findall(data))
        invalid = data.decode("utf-8", errors="replace").count("\ufffd")
        if valid > 0 and valid >= invalid:
            text = data.decode("utf-8", errors="replace")
            warnings.append(INVALID_UTF8)
        else:
            best = charset_normalizer.from_bytes(data).best()
            guessed: str | None = best.encoding if best is not None else None
            # charset-normalizer often names a rarer single-byte cousin for short Western text;
            # cp1252 decodes every byte it could and is what such files are in practice.
            encoding = (
                "cp1252"
                if guessed is None or guessed in {"latin_1", "iso8859_1", "iso8859_15", "cp1250"}
                else guessed
            )
            text = _try(data, encoding)
            if text is None:
                text = data.decode("cp1252", errors="replace")
            warnings.append(LEGACY_CHARSET.format(encoding))
    if not text.strip():
        return "", tuple(warnings)
    if text.count("\ufffd") > max(20, len(text) // 10):
        raise UndecodableText("the text is mostly undecodable bytes")
    # ftfy costs about a millisecond per page; its own quick badness test tells when there is
    # mojibake to repair at all (it is rare), and NFC is applied either way.
    if is_bad(text) or _C1_CONTROLS.search(text):
        text = ftfy.fix_text(text, config=_FTFY)
    return unicodedata.normalize("NFC", text), tuple(warnings)
