"""No file veche writes for people can run code: exports, rejects and the report workbook
(OWASP's CSV-injection rule, issue 16 item 7)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from factories import question_batch, reject_rows
from sample_picture import sample_picture
from veche.cells import FORMULA_TRIGGERS, neutralise
from veche.config import VecheConfig
from veche.export import export
from veche.pipeline import ingest
from veche.report import write_report
from veche.store import Store

PAYLOADS = [
    '=HYPERLINK("http://evil.example","click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


def _all_xlsx_cells(path: Path) -> list[openpyxl.cell.Cell]:
    wb = openpyxl.load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def _assert_no_formula(path: Path, planted: list[str]) -> None:
    cells = _all_xlsx_cells(path)
    assert not [c.value for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    for p in planted:  # still there, readable, as text Excel keeps as text
        p = p.replace("\r", "\n")  # XML reads a carriage return back as a line feed
        cell = next(c for v, c in by_value.items() if v.startswith(p))
        assert cell.data_type == "s" and cell.quotePrefix, p


def _assert_csv_safe(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    bad = [v for row in rows for v in row if v.startswith(FORMULA_TRIGGERS)]
    assert not bad
    return rows


@pytest.fixture
def hostile(store: Store) -> Store:
    run = store.begin_run(["f.csv"])
    batches = [
        question_batch([f"k{i}"], text=p).assign(meta=[{"Комментарий": p}])
        for i, p in enumerate(PAYLOADS)
    ]
    for b in batches:
        store.write_batch(run, b, reject_rows([]))
    return store


def test_xlsx_export_has_no_formulas(hostile: Store, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    assert export(hostile, out) == len(PAYLOADS)
    _assert_no_formula(out, PAYLOADS)


def test_csv_export_cells_never_start_a_formula(hostile: Store, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    export(hostile, out)
    rows = _assert_csv_safe(out)
    text = [r[rows[0].index("text")] for r in rows[1:]]
    assert text == [f"'{p} [ТЕЛЕФОН]" for p in PAYLOADS]  # readable: only a quote added


def test_neutralise_leaves_ordinary_values_alone() -> None:
    assert neutralise("Когда починят дорогу?") == "Когда починят дорогу?"
    assert neutralise(-5) == -5 and neutralise(None) is None
    assert neutralise("=1") == "'=1"


def test_report_workbook_has_no_formulas(tmp_path: Path) -> None:
    p = sample_picture(n=600, seed=3, max_fine=6, shortlist_size=10)
    for i, payload in enumerate(PAYLOADS[:4]):
        p.shortlists.loc[i, "text"] = payload
    p.themes.loc[p.themes.index[0], "label"] = PAYLOADS[1]
    out = write_report(p, tmp_path / "day.xlsx")
    _assert_no_formula(out, PAYLOADS[:4])


def test_rejects_file_cells_never_start_a_formula(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        'id,created_at,text\n"=HYPERLINK(""http://evil.example"")",2025-12-05,""\n'
        '"-2+3+cmd|\' /C calc\'!A0",2025-12-05,"  "\n',
        encoding="utf-8",
    )
    res = ingest([path], config, store)
    assert res.rejects_path is not None
    rows = _assert_csv_safe(res.rejects_path)
    excerpts = [r[rows[0].index("excerpt")] for r in rows[1:]]
    assert [e[:4] for e in excerpts] == ["'=HY", "'-2+"]
