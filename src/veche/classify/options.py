"""Options of the supervised / semi-supervised text classifier (``veche.classify``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ClassifierOptions(BaseModel):
    """Features, model, calibration and self-training settings of :class:`TextClassifier`."""

    # features: character n-grams of the cleaned text + word n-grams of the lemmas
    char_ngram_range: tuple[int, int] = (2, 5)
    word_ngram_range: tuple[int, int] = (1, 2)
    min_df: int = Field(1, ge=1, description="drop n-grams seen in fewer documents")
    max_features: int | None = Field(
        None, ge=1, description="cap per vectorizer (None: no cap); bounds memory on big corpora"
    )
    max_chars: int = Field(3000, gt=0, description="texts are cut to this many characters")
    sublinear_tf: bool = True
    context_columns: list[str] = Field(
        default_factory=list,
        description="categorical columns (e.g. district) one-hot encoded beside the text features",
    )
    # dense vectors given to fit()/predict() (e.g. e5) join the sparse features with this weight:
    # each TF-IDF block is a unit vector, so 2 lets the dense view count about as much as both
    dense_weight: float = Field(2.0, gt=0)
    # model: linear SVM, one-vs-rest
    C: float = Field(0.5, gt=0)
    # per-class weights (``model.class_weights``): "balanced" inverse to the class's size,
    # "sqrt" inverse to its square root, a milder lift of rare classes; multi-label, each
    # topic's positives against the rest. sqrt raised accuracy on SPb reason, SPb category with
    # 10% of labels and Kursk topics (multi-class) but lowered the multi-label taxonomy tagger
    # on the demo and on Kursk, so None (every row counts the same) stays the default
    class_weight: Literal["balanced", "sqrt"] | None = None
    # multi-class: mix the SVM's margins with Complement Naive Bayes over the n-grams (each
    # standardised per row; 0 = the SVM alone). NB is surer of a class from a word or two, the
    # SVM of many weak cues: with 161 topics mostly under 10 examples (Kursk) the mix helps
    nb_weight: float = Field(0.0, ge=0, lt=1)
    nb_alpha: float = Field(0.1, gt=0, description="Complement NB's additive smoothing")
    # calibration of the SVM margins, fitted on out-of-fold margins
    calibration: Literal["temperature", "none"] = "temperature"
    calibration_folds: int = Field(3, ge=2)
    calibration_holdout_from: int = Field(
        8000, ge=1, description="from this many labelled rows on, one 20% hold-out (faster)"
    )
    # self-training on unlabelled rows: pseudo-label those above `self_train_threshold`
    self_train_rounds: int = Field(0, ge=0, description="0 switches self-training off")
    self_train_threshold: float = Field(0.9, gt=0, le=1)
    self_train_weight: float = Field(
        0.5, gt=0, le=1, description="sample weight of a pseudo-labelled row"
    )
    # class descriptions given to fit() (names, definitions, examples) join the training rows
    description_repeats: int = Field(
        2, ge=0, description="copies of each description row (0 ignores descriptions)"
    )
    # multi-label mode (labels given as lists): a class is assigned above this probability
    multilabel_threshold: float = Field(0.5, gt=0, lt=1)
    seed: int = 0
