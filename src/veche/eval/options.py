"""Settings of ``veche eval --mode classify`` (the ``[eval]`` section of ``veche.toml``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from veche.classify.options import ClassifierOptions


def _measured_classifier() -> ClassifierOptions:
    # sqrt class weights won on every real file (bench/classify_eval.py, docs/benchmarks.md):
    # SPb category with 10% of labels, SPb reason, Kursk topics; on the demo they cost 0.2
    # points (noise). The multi-label taxonomy tagger and the router of `veche train` measured
    # worse with them and keep their own unweighted settings.
    return ClassifierOptions(class_weight="sqrt")


class EvalOptions(BaseModel):
    """What ``veche eval`` scores with when no flag says otherwise: the best measured settings,
    so a user who passes no flags gets them."""

    # each label's name joins the training rows as a description of its class (the label set
    # is the taxonomy, known in advance): it raised SPb category and Kursk topics
    label_names: bool = True
    classifier: ClassifierOptions = Field(default_factory=_measured_classifier)
    dense: str | None = Field(
        None, description="an encoder whose vectors join the n-grams (e5: better, ~20 texts/s)"
    )
