"""The understanding stages' tables: analysis runs, per-question analysis, themes, shortlists.

Kept apart from :class:`veche.store.Store` (intake and duplicates) so neither grows into a god
class; both share one engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from veche.store.schema import Analysis, AnalysisRun, Question, ShortlistItem, Theme
from veche.store.store import Store, _records

ANALYSIS_COLUMNS = [c.name for c in Analysis.__table__.columns]
THEME_COLUMNS = [c.name for c in Theme.__table__.columns]
SHORTLIST_COLUMNS = [c.name for c in ShortlistItem.__table__.columns]
THEME_ASSIGNMENT = ["theme_id", "broad_id", "theme_distance", "is_other"]


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
