"""Personal data outside the text: the extra columns of an input file that veche keeps in ``meta``.

A column whose name says it holds personal data (``контактный телефон``, ``адрес``,
``Заявитель``; the list is :file:`private_columns.toml`) has its whole value replaced by the
placeholder of its type; every other text value is masked by the :class:`~veche.privacy.Masker`
like a question's text. Numbers, dates and flags of other columns are kept as they are.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .masker import Masker
from .spans import PII_PLACEHOLDERS

PRIVATE_COLUMNS_FILE = Path(__file__).with_name("private_columns.toml")
_NOT_WORD = re.compile(r"[^0-9a-zа-яё]+")


@cache
def _lexicon() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    data = tomllib.loads(PRIVATE_COLUMNS_FILE.read_text(encoding="utf-8"))
    unknown = set(data) - set(PII_PLACEHOLDERS)
    if unknown:
        raise ValueError(f"{PRIVATE_COLUMNS_FILE}: unknown types {sorted(unknown)}")
    return tuple(
        (typ, tuple(entry["stems"]), tuple(f" {w} " for w in entry["words"]))
        for typ, entry in data.items()
    )


def private_column_type(column: str) -> str | None:
    """The personal-data type a column's name announces, or ``None``."""
    words = _NOT_WORD.sub(" ", column.lower().replace("ё", "е")).split()
    if not words:
        return None
    padded = f" {' '.join(words)} "
    for typ, stems, phrases in _lexicon():
        if any(w.startswith(s) for w in words for s in stems) or any(p in padded for p in phrases):
            return typ
    return None


def mask_meta(metas: Sequence[Mapping[str, Any] | None], masker: Masker | None) -> list[dict]:
    """``metas`` with personal data masked (see the module's doc); ``masker`` ``None``: only the
    columns whose names announce personal data are masked."""
    out = [dict(m) if isinstance(m, Mapping) else {} for m in metas]
    free: list[tuple[dict, str]] = []  # (meta, key) of text values for the masker
    for meta in out:
        for key, value in meta.items():
            typ = private_column_type(key)
            if typ is not None:
                if value is not None and value != "":
                    meta[key] = PII_PLACEHOLDERS[typ]
            elif isinstance(value, str) and value.strip():
                free.append((meta, key))
    if masker is not None and free:
        masked = masker.mask_many([meta[key] for meta, key in free])
        for (meta, key), m in zip(free, masked, strict=True):
            meta[key] = m.text
    return out
