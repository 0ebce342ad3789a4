"""Options of the taxonomy and routing stages (plugged into ``VecheConfig`` by the lead)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TaxonomyOptions(BaseModel):
    path: str | None = Field(
        default=None, description="taxonomy YAML; None uses the packaged default_ru.yaml"
    )
    # Calibrated on data: the score where an assigned top topic stops being more often right than
    # wrong. Real municipal appeals (bench/zeroshot_kursk.py, Kursk, 1,999 questions, defaults
    # with e5's second opinion): top topics scored in [0.45, 0.50) are right 61% of the time, in
    # [0.40, 0.45) 44%; the demo (3,000 generated, TF-IDF alone): 71% and 52%; both together 66%
    # and 48%. At 0.45 Kursk gives 84% of questions a topic, 0.79 of them the right one (0.5:
    # 78% / 0.80; 0.6: 65% / 0.82; every question: 0.73); the demo 73% / 0.87 (all: 0.77).
    threshold: float = Field(
        default=0.45,
        ge=0.0,
        le=1.0,
        description="calibrated probability a topic needs: `topics` lists every topic at or above "
        "it, and a question none of whose topics reaches it has no topic (unassigned) and no "
        "taxonomy route",
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
    table: str | None = Field(
        default=None,
        description="routing by taxonomy: a YAML table `routes: {topic id: body}` naming the "
        "regional or municipal body of each topic (example: veche/routing/example_kursk.yaml); "
        "topics it leaves out keep the taxonomy's federal `route`",
    )
    top_k: int = Field(default=3, ge=1, description="how many responsible bodies to list")
    context_columns: list[str] = Field(
        default_factory=list,
        description="categorical columns (e.g. district) the learnt router may use beside the text",
    )
    min_body_count: int = Field(
        default=2, ge=1, description="bodies seen fewer times in the history are not learnt"
    )
