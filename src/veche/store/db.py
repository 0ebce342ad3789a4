"""Engine creation, schema migrations (Alembic, run on open) and the store-wide locks.

Several processes may share one store (two ingests, an ingest beside an analyze, later the web
worker). What each store does then:

* Migrations run under a store-wide lock, so the first process to open a new or older store
  migrates it and the others wait, then find it current. PostgreSQL: a session advisory lock;
  SQLite: ``flock`` on a lock file beside the database (``veche.sqlite-migrate.lock``).
* Writes are short batches, one transaction each. PostgreSQL runs them side by side; SQLite (WAL)
  lets readers go on during a write and makes the next writer wait its turn (busy timeout
  ``SQLITE_BUSY_TIMEOUT_S``), so concurrent ingests each store their rows; a row both of them
  read is stored once (the idempotency key), the other counts it as already stored.
* Stages that rewrite store-wide tables (duplicate grouping, analyze) take a named store lock
  (``store_lock``): a second one waits for the first and then works on what is new. Each
  ingest ends with a grouping, so the last grouping to run sees every ingest.
* An analyze beside an ingest analyses the questions stored when it read its corpus; those
  stored later wait for the next analyze.
* The web worker, when it comes, is one more such process and follows the same rules.

On PostgreSQL, ``sql/roles.sql`` (``ROLES_SQL``) keeps the private tables from analysts'
connections: ingest and duplicate grouping (which counts distinct senders) need the
operator's role, analyze, report, stats and masked exports run as an analyst.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from veche.owner_only import owner_only_file

MIGRATIONS = Path(__file__).with_name("migrations")
# PostgreSQL roles and grants: the private tables belong to a role analysts do not have
ROLES_SQL = Path(__file__).with_name("sql") / "roles.sql"
# how long a SQLite writer waits for another process's transaction before giving up
SQLITE_BUSY_TIMEOUT_S = 120.0


URL_HELP = (
    "give a SQLite file (data/veche.sqlite) or a URL: sqlite:////absolute/path/veche.sqlite, "
    "postgresql+psycopg://user:password@host/dbname"
)


class StoreError(Exception):
    """A store that cannot be opened as asked; the message says what to do."""


def store_url(value: str) -> str:
    """The store URL for ``value``: a URL as it is, a plain file path as a SQLite URL. Raises
    ValueError, saying what to write, for anything else."""
    if "://" not in value:
        if not value.strip():
            raise ValueError(f"no store given: {URL_HELP}")
        return f"sqlite:///{Path(value).expanduser()}"
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise ValueError(f"cannot read the store URL {value!r}: {URL_HELP}") from exc
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(
            f"veche stores in SQLite or PostgreSQL, not {url.get_backend_name()!r}: {URL_HELP}"
        )
    return value


def describe(url: str) -> str:
    """Where the store is, for people: the absolute file of a SQLite store, else the URL
    without its password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path.resolve())
    return make_url(url).render_as_string(hide_password=True)


def relative_hint(url: str) -> str:
    """A note for a SQLite URL whose path is relative (``sqlite:///tmp/x`` is ./tmp/x)."""
    path = sqlite_path(url)
    if path is None or path.is_absolute():
        return ""
    return (
        f" ({url} is relative to the current folder; for /{path} write sqlite:////{path} "
        "with four slashes)"
    )


def sqlite_path(engine_or_url: Engine | str) -> Path | None:
    """The database file of a SQLite store (None for PostgreSQL and in-memory SQLite)."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            _create_private_sqlite_file(path)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            # WAL + NORMAL: a killed ingest loses at most the open batch, never the file
            _wal(cur)
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    # hide_parameters: a database error must never print a row's name, phone or text
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _wal(cur: Any) -> None:
    """Switch a SQLite database to WAL once. The switch needs the whole file to itself and
    SQLite does not wait for that (no busy timeout): when processes open a new store at once,
    the others retry until the first one has switched it."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _create_private_sqlite_file(path: Path) -> None:
    """Create the store (and a missing folder) readable by its owner only, or tighten an
    existing one we own: it holds raw personal data. SQLite gives the -wal and -shm files it
    creates the database file's mode."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
            if name == path.name or path.with_name(name).exists():
                owner_only_file(path.with_name(name))
    except OSError as exc:
        raise StoreError(f"cannot create the store {path}: {exc.strerror}") from exc


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent; safe with several processes at once)."""
    cfg = alembic_config()
    if revision == "head" and _current(engine) == ScriptDirectory.from_config(cfg).get_heads():
        return  # the usual case: no lock needed
    with store_lock(engine, "migrate"), engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revisions(engine: Engine) -> list[str]:
    """The schema revisions the store is at (empty: no veche store there yet)."""
    return _current(engine)


def _current(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(MigrationContext.configure(conn).get_current_heads())


@contextmanager
def store_lock(engine: Engine, name: str) -> Iterator[None]:
    """Hold the store-wide lock ``name`` until the block ends; waits while another process
    holds it. Released by the operating system or the server if the process dies."""
    path = sqlite_path(engine)
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(f"veche:{name}".encode())
        with engine.connect() as conn:
            conn.execute(select(func.pg_advisory_lock(key)))
            conn.commit()
            try:
                yield
            finally:
                conn.execute(select(func.pg_advisory_unlock(key)))
                conn.commit()
    elif path is not None:
        lock = path.with_name(f"{path.name}-{name}.lock")
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock
    else:  # in-memory SQLite: one process by definition
        yield
