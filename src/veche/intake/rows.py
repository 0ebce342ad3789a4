"""From raw records to the intake batch: column mapping, validation, rejects.

The intake batch (a pandas DataFrame) is the contract with the stages after it. Columns:
``key, source_file, source_row, external_id, created_at (UTC), channel, region, text_raw,
name, phone, email, gender, age, meta``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from veche.intake.dates import DateError, parse_date
from veche.intake.encoding import decode_value, has_bad_bytes
from veche.intake.readers import EXCERPT_CHARS, FormulaWithoutValue, Record
from veche.privacy.meta import private_column_type

STANDARD = (
    "text",
    "id",
    "created_at",
    "channel",
    "region",
    "name",
    "phone",
    "email",
    "gender",
    "age",
)
BATCH_COLUMNS = [
    "key",
    "source_file",
    "source_row",
    "external_id",
    "created_at",
    "channel",
    "region",
    "text_raw",
    "name",
    "phone",
    "email",
    "gender",
    "age",
    "meta",
]
REJECT_COLUMNS = ["key", "source_file", "source_row", "reason", "excerpt"]
_CONTACTS = ("name", "phone", "email")  # never in a reject's excerpt

# nested values kept in meta deeper than this are refused (see readers.ReadLimits.max_json_depth)
MAX_META_DEPTH = 32
# how many undated rows a file's report names
UNDATED_EXAMPLES = 3
_GENDER = {
    "m": "m",
    "м": "m",
    "male": "m",
    "муж": "m",
    "мужской": "m",
    "f": "f",
    "ж": "f",
    "female": "f",
    "жен": "f",
    "женский": "f",
}


class ColumnError(ValueError):
    """The file has no column we could use as the text."""


@dataclass
class ColumnMapper:
    """Maps a file's column names onto veche's standard names; the rest go to ``meta``."""

    aliases: Mapping[str, list[str]] = field(default_factory=dict)
    explicit: Mapping[str, str] = field(default_factory=dict)  # standard name -> file column
    _cache: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict, repr=False)

    def resolve(self, columns: Iterable[str]) -> dict[str, str]:
        cols = tuple(columns)
        if cols not in self._cache:
            self._cache[cols] = self._resolve(cols)
        return self._cache[cols]

    def _resolve(self, cols: tuple[str, ...]) -> dict[str, str]:
        lookup = {c.strip().lower(): c for c in cols}
        mapping: dict[str, str] = {}
        for std, src in self.explicit.items():
            if src not in cols:
                raise ColumnError(
                    f"--map {std}={src}: no column {src!r} (columns: {', '.join(cols)})"
                )
            mapping[src] = std
        taken = set(mapping.values())
        for std in STANDARD:
            if std in taken:
                continue
            for name in (std, *self.aliases.get(std, [])):
                src = lookup.get(name)
                if src is not None and src not in mapping:
                    mapping[src] = std
                    break
        if "text" not in mapping.values():
            raise ColumnError(
                f"no text column (columns: {', '.join(cols) or 'none'}); "
                "name it 'text' or pass --map text=COLUMN"
            )
        return mapping


@dataclass
class RowValidator:
    source_file: str
    channel: str
    max_text_chars: int
    timezone: ZoneInfo
    mapper: ColumnMapper
    # CSV/XLSX/Parquet share one header: a missing text column sinks the file. JSON Lines
    # records each carry their own keys: a record without text is one reject.
    fixed_header: bool = True
    # what this file's rows taught: kept without a date, workbook sheets skipped
    n_undated: int = field(default=0, init=False)
    undated_examples: list[str] = field(default_factory=list, init=False)
    skipped_parts: dict[str, list[Any]] = field(default_factory=dict, init=False)
    parts_read: set[str] = field(default_factory=set, init=False)

    def split(self, records: Iterable[Record]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Valid rows as an intake batch, the rest as rejects (row number + reason).

        Whatever goes wrong inside one row, even an error nobody foresaw, costs that row alone:
        it becomes a reject naming the problem.
        """
        rows: list[dict[str, Any]] = []
        rejects: list[dict[str, Any]] = []
        for rec in records:
            if rec.part in self.skipped_parts:
                self.skipped_parts[rec.part][1] += 1
                continue
            if rec.fields is None:
                rejects.append(self._reject(rec, rec.error or "unreadable", rec.excerpt))
                continue
            try:
                rows.append(self._row(rec))
                self.parts_read.add(rec.part)
            except ColumnError as exc:
                if rec.part and rec.part not in self.parts_read:
                    # a workbook sheet without a text column (instructions, a lookup table)
                    self.skipped_parts[rec.part] = [str(exc), 1]
                    continue
                if self.fixed_header:
                    raise
                rejects.append(self._reject(rec, str(exc), self._excerpt(rec.fields)))
            except RowError as exc:
                self.parts_read.add(rec.part)  # the sheet has a text column: its rows count
                rejects.append(self._reject(rec, str(exc), self._excerpt(rec.fields)))
            except Exception as exc:  # noqa: BLE001 - one row's surprise must not stop the run
                reason = f"unreadable row ({type(exc).__name__}: {_safe(str(exc))[:120]})"
                rejects.append(self._reject(rec, reason, self._safe_excerpt(rec.fields)))
        return (
            pd.DataFrame(rows, columns=BATCH_COLUMNS),
            pd.DataFrame(rejects, columns=REJECT_COLUMNS),
        )

    def finish(self) -> list[str]:
        """Notes on the whole file; a workbook none of whose sheets has a text column is an error."""
        notes = []
        for part, (why, n) in self.skipped_parts.items():
            notes.append(f"sheet {part!r} skipped ({n:,} rows): {why}")
        if self.skipped_parts and not self.parts_read:
            raise ColumnError("; ".join(notes))
        if self.n_undated:
            notes.append(
                f"{self.n_undated:,} rows kept without a date (the unread value stays in meta): "
                + "; ".join(self.undated_examples)
            )
        return notes

    def _source(self, rec: Record) -> str:
        return f"{self.source_file} [{rec.part}]" if rec.part else self.source_file

    def _reject(self, rec: Record, reason: str, excerpt: str) -> dict[str, Any]:
        source = self._source(rec)
        key = _hash(f"reject\x1f{source}\x1f{rec.row}")
        # bad bytes in an excerpt would break the database driver
        excerpt = _safe(excerpt)[:EXCERPT_CHARS]
        return {
            "key": key,
            "source_file": source,
            "source_row": rec.row,
            "reason": _safe(reason),
            "excerpt": excerpt,
        }

    def _excerpt(self, fields: Mapping[str, Any]) -> str:
        """The row's values for the operator, without its name, phone and e-mail columns."""
        try:
            mapping = self.mapper.resolve(fields.keys())
        except ColumnError:
            mapping = {}
        contact_names = {n for std in _CONTACTS for n in (std, *self.mapper.aliases.get(std, []))}
        return _excerpt(
            {
                k: v
                for k, v in fields.items()
                if mapping.get(k) not in _CONTACTS
                and k.strip().lower() not in contact_names
                and private_column_type(k) is None
            }
        )

    def _safe_excerpt(self, fields: Mapping[str, Any] | None) -> str:
        try:
            return self._excerpt(fields or {})
        except Exception:  # noqa: BLE001 - a value whose str() fails: say nothing, don't crash
            return ""

    def _row(self, rec: Record) -> dict[str, Any]:
        fields = rec.fields or {}
        mapping = self.mapper.resolve(fields.keys())
        std: dict[str, Any] = {}
        meta: dict[str, Any] = {}
        for src, value in fields.items():
            if isinstance(value, str) and has_bad_bytes(value):
                raise RowError(f"bad encoding: column {src!r} has bytes that are not valid text")
            if src in mapping:
                std[mapping[src]] = value
            elif not _missing(value):
                meta[_safe(str(src))] = _jsonable(value, src)

        text = _text(std.get("text"), _source_column(mapping, "text"))
        if text is None or not text.strip():
            raise RowError("empty text")
        if len(text) > self.max_text_chars:
            raise RowError(
                f"text too long: {len(text):,} characters (limit {self.max_text_chars:,})"
            )
        created = self._date(
            rec, std.get("created_at"), _source_column(mapping, "created_at"), meta
        )
        external_id = _str(std.get("id"))
        channel = _str(std.get("channel")) or self.channel
        source = (
            # ids restart on each sheet of a workbook: a later sheet's id names its sheet too
            f"id\x1f{channel}\x1f{external_id}{rec.part and chr(31) + rec.part}"
            if external_id
            else f"row\x1f{self.source_file}{rec.part and chr(31) + rec.part}\x1f{rec.row}"
        )
        return {
            "key": _hash(f"{source}\x1f{text}"),
            "source_file": self._source(rec),
            "source_row": rec.row,
            "external_id": external_id,
            "created_at": created,
            "channel": channel,
            "region": _str(std.get("region")),
            "text_raw": text,
            "name": _str(std.get("name")),
            "phone": _str(std.get("phone")),
            "email": _str(std.get("email")),
            "gender": _GENDER.get((_str(std.get("gender")) or "").lower()),
            "age": _age(std.get("age")),
            "meta": meta,
        }

    def _date(self, rec: Record, value: Any, column: str, meta: dict[str, Any]) -> datetime | None:
        """An unreadable date costs the date, not the question: it is kept in meta and counted."""
        if isinstance(value, FormulaWithoutValue):
            problem = f"formula without a value {value[:40]!r}"
        else:
            try:
                return parse_date(value, self.timezone)
            except DateError as exc:
                problem = str(exc)
        self.n_undated += 1
        if len(self.undated_examples) < UNDATED_EXAMPLES:
            self.undated_examples.append(f"row {rec.row}: {_safe(problem)}")
        meta[_safe(column)] = _jsonable(value, column)
        return None


class RowError(ValueError):
    pass


def _hash(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8", "surrogateescape")).hexdigest()


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def _safe(s: str) -> str:
    """Text any database driver takes: lone surrogates (undecodable bytes) become U+FFFD."""
    return s.encode("utf-8", "replace").decode("utf-8")


def _source_column(mapping: Mapping[str, str], std: str) -> str:
    return next((src for src, name in mapping.items() if name == std), std)


def _text(value: Any, column: str) -> str | None:
    if isinstance(value, FormulaWithoutValue):
        raise RowError(
            f"formula without a value in column {column!r} ({value[:40]}): "
            "open and save the file in Excel or LibreOffice so it stores the result"
        )
    if isinstance(value, dict | list | tuple):
        kind = "an object" if isinstance(value, dict) else "an array"
        raise RowError(f"text in column {column!r} is {kind}, not text")
    return _str(value)


def _str(value: Any) -> str | None:
    if _missing(value) or isinstance(value, FormulaWithoutValue):
        return None
    if isinstance(value, bytes):
        value = decode_value(value)
        if has_bad_bytes(value):
            raise RowError("bad encoding: bytes that are not valid text")
    elif isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn ids into floats
    elif isinstance(value, dict | list | tuple):
        value = json.dumps(_jsonable(value, "value"), ensure_ascii=False)
    elif isinstance(value, datetime | date | time):
        value = value.isoformat()
    return str(value).strip() if not isinstance(value, str) else value.strip()


def _jsonable(value: Any, column: str, depth: int = 0) -> Any:
    """A value fit for the JSON ``meta`` column: JSON types only, never a Python repr."""
    if depth > MAX_META_DEPTH:
        raise RowError(f"column {column!r} is nested over {MAX_META_DEPTH} levels deep")
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        if has_bad_bytes(value):
            raise RowError(f"bad encoding: column {column!r} has bytes that are not valid text")
        return value
    if isinstance(value, bytes):
        return _jsonable(decode_value(value), column, depth)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {_safe(str(k)): _jsonable(v, column, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v, column, depth + 1) for v in value]
    return str(value)  # Decimal, timedelta and the like read well as text


def _age(value: Any) -> int | None:
    try:
        s = _str(value)
        if s is None:
            return None
        number = float(s)
    except (ValueError, RowError):
        return None  # a bad age is not worth losing the question for
    if not math.isfinite(number):
        return None
    age = int(number)
    return age if 0 < age < 120 else None


def _excerpt(fields: Mapping[str, Any]) -> str:
    return " | ".join(str(v) for v in fields.values() if not _missing(v))[:EXCERPT_CHARS]
