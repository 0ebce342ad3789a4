"""Options of the taxonomy and routing stages (plugged into ``VecheConfig`` by the lead)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TaxonomyOptions(BaseModel):
    path: str | None = Field(
        default=None, description="taxonomy YAML; None uses the packaged default_ru.yaml"
    )
    threshold: float = Field(
        default=0.5, ge=0.0, le=1.0, description="calibrated probability a topic needs to be listed"
    )
    max_topics: int = Field(default=3, ge=1, description="at most this many topics per question")
    example_weight: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="zero-shot similarity = w * max-sim over examples + (1-w) * prototype cosine",
    )
    use_keywords: bool = Field(
        default=True, description="add lexical evidence: the category's keywords among the lemmas"
    )
    at_least_one: bool = Field(
        default=True,
        description="zero-shot: scale a question's topic probabilities up to sum to 1 when they "
        "sum below it (every question raises at least one topic)",
    )
    taxonomy_languages: list[str] = Field(
        default_factory=lambda: ["ru", "und"],
        description="zero-shot: languages the corpus encoder reads against the taxonomy "
        "(`und`: too short to tell); the others go to `foreign_encoder`",
    )
    foreign_encoder: str | None = Field(
        default="e5",
        description="zero-shot: a multilingual encoder for questions in other languages "
        "(Kazakh, Tatar, ...) when the corpus encoder is not multilingual; None: the corpus "
        "encoder for every question",
    )
    second_opinion_below: float = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description="zero-shot: a question whose top topic probability from the corpus encoder "
        "is below this is read again by `foreign_encoder`, whose answer it takes (0: never; "
        "0.2 re-reads 8% of the demo's Russian texts and 26% of SPb's, each +2 to +4 points)",
    )
    supervised_model: str | None = Field(
        default=None,
        description="a model saved by `veche train --labels`; used instead of zero-shot",
    )
    min_label_count: int = Field(
        default=2, ge=1, description="supervised: labels with fewer examples are not learnt"
    )
    context_columns: list[str] = Field(
        default_factory=list,
        description="supervised: categorical intake columns (e.g. a portal's object type) the "
        "tagger learns beside the text; read from the questions' meta at analysis",
    )


class RoutingOptions(BaseModel):
    model: str | None = Field(
        default=None, description="a router learnt from labelled history; None routes by taxonomy"
    )
    top_k: int = Field(default=3, ge=1, description="how many responsible bodies to list")
    context_columns: list[str] = Field(
        default_factory=list,
        description="categorical columns (e.g. district) the learnt router may use beside the text",
    )
    min_body_count: int = Field(
        default=2, ge=1, description="bodies seen fewer times in the history are not learnt"
    )
