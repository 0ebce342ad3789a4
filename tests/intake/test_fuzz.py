"""Property-based tests (hypothesis) of the readers and the row validator with hostile input.

The invariant: every row read is stored or rejected with a reason; nothing else happens (no
exception, no row lost, no value stored as bytes, a Python repr or undecodable text). The fast
tier runs a bounded number of examples; ``make test-slow`` runs many more.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veche.config import IntakeConfig
from veche.intake import ColumnMapper, InputError, Record, RowValidator, read_records
from veche.intake.encoding import decode_value

FAST = settings(
    max_examples=60,
    database=None,  # no .hypothesis folder in the work tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SLOW = settings(FAST, max_examples=2_000)

ALIASES = IntakeConfig().aliases
COLUMNS = ["text", "id", "created_at", "channel", "region", "name", "age", "gender", "Дата", "x"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.binary(max_size=30),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31T23:00-05:00",
            "1e15",
            "Infinity",
            "NaN",
            "1e400",
            "-0",
            "5 декабря 2025",
            "05.12.25",
            "12/25/2025",
            "Dec 5, 2025",
            "1764892800",
            "\x00",
            "\ud800",
            "=SUM(A1)",
            "31.02.2025",
            "2025-13-01",
            " ",
            "😀" * 20,
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
rows = st.dictionaries(st.sampled_from(COLUMNS), values, min_size=1, max_size=6)


def _validator(fixed_header: bool) -> RowValidator:
    return RowValidator(
        source_file="fuzz",
        channel="sms",
        max_text_chars=200,
        timezone=ZoneInfo("Europe/Moscow"),
        mapper=ColumnMapper(aliases=ALIASES),
        fixed_header=fixed_header,
    )


def _check_batch(records: list[Record], fixed_header: bool) -> None:
    v = _validator(fixed_header)
    stored, rejected = v.split(records)
    seen = sorted([*stored["source_row"], *rejected["source_row"]])
    # each row once: stored or rejected, or on a workbook sheet skipped with a note
    assert seen == sorted(r.row for r in records if r.part not in v.skipped_parts)
    try:
        notes = v.finish()
    except ValueError as exc:  # ColumnError: no sheet had a text column
        notes = [str(exc)]
    assert all(any(f"sheet {p!r} skipped" in n for n in notes) for p in v.skipped_parts)
    assert rejected["reason"].map(lambda r: isinstance(r, str) and r != "").all()
    # rows of two workbook sheets may share a number: the sheet tells them apart
    originals = {(r.part, r.row): (r.fields or {}).get("text") for r in records}
    for _, row in stored.iterrows():
        text = row["text_raw"]
        assert isinstance(text, str) and text.strip()
        text.encode("utf-8")  # no undecodable bytes reach the store
        part = row["source_file"].partition(" [")[2].removesuffix("]")
        original = originals[(part, row["source_row"])]
        assert not isinstance(original, dict | list)  # a JSON value is not a question
        if isinstance(original, str):
            assert text == original.strip()
        elif isinstance(original, bytes):  # decoded, never stored as "b'...'"
            assert text == decode_value(original).strip()
        json.dumps(row["meta"], allow_nan=False)  # meta is plain JSON
        created = row["created_at"]
        assert created is None or created != created or 1900 <= created.year < 2100
        assert (
            row["age"] is None
            or (isinstance(row["age"], int) and 0 < row["age"] < 120)
            or math.isnan(row["age"])
        )


def _check_rows(records: list[Record], fixed_header: bool) -> None:
    _check_batch(records, fixed_header)


@FAST
@given(st.lists(rows, min_size=1, max_size=8))
def test_validator_stores_or_rejects_every_record(fields: list[dict]) -> None:
    # JSON Lines: each record has its own keys
    records = [Record(i + 1, f) for i, f in enumerate(fields)]
    _check_rows(records, fixed_header=False)


@pytest.mark.slow
@SLOW
@given(st.lists(rows, min_size=1, max_size=8))
def test_validator_stores_or_rejects_every_record_long(fields: list[dict]) -> None:
    _check_rows([Record(i + 1, f) for i, f in enumerate(fields)], fixed_header=False)


def _read_and_check(path: Path) -> None:
    notes: list[str] = []
    try:
        records = list(read_records(path, notes=notes))
    except InputError as exc:  # a whole file refused, with its reason
        assert str(exc)
        return
    assert all((r.fields is None) == bool(r.error) for r in records)
    try:
        _check_rows(records, fixed_header=path.suffix != ".jsonl")
    except ValueError as exc:  # ColumnError: no text column, said for the whole file
        assert "no text column" in str(exc)


csv_cells = st.one_of(
    st.text(max_size=40), st.sampled_from(['"', '""', "\n", "\r", ";", ",", "\x00", "\ufeff"])
)
encodings = st.sampled_from(
    ["utf-8", "utf-8-sig", "cp1251", "koi8_r", "utf-16", "utf-16-le", "utf-16-be"]
)


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(COLUMNS + ["", "text"]), min_size=1, max_size=5))
    body = draw(st.lists(st.lists(csv_cells, min_size=0, max_size=6), max_size=8))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=draw(st.sampled_from([",", ";", "\t", "|"])))
    if draw(st.booleans()):
        buf.write(draw(st.text(max_size=30)) + "\n")  # a title line, or junk
    w.writerow(header)
    for r in body:
        w.writerow(r)
    text = buf.getvalue()
    data = b"".join(
        line.encode(draw(encodings), errors="replace") for line in text.splitlines(keepends=True)
    )
    if draw(st.booleans()):  # raw garbage somewhere
        pos = draw(st.integers(0, len(data)))
        data = data[:pos] + draw(st.binary(max_size=20)) + data[pos:]
    return data


@FAST
@given(csv_files())
def test_any_csv_file_is_read_or_refused_whole(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "q.csv"
    path.write_bytes(data)
    _read_and_check(path)


@pytest.mark.slow
@SLOW
@given(csv_files())
def test_any_csv_file_is_read_or_refused_whole_long(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "q.csv"
    path.write_bytes(data)
    _read_and_check(path)


json_lines = st.one_of(
    rows.map(lambda r: json.dumps(r, default=repr, ensure_ascii=False)),
    st.text(max_size=50),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 3000).map(lambda n: '{"text": "x", "a": ' + "[" * n + "]" * n + "}"),
    st.sampled_from(
        ['{"text": 1e400}', '{"text": NaN}', '{"text": "\\ud800"}', '{"text": "a\\u0000b"}']
    ),
)


@FAST
@given(st.lists(json_lines, min_size=1, max_size=6))
def test_any_json_lines_file_is_read(tmp_path_factory, lines: list[str]) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "q.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    _read_and_check(path)


@pytest.mark.slow
@SLOW
@given(st.lists(json_lines, min_size=1, max_size=6))
def test_any_json_lines_file_is_read_long(tmp_path_factory, lines: list[str]) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "q.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    _read_and_check(path)


xlsx_cells = st.one_of(
    st.none(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    st.sampled_from(["=1/0", "=SUM(A1:A3)", "=НЕИЗВЕСТНО()", " ", "0001-01-01", "31.02.2025"]),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
)


@st.composite
def workbooks(draw) -> list[list[list]]:
    sheets = []
    for _ in range(draw(st.integers(1, 3))):
        header = draw(st.lists(st.sampled_from(COLUMNS + [""]), min_size=1, max_size=4))
        body = draw(st.lists(st.lists(xlsx_cells, max_size=5), max_size=6))
        title = draw(st.lists(st.lists(xlsx_cells, max_size=1), max_size=2))
        sheets.append([*title, header, *body])
    return sheets


def _write_xlsx(path: Path, sheets: list[list[list]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for i, rows_ in enumerate(sheets):
        ws = wb.create_sheet(f"s{i}")
        for r in rows_:
            ws.append(r)
    wb.save(path)


XLSX_FAST = settings(FAST, max_examples=15)


@XLSX_FAST
@given(workbooks())
def test_any_workbook_is_read_or_refused_whole(tmp_path_factory, sheets) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "q.xlsx"
    _write_xlsx(path, sheets)
    _read_and_check(path)


@pytest.mark.slow
@settings(SLOW, max_examples=300)
@given(workbooks())
def test_any_workbook_is_read_or_refused_whole_long(tmp_path_factory, sheets) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "q.xlsx"
    _write_xlsx(path, sheets)
    _read_and_check(path)


@st.composite
def parquet_tables(draw):
    import pyarrow as pa

    n = draw(st.integers(1, 6))
    kinds = {
        "string": (pa.string(), st.one_of(st.none(), st.text(max_size=30))),
        "binary": (pa.binary(), st.one_of(st.none(), st.binary(max_size=20))),
        "int": (pa.int64(), st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1))),
        "float": (pa.float64(), st.one_of(st.none(), st.floats())),
        "ts_s": (pa.timestamp("s"), st.one_of(st.none(), st.integers(-(2**50), 2**50))),
        "ts_us": (pa.timestamp("us"), st.one_of(st.none(), st.integers(-(2**62), 2**62))),
        "list": (
            pa.list_(pa.string()),
            st.one_of(st.none(), st.lists(st.text(max_size=5), max_size=3)),
        ),
    }
    names = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=4))
    arrays = []
    for _ in names:
        typ, values_ = kinds[draw(st.sampled_from(sorted(kinds)))]
        data = draw(st.lists(values_, min_size=n, max_size=n))
        if pa.types.is_timestamp(typ):
            arrays.append(pa.array(data, pa.int64()).cast(typ))
        else:
            arrays.append(pa.array(data, typ))
    return pa.Table.from_arrays(arrays, names=names)


@FAST
@given(parquet_tables())
def test_any_parquet_file_is_read_or_refused_whole(tmp_path_factory, table) -> None:
    import pyarrow.parquet as pq

    path = tmp_path_factory.mktemp("fuzz") / "q.parquet"
    pq.write_table(table, path)
    _read_and_check(path)


@pytest.mark.slow
@SLOW
@given(parquet_tables())
def test_any_parquet_file_is_read_or_refused_whole_long(tmp_path_factory, table) -> None:
    import pyarrow.parquet as pq

    path = tmp_path_factory.mktemp("fuzz") / "q.parquet"
    pq.write_table(table, path)
    _read_and_check(path)
