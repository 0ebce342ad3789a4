"""The picture of the day: the data contract between the store (which fills it) and the writers.

A :class:`DayPicture` is plain data — pandas DataFrames plus a few scalars — so the writers know
nothing of the store and the store knows nothing of HTML. Every table has a fixed column list
(:data:`COLUMNS`); :func:`conform` adds missing columns (empty), drops unknown ones and orders
them, so a writer can rely on the columns being there even when a stage has not run yet.

Tables (one row per ...):

* ``themes`` — theme (broad and fine). ``theme_id`` (str), ``parent_id`` (None for a broad
  theme), ``level`` ('broad' | 'fine'), ``label``, ``terms`` (list of str), ``central_text``
  (masked), ``count`` (all days), ``count_day`` (on ``day``), ``count_prev`` (mean per earlier
  day), ``growth`` (count_day / count_prev; NaN when there is no earlier day), ``share`` (of
  all questions), ``urgent_count``.
* ``regions`` — theme x region among the theme's top regions: ``theme_id, region_code,
  region_name, count``.
* ``daily`` — theme x day: ``day`` (date), ``theme_id, count``.
* ``topics`` — taxonomy category: ``topic, name, count, share, route`` (responsible body).
* ``urgent`` — urgent question received on ``day``, most urgent first, *one line per
  duplicate group* (its most urgent member; see :func:`one_per_group`): ``question_id, created_at, text`` (masked),
  ``kinds`` (list of str), ``urgency_score, priority, region_name, theme_label, asked``
  (people who asked the same).
* ``campaigns`` — duplicate group flagged as a campaign: ``group_id, size, n_senders,
  n_regions, first_seen, last_seen, reason, sample_text``.
* ``shortlists`` — shortlisted question of a theme: ``theme_id, rank`` (1 = first),
  ``question_id, text`` (masked), ``asked, region_name, subtheme_label, score``.

Texts in a picture are masked already; the writers escape them but never unmask anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime

import pandas as pd

COLUMNS: dict[str, list[str]] = {
    "themes": [
        "theme_id", "parent_id", "level", "label", "terms", "central_text", "count", "count_day",
        "count_prev", "growth", "share", "urgent_count",
    ],
    "regions": ["theme_id", "region_code", "region_name", "count"],
    "daily": ["day", "theme_id", "count"],
    "topics": ["topic", "name", "count", "share", "route"],
    "urgent": [
        "question_id", "created_at", "text", "kinds", "urgency_score", "priority", "region_name",
        "theme_label", "asked",
    ],
    "campaigns": [
        "group_id", "size", "n_senders", "n_regions", "first_seen", "last_seen", "reason",
        "sample_text",
    ],
    "shortlists": [
        "theme_id", "rank", "question_id", "text", "asked", "region_name", "subtheme_label",
        "score",
    ],
}  # fmt: skip
TABLES: tuple[str, ...] = tuple(COLUMNS)
# columns holding a list of strings (joined with ", " where a writer needs one cell)
LIST_COLUMNS: dict[str, tuple[str, ...]] = {"themes": ("terms",), "urgent": ("kinds",)}
DATE_COLUMNS: dict[str, tuple[str, ...]] = {"daily": ("day",)}
DATETIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "urgent": ("created_at",),
    "campaigns": ("first_seen", "last_seen"),
}


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS[name]})


@dataclass
class DayPicture:
    day: date | None  # the day reported (None = everything so far)
    generated_at: datetime
    n_questions: int  # in the store
    n_day: int  # received on ``day`` (= n_questions when day is None)
    # urgent questions on ``day``, duplicates counted (None: one per line of ``urgent``), and
    # the lines of the queue they make (one per duplicate group, before any cut)
    n_urgent: int | None = None
    n_urgent_groups: int | None = None
    themes: pd.DataFrame = field(default_factory=lambda: _empty("themes"))
    regions: pd.DataFrame = field(default_factory=lambda: _empty("regions"))
    daily: pd.DataFrame = field(default_factory=lambda: _empty("daily"))
    topics: pd.DataFrame = field(default_factory=lambda: _empty("topics"))
    urgent: pd.DataFrame = field(default_factory=lambda: _empty("urgent"))
    campaigns: pd.DataFrame = field(default_factory=lambda: _empty("campaigns"))
    shortlists: pd.DataFrame = field(default_factory=lambda: _empty("shortlists"))
    notes: list[str] = field(default_factory=list)  # e.g. what is not analysed yet

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in contract order."""
        return {name: getattr(self, name) for name in TABLES}

    @property
    def urgent_counts(self) -> tuple[int, int]:
        """(urgent questions, duplicate groups they make): what the report and the CLI say."""
        groups = len(self.urgent) if self.n_urgent_groups is None else self.n_urgent_groups
        return (groups if self.n_urgent is None else self.n_urgent), groups

    @property
    def broad_themes(self) -> pd.DataFrame:
        """Broad themes, most asked first."""
        t = self.themes
        return t[t["level"] == "broad"].sort_values("count", ascending=False, kind="stable")


def empty_picture(day: date | None = None, *, notes: list[str] | None = None) -> DayPicture:
    """A picture of an empty store (writers must still produce valid files from it)."""
    return DayPicture(
        day=day,
        generated_at=datetime.now(UTC),
        n_questions=0,
        n_day=0,
        notes=list(notes or []),
    )


def conform(picture: DayPicture) -> DayPicture:
    """A copy whose tables have exactly the contract's columns, in order (missing ones empty)."""
    kw = {}
    for f in fields(picture):
        value = getattr(picture, f.name)
        if f.name in COLUMNS:
            df = value if isinstance(value, pd.DataFrame) else pd.DataFrame(value)
            df = df.reindex(columns=COLUMNS[f.name]).reset_index(drop=True)
            for col in LIST_COLUMNS.get(f.name, ()):
                df[col] = df[col].map(as_list).astype(object)
            if f.name == "themes":  # every theme has a label, if only its id
                df["label"] = df["label"].where(df["label"].notna(), df["theme_id"].astype(str))
            value = df
        kw[f.name] = value
    return DayPicture(**kw)


def as_list(value: object) -> list[str]:
    """A list-of-strings cell from a list, tuple, array, a ', '-joined string or nothing."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        return [s.strip() for s in value.split(",") if s.strip()]
    try:
        return [str(v) for v in value]  # type: ignore[union-attr]
    except TypeError:
        return [str(value)]


def one_per_group(rows: pd.DataFrame, group: pd.Series) -> pd.DataFrame:
    """The first row of each group, in the given order (so sort most urgent first).

    ``group`` holds each row's group, in the rows' order; a row without one (None/NaN: not
    grouped yet) is a group of its own, never merged with other ungrouped rows. The host reads a
    question once, with how many people asked it, not once per copy.
    """
    key = pd.Series(list(group), dtype=object)
    if len(key) != len(rows):
        raise ValueError(f"{len(key)} group keys for {len(rows)} rows")
    repeat = key.duplicated() & key.notna()
    return rows[~repeat.to_numpy()]
