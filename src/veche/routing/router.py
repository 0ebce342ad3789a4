"""Routing: the responsible bodies for each question, top-k with scores.

Two sources, the better one first:

* **learnt** from labelled history (a column of handling agencies, e.g. an executor): a
  multi-class :class:`veche.classify.TextClassifier` (the same TF-IDF text features and linear
  SVM as the supervised tagger, plus one-hot context columns such as the district, when
  configured; softmax temperature fitted on out-of-fold margins), so scores are probabilities
  over the known bodies;
* **from the taxonomy**: every category has a ``route`` (the federal body), which a routing table
  (``RoutingOptions.table``: ``routes: {topic id: body}``, see ``example_kursk.yaml``) may
  replace by a regional or municipal one; a body's score is the probability that at least one of
  its confident categories applies (noisy-or of the topic probabilities at or above the
  taxonomy's threshold, treated as independent), so bodies that own several assigned topics
  rise, and the score stays in [0, 1]. A question with no confident topic is not routed: a wrong
  body sends an appeal the wrong way, an empty one says that a person must decide.

Output columns: ``route`` (top body; ``None``: not routed), ``route_score`` (0.0 when not
routed), ``routes`` (list of (body, score), at most ``top_k``, best first; empty when not routed).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import yaml

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


EXAMPLE_TABLE = "example_kursk.yaml"


class RoutingTableError(ValueError):
    pass


def load_routing_table(path: str | Path, taxonomy: Taxonomy) -> dict[str, str]:
    """Topic id -> body from an operator's YAML (``routes:`` mapping; ``region:`` optional, for
    people). Every id must be a category of ``taxonomy`` (or its name) and every body a non-empty
    string; ``RoutingTableError`` names the file and the entry otherwise."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RoutingTableError(f"{path}: cannot read routing table ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise RoutingTableError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("routes"), dict):
        raise RoutingTableError(f"{path}: expected a mapping with 'routes: {{topic id: body}}'")
    table: dict[str, str] = {}
    for key, body in data["routes"].items():
        cid = taxonomy.find(key)
        if cid is None:
            raise RoutingTableError(
                f"{path}: routes: {key!r} is not a topic of {taxonomy.source} "
                f"(ids: {', '.join(taxonomy.ids)})"
            )
        if not isinstance(body, str) or not body.strip():
            raise RoutingTableError(f"{path}: routes: {key!r} needs a body name (a string)")
        table[cid] = " ".join(body.split())
    return table


def example_table_path() -> Path:
    """The packaged example routing table (Kursk region)."""
    return Path(str(resources.files("veche.routing").joinpath(EXAMPLE_TABLE)))


def routes_frame(scores: np.ndarray, bodies: Sequence[str], top_k: int) -> pd.DataFrame:
    """Top ``top_k`` bodies per row; bodies scored 0 are left out, and a row with none is not
    routed (``route`` None, ``route_score`` 0.0, ``routes`` empty)."""
    order = np.argsort(-scores, axis=1)[:, :top_k]
    routes = [
        [(bodies[j], float(row[j])) for j in idx if row[j] > 0]
        for row, idx in zip(scores, order, strict=True)
    ]
    return pd.DataFrame(
        {
            "route": pd.Series([r[0][0] if r else None for r in routes], dtype=object),
            "route_score": np.array([r[0][1] if r else 0.0 for r in routes], dtype=float),
            "routes": routes,
        }
    )


class Router:
    """Use :meth:`from_taxonomy` or :meth:`fit`; then :meth:`route`."""

    def __init__(self, options: RoutingOptions | None = None) -> None:
        self.options = options or RoutingOptions()
        self.taxonomy: Taxonomy | None = None
        self.bodies: list[str] = []
        self.topic_routes: dict[str, str] = {}  # routing by taxonomy: topic id -> body
        self._model: TextClassifier | None = None

    @property
    def learnt(self) -> bool:
        return self._model is not None

    # ---- construction -----------------------------------------------------------------------

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy, options: RoutingOptions | None = None) -> Router:
        router = cls(options)
        router.taxonomy = taxonomy
        table = load_routing_table(router.options.table, taxonomy) if router.options.table else {}
        router.topic_routes = {
            c.id: table.get(c.id, c.route) for c in taxonomy.categories if table.get(c.id, c.route)
        }
        router.bodies = sorted(set(router.topic_routes.values()))
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
        min_topic_score: float = 0.0,
    ) -> np.ndarray:
        """(n, len(bodies)) scores; the taxonomy route needs the tagger's ``predict_proba``, of
        which only topics at or above ``min_topic_score`` count (a body none of whose topics is
        confident scores 0)."""
        if self._model is not None:
            return self._model.predict_proba(docs)
        if topic_proba is None or topic_ids is None or self.taxonomy is None:
            raise ValueError("routing by taxonomy needs the topic probabilities and their ids")
        index = {b: i for i, b in enumerate(self.bodies)}
        proba = np.clip(np.asarray(topic_proba, dtype=float), 0.0, 1.0)
        proba = np.where(proba >= min_topic_score, proba, 0.0)
        miss = np.ones((len(proba), len(self.bodies)))
        for j, cid in enumerate(topic_ids):
            body = self.topic_routes.get(cid, "")
            if body:
                miss[:, index[body]] *= 1.0 - proba[:, j]
        return 1.0 - miss

    def route(
        self,
        docs: pd.DataFrame,
        topic_proba: np.ndarray | None = None,
        topic_ids: Sequence[str] | None = None,
        min_topic_score: float = 0.0,
    ) -> pd.DataFrame:
        """Bodies per question (see the module docstring); ``min_topic_score``: routing by
        taxonomy only follows topics this confident (the taxonomy's threshold)."""
        out = routes_frame(
            self.scores(docs, topic_proba, topic_ids, min_topic_score),
            self.bodies,
            self.options.top_k,
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
