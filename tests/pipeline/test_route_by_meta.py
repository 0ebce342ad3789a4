"""A router and a taxonomy tagger learnt with a context column that veche stores in ``meta``
(here a portal's object type) route and tag analysed questions by it: the column travels from
intake through ``meta``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from veche.config import VecheConfig
from veche.pipeline import ingest
from veche.pipeline.analyze import analyze
from veche.pipeline.train import train_from_file
from veche.store import Store
from veche.store.analysis import AnalysisStore

TEXTS = ["мусор у парадной", "грязно, никто не убирает", "сломано, прошу починить"]
FILLERS = ["давно", "опять", "снова", "срочно", "уже неделю", "который день"]


def _rows(n: int, start: int) -> pd.DataFrame:
    rows = []
    for i in range(start, start + n):
        obj = "Дом" if i % 2 else "Двор"
        rows.append(
            {
                "id": f"q{i}",
                # questions i and i + 1 share a text but not an object: only the object decides
                "text": f"{TEXTS[(i // 2) % 3]} {FILLERS[(i // 6) % 6]} {i // 2}",
                "object": obj,
                "body": "Управляющая компания" if obj == "Дом" else "Служба благоустройства",
                "topic": "housing_utilities" if obj == "Дом" else "ecology",
            }
        )
    return pd.DataFrame(rows)


def test_router_uses_a_meta_column(config: VecheConfig, store: Store, tmp_path: Path) -> None:
    cfg = config.with_overrides(**{"routing.context_columns": ["object"]})
    plain = config  # analyze runs on the plain config: the saved router knows its columns
    history = tmp_path / "history.csv"
    _rows(120, 0).to_csv(history, index=False)
    done = train_from_file(cfg, history, text_col="text", topic_col=None, route_col="body")
    assert any("routing: learnt 2 bodies" in line for line in done), done

    new = _rows(40, 1000)
    path = tmp_path / "new.csv"
    new.drop(columns="body").to_csv(path, index=False)
    ingest([path], plain, store)
    analyze(store, plain)
    a = AnalysisStore(store).read_analysis(["external_id"])
    got = a.merge(new, left_on="external_id", right_on="id")
    assert len(got) == 40
    # the text alone cannot tell the bodies apart; the object type from meta does
    assert (got["route"] == got["body"]).mean() >= 0.95, got[["text", "object", "route"]]


def test_tagger_uses_a_meta_column(config: VecheConfig, store: Store, tmp_path: Path) -> None:
    cfg = config.with_overrides(**{"taxonomy.context_columns": ["object"]})
    history = tmp_path / "history.csv"
    _rows(120, 0).to_csv(history, index=False)
    done = train_from_file(cfg, history, text_col="text", topic_col="topic", route_col=None)
    assert any(line.startswith("taxonomy: learnt") for line in done), done

    new = _rows(40, 1000)
    path = tmp_path / "new.csv"
    new.drop(columns=["body", "topic"]).to_csv(path, index=False)
    ingest([path], config, store)  # the plain config: the saved tagger knows its columns
    analyze(store, config)
    a = AnalysisStore(store).read_analysis(["external_id"])
    got = a.merge(new, left_on="external_id", right_on="id", suffixes=("", "_truth"))
    assert len(got) == 40
    assert (got["topic"] == got["topic_truth"]).mean() >= 0.95, got[["text", "object"]]


def test_training_names_a_missing_context_column(config: VecheConfig, tmp_path: Path) -> None:
    cfg = config.with_overrides(**{"taxonomy.context_columns": ["district"]})
    history = tmp_path / "history.csv"
    _rows(20, 0).to_csv(history, index=False)
    with pytest.raises(ValueError, match=r"no column 'district' \(from taxonomy.context_columns\)"):
        train_from_file(cfg, history, text_col="text", topic_col="topic", route_col=None)
