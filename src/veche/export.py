"""Export stored questions with their metadata, language, duplicate group and campaign flag,
and, once ``veche analyze`` has run, what it found: themes, taxonomy topics, responsible body,
region, urgency (empty for questions not analysed yet).

Masked text and masked extra columns (``meta``) by default; raw text, contacts and the raw extra
columns (``meta_raw``) only for roles allowed to see them, and every such export is written to the
raw-access log.

The export is also how analysts correct the taxonomy: add a column (say ``topic_checked``), fill
in the right topics (ids or names) for the questions you reviewed, and ``veche train --labels FILE --topic
topic_checked`` learns from those rows only (rows left empty are not labels).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from veche.cells import neutralise_frame, xlsx_text_cell
from veche.owner_only import owner_only_file
from veche.privacy.access import RawAccessDenied, authenticate
from veche.privacy.meta import mask_meta
from veche.store import Store

FORMATS = (".csv", ".jsonl", ".xlsx", ".parquet")
XLSX_MAX_ROWS = 1_048_575
QUESTION_FIELDS = [
    "external_id",
    "created_at",
    "channel",
    "region",
    "gender",
    "age",
    "lang",
    "text",
    "pii_types",
    "group_id",
    "group_similarity",
    "source_file",
    "source_row",
    "meta",
]
GROUP_FIELDS = {
    "size": "group_size",
    "n_senders": "group_senders",
    "is_campaign": "campaign",
    "campaign_score": "campaign_score",
}


# analysis columns as exported (None: the same name)
ANALYSIS_FIELDS: dict[str, str | None] = {
    "theme_id": None,
    "broad_id": "broad_theme_id",
    "is_other": None,
    "topic": None,
    "topic_score": None,
    "topics": None,
    "route": None,
    "route_score": None,
    "region_code": None,
    "city": None,
    "district": None,
    "urgent": None,
    "urgency_kinds": None,
    "urgency_score": None,
}
ANALYSIS_ORDER = [
    "theme_id", "theme", "broad_theme_id", "broad_theme", "is_other", "topic", "topic_name",
    "topic_score", "topics", "route", "route_score", "region_code", "city", "district", "urgent",
    "urgency_kinds", "urgency_score",
]  # fmt: skip


def export(
    store: Store,
    out: Path,
    *,
    raw: bool = False,
    operator_key: str | None = None,
    raw_roles: list[str] | None = None,
    chunk: int = 50_000,
    topic_names: dict[str, str] | None = None,
) -> int:
    """Write every stored question to ``out`` (format by extension); returns the row count.
    ``topic_names`` (taxonomy id -> name) fills ``topic_name`` beside the ids.

    ``raw``: add the raw text, contacts and extra columns; needs ``operator_key`` of an operator
    whose role is in ``raw_roles`` (:mod:`veche.privacy.access`). The raw-access log entry is
    written before the file: a failed write still leaves its trace."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{out}: unknown export format {suffix!r} (use {', '.join(FORMATS)})")
    operator = None
    if raw:
        if not operator_key:
            raise RawAccessDenied("raw access needs an operator key")
        operator = authenticate(store, operator_key, raw_roles or [])
    n_rows = store.count()
    if suffix == ".xlsx" and n_rows > XLSX_MAX_ROWS:
        raise ValueError(f"{n_rows:,} rows do not fit in one XLSX sheet; use .csv or .parquet")
    if operator is not None:
        store.log_raw_access(
            actor=operator.name,
            role=operator.role,
            action="export",
            detail=str(out.resolve()),
            n_rows=n_rows,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    if raw:
        owner_only_file(out)  # raw text and contacts: readable by the exporting user only
    frames = _frames(store, raw, chunk, topic_names or {})
    return {".csv": _csv, ".jsonl": _jsonl, ".xlsx": _xlsx, ".parquet": _parquet}[suffix](
        frames, out
    )


def _frames(
    store: Store, raw: bool, chunk: int, topic_names: dict[str, str]
) -> Iterator[pd.DataFrame]:
    from veche.store.analysis import AnalysisStore

    groups = store.read_groups()[["id", *GROUP_FIELDS]].rename(
        columns={"id": "group_id", **GROUP_FIELDS}
    )
    astore = AnalysisStore(store)
    themes = astore.read_themes()
    labels = {
        lvl: dict(zip(t["id"], t["label"], strict=True)) for lvl, t in themes.groupby("level")
    }
    for frame in store.iter_frames(QUESTION_FIELDS, chunk=chunk):
        frame = frame.merge(groups, on="group_id", how="left")
        found = astore.read_analysis_between(
            int(frame["id"].iloc[0]), int(frame["id"].iloc[-1]), list(ANALYSIS_FIELDS)
        )
        frame = frame.merge(
            _analysis(found, labels, topic_names), left_on="id", right_on="question_id", how="left"
        ).drop(columns="question_id")
        stored_meta = list(frame["meta"])
        # stores filled before meta was masked at ingest: columns named as personal data
        # are masked here too
        frame["meta"] = [_json(m) for m in mask_meta(stored_meta, None)]
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        if raw:
            private = store.read_private(frame["id"].tolist())
            frame = frame.merge(private, left_on="id", right_on="question_id", how="left").drop(
                columns=["question_id"]
            )
            # rows stored before meta_raw existed kept their raw values in meta
            frame["meta_raw"] = [
                _json(r if isinstance(r, dict) else m)
                for r, m in zip(frame["meta_raw"], stored_meta, strict=True)
            ]
        yield _typed(frame)


def _json(meta: dict | None) -> str:
    return json.dumps(meta or {}, ensure_ascii=False)


def _analysis(
    found: pd.DataFrame, labels: dict[str, dict[int, str]], topic_names: dict[str, str]
) -> pd.DataFrame:
    """Analysis rows as exported: theme labels beside their ids, topics as ``id:p; id:p``."""
    out = found.rename(columns={k: v for k, v in ANALYSIS_FIELDS.items() if v})
    out["theme"] = out["theme_id"].map(labels.get("fine", {}))
    out["broad_theme"] = out["broad_theme_id"].map(labels.get("broad", {}))
    out["topic_name"] = out["topic"].map(topic_names)
    out["topics"] = [
        "; ".join(f"{t}:{p:.2f}" for t, p in ts) if isinstance(ts, list) else None
        for ts in out["topics"]
    ]
    return out[["question_id", *ANALYSIS_ORDER]]


_STRINGS = [
    "external_id",
    "channel",
    "region",
    "gender",
    "lang",
    "text",
    "pii_types",
    "source_file",
    "meta",
    "meta_raw",
    "text_raw",
    "name",
    "phone",
    "email",
    "theme",
    "broad_theme",
    "topic",
    "topic_name",
    "topics",
    "route",
    "region_code",
    "city",
    "district",
    "urgency_kinds",
]
_INTS = ["age", "group_id", "group_size", "group_senders", "source_row", "theme_id",
         "broad_theme_id"]  # fmt: skip
_FLOATS = ["group_similarity", "campaign_score", "topic_score", "route_score", "urgency_score"]
_BOOLS = ["campaign", "is_other", "urgent"]


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes, so that every chunk has the same schema (a chunk may be all-null)."""
    for c in _STRINGS:
        if c in frame:
            frame[c] = frame[c].astype("string")
    for c in _INTS:
        frame[c] = pd.to_numeric(frame[c]).astype("Int64")
    for c in _FLOATS:
        frame[c] = pd.to_numeric(frame[c]).astype("Float64")
    for c in _BOOLS:
        frame[c] = frame[c].astype("boolean")
    return frame


def _csv(frames: Iterator[pd.DataFrame], out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        for i, f in enumerate(frames):
            # CRLF rows (RFC 4180): a field holding a bare carriage return gets quoted too
            neutralise_frame(f).to_csv(fh, index=False, header=i == 0, lineterminator="\r\n")
            n += len(f)
    return n


def _jsonl(frames: Iterator[pd.DataFrame], out: Path) -> int:
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for f in frames:
            f = f.assign(
                created_at=f["created_at"].map(lambda t: t.isoformat() if pd.notna(t) else None)
            )
            for rec in f.to_dict("records"):
                rec["meta"] = json.loads(rec["meta"])
                if "meta_raw" in rec:
                    rec["meta_raw"] = json.loads(rec["meta_raw"])
                fh.write(json_line(rec))
            n += len(f)
    return n


def json_line(rec: dict) -> str:
    """One JSON Lines record; pandas' NaN for a missing value becomes null."""
    plain = {k: (None if isinstance(v, float) and v != v else v) for k, v in rec.items()}
    return json.dumps(plain, ensure_ascii=False) + "\n"


def _xlsx(frames: Iterator[pd.DataFrame], out: Path) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("questions")
    n = 0
    for i, f in enumerate(frames):
        f = f.assign(created_at=f["created_at"].dt.tz_convert(None))  # Excel has no time zones
        if i == 0:
            ws.append(list(f.columns))
        for row in f.astype(object).where(pd.notna(f), None).itertuples(index=False):
            ws.append([xlsx_text_cell(ws, v) for v in row])
        n += len(f)
    wb.save(out)
    return n


def _parquet(frames: Iterator[pd.DataFrame], out: Path) -> int:
    writer: pq.ParquetWriter | None = None
    n = 0
    try:
        for f in frames:
            table = pa.Table.from_pandas(f, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(out, table.schema)
            writer.write_table(table.cast(writer.schema))
            n += len(f)
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        pq.write_table(pa.table({}), out)
    return n
