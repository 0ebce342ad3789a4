"""Readers for CSV (any delimiter), JSON Lines, XLSX and Parquet.

Each reader yields :class:`Record` objects: a row number a person can find in the file, and
either the row's fields or the reason it could not be read. Nothing is dropped silently.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veche.intake.encoding import decode

SUPPORTED = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json", ".xlsx", ".parquet")
EXCERPT_CHARS = 200

csv.field_size_limit(sys.maxsize)  # over-long fields are rejected by the validator, not the parser


class InputError(ValueError):
    """A whole file cannot be read (unknown format, no header, no text column)."""


@dataclass(frozen=True)
class Record:
    row: int  # CSV/JSONL: line number in the file; XLSX: sheet row; Parquet: 1-based record
    fields: dict[str, Any] | None
    error: str | None = None
    excerpt: str = ""


def read_records(path: Path) -> Iterator[Record]:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        yield from read_csv(path)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        yield from read_jsonl(path)
    elif suffix == ".xlsx":
        yield from read_xlsx(path)
    elif suffix == ".parquet":
        yield from read_parquet(path)
    else:
        raise InputError(
            f"{path}: unsupported format {suffix!r} (use one of {', '.join(SUPPORTED)})"
        )


def sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        # the header line decides: the candidate that splits it most
        header = sample.splitlines()[0] if sample else ""
        return max(",;\t|", key=header.count)


def read_csv(path: Path) -> Iterator[Record]:
    text = decode(path.read_bytes()).text
    lines = text.splitlines(keepends=True)
    delimiter = sniff_delimiter("".join(lines[:50]))
    if not lines:
        return
    try:
        header = next(csv.reader([lines[0]], delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{path}: cannot read the header line: {exc}") from exc
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError(f"{path}: the first line is empty; a header line is required")
    yield from _csv_rows(lines, 1, header, delimiter)


def _csv_rows(lines: list[str], first: int, header: list[str], delimiter: str) -> Iterator[Record]:
    """Parse ``lines[first:]``; a broken record spanning several lines costs only its first line.

    A stray quote makes the csv module swallow the following lines into one field; rather than
    lose them, the bad line is rejected and parsing resumes on the line after it.
    """
    pos = first  # 0-based index of the next line to parse
    while pos < len(lines):
        reader = csv.reader(iter(lines[pos:]), delimiter=delimiter, strict=True)
        base = pos
        while True:
            start = base + reader.line_num  # 0-based index of the record's first line
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Record(
                    start + 1, None, f"malformed CSV line: {exc}", lines[start][:EXCERPT_CHARS]
                )
                pos = start + 1
                break
            end = base + reader.line_num  # index just past the record's last line
            if not values or all(not v.strip() for v in values):
                continue  # blank line
            if len(values) != len(header):
                yield Record(
                    start + 1,
                    None,
                    f"malformed CSV line: {len(values)} fields, header has {len(header)}",
                    lines[start][:EXCERPT_CHARS],
                )
                if end - start > 1:  # the record ate later lines: re-read them
                    pos = start + 1
                    break
                continue
            yield Record(start + 1, dict(zip(header, values, strict=True)))


def read_jsonl(path: Path) -> Iterator[Record]:
    decoded = decode(path.read_bytes())
    for n, line in enumerate(decoded.text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(
                n, None, f"malformed JSON: {exc.msg} at column {exc.colno}", line[:EXCERPT_CHARS]
            )
            continue
        if not isinstance(obj, dict):
            yield Record(
                n,
                None,
                f"JSON line is a {type(obj).__name__}, expected an object",
                line[:EXCERPT_CHARS],
            )
            continue
        yield Record(n, obj)


def read_xlsx(path: Path) -> Iterator[Record]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise InputError(f"{path}: not a readable XLSX workbook: {exc}") from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            return
        header = [str(h).strip() if h is not None else "" for h in header_row]
        for n, values in enumerate(rows, start=2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            yield Record(n, {h: v for h, v in zip(header, values, strict=False) if h})
    finally:
        wb.close()


def read_parquet(path: Path) -> Iterator[Record]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from exc
    n = 0
    for batch in pf.iter_batches(batch_size=10_000):
        for row in batch.to_pylist():
            n += 1
            yield Record(n, row)


def estimate_rows(path: Path) -> int | None:
    """A cheap row count for progress bars (lines for text formats, metadata otherwise)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
            try:
                return max(0, (wb.worksheets[0].max_row or 1) - 1)
            finally:
                wb.close()
        with path.open("rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except Exception:
        return None
