"""Supervised and semi-supervised classification of questions: themes, taxonomy categories,
routing to the responsible body. Calibrated scores and top-k."""

from veche.classify.folds import safe_folds
from veche.classify.metrics import expected_calibration_error
from veche.classify.model import TextClassifier
from veche.classify.options import ClassifierOptions

__all__ = ["ClassifierOptions", "TextClassifier", "expected_calibration_error", "safe_folds"]
