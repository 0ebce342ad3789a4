"""Same input, same stored result on SQLite and PostgreSQL: NUL characters, lone surrogates
and strings longer than their column (PostgreSQL used to refuse the whole batch)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from factories import question_batch, reject_rows
from veche.config import VecheConfig
from veche.pipeline import ingest
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.store.types import TRUNCATION_MARK


def test_nul_surrogates_and_long_fields_store_alike(store: Store) -> None:
    run = store.begin_run(["f.csv"])
    batch = question_batch(["a"], text="во\x00прос").assign(
        external_id="i" * 300,
        channel="c" * 300,
        region="Курская\x00 область" + "р" * 300,
        source_file="d/" * 400,
        text="во\x00прос конец",
        meta=[{"ключ\x00": "знач\x00ение", "list": ["a\x00", "b\ud83d"]}],
        text_raw="сырой\x00 текст",
        name="Иван\x00ов",
    )
    rejects = reject_rows([5]).assign(reason="bad: " + "x" * 600, excerpt="e\x00xcerpt")
    assert store.write_batch(run, batch, rejects) == 1

    q = store.read_questions(["external_id", "channel", "region", "source_file", "text", "meta"])
    row = q.iloc[0]
    assert row["external_id"] == "i" * 127 + TRUNCATION_MARK
    assert row["channel"] == "c" * 63 + TRUNCATION_MARK
    assert row["region"].startswith("Курская область") and len(row["region"]) == 128
    assert row["region"].endswith(TRUNCATION_MARK)
    assert len(row["source_file"]) == 512
    assert row["text"] == "вопрос конец"
    assert row["meta"] == {"ключ": "значение", "list": ["a", "b\ufffd"]}
    private = store.read_private([int(row["id"])]).iloc[0]
    assert (private["text_raw"], private["name"]) == ("сырой текст", "Иванов")
    reject = store.read_rejects(run).iloc[0]
    assert len(reject["reason"]) == 512 and reject["excerpt"] == "excerpt"

    store.log_raw_access(role="r" * 100, action="export", detail="d\x00", n_rows=1, actor="a" * 200)
    log = store.read_raw_access().iloc[0]
    assert (len(log["actor"]), len(log["role"]), log["detail"]) == (128, 64, "d")

    astore = AnalysisStore(store)
    arun = astore.begin_run("tfidf")
    found = pd.DataFrame(
        {"question_id": [int(row["id"])], "route": ["Министерство " * 40], "city": ["Ку\x00рск"]}
    )
    astore.write_analysis(arun, found)
    a = astore.read_analysis(analysis_columns=["route", "city"]).iloc[0]
    assert len(a["route"]) == 256 and a["city"] == "Курск"


def test_hostile_short_fields_are_ingested_alike(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    """Through intake: a file whose id, channel and region are 300 characters and whose text
    holds NUL stores every row on both databases."""
    rows = pd.DataFrame(
        {
            "id": ["7" * 300, "2"],
            "created_at": ["2025-12-05T10:00:00+03:00"] * 2,
            "channel": ["с" * 300, "sms"],
            "region": ["Курская область " * 20, "Курская область"],
            "text": ["Когда\x00 починят дорогу на улице Ленина?", "Почему нет отопления?"],
        }
    )
    path = tmp_path / "hostile.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows.to_dict("records")),
        encoding="utf-8",
    )
    res = ingest([path], config, store)
    assert (res.files[0].n_stored, res.files[0].n_rejected, res.files[0].error) == (2, 0, None)
    q = store.read_questions(["external_id", "channel", "region", "text"]).set_index("text")
    long_row = q.loc["Когда починят дорогу на улице Ленина?"]
    assert len(long_row["external_id"]) == 128 and long_row["external_id"].endswith("…")
    assert len(long_row["region"]) <= 128
