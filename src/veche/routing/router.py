"""Routing: the responsible bodies for each question, top-k with scores.

Two sources, the better one first:

* **learnt** from labelled history (a column of handling agencies, e.g. an executor): a
  multi-class :class:`veche.classify.TextClassifier` (the same TF-IDF text features and linear
  SVM as the supervised tagger, plus one-hot context columns such as the district, when
  configured; softmax temperature fitted on out-of-fold margins), so scores are probabilities
  over the known bodies;
* **from the taxonomy**: every category has a ``route``; a body's score is the probability that at
  least one of its categories applies (noisy-or of the topic probabilities, treated as
  independent), so bodies that own several assigned topics rise, and the score stays in [0, 1].

Output columns: ``route`` (top body), ``route_score``, ``routes`` (list of (body, score), at most
``top_k``, best first).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from veche.classify import ClassifierOptions, TextClassifier
from veche.taxonomy.model import Taxonomy
from veche.taxonomy.options import RoutingOptions

_FORMAT = "veche-router/2"

# Settings of the learnt router's classifier (its context columns come from RoutingOptions).
# Stronger regularisation than the classifier's default (C 0.5): handling bodies are noisy labels
# over many classes; measured on SPb executors and Kursk bodies (bench/taxonomy_eval.py) it keeps
# top-1/top-3 at or above C 0.5 with and without the district. Rows are not weighted by class
# size: class_weight="sqrt" lowered SPb executor top-1/top-3 0.352/0.497 -> 0.343/0.483.
ROUTER_CLASSIFIER = ClassifierOptions(C=0.25)


def routes_frame(scores: np.ndarray, bodies: Sequence[str], top_k: int) -> pd.DataFrame:
    order = np.argsort(-scores, axis=1)[:, :top_k]
    routes = [
        [(bodies[j], float(row[j])) for j in idx] for row, idx in zip(scores, order, strict=True)
    ]
    return pd.DataFrame(
        {
            "route": [r[0][0] for r in routes],
            "route_score": np.array([r[0][1] for r in routes], dtype=float),
            "routes": routes,
        }
    )


class Router:
    """Use :meth:`from_taxonomy` or :meth:`fit`; then :meth:`route`."""

    def __init__(self, options: RoutingOptions | None = None) -> None:
        self.options = options or RoutingOptions()
        self.taxonomy: Taxonomy | None = None
        self.bodies: list[str] = []
        self._model: TextClassifier | None = None

    @property
    def learnt(self) -> bool:
        return self._model is not None

    # ---- construction -----------------------------------------------------------------------

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy, options: RoutingOptions | None = None) -> Router:
        router = cls(options)
        router.taxonomy = taxonomy
        router.bodies = sorted({c.route for c in taxonomy.categories if c.route})
        if not router.bodies:
            raise ValueError(f"{taxonomy.source}: no category has a 'route'")
        return router

    @classmethod
    def fit(
        cls,
        docs: pd.DataFrame,
        bodies: Sequence[str],
        options: RoutingOptions | None = None,
        taxonomy: Taxonomy | None = None,
        classifier: ClassifierOptions | None = None,
    ) -> Router:
        """Learn routing from history: ``docs`` (``text``, ``lemmas`` and any context columns)
        and the body that handled each. Rows with an empty body, or a body seen fewer than
        ``min_body_count`` times, are skipped. ``classifier``: the model's settings (default
        :data:`ROUTER_CLASSIFIER`); the context columns are always the routing options'."""
        router = cls(options)
        router.taxonomy = taxonomy
        y = pd.Series(list(bodies), index=docs.index).fillna("").astype(str).str.strip()
        counts = y[y != ""].value_counts()
        known = counts.index[counts >= router.options.min_body_count]
        keep = y.isin(known).to_numpy()
        if len(known) < 2:
            raise ValueError("routing history needs at least two bodies with enough questions")
        settings = (classifier or ROUTER_CLASSIFIER).model_copy(
            update={"context_columns": list(router.options.context_columns)}
        )
        router._model = TextClassifier(settings).fit(docs[keep], y[keep].tolist())
        router.bodies = [str(b) for b in router._model.classes_]
        return router

    # ---- routing ----------------------------------------------------------------------------

    def scores(
        self,
        docs: pd.DataFrame,
        topic_proba: np.ndarray | None = None,
        topic_ids: Sequence[str] | None = None,
    ) -> np.ndarray:
        """(n, len(bodies)) scores; the taxonomy route needs the tagger's ``predict_proba``."""
        if self._model is not None:
            return self._model.predict_proba(docs)
        if topic_proba is None or topic_ids is None or self.taxonomy is None:
            raise ValueError("routing by taxonomy needs the topic probabilities and their ids")
        index = {b: i for i, b in enumerate(self.bodies)}
        miss = np.ones((len(topic_proba), len(self.bodies)))
        for j, cid in enumerate(topic_ids):
            body = self.taxonomy[cid].route if cid in self.taxonomy else ""
            if body:
                miss[:, index[body]] *= 1.0 - np.clip(topic_proba[:, j], 0.0, 1.0)
        return 1.0 - miss

    def route(
        self,
        docs: pd.DataFrame,
        topic_proba: np.ndarray | None = None,
        topic_ids: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        out = routes_frame(
            self.scores(docs, topic_proba, topic_ids), self.bodies, self.options.top_k
        )
        out.index = docs.index
        return out

    # ---- persistence ------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        if self._model is None:
            raise ValueError("only a learnt router is saved; a taxonomy router is rebuilt")
        joblib.dump({"format": _FORMAT, "classifier": self._model}, Path(path))

    @classmethod
    def load(cls, path: str | Path, options: RoutingOptions | None = None) -> Router:
        state = joblib.load(Path(path))
        if not isinstance(state, dict) or state.get("format") != _FORMAT:
            raise ValueError(
                f"{path}: not a router of this veche version (format {_FORMAT}); "
                "train it again with `veche train --labels FILE --route COLUMN`"
            )
        model: TextClassifier = state["classifier"]
        # the context columns the model was trained with, whatever the options say
        options = (options or RoutingOptions()).model_copy(
            update={"context_columns": list(model.options.context_columns)}
        )
        router = cls(options)
        router._model = model
        router.bodies = [str(b) for b in model.classes_]
        return router
