"""``evaluate_classify``: every protocol on demo questions, and the shared SPb data (slow)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shared_data import SHARED_DATA
from veche.classify import ClassifierOptions
from veche.eval.classify import evaluate_classify

FAST = ClassifierOptions(char_ngram_range=(2, 4), self_train_rounds=0)


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    from veche.demo import generate

    ev = generate(900, 21)
    df = pd.DataFrame(
        {
            "text": ev.questions["text"].to_numpy(),
            "created": ev.questions["created_at"].astype(str).to_numpy(),
            "label": ev.truth["themes"].str.split(";").str[0],
        }
    )
    df = df[df["label"].str.strip() != ""].reset_index(drop=True)
    df["lemmas"] = df["text"].str.lower()
    return df


def _check(r: dict, floor: float) -> None:
    for key in ("accuracy", "macro_f1", "ece", "n_train", "n_labelled", "n_test", "n_classes"):
        assert key in r, key
    assert r["accuracy"] >= floor, r
    assert 0 <= r["ece"] < 0.15, r
    assert r["seconds"] >= 0


def test_test_file_protocol(demo: pd.DataFrame) -> None:
    r = evaluate_classify(demo.iloc[:600], test=demo.iloc[600:], options=FAST)
    _check(r, 0.7)
    assert (r["n_train"], r["n_labelled"], r["n_test"]) == (600, 600, len(demo) - 600)
    assert r["top3_accuracy"] >= r["accuracy"]


def test_split_protocol_and_label_fraction(demo: pd.DataFrame) -> None:
    split_at = sorted(demo["created"])[int(len(demo) * 0.7)]
    full = evaluate_classify(demo, split_col="created", split_at=split_at, options=FAST)
    _check(full, 0.7)
    assert full["n_train"] + full["n_test"] == len(demo)
    part = evaluate_classify(
        demo, split_col="created", split_at=split_at, train_frac=0.3, seed=1, options=FAST
    )
    assert part["n_train"] == full["n_train"]
    assert part["n_labelled"] == round(0.3 * full["n_train"])
    assert 0.4 <= part["accuracy"] <= full["accuracy"] + 0.03


def test_folds_protocol_with_rare_classes(demo: pd.DataFrame) -> None:
    df = demo.copy()
    df.loc[0, "label"] = "singleton"
    r = evaluate_classify(df, folds=3, options=FAST)  # plain k-fold: every row scored once
    _check(r, 0.7)
    assert r["n_unscored"] == 0 and r["n_test"] == len(df)
    kept = evaluate_classify(df, folds=3, options=FAST, score_rare=False)
    assert kept["n_unscored"] >= 1  # the singleton is trained on, never scored
    assert kept["n_test"] + kept["n_unscored"] == len(df)


def test_baseline_model_is_scored_the_same_way(demo: pd.DataFrame) -> None:
    class Majority:
        def fit(self, docs, labels, unlabeled=None):  # noqa: ANN001
            self.top = pd.Series(labels).mode()[0]
            return self

        def predict(self, docs):  # noqa: ANN001
            return np.full(len(docs), self.top, dtype=object)

    r = evaluate_classify(demo.iloc[:600], test=demo.iloc[600:], make_model=Majority)
    assert r["accuracy"] < 0.3
    assert "ece" not in r


def test_bad_arguments(demo: pd.DataFrame) -> None:
    with pytest.raises(ValueError):
        evaluate_classify(demo, train_frac=0)
    with pytest.raises(ValueError):
        evaluate_classify(demo, split_col="created")
    with pytest.raises(ValueError):
        evaluate_classify(demo, split_col="nope", split_at="2020")


SPB = SHARED_DATA / "spb" / "appeals_2020-10_2021-02.csv.gz"


@pytest.mark.slow
@pytest.mark.skipif(not SPB.exists(), reason="shared SPb data absent")
def test_spb_category_with_10pct_labels() -> None:
    from veche.eval import load_labelled

    df = load_labelled(SPB, "text", "category")
    r = evaluate_classify(df, split_col="created", split_at="2021-01-01", train_frac=0.1, seed=0)
    assert r["accuracy"] >= 0.85, r  # measured 0.867 (full labels: 0.925)
    assert r["ece"] < 0.06, r
    # the portal's object type beside the text (e5 on top reaches 0.933; too slow for a test)
    ctx = evaluate_classify(
        df,
        split_col="created",
        split_at="2021-01-01",
        train_frac=0.1,
        seed=0,
        options=ClassifierOptions(context_columns=["city_object"]),
    )
    assert ctx["accuracy"] >= 0.90, ctx  # measured 0.914


def test_rows_left_unlabelled_in_a_spreadsheet_are_skipped(tmp_path) -> None:
    """An analyst fills the label column for the rows they reviewed and leaves the rest empty:
    those empty cells are no label, not a label called 'nan'."""
    from veche.eval import load_labelled

    path = tmp_path / "review.xlsx"
    pd.DataFrame(
        {
            "text": ["Когда починят дорогу?", "Почему нет горячей воды?", "Где моя пенсия?"],
            "topic_checked": ["roads_transport", None, "pensions"],
        }
    ).to_excel(path, index=False)
    df = load_labelled(path, "text", "topic_checked")
    assert df["label"].tolist() == ["roads_transport", "pensions"]
