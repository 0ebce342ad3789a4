"""A calibrated linear text classifier over veche's stored columns (``text``, ``lemmas``).

Features: TF-IDF of character n-grams of the cleaned text (robust to typos and inflection) plus
TF-IDF of word n-grams of the lemmas (robust to word order and form), sublinear tf, plus a one-hot
code of any configured categorical ``context_columns`` (e.g. the district: where a question
comes from can decide who handles it). Model: a one-vs-rest linear SVM. Scores: the SVM margins
turned into probabilities by a softmax whose temperature is fitted on out-of-fold margins
(multi-class), or one shared Platt sigmoid (multi-label) - one or two parameters, so classes
with a single example cannot break it.

Semi-supervised: unlabelled texts shape the IDF weights, and self-training adds the unlabelled
rows predicted above a confidence threshold as down-weighted pseudo-labels (``veche.classify.semi``).

Labels are either one string per row (multi-class) or a list of strings per row (multi-label:
a question can carry several categories; then ``predict`` returns lists).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import expit, log_softmax, softmax
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.naive_bayes import ComplementNB
from sklearn.preprocessing import MultiLabelBinarizer, OneHotEncoder
from sklearn.svm import LinearSVC

from veche.classify.folds import safe_folds
from veche.classify.options import ClassifierOptions

_FORMAT = 1


def _frame(
    docs: pd.DataFrame | Sequence[str], max_chars: int, context: Sequence[str] = ()
) -> pd.DataFrame:
    """``text`` and ``lemmas`` columns (plus the ``context`` columns, as strings); plain strings
    (or a frame without lemmas) fall back to the lower-cased text for both."""
    if not isinstance(docs, pd.DataFrame):
        docs = pd.DataFrame({"text": list(docs)})
    missing = [c for c in context if c not in docs.columns]
    if missing:
        raise ValueError(f"context column(s) missing from the docs: {', '.join(missing)}")
    text = docs["text"].fillna("").astype(str).str.slice(0, max_chars)
    has = "lemmas" in docs.columns
    lemmas = docs["lemmas"].fillna("").astype(str) if has else text.str.lower()
    out = pd.DataFrame({"text": text.to_numpy(), "lemmas": lemmas.to_numpy()})
    for c in context:
        out[f"ctx:{c}"] = docs[c].astype(object).fillna("").astype(str).to_numpy()
    return out


def _descriptions(
    descriptions: pd.DataFrame | None, like: pd.DataFrame, o: ClassifierOptions
) -> tuple[pd.DataFrame, list[str], np.ndarray]:
    """Class-describing rows as a feature frame (``description_repeats`` copies of each), their
    labels, and where each came from in ``descriptions`` (to pick their vectors); context
    columns, which a description has not, stay blank."""
    if descriptions is None or not len(descriptions) or o.description_repeats == 0:
        return like.iloc[:0], [], np.zeros(0, dtype=int)
    missing = {"label", "text"} - set(descriptions.columns)
    if missing:
        raise ValueError(f"descriptions need the columns label and text; missing: {missing}")
    described = descriptions.reindex(columns=["label", "text", "lemmas", *o.context_columns])
    kept = np.flatnonzero(described["text"].fillna("").astype(str).str.strip() != "")
    described = described.iloc[kept]
    if described["lemmas"].isna().all():
        described = described.drop(columns="lemmas")
    frame = _frame(described, o.max_chars, o.context_columns)
    labels = described["label"].astype(str).tolist()
    n = o.description_repeats
    return pd.concat([frame] * n, ignore_index=True), labels * n, np.tile(kept, n)


def _featurizer(o: ClassifierOptions) -> ColumnTransformer:
    common: dict[str, Any] = {
        "min_df": o.min_df,
        "sublinear_tf": o.sublinear_tf,
        "max_features": o.max_features,
        "dtype": np.float32,
    }
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(o.char_ngram_range), **common)
    word = TfidfVectorizer(
        analyzer="word",
        ngram_range=tuple(o.word_ngram_range),
        token_pattern=r"(?u)\b\w+\b",
        **common,
    )
    parts: list[tuple[str, Any, Any]] = [("char", char, "text"), ("word", word, "lemmas")]
    if o.context_columns:
        # unseen values (a new district) simply add nothing
        onehot = OneHotEncoder(handle_unknown="ignore", dtype=np.float32)
        parts.append(("context", onehot, [f"ctx:{c}" for c in o.context_columns]))
    return ColumnTransformer(parts, sparse_threshold=1.0)


def class_weights(y: np.ndarray, kind: str | None) -> dict[Any, float] | None:
    """Per-class weights for the rows of ``y``: ``"balanced"`` inverse to the class's size,
    ``"sqrt"`` inverse to its square root (rare topics are heard without one example
    outweighing a whole frequent class), ``None`` none. Normalised so a row weighs 1 on
    average. One rule for both modes: in multi-label mode ``y`` is one topic's 0/1 column."""
    if kind is None:
        return None
    classes, counts = np.unique(y, return_counts=True)
    power = {"balanced": 1.0, "sqrt": 0.5}[kind]
    w = counts.astype(float) ** -power
    w /= (w * counts).sum() / counts.sum()
    return {c: float(v) for c, v in zip(classes.tolist(), w, strict=True)}


def _svm(o: ClassifierOptions, y: np.ndarray) -> LinearSVC:
    """The linear SVM for training rows labelled ``y``, weighted per ``o.class_weight``."""
    return LinearSVC(C=o.C, class_weight=class_weights(y, o.class_weight), random_state=o.seed)


def _standardised(m: np.ndarray) -> np.ndarray:
    """Each row's scores as z-scores across classes: SVM margins and NB log-likelihoods live
    on different scales."""
    return (m - m.mean(axis=1, keepdims=True)) / (m.std(axis=1, keepdims=True) + 1e-9)


class _SvmWithNaiveBayes:
    """The multi-class SVM (on every feature) mixed with Complement Naive Bayes (on the first
    ``n_sparse`` columns: the n-gram TF-IDF, non-negative as NB needs), ``weight`` to NB."""

    def __init__(self, o: ClassifierOptions, y: np.ndarray, n_sparse: int) -> None:
        self.svm = _svm(o, y)
        self.nb = ComplementNB(alpha=o.nb_alpha)
        self.weight = o.nb_weight
        self.n_sparse = n_sparse

    def fit(
        self, X: sp.spmatrix, y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> _SvmWithNaiveBayes:
        self.svm.fit(X, y, sample_weight=sample_weight)
        self.nb.fit(sp.csr_matrix(X)[:, : self.n_sparse], y, sample_weight=sample_weight)
        self.classes_ = self.svm.classes_
        return self

    def decision_function(self, X: sp.spmatrix) -> np.ndarray:
        m = _margins(self.svm, X, len(self.classes_))
        nb = self.nb.predict_joint_log_proba(sp.csr_matrix(X)[:, : self.n_sparse])
        return (1 - self.weight) * _standardised(m) + self.weight * _standardised(nb)


def _multiclass_model(
    o: ClassifierOptions, y: np.ndarray, n_sparse: int
) -> LinearSVC | _SvmWithNaiveBayes:
    return _svm(o, y) if o.nb_weight <= 0 else _SvmWithNaiveBayes(o, y, n_sparse)


class _OneVsRest:
    """One binary SVM per topic, each weighted by its own positives and negatives (sklearn's
    OneVsRestClassifier shares one estimator's settings across topics, so "sqrt" could not
    follow each topic's size). A topic with no positives (or no negatives) in the training
    rows gets a constant margin of -1 (or +1)."""

    def __init__(self, o: ClassifierOptions) -> None:
        self.options = o
        self.coef_: sp.csr_matrix | None = None
        self.intercept_ = np.zeros(0)

    def fit(self, X: sp.spmatrix, Y: np.ndarray) -> _OneVsRest:
        rows, bias = [], []
        for j in range(Y.shape[1]):
            col = Y[:, j]
            if col.min() == col.max():  # nothing to separate
                rows.append(sp.csr_matrix((1, X.shape[1]), dtype=np.float64))
                bias.append(1.0 if col.max() else -1.0)
                continue
            svm = _svm(self.options, col).fit(X, col)
            rows.append(sp.csr_matrix(svm.coef_))
            bias.append(float(svm.intercept_[0]))
        self.coef_ = sp.vstack(rows).tocsr()
        self.intercept_ = np.asarray(bias)
        return self

    def decision_function(self, X: sp.spmatrix) -> np.ndarray:
        if self.coef_ is None:
            raise RuntimeError("not fitted")
        return np.asarray((X @ self.coef_.T).toarray()) + self.intercept_


def _margins(model: Any, X: sp.spmatrix, n_classes: int) -> np.ndarray:
    m = model.decision_function(X)
    if m.ndim == 1:  # binary: one margin for classes_[1]
        m = np.column_stack([-m, m]) / 2
    return m


def _fit_temperature(margins: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature that minimises the log-loss of out-of-fold margins."""

    def nll(log_t: float) -> float:
        lp = log_softmax(margins / np.exp(log_t), axis=1)
        return float(-lp[np.arange(len(y)), y].mean())

    res = minimize_scalar(nll, bounds=(-6.0, 4.0), method="bounded")
    return float(np.exp(res.x))


class TextClassifier:
    """Calibrated multi-class (or multi-label) classifier of questions.

    >>> clf = TextClassifier().fit(docs, labels, unlabeled=more_docs)  # doctest: +SKIP
    >>> clf.top_k(new_docs, k=3)  # [[("ЖКХ", 0.81), ("Дороги", 0.07), ...], ...]  # doctest: +SKIP
    """

    def __init__(self, options: ClassifierOptions | None = None) -> None:
        self.options = options or ClassifierOptions()
        self.classes_: np.ndarray = np.array([], dtype=object)
        self.multilabel = False
        self.temperature_: float = 1.0
        self.platt_: tuple[float, float] = (1.0, 0.0)
        self.n_pseudo_: int = 0
        self.dense_dim_: int = 0
        self._features: ColumnTransformer | None = None
        self._model: Any = None

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        docs: pd.DataFrame | Sequence[str],
        labels: Sequence[str] | Sequence[Sequence[str]],
        unlabeled: pd.DataFrame | Sequence[str] | None = None,
        descriptions: pd.DataFrame | None = None,
        vectors: np.ndarray | None = None,
        description_vectors: np.ndarray | None = None,
    ) -> TextClassifier:
        """Fit on labelled ``docs``; ``unlabeled`` docs (optional) inform the features and,
        in multi-class mode, self-training. ``descriptions`` (optional: columns ``label``,
        ``text``, and ``lemmas`` if known) are texts that describe a class - its name in a
        taxonomy, a definition, examples written for it: they join the training rows
        (``description_repeats`` times) and are never scored, so a class with few or no
        labelled questions is still known by what it is called.

        ``vectors`` (optional, one row per doc, e.g. e5 embeddings from the analysis) join the
        sparse features with weight ``dense_weight``: they carry meaning the n-grams miss
        ("сосульки на крыше" is about a roof). Then the descriptions need
        ``description_vectors`` and every later call the docs' vectors from the same encoder."""
        o = self.options
        self.dense_dim_ = 0 if vectors is None else int(np.asarray(vectors).shape[1])
        if self.dense_dim_ and o.self_train_rounds > 0:
            raise ValueError("self-training does not take dense vectors; set self_train_rounds=0")
        frame = _frame(docs, o.max_chars, o.context_columns)
        labels = list(labels)
        if len(labels) != len(frame):
            raise ValueError(f"{len(frame)} docs but {len(labels)} labels")
        if not labels:
            raise ValueError("no labelled docs")
        self.multilabel = not isinstance(labels[0], str)
        described, desc_labels, desc_rows = _descriptions(descriptions, frame, o)
        extra = (
            _frame(unlabeled, o.max_chars, o.context_columns)
            if unlabeled is not None
            else frame.iloc[:0]
        )
        self._features = _featurizer(o)
        # the unlabelled texts only shape the vocabulary and IDF (transductive, no labels used)
        self._features.fit(pd.concat([frame, described, extra], ignore_index=True))
        X = self._with_dense(sp.csr_matrix(self._features.transform(frame)), vectors)
        if len(described):
            desc_vectors = None
            if self.dense_dim_:
                if description_vectors is None or len(description_vectors) != len(descriptions):
                    raise ValueError("docs have vectors: give one per description row too")
                desc_vectors = np.asarray(description_vectors)[desc_rows]
            X_desc = self._with_dense(
                sp.csr_matrix(self._features.transform(described)), desc_vectors
            )
        else:
            X_desc = sp.csr_matrix((0, X.shape[1]), dtype=X.dtype)
        if self.multilabel:
            self._fit_multilabel(
                sp.vstack([X, X_desc]).tocsr(), labels + [[v] for v in desc_labels], len(labels)
            )
            return self
        y_str = np.asarray([str(v) for v in labels] + desc_labels, dtype=object)
        self.classes_, y_all = np.unique(y_str, return_inverse=True)
        if len(self.classes_) == 1:
            self._model = None
            return self
        X_un = sp.csr_matrix(self._features.transform(extra)) if len(extra) else None
        from veche.classify.semi import self_train

        # description rows follow the labelled rows: in every training part, never scored
        X_all, n_labelled = sp.vstack([X, X_desc]).tocsr(), len(labels)
        w_all = np.ones(len(y_all))
        if X_un is not None and o.self_train_rounds > 0:
            X_all, y_all, w_all = self_train(self, X_all, y_all, X_un, n_labelled)
        self._fit_multiclass(X_all, y_all, w_all, n_labelled=n_labelled)
        return self

    def _fit_multiclass(
        self, X: sp.spmatrix, y: np.ndarray, w: np.ndarray, n_labelled: int
    ) -> None:
        """Fit the SVM on all rows; calibrate on out-of-fold margins of the first
        ``n_labelled`` rows (pseudo-labelled rows after them stay in every training part)."""
        o = self.options
        self.temperature_ = 1.0
        if o.calibration == "temperature":
            oof, truth = self._oof_margins(X, y, w, n_labelled)
            if len(truth):
                self.temperature_ = _fit_temperature(oof, truth)
        self._model = _multiclass_model(o, y, self._n_sparse(X)).fit(X, y, sample_weight=w)

    def _n_sparse(self, X: sp.spmatrix) -> int:
        """Columns before the dense vectors (n-grams and context one-hots)."""
        return X.shape[1] - getattr(self, "dense_dim_", 0)

    def _oof_margins(
        self, X: sp.spmatrix, y: np.ndarray, w: np.ndarray, n_labelled: int
    ) -> tuple[np.ndarray, np.ndarray]:
        o = self.options
        n_classes = len(self.classes_)
        try:
            # big sets: one 20% hold-out is enough to fit one parameter, and costs one fit
            big = n_labelled >= o.calibration_holdout_from
            k = 5 if big else o.calibration_folds
            folds = safe_folds(y[:n_labelled], k, seed=o.seed, score_rare=True)
            folds = folds[:1] if big else folds
        except ValueError:
            return np.zeros((0, n_classes)), np.zeros(0, dtype=int)
        extra = np.arange(n_labelled, len(y))
        parts, truth = [], []
        for tr, te in folds:
            tr = np.concatenate([tr, extra])
            present = np.unique(y[tr])
            if len(present) < 2:
                continue
            model = _multiclass_model(o, y[tr], self._n_sparse(X))
            model.fit(X[tr], y[tr], sample_weight=w[tr])
            m = np.full((len(te), n_classes), np.nan)
            m[:, present] = _margins(model, X[te], len(present))
            # a class missing from this training part gets the row's lowest margin
            m = np.where(np.isnan(m), np.nanmin(m, axis=1, keepdims=True) - 1.0, m)
            parts.append(m)
            truth.append(y[te])
        if not parts:
            return np.zeros((0, n_classes)), np.zeros(0, dtype=int)
        return np.vstack(parts), np.concatenate(truth)

    def _fit_multilabel(self, X: sp.spmatrix, labels: list[Sequence[str]], n_labelled: int) -> None:
        """One SVM per class; the shared sigmoid is fitted on out-of-fold margins of the first
        ``n_labelled`` rows (description rows after them are in every training part)."""
        o = self.options
        binarizer = MultiLabelBinarizer()
        Y = binarizer.fit_transform([[str(v) for v in ls] for ls in labels])
        self.classes_ = np.asarray(binarizer.classes_, dtype=object)

        def fit(Xp: sp.spmatrix, Yp: np.ndarray) -> _OneVsRest:
            return _OneVsRest(o).fit(Xp, Yp)

        self.platt_ = (1.0, 0.0)
        # (every row carrying every label, or none, leaves nothing to calibrate on)
        Y_lab = Y[:n_labelled]
        if (
            o.calibration == "temperature"
            and n_labelled >= o.calibration_folds
            and 0 < Y_lab.mean() < 1
        ):
            oof = np.zeros(Y_lab.shape, dtype=float)
            extra = np.arange(n_labelled, len(Y))
            kf = KFold(n_splits=o.calibration_folds, shuffle=True, random_state=o.seed)
            for tr, te in kf.split(Y_lab):
                tr = np.concatenate([tr, extra])
                oof[te] = fit(X[tr], Y[tr]).decision_function(X[te]).reshape(len(te), -1)
            # one sigmoid shared by all classes: stable with rare classes
            lr = LogisticRegression(C=100.0).fit(oof.reshape(-1, 1), Y_lab.reshape(-1))
            self.platt_ = (float(lr.coef_[0, 0]), float(lr.intercept_[0]))
        self._model = fit(X, Y)
        self.multilabel = True

    # ------------------------------------------------------------------ scoring
    def _with_dense(self, X: sp.spmatrix, vectors: np.ndarray | None) -> sp.csr_matrix:
        dim = getattr(self, "dense_dim_", 0)  # files saved before dense vectors existed
        if not dim:
            if vectors is not None:
                raise ValueError("this classifier was fitted without vectors")
            return sp.csr_matrix(X)
        if vectors is None:
            raise ValueError(f"this classifier needs the docs' vectors ({dim} dims)")
        v = np.asarray(vectors, dtype=np.float32)
        if v.shape != (X.shape[0], dim):
            raise ValueError(f"vectors of shape {v.shape}; expected ({X.shape[0]}, {dim})")
        return sp.hstack([X, sp.csr_matrix(v * self.options.dense_weight)]).tocsr()

    def _transform(
        self, docs: pd.DataFrame | Sequence[str], vectors: np.ndarray | None = None
    ) -> sp.spmatrix:
        if self._features is None:
            raise RuntimeError("TextClassifier is not fitted")
        X = self._features.transform(
            _frame(docs, self.options.max_chars, self.options.context_columns)
        )
        return self._with_dense(X, vectors)

    def _proba_X(self, X: sp.spmatrix) -> np.ndarray:
        n = X.shape[0]
        if self.multilabel:
            m = self._model.decision_function(X).reshape(n, -1)
            a, b = self.platt_
            return expit(a * m + b)
        if self._model is None:  # one class only
            return np.ones((n, 1))
        m = _margins(self._model, X, len(self.classes_))
        return softmax(m / self.temperature_, axis=1)

    def predict_proba(
        self, docs: pd.DataFrame | Sequence[str], vectors: np.ndarray | None = None
    ) -> np.ndarray:
        """Calibrated probabilities, one column per ``classes_``; rows sum to 1 (multi-class)
        or each column is an independent probability (multi-label). ``vectors``: the docs'
        vectors, when the classifier was fitted with some."""
        return self._proba_X(self._transform(docs, vectors))

    def predict(
        self, docs: pd.DataFrame | Sequence[str], vectors: np.ndarray | None = None
    ) -> np.ndarray:
        """The most probable class per doc; multi-label: an object array of label lists (every
        class above ``multilabel_threshold``, else the single best)."""
        proba = self.predict_proba(docs, vectors)
        if not self.multilabel:
            return self.classes_[proba.argmax(axis=1)]
        out = np.empty(len(proba), dtype=object)
        for i, row in enumerate(proba):
            hit = np.flatnonzero(row >= self.options.multilabel_threshold)
            if not len(hit):
                hit = [int(row.argmax())]
            out[i] = [str(self.classes_[j]) for j in sorted(hit, key=lambda j: -row[j])]
        return out

    def top_k(
        self, docs: pd.DataFrame | Sequence[str], k: int = 3, vectors: np.ndarray | None = None
    ) -> list[list[tuple[str, float]]]:
        """The ``k`` most probable classes per doc, best first, with their probabilities."""
        if k < 1:
            raise ValueError("k must be >= 1")
        proba = self.predict_proba(docs, vectors)
        k = min(k, proba.shape[1])
        # stable sort on -p: ties keep class order, so results are deterministic
        order = np.argsort(-proba, axis=1, kind="stable")[:, :k]
        return [
            [(str(self.classes_[j]), float(proba[i, j])) for j in row]
            for i, row in enumerate(order)
        ]

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"format": _FORMAT, "classifier": self}, path, compress=3)
        return path

    @classmethod
    def load(cls, path: str | Path) -> TextClassifier:
        data = joblib.load(Path(path))
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ValueError(f"{path}: not a veche classifier (format {_FORMAT})")
        clf = data["classifier"]
        if not isinstance(clf, cls):
            raise ValueError(f"{path}: holds {type(clf).__name__}, not {cls.__name__}")
        # files saved before an option existed: missing options take their defaults
        clf.options = ClassifierOptions(**vars(clf.options))
        return clf
