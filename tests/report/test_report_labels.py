"""People read urgency kinds and theme levels by their Russian names in every human-facing
writer (HTML, XLSX), from one mapping; the JSON file keeps the codes for machines."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from sample_picture import sample_picture
from veche.report import DayPicture, write_report
from veche.report import html as html_writer
from veche.report.labels import LEVELS_RU, URGENT_KINDS_RU, kind_names, level_name
from veche.report.xlsx import SHEETS


@pytest.fixture(scope="module")
def picture() -> DayPicture:
    p = sample_picture(n=800, seed=2, max_fine=5, shortlist_size=5)
    # a real report's kinds (the urgency lexicon's), several on one question, and an unknown one
    p.urgent.at[0, "kinds"] = ["life_health", "utilities_outage"]
    p.urgent.at[1, "kinds"] = ["new_kind"]
    return p


def _column(path: Path, table: str, col: str) -> list[object]:
    title, headers = SHEETS[table]
    ws = openpyxl.load_workbook(path)[title]
    i = list(headers).index(col) + 1
    return [c.value for (c,) in ws.iter_rows(min_row=2, min_col=i, max_col=i)]


def test_xlsx_names_urgency_kinds_and_levels_in_russian(
    picture: DayPicture, tmp_path: Path
) -> None:
    path = write_report(picture, tmp_path / "day.xlsx")
    kinds = _column(path, "urgent", "kinds")
    assert len(kinds) == len(picture.urgent) > 5
    assert kinds[0] == "угроза жизни или здоровью, коммунальная авария"
    assert kinds[1] == "new_kind"  # unknown codes show as they are, not dropped
    names = set(URGENT_KINDS_RU.values())
    for cell, codes in zip(kinds[2:], picture.urgent["kinds"].iloc[2:], strict=True):
        assert codes and cell == ", ".join(URGENT_KINDS_RU[k] for k in codes)
        assert set(cell.split(", ")) <= names
    levels = _column(path, "themes", "level")
    assert set(levels) == {"широкая", "узкая"}


def test_html_and_xlsx_share_one_mapping(picture: DayPicture, tmp_path: Path) -> None:
    # the HTML writer keeps no copy of its own: it shows what labels.py says
    assert not hasattr(html_writer, "URGENT_KINDS_RU")
    assert html_writer.fmt_kinds(["violence", "no_water"]) == "насилие, нет воды"
    assert html_writer.context(picture)["levels"] is LEVELS_RU
    page = write_report(picture, tmp_path / "day.html").read_text(encoding="utf-8")
    assert "угроза жизни или здоровью" in page and "коммунальная авария" in page
    assert kind_names(None) == [] and level_name("fine") == "узкая" and level_name(None) is None


def test_json_keeps_the_codes(picture: DayPicture, tmp_path: Path) -> None:
    data = json.loads(write_report(picture, tmp_path / "day.json").read_text(encoding="utf-8"))
    assert data["urgent"][0]["kinds"] == ["life_health", "utilities_outage"]
    assert {t["level"] for t in data["themes"]} == {"broad", "fine"}
