"""The store: questions, their private part, duplicate groups, rejects and the raw-access log.

A thin layer over SQLAlchemy Core that both SQLite and PostgreSQL run; every write is a batch in
one transaction, so a killed process leaves whole batches and a rerun finishes the job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DatabaseError, DBAPIError, IntegrityError, InterfaceError

from veche.store.db import (
    StoreError,
    current_revisions,
    describe,
    make_engine,
    migrate,
    relative_hint,
    sqlite_path,
    store_lock,
    store_url,
)
from veche.store.runlock import RunLocks
from veche.store.schema import (
    DupGroup,
    IngestRun,
    OperatorKey,
    Question,
    QuestionPrivate,
    RawAccess,
    Reject,
)

QUESTION_COLUMNS = [c.name for c in Question.__table__.columns if c.name != "id"]
PRIVATE_COLUMNS = ["text_raw", "name", "phone", "email", "meta_raw"]
REJECT_COLUMNS = ["key", "source_file", "source_row", "reason", "excerpt"]
GROUP_COLUMNS = [c.name for c in DupGroup.__table__.columns]


class StoreWriteError(RuntimeError):
    """A write the database refused; the message never carries the rows' values."""


def _first_line(exc: DBAPIError) -> str:
    orig = exc.orig if exc.orig is not None else exc
    lines = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {lines[0] if lines else ''}"


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _records(df: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """DataFrame rows as plain dicts with None for missing values (what DB drivers want)."""
    out = df[list(columns)].astype(object)
    out = out.where(pd.notna(out), None)
    return out.to_dict("records")


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self.run_locks = RunLocks(engine)

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True, must_exist: bool = False) -> Store:
        """Open (and migrate) the store at ``url``, a URL or a SQLite file path. With
        ``must_exist`` (commands that only read) a missing store is refused, not created.
        Raises StoreError, saying what to do, when the store cannot be opened."""
        url = store_url(url)
        where = describe(url)
        path = sqlite_path(url)
        if must_exist and path is not None and not path.exists():
            raise StoreError(
                f"no store at {where}{relative_hint(url)}; `veche ingest FILE --db URL` creates one"
            )
        engine = make_engine(url)
        try:
            if must_exist and not current_revisions(engine):
                raise StoreError(
                    f"{where} holds no veche store yet; `veche ingest FILE --db URL` creates one"
                )
            if upgrade:
                migrate(engine)
        except (DatabaseError, InterfaceError) as exc:  # unreachable server, not a database
            engine.dispose()
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"cannot open the store at {where}: {reason}") from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        self.run_locks.release_all()
        self.engine.dispose()

    def lock(self, name: str) -> AbstractContextManager[None]:
        """A store-wide lock held across processes (see ``veche.store.db``): stages that
        rewrite store-wide tables take one so that two of them never interleave."""
        return store_lock(self.engine, name)

    # -- ingest runs -----------------------------------------------------------------------
    def begin_run(self, files: Sequence[str]) -> int:
        self.mark_interrupted_runs()
        with self.engine.begin() as conn:
            res = conn.execute(
                insert(IngestRun).returning(IngestRun.id),
                {
                    "started_at": _utcnow(),
                    "status": "running",
                    "files": list(files),
                    "n_read": 0,
                    "n_stored": 0,
                    "n_already": 0,
                    "n_rejected": 0,
                },
            )
            run_id = int(res.scalar_one())
        self.run_locks.hold(run_id)
        return run_id

    def finish_run(self, run_id: int, status: str, **counts: int) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    update(IngestRun)
                    .where(IngestRun.id == run_id)
                    .values(status=status, finished_at=_utcnow(), **counts)
                )
        finally:
            self.run_locks.release(run_id)

    def mark_interrupted_runs(self) -> list[int]:
        """Runs left ``running`` by a process that died (kill -9, power cut) become ``interrupted``."""
        with self.engine.connect() as conn:
            running = list(conn.scalars(select(IngestRun.id).where(IngestRun.status == "running")))
        dead = [r for r in running if not self.run_locks.is_alive(r)]
        if dead:
            with self.engine.begin() as conn:
                conn.execute(
                    update(IngestRun)
                    .where(IngestRun.id.in_(dead), IngestRun.status == "running")
                    .values(status="interrupted")
                )
        return dead

    # -- questions -------------------------------------------------------------------------
    def _insert_ignore(self, table: Any) -> Any:
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        return dialect.insert(table).on_conflict_do_nothing(index_elements=["key"])

    def existing_keys(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 900):  # stay under SQLite's bound-parameter limit
                chunk = keys[i : i + 900]
                found.update(conn.scalars(select(Question.key).where(Question.key.in_(chunk))))
        return found

    def write_batch(self, run_id: int, questions: pd.DataFrame, rejects: pd.DataFrame) -> int:
        """Insert a batch of processed questions (and their rejects) in one transaction.

        ``questions`` carries every column of ``questions`` plus the private ones; rows whose
        key is already stored are skipped. Returns how many questions were new.
        """
        try:
            return self._write_batch(run_id, questions, rejects)
        except DBAPIError as exc:
            # the driver's message may quote the row (PostgreSQL: "Failing row contains (...)"):
            # keep only its first line, and drop the original from the traceback
            raise StoreWriteError(
                f"the store refused a batch of {len(questions):,} questions and "
                f"{len(rejects):,} rejects: {_first_line(exc)}"
            ) from None

    def _write_batch(self, run_id: int, questions: pd.DataFrame, rejects: pd.DataFrame) -> int:
        n_new = 0
        with self.engine.begin() as conn:
            if len(questions):
                rows = _records(questions.assign(run_id=run_id), QUESTION_COLUMNS)
                res = conn.execute(
                    self._insert_ignore(Question).returning(Question.id, Question.key), rows
                )
                ids = dict((k, i) for i, k in res.all())
                n_new = len(ids)
                if ids:
                    new = questions[questions["key"].isin(ids)]
                    if "meta_raw" not in new:  # privacy off: nothing was masked
                        new = new.assign(meta_raw=None)
                    private = _records(new, ["key", *PRIVATE_COLUMNS])
                    for row in private:
                        row["question_id"] = ids[row.pop("key")]
                    conn.execute(insert(QuestionPrivate), private)
            if len(rejects):
                conn.execute(
                    self._insert_ignore(Reject),
                    _records(rejects.assign(run_id=run_id), [*REJECT_COLUMNS, "run_id"]),
                )
        return n_new

    def count(self, table: Any = Question) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(table)) or 0)

    def iter_frames(
        self, columns: Sequence[str], *, chunk: int = 50_000, where: Any = None
    ) -> Iterator[pd.DataFrame]:
        """Questions in id order, ``chunk`` rows at a time (keyset pagination: memory stays flat)."""
        cols = [Question.__table__.c[c] for c in dict.fromkeys(["id", *columns])]
        last = 0
        with self.engine.connect() as conn:
            while True:
                stmt = select(*cols).where(Question.id > last)
                if where is not None:
                    stmt = stmt.where(where)
                rows = conn.execute(stmt.order_by(Question.id).limit(chunk)).all()
                if not rows:
                    return
                frame = pd.DataFrame(rows, columns=[c.name for c in cols])
                last = int(frame["id"].iloc[-1])
                yield frame

    def read_questions(self, columns: Sequence[str], **kw: Any) -> pd.DataFrame:
        frames = list(self.iter_frames(columns, **kw))
        if not frames:
            return pd.DataFrame(columns=["id", *columns])
        return pd.concat(frames, ignore_index=True)

    def distinct_texts(self) -> pd.DataFrame:
        """One row per distinct text: ``content_hash``, ``first_id`` (its first question) and
        ``n`` (questions sharing it), in order of first appearance. Counted in the database:
        the content-hash index covers it, no text is read."""
        q = Question.__table__
        first = func.min(q.c.id).label("first_id")
        stmt = (
            select(q.c.content_hash, first, func.count().label("n"))
            .group_by(q.c.content_hash)
            .order_by(first)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return _columns(rows, ["content_hash", "first_id", "n"])

    def read_questions_by_id(self, ids: Sequence[int], columns: Sequence[str]) -> pd.DataFrame:
        """The given question columns (masked text only) for ``ids``, in the order given."""
        q = Question.__table__
        cols = [q.c.id, *[q.c[c] for c in columns if c != "id"]]
        wanted = [int(i) for i in ids]
        rows = []
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 5_000):
                stmt = select(*cols).where(q.c.id.in_(wanted[i : i + 5_000]))
                rows.extend(conn.execute(stmt).all())
        frame = _columns(rows, [c.name for c in cols]).set_index("id")
        return frame.reindex(wanted).rename_axis("id").reset_index()

    def read_private(
        self, ids: Sequence[int], columns: Sequence[str] = PRIVATE_COLUMNS
    ) -> pd.DataFrame:
        """Raw text and contacts for ``ids``. Callers showing these to a person must log it."""
        cols = [QuestionPrivate.__table__.c[c] for c in ["question_id", *columns]]
        frames = []
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 900):
                chunk = [int(x) for x in ids[i : i + 900]]
                rows = conn.execute(
                    select(*cols).where(QuestionPrivate.question_id.in_(chunk))
                ).all()
                frames.append(pd.DataFrame(rows, columns=[c.name for c in cols]))
        if not frames:
            return pd.DataFrame(columns=[c.name for c in cols])
        return pd.concat(frames, ignore_index=True)

    def read_private_all(self, columns: Sequence[str], *, chunk: int = 100_000) -> pd.DataFrame:
        """Every row of the private table (for in-memory counts such as distinct senders)."""
        table = QuestionPrivate.__table__
        cols = [table.c.question_id, *(table.c[c] for c in columns)]
        frames, last = [], 0
        with self.engine.connect() as conn:
            while True:
                rows = conn.execute(
                    select(*cols)
                    .where(table.c.question_id > last)
                    .order_by(table.c.question_id)
                    .limit(chunk)
                ).all()
                if not rows:
                    break
                frames.append(pd.DataFrame(rows, columns=[c.name for c in cols]))
                last = int(frames[-1]["question_id"].iloc[-1])
        if not frames:
            return pd.DataFrame(columns=[c.name for c in cols])
        return pd.concat(frames, ignore_index=True)

    # -- duplicate groups ------------------------------------------------------------------
    def write_groups(self, assignment: pd.DataFrame, groups: pd.DataFrame) -> int:
        """Point questions at their groups and replace the group table.

        ``assignment``: id, group_id, group_similarity — only rows that changed.
        ``groups``: one row per group with the columns of ``dup_groups``.
        """
        with self.engine.begin() as conn:
            if len(assignment):
                params = [
                    {"qid": int(r.id), "gid": int(r.group_id), "sim": float(r.group_similarity)}
                    for r in assignment.itertuples(index=False)
                ]

                conn.execute(
                    update(Question.__table__)
                    .where(Question.__table__.c.id == bindparam("qid"))
                    .values(group_id=bindparam("gid"), group_similarity=bindparam("sim")),
                    params,
                )
            conn.execute(delete(DupGroup))
            if len(groups):
                conn.execute(insert(DupGroup), _records(groups, GROUP_COLUMNS))
        return len(assignment)

    def read_groups(self, where: Any = None) -> pd.DataFrame:
        stmt = select(DupGroup.__table__)
        if where is not None:
            stmt = stmt.where(where)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt.order_by(DupGroup.size.desc(), DupGroup.id)).all()
        return pd.DataFrame(rows, columns=GROUP_COLUMNS)

    # -- rejects and runs ------------------------------------------------------------------
    def read_rejects(self, run_id: int | None = None) -> pd.DataFrame:
        stmt = select(Reject.__table__)
        if run_id is not None:
            stmt = stmt.where(Reject.run_id == run_id)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt.order_by(Reject.id)).all()
        return pd.DataFrame(rows, columns=[c.name for c in Reject.__table__.columns])

    def read_runs(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(IngestRun.__table__).order_by(IngestRun.id)).all()
        return pd.DataFrame(rows, columns=[c.name for c in IngestRun.__table__.columns])

    # -- operators and the raw access log -------------------------------------------------
    def add_operator(self, name: str, role: str, key_hash: str) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(OperatorKey),
                    {"name": name, "role": role, "key_hash": key_hash, "created_at": _utcnow()},
                )
        except IntegrityError as exc:
            raise ValueError(f"operator {name!r} already has a key") from exc

    def count_operators(self) -> int:
        return self.count(OperatorKey)

    def find_operator(self, key_hash: str) -> tuple[str, str] | None:
        """(name, role) of the operator holding the key with this hash, or ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(OperatorKey.name, OperatorKey.role).where(OperatorKey.key_hash == key_hash)
            ).first()
        return (row[0], row[1]) if row else None

    def log_raw_access(
        self, *, actor: str, role: str, action: str, detail: str, n_rows: int
    ) -> None:
        """Append to the raw-access log (the database refuses updates and deletes of it)."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(RawAccess),
                {
                    "at": _utcnow(),
                    "actor": actor,
                    "role": role,
                    "action": action,
                    "detail": detail,
                    "n_rows": n_rows,
                },
            )

    def read_raw_access(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(RawAccess.__table__).order_by(RawAccess.id)).all()
        return pd.DataFrame(rows, columns=[c.name for c in RawAccess.__table__.columns])


def _columns(rows: Sequence[Any], names: Sequence[str]) -> pd.DataFrame:
    """A frame from result rows, built column-wise: pandas inspects every row object when given
    rows, several times slower at hundreds of thousands."""
    if not rows:
        return pd.DataFrame(columns=list(names))
    return pd.DataFrame(dict(zip(names, zip(*rows, strict=True), strict=True)))
