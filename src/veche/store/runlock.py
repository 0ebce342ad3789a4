"""Tell a running ingest from one whose process was killed.

A run holds a lock for as long as its process lives: a PostgreSQL advisory lock on its own
connection, or an ``flock`` on a small file beside the SQLite database. The operating system or
the server frees the lock when the process dies, however it dies (``kill -9`` included), so the
next ingest can mark a ``running`` run whose lock it can take as ``interrupted``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from veche.owner_only import owner_only_file

# the first key of PostgreSQL's two-key advisory locks: "veche ingest run"
PG_LOCK_SPACE = 0x7665_6368


class RunLocks:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self._held: dict[int, Any] = {}

    def hold(self, run_id: int) -> None:
        # never wait: a lock someone else holds on this id (a store emptied and refilled, run
        # ids counting from 1 again) only means this run cannot be told alive from outside
        if self.dialect == "postgresql":
            conn = self.engine.connect()
            got = conn.scalar(
                text("select pg_try_advisory_lock(:s, :r)"), {"s": PG_LOCK_SPACE, "r": run_id}
            )
            conn.commit()
            if got:
                self._held[run_id] = conn
            else:
                conn.close()
            return
        path = self._file(run_id)
        if path is None:
            return
        fh = owner_only_file(path).open("w")  # beside a store of personal data: 0600 too
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            return
        self._held[run_id] = fh

    def release(self, run_id: int) -> None:
        held = self._held.pop(run_id, None)
        if held is None:
            return
        if self.dialect == "postgresql":
            with contextlib.suppress(Exception):
                held.execute(
                    text("select pg_advisory_unlock(:s, :r)"), {"s": PG_LOCK_SPACE, "r": run_id}
                )
            held.close()
            return
        path = self._file(run_id)
        if path is not None:
            path.unlink(missing_ok=True)
        held.close()

    def release_all(self) -> None:
        for run_id in list(self._held):
            self.release(run_id)

    def is_alive(self, run_id: int) -> bool:
        """Does a living process still hold this run?"""
        if run_id in self._held:
            return True
        if self.dialect == "postgresql":
            with self.engine.connect() as conn:
                free = conn.scalar(
                    text("select pg_try_advisory_lock(:s, :r)"), {"s": PG_LOCK_SPACE, "r": run_id}
                )
                if free:
                    conn.execute(
                        text("select pg_advisory_unlock(:s, :r)"),
                        {"s": PG_LOCK_SPACE, "r": run_id},
                    )
                conn.commit()
            return not free
        path = self._file(run_id)
        if path is None or not path.exists():
            return False
        with path.open("a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(fh, fcntl.LOCK_UN)
        path.unlink(missing_ok=True)
        return False

    def _file(self, run_id: int) -> Path | None:
        db = self.engine.url.database
        if not db or db == ":memory:" or db.startswith("file:"):
            return None  # an in-memory store lives only as long as its one process
        return Path(os.path.abspath(db)).with_name(f"{Path(db).name}.run{run_id}.lock")
