"""Every question the report shows under a theme is in that theme: the urgent queue names a
question's own theme, never one whose questions are about something else (a burst dam and a
gas smell were shown under "мирные переговоры, мир"), the shortlists only questions now in
their theme, and a report of one day that day's urgent questions."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from factories import question_batch
from veche.report.build import UNASSIGNED, build_picture, question_topics
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.taxonomy import load_taxonomy

DAY = datetime(2025, 12, 5, 12, tzinfo=UTC)
PEACE, HOUSING = "foreign_policy", "housing_utilities"
# key -> text, fine theme, topics (best first), urgent, "other", received
QUESTIONS = {
    **{
        f"p{i}": ("Когда начнутся мирные переговоры?", 11, [PEACE], False, False, DAY)
        for i in range(6)
    },
    **{f"h{i}": ("Нет отопления в доме", 12, [HOUSING], False, False, DAY) for i in range(4)},
    # fell near the peace talks: the dam is "other" there, the gas smell is not
    "dam": ("Нас топит! Дамба прорвана", 11, ["emergencies"], True, True, DAY),
    "gas": ("Пахнет газом в подъезде", 11, [HOUSING, "emergencies"], True, False, DAY),
    "ceiling": ("Обрушился потолок в квартире", 12, [HOUSING], True, False, DAY),
    "unsure": ("Помогите срочно!!!", 11, [], True, False, DAY),
    "before": ("Нет отопления неделю", 12, [HOUSING], True, False, datetime(2025, 12, 1, tzinfo=UTC)),
}  # fmt: skip
LABELS = {1: "Внешняя политика: переговоры", 2: "ЖКХ: отопление", 11: "мирные переговоры, мир",
          12: "отопление, батареи"}  # fmt: skip


def _fill(store: Store) -> dict[str, int]:
    keys = list(QUESTIONS)
    q = question_batch(keys)
    q["text"] = [QUESTIONS[k][0] for k in keys]
    q["content_hash"] = keys
    q["created_at"] = [QUESTIONS[k][5] for k in keys]
    run = store.begin_run(["f.csv"])
    store.write_batch(run, q, pd.DataFrame(columns=["key"]))
    ids = dict(store.read_questions(["key", "id"])[["key", "id"]].itertuples(index=False))
    astore = AnalysisStore(store)
    arun = astore.begin_run("tfidf")
    astore.write_themes(
        pd.DataFrame(
            {"level": ["broad", "broad", "fine", "fine"], "id": [1, 2, 11, 12],
             "parent_id": [None, None, 1, 2], "label": [LABELS[i] for i in (1, 2, 11, 12)],
             "terms": [["мир"]] * 4, "central_question_id": [ids["p0"]] * 4, "size": [1] * 4}
        ),
        arun,
    )  # fmt: skip
    topics = [QUESTIONS[k][2] for k in keys]
    astore.write_analysis(
        arun,
        pd.DataFrame(
            {"question_id": [ids[k] for k in keys],
             "theme_id": [QUESTIONS[k][1] for k in keys],
             "broad_id": [QUESTIONS[k][1] - 10 for k in keys],
             "is_other": [QUESTIONS[k][4] for k in keys],
             "topic": [t[0] if t else None for t in topics],
             "topics": [[[x, 0.9] for x in t] for t in topics],
             "route": None, "region_code": None,
             "urgent": [QUESTIONS[k][3] for k in keys], "urgency_kinds": "life_health",
             "urgency_score": 0.9}
        ),
    )  # fmt: skip
    return ids


def test_urgent_questions_are_shown_under_their_own_theme(store: Store) -> None:
    ids = _fill(store)
    p = build_picture(store)
    shown = dict(zip(p.urgent["question_id"], p.urgent["theme_label"], strict=True))
    names = {c.id: c.name for c in load_taxonomy().categories}
    a = AnalysisStore(store).read_analysis([], ["question_id", "theme_id", "broad_id", "topic"])
    by_label = {LABELS[t]: t for t in LABELS}
    for qid, label in shown.items():
        key = next(k for k, v in ids.items() if v == qid)
        own = question_topics(None, [[t, 0.9] for t in QUESTIONS[key][2]])
        if label == UNASSIGNED:
            continue
        if label in by_label:  # a theme: its questions' leading topic is one of the question's
            tid = by_label[label]
            col = "theme_id" if tid > 10 else "broad_id"
            leading = a.loc[a[col] == tid, "topic"].mode().iloc[0]
            assert leading in own, (key, label)
        else:  # the question's own topic
            assert label in {f"рубрика: {names[t]}" for t in own}, (key, label)
    assert shown[ids["ceiling"]] == LABELS[12]
    assert shown[ids["dam"]] == f"рубрика: {names['emergencies']}"
    assert shown[ids["gas"]] == f"рубрика: {names[HOUSING]}"
    assert shown[ids["unsure"]] == UNASSIGNED


def test_one_day_report_lists_that_days_urgent_questions(store: Store) -> None:
    ids = _fill(store)
    p = build_picture(store)  # the latest day: 5 December
    assert str(p.day) == "2025-12-05"
    assert ids["before"] not in set(p.urgent["question_id"])
    assert p.urgent_counts == (4, 4)
    earlier = build_picture(store, day=datetime(2025, 12, 1).date())
    assert earlier.urgent["question_id"].tolist() == [ids["before"]]


def test_topics_count_questions_without_a_topic(store: Store) -> None:
    _fill(store)
    topics = build_picture(store).topics
    unassigned = topics[topics["name"] == UNASSIGNED]
    assert unassigned["count"].tolist() == [1]


def test_shortlists_show_only_questions_now_in_their_theme(store: Store) -> None:
    ids = _fill(store)
    astore = AnalysisStore(store)
    astore.write_shortlists(
        pd.DataFrame(
            {"theme_id": [1, 1, 2], "rank": [1, 2, 1],
             "question_id": [ids["p0"], ids["h0"], ids["h1"]], "score": 0.5, "asked": 1}
        ),
        1,
    )  # fmt: skip
    s = build_picture(store).shortlists
    assert set(zip(s["theme_id"], s["question_id"], strict=True)) == {
        (1, ids["p0"]),
        (2, ids["h1"]),
    }


def test_a_themes_typical_question_is_one_of_its_questions(store: Store) -> None:
    ids = _fill(store)  # every theme's central question is "p0", in issue 11 of theme 1
    themes = build_picture(store).themes.set_index("theme_id")
    text = QUESTIONS["p0"][0]
    assert themes.loc[11, "central_text"] == text and themes.loc[1, "central_text"] == text
    assert themes[["central_text"]].loc[[12, 2]].isna().all().all(), ids
