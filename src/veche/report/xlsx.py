"""The picture of the day as an Excel workbook: a summary sheet, then one sheet per table.

Sheets (in order): ``Сводка`` (headline numbers and notes), then :data:`SHEETS` — one per
contract table, with Russian headers, a frozen header row, an autofilter and column widths
fitted to the content (capped). Urgency kinds and theme levels are shown by their Russian
names (:mod:`veche.report.labels`). List cells (terms, kinds) are joined with ", "; time stamps are
written as naive date-times in their own time zone (Excel has no zones). Text a spreadsheet could
read as a formula (``= + - @``...) is written as a string cell (:func:`veche.cells.xlsx_text_cell`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from veche.cells import xlsx_text_cell
from veche.report.labels import kind_names, level_name
from veche.report.picture import DayPicture, conform

SUMMARY_SHEET = "Сводка"
# table -> (sheet name, {column: header})
SHEETS: dict[str, tuple[str, dict[str, str]]] = {
    "themes": ("Темы", {
        "theme_id": "ID темы", "parent_id": "ID родительской темы", "level": "Уровень",
        "label": "Тема", "terms": "Ключевые слова", "central_text": "Типичный вопрос",
        "count": "Всего", "count_day": "За день", "count_prev": "Прежде, в среднем за день",
        "growth": "Рост", "share": "Доля", "urgent_count": "Срочных",
    }),
    "regions": ("Регионы", {
        "theme_id": "ID темы", "region_code": "Код региона", "region_name": "Регион",
        "count": "Вопросов",
    }),
    "daily": ("Динамика", {"day": "День", "theme_id": "ID темы", "count": "Вопросов"}),
    "topics": ("Рубрики", {
        "topic": "Код рубрики", "name": "Рубрика", "count": "Вопросов", "share": "Доля",
        "route": "Ответственное ведомство",
    }),
    "urgent": ("Срочные", {
        "question_id": "ID вопроса", "created_at": "Поступил", "text": "Вопрос",
        "kinds": "Что случилось", "urgency_score": "Срочность", "priority": "Приоритет",
        "region_name": "Регион", "theme_label": "Тема", "asked": "Спросили",
    }),
    "campaigns": ("Кампании", {
        "group_id": "Группа", "size": "Сообщений", "n_senders": "Отправителей",
        "n_regions": "Регионов", "first_seen": "Первое", "last_seen": "Последнее",
        "reason": "Почему кампания", "sample_text": "Текст",
    }),
    "shortlists": ("Подборки", {
        "theme_id": "ID темы", "rank": "№", "question_id": "ID вопроса", "text": "Вопрос",
        "asked": "Спросили", "region_name": "Регион", "subtheme_label": "Подтема",
        "score": "Оценка",
    }),
}  # fmt: skip
# codes people read in Russian (the JSON file keeps the codes)
SHOWN_AS: dict[str, Callable[[Any], Any]] = {"kinds": kind_names, "level": level_name}
MAX_WIDTH = 80
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(v: Any) -> Any:
    """A value openpyxl can write: no NaN, no zones, no lists, no control characters."""
    if isinstance(v, list | tuple):
        return ", ".join(str(x) for x in v)
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if getattr(v, "tzinfo", None) is not None:
        return v.replace(tzinfo=None)
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return v.item()
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v)
    return v


def _fit(ws: Worksheet, widths: list[int], wrap: set[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), MAX_WIDTH)
    for col in wrap:
        for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            c.alignment = _WRAP


def _table_sheet(wb: Workbook, title: str, headers: dict[str, str], df: pd.DataFrame) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(headers.values()))
    for c in ws[1]:
        c.font, c.fill = _HEAD_FONT, _HEAD_FILL
    widths = [len(h) for h in headers.values()]
    df = df[list(headers)].copy()
    for col, name in SHOWN_AS.items():
        if col in df:
            df[col] = df[col].map(name).astype(object)
    for n, row in enumerate(df.itertuples(index=False, name=None)):
        values = [_cell(v) for v in row]
        ws.append([xlsx_text_cell(ws, v) for v in values])
        if n < 500:  # a sample is enough for widths; long texts wrap at MAX_WIDTH anyway
            lens = [len(str(v)) if v is not None else 0 for v in values]
            widths = [max(w, k) for w, k in zip(widths, lens, strict=True)]
    ws.freeze_panes = "A2"
    if len(df):
        ws.auto_filter.ref = ws.dimensions
    _fit(ws, widths, {i + 1 for i, w in enumerate(widths) if w > MAX_WIDTH})
    for i, col in enumerate(headers, start=1):
        fmt = "0.0%" if col == "share" else "0.00" if col in ("growth", "count_prev") else None
        fmt = "dd.mm.yyyy hh:mm" if col in ("created_at", "first_seen", "last_seen") else fmt
        fmt = "dd.mm.yyyy" if col == "day" else fmt
        if fmt:
            for (c,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                c.number_format = fmt


def _summary_sheet(wb: Workbook, p: DayPicture) -> None:
    ws = wb.active
    ws.title = SUMMARY_SHEET
    rows: list[tuple[str, Any]] = [
        ("Картина дня", p.day if p.day is not None else "всё время"),
        ("Сформировано", p.generated_at),
        ("Вопросов всего", p.n_questions),
        ("Поступило за день", p.n_day),
        ("Тем широких", int((p.themes["level"] == "broad").sum())),
        ("Тем узких", int((p.themes["level"] == "fine").sum())),
        ("Срочных вопросов", p.urgent_counts[0]),
        ("Срочных без повторов", p.urgent_counts[1]),
        ("Кампаний", len(p.campaigns)),
    ]
    rows += [("Примечание", note) for note in p.notes]
    ws.append(["Показатель", "Значение"])
    for c in ws[1]:
        c.font, c.fill = _HEAD_FONT, _HEAD_FILL
    for k, v in rows:
        ws.append([xlsx_text_cell(ws, _cell(k)), xlsx_text_cell(ws, _cell(v))])
    ws["B2"].number_format = "dd.mm.yyyy"
    ws["B3"].number_format = "dd.mm.yyyy hh:mm"
    ws.freeze_panes = "A2"
    _fit(ws, [22, 60], {2})


def write_xlsx(picture: DayPicture, path: str | Path) -> Path:
    path = Path(path)
    p = conform(picture)
    wb = Workbook()
    _summary_sheet(wb, p)
    for name, (title, headers) in SHEETS.items():
        df = p.tables()[name]
        _table_sheet(wb, title, headers, df)
    wb.save(path)
    return path
