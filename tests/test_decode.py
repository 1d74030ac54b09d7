from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirecheck.clean.decode import INVALID_UTF8, decode_bytes
from wirecheck.errors import UndecodableText, WirecheckError

TEXT = "Le ministre a déclaré : « Nous sommes prêts » — São Paulo, Zürich, naïve café. “Quoted”."


def test_cp1252_is_decoded_without_error() -> None:
    text, warnings = decode_bytes(TEXT.encode("cp1252", errors="ignore"))
    assert "déclaré" in text and "Zürich" in text and "“Quoted”" in text
    assert warnings == ("decoded_as_cp1252",)


def test_latin1_declared_by_transport() -> None:
    text, warnings = decode_bytes("Größe und Straße".encode("latin-1"), declared="iso-8859-1")
    assert text == "Größe und Straße"
    assert warnings == ("decoded_as_iso-8859-1",)


def test_meta_charset_in_html() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body>Москва</body></html>'
    text, _ = decode_bytes(page.encode("cp1251"), html=True)
    assert "Москва" in text


def test_invalid_utf8_is_decoded_and_flagged() -> None:
    data = TEXT.encode("utf-8") + b" broken \xff\xfe byte"
    text, warnings = decode_bytes(data)
    assert text.startswith("Le ministre a déclaré")
    assert INVALID_UTF8 in warnings


def test_mojibake_repaired_quotes_kept_nfc() -> None:
    mojibake = "The minister said â€œnoâ€\x9d to CafÃ©".encode()
    text, _ = decode_bytes(mojibake)
    assert text == "The minister said “no” to Café"
    decomposed = "Cafe\u0301".encode()
    assert decode_bytes(decomposed)[0] == "Café"


def test_mostly_garbage_is_refused() -> None:
    # mostly valid multi-byte UTF-8, so not a legacy charset, but with a third of it broken
    data = ("✓✓✓".encode() + b"\xff") * 100
    with pytest.raises(UndecodableText):
        decode_bytes(data)


@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_raise_a_coded_error(data: bytes) -> None:
    try:
        text, _ = decode_bytes(data)
    except WirecheckError:
        return
    assert isinstance(text, str)
