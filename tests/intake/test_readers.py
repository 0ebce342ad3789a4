from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from veche.intake import InputError, read_records
from veche.intake.encoding import decode

TEXT = "Когда проиндексируют пенсии работающим пенсионерам?"


def _rows(path: Path) -> list:
    return list(read_records(path))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "koi8_r"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "q.csv"
    p.write_bytes(f"id,text\n1,{TEXT}\n2,Нет отопления в доме\n".encode(encoding))
    recs = _rows(p)
    assert [r.fields["text"] for r in recs] == [TEXT, "Нет отопления в доме"]
    assert all(r.error is None for r in recs)


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_csv_delimiters_are_sniffed(tmp_path: Path, delim: str) -> None:
    p = tmp_path / "q.csv"
    p.write_text(f"id{delim}text{delim}region\n1{delim}{TEXT}{delim}Курск\n", encoding="utf-8")
    (rec,) = _rows(p)
    assert rec.fields == {"id": "1", "text": TEXT, "region": "Курск"}


def test_broken_csv_lines_are_rejected_and_later_rows_kept(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_text(
        "id;text;region\n"
        '1;"ok; quoted";A\n'
        '2;"stray "quote" here;B\n'
        "3;fine;C\n"
        '4;"never closed;D\n'
        "5;also fine;E\n"
        "6;too;many;fields\n"
        '7;"multi\nline";F\n',
        encoding="utf-8",
    )
    recs = _rows(p)
    good = [r.fields["id"] for r in recs if r.fields]
    bad = {r.row: r.error for r in recs if r.error}
    assert good == ["1", "3", "5", "7"]
    assert set(bad) == {3, 5, 7}
    assert "4 fields, header has 3" in bad[7]
    assert all("malformed CSV" in e for e in bad.values())


def test_a_legacy_line_in_a_utf8_file_is_read_in_its_own_encoding(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    lines = [f"{i},вопрос номер {i}\n".encode() for i in range(100)]
    lines[50] = b"50," + "испорченная строка".encode("cp1251") + b"\n"
    lines[60] = b"60,\x81\x00\x02\x9f garbage\n"  # reads as no encoding: its row is rejected
    p.write_bytes(b"id,text\n" + b"".join(lines))
    d = decode(p.read_bytes())
    assert d.encoding == "utf-8+cp1251" and d.has_bad_bytes
    recs = _rows(p)
    assert len(recs) == 100
    assert recs[50].fields["text"] == "испорченная строка"
    assert "\udc81" in recs[60].fields["text"]  # the validator rejects it (see test_rows)


def test_jsonl_malformed_and_non_object_lines(tmp_path: Path) -> None:
    p = tmp_path / "q.jsonl"
    p.write_text(
        json.dumps({"text": TEXT}, ensure_ascii=False)
        + "\n{broken json\n[1, 2]\n\n"
        + json.dumps({"text": "второй"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    recs = _rows(p)
    assert [r.fields["text"] for r in recs if r.fields] == [TEXT, "второй"]
    errors = {r.row: r.error for r in recs if r.error}
    assert set(errors) == {2, 3}
    assert "malformed JSON" in errors[2] and "expected an object" in errors[3]


def test_xlsx_and_parquet(tmp_path: Path) -> None:
    df = pd.DataFrame({"id": [1, 2], "text": [TEXT, "второй вопрос"], "region": ["Курск", None]})
    df.to_excel(tmp_path / "q.xlsx", index=False)
    df.to_parquet(tmp_path / "q.parquet")
    for name, first_row in (("q.xlsx", 2), ("q.parquet", 1)):
        recs = _rows(tmp_path / name)
        assert [r.fields["text"] for r in recs] == [TEXT, "второй вопрос"]
        assert recs[0].row == first_row


def test_unknown_format_and_broken_binary_files(tmp_path: Path) -> None:
    (tmp_path / "q.doc").write_text("x")
    with pytest.raises(InputError, match="unsupported format"):
        _rows(tmp_path / "q.doc")
    (tmp_path / "q.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="XLSX"):
        _rows(tmp_path / "q.xlsx")
    (tmp_path / "q.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="Parquet"):
        _rows(tmp_path / "q.parquet")
