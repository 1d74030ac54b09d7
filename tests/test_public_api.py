"""The public API is what wirecheck.__all__ names. This test fails when it drifts, so that a change
to the API is a deliberate edit here too (as httpx does)."""

from __future__ import annotations

import types

import wirecheck

EXPECTED = {
    "Article", "BinaryInput", "CorruptArchive", "Document", "DocumentKind", "EmptyInput",
    "ExtractionError", "Failure", "FetchBlocked", "FetchDisabled", "FetchDisallowed", "FetchError",
    "FetchHTTPError", "FetchTimeout", "InputError", "InputNotFound", "InputTooLarge",
    "InputUnreadable", "InternalError", "MalformedRecord", "NoArticleText", "NotFound", "Notice",
    "RemovedLine", "RunSummary", "SchemaTooNew", "Settings", "SettingsError", "Store", "StoreError",
    "StoreLocked", "UndecodableText", "UnsupportedFormat", "UsageError", "WirecheckError",
    "__version__", "analyze", "analyze_text", "load_settings", "open_store",
    # who says so, how far to believe it
    "Assessment", "Claim", "ClaimLink", "ClaimSupport", "DateMention", "Event", "Mention", "Signal",
    "Story", "verify_corpus",
}  # fmt: skip


def test_all_is_exactly_the_documented_api() -> None:
    assert set(wirecheck.__all__) == EXPECTED
    assert len(wirecheck.__all__) == len(set(wirecheck.__all__))


def test_every_name_in_all_exists() -> None:
    for name in wirecheck.__all__:
        assert hasattr(wirecheck, name), name


def test_no_public_name_outside_all() -> None:
    public = {
        name
        for name, value in vars(wirecheck).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert public <= set(wirecheck.__all__), public - set(wirecheck.__all__)


def test_error_codes_are_unique_and_stable() -> None:
    classes = [
        value
        for value in vars(wirecheck.errors).values()
        if isinstance(value, type) and issubclass(value, wirecheck.WirecheckError)
    ]
    codes = [c.code for c in classes]
    assert len(classes) > 20
    assert len(codes) == len(set(codes))
    assert wirecheck.NoArticleText.code == "WC301"
    assert wirecheck.MalformedRecord.code == "WC108"
