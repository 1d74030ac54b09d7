"""A throwaway PostgreSQL server for tests.

:func:`start_server` runs ``initdb`` and ``pg_ctl`` in a fresh temporary directory, listening on a
free loopback port with its unix socket inside that directory (so it never clashes with a system
server). PostgreSQL refuses to run as root, so under root the commands run as the ``postgres``
user (``runuser -u postgres --``) on a directory that user owns. Durability is switched off
(fsync, synchronous commit): the data is thrown away anyway. Each test gets its own database from
:meth:`PgServer.new_database`.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SEARCH_DIRS = ("/usr/local/bin", "/usr/lib/postgresql/15/bin")
USER = "wirecheck"


def find_tool(name: str) -> str | None:
    """``initdb``/``pg_ctl`` from PATH, /usr/local/bin or PostgreSQL 15's own directory."""
    for directory in SEARCH_DIRS:
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class PgServer:
    base: Path
    port: int
    pg_ctl: str
    as_user: list[str]
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.base / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, self.pg_ctl, "-D", str(self.data), "-l", str(self.base / "log"),
             "-w", "-t", "60", *args],
            check=True,
            capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def running(self) -> bool:
        status = subprocess.run(
            [*self.as_user, self.pg_ctl, "-D", str(self.data), "status"], capture_output=True
        )
        return status.returncode == 0

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def restart(self) -> None:
        """Restart the server, cutting every open connection (``fast`` shutdown)."""
        self._ctl("-m", "fast", "restart")

    def new_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def log(self) -> str:
        path = self.base / "log"
        return path.read_text(errors="replace") if path.exists() else ""


def start_server() -> PgServer:
    """Create and start a server; the caller must :func:`stop_server` it."""
    initdb, pg_ctl = find_tool("initdb"), find_tool("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise FileNotFoundError("initdb/pg_ctl not found in " + ", ".join(SEARCH_DIRS) + " or PATH")
    base = Path(tempfile.mkdtemp(prefix="wirecheck-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*as_user, initdb, "-D", str(base / "data"), "-U", USER, "--auth=trust", "-E", "UTF8",
         "--locale=C", "--no-sync"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    settings = {
        "port": str(port),
        "listen_addresses": "'127.0.0.1'",
        "unix_socket_directories": f"'{base}'",
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "50",
    }
    with (base / "data" / "postgresql.conf").open("a") as conf:
        conf.write("".join(f"{k} = {v}\n" for k, v in settings.items()))
    server = PgServer(base, port, pg_ctl, as_user)
    try:
        server.start()
    except subprocess.CalledProcessError as exc:
        log = server.log()
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r}\n{log}") from exc
    return server


def stop_server(server: PgServer) -> None:
    with contextlib.suppress(subprocess.CalledProcessError):
        server.stop("immediate")
    shutil.rmtree(server.base, ignore_errors=True)
