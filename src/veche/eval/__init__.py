"""Score veche against labelled files (``veche eval``): themes (cluster mode) and classifiers
(classify mode)."""

from veche.eval.data import EvalDataError, distinct, load_labelled, read_table

__all__ = ["EvalDataError", "distinct", "load_labelled", "read_table"]
