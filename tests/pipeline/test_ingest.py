"""End to end over real stages and a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from veche.config import VecheConfig
from veche.pipeline import group_duplicates, ingest, run
from veche.store import Store

QUESTIONS = [
    ("1", "2025-12-05T10:00:00+03:00", "Когда проиндексируют пенсии работающим пенсионерам?"),
    (
        "2",
        "2025-12-05T11:00:00+03:00",
        "Меня зовут Иванова Мария Петровна, телефон 8 912 345-67-89. "
        "Почему в Курске нет отопления третий день?",
    ),
    ("3", "2025-12-06T09:00:00+03:00", "когда проиндексируют пенсии работающим пенсионерам"),
    ("4", "2025-12-06T09:30:00+03:00", "<p>Дорогу на улице не ремонтируют&nbsp;уже 10 лет</p>"),
    ("5", "2025-12-07T12:00:00+03:00", "When will the bridge in Kazan be repaired?"),
]


def _csv(tmp_path: Path, rows=QUESTIONS, extra: str = "") -> Path:
    p = tmp_path / "calls.csv"
    df = pd.DataFrame(rows, columns=["id", "created_at", "text"]).assign(phone="89123456789")
    p.write_text(df.to_csv(index=False) + extra, encoding="utf-8")
    return p


def test_ingest_stores_masked_text_and_names_every_reject(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    path = _csv(tmp_path, extra='6,2025-12-07,"",x\n7,вчера,"вопрос",x\n8,a,b\n')
    res = ingest([path], config, store, channel="call_centre")
    f = res.files[0]
    # an unreadable date costs the date, not the question (the value is kept in meta)
    assert (f.n_read, f.n_stored, f.n_rejected, f.n_undated, f.error) == (8, 6, 2, 1, None)
    assert any("1 rows kept without a date" in n and "row 8" in n for n in f.notes)
    q = store.read_questions(["external_id", "text", "lang", "lemmas", "pii_types", "channel"])
    by_id = q.set_index("external_id", drop=False)
    masked = by_id.loc["2", "text"]
    assert "Иванова" not in masked and "345-67-89" not in masked
    assert "[ИМЯ]" in masked and "[ТЕЛЕФОН]" in masked
    assert set(by_id.loc["2", "pii_types"].split(",")) >= {"PER", "PHONE"}
    assert "<p>" not in by_id.loc["4", "text"] and "&nbsp;" not in by_id.loc["4", "text"]
    assert by_id.loc["5", "lang"] == "en" and by_id.loc["1", "lang"] == "ru"
    assert "пенсия" in by_id.loc["1", "lemmas"].split()
    assert set(q["channel"]) == {"call_centre"}
    raw = store.read_private([int(by_id.loc["2", "id"])])
    assert "Иванова" in raw["text_raw"].iloc[0]  # kept apart, for roles that may see it
    rej = pd.read_csv(res.rejects_path).set_index("source_row")["reason"]
    assert sorted(rej.index) == [7, 9]
    assert rej[7] == "empty text"
    assert rej[9].startswith("malformed CSV line")
    undated = q[q["external_id"] == "7"]
    assert undated["text"].tolist() == ["вопрос"]
    assert store.read_questions(["meta", "created_at"]).iloc[-1]["meta"] == {"created_at": "вчера"}


def test_rejects_are_written_beside_the_store(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not into the directory veche is run from: beside the SQLite file, or in the workdir of a
    server store."""
    elsewhere = tmp_path / "run-from-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    if store_url.startswith("sqlite"):
        store_url = f"sqlite:///{tmp_path / 'data' / 'veche.sqlite'}"
        expected = tmp_path / "data"
        expected.mkdir()
    else:
        expected = tmp_path / "work"
    config = VecheConfig(workdir=tmp_path / "work", workers=1, store={"url": store_url})
    store = Store.open(store_url)
    res = ingest([_csv(tmp_path, extra='6,2025-12-07,"",x\n')], config, store)
    store.close()
    assert res.rejects_path == expected / f"rejects-run{res.run_id}.csv"
    assert len(pd.read_csv(res.rejects_path)) == 1
    assert list(elsewhere.iterdir()) == []


def test_reingest_stores_nothing_twice(config: VecheConfig, store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path)
    first = ingest([path], config, store)
    second = ingest([path], config, store)
    assert first.files[0].n_stored == 5
    assert (second.files[0].n_stored, second.files[0].n_already) == (0, 5)
    assert store.count() == 5
    assert list(store.read_runs()["status"]) == ["done", "done"]


def test_killed_ingest_is_finished_by_a_rerun(
    config: VecheConfig, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        (str(i), "2025-12-05T10:00:00+03:00", f"Вопрос номер {i} про дороги") for i in range(50)
    ]
    path = _csv(tmp_path, rows)
    cfg = config.with_overrides(**{"intake.batch_size": 10})
    calls = {"n": 0}
    real = Store.write_batch

    def dying(self, *a, **kw):  # the process dies while writing the third batch
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, *a, **kw)

    monkeypatch.setattr(Store, "write_batch", dying)
    with pytest.raises(KeyboardInterrupt):
        ingest([path], cfg, store)
    assert store.count() == 20  # two whole batches, nothing half-written
    assert store.read_runs()["status"].iloc[-1] == "interrupted"
    monkeypatch.setattr(Store, "write_batch", real)
    res = ingest([path], cfg, store)
    assert (res.files[0].n_stored, res.files[0].n_already) == (30, 20)
    assert store.count() == 50


def test_a_broken_file_does_not_stop_the_others(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,question_text\n1,x\n", encoding="utf-8")
    missing = tmp_path / "missing.jsonl"
    res = ingest([bad, missing, _csv(tmp_path)], config, store)
    errors = [f.error for f in res.files]
    assert "no text column" in errors[0] and "--map text=COLUMN" in errors[0]
    assert "no such file" in errors[1]
    assert errors[2] is None and store.count() == 5


def test_column_map_and_metadata(config: VecheConfig, store: Store, tmp_path: Path) -> None:
    p = tmp_path / "q.jsonl"
    p.write_text(
        "\n".join(
            json.dumps({"Вопрос": t, "topic": "pens", "n": i}, ensure_ascii=False)
            for i, t in enumerate(["Где пенсия?", "Где дорога?"])
        ),
        encoding="utf-8",
    )
    ingest([p], config, store, column_map={"text": "Вопрос"})
    q = store.read_questions(["text", "meta"])
    assert list(q["text"]) == ["Где пенсия?", "Где дорога?"]
    assert q["meta"][1] == {"topic": "pens", "n": 1}


def test_duplicates_are_grouped_and_counted(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    res = run([_csv(tmp_path)], config, store=store)
    q = store.read_questions(["external_id", "group_id"]).set_index("external_id")
    assert q.loc["1", "group_id"] == q.loc["3", "group_id"]  # case/punctuation only
    assert len(set(q["group_id"])) == 4
    assert res.grouped.n_dup_groups == 1 and res.grouped.n_in_dup_groups == 2
    assert res.summary.n_dup_groups == 1
    # rerunning the grouping changes nothing: ids are stable
    again = group_duplicates(store, config)
    assert again.n_changed == 0
