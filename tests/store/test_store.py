from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from factories import question_batch as _batch
from factories import reject_rows as _rejects
from veche.store import Store
from veche.store.schema import Base, Question


def test_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    Store.open(str(store.engine.url.render_as_string(hide_password=False)))  # idempotent


def test_write_batch_is_idempotent_and_keeps_raw_text_apart(store: Store) -> None:
    run = store.begin_run(["f.csv"])
    assert store.write_batch(run, _batch(["a", "b"]), _rejects([5])) == 2
    assert store.write_batch(run, _batch(["b", "c"]), _rejects([5, 6])) == 1
    assert store.count() == 3
    assert store.existing_keys(["a", "c", "zz"]) == {"a", "c"}
    q = store.read_questions(["key", "text", "meta", "created_at"])
    assert list(q["key"]) == ["a", "b", "c"]
    assert "[ТЕЛЕФОН]" in q["text"][0] and "8912" not in q["text"][0]
    assert q["meta"][1] == {"k": 1}
    assert "text_raw" not in q.columns
    private = store.read_private(q["id"].tolist())
    assert set(private["text_raw"]) == {"вопрос 89123456789"}
    assert len(store.read_rejects(run)) == 2  # row 5 once, row 6 once


def test_keyset_pages_cover_every_row(store: Store) -> None:
    run = store.begin_run(["f.csv"])
    store.write_batch(run, _batch([f"k{i}" for i in range(25)]), _rejects([]))
    frames = list(store.iter_frames(["key"], chunk=10))
    assert [len(f) for f in frames] == [10, 10, 5]
    assert pd.concat(frames)["id"].is_unique


def test_groups_replace_and_assignments(store: Store) -> None:
    run = store.begin_run(["f.csv"])
    store.write_batch(run, _batch(["a", "b", "c"]), _rejects([]))
    ids = store.read_questions(["key"])["id"].tolist()
    groups = pd.DataFrame(
        {
            "id": [ids[0], ids[2]],
            "size": [2, 1],
            "n_senders": [2, 1],
            "n_regions": [1, 0],
            "n_channels": [1, 1],
            "first_seen": [datetime(2025, 12, 5, tzinfo=UTC)] * 2,
            "last_seen": [datetime(2025, 12, 5, tzinfo=UTC)] * 2,
            "peak_share": [1.0, 1.0],
            "mean_similarity": [0.9, 1.0],
            "campaign_score": [0.1, 0.0],
            "is_campaign": [False, False],
            "reason": ["", ""],
        }
    )
    assign = pd.DataFrame(
        {"id": ids, "group_id": [ids[0], ids[0], ids[2]], "group_similarity": [1.0, 0.8, 1.0]}
    )
    assert store.write_groups(assign, groups) == 3
    q = store.read_questions(["group_id", "group_similarity"])
    assert list(q["group_id"]) == [ids[0], ids[0], ids[2]]
    assert store.read_groups()["size"].tolist() == [2, 1]
    store.write_groups(assign.iloc[:0], groups.iloc[:1])
    assert len(store.read_groups()) == 1


def test_raw_access_is_logged(store: Store) -> None:
    store.log_raw_access(
        role="privacy_officer", action="export", detail="x.csv", n_rows=3, actor="alice"
    )
    log = store.read_raw_access()
    assert log[["actor", "role", "action", "n_rows"]].values.tolist() == [
        ["alice", "privacy_officer", "export", 3]
    ]


def test_runs_record_counts(store: Store) -> None:
    run = store.begin_run(["a.csv"])
    store.finish_run(run, "done", n_read=5, n_stored=4, n_already=0, n_rejected=1)
    runs = store.read_runs()
    assert runs.iloc[0][["status", "n_read", "n_rejected"]].tolist() == ["done", 5, 1]
    assert Question.__tablename__ == "questions"
