"""The DayPicture contract: conform() fills, orders and normalises the tables."""

from __future__ import annotations

from datetime import date

import pandas as pd

from veche.report.picture import COLUMNS, DayPicture, as_list, conform, empty_picture


def test_conform_adds_missing_columns_and_drops_unknown() -> None:
    p = empty_picture(date(2025, 12, 19))
    p.themes = pd.DataFrame(
        {"label": ["ЖКХ"], "theme_id": ["t1"], "terms": ["тариф, отопление"], "extra": [1]}
    )
    c = conform(p)
    assert list(c.themes.columns) == COLUMNS["themes"]
    assert c.themes.loc[0, "terms"] == ["тариф", "отопление"]
    assert pd.isna(c.themes.loc[0, "count"])
    assert "extra" not in c.themes
    assert p.themes.columns.tolist()[-1] == "extra"  # the original is left alone


def test_empty_picture_has_every_table() -> None:
    p = empty_picture()
    assert isinstance(p, DayPicture) and p.day is None and p.n_questions == 0
    assert {k: list(v.columns) for k, v in p.tables().items()} == COLUMNS
    assert p.broad_themes.empty


def test_as_list() -> None:
    assert as_list(None) == [] and as_list(float("nan")) == []
    assert as_list(("a", "b")) == ["a", "b"] and as_list("a, b,") == ["a", "b"]


def test_missing_label_falls_back_to_id() -> None:
    p = empty_picture()
    p.themes = pd.DataFrame({"theme_id": ["t7", "t8"], "label": [None, "ЖКХ"]})
    assert conform(p).themes["label"].tolist() == ["t7", "ЖКХ"]
