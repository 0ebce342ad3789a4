"""Supervised taxonomy assignment, once analysts' corrections or a labelled file exist.

A :class:`veche.classify.TextClassifier` in multi-label mode (TF-IDF of character n-grams of the
text and of word n-grams of the lemmas; one linear SVM per category, one-vs-rest, so a question
may carry several; margins turned into probabilities by one Platt sigmoid fitted on out-of-fold
margins), so its output is a probability comparable with the zero-shot tagger's. Labels seen
fewer than ``min_label_count`` times are not learnt. With ``context_columns`` (e.g. the object
type a city portal records) the model also learns from those intake columns. Saved and loaded
with joblib.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from veche.classify import ClassifierOptions, TextClassifier
from veche.taxonomy.model import Taxonomy
from veche.taxonomy.options import TaxonomyOptions
from veche.taxonomy.zeroshot import tag_frame
from veche.text import prepare_docs

_FORMAT = "veche-taxonomy-tagger/2"


def split_labels(labels: Sequence[str]) -> list[list[str]]:
    """``"a;b"`` -> ``["a", "b"]`` (blank parts dropped)."""
    return [[p.strip() for p in str(s).split(";") if p.strip()] for s in labels]


class SupervisedTagger:
    """Topic probabilities from a multi-label :class:`TextClassifier`, columns in ``ids``."""

    def __init__(
        self,
        classifier: TextClassifier,
        ids: list[str],
        options: TaxonomyOptions | None = None,
    ) -> None:
        missing = sorted(set(ids) - {str(c) for c in classifier.classes_})
        if missing:
            raise ValueError(f"classifier does not know the ids: {', '.join(missing[:10])}")
        self.classifier = classifier
        self.ids = list(ids)
        self.options = options or TaxonomyOptions()
        # its weight against zero-shot at analysis and the mix's calibration
        # (``veche.taxonomy.blend``; weight 1: alone)
        self.blend_weight = 1.0
        self.blend_platt: tuple[float, float] | None = None
        position = {str(c): j for j, c in enumerate(classifier.classes_)}
        self._columns = np.array([position[i] for i in self.ids], dtype=int)

    @property
    def context_columns(self) -> list[str]:
        """The intake columns the model was trained with (empty: text only)."""
        return list(self.classifier.options.context_columns)

    def predict_proba(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> np.ndarray:
        """(n, k) probabilities, columns in ``self.ids`` (``vectors`` is ignored: same call as
        the zero-shot tagger). A context column the docs lack counts as unknown (the text
        decides): theme discovery tags distinct texts, which have no intake metadata."""
        missing = {c: None for c in self.context_columns if c not in docs.columns}
        return self.classifier.predict_proba(docs.assign(**missing))[:, self._columns]

    def tag(self, docs: pd.DataFrame, vectors: np.ndarray | None = None) -> pd.DataFrame:
        out = tag_frame(
            self.predict_proba(docs), self.ids, self.options.threshold, self.options.max_topics
        )
        out.index = docs.index
        return out

    def save(self, path: str | Path) -> None:
        state = {"format": _FORMAT, "ids": self.ids, "classifier": self.classifier}
        blend = {"blend_weight": self.blend_weight, "blend_platt": self.blend_platt}
        joblib.dump({**state, **blend}, Path(path))

    @classmethod
    def load(cls, path: str | Path, options: TaxonomyOptions | None = None) -> SupervisedTagger:
        state = joblib.load(Path(path))
        if not isinstance(state, dict) or state.get("format") != _FORMAT:
            raise ValueError(
                f"{path}: not a taxonomy model of this veche version (format {_FORMAT}); "
                "train it again with `veche train --labels FILE`"
            )
        tagger = cls(state["classifier"], state["ids"], options)
        tagger.blend_weight = float(state.get("blend_weight", 1.0))  # older files: alone
        tagger.blend_platt = state.get("blend_platt")
        return tagger


def taxonomy_descriptions(taxonomy: Taxonomy) -> pd.DataFrame:
    """Every category described by its name, description and examples (``label`` = its id,
    ``text``, ``lang``, ``lemmas``): what the zero-shot tagger knows, as training rows."""
    texts, owners = [], []
    for c in taxonomy.categories:
        for t in (c.name, c.description, *c.examples):
            if t and t.strip():
                texts.append(t)
                owners.append(c.id)
    return prepare_docs(texts).assign(label=owners)


def train_taxonomy_classifier(
    docs: pd.DataFrame,
    labels: Sequence[str],
    options: TaxonomyOptions | None = None,
    known_ids: Sequence[str] | None = None,
    classifier: ClassifierOptions | None = None,
    descriptions: pd.DataFrame | None = None,
) -> SupervisedTagger:
    """Learn a multi-label classifier from ``docs`` (``text``, ``lemmas``) and ``labels``
    (one string per row, several ids joined by ``;``). ``known_ids`` (the taxonomy's) rejects
    labels that are not in it, naming them. ``classifier``: the model's settings (default:
    ``ClassifierOptions()``). ``descriptions`` (``label``, ``text``, ``lemmas``; e.g.
    :func:`taxonomy_descriptions`) join the training rows, so categories that analysts have
    not labelled yet stay assignable instead of vanishing from the supervised tagger.
    ``options.context_columns`` of ``docs`` are learnt beside the text."""
    options = options or TaxonomyOptions()
    parts = split_labels(labels)
    if len(parts) != len(docs):
        raise ValueError(f"{len(docs)} documents but {len(parts)} labels")
    keep = np.array([bool(p) for p in parts])
    docs = docs[keep]
    parts = [p for p in parts if p]
    counts = pd.Series([x for p in parts for x in p]).value_counts()
    if known_ids is not None:
        unknown = sorted(set(counts.index) - set(known_ids))
        if unknown:
            raise ValueError(f"labels not in the taxonomy: {', '.join(unknown[:10])}")
    ids = [i for i in counts.index if counts[i] >= options.min_label_count]
    if descriptions is not None and len(descriptions):
        described = set(descriptions["label"].astype(str))
        if known_ids is not None:
            described &= set(known_ids)
        descriptions = descriptions[descriptions["label"].astype(str).isin(described)]
        ids += sorted(described - set(ids))
    if known_ids is not None:  # keep the taxonomy's order
        ids = [i for i in known_ids if i in set(ids)]
    if len(ids) < 1 or len(docs) < 2:
        raise ValueError("not enough labelled questions to train on")
    # rare labels are dropped from each row; a row left with none is a negative for every id
    learnt = set(ids)
    targets = [[x for x in p if x in learnt] for p in parts]
    settings = (classifier or ClassifierOptions()).model_copy(
        update={"context_columns": list(options.context_columns)}
    )
    model = TextClassifier(settings).fit(docs, targets, descriptions=descriptions)
    return SupervisedTagger(model, ids, options)
