"""Supervised assignment: learns multi-label themes from labelled questions, beats zero-shot on
the demo, keeps the tagger contract and survives a save/load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest_taxonomy import DEMO_THEMES, demo_docs, zero_shot_tagger

from veche.taxonomy import (
    SupervisedTagger,
    TaxonomyOptions,
    ZeroShotTagger,
    load_taxonomy,
    make_tagger,
    prepare_docs,
    train_taxonomy_classifier,
)


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return demo_docs()


@pytest.fixture(scope="module")
def tagger() -> ZeroShotTagger:
    return zero_shot_tagger()


@pytest.fixture(scope="module")
def halves(demo: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return demo.iloc[:500], demo.iloc[500:]


@pytest.fixture(scope="module")
def model(halves: tuple[pd.DataFrame, pd.DataFrame]) -> SupervisedTagger:
    train, _ = halves
    return train_taxonomy_classifier(train, train["themes"].tolist())


def _top1(topics: pd.Series, themes: pd.Series, mapping: dict[str, str]) -> float:
    hits = [mapping[t] in s.split(";") for t, s in zip(topics, themes, strict=True)]
    return float(np.mean(hits))


def _best(tagger: ZeroShotTagger | SupervisedTagger, docs: pd.DataFrame) -> list[str]:
    return [tagger.ids[j] for j in tagger.predict_proba(docs).argmax(axis=1)]


def test_supervised_beats_zero_shot_on_demo(
    tagger: ZeroShotTagger, halves: tuple[pd.DataFrame, pd.DataFrame], model: SupervisedTagger
) -> None:
    train, test = halves
    # the best topic of each question, also where it is too weak to be assigned
    sup = _top1(_best(model, test), test["themes"], {c: c for c in model.ids})
    zs = _top1(_best(tagger, test), test["themes"], DEMO_THEMES)
    assert sup >= 0.75, sup
    # measured 0.800 vs 0.782: the zero-shot tagger gained once it read transliterated Russian
    # (0.778 before), so the margin is no longer two points
    assert sup > zs, (sup, zs)


def test_multi_label_output_and_calibration(
    halves: tuple[pd.DataFrame, pd.DataFrame], model: SupervisedTagger
) -> None:
    _, test = halves
    assert set(model.ids) <= {t for s in test["themes"] for t in s.split(";")} | set(model.ids)
    p = model.predict_proba(test)
    assert p.shape == (len(test), len(model.ids))
    assert ((p >= 0) & (p <= 1)).all()
    # questions with two true themes: both usually rank in the top two
    multi = test["themes"].str.contains(";").to_numpy()
    if multi.sum() >= 10:
        order = np.argsort(-p[multi], axis=1)[:, :2]
        top2 = [{model.ids[j] for j in row} for row in order]
        both = np.mean(
            [set(t.split(";")) <= s for t, s in zip(test["themes"][multi], top2, strict=True)]
        )
        assert both >= 0.4, both
    # the chosen topic is far more probable when it is right than when it is wrong
    out = model.tag(test)
    right = np.array([t in s.split(";") for t, s in zip(out["topic"], test["themes"], strict=True)])
    assert out["topic_score"][right].mean() > out["topic_score"][~right].mean() + 0.15


def test_save_and_load_roundtrip(
    tmp_path: Path, halves: tuple[pd.DataFrame, pd.DataFrame], model: SupervisedTagger
) -> None:
    _, test = halves
    path = tmp_path / "taxonomy.joblib"
    model.save(path)
    again = SupervisedTagger.load(path)
    assert again.ids == model.ids
    configured = make_tagger(TaxonomyOptions(supervised_model=str(path)))
    assert isinstance(configured, SupervisedTagger) and configured.ids == model.ids
    np.testing.assert_allclose(
        again.predict_proba(test.head(50)), model.predict_proba(test.head(50))
    )
    # a file of the former layout (one model per label) is refused, saying what to do
    import joblib

    joblib.dump({"features": None, "ids": model.ids, "models": []}, tmp_path / "old.joblib")
    with pytest.raises(ValueError, match="train it again"):
        SupervisedTagger.load(tmp_path / "old.joblib")


def test_labels_are_checked_against_the_taxonomy() -> None:
    docs = prepare_docs(["нет отопления", "яма на дороге", "мало платят пенсию"] * 4)
    labels = ["housing_utilities", "roads_transport", "pensions;social_support"] * 4
    model = train_taxonomy_classifier(docs, labels, known_ids=load_taxonomy().ids)
    assert model.ids == ["social_support", "pensions", "housing_utilities", "roads_transport"]
    with pytest.raises(ValueError, match="not in the taxonomy: heating"):
        train_taxonomy_classifier(docs, ["heating"] * 12, known_ids=load_taxonomy().ids)
    with pytest.raises(ValueError, match="12 documents but 2 labels"):
        train_taxonomy_classifier(docs, ["a", "b"])


def test_rare_labels_are_not_learnt() -> None:
    docs = prepare_docs(["нет отопления", "яма на дороге", "мало платят пенсию", "нет врача"] * 3)
    labels = ["housing_utilities", "roads_transport", "pensions", "healthcare"] * 3
    labels[3] = "healthcare;once"  # seen once: below min_label_count (2)
    model = train_taxonomy_classifier(docs, labels)
    assert "once" not in model.ids and len(model.ids) == 4
    p = model.predict_proba(prepare_docs(["на дороге опять яма", "холодно, нет отопления"]))
    assert p.shape == (2, 4)
    assert [model.ids[j] for j in p.argmax(axis=1)] == ["roads_transport", "housing_utilities"]


def test_taxonomy_descriptions_keep_unlabelled_categories_assignable() -> None:
    """Labels for two categories only: with the taxonomy's names and examples as training rows,
    the other categories stay assignable (and are found), without them they vanish."""
    from veche.taxonomy import taxonomy_descriptions

    tax = load_taxonomy()
    docs = prepare_docs(["нет отопления в квартире", "яма на дороге у дома"] * 6)
    labels = ["housing_utilities", "roads_transport"] * 6
    desc = taxonomy_descriptions(tax)
    assert set(desc["label"]) == set(tax.ids)
    assert {"label", "text", "lemmas"} <= set(desc.columns)
    plain = train_taxonomy_classifier(docs, labels, known_ids=tax.ids)
    described = train_taxonomy_classifier(docs, labels, known_ids=tax.ids, descriptions=desc)
    assert plain.ids == ["housing_utilities", "roads_transport"]
    assert described.ids == tax.ids  # every category, in the taxonomy's order
    asked = prepare_docs(
        ["когда проиндексируют пенсию работающим пенсионерам", "в поликлинике нет врача"]
    )
    top = [described.ids[j] for j in described.predict_proba(asked).argmax(axis=1)]
    assert top == ["pensions", "healthcare"], top
    # the labelled categories are still found
    p = described.predict_proba(prepare_docs(["опять нет отопления", "на дороге яма"]))
    assert [described.ids[j] for j in p.argmax(axis=1)] == ["housing_utilities", "roads_transport"]
