"""Cells of files people open in a spreadsheet: citizens' text must never run as a formula.

OWASP's CSV-injection rule: a cell that starts with ``= + - @``, a tab or a carriage return (or
their full-width forms, which some spreadsheets also read) may be taken as a formula, e.g.
``=HYPERLINK("http://evil", "click")`` or ``@SUM(...)``. Every writer of a CSV or XLSX file for
people goes through this module:

* CSV (:func:`neutralise`, :func:`neutralise_frame`): such a cell gets a leading ``'``, which
  spreadsheets read as "this is text"; the rest of the text stays readable.
* XLSX (:func:`xlsx_text_cell`): the cell is written as a string (never a formula) with Excel's own
  "quote prefix" flag set, so even editing the cell in Excel keeps it text; nothing is added to it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def formula_like(value: Any) -> bool:
    """Whether a spreadsheet could read ``value`` as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """``value`` safe for a CSV cell: formula-like text gets a leading ``'``."""
    return "'" + value if formula_like(value) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text columns are :func:`neutralise`-d (numbers stay numbers)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, pd.StringDtype):
            out[col] = out[col].map(neutralise, na_action="ignore")
    return out


def xlsx_text_cell(ws: Any, value: Any) -> Any:
    """``value`` for ``ws.append``: formula-like text becomes a string cell with the quote-prefix
    flag (``ws`` may be a write-only sheet); anything else is returned as it is."""
    if not formula_like(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
