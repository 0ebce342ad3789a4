"""The priority score: range, monotone in every input, urgency first, neutral defaults."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from veche.urgency import PriorityWeights, priority_scores

BASE = {"urgency_score": 0.3, "group_size": 5, "n_regions": 2, "growth": 1.5}
GRID = {
    "urgency_score": [0.0, 0.1, 0.4, 0.7, 1.0, 1.5],
    "group_size": [1, 2, 10, 100, 1000, 10**6],
    "n_regions": [1, 2, 5, 20, 30, 85],
    "growth": [0.0, 0.5, 1.0, 2.0, 5.0, 50.0],
}


@pytest.mark.parametrize("column", list(GRID))
def test_monotone_in_each_input(column: str) -> None:
    df = pd.DataFrame([{**BASE, column: v} for v in GRID[column]])
    p = priority_scores(df).to_numpy()
    assert np.all(np.diff(p) >= 0), (column, p)
    assert p[-1] > p[0], (column, p)  # and it does move


def test_range_and_extremes() -> None:
    df = pd.DataFrame(
        [
            {"urgency_score": 0, "group_size": 1, "n_regions": 1, "growth": 0},
            {"urgency_score": 1, "group_size": 10**6, "n_regions": 85, "growth": 100},
        ]
    )
    p = priority_scores(df)
    assert p.tolist() == pytest.approx([0.0, 100.0])
    rnd = np.random.default_rng(0)
    many = pd.DataFrame(
        {
            "urgency_score": rnd.random(500),
            "group_size": rnd.integers(1, 5000, 500),
            "n_regions": rnd.integers(1, 85, 500),
            "growth": rnd.random(500) * 10,
        }
    )
    q = priority_scores(many)
    assert q.between(0, 100).all()
    assert q.index.equals(many.index)


def test_one_urgent_question_outranks_a_big_calm_campaign() -> None:
    df = pd.DataFrame(
        [
            {"urgency_score": 1.0, "group_size": 1, "n_regions": 1, "growth": 1.0},
            {"urgency_score": 0.0, "group_size": 50_000, "n_regions": 80, "growth": 10.0},
        ]
    )
    p = priority_scores(df)
    assert p[0] > p[1]


def test_missing_columns_are_neutral_and_weights_apply() -> None:
    df = pd.DataFrame({"urgency_score": [0.0, 1.0]})
    assert priority_scores(df).tolist() == pytest.approx([0.0, 55.0])
    only_size = PriorityWeights(urgency=0, size=1, regions=0, growth=0, size_cap=100)
    p = priority_scores(pd.DataFrame({"group_size": [1, 10, 100]}), only_size)
    assert p.tolist() == pytest.approx([0.0, 50.0, 100.0])
    with pytest.raises(ValueError):
        priority_scores(df, PriorityWeights(urgency=0, size=0, regions=0, growth=0))
