"""The urgent queue holds one line per duplicate group, with how many people asked: in the
picture built from the store, in the demo picture, and in the helper both use."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd

from factories import question_batch
from sample_picture import sample_picture
from veche.report.build import build_picture
from veche.report.picture import one_per_group
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.store.store import GROUP_COLUMNS

# key -> (text, content hash, duplicate group or None when grouping has not run)
QUESTIONS = {
    "a1": ("Нет отопления, дети мёрзнут", "h1", 1),
    "a2": ("Нет отопления, дети мёрзнут!", "h1b", 1),  # a near copy in the same group
    "a3": ("Нет отопления, дети мёрзнут", "h1", 1),
    "b1": ("Затопило подвал, течёт кипяток", "h2", None),
    "b2": ("Упал столб, нет света", "h3", None),
    "c1": ("Скорая не едет к маме", "h4", None),  # ungrouped exact copies
    "c2": ("Скорая не едет к маме", "h4", None),
}


def _fill(store: Store) -> dict[str, int]:
    keys = list(QUESTIONS)
    q = question_batch(keys)
    q["text"] = [QUESTIONS[k][0] for k in keys]
    q["content_hash"] = [QUESTIONS[k][1] for k in keys]
    run = store.begin_run(["f.csv"])
    store.write_batch(run, q, pd.DataFrame(columns=["key"]))
    ids = dict(store.read_questions(["key", "id"])[["key", "id"]].itertuples(index=False))
    grouped = [k for k in keys if QUESTIONS[k][2] is not None]
    assignment = pd.DataFrame(
        {"id": [ids[k] for k in grouped], "group_id": ids["a1"], "group_similarity": 1.0}
    )
    t = datetime(2025, 12, 5, tzinfo=UTC)
    group = {c: 0 for c in GROUP_COLUMNS} | {
        "id": ids["a1"], "size": 3, "n_senders": 3, "n_regions": 1, "n_channels": 1,
        "first_seen": t, "last_seen": t, "peak_share": 1.0, "mean_similarity": 0.97,
        "campaign_score": 0.1, "is_campaign": False, "reason": "",
    }  # fmt: skip
    store.write_groups(assignment, pd.DataFrame([group]))
    astore = AnalysisStore(store)
    arun = astore.begin_run("tfidf")
    astore.write_themes(
        pd.DataFrame(
            {"level": ["broad", "fine"], "id": [1, 2], "parent_id": [None, 1],
             "label": ["ЖКХ", "Отопление"], "terms": [["дом"], ["отопление"]],
             "central_question_id": [ids["a1"]] * 2, "size": [7, 7]}
        ),
        arun,
    )  # fmt: skip
    astore.write_analysis(
        arun,
        pd.DataFrame(
            {"question_id": [ids[k] for k in keys], "theme_id": 2, "broad_id": 1,
             "is_other": False, "topic": "housing_utilities", "route": "Минстрой России",
             "region_code": None, "urgent": True, "urgency_kinds": "utilities_outage",
             "urgency_score": np.linspace(0.9, 0.6, len(keys))}
        ),
    )  # fmt: skip
    return ids


def test_store_picture_lists_each_group_once_and_keeps_ungrouped_apart(store: Store) -> None:
    ids = _fill(store)
    u = build_picture(store).urgent
    assert not u["text"].duplicated().any(), u[["question_id", "text"]]
    asked = dict(zip(u["question_id"], u["asked"], strict=True))
    # the group once, by its most urgent member, with everyone who asked
    assert asked[ids["a1"]] == 3 and ids["a2"] not in asked and ids["a3"] not in asked
    # questions not grouped yet are not merged into one line; exact copies are
    assert asked[ids["b1"]] == 1 and asked[ids["b2"]] == 1
    assert (ids["c1"] in asked) != (ids["c2"] in asked)
    assert asked.get(ids["c1"], asked.get(ids["c2"])) == 2
    assert len(u) == 4 and u["priority"].is_monotonic_decreasing


def test_demo_picture_lists_each_duplicate_group_once() -> None:
    # the picture the report-writer tests use: its rows 1 and 4 used to be one question
    p = sample_picture(n=1500, seed=3, max_fine=10, shortlist_size=30)
    u = p.urgent
    assert len(u) > 20
    assert not u["text"].duplicated().any(), u.loc[u["text"].duplicated(keep=False), "text"]
    assert u["priority"].is_monotonic_decreasing
    assert (u["asked"] >= 1).all() and (u["asked"] > 1).any()


def test_one_per_group_keeps_order_and_ungrouped_rows() -> None:
    rows = pd.DataFrame({"q": ["a", "b", "c", "d", "e", "f"]}, index=[5, 3, 9, 1, 2, 0])
    group = pd.Series([7, None, 7, np.nan, 8, 8.0], index=rows.index)
    assert one_per_group(rows, group)["q"].tolist() == ["a", "b", "d", "e"]
    assert one_per_group(rows.iloc[:0], group.iloc[:0]).empty
