"""The batch that flows through `analyze`'s per-question stages: its one schema, here.

A batch is a table of stored questions (``QUESTION_COLUMNS``, read from the store) to which
each stage adds its own columns (``ADDS``); beside the table ride the questions' vectors (one
per question: its distinct text's) and, once the taxonomy stage has run, the topic
probabilities that routing reads. ``check`` validates a stage's output against the schema; the
analysis table stores what the stages added (``analysis_rows``).

    stage       adds
    themes      theme_id, broad_id, theme_distance, is_other
    geo         region_code, region_source, city, district
    taxonomy    topic, topic_score, topics          (+ topic_proba beside the table)
    routing     route, route_score, routes
    urgency     urgent, urgency_kinds, urgency_score, urgency_evidence
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # numpy dtype kinds the column may have: "i" int, "f" float, "b" bool, "O" objects
    doc: str


# what the store gives the stages, per question (``id`` is the question's id)
QUESTION_COLUMNS = [
    "text", "lemmas", "lang", "region", "content_hash", "group_id", "channel", "meta",
    "created_at",
]  # fmt: skip

ADDS: dict[str, tuple[Column, ...]] = {
    "themes": (
        Column("theme_id", "i", "the specific issue (fine theme) id"),
        Column("broad_id", "i", "the broad theme id"),
        Column("theme_distance", "f", "cosine distance to the issue's centre"),
        Column("is_other", "b", "too far from every issue: shown as 'other'"),
    ),
    "geo": (
        Column("region_code", "O", "ISO 3166-2 code, or None"),
        Column("region_source", "O", "text | meta | None: where the region came from"),
        Column("city", "O", "city named in the text, or None"),
        Column("district", "O", "city district, or None"),
    ),
    "taxonomy": (
        Column("topic", "O", "the top taxonomy topic id"),
        Column("topic_score", "f", "its probability"),
        Column("topics", "O", "[(id, probability)] above the threshold, best first"),
    ),
    "routing": (
        Column("route", "O", "the responsible body"),
        Column("route_score", "f", "its score"),
        Column("routes", "O", "[(body, score)] best first"),
    ),
    "urgency": (
        Column("urgent", "b", "needs attention today"),
        Column("urgency_kinds", "O", "the kinds of urgency, comma-joined (life, utilities, ...)"),
        Column("urgency_score", "f", "0..1"),
        Column("urgency_evidence", "O", "the words that made it urgent"),
    ),
}


class SchemaError(ValueError):
    pass


@dataclass(frozen=True)
class Batch:
    """Questions (``id`` + ``QUESTION_COLUMNS`` + what stages added), their vectors, and the
    taxonomy's probabilities over ``topic_ids`` once that stage ran."""

    questions: pd.DataFrame
    vectors: np.ndarray
    topic_proba: np.ndarray | None = None
    topic_ids: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.questions)

    def with_columns(self, **columns: Any) -> Batch:
        return replace(self, questions=self.questions.assign(**columns))


def check(batch: Batch, stage: str) -> None:
    """Raise :class:`SchemaError` when ``stage`` (a registered one) did not add its columns with
    their kinds, or changed the number of rows."""
    frame = batch.questions
    for col in ADDS.get(stage, ()):
        if col.name not in frame.columns:
            raise SchemaError(f"stage {stage!r} did not add column {col.name!r}")
        kind = frame[col.name].dtype.kind
        if kind not in col.kind and not (col.kind in "if" and kind in "if"):
            raise SchemaError(
                f"stage {stage!r}: column {col.name!r} has dtype {frame[col.name].dtype}, "
                f"expected kind {col.kind!r}"
            )
    if len(batch.vectors) != len(frame):
        raise SchemaError(
            f"stage {stage!r}: {len(frame)} questions but {len(batch.vectors)} vectors"
        )


def analysis_rows(batch: Batch) -> pd.DataFrame:
    """``question_id`` and every column a stage added: the rows of the ``analysis`` table."""
    added = [c.name for cols in ADDS.values() for c in cols if c.name in batch.questions.columns]
    rows = batch.questions[added].copy()
    rows.insert(0, "question_id", batch.questions["id"].to_numpy())
    return rows
