"""The picture of the day as one JSON object (UTF-8, not ASCII-escaped).

Keys (stable; new keys may be added, none renamed or removed without bumping ``schema``)::

    schema        "veche.report/1"
    day           "YYYY-MM-DD", or null for "everything so far"
    generated_at  ISO 8601 date-time with offset
    n_questions   int: questions in the store
    n_day         int: received on ``day``
    n_urgent      int: urgent questions received on ``day`` (duplicates counted)
    n_urgent_groups  int: the lines of the urgent queue (one per duplicate group)
    themes, regions, daily, topics, urgent, campaigns, shortlists
                  lists of records, one object per row, with exactly the columns of
                  :data:`veche.report.picture.COLUMNS` (see that module for their meaning)
    notes         list of strings

Values: dates "YYYY-MM-DD", date-times ISO 8601 (with their offset when they have one),
missing values and NaN ``null``, list columns (``terms``, ``kinds``) JSON arrays.
:func:`read_json` reads such a file back into a :class:`DayPicture`.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from veche.report.picture import (
    DATE_COLUMNS,
    DATETIME_COLUMNS,
    TABLES,
    DayPicture,
    conform,
)

SCHEMA = "veche.report/1"


def _value(v: Any) -> Any:
    if isinstance(v, list | tuple | np.ndarray):
        return [_value(x) for x in v]
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, datetime):  # before date: a datetime is a date
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str | int | float | bool):
        return v
    if pd.isna(v):
        return None
    return str(v)


def to_dict(picture: DayPicture) -> dict[str, Any]:
    """The JSON object as Python data (what :func:`write_json` writes)."""
    p = conform(picture)
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "day": _value(p.day),
        "generated_at": _value(p.generated_at),
        "n_questions": int(p.n_questions),
        "n_day": int(p.n_day),
        "n_urgent": p.urgent_counts[0],
        "n_urgent_groups": p.urgent_counts[1],
    }
    for name, df in p.tables().items():
        cols = list(df.columns)
        out[name] = [
            {c: _value(v) for c, v in zip(cols, row, strict=True)}
            for row in df.itertuples(index=False, name=None)
        ]
    out["notes"] = [str(n) for n in p.notes]
    return out


def write_json(picture: DayPicture, path: str | Path) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8") as fh:
        json.dump(to_dict(picture), fh, ensure_ascii=False, allow_nan=False)
    return path


def read_json(path: str | Path) -> DayPicture:
    """A picture back from a file :func:`write_json` wrote (dates and times parsed)."""
    obj = json.loads(Path(path).read_text(encoding="utf-8"))
    tables = {}
    for name in TABLES:
        df = pd.DataFrame.from_records(obj.get(name) or [])
        for col in DATE_COLUMNS.get(name, ()):
            if col in df:
                df[col] = df[col].map(lambda s: date.fromisoformat(s) if s else None)
        for col in DATETIME_COLUMNS.get(name, ()):
            if col in df:
                df[col] = df[col].map(lambda s: datetime.fromisoformat(s) if s else None)
        tables[name] = df
    return conform(
        DayPicture(
            day=date.fromisoformat(obj["day"]) if obj.get("day") else None,
            generated_at=datetime.fromisoformat(obj["generated_at"]),
            n_questions=int(obj["n_questions"]),
            n_day=int(obj["n_day"]),
            n_urgent=obj.get("n_urgent"),
            n_urgent_groups=obj.get("n_urgent_groups"),
            notes=list(obj.get("notes") or []),
            **tables,
        )
    )
