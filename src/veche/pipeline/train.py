"""`veche train`: learn the taxonomy and routing from a labelled file.

The models are saved beside the store (see :mod:`veche.pipeline.artifacts`); the next
`veche analyze` uses them for new questions instead of zero-shot.
"""

from __future__ import annotations

from pathlib import Path

from veche.config import VecheConfig
from veche.eval.data import load_labelled, read_table
from veche.pipeline.artifacts import Artifacts
from veche.pipeline.understand import ROUTER_FILE, TAGGER_FILE
from veche.routing import Router
from veche.taxonomy import load_taxonomy, taxonomy_descriptions, train_taxonomy_classifier


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
        # the taxonomy's own names and examples keep unlabelled categories assignable
        tagger = train_taxonomy_classifier(
            docs,
            docs["label"].tolist(),
            config.taxonomy,
            known_ids=taxonomy.ids,
            descriptions=taxonomy_descriptions(taxonomy),
        )
        artifacts.taxonomy.mkdir(parents=True, exist_ok=True)
        tagger.save(artifacts.taxonomy / TAGGER_FILE)
        done.append(
            f"taxonomy: learnt {len(tagger.ids)} topics from {len(docs):,} labelled questions "
            f"-> {artifacts.taxonomy / TAGGER_FILE}"
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
