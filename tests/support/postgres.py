"""A real PostgreSQL server for the test session, from Debian's ``postgresql`` package.

``initdb`` into a temp folder, ``pg_ctl start`` on a free loopback port (the unix socket in
the same folder, so nothing touches /var/run/postgresql), one fresh database per test, and
``pg_ctl stop`` when the session ends. initdb refuses to run as root, so under root the
server binaries run as Debian's ``postgres`` user, which then owns the temp folder.

Missing binaries fail the tests (they are not skipped): CI installs ``postgresql`` in .ci/run.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

INSTALL_HINT = ("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb, pg_ctl): install "
                "Debian's `postgresql` package (apt-get install postgresql); .ci/run installs it for CI")


def find_binaries() -> Path | None:
    """The newest installed major version's bin folder."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    bindir: Path
    base: Path
    port: int
    as_user: list[str]  # runuser prefix under root, else empty
    _names: ClassVar[itertools.count] = itertools.count(1)

    @property
    def data(self) -> Path:
        return self.base / "data"

    def _run(self, tool: str, *args: str) -> None:
        cmd = [*self.as_user, str(self.bindir / tool), *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            log = (self.base / "server.log")
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}\n{tail}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        # fsync off: the tests kill clients, never the server, so durability across a crash is not under test
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} -c fsync=off -c max_connections=40"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"), "-w", "-t", "60",
                  "-o", opts, "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        name = f"sansho_test_{next(self._names)}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


_server: PostgresServer | None = None


def server(config: pytest.Config) -> PostgresServer:
    """The session's server, started on first use and stopped when the session ends."""
    global _server
    if _server is not None:
        return _server
    bindir = find_binaries()
    if bindir is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    base = Path(tempfile.mkdtemp(prefix="sansho-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(base, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    srv = PostgresServer(bindir, base, _free_port(), as_user)
    try:
        srv.start()
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    config.add_cleanup(srv.stop)
    _server = srv
    return srv


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    return server(request.config)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh empty database on the session's server."""
    return postgres_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty history store on each backend: a SQLite file path (its folder not yet made)
    and a fresh PostgreSQL database URL."""
    if request.param == "sqlite":
        return str(tmp_path / "not-yet" / "history.db")
    return server(request.config).new_database()
