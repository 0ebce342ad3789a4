"""The three writers on a demo picture: real content, escaping, offline HTML, round trips."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from markupsafe import escape
from plotly.offline import get_plotlyjs
from report_browser import CHROMIUM_ENV, find_chromium, png_size_and_rows, run_page

from sample_picture import sample_picture
from veche.demo.topics import URGENT_KIND_WEIGHTS
from veche.report import FORMATS, TABLES, DayPicture, empty_picture, write_report
from veche.report.html import context
from veche.report.jsonout import SCHEMA, read_json
from veche.report.labels import URGENT_KINDS_RU
from veche.report.xlsx import SHEETS, SUMMARY_SHEET
from veche.urgency.detector import UrgencyDetector

PLANT = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","click")'
VOID = {"meta", "br", "img", "link", "input", "hr", "col", "wbr", "source", "area", "base"}


@pytest.fixture(scope="module")
def picture() -> DayPicture:
    p = sample_picture(n=1500, seed=3, max_fine=10, shortlist_size=30, plant=PLANT)
    # plant hostile text where users' words reach the report: a label, a shortlist, a campaign
    p.themes.loc[p.themes.index[-1], "label"] = PLANT
    p.shortlists.loc[0, "text"] = FORMULA
    p.shortlists.loc[1, "text"] = PLANT
    return p


@pytest.fixture(scope="module")
def written(picture: DayPicture, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("report")
    return {fmt: write_report(picture, d / f"day.{fmt}") for fmt in FORMATS}


class _Balance(HTMLParser):
    """Checks that every non-void element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _check_balanced(html: str) -> None:
    b = _Balance()
    b.feed(html)
    b.close()
    assert not b.errors[:5] and not b.stack, (b.errors[:5], b.stack[-5:])


def test_sample_picture_is_realistic(picture: DayPicture) -> None:
    t = picture.themes
    assert (t["level"] == "broad").sum() == 12 and (t["level"] == "fine").sum() == 10
    assert picture.day is not None and 0 < picture.n_day < picture.n_questions
    broad = picture.broad_themes
    assert broad["count"].sum() >= picture.n_questions  # a question may carry several themes
    assert (broad["growth"].dropna() > 0).all() and broad["growth"].notna().all()
    sizes = picture.shortlists.groupby("theme_id").size()
    assert sizes.max() == 30 and set(sizes.index) == set(t["theme_id"])
    assert len(picture.urgent) > 0 and picture.urgent["priority"].is_monotonic_decreasing
    assert not picture.urgent["text"].str.contains(r"\+?7\d{10}|@\w+\.", regex=True).any()


def test_html_offline_escaped_and_complete(picture: DayPicture, written: dict[str, Path]) -> None:
    html = written["html"].read_text(encoding="utf-8")
    assert html.count(get_plotlyjs()) == 1  # plotly.js once, inline
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 4  # plotly.js + three charts
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']https?://", html)
    # hostile text shows as text and never as markup, in tables and in chart data
    assert PLANT not in html and "<img src=x" not in html
    assert str(escape(PLANT)) in html
    for label in picture.themes["label"]:
        assert str(escape(label)) in html
    assert str(escape(picture.urgent["text"].iloc[1])) in html
    for sec in ("summary", "themes", "trend", "regions", "urgent", "campaigns", "shortlists"):
        assert f'<section id="{sec}">' in html
    # one collapsible shortlist per theme, each with its rows
    assert html.count("<details>") == 1 + picture.themes["theme_id"].nunique()
    first = picture.broad_themes.iloc[0]
    block = html.split(f"<b>{escape(first['label'])}</b>")[1].split("</details>")[0]
    n_rows = int((picture.shortlists["theme_id"] == first["theme_id"]).sum())
    assert block.count("<tr>") == n_rows + 1
    # the routes of the taxonomy topics are listed
    for route in picture.topics["route"]:
        assert str(escape(route)) in html
    _check_balanced(html)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_html_scripts_parse(written: dict[str, Path], tmp_path: Path) -> None:
    html = written["html"].read_text(encoding="utf-8")
    bodies = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    for i, body in enumerate(bodies):
        js = tmp_path / f"s{i}.js"
        js.write_text(body, encoding="utf-8")
        r = subprocess.run(["node", "--check", str(js)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr[:500]


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip(f"no chromium (scripts/browser.sh installs it; or set {CHROMIUM_ENV})")
    return path


def test_html_renders_in_chromium(
    picture: DayPicture, written: dict[str, Path], chromium: str, tmp_path: Path
) -> None:
    html = written["html"].read_text(encoding="utf-8")
    charts = context(picture)["charts"]
    assert all(c is not None for c in charts.values())  # the demo picture has every chart
    n_charts = len(charts)
    assert html.count('class="plotly-graph-div"') == n_charts
    run = run_page(chromium, html, tmp_path, size=(1400, 3000))
    assert run.errors == []
    assert len(run.charts) == n_charts
    for c in run.charts:  # plotly drew every trace of every chart, at a real size
        assert c["svg"] > 0 and c["traces"] > 0 and c["drawn"] == c["traces"], c
        assert c["width"] > 600 and c["height"] > 200, c
    width, height, rows = png_size_and_rows(run.screenshot)
    assert (width, height) == (1400, 3000) and rows > 500  # a page, not a blank image


def test_browser_probe_catches_script_errors(chromium: str, tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p>"
        "<script>undefinedFunction();</script>"
        '<script>console.error("boom");</script>'
        '<script>Promise.reject(new Error("late"));</script>'
        "</body></html>"
    )
    run = run_page(chromium, page, tmp_path, size=(400, 300))
    assert any("undefinedFunction" in e for e in run.errors), run.errors
    assert any("boom" in e for e in run.errors) and any("late" in e for e in run.errors)
    assert run.charts == []
    assert png_size_and_rows(run.screenshot)[:2] == (400, 300)


def test_every_urgent_kind_has_a_russian_name() -> None:
    # the detector's kinds reach real reports, the generator's the sample one
    kinds = set(UrgencyDetector().kinds) | set(URGENT_KIND_WEIGHTS)
    assert len(kinds) > 5 and kinds <= set(URGENT_KINDS_RU), kinds - set(URGENT_KINDS_RU)


def test_xlsx_sheets_rows_and_safety(picture: DayPicture, written: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(written["xlsx"])
    assert wb.sheetnames == [SUMMARY_SHEET] + [title for title, _ in SHEETS.values()]
    for name, (title, headers) in SHEETS.items():
        ws = wb[title]
        assert ws.max_row == len(getattr(picture, name)) + 1, title
        assert [c.value for c in ws[1]] == list(headers.values())
        assert ws.freeze_panes == "A2"
    summary = {r[0]: r[1] for r in wb[SUMMARY_SHEET].iter_rows(min_row=2, values_only=True)}
    assert summary["Вопросов всего"] == picture.n_questions
    # the numbers the HTML heading and the CLI give: questions, and lines without repeats
    assert summary["Срочных вопросов"] == picture.urgent_counts[0] > len(picture.urgent)
    assert summary["Срочных без повторов"] == len(picture.urgent)
    short = wb[SHEETS["shortlists"][0]]
    text_col = list(SHEETS["shortlists"][1]).index("text") + 1
    cell = short.cell(row=2, column=text_col)
    assert cell.value == FORMULA and cell.data_type == "s"  # text, not a live formula
    terms = wb[SHEETS["themes"][0]].cell(row=2, column=5).value
    assert terms == ", ".join(picture.themes["terms"].iloc[0])
    assert wb[SHEETS["themes"][0]].column_dimensions["F"].width > 20  # central_text is wide


def test_json_round_trip(picture: DayPicture, written: dict[str, Path]) -> None:
    obj = json.loads(written["json"].read_text(encoding="utf-8"))
    assert obj["schema"] == SCHEMA
    keys = {"schema", "day", "generated_at", "n_questions", "n_day", "notes", *TABLES}
    assert set(obj) == keys | {"n_urgent", "n_urgent_groups"}
    assert obj["day"] == picture.day.isoformat()
    assert isinstance(obj["themes"][0]["terms"], list)
    assert obj["urgent"][0]["created_at"].startswith(str(picture.urgent["created_at"].iloc[0])[:10])
    back = read_json(written["json"])
    assert back.day == picture.day and back.n_questions == picture.n_questions
    assert back.urgent_counts == picture.urgent_counts
    for name in TABLES:
        assert len(getattr(back, name)) == len(getattr(picture, name)), name
    assert back.urgent["text"].iloc[0] == PLANT  # JSON keeps text as is; HTML escapes it
    assert back.themes["terms"].iloc[0] == list(picture.themes["terms"].iloc[0])
    assert back.daily["day"].iloc[0] == picture.daily["day"].iloc[0]


def test_empty_picture_writes_valid_files(tmp_path: Path) -> None:
    p = empty_picture(notes=["Анализ ещё не запускался."])
    paths = {fmt: write_report(p, tmp_path / f"empty.{fmt}", fmt) for fmt in FORMATS}
    html = paths["html"].read_text(encoding="utf-8")
    assert "<script" not in html  # no chart, so no plotly.js either
    assert "Срочных вопросов нет" in html and "Анализ ещё не запускался." in html
    _check_balanced(html)
    wb = openpyxl.load_workbook(paths["xlsx"])
    assert all(wb[title].max_row == 1 for title, _ in SHEETS.values())
    back = read_json(paths["json"])
    assert back.n_questions == 0 and back.day is None
    assert all(len(getattr(back, name)) == 0 for name in TABLES)


def test_write_report_dispatch(tmp_path: Path) -> None:
    p = empty_picture()
    assert write_report(p, tmp_path / "a.JSON").read_text(encoding="utf-8").startswith("{")
    with pytest.raises(ValueError, match="unknown report format"):
        write_report(p, tmp_path / "a.pdf")


@pytest.mark.slow
def test_fifty_themes_stay_usable(tmp_path: Path) -> None:
    p = sample_picture(n=20000, seed=1, max_fine=38, shortlist_size=100)
    assert len(p.themes) == 50 and len(p.shortlists) > 4500
    html = write_report(p, tmp_path / "big.html")
    assert html.stat().st_size < 12e6  # plotly.js is ~4.8 MB of it
    text = html.read_text(encoding="utf-8")
    assert all(str(escape(label)) in text for label in p.themes["label"])
    assert write_report(p, tmp_path / "big.xlsx").stat().st_size < 2e6


def test_same_labels_stay_separate_bars(tmp_path: Path) -> None:
    p = empty_picture(date(2025, 12, 19))
    p.n_questions = p.n_day = 30
    p.themes = pd.DataFrame(
        {"theme_id": ["a", "b"], "level": "broad", "label": ["ЖКХ", "ЖКХ"], "count": [20, 10],
         "count_day": [5, 4], "count_prev": [1.0, 0.0], "growth": [5.0, float("inf")]}
    )  # fmt: skip
    html = write_report(p, tmp_path / "same.html").read_text(encoding="utf-8")
    # a second bar, not merged into the first (plotly writes non-ASCII as \uXXXX)
    assert json.dumps("ЖКХ (b)") in html
    assert "×5,0" in html and "новая" in html
    assert (
        json.loads(write_report(p, tmp_path / "same.json").read_text())["themes"][1]["growth"]
        is None
    )  # inf is not JSON
