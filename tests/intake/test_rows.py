from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from veche.config import IntakeConfig
from veche.intake import ColumnError, ColumnMapper, Record, RowValidator


def _validator(**kw) -> RowValidator:
    args = dict(
        source_file="q.csv",
        channel="sms",
        max_text_chars=100,
        timezone=ZoneInfo("Europe/Moscow"),
        mapper=ColumnMapper(aliases=IntakeConfig().aliases),
    )
    args.update(kw)
    return RowValidator(**args)


def test_valid_rows_map_columns_and_keep_extras_as_meta() -> None:
    rows, rejects = _validator().split(
        [
            Record(
                2,
                {
                    "Текст сообщения": " Где пенсия? ",
                    "Дата": "05.12.2025 10:30",
                    "Регион": "Курская область",
                    "Пол": "Ж",
                    "Возраст": "67",
                    "topic": "x",
                },
            ),
        ]
    )
    assert rejects.empty
    r = rows.iloc[0]
    assert r["text_raw"] == "Где пенсия?"
    assert r["region"] == "Курская область" and r["gender"] == "f" and r["age"] == 67
    assert r["created_at"] == datetime(2025, 12, 5, 7, 30, tzinfo=UTC)  # Moscow is UTC+3
    assert r["meta"] == {"topic": "x"}
    assert r["channel"] == "sms" and r["source_row"] == 2


def test_each_bad_row_is_rejected_with_its_reason() -> None:
    rows, rejects = _validator().split(
        [
            Record(2, {"text": "   "}),
            Record(3, {"text": "x" * 101}),
            Record(4, {"text": "ok", "created_at": "вчера вечером"}),
            Record(5, {"text": "bad \udcc0\udcc1 bytes"}),
            Record(6, None, "malformed CSV line: 4 fields, header has 3", "a;b;c;d"),
            Record(7, {"text": "fine", "created_at": "2025-12-05T10:30:00+03:00", "age": "abc"}),
        ]
    )
    assert list(rows["source_row"]) == [4, 7]
    assert rows.iloc[1]["age"] is None  # a bad age does not cost the question
    # nor does a bad date: the question is kept undated, the value in meta, the row counted
    assert pd.isna(rows.iloc[0]["created_at"])
    assert rows.iloc[0]["meta"] == {"created_at": "вчера вечером"}
    reasons = dict(zip(rejects["source_row"], rejects["reason"], strict=True))
    assert reasons[2] == "empty text"
    assert reasons[3].startswith("text too long: 101 characters")
    assert 4 not in reasons
    assert reasons[5].startswith("bad encoding")
    assert reasons[6].startswith("malformed CSV")
    assert rejects["excerpt"].map(lambda s: s.encode("utf-8")).notna().all()


def test_keys_are_stable_and_depend_on_source_id_and_text() -> None:
    v = _validator()
    a, _ = v.split([Record(2, {"id": "A1", "text": "вопрос"})])
    b, _ = v.split([Record(9, {"id": "A1", "text": "вопрос"})])  # same id, other row
    c, _ = v.split([Record(2, {"id": "A2", "text": "вопрос"})])
    d, _ = v.split([Record(2, {"text": "вопрос"}), Record(3, {"text": "вопрос"})])
    assert a.key[0] == b.key[0] != c.key[0]
    assert d.key[0] != d.key[1]  # without ids, two identical texts are two questions


def test_missing_text_column_sinks_a_csv_but_rejects_one_json_record() -> None:
    with pytest.raises(ColumnError, match="no text column"):
        _validator().split([Record(2, {"question_text": "x"})])
    rows, rejects = _validator(fixed_header=False).split(
        [Record(1, {"text": "ok"}), Record(2, {"other": "x"})]
    )
    assert len(rows) == 1 and rejects.iloc[0]["source_row"] == 2


def test_explicit_map_wins_and_unknown_column_is_an_error() -> None:
    v = _validator(mapper=ColumnMapper(explicit={"text": "Вопрос гражданина"}))
    rows, _ = v.split([Record(2, {"Вопрос гражданина": "где дорога?", "text": "other"})])
    assert rows.iloc[0]["text_raw"] == "где дорога?"
    assert rows.iloc[0]["meta"] == {"text": "other"}
    with pytest.raises(ColumnError, match="--map text=nope"):
        _validator(mapper=ColumnMapper(explicit={"text": "nope"})).split([Record(2, {"text": "x"})])
