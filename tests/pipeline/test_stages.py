"""analyze's per-question stages as components: each adds exactly its schema's columns, the
config lists them in order, a deployment drops or replaces one, each distinct text is tagged
once per run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from veche.config import VecheConfig
from veche.demo import generate, write_event
from veche.pipeline import analyze, group_duplicates, ingest
from veche.pipeline.analyze import themes_for
from veche.pipeline.artifacts import Artifacts
from veche.pipeline.batch import ADDS, QUESTION_COLUMNS, Batch, SchemaError, check
from veche.pipeline.corpus import Corpus
from veche.pipeline.models import Models
from veche.pipeline.stages import STAGES, RunContext, build_stages
from veche.progress import NullProgress
from veche.store import Store
from veche.store.analysis import AnalysisStore


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[VecheConfig, Store]:
    config = VecheConfig(
        workdir=tmp_path, workers=1, store={"url": f"sqlite:///{tmp_path / 'v.sqlite'}"}
    )
    store = Store.open(config.store.url)
    path, _ = write_event(generate(n=400, seed=11), tmp_path / "demo.parquet")
    ingest([path], config, store)
    group_duplicates(store, config)
    return config, store


def test_each_stage_adds_exactly_its_columns(loaded: tuple[VecheConfig, Store]) -> None:
    config, store = loaded
    artifacts = Artifacts.for_store(config, config.store.url)
    corpus = Corpus.of(store)
    models, n_embedded = Models.build(config, artifacts, corpus, NullProgress())
    assert n_embedded == len(corpus) > 0
    themes, rebuilt = themes_for(models, corpus, config, artifacts, False, NullProgress())
    assert rebuilt
    stages = build_stages(config.analysis.stages, RunContext(config, models, themes))
    assert [s.name for s in stages] == ["themes", "geo", "taxonomy", "routing", "urgency"]
    frame = next(AnalysisStore(store).iter_unanalysed(QUESTION_COLUMNS, chunk=150))
    frame = frame.reset_index(drop=True)
    batch = Batch(frame, models.vectors_of(frame["content_hash"]))
    for stage in stages:
        before = set(batch.questions.columns)
        batch = stage.annotate(batch)
        added = set(batch.questions.columns) - before
        assert added == {c.name for c in ADDS[stage.name]}, stage.name
        check(batch, stage.name)  # kinds and row count
        assert len(batch) == len(frame)
    # routing read the taxonomy's probabilities, carried beside the table
    assert batch.topic_proba is not None
    assert batch.topic_proba.shape == (len(frame), len(batch.topic_ids)) and batch.topic_ids
    assert ((batch.topic_proba >= 0) & (batch.topic_proba <= 1 + 1e-9)).all()


def test_a_stage_that_skips_its_columns_is_caught() -> None:
    frame = pd.DataFrame({"id": [1, 2], "text": ["а", "б"]})
    batch = Batch(frame, np.zeros((2, 3), dtype=np.float32))
    with pytest.raises(SchemaError, match="did not add column 'region_code'"):
        check(batch, "geo")
    wrong = batch.with_columns(urgent=["yes", "no"], urgency_kinds=[[], []])
    with pytest.raises(SchemaError, match="urgent"):
        check(wrong, "urgency")


class AllUrgent:
    """An operator's own urgency rule, standing in for the packaged one."""

    name = "urgency"

    def annotate(self, batch: Batch) -> Batch:
        n = len(batch)
        return batch.with_columns(
            urgent=np.ones(n, dtype=bool),
            urgency_kinds=["operator"] * n,
            urgency_score=np.ones(n),
            urgency_evidence=["operator rule"] * n,
        )


def all_urgent(context: RunContext) -> AllUrgent:
    return AllUrgent()


def test_a_deployment_replaces_and_drops_stages(loaded: tuple[VecheConfig, Store]) -> None:
    config, store = loaded
    cfg = config.with_overrides(
        **{"analysis.stages": ["themes", "geo", "taxonomy", f"{__name__}:all_urgent"]}
    )
    res = analyze(store, cfg)
    rows = AnalysisStore(store).read_analysis(["text"])
    assert res.n_new == len(rows) == store.count()
    assert rows["urgent"].all() and (rows["urgency_evidence"] == "operator rule").all()
    assert rows["route"].isna().all()  # routing was dropped: nobody is named
    assert rows["topic"].notna().any() and rows["region_code"].notna().any()


def test_an_unknown_stage_is_named(loaded: tuple[VecheConfig, Store]) -> None:
    config, store = loaded
    with pytest.raises(ValueError, match="unknown stage 'urgncy'.*urgency"):
        analyze(store, config.with_overrides(**{"analysis.stages": ["themes", "urgncy"]}))
    assert set(STAGES) >= {"themes", "geo", "taxonomy", "routing", "urgency"}


def test_each_distinct_text_is_tagged_once(
    loaded: tuple[VecheConfig, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, store = loaded
    tagged: list[int] = []
    real = Models.build

    def counting(*args: object, **kw: object) -> tuple[Models, int]:
        models, n = real(*args, **kw)  # type: ignore[arg-type]
        tagger = models.tagger
        predict = tagger.predict_proba

        def count(frame: pd.DataFrame, vectors: np.ndarray) -> np.ndarray:
            tagged.append(len(frame))
            return predict(frame, vectors)

        monkeypatch.setattr(tagger, "predict_proba", count)
        return models, n

    monkeypatch.setattr(Models, "build", counting)
    res = analyze(store, config)
    assert res.themes_rebuilt and res.n_new == store.count()
    # theme discovery reads every distinct text's topics; the questions reuse them
    assert sum(tagged) == len(Corpus.of(store)) < store.count()
