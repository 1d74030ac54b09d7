"""One exception tree for wirecheck.

Every error has a stable ``code`` (never renumbered: users grep logs and failure tables for it) and
an actionable message that says what to do next. Only the CLI turns these into exit codes.
"""

from __future__ import annotations


class WirecheckError(Exception):
    """Base of every error wirecheck raises on purpose."""

    code: str = "WC000"
    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        text = f"[{self.code}] {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class UsageError(WirecheckError):
    """The command line or API was called wrongly."""

    code = "WC001"


class SettingsError(WirecheckError):
    """A settings file or environment variable has a bad value."""

    code = "WC002"
    hint = "check the settings file and WIRECHECK_* variables against `wirecheck config`"


class InputError(WirecheckError):
    """An input could not be turned into a document. Subclasses say why."""

    code = "WC100"


class InputNotFound(InputError):
    code = "WC101"
    hint = "check the path exists"


class InputUnreadable(InputError):
    code = "WC102"
    hint = "check the file's permissions"


class InputTooLarge(InputError):
    code = "WC103"
    hint = "raise ingest.max_bytes (WIRECHECK_INGEST__MAX_BYTES) if the input is genuine"


class EmptyInput(InputError):
    code = "WC104"
    hint = "the input has no content; remove it or re-fetch it"


class BinaryInput(InputError):
    code = "WC105"
    hint = "wirecheck reads text, HTML, JSON(L), WARC and feeds; convert other formats first"


class UndecodableText(InputError):
    code = "WC106"
    hint = "save the file as UTF-8"


class CorruptArchive(InputError):
    code = "WC107"
    hint = "the archive is truncated or damaged; re-download or re-compress it"


class MalformedRecord(InputError):
    code = "WC108"
    hint = "fix or drop the named line/record; the others were ingested"


class UnsupportedFormat(InputError):
    code = "WC109"
    hint = "wirecheck reads text, HTML, JSON(L), WARC and RSS/Atom feeds"


class FetchError(InputError):
    """A URL could not be fetched."""

    code = "WC200"


class FetchTimeout(FetchError):
    code = "WC201"
    hint = "the server did not answer in time; retry later or raise fetch.read_timeout"


class FetchBlocked(FetchError):
    code = "WC202"
    hint = "private, loopback and link-local addresses are refused unless fetch.allow_private is on"


class FetchDisallowed(FetchError):
    code = "WC203"
    hint = "the site's robots.txt disallows this URL for wirecheck"


class FetchHTTPError(FetchError):
    code = "WC204"
    hint = "the server answered with an error status"


class FetchDisabled(FetchError):
    code = "WC205"
    hint = "fetching is off; enable it with --fetch or fetch.enabled = true"


class ExtractionError(WirecheckError):
    """A document was read but no article could be extracted from it."""

    code = "WC300"


class NoArticleText(ExtractionError):
    code = "WC301"
    hint = "the page holds only navigation, widgets or boilerplate"


class StoreError(WirecheckError):
    """The store could not be opened, migrated, read or written."""

    code = "WC400"


class StoreLocked(StoreError):
    code = "WC401"
    hint = "another wirecheck process holds the database; wait for it or use another --db"


class SchemaTooNew(StoreError):
    code = "WC402"
    hint = "the database was written by a newer wirecheck; upgrade wirecheck"


class NotFound(StoreError):
    code = "WC404"
    hint = "list ids with `wirecheck articles`"


class InternalError(WirecheckError):
    """A bug in wirecheck met while processing one input; the input is logged and the run goes on."""

    code = "WC900"
    hint = "please report it with the input that triggered it"
