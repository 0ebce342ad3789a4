"""`veche train`: learn the taxonomy and routing from a labelled file.

The models are saved beside the store (see :mod:`veche.pipeline.artifacts`); the next
`veche analyze` uses them for new questions instead of zero-shot. While the labels are few the
taxonomy tagger is mixed with zero-shot, at a weight chosen by cross-validation on the labels
(:mod:`veche.taxonomy.blend`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from veche.config import VecheConfig
from veche.eval.data import load_labelled, read_table
from veche.pipeline.artifacts import Artifacts
from veche.pipeline.models import (
    ROUTER_FILE,
    TAGGER_FILE,
    foreign_encoder_options,
    open_encoder,
)
from veche.routing import Router
from veche.taxonomy import (
    SupervisedTagger,
    Taxonomy,
    choose_weight,
    load_taxonomy,
    taxonomy_descriptions,
    train_taxonomy_classifier,
    zero_shot_tagger,
)
from veche.taxonomy.blend import MIN_ROWS
from veche.taxonomy.supervised import split_labels

BLEND_SAMPLE = 3000


def train_from_file(
    config: VecheConfig,
    path: Path,
    *,
    text_col: str,
    topic_col: str | None,
    route_col: str | None,
) -> list[str]:
    """Train what the file has labels for; returns one line per model saved."""
    if not topic_col and not route_col:
        raise ValueError("give a topic column, a route column, or both")
    columns = set(map(str, read_table(path).columns))
    for col in (text_col, topic_col, route_col):
        if col and col not in columns:
            raise ValueError(
                f"{path}: no column {col!r}; columns are: {', '.join(sorted(columns))}"
            )
    wanted = {
        "taxonomy.context_columns": config.taxonomy.context_columns if topic_col else [],
        "routing.context_columns": config.routing.context_columns if route_col else [],
    }
    for option, cols in wanted.items():
        absent = [c for c in cols if c not in columns]
        if absent:
            raise ValueError(f"{path}: no column {', '.join(map(repr, absent))} (from {option})")
    artifacts = Artifacts.for_store(config, config.store.url)
    done = []
    if topic_col:
        docs = load_labelled(path, text_col, topic_col)
        taxonomy = load_taxonomy(config.taxonomy.path)
        # analysts may write a category's name as well as its id
        docs["label"] = [
            ";".join(taxonomy.find(p) or p for p in parts) for parts in split_labels(docs["label"])
        ]

        # the taxonomy's own names and examples keep unlabelled categories assignable
        described = taxonomy_descriptions(taxonomy)

        def fit(rows: pd.DataFrame, labels: list[str]) -> SupervisedTagger:
            return train_taxonomy_classifier(
                rows, labels, config.taxonomy, known_ids=taxonomy.ids, descriptions=described
            )

        tagger = fit(docs, docs["label"].tolist())
        blend = _blend_with_zero_shot(config, artifacts, taxonomy, docs, fit)
        tagger.blend_weight, tagger.blend_platt = blend[0], blend[2]
        artifacts.taxonomy.mkdir(parents=True, exist_ok=True)
        tagger.save(artifacts.taxonomy / TAGGER_FILE)
        done.append(
            f"taxonomy: learnt {len(tagger.ids)} topics from {len(docs):,} labelled questions "
            f"-> {artifacts.taxonomy / TAGGER_FILE}; {blend[1]}"
        )
    if route_col:
        docs = load_labelled(path, text_col, route_col)
        router = Router.fit(docs, docs["label"].tolist(), config.routing)
        artifacts.routing.mkdir(parents=True, exist_ok=True)
        router.save(artifacts.routing / ROUTER_FILE)
        done.append(
            f"routing: learnt {len(router.bodies)} bodies from {len(docs):,} questions "
            f"-> {artifacts.routing / ROUTER_FILE}"
        )
    return done


def _blend_with_zero_shot(
    config: VecheConfig,
    artifacts: Artifacts,
    taxonomy: Taxonomy,
    docs: pd.DataFrame,
    fit: Callable[[pd.DataFrame, list[str]], SupervisedTagger],
) -> tuple[float, str, tuple[float, float] | None]:
    """The learnt tagger's weight against zero-shot (cross-validated on ``docs``), a line
    saying so, and the mix's calibration (None: none fitted; a learnt tagger used alone is
    calibrated already). Zero-shot needs the corpus encoder: before any `veche analyze` there
    is none, and the learnt tagger is used alone."""
    encoder = open_encoder(config, artifacts)
    if encoder.needs_fit:
        return 1.0, "used alone (no analysed corpus yet to compare it with zero-shot)", None
    zero_shot = zero_shot_tagger(
        taxonomy, encoder, config.taxonomy, foreign_encoder_options(config)
    )
    # the choice needs hundreds of questions, not all of a big history (e5 embeds ~20/s)
    if len(docs) > BLEND_SAMPLE:
        docs = docs.sample(BLEND_SAMPLE, random_state=0).reset_index(drop=True)
    labels = docs["label"].tolist()
    if sum(bool(parts) for parts in split_labels(labels)) < MIN_ROWS:
        # too few to measure: a model learnt from a handful of questions is not trusted yet
        return (
            0.0,
            f"kept aside for now: fewer than {MIN_ROWS} labelled questions to measure it "
            "against zero-shot, which stays in use",
            None,
        )
    proba = zero_shot.predict_proba(docs, encoder.encode(docs))
    choice = choose_weight(docs, labels, proba, zero_shot.ids, fit)
    acc = choice.accuracy
    measured = (
        f"{choice.n:,}-question cross-validation, top topic right: learnt alone "
        f"{acc[1.0]:.2f}, zero-shot {acc[0.0]:.2f}, chosen mix {acc[choice.weight]:.2f}"
    )
    if choice.weight >= 1.0:
        return 1.0, f"used alone ({measured})", None
    if choice.weight <= 0.0:
        why = f"kept aside for now: zero-shot alone does better on these labels ({measured})"
    else:
        why = f"mixed with zero-shot at weight {choice.weight:.2f} ({measured})"
    # the scores are recalibrated on these labels, zero-shot alone too
    if choice.platt is not None:
        why += "; scores recalibrated on these labels"
    return choice.weight, why, choice.platt
