"""`veche export` after `analyze`: every question with its themes, topics, body, region and
urgency; and the analysts' review loop (export -> fill a column -> `veche train`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from veche.config import VecheConfig
from veche.demo import generate, write_event
from veche.export import ANALYSIS_ORDER, export
from veche.pipeline import group_duplicates, ingest
from veche.pipeline.analyze import analyze
from veche.pipeline.artifacts import Artifacts
from veche.pipeline.corpus import Corpus
from veche.pipeline.models import TAGGER_FILE, Models
from veche.pipeline.train import train_from_file
from veche.progress import NullProgress
from veche.store import Store
from veche.store.analysis import AnalysisStore
from veche.taxonomy import BlendedTagger, SupervisedTagger, load_taxonomy


@pytest.fixture
def analysed(config: VecheConfig, store: Store, tmp_path: Path) -> tuple[VecheConfig, Store]:
    path, _ = write_event(generate(n=700, seed=5), tmp_path / "demo.parquet")
    ingest([path], config, store)
    group_duplicates(store, config)
    analyze(store, config)
    return config, store


def test_export_carries_the_analysis(analysed: tuple[VecheConfig, Store], tmp_path: Path) -> None:
    config, store = analysed
    names = {c.id: c.name for c in load_taxonomy().categories}
    out = tmp_path / "questions.xlsx"
    assert export(store, out, chunk=250, topic_names=names) == store.count()
    df = pd.read_excel(out)
    assert set(ANALYSIS_ORDER) <= set(df.columns)
    themes = AnalysisStore(store).read_themes()
    broad = themes[themes.level == "broad"].set_index("id")["label"]
    # every analysed question names its themes by id and label, the label matching the store's
    assert df["theme_id"].notna().all() and df["broad_theme_id"].notna().all()
    assert (df["broad_theme"] == df["broad_theme_id"].map(broad)).all()
    # a question whose best topic is too weak has none (and no route); the others name theirs
    given = df["topic"].notna()
    assert given.mean() > 0.6 and (df["route"].notna() == given).all()
    df = df[given]
    assert set(df["topic"]) <= set(names) and (df["topic_name"] == df["topic"].map(names)).all()
    # "id:p; id:p", best first, the first being the top topic with its score
    first = df["topics"].str.split("; ").str[0].str.split(":")
    assert (first.str[0] == df["topic"]).all()
    assert (first.str[1].astype(float) - df["topic_score"]).abs().max() <= 0.0051  # 2 decimals
    assert df["region_code"].notna().mean() > 0.5
    assert df["urgent"].dtype == bool and 0 < df["urgent"].sum() < len(df)


def test_export_before_analysis_has_empty_analysis_columns(
    config: VecheConfig, store: Store, tmp_path: Path
) -> None:
    path, _ = write_event(generate(n=120, seed=6), tmp_path / "demo.parquet")
    ingest([path], config, store)
    out = tmp_path / "q.parquet"
    export(store, out, chunk=50)  # several chunks: one schema
    df = pd.read_parquet(out)
    assert len(df) == 120 and set(ANALYSIS_ORDER) <= set(df.columns)
    assert df[["theme_id", "topic", "urgent"]].isna().all().all()


def test_reviewed_rows_train_the_taxonomy(
    analysed: tuple[VecheConfig, Store], tmp_path: Path
) -> None:
    config, store = analysed
    out = tmp_path / "review.csv"
    export(store, out)
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    # an analyst confirms 40 assignments and corrects 20 (by id or by name); the other rows stay
    # unreviewed (questions with no topic are not confirmed: there is nothing to confirm)
    checked = df["topic"].copy()
    checked[:] = ""
    confirmed = df.index[df["topic"] != ""][:40]
    corrected = df.index.difference(confirmed)[:20]
    checked[confirmed] = df["topic"][confirmed]
    checked[corrected[:10]] = "pensions"
    checked[corrected[10:]] = " пенсии "  # the category's name, as an analyst may write it
    df.assign(topic_checked=checked).to_csv(out, index=False)
    done = train_from_file(config, out, text_col="text", topic_col="topic_checked", route_col=None)
    assert done and "from 60 labelled questions" in done[0], done
    # 40 of the 60 labels are zero-shot's own answers: the mix with zero-shot must win
    artifacts = Artifacts.for_store(config, config.store.url)
    saved = SupervisedTagger.load(artifacts.taxonomy / TAGGER_FILE)
    assert saved.blend_weight < 1.0
    assert f"mixed with zero-shot at weight {saved.blend_weight:.2f}" in done[0], done
    models, _ = Models.build(config, artifacts, Corpus.of(store), NullProgress())
    assert isinstance(models.tagger, BlendedTagger)
    # new questions are tagged by the mix; --retag gives it to the questions analysed before
    astore = AnalysisStore(store)
    before = astore.read_analysis(["text"])
    path, _ = write_event(generate(n=80, seed=8), tmp_path / "more.parquet")
    ingest([path], config, store)
    group_duplicates(store, config)
    first = analyze(store, config)
    assert first.n_new == 80 and first.n_retagged == 0
    unchanged = astore.read_analysis(["text"]).merge(before, on="question_id")
    assert (unchanged["topic_x"].fillna("") == unchanged["topic_y"].fillna("")).all()
    result = analyze(store, config, retag=True)
    assert result.n_new == 0 and result.n_retagged == store.count()
    assert "re-tagged" in result.describe()
    after = astore.read_analysis(["text", "lemmas", "lang", "meta", "content_hash"])
    models, n_embedded = Models.build(config, artifacts, Corpus.of(store), NullProgress())
    assert n_embedded == 0  # analyze embedded every text
    # topics, like vectors, belong to a distinct text (content hash): every copy of it gets the
    # topic of its first-stored wording, so a campaign's variants are never split across topics
    first = after.sort_values("question_id").drop_duplicates("content_hash")
    tagged = models.tagger.tag(first, models.vectors_of(first["content_hash"]))
    by_hash = pd.Series(tagged["topic"].to_numpy(), index=first["content_hash"].to_numpy())
    want = pd.DataFrame({"topic": by_hash.reindex(after["content_hash"]).to_numpy()})
    assert (after["topic"].fillna("").to_numpy() == want["topic"].fillna("").to_numpy()).all()
    # a question left without a topic is stored as NULL on both stores (not PostgreSQL's 'NaN')
    assert not after["topic"].isin(["NaN", "nan"]).any()
    changed = after.merge(before, on="question_id")
    assert (changed["topic_x"] != changed["topic_y"]).any()  # the learnt mix differs somewhere
    assert after["routes"].map(len).between(0, 3).all()


def test_a_handful_of_labels_leaves_zero_shot_in_charge(
    analysed: tuple[VecheConfig, Store], tmp_path: Path
) -> None:
    config, store = analysed
    out = tmp_path / "few.csv"
    export(store, out)
    df = pd.read_csv(out, dtype=str, keep_default_na=False).head(30)
    df.assign(topic_checked=["pensions"] * 5 + [""] * 25).to_csv(out, index=False)
    done = train_from_file(config, out, text_col="text", topic_col="topic_checked", route_col=None)
    assert "fewer than 10 labelled questions" in done[0], done
    artifacts = Artifacts.for_store(config, config.store.url)
    assert SupervisedTagger.load(artifacts.taxonomy / TAGGER_FILE).blend_weight == 0.0
