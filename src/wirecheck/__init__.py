"""wirecheck: read news like a careful analyst.

The public API is what ``__all__`` names; everything else may change between versions.
"""

from __future__ import annotations

from wirecheck.errors import (
    BinaryInput,
    CorruptArchive,
    EmptyInput,
    ExtractionError,
    FetchBlocked,
    FetchDisabled,
    FetchDisallowed,
    FetchError,
    FetchHTTPError,
    FetchTimeout,
    InputError,
    InputNotFound,
    InputTooLarge,
    InputUnreadable,
    InternalError,
    MalformedRecord,
    NoArticleText,
    NotFound,
    SchemaTooNew,
    SettingsError,
    StoreError,
    StoreLocked,
    UndecodableText,
    UnsupportedFormat,
    UsageError,
    WirecheckError,
)
from wirecheck.models import Article, Document, DocumentKind, Failure, Notice, RemovedLine
from wirecheck.pipeline import RunSummary, analyze, analyze_text
from wirecheck.settings import Settings, load_settings
from wirecheck.store import Store, open_store

__version__ = "0.1.0"

__all__ = [
    "Article",
    "BinaryInput",
    "CorruptArchive",
    "Document",
    "DocumentKind",
    "EmptyInput",
    "ExtractionError",
    "Failure",
    "FetchBlocked",
    "FetchDisabled",
    "FetchDisallowed",
    "FetchError",
    "FetchHTTPError",
    "FetchTimeout",
    "InputError",
    "InputNotFound",
    "InputTooLarge",
    "InputUnreadable",
    "InternalError",
    "MalformedRecord",
    "NoArticleText",
    "NotFound",
    "Notice",
    "RemovedLine",
    "RunSummary",
    "SchemaTooNew",
    "Settings",
    "SettingsError",
    "Store",
    "StoreError",
    "StoreLocked",
    "UndecodableText",
    "UnsupportedFormat",
    "UsageError",
    "WirecheckError",
    "__version__",
    "analyze",
    "analyze_text",
    "load_settings",
    "open_store",
]
