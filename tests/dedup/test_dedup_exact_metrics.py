import itertools

import numpy as np
import pandas as pd
import pytest

from veche.dedup import exact_groups, pair_scores

# ---------------------------------------------------------------------------------- exact_groups


def test_exact_groups_equal_keys_share_labels_in_first_appearance_order():
    labels = exact_groups(["когда пенсия", "где дорога", "когда пенсия", "газ", "где дорога"])
    assert labels.dtype == np.int64
    assert labels.tolist() == [0, 1, 0, 2, 1]


def test_exact_groups_empty_and_missing():
    assert exact_groups([]).tolist() == []
    assert exact_groups([]).dtype == np.int64
    # missing keys are one more value; the empty string is a value of its own
    assert exact_groups(["a", None, "", None, "a"]).tolist() == [0, 1, 2, 1, 0]


def test_exact_groups_accepts_series_and_arrays():
    s = pd.Series(["x", "y", "x"], index=[10, 20, 30])
    assert exact_groups(s).tolist() == [0, 1, 0]
    assert exact_groups(np.array(["x", "y", "x"], dtype=object)).tolist() == [0, 1, 0]


# ---------------------------------------------------------------------------------- pair_scores


def test_pair_scores_hand_computed():
    # pred pairs: (0,1) (2,3); gold pairs: (0,1) (0,2) (1,2) (3,4); correct: (0,1)
    s = pair_scores([0, 0, 1, 1, 2], [0, 0, 0, 1, 1])
    assert s["n_pred_pairs"] == 2
    assert s["n_gold_pairs"] == 4
    assert s["n_true_pairs"] == 1
    assert s["precision"] == pytest.approx(0.5)
    assert s["recall"] == pytest.approx(0.25)
    assert s["f1"] == pytest.approx(1 / 3)


def test_pair_scores_all_singletons_precision_is_defined_as_one():
    s = pair_scores([0, 1, 2, 3], [0, 0, 1, 1])
    assert s["n_pred_pairs"] == 0
    assert s["precision"] == 1.0  # no pair claimed, so none claimed wrongly
    assert s["recall"] == 0.0
    assert s["f1"] == 0.0
    both = pair_scores([0, 1, 2], [5, 6, 7])
    assert (both["precision"], both["recall"], both["f1"]) == (1.0, 1.0, 1.0)


def test_pair_scores_one_big_group_and_identity():
    s = pair_scores([7] * 5, [0, 0, 0, 1, 1])
    assert s["n_pred_pairs"] == 10
    assert s["precision"] == pytest.approx(4 / 10)
    assert s["recall"] == 1.0
    same = pair_scores(["a", "a", "b"], [3, 3, 9])  # any hashable labels; renaming is irrelevant
    assert same["precision"] == same["recall"] == same["f1"] == 1.0


def test_pair_scores_missing_gold_labels_are_singletons():
    s = pair_scores([0, 0, 0], [1.0, np.nan, np.nan])
    assert s["n_gold_pairs"] == 0
    assert s["n_pred_pairs"] == 3
    assert s["precision"] == 0.0


def test_pair_scores_empty_and_length_mismatch():
    s = pair_scores([], [])
    assert s["n_pred_pairs"] == s["n_gold_pairs"] == 0
    with pytest.raises(ValueError):
        pair_scores([0, 1], [0])


def test_pair_scores_matches_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(1, 40))
        pred = rng.integers(0, 6, size=n)
        gold = rng.integers(0, 6, size=n)
        pairs = list(itertools.combinations(range(n), 2))
        p = {(i, j) for i, j in pairs if pred[i] == pred[j]}
        g = {(i, j) for i, j in pairs if gold[i] == gold[j]}
        s = pair_scores(pred, gold)
        assert (s["n_pred_pairs"], s["n_gold_pairs"], s["n_true_pairs"]) == (
            len(p),
            len(g),
            len(p & g),
        )
        assert s["precision"] == pytest.approx(len(p & g) / len(p) if p else 1.0)
        assert s["recall"] == pytest.approx(len(p & g) / len(g) if g else 1.0)
