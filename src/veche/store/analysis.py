"""The understanding stages' tables: analysis runs, per-question analysis, themes, shortlists.

Kept apart from :class:`veche.store.Store` (intake and duplicates) so neither grows into a god
class; both share one engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import (
    Integer,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from veche.store.schema import Analysis, AnalysisRun, Question, ShortlistItem, Theme
from veche.store.store import Store, _columns, _records

ANALYSIS_COLUMNS = [c.name for c in Analysis.__table__.columns]
THEME_COLUMNS = [c.name for c in Theme.__table__.columns]
SHORTLIST_COLUMNS = [c.name for c in ShortlistItem.__table__.columns]
THEME_ASSIGNMENT = ["theme_id", "broad_id", "theme_distance", "is_other"]
TOPIC_COLUMNS = ["topic", "topic_score", "topics", "route", "route_score", "routes"]


class AnalysisStore:
    def __init__(self, store: Store):
        self.store = store
        self.engine = store.engine

    # -- runs ------------------------------------------------------------------------------
    def begin_run(self, encoder: str) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(
                insert(AnalysisRun).returning(AnalysisRun.id),
                {
                    "started_at": datetime.now(UTC),
                    "status": "running",
                    "encoder": encoder,
                    "n_new": 0,
                    "n_total": 0,
                    "themes_rebuilt": False,
                },
            )
            return int(res.scalar_one())

    def finish_run(self, run_id: int, status: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(AnalysisRun)
                .where(AnalysisRun.id == run_id)
                .values(status=status, finished_at=datetime.now(UTC), **values)
            )

    def read_runs(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(AnalysisRun.__table__).order_by(AnalysisRun.id)).all()
        return pd.DataFrame(rows, columns=[c.name for c in AnalysisRun.__table__.columns])

    # -- per-question analysis -------------------------------------------------------------
    def count_analysed(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(Analysis)) or 0)

    def iter_unanalysed(
        self, columns: Sequence[str], *, chunk: int = 20_000
    ) -> Iterator[pd.DataFrame]:
        """Questions with no analysis row yet, in id order (what a rerun still has to do)."""
        done = select(Analysis.question_id).where(Analysis.question_id == Question.id)
        return self.store.iter_frames(columns, chunk=chunk, where=~done.exists())

    def write_analysis(self, run_id: int, frame: pd.DataFrame) -> int:
        """Insert analysis rows (``question_id`` + analysis columns) in one transaction; rows
        already analysed are left alone, so an interrupted run can simply be rerun."""
        if not len(frame):
            return 0
        dialect = postgresql if self.store.dialect == "postgresql" else sqlite
        stmt = dialect.insert(Analysis).on_conflict_do_nothing(index_elements=["question_id"])
        cols = [c for c in ANALYSIS_COLUMNS if c in frame.columns or c == "run_id"]
        with self.engine.begin() as conn:
            conn.execute(stmt, _records(frame.assign(run_id=run_id), cols))
        return len(frame)

    def update_themes(self, assignment: pd.DataFrame) -> None:
        """Re-point questions at themes (after themes were rediscovered): question_id + THEME_ASSIGNMENT."""
        params = [
            {
                "qid": int(r.question_id),
                "t": None if pd.isna(r.theme_id) else int(r.theme_id),
                "b": None if pd.isna(r.broad_id) else int(r.broad_id),
                "d": float(r.theme_distance),
                "o": bool(r.is_other),
            }
            for r in assignment.itertuples(index=False)
        ]
        table = Analysis.__table__
        stmt = (
            update(table)
            .where(table.c.question_id == bindparam("qid"))
            .values(
                theme_id=bindparam("t"),
                broad_id=bindparam("b"),
                theme_distance=bindparam("d"),
                is_other=bindparam("o"),
            )
        )
        with self.engine.begin() as conn:
            for i in range(0, len(params), 20_000):
                conn.execute(stmt, params[i : i + 20_000])

    def read_analysis(
        self, question_columns: Sequence[str] = (), analysis_columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Analysis rows joined with the given question columns (masked text only)."""
        a = Analysis.__table__
        q = Question.__table__
        acols = [a.c[c] for c in (analysis_columns or ANALYSIS_COLUMNS)]
        qcols = [q.c[c] for c in question_columns if c != "id"]
        stmt = select(*acols, *qcols).join(q, q.c.id == a.c.question_id).order_by(a.c.question_id)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return pd.DataFrame(rows, columns=[c.name for c in [*acols, *qcols]])

    def iter_analysed(
        self,
        question_columns: Sequence[str],
        analysis_columns: Sequence[str],
        *,
        chunk: int = 20_000,
        before_run: int | None = None,
    ) -> Iterator[pd.DataFrame]:
        """Analysed questions in id order, ``chunk`` at a time: ``id``, the question columns and
        the analysis columns (keyset pagination: memory stays flat). ``before_run``: only
        those analysed by an earlier run."""
        a, q = Analysis.__table__, Question.__table__
        qcols = [q.c.id, *(q.c[c] for c in question_columns if c != "id")]
        acols = [a.c[c] for c in analysis_columns if c != "question_id"]
        last = 0
        with self.engine.connect() as conn:
            while True:
                stmt = (
                    select(*qcols, *acols)
                    .join(a, a.c.question_id == q.c.id)
                    .where(q.c.id > last)
                    .order_by(q.c.id)
                    .limit(chunk)
                )
                if before_run is not None:
                    stmt = stmt.where(a.c.run_id < before_run)
                rows = conn.execute(stmt).all()
                if not rows:
                    return
                frame = pd.DataFrame(rows, columns=[c.name for c in [*qcols, *acols]])
                last = int(frame["id"].iloc[-1])
                yield frame

    def update_topics(self, frame: pd.DataFrame) -> None:
        """New taxonomy topics and responsible bodies for analysed questions (after `veche
        train`): ``question_id`` + those of ``TOPIC_COLUMNS`` it has (a deployment may run
        the taxonomy stage without routing)."""
        table = Analysis.__table__
        columns = [c for c in TOPIC_COLUMNS if c in frame.columns]
        stmt = (
            update(table)
            .where(table.c.question_id == bindparam("qid"))
            .values(**{c: bindparam(f"v_{c}", type_=table.c[c].type) for c in columns})
        )
        # None for missing values: a NaN would reach PostgreSQL's varchar as the text 'NaN'
        params = [
            {"qid": int(r["question_id"]), **{f"v_{c}": r[c] for c in columns}}
            for r in _records(frame, ["question_id", *columns])
        ]
        with self.engine.begin() as conn:
            for i in range(0, len(params), 20_000):
                conn.execute(stmt, params[i : i + 20_000])

    def read_analysis_between(
        self, first_id: int, last_id: int, columns: Sequence[str]
    ) -> pd.DataFrame:
        """``question_id`` and the analysis ``columns`` of questions ``first_id..last_id``: one
        chunk of an export at a time (the primary key covers the range)."""
        a = Analysis.__table__
        cols = [a.c.question_id, *(a.c[c] for c in columns if c != "question_id")]
        stmt = select(*cols).where(a.c.question_id.between(first_id, last_id))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return pd.DataFrame(rows, columns=[c.name for c in cols])

    # -- aggregates for publishing (bounded memory at millions of rows) ---------------------
    def summary(self) -> dict[str, int]:
        """How many questions are analysed, flagged "other", urgent."""
        a = Analysis.__table__
        stmt = select(
            func.count(),
            func.coalesce(func.sum(cast(a.c.is_other, Integer)), 0),
            func.coalesce(func.sum(cast(a.c.urgent, Integer)), 0),
        )
        with self.engine.connect() as conn:
            n, other, urgent = conn.execute(stmt).one()
        return {"n": int(n), "n_other": int(other), "n_urgent": int(urgent)}

    def count_by(self, columns: Sequence[str]) -> pd.DataFrame:
        """Analysed questions per distinct value of the analysis ``columns``: columns + ``n``."""
        a = Analysis.__table__
        # ``+ 0`` keeps SQLite from walking an integer column's index and fetching every row at
        # random: one table scan instead, ~4x faster at a million rows
        cols = [
            (a.c[c] + literal_column("0")).label(c) if isinstance(a.c[c].type, Integer) else a.c[c]
            for c in columns
        ]
        stmt = select(*cols, func.count().label("n")).group_by(*cols)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return pd.DataFrame(rows, columns=[*columns, "n"])

    def first_analysed(self, hashes: Sequence[str]) -> pd.Series:
        """The first analysed question (smallest id) of each content hash that has one."""
        a, q = Analysis.__table__, Question.__table__
        found = {}
        with self.engine.connect() as conn:
            for i in range(0, len(hashes), 5_000):
                stmt = (
                    select(q.c.content_hash, func.min(a.c.question_id))
                    .join(q, q.c.id == a.c.question_id)
                    .where(q.c.content_hash.in_(list(hashes[i : i + 5_000])))
                    .group_by(q.c.content_hash)
                )
                found.update({h: int(i) for h, i in conn.execute(stmt).all()})
        return pd.Series(found, dtype="int64")

    def read_group_heads(self, *, chunk: int = 200_000) -> pd.DataFrame:
        """One row per duplicate group of analysed questions (a question without a group is its
        own): its first question's id and analysis, and ``asked`` (how many were analysed).
        Compact columns only, streamed: ~40 bytes a group."""
        a, q = Analysis.__table__, Question.__table__
        grp = func.coalesce(q.c.group_id, -a.c.question_id)
        heads = (
            select(func.min(a.c.question_id).label("head"), func.count().label("asked"))
            .join(q, q.c.id == a.c.question_id)
            .group_by(grp)
            .subquery()
        )
        cols = [
            "question_id", "asked", "theme_id", "broad_id", "theme_distance", "region_code", "lang",
        ]  # fmt: skip
        stmt = (
            select(
                heads.c.head,
                heads.c.asked,
                a.c.theme_id,
                a.c.broad_id,
                a.c.theme_distance,
                a.c.region_code,
                q.c.lang,  # a shortlist prefers its theme's language (shortlist.select)
            )
            .join(a, a.c.question_id == heads.c.head)
            .join(q, q.c.id == heads.c.head)
            .order_by(heads.c.head)
        )
        frames = []
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(stmt)
            for rows in result.partitions(chunk):
                f = _columns(rows, cols)
                f["region_code"] = f["region_code"].astype("category")
                f["lang"] = f["lang"].astype("category")
                frames.append(f)
        if not frames:
            return pd.DataFrame(columns=cols)
        out = pd.concat(frames, ignore_index=True)
        out["region_code"] = out["region_code"].astype(object).astype("category")
        out["lang"] = out["lang"].astype(object).astype("category")
        return out

    # -- themes and shortlists -------------------------------------------------------------
    def write_themes(self, themes: pd.DataFrame, run_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(Theme))
            if len(themes):
                conn.execute(insert(Theme), _records(themes.assign(run_id=run_id), THEME_COLUMNS))

    def read_themes(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(select(Theme.__table__).order_by(Theme.level, Theme.id)).all()
        return pd.DataFrame(rows, columns=THEME_COLUMNS)

    def write_shortlists(self, items: pd.DataFrame, run_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(ShortlistItem))
            if len(items):
                conn.execute(
                    insert(ShortlistItem),
                    _records(items.assign(run_id=run_id), SHORTLIST_COLUMNS),
                )

    def read_shortlists(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(ShortlistItem.__table__).order_by(ShortlistItem.theme_id, ShortlistItem.rank)
            ).all()
        return pd.DataFrame(rows, columns=SHORTLIST_COLUMNS)
