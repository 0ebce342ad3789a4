"""Build the picture of the day (:class:`DayPicture`) from the store.

Counts are by the day questions were *received* (``created_at`` in the event's time zone);
growth compares the day with the mean of the week before it. A picture of one day lists that
day's urgent questions, regions and topics; the history charts show the days before it too.
Priority is computed here, not at analyze time, because it depends on how many people asked,
which keeps changing.

Every question is shown under its own theme: an urgent question's theme is named only when
the theme's leading topic is one of the question's topics (the burst dam is not filed under
"мирные переговоры"); otherwise the queue names the question's topic, or says it is unsure.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from veche.geo import GeoOptions, region_names
from veche.report.picture import COLUMNS, DayPicture, empty_picture, one_per_group
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.taxonomy import load_taxonomy
from veche.urgency import priority_scores

GROWTH_WINDOW_DAYS = 7
UNASSIGNED = "не определено"  # a question no topic fits, or no theme of its own


def build_picture(
    store: Store,
    *,
    day: date | None = None,
    timezone: str = "Europe/Moscow",
    top_regions: int = 5,
    urgent_limit: int = 500,
    taxonomy_path: str | None = None,
    geo: GeoOptions | None = None,
) -> DayPicture:
    astore = AnalysisStore(store)
    rows = astore.read_analysis(
        ["created_at", "text", "group_id", "content_hash", "region"],
        [
            "question_id",
            "theme_id",
            "broad_id",
            "is_other",
            "topic",
            "topics",
            "route",
            "region_code",
            "urgent",
            "urgency_kinds",
            "urgency_score",
        ],
    )
    n_questions = store.count()
    notes: list[str] = []
    if len(rows) < n_questions:
        notes.append(
            f"{n_questions - len(rows):,} из {n_questions:,} вопросов ещё не разобраны: "
            "запустите `veche analyze`."
        )
    if not len(rows):
        picture = empty_picture(day, notes=notes or ["В хранилище пока нет вопросов."])
        picture.n_questions = n_questions
        return picture
    created = pd.to_datetime(rows["created_at"], utc=True)
    rows["day"] = created.dt.tz_convert(timezone).dt.date
    if day is None and rows["day"].notna().any():
        day = rows["day"].dropna().max()
    names = region_names(geo)
    rows["region_name"] = rows["region_code"].map(names)

    groups = store.read_groups()
    size_of = dict(zip(groups["id"], groups["size"], strict=True))
    regions_of = dict(zip(groups["id"], groups["n_regions"], strict=True))
    # who asked the same: the duplicate group; before grouping has run, the exact same text
    text_key = ("text:" + rows["content_hash"].astype(str)).where(rows["content_hash"].notna())
    rows["dup_key"] = rows["group_id"].astype(object).where(rows["group_id"].notna(), text_key)
    same_text = rows["dup_key"].map(rows["dup_key"].value_counts())
    rows["asked"] = rows["group_id"].map(size_of).fillna(same_text).fillna(1).astype(int)

    themes = astore.read_themes()
    daily = (
        rows.dropna(subset=["day"])
        .groupby(["day", "broad_id"])
        .size()
        .rename("count")
        .reset_index()
        .rename(columns={"broad_id": "theme_id"})
    )
    theme_table = _theme_table(rows, themes, day)
    fine = themes[themes["level"] == "fine"]
    label_of = dict(zip(fine["id"], fine["label"], strict=True))

    on_day = rows["day"] == day if day is not None else pd.Series(True, index=rows.index)
    topic_names = {c.id: c.name for c in load_taxonomy(taxonomy_path).categories}
    urgent = rows[rows["urgent"] & on_day].copy()
    growth_of = dict(zip(theme_table["theme_id"], theme_table["growth"], strict=True))
    urgent["group_size"] = urgent["asked"]
    urgent["n_regions"] = urgent["group_id"].map(regions_of).fillna(1).astype(int)
    urgent["growth"] = urgent["broad_id"].map(growth_of).fillna(1.0)
    urgent["priority"] = priority_scores(urgent) if len(urgent) else pd.Series(dtype=float)
    # one line per duplicate group: the host needs the question once, with how many asked
    urgent = urgent.sort_values(["priority", "question_id"], ascending=[False, True])
    n_urgent = len(urgent)
    urgent = one_per_group(urgent, urgent["dup_key"])
    n_urgent_groups = len(urgent)
    urgent = urgent.head(urgent_limit)
    urgent["theme_label"] = own_theme_labels(urgent, rows, themes, topic_names)
    urgent = urgent.rename(columns={"urgency_kinds": "kinds"})[COLUMNS["urgent"]]

    regions = (
        rows[on_day]
        .dropna(subset=["region_code"])
        .groupby(["broad_id", "region_code"])
        .size()
        .rename("count")
        .reset_index()
        .sort_values(["broad_id", "count"], ascending=[True, False])
        .groupby("broad_id")
        .head(top_regions)
        .rename(columns={"broad_id": "theme_id"})
    )
    regions["region_name"] = regions["region_code"].map(names)

    day_rows = rows[on_day]
    # a question no topic fits has none: it is counted, as "не определено"
    topics = day_rows.assign(topic=day_rows["topic"].fillna("")).groupby("topic")
    topics = topics.agg(count=("question_id", "size"), route=("route", _mode))
    topics = topics.reset_index().sort_values("count", ascending=False)
    topics["share"] = topics["count"] / max(len(day_rows), 1)
    topics["name"] = topics["topic"].map(topic_names).fillna(topics["topic"])
    topics.loc[topics["topic"] == "", ["topic", "name"]] = [None, UNASSIGNED]

    campaigns = groups[groups["is_campaign"].astype(bool)].copy()
    if day is not None and len(campaigns):  # campaigns still running on the day
        first = pd.to_datetime(campaigns["first_seen"], utc=True).dt.tz_convert(timezone)
        last = pd.to_datetime(campaigns["last_seen"], utc=True).dt.tz_convert(timezone)
        campaigns = campaigns[(first.dt.date <= day) & (last.dt.date >= day)]
    sample = rows.drop_duplicates("group_id").set_index("group_id")["text"]
    campaigns["sample_text"] = campaigns["id"].map(sample)
    campaigns = campaigns.rename(columns={"id": "group_id"})[COLUMNS["campaigns"]]

    shortlists = astore.read_shortlists()
    by_id = rows.set_index("question_id")
    shortlists["text"] = shortlists["question_id"].map(by_id["text"])
    shortlists["region_name"] = shortlists["question_id"].map(by_id["region_name"])
    # a stored list may predate the current themes: only questions now in the theme are shown
    now_in = shortlists["question_id"].map(by_id["broad_id"]).eq(shortlists["theme_id"]) | (
        shortlists["question_id"].map(by_id["theme_id"]).eq(shortlists["theme_id"])
    )
    shortlists = shortlists[now_in].copy()
    shortlists["subtheme_label"] = shortlists["question_id"].map(by_id["theme_id"]).map(label_of)

    n_day = int((rows["day"] == day).sum()) if day is not None else len(rows)
    return DayPicture(
        day=day,
        generated_at=datetime.now(UTC),
        n_questions=n_questions,
        n_day=n_day,
        n_urgent=n_urgent,
        n_urgent_groups=n_urgent_groups,
        themes=theme_table,
        regions=regions.reset_index(drop=True),
        daily=daily,
        topics=topics.reset_index(drop=True),
        urgent=urgent.reset_index(drop=True),
        campaigns=campaigns.reset_index(drop=True),
        shortlists=shortlists[COLUMNS["shortlists"]],
        notes=notes,
    )


def own_theme_labels(
    urgent: pd.DataFrame, rows: pd.DataFrame, themes: pd.DataFrame, topic_names: dict[str, str]
) -> list[str]:
    """What each of ``urgent`` (rows of ``rows``) is about, as the queue shows it: its specific
    issue's label, else its broad theme's, when that theme's leading topic is one of the
    question's own topics (an issue the question only fell near, "other", is not its own);
    else the name of its topic (the theme would contradict it); else "не определено"."""
    leading = {
        col: rows.dropna(subset=["topic"]).groupby(col)["topic"].agg(_mode)
        for col in ("theme_id", "broad_id")
    }
    label_of = dict(zip(themes["id"], themes["label"], strict=True))
    out = []
    for r in urgent.itertuples(index=False):
        own = question_topics(r.topic, r.topics)
        label = None
        for col, in_theme in (("theme_id", not r.is_other), ("broad_id", True)):
            tid = getattr(r, col)
            if in_theme and leading[col].get(tid) in own and tid in label_of:
                label = label_of[tid]
                break
        if label is None:
            label = f"рубрика: {topic_names.get(r.topic, r.topic)}" if own else UNASSIGNED
        out.append(label)
    return out


def question_topics(topic: object, topics: object) -> set[str]:
    """A question's topics: its top one and the listed ``topics`` ([id, p] pairs or ids)."""
    out = {topic} if isinstance(topic, str) and topic else set()
    for t in topics if isinstance(topics, list | tuple) else []:
        tid = t[0] if isinstance(t, list | tuple) and t else t
        if isinstance(tid, str) and tid:
            out.add(tid)
    return out


def _mode(s: pd.Series) -> object:
    m = s.dropna().mode()
    return m.iloc[0] if len(m) else None


def _theme_table(rows: pd.DataFrame, themes: pd.DataFrame, day: date | None) -> pd.DataFrame:
    """One row per theme (broad and fine) with counts on ``day``, the week before, and growth."""
    if not len(themes):
        return pd.DataFrame(columns=COLUMNS["themes"])
    out = []
    text_of = rows.set_index("question_id")["text"]
    week = {day - timedelta(days=i) for i in range(1, GROWTH_WINDOW_DAYS + 1)} if day else set()
    for level, col in (("broad", "broad_id"), ("fine", "theme_id")):
        g = rows.groupby(col)
        count = g.size()
        count_day = rows[rows["day"] == day].groupby(col).size() if day else count
        prev = rows[rows["day"].isin(week)].groupby(col).size() / GROWTH_WINDOW_DAYS
        urgent = rows[rows["urgent"]].groupby(col).size()
        t = themes[themes["level"] == level].copy()
        t["count"] = t["id"].map(count).fillna(0).astype(int)
        t["count_day"] = t["id"].map(count_day).fillna(0).astype(int)
        t["count_prev"] = t["id"].map(prev).fillna(0.0).round(2)
        # growth: today against the mean day of the week before; a new theme counts as x(today+1)
        t["growth"] = np.round((t["count_day"] + 1) / (t["count_prev"] + 1), 2)
        t["urgent_count"] = t["id"].map(urgent).fillna(0).astype(int)
        t["share"] = t["count"] / max(len(rows), 1)
        # the typical question shown is one now in the theme (themes move on rediscovery)
        now_in = t["central_question_id"].map(rows.set_index("question_id")[col]).eq(t["id"])
        t["central_text"] = t["central_question_id"].map(text_of).where(now_in)
        out.append(t)
    table = pd.concat(out, ignore_index=True).rename(columns={"id": "theme_id"})
    table = table.sort_values(["level", "count"], ascending=[True, False])
    return table[COLUMNS["themes"]].reset_index(drop=True)
