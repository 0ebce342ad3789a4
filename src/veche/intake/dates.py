"""Dates as people and programs write them, read into UTC or refused with a reason.

ISO 8601; ``05.12.2025``, ``05.12.25``, ``05/12/2025`` (day first, as in Russia) and
``12/25/2025`` (month first where the day cannot be a month); ``5 декабря 2025``, ``Dec 5, 2025``;
epoch seconds or milliseconds; spreadsheet and Parquet date values. A date outside
:data:`EARLIEST`..:data:`LATEST` is refused too: no question is from year 1 or 9999, and such
values overflow time-zone arithmetic and the columnar tools after the store.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import yaml

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# smaller numbers are years, counts or spreadsheet serials, not epoch seconds (1e8 s is 1973)
MIN_EPOCH_SECONDS = 1e8

_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M",
    "%d.%m.%y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_TIME = r"(?:[ ,T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
_YEAR = r"(?P<y>\d{4})(?:\s*(?:г\.?|года?))?"
_DAY_MONTH = re.compile(rf"(?P<d>\d{{1,2}})\s+(?P<m>[^\W\d_]+)\.?,?\s+{_YEAR}{_TIME}", re.I)
_MONTH_DAY = re.compile(rf"(?P<m>[^\W\d_]+)\.?\s+(?P<d>\d{{1,2}}),?\s+{_YEAR}{_TIME}", re.I)


class DateError(ValueError):
    """The value is not a date veche can read; the question is kept without one."""


@cache
def month_names() -> dict[str, int]:
    raw = yaml.safe_load(resources.files("veche.intake").joinpath("months.yaml").read_text("utf-8"))
    return {name: int(month) for month, names in raw.items() for name in names}


def parse_date(value: Any, tz: ZoneInfo) -> datetime | None:
    """``value`` as an aware UTC datetime; None when missing; :class:`DateError` when unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, bool):
        raise DateError(f"{value!r} is not a date")
    elif isinstance(value, int | float):
        return _from_epoch(value, repr(value))
    else:
        dt = _from_text(str(value).strip())
        if dt is None:
            return _from_epoch_text(str(value).strip())
    return _to_utc(dt, tz, value)


def _from_text(s: str) -> datetime | None:
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in _FORMATS:
        try:
            return datetime.strptime(s, fmt)
        except ValueError:
            continue
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        m = pattern.fullmatch(s)
        if m is None:
            continue
        month = month_names().get(m["m"].lower())
        if month is None:
            continue
        try:
            return datetime(
                int(m["y"]),
                month,
                int(m["d"]),
                int(m["H"] or 0),
                int(m["M"] or 0),
                int(m["S"] or 0),
            )
        except ValueError:
            continue
    return None


def _from_epoch_text(s: str) -> datetime:
    if not _NUMBER.fullmatch(s):
        raise DateError(f"unreadable date {s[:40]!r}")
    return _from_epoch(float(s), repr(s[:40]))


def _from_epoch(value: float, shown: str) -> datetime:
    """Epoch seconds, or milliseconds where seconds would land past :data:`LATEST`."""
    if not math.isfinite(value):
        raise DateError(f"{shown} is not a date")
    for scale in (1, 1000):
        secs = value / scale
        if MIN_EPOCH_SECONDS <= secs < (LATEST - _EPOCH).total_seconds():
            return _EPOCH + timedelta(seconds=secs)
    raise DateError(f"{shown} is not a date in epoch seconds or milliseconds")


def _to_utc(dt: datetime, tz: ZoneInfo, shown: Any) -> datetime:
    try:
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=tz)
        utc = dt.astimezone(UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise DateError(
            f"{str(shown)[:40]!r} is not a date between {EARLIEST.year} and {LATEST.year - 1}"
        )
    return utc
