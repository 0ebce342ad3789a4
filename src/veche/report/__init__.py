"""``veche report``: the picture of the day (:class:`DayPicture`) and its writers.

>>> from veche.report import empty_picture, write_report
>>> # write_report(picture, "report.html", "html")  # or "xlsx", "json"

The store fills a :class:`DayPicture` (contract in :mod:`veche.report.picture`); the writers in
:mod:`~veche.report.html`, :mod:`~veche.report.xlsx` and :mod:`~veche.report.jsonout` turn it
into files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from veche.report.picture import COLUMNS, TABLES, DayPicture, conform, empty_picture

FORMATS = ("html", "xlsx", "json")


def _writer(fmt: str) -> Callable[[DayPicture, str | Path], Path]:
    # imported on demand: plotly and openpyxl take a while to load
    if fmt == "html":
        from veche.report.html import write_html

        return write_html
    if fmt == "xlsx":
        from veche.report.xlsx import write_xlsx

        return write_xlsx
    if fmt == "json":
        from veche.report.jsonout import write_json

        return write_json
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_report(picture: DayPicture, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``picture`` to ``path`` as ``fmt`` (default: from the file's suffix)."""
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    return _writer(fmt)(picture, path)


__all__ = [
    "COLUMNS",
    "FORMATS",
    "TABLES",
    "DayPicture",
    "conform",
    "empty_picture",
    "write_report",
]
