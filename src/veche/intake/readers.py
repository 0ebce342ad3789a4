"""Readers for CSV (any delimiter), JSON Lines, XLSX and Parquet, plain or gzip-compressed.

Each reader yields :class:`Record` objects: a row number a person can find in the file, and
either the row's fields or the reason it could not be read. Nothing is dropped silently: what a
reader does to a file's shape (a title line skipped, a duplicated column renamed, a sheet
skipped) goes into ``notes``, which the ingest report prints.

The work is bounded: a file (or a workbook part, or a gzip stream) larger than
:attr:`ReadLimits.max_bytes` once decompressed, or wider than :attr:`ReadLimits.max_columns`, is
refused with an :class:`InputError` before anything is parsed; blank spreadsheet rows cost
nothing; JSON nesting is capped.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veche.intake.encoding import decode

SUPPORTED = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json", ".xlsx", ".parquet")
COMPRESSED = (".gz",)  # around the text formats: q.csv.gz, q.jsonl.gz
TEXT_FORMATS = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json")
EXCERPT_CHARS = 200
# a title line above the header is looked for among this many first lines
HEADER_SEARCH_LINES = 20
MAX_TITLE_LINES = 10

csv.field_size_limit(sys.maxsize)  # over-long fields are rejected by the validator, not the parser


class InputError(ValueError):
    """A whole file cannot be read (unknown format, no header, no text column, too big)."""


@dataclass(frozen=True)
class ReadLimits:
    # bytes of text once decompressed; also each part of an XLSX (zip) archive
    max_bytes: int = 2 << 30
    # an XLSX zip whose parts inflate more than this many times is a decompression bomb
    max_zip_ratio: int = 1_000
    max_columns: int = 1_000
    max_rows: int = 5_000_000
    # deeper JSON records are rejected (no question form nests like that; deep nesting is an attack)
    max_json_depth: int = 32


@dataclass(frozen=True)
class Record:
    row: int  # CSV/JSONL: line number in the file; XLSX: sheet row; Parquet: 1-based record
    fields: dict[str, Any] | None
    error: str | None = None
    excerpt: str = ""
    # the sheet of a workbook after its first one ("" elsewhere): rows of two sheets differ
    part: str = ""


class FormulaWithoutValue(str):
    """A spreadsheet formula the file holds no computed value for (never opened in Excel)."""


def read_records(
    path: Path, *, limits: ReadLimits | None = None, notes: list[str] | None = None
) -> Iterator[Record]:
    limits = limits or ReadLimits()
    notes = notes if notes is not None else []
    suffix = format_suffix(path)
    if suffix in (".csv", ".tsv", ".txt"):
        yield from read_csv(path, limits=limits, notes=notes)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        yield from read_jsonl(path, limits=limits, notes=notes)
    elif suffix == ".xlsx":
        yield from read_xlsx(path, limits=limits, notes=notes)
    elif suffix == ".parquet":
        yield from read_parquet(path, limits=limits, notes=notes)
    else:
        raise InputError(
            f"{path}: unsupported format {suffix!r} (use one of {', '.join(SUPPORTED)}, "
            "or a text format compressed as .gz)"
        )


def format_suffix(path: Path) -> str:
    """The suffix that names the format: ``q.csv.gz`` is a CSV, ``q.xlsx.gz`` is not supported."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSED:
        inner = suffixes[-2] if len(suffixes) > 1 else ""
        return inner if inner in TEXT_FORMATS else "".join(suffixes[-2:])
    return path.suffix.lower()


def read_bytes(path: Path, limits: ReadLimits) -> bytes:
    """The file's bytes, gunzipped if need be, refused past ``limits.max_bytes``."""
    if path.suffix.lower() == ".gz":
        try:
            with gzip.open(path, "rb") as fh:
                data = fh.read(limits.max_bytes + 1)
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise InputError(f"{path}: not a readable gzip file: {exc}") from exc
        if len(data) > limits.max_bytes:
            raise InputError(
                f"{path}: decompresses to more than {_size(limits.max_bytes)} "
                "(limit intake.max_bytes); split the file"
            )
        return data
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise InputError(
            f"{path}: {_size(size)} is over the limit of {_size(limits.max_bytes)}; split the file"
        )
    return path.read_bytes()


def _size(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MiB"


def sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        # the header line decides: the candidate that splits it most
        header = sample.splitlines()[0] if sample else ""
        return max(",;\t|", key=header.count)


def read_csv(
    path: Path, *, limits: ReadLimits | None = None, notes: list[str] | None = None
) -> Iterator[Record]:
    limits = limits or ReadLimits()
    notes = notes if notes is not None else []
    decoded = decode(read_bytes(path, limits))
    if "+" in decoded.encoding:
        notes.append(
            f"lines in more than one encoding ({decoded.encoding.replace('+', ' and ')}): "
            "each line was read in its own"
        )
    lines = decoded.text.splitlines(keepends=True)
    if not lines:
        return
    # title lines without a delimiter would mislead the sniffer: sniff below them
    head = lines[:HEADER_SEARCH_LINES]
    plain = [not any(d in line for d in ",;\t|") for line in head]
    start = plain.index(False) if False in plain[: MAX_TITLE_LINES + 1] else 0
    delimiter = sniff_delimiter("".join(lines[start : start + 50]))
    first = _header_index([_loose_split(line, delimiter) for line in head])
    if first:
        _note_titles(notes, [lines[i].strip() for i in range(first)], "line")
    try:
        header = next(csv.reader([lines[first]], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        raise InputError(f"{path}: cannot read the header line: {exc}") from exc
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError(f"{path}: the first line is empty; a header line is required")
    header = unique_header(header, notes, limits, path)
    yield from _csv_rows(lines, first + 1, header, delimiter)


def _loose_split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def _header_index(rows: Sequence[Sequence[Any]]) -> int:
    """Index of the header among the first rows: title rows above it fill one cell at most.

    Only when a later row fills two cells or more: a one-column file has no title to skip.
    """
    filled = [sum(1 for v in row if v is not None and str(v).strip()) for row in rows]
    for i, n in enumerate(filled[: MAX_TITLE_LINES + 1]):
        if n >= 2:
            return i
    return 0


def _note_titles(notes: list[str], titles: list[str], unit: str, where: str = "") -> None:
    shown = "; ".join(t[:60] for t in titles if t)
    notes.append(
        f"{where}skipped {len(titles)} {unit}{'s' if len(titles) > 1 else ''} above the header"
        + (f": {shown!r}" if shown else " (blank)")
    )


def unique_header(
    header: list[str], notes: list[str], limits: ReadLimits, path: Path, where: str = ""
) -> list[str]:
    """Blank names become ``column N`` and repeated names ``NAME (2)``, each said in the notes."""
    if len(header) > limits.max_columns:
        raise InputError(
            f"{path}: {where}{len(header):,} columns, over the limit of {limits.max_columns:,} "
            "(intake.max_columns)"
        )
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        new = name or f"column {i}"
        k = 2
        while new in seen:
            new = f"{name or f'column {i}'} ({k})"
            k += 1
        if name and new != name:
            notes.append(f"{where}column {i} repeats the name {name!r}: read as {new!r}")
        seen.add(new)
        out.append(new)
    return out


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


def read_jsonl(
    path: Path, *, limits: ReadLimits | None = None, notes: list[str] | None = None
) -> Iterator[Record]:
    limits = limits or ReadLimits()
    decoded = decode(read_bytes(path, limits))
    for n, line in enumerate(decoded.text.splitlines(), start=1):
        if not line.strip():
            continue
        excerpt = line[:EXCERPT_CHARS]
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(n, None, f"malformed JSON: {exc.msg} at column {exc.colno}", excerpt)
            continue
        except RecursionError:
            yield Record(n, None, "malformed JSON: nested too deeply", excerpt)
            continue
        except ValueError:  # an integer of more digits than Python converts (over 4,300)
            yield Record(n, None, "malformed JSON: a number with too many digits", excerpt)
            continue
        if not isinstance(obj, dict):
            yield Record(
                n, None, f"JSON line is a {type(obj).__name__}, expected an object", excerpt
            )
            continue
        depth = json_depth(obj, limits.max_json_depth)
        if depth > limits.max_json_depth:
            yield Record(
                n,
                None,
                f"JSON record nested over {limits.max_json_depth} levels deep",
                excerpt,
            )
            continue
        yield Record(n, obj)


def json_depth(value: Any, stop: int) -> int:
    """Nesting depth of dicts and lists, counted without recursion, up to ``stop + 1``."""
    deepest = 0
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if not isinstance(item, dict | list):
            continue
        deepest = max(deepest, depth)
        if deepest > stop:
            return deepest
        children = item.values() if isinstance(item, dict) else item
        todo.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return deepest


# -- XLSX ------------------------------------------------------------------------------------


def check_zip(path: Path, limits: ReadLimits) -> None:
    """Refuse a zip (XLSX) whose parts would inflate past the limits, before opening it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: not a readable XLSX workbook: {exc}") from exc
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    big = max(infos, key=lambda i: i.file_size, default=None)
    if big is not None and big.file_size > limits.max_bytes:
        raise InputError(
            f"{path}: its part {big.filename} inflates to {_size(big.file_size)}, over the "
            f"limit of {_size(limits.max_bytes)} (intake.max_bytes); split the workbook"
        )
    if total > 1 << 20 and total / packed > limits.max_zip_ratio:
        raise InputError(
            f"{path}: inflates {total / packed:,.0f} times ({_size(total)}): "
            "refused as a decompression bomb"
        )


def read_xlsx(
    path: Path, *, limits: ReadLimits | None = None, notes: list[str] | None = None
) -> Iterator[Record]:
    """Every sheet, each with its own header, streamed: blank rows and cells cost nothing.

    The sheet's claimed dimension is ignored (a file may claim A1:XFD1048576), rows are read as
    the XML lists them, and a formula the file holds no value for is a
    :class:`FormulaWithoutValue`, not an empty cell.
    """
    from openpyxl import load_workbook

    limits = limits or ReadLimits()
    notes = notes if notes is not None else []
    check_zip(path, limits)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise InputError(f"{path}: not a readable XLSX workbook: {exc}") from exc
    try:
        sheets = wb.worksheets
        for i, ws in enumerate(sheets):
            part = ws.title if i else ""
            where = f"sheet {ws.title!r}: " if len(sheets) > 1 else ""
            yield from _sheet_records(ws, part, where, path, limits, notes)
    finally:
        wb.close()


def _sheet_records(
    ws: Any, part: str, where: str, path: Path, limits: ReadLimits, notes: list[str]
) -> Iterator[Record]:
    rows = _sheet_rows(ws, path, limits)
    head: list[tuple[int, list[Any]]] = []
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SEARCH_LINES:
            break
    if not head:
        if where:  # a workbook's empty sheet is worth a word; an empty workbook says itself
            notes.append(f"{where}empty")
        return
    first = _header_index([values for _, values in head])
    if first:
        _note_titles(notes, [_cells_text(v) for _, v in head[:first]], "row", where)
    header_values = head[first][1]
    names = [_cell_name(v) for v in header_values]
    while names and not names[-1]:
        names.pop()
    header = unique_header(names, notes, limits, path, where)

    def body() -> Iterator[tuple[int, list[Any]]]:
        yield from head[first + 1 :]
        yield from rows

    for n, values in body():
        names = header + [f"column {i}" for i in range(len(header) + 1, len(values) + 1)]
        values = values + [None] * (len(names) - len(values))  # every row has every column
        fields = dict(zip(names, values, strict=True))
        yield Record(n, fields, part=part)


def _sheet_rows(ws: Any, path: Path, limits: ReadLimits) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) for each row holding a value, without padding to the claimed width."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_row(self, row: Any) -> tuple[int, list[dict[str, Any]]]:
            # an empty styled cell (no value, formula or inline text) costs nothing: a sheet of
            # a million rows of them reads in seconds, not minutes
            if any(el.get("r") is None for el in row):
                return super().parse_row(row)  # positions counted cell by cell
            r = row.get("r")
            self.row_counter = int(float(r)) if r is not None else self.row_counter + 1
            return self.row_counter, [self.parse_cell(el) for el in row if len(el)]

        # one pass sees both a formula and its cached value (openpyxl reads one or the other)
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            if cell["value"] is None:
                formula = element.find(FORMULA_TAG)
                if formula is not None:
                    cell["value"] = FormulaWithoutValue("=" + (formula.text or ""))
            return cell

    wb = ws.parent
    with ws._get_source() as src:  # the sheet's XML, streamed from the zip
        parser = _Parser(
            _EmptyCellFilter(src),
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for idx, cells in parser.parse():
            if idx > limits.max_rows:
                raise InputError(
                    f"{path}: sheet {ws.title!r} goes past row {limits.max_rows:,} "
                    "(limit intake.max_rows); split the file"
                )
            filled = [c for c in cells if not _blank(c["value"])]
            if not filled:
                continue
            width = max(c["column"] for c in filled)
            if width > limits.max_columns:
                raise InputError(
                    f"{path}: sheet {ws.title!r} row {idx} fills column {width:,}, over the "
                    f"limit of {limits.max_columns:,} columns (intake.max_columns)"
                )
            values: list[Any] = [None] * width
            for c in filled:
                values[c["column"] - 1] = c["value"]
            yield idx, values


class _EmptyCellFilter:
    """The sheet's XML without its empty cells (``<c r="XFD7" s="1"/>``), read in chunks.

    A self-closing cell holds no value by construction; dropping it before the XML parser sees
    it spares building an element for each of the millions a hostile (or merely styled) sheet
    may hold. Only cells that name their position go: a cell without ``r`` counts its place.
    """

    EMPTY_CELL = re.compile(rb'<(?:\w+:)?c\s[^<>]*?\br="[A-Z]{1,3}[0-9]+"[^<>]*/>')
    EMPTY_ROW = re.compile(rb'<((?:\w+:)?row)\s[^<>]*?\br="[0-9]+"[^<>]*>\s*</\1>')

    def __init__(self, raw: Any):
        self.raw = raw
        self.carry = b""

    def read(self, n: int = 1 << 16) -> bytes:
        while True:
            chunk = self.raw.read(max(n, 1 << 16))
            if not chunk:
                out, self.carry = self.carry, b""
                return self._strip(out)
            data = self.carry + chunk
            cut = data.rfind(b">") + 1  # never split a tag between two reads
            self.carry = data[cut:]
            out = self._strip(data[:cut])
            if out:
                return out

    def _strip(self, data: bytes) -> bytes:
        return self.EMPTY_ROW.sub(b"", self.EMPTY_CELL.sub(b"", data))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_name(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _cells_text(values: Sequence[Any]) -> str:
    return " | ".join(str(v) for v in values if not _blank(v))


# -- Parquet ---------------------------------------------------------------------------------


def read_parquet(
    path: Path, *, limits: ReadLimits | None = None, notes: list[str] | None = None
) -> Iterator[Record]:
    import pyarrow.parquet as pq

    limits = limits or ReadLimits()
    notes = notes if notes is not None else []
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from exc
    header = unique_header([str(n) for n in pf.schema_arrow.names], notes, limits, path)
    n = 0
    try:
        batches = pf.iter_batches(batch_size=10_000)
        for batch in batches:
            columns = [_column_values(batch.column(i)) for i in range(batch.num_columns)]
            for values in zip(*columns, strict=True):
                n += 1
                bad = [header[i] for i, v in enumerate(values) if isinstance(v, _Unreadable)]
                if bad:
                    why = next(v for v in values if isinstance(v, _Unreadable))
                    yield Record(n, None, f"unreadable value in column {bad[0]!r}: {why}", "")
                    continue
                yield Record(n, dict(zip(header, values, strict=True)))
    except InputError:
        raise
    except Exception as exc:  # a corrupt page: the records before it are kept
        raise InputError(f"{path}: Parquet data unreadable after record {n:,}: {exc}") from exc


class _Unreadable(str):
    """A Parquet value Python cannot hold (e.g. a timestamp outside years 1-9999)."""


def _column_values(column: Any) -> list[Any]:
    try:
        return column.to_pylist()
    except Exception:  # one bad value spoils the column's bulk conversion: go value by value
        out: list[Any] = []
        for i in range(len(column)):
            try:
                out.append(column[i].as_py())
            except Exception as exc:
                out.append(_Unreadable(str(exc)[:120]))
        return out


def estimate_rows(path: Path) -> int | None:
    """A cheap row count for progress bars (lines for text formats, metadata otherwise)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if suffix in (".xlsx", ".gz"):
            return None  # a sheet's claimed size may be anything; gzip hides the count
        with path.open("rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except Exception:
        return None
