"""Hostile values and files (issue 16): each row is stored or rejected with a reason, never a crash."""

from __future__ import annotations

import gzip
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from veche.config import IntakeConfig
from veche.intake import ColumnError, ColumnMapper, InputError, Record, RowValidator, read_records
from veche.intake.dates import DateError, parse_date
from veche.intake.encoding import decode
from veche.intake.readers import ReadLimits

MSK = ZoneInfo("Europe/Moscow")


def _validator(**kw) -> RowValidator:
    args = dict(
        source_file="q.csv",
        channel="sms",
        max_text_chars=1000,
        timezone=MSK,
        mapper=ColumnMapper(aliases=IntakeConfig().aliases),
    )
    args.update(kw)
    return RowValidator(**args)


HOSTILE_DATES = [
    "0001-01-01",
    "9999-12-31T23:00-05:00",
    1e15,
    "1e15",
    "Infinity",
    float("inf"),
    float("nan"),
    -1e300,
    "NaN",
    datetime(1, 1, 1),
    datetime(9999, 12, 31, 23),
    True,
]


@pytest.mark.parametrize("value", HOSTILE_DATES, ids=repr)
def test_a_hostile_date_keeps_the_question_undated(value) -> None:
    v = _validator()
    rows, rejects = v.split(
        [Record(2, {"text": "Где пенсия?", "created_at": value}), Record(3, {"text": "ok"})]
    )
    assert rejects.empty and list(rows["source_row"]) == [2, 3]
    assert pd.isna(rows.iloc[0]["created_at"])
    assert "created_at" in rows.iloc[0]["meta"]  # the unread value is kept
    assert v.n_undated == 1 and "row 2" in v.finish()[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 декабря 2025", datetime(2025, 12, 4, 21, tzinfo=UTC)),
        ("5 дек. 2025 г.", datetime(2025, 12, 4, 21, tzinfo=UTC)),
        ("05.12.25", datetime(2025, 12, 4, 21, tzinfo=UTC)),
        ("12/25/2025", datetime(2025, 12, 24, 21, tzinfo=UTC)),
        ("05/12/2025", datetime(2025, 12, 4, 21, tzinfo=UTC)),  # day first, as in Russia
        ("Dec 5, 2025", datetime(2025, 12, 4, 21, tzinfo=UTC)),
        ("December 5, 2025 14:30", datetime(2025, 12, 5, 11, 30, tzinfo=UTC)),
        ("1764892800", datetime(2025, 12, 5, tzinfo=UTC)),
        ("1764892800000", datetime(2025, 12, 5, tzinfo=UTC)),
        (1764892800, datetime(2025, 12, 5, tzinfo=UTC)),
    ],
)
def test_dates_people_write_are_read(text, expected) -> None:
    assert parse_date(text, MSK) == expected


@pytest.mark.parametrize("text", ["2025", "45996", "вчера", "32 декабря 2025", "13/13/2025"])
def test_numbers_and_words_that_are_not_dates_are_refused(text) -> None:
    with pytest.raises(DateError):
        parse_date(text, MSK)


def test_hostile_ages_and_values_cost_nothing_else() -> None:
    rows, rejects = _validator().split(
        [
            Record(2, {"text": "a", "age": "1e400"}),
            Record(3, {"text": "b", "age": float("-inf")}),
            Record(4, {"text": "c", "age": 10**400}),
            Record(5, {"text": "d", "extra": float("inf"), "blob": b"\xd0\x9a\xd0\xb0"}),
            Record(6, {"text": "e", "nested": {"a": [1, {"b": 2}]}}),
        ]
    )
    assert rejects.empty and rows["age"].isna().all()
    assert rows.iloc[3]["meta"] == {"extra": None, "blob": "Ка"}
    assert rows.iloc[4]["meta"] == {"nested": {"a": [1, {"b": 2}]}}  # JSON, not a repr


def test_json_values_as_text_are_rejected_never_stored_as_a_repr() -> None:
    rows, rejects = _validator().split(
        [
            Record(2, {"text": {"q": "где?"}}),
            Record(3, {"text": ["где?"]}),
            Record(4, {"text": "ok", "region": {"name": "Курск"}}),
        ]
    )
    reasons = dict(zip(rejects["source_row"], rejects["reason"], strict=True))
    assert reasons[2] == "text in column 'text' is an object, not text"
    assert reasons[3] == "text in column 'text' is an array, not text"
    assert rows.iloc[0]["region"] == '{"name": "Курск"}'


def test_an_unforeseen_error_in_one_row_is_that_rows_reject() -> None:
    class Exploding:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    rows, rejects = _validator().split(
        [Record(2, {"text": "ok"}), Record(3, {"text": Exploding()}), Record(4, {"text": "ok 2"})]
    )
    assert list(rows["source_row"]) == [2, 4]
    assert rejects.iloc[0]["reason"] == "unreadable row (RuntimeError: boom)"


def test_a_json_line_nested_100000_deep_is_one_reject(tmp_path: Path) -> None:
    p = tmp_path / "q.jsonl"
    p.write_text(
        '{"text": "первый"}\n'
        + "[" * 100_000
        + "]" * 100_000
        + "\n"
        + '{"text": "x", "m": '
        + "[" * 40
        + "]" * 40
        + "}\n"
        + '{"text": "x", "n": 1'
        + "0" * 5000
        + "}\n"
        + '{"text": "последний"}\n',
        encoding="utf-8",
    )
    recs = list(read_records(p))
    assert [r.fields["text"] for r in recs if r.fields] == ["первый", "последний"]
    errors = {r.row: r.error for r in recs if r.error}
    assert errors[2] == "malformed JSON: nested too deeply"
    assert errors[3] == "JSON record nested over 32 levels deep"
    assert errors[4] == "malformed JSON: a number with too many digits"


def test_parquet_year_one_binary_text_and_out_of_range_timestamps(tmp_path: Path) -> None:
    table = pa.table(
        {
            "text": pa.array(
                [b"\xd0\x9a\xd0\xbe\xd0\xb3\xd0\xb4\xd0\xb0?", b"ok", b"\xff\xfe"], pa.binary()
            ),
            "created_at": pa.array(
                [datetime(1, 1, 1), datetime(2025, 12, 5), datetime(2025, 1, 1)], pa.timestamp("us")
            ),
            "late": pa.array([0, 0, 300_000 * 365 * 86400], pa.int64()).cast(pa.timestamp("s")),
        }
    )
    pq.write_table(table, tmp_path / "q.parquet")
    recs = list(read_records(tmp_path / "q.parquet"))
    rows, rejects = _validator(source_file="q.parquet").split(recs)
    assert rows["text_raw"].tolist() == ["Когда?", "ok"]
    assert pd.isna(rows.iloc[0]["created_at"])  # year 1: kept undated
    assert rejects.iloc[0]["source_row"] == 3 and "column 'late'" in rejects.iloc[0]["reason"]


def test_mixed_cp1251_and_utf8_lines_are_each_read_right(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    lines = ["id,text\n"] + [f"{i},Когда починят дорогу номер {i}?\n" for i in range(20)]
    data = b"".join(line.encode("cp1251" if i % 2 else "utf-8") for i, line in enumerate(lines))
    p.write_bytes(data)
    notes: list[str] = []
    recs = list(read_records(p, notes=notes))
    assert [r.fields["text"] for r in recs] == [
        f"Когда починят дорогу номер {i}?" for i in range(20)
    ]
    assert "more than one encoding" in notes[0]


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(tmp_path: Path, enc: str) -> None:
    p = tmp_path / "q.csv"
    p.write_bytes("id,text\n1,Когда проиндексируют пенсии?\n".encode(enc))
    assert decode(p.read_bytes()).encoding == enc
    (rec,) = list(read_records(p))
    assert rec.fields == {"id": "1", "text": "Когда проиндексируют пенсии?"}


def test_duplicated_and_blank_headers_are_renamed_and_said(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_text("text,text,\nпервый,второй,третий\n", encoding="utf-8")
    notes: list[str] = []
    (rec,) = list(read_records(p, notes=notes))
    assert rec.fields == {"text": "первый", "text (2)": "второй", "column 3": "третий"}
    assert notes == ["column 2 repeats the name 'text': read as 'text (2)'"]


def test_a_title_line_above_the_header_is_skipped_and_said(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_text(
        "Обращения граждан за декабрь 2025\n\nid;text;region\n1;Где пенсия?;Курск\n",
        encoding="utf-8",
    )
    notes: list[str] = []
    (rec,) = list(read_records(p, notes=notes))
    assert rec.fields == {"id": "1", "text": "Где пенсия?", "region": "Курск"}
    assert rec.row == 4 and "skipped 2 lines above the header" in notes[0]
    one_column = tmp_path / "one.csv"
    one_column.write_text("text\nпервый\nвторой\n", encoding="utf-8")
    assert [r.fields["text"] for r in read_records(one_column)] == ["первый", "второй"]


def _workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Декабрь"
    ws.append(["Обращения за декабрь"])
    ws.append(["id", "text", "created_at"])
    ws.append([1, "Где пенсия?", datetime(2025, 12, 5, 10)])
    ws.append([2, '=CONCAT("a","b")', None])  # openpyxl writes no cached value
    ws.append([3, "Почему нет света?", "=TODAY()"])
    help_ws = wb.create_sheet("Инструкция")
    help_ws.append(["Как заполнять"])
    help_ws.append(["шаг", "описание"])
    help_ws.append([1, "впишите вопрос"])
    jan = wb.create_sheet("Январь")
    jan.append(["id", "text"])
    jan.append([1, "Где пенсия?"])  # same row and text as in December: another question
    wb.save(path)


def test_every_sheet_is_read_and_formulas_without_values_are_named(tmp_path: Path) -> None:
    path = tmp_path / "q.xlsx"
    _workbook(path)
    notes: list[str] = []
    v = _validator(source_file="q.xlsx")
    rows, rejects = v.split(read_records(path, notes=notes))
    assert rows["text_raw"].tolist() == ["Где пенсия?", "Почему нет света?", "Где пенсия?"]
    assert rows["source_file"].tolist() == ["q.xlsx", "q.xlsx", "q.xlsx [Январь]"]
    assert rows["key"].nunique() == 3
    assert pd.isna(rows.iloc[1]["created_at"]) and v.n_undated == 1
    assert rejects.iloc[0]["source_row"] == 4
    assert rejects.iloc[0]["reason"].startswith("formula without a value in column 'text'")
    assert "skipped 1 row above the header" in notes[0]
    (skipped, undated) = v.finish()
    assert skipped.startswith("sheet 'Инструкция' skipped (1 rows): no text column")
    assert "formula without a value" in undated


def test_a_workbook_with_no_text_column_anywhere_is_an_error(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["a", "b"])
    wb.active.append([1, 2])
    wb.create_sheet("2").append(["c", "d"])
    wb["2"].append([3, 4])
    wb.save(tmp_path / "q.xlsx")
    v = _validator(source_file="q.xlsx")
    with pytest.raises(ColumnError, match="no text column"):
        v.split(read_records(tmp_path / "q.xlsx"))


def _huge_sheet(path: Path, n_rows: int) -> None:
    """An XLSX claiming A1:XFD1048576 with ``n_rows`` blank rows between two data rows."""
    wb = Workbook()
    wb.active.append(["id", "text"])
    wb.active.append([1, "первый"])
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    blank = "".join(f'<row r="{r}"><c r="XFD{r}" s="0"/></row>' for r in range(3, 3 + n_rows))
    last = f'<row r="{3 + n_rows}"><c r="A{3 + n_rows}" t="inlineStr"><is><t>2</t></is></c><c r="B{3 + n_rows}" t="inlineStr"><is><t>последний</t></is></c></row>'
    xml = xml.replace("</sheetData>", blank + last + "</sheetData>")
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
    assert "XFD1048576" in xml
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_a_sheet_claiming_xfd1048576_streams_without_padding(tmp_path: Path) -> None:
    path = tmp_path / "q.xlsx"
    _huge_sheet(path, 20_000)
    recs = list(read_records(path))
    assert [(r.row, r.fields["text"]) for r in recs] == [(2, "первый"), (20_003, "последний")]
    assert all(len(r.fields) == 2 for r in recs)  # not 16,384 cells


def test_size_caps_refuse_bombs_with_a_clear_error(tmp_path: Path) -> None:
    small = ReadLimits(max_bytes=1 << 20)
    bomb = tmp_path / "q.csv.gz"
    with gzip.open(bomb, "wb") as fh:
        fh.write(b"id,text\n" + b"1," + b"a" * (2 << 20) + b"\n")
    with pytest.raises(InputError, match="decompresses to more than 1 MiB"):
        list(read_records(bomb, limits=small))
    ok = tmp_path / "ok.jsonl.gz"
    with gzip.open(ok, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "сжатый вопрос"}, ensure_ascii=False) + "\n")
    assert [r.fields["text"] for r in read_records(ok)] == ["сжатый вопрос"]
    xlsx = tmp_path / "big.xlsx"
    _huge_sheet(xlsx, 30_000)
    with pytest.raises(InputError, match="inflates to"):
        list(read_records(xlsx, limits=small))
    with pytest.raises(InputError, match="decompression bomb"):
        list(read_records(xlsx, limits=ReadLimits(max_zip_ratio=5)))
    with pytest.raises(InputError, match="past row 100"):
        list(read_records(xlsx, limits=ReadLimits(max_rows=100)))
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(50)) + ",text\n", encoding="utf-8")
    with pytest.raises(InputError, match="51 columns, over the limit of 10"):
        list(read_records(wide, limits=ReadLimits(max_columns=10)))


def test_a_short_row_keeps_every_column_of_its_sheet(tmp_path: Path) -> None:
    # found by the fuzzing: a row whose last cells are blank lost its text column and
    # was taken for a sheet without one
    wb = Workbook()
    wb.active.append(["id", "text", "region"])
    wb.active.append([None, None, "Курск"])
    wb.active.append([7])
    wb.active.append([8, "Где пенсия?"])
    wb.save(tmp_path / "q.xlsx")
    recs = list(read_records(tmp_path / "q.xlsx"))
    assert recs[1].fields == {"id": 7, "text": None, "region": None}
    rows, rejects = _validator(source_file="q.xlsx").split(recs)
    assert rows["text_raw"].tolist() == ["Где пенсия?"]
    assert rejects["reason"].tolist() == ["empty text", "empty text"]
