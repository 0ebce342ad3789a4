"""From raw records to the intake batch: column mapping, validation, rejects.

The intake batch (a pandas DataFrame) is the contract with the stages after it. Columns:
``key, source_file, source_row, external_id, created_at (UTC), channel, region, text_raw,
name, phone, email, gender, age, meta``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from veche.intake.encoding import has_bad_bytes
from veche.intake.readers import EXCERPT_CHARS, Record
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

_DATE_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)
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

    def split(self, records: Iterable[Record]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Valid rows as an intake batch, the rest as rejects (row number + reason)."""
        rows: list[dict[str, Any]] = []
        rejects: list[dict[str, Any]] = []
        for rec in records:
            if rec.fields is None:
                rejects.append(self._reject(rec.row, rec.error or "unreadable", rec.excerpt))
                continue
            try:
                rows.append(self._row(rec))
            except ColumnError as exc:
                if self.fixed_header:
                    raise
                rejects.append(self._reject(rec.row, str(exc), self._excerpt(rec.fields)))
            except RowError as exc:
                rejects.append(self._reject(rec.row, str(exc), self._excerpt(rec.fields)))
        return (
            pd.DataFrame(rows, columns=BATCH_COLUMNS),
            pd.DataFrame(rejects, columns=REJECT_COLUMNS),
        )

    def _reject(self, row: int, reason: str, excerpt: str) -> dict[str, Any]:
        key = _hash(f"reject\x1f{self.source_file}\x1f{row}")
        # bad bytes in an excerpt would break the database driver
        excerpt = excerpt.encode("utf-8", "replace").decode("utf-8")[:EXCERPT_CHARS]
        return {
            "key": key,
            "source_file": self.source_file,
            "source_row": row,
            "reason": reason,
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
                meta[src] = _jsonable(value)

        text = _str(std.get("text"))
        if text is None or not text.strip():
            raise RowError("empty text")
        if len(text) > self.max_text_chars:
            raise RowError(
                f"text too long: {len(text):,} characters (limit {self.max_text_chars:,})"
            )
        created = _parse_date(std.get("created_at"), self.timezone)
        external_id = _str(std.get("id"))
        channel = _str(std.get("channel")) or self.channel
        source = (
            f"id\x1f{channel}\x1f{external_id}"
            if external_id
            else f"row\x1f{self.source_file}\x1f{rec.row}"
        )
        return {
            "key": _hash(f"{source}\x1f{text}"),
            "source_file": self.source_file,
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


def _str(value: Any) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn ids into floats
    return str(value).strip() if not isinstance(value, str) else value.strip()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _age(value: Any) -> int | None:
    s = _str(value)
    if s is None:
        return None
    try:
        age = int(float(s))
    except ValueError:
        return None  # a bad age is not worth losing the question for
    return age if 0 < age < 120 else None


def _excerpt(fields: Mapping[str, Any]) -> str:
    return " | ".join(str(v) for v in fields.values() if not _missing(v))[:EXCERPT_CHARS]


def _parse_date(value: Any, tz: ZoneInfo) -> datetime | None:
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # epoch seconds (or milliseconds)
        secs = value / 1000 if value > 1e11 else value
        return datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC")) + timedelta(seconds=secs)
    else:
        s = str(value).strip()
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            for fmt in _DATE_FORMATS:
                try:
                    dt = datetime.strptime(s, fmt)
                    break
                except ValueError:
                    continue
            else:
                raise RowError(f"unparseable date {s[:40]!r} in created_at") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt.astimezone(ZoneInfo("UTC"))
