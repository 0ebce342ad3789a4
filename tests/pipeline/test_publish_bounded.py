"""The publish step aggregates in the database and scores only shortlist candidates, yet gives
the same themes table and shortlists as the exhaustive computation over every analysed row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from veche.config import VecheConfig
from veche.demo import generate, write_event
from veche.embed.vectors import VectorStore
from veche.pipeline import group_duplicates, ingest, publish
from veche.pipeline.analyze import analyze
from veche.pipeline.artifacts import Artifacts
from veche.shortlist import ShortlistOptions, select_shortlist, text_quality
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.themes import ThemeModel


def _exhaustive_lists(
    analysed: pd.DataFrame,
    vectors_of: dict[str, np.ndarray],
    model: ThemeModel,
    opt: ShortlistOptions,
) -> pd.DataFrame:
    """The shortlists as publish computed them before: every group's text and vector scored."""
    a = analysed.assign(group=analysed["group_id"].fillna(-analysed["question_id"]).astype(int))
    reps = a.drop_duplicates("group").copy()
    reps["asked"] = reps["group"].map(a.groupby("group").size()).astype(int)
    reps["quality"], reps["abusive"] = text_quality(reps["text"].tolist())
    vectors = np.stack([vectors_of[h] for h in reps["content_hash"]])
    centroid_of = dict(zip(model.fine.ids.tolist(), model.fine.centroids, strict=True))
    centroids = np.stack([centroid_of[int(t)] for t in reps["theme_id"]])
    reps["centrality"] = np.einsum("ij,ij->i", vectors, centroids)
    reps = reps.rename(columns={"theme_id": "sub_id"})
    out = []
    for broad, idx in reps.groupby("broad_id").indices.items():
        out.append(select_shortlist(reps.iloc[idx], vectors[idx], opt).assign(theme_id=int(broad)))
    return pd.concat(out, ignore_index=True)[["theme_id", "rank", "question_id", "score", "asked"]]


def test_publish_matches_the_exhaustive_computation(
    config: VecheConfig, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a short list from a small pool: most groups of a theme cannot make it, so the bounded
    # path really skips candidates
    cfg = config.with_overrides(**{"shortlist.size": 8, "shortlist.pool": 3})
    path, _ = write_event(generate(n=900, seed=11), tmp_path / "demo.parquet")
    ingest([path], cfg, store)
    group_duplicates(store, cfg)
    real, evaluated = publish.bounded_shortlist, []

    def counting(cands: pd.DataFrame, *args: object, **kw: object) -> tuple[pd.DataFrame, int]:
        picked, n = real(cands, *args, **kw)
        evaluated.append((n, len(cands)))
        return picked, n

    monkeypatch.setattr(publish, "bounded_shortlist", counting)
    res = analyze(store, cfg)
    # some theme's list was proven without reading every candidate's text and vector (at this
    # size the best two of each region cover most groups; tests/shortlist show the saving)
    assert any(n < c for n, c in evaluated), evaluated
    astore = AnalysisStore(store)
    analysed = astore.read_analysis(["content_hash", "group_id", "text"])
    assert res.n_total == len(analysed) == store.count()
    assert res.n_urgent == int(analysed["urgent"].sum())
    assert res.other_share == float(analysed["is_other"].mean())

    art = Artifacts.for_store(cfg, cfg.store.url)
    model = ThemeModel.load(art.themes(cfg.analysis.encoder))
    assert model is not None
    vs = VectorStore(
        art.vectors(cfg.analysis.encoder), cfg.analysis.encoder, model.fine.centroids.shape[1]
    )
    keys, matrix = vs.all()
    want = _exhaustive_lists(analysed, dict(zip(keys, matrix, strict=True)), model, cfg.shortlist)
    got = astore.read_shortlists()
    cols = ["theme_id", "rank", "question_id", "asked"]
    assert len(got) >= 8 * 2
    pd.testing.assert_frame_equal(
        got[cols].reset_index(drop=True), want[cols].reset_index(drop=True)
    )
    assert np.allclose(got["score"], want["score"], atol=1e-4)

    # themes table: sizes and dominant topics counted in SQL as from every row
    themes = astore.read_themes().set_index(["level", "id"])
    for level, col in (("broad", "broad_id"), ("fine", "theme_id")):
        sizes = analysed.groupby(col).size()
        got_sizes = themes.loc[level, "size"]
        assert (got_sizes == sizes.reindex(got_sizes.index, fill_value=0)).all()
    first = analysed.drop_duplicates("content_hash").set_index("content_hash")["question_id"]
    centrals = themes["central_question_id"].dropna().astype(int)
    assert len(centrals) and centrals.isin(first.to_numpy()).all()
