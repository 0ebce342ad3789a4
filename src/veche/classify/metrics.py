"""Calibration and accuracy figures for probabilistic classifiers."""

from __future__ import annotations

import numpy as np


def expected_calibration_error(proba: np.ndarray, correct: np.ndarray, bins: int = 15) -> float:
    """Top-label ECE: rows binned by their highest probability (equal-width bins); the weighted
    mean gap between confidence and accuracy in each bin. ``correct``: 1 where the top class was
    right. 0 is perfectly calibrated."""
    proba = np.asarray(proba, dtype=float)
    conf = proba.max(axis=1) if proba.ndim == 2 else proba
    correct = np.asarray(correct, dtype=float)
    if len(conf) == 0:
        return float("nan")
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        sel = which == b
        if sel.any():
            ece += sel.mean() * abs(conf[sel].mean() - correct[sel].mean())
    return float(ece)
