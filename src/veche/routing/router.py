"""Routing: the responsible bodies for each question, top-k with scores.

Two sources, the better one first:

* **learnt** from labelled history (a column of handling agencies, e.g. an executor): a linear SVM
  over the same TF-IDF text features as the supervised tagger (plus one-hot context columns such
  as the district, when configured), calibrated with ``CalibratedClassifierCV`` (Platt scaling on
  held-out folds), so scores are probabilities over the known bodies;
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
from scipy.sparse import csr_matrix, hstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.preprocessing import OneHotEncoder
from sklearn.svm import LinearSVC

from veche.taxonomy.model import Taxonomy
from veche.taxonomy.options import RoutingOptions
from veche.taxonomy.supervised import CV_FOLDS, TextFeatures


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
        self._features: TextFeatures | None = None
        self._context: OneHotEncoder | None = None
        self._model: CalibratedClassifierCV | None = None

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
    ) -> Router:
        """Learn routing from history: ``docs`` (``text``, ``lemmas`` and any context columns)
        and the body that handled each. Rows with an empty body are skipped."""
        router = cls(options)
        router.taxonomy = taxonomy
        y = pd.Series(list(bodies), index=docs.index).fillna("").astype(str).str.strip()
        counts = y[y != ""].value_counts()
        # calibration needs each body in every fold: at least two questions per body
        known = counts.index[counts >= max(router.options.min_body_count, 2)]
        keep = y.isin(known).to_numpy()
        if len(known) < 2:
            raise ValueError("routing history needs at least two bodies with enough questions")
        docs, y = docs[keep], y[keep]
        router._features = TextFeatures()
        x = router._features.fit_transform(docs)
        if router.options.context_columns:
            router._context = OneHotEncoder(handle_unknown="ignore")
            x = hstack([x, router._context.fit_transform(router._context_values(docs))]).tocsr()
        # rare bodies may be missing from a training fold: sklearn gives them 0 there
        router._model = CalibratedClassifierCV(
            LinearSVC(C=0.5), method="sigmoid", cv=min(CV_FOLDS, int(counts[known].min()))
        ).fit(x, y.to_numpy())
        router.bodies = list(router._model.classes_)
        return router

    def _context_values(self, docs: pd.DataFrame) -> pd.DataFrame:
        cols = self.options.context_columns
        missing = [c for c in cols if c not in docs.columns]
        if missing:
            raise ValueError(f"routing context column(s) missing: {', '.join(missing)}")
        return docs[cols].fillna("").astype(str)

    # ---- routing ----------------------------------------------------------------------------

    def scores(
        self,
        docs: pd.DataFrame,
        topic_proba: np.ndarray | None = None,
        topic_ids: Sequence[str] | None = None,
    ) -> np.ndarray:
        """(n, len(bodies)) scores; the taxonomy route needs the tagger's ``predict_proba``."""
        if self._model is not None:
            x: csr_matrix = self._features.transform(docs)
            if self._context is not None:
                x = hstack([x, self._context.transform(self._context_values(docs))]).tocsr()
            return self._model.predict_proba(x)
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
        joblib.dump(
            {
                "features": self._features,
                "context": self._context,
                "model": self._model,
                "bodies": self.bodies,
                "context_columns": self.options.context_columns,
            },
            Path(path),
        )

    @classmethod
    def load(cls, path: str | Path, options: RoutingOptions | None = None) -> Router:
        state = joblib.load(Path(path))
        options = (options or RoutingOptions()).model_copy(
            update={"context_columns": state["context_columns"]}
        )
        router = cls(options)
        router._features, router._context = state["features"], state["context"]
        router._model, router.bodies = state["model"], state["bodies"]
        return router
