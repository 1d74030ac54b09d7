"""The `wirecheck` command line. The only place where a WirecheckError becomes an exit code.

Exit codes: 0 all good; 1 some inputs failed (the rest went in; see `wirecheck failures`);
2 usage or settings error; 3 the run could not proceed (store or internal error).
"""

from __future__ import annotations

import sys

# Importing the command modules registers their commands on the app.
from wirecheck.cli import browse, run, serve, train, verify  # noqa: F401
from wirecheck.cli._app import EXIT_FATAL, EXIT_USAGE, app, err
from wirecheck.errors import SettingsError, UsageError, WirecheckError

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except (UsageError, SettingsError) as exc:
        err.print(f"error: {exc}", highlight=False, markup=False)
        sys.exit(EXIT_USAGE)
    except WirecheckError as exc:
        err.print(f"error: {exc}", highlight=False, markup=False)
        sys.exit(EXIT_FATAL)
