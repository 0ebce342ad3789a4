"""Column types that store the same value on SQLite and PostgreSQL.

SQLite keeps whatever it is given; PostgreSQL refuses a NUL character in text (DataError) and a
string longer than its ``varchar(n)`` (StringDataRightTruncation), and either would cost the
whole batch. So at the store boundary, on both databases alike:

* NUL characters are removed (from text, short strings and the strings inside JSON);
* lone UTF-16 surrogates (from a JSON ``"\\ud83d"``) become U+FFFD, which every driver encodes;
* a short string longer than its column is cut to fit, ending in "…" so a reader sees the cut.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

TRUNCATION_MARK = "…"


def clean_text(value: str) -> str:
    if "\x00" in value:
        value = value.replace("\x00", "")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: keep valid pairs, replace the rest
            value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def fit(value: str, length: int | None) -> str:
    """``value`` cleaned and cut to ``length`` characters (the last one "…" when cut)."""
    value = clean_text(value)
    if length is not None and len(value) > length:
        value = value[: length - 1] + TRUNCATION_MARK
    return value


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {_clean_json(k): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    return value


class ShortText(TypeDecorator[str]):
    """``varchar(length)``: cleaned and cut to fit on every database."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return fit(value, self.impl.length) if isinstance(value, str) else value  # type: ignore[attr-defined]


class LongText(TypeDecorator[str]):
    """Unbounded text, cleaned."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return clean_text(value) if isinstance(value, str) else value


class CleanJSON(TypeDecorator[Any]):
    """JSON whose strings (keys and values) are cleaned."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return _clean_json(value)
