"""Publishing what analyze found: the themes table (labels, sizes, central questions) and
about 100 representative questions per broad theme, both computed from every analysed
question in the database."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from veche.embed.vectors import VectorStore
from veche.pipeline.corpus import Corpus
from veche.shortlist import ShortlistOptions, bounded_shortlist, text_quality
from veche.store.analysis import AnalysisStore
from veche.text.language import detect_languages
from veche.themes import ThemeModel


def publish(
    astore: AnalysisStore,
    vectors: VectorStore,
    model: ThemeModel,
    corpus: Corpus,
    topic_names: dict[str, str],
    options: ShortlistOptions,
    run: int,
    label_languages: Sequence[str] = ("ru", "und"),
    topic_share: float = 0.85,
) -> None:
    """Rewrite the themes table and the shortlists from every analysed question: counted in
    the database, texts and vectors read only for shortlist candidates (memory stays bounded)."""
    rows = theme_rows(model, corpus, astore, topic_names, label_languages, topic_share)
    astore.write_themes(rows, run)
    astore.write_shortlists(build_shortlists(astore, vectors, model, options), run)


def theme_rows(
    model: ThemeModel,
    corpus: Corpus,
    astore: AnalysisStore,
    topic_names: dict[str, str] | None = None,
    label_languages: Sequence[str] = ("ru", "und"),
    topic_share: float = 0.85,
) -> pd.DataFrame:
    """The ``themes`` table: both levels, labels, terms, the central question and the current
    size (questions now in the theme, not at discovery). A broad theme's label starts with the
    name of the taxonomy topic its questions carry, when at least ``topic_share`` of them do
    (questions without a topic do not carry it): a label never names a topic most of its
    questions contradict; other broad themes are named by their words alone. A specific issue
    whose label is in a language outside ``label_languages`` (its questions are in Kazakh, say)
    ends with that name, so analysts see what it is about. Counted in the database (GROUP BY):
    no analysed row is loaded."""
    names = topic_names or {}
    counts = astore.count_by(["theme_id", "broad_id", "topic"])  # one pass over the table
    # a specific issue's topic is a hint after words in another language: half is enough
    dominant = {
        "broad": _dominant_topic(counts, "broad_id", at_least=topic_share),
        "fine": _dominant_topic(counts, at_least=0.5),
    }
    # one batch: ambiguous labels go to the statistical detector together
    unread = {
        int(tid)
        for tid, lang in zip(model.fine.ids, detect_languages(list(model.fine.labels)), strict=True)
        if lang not in label_languages
    }
    centrals = {
        lv.central[j]: corpus.hashes.iloc[int(lv.central[j])]
        for lv in (model.broad, model.fine)
        for j in range(len(lv.ids))
        if int(lv.central[j]) < len(corpus)
    }
    first_id = astore.first_analysed(list(dict.fromkeys(centrals.values())))
    rows = []
    for level, lv, col in (("broad", model.broad, "broad_id"), ("fine", model.fine, "theme_id")):
        size = counts.groupby(col)["n"].sum()
        for j, tid in enumerate(lv.ids):
            central_hash = centrals.get(lv.central[j])
            rows.append(
                {
                    "id": int(tid),
                    "level": level,
                    "parent_id": int(model.parent[j]) if level == "fine" else None,
                    "label": _label(
                        lv.labels[j], names.get(dominant[level].get(tid)), level, tid in unread
                    )[:512],
                    "terms": list(lv.terms[j]),
                    "central_question_id": (
                        int(first_id[central_hash]) if central_hash in first_id.index else None
                    ),
                    "size": int(size.get(tid, 0)),
                }
            )
    return pd.DataFrame(rows)


def _dominant_topic(
    counts: pd.DataFrame, col: str = "theme_id", at_least: float = 0.5
) -> pd.Series:
    """Per theme in ``col``: its most frequent topic, when at least ``at_least`` of its
    questions carry it (else missing). Questions without a topic count in the whole, never
    for a topic."""
    counts = counts.assign(topic=counts["topic"].fillna(""))
    topics = counts.groupby([col, "topic"], as_index=False)["n"].sum()
    topics = topics.sort_values([col, "n", "topic"], ascending=[True, False, True])
    top = topics.groupby(col).agg(topic=("topic", "first"), n=("n", "first"), all=("n", "sum"))
    return top["topic"].where((top["n"] >= at_least * top["all"]) & top["topic"].ne(""))


def _label(terms: str, topic: str | None, level: str, unread: bool) -> str:
    """A broad theme's terms after its topic; a specific issue's terms in a language the
    analysts may not read (``unread``) before its topic."""
    if not topic:
        return terms
    if level == "broad":
        return f"{topic}: {terms}"
    return f"{terms} (≈ {topic})" if unread else terms


def build_shortlists(
    astore: AnalysisStore, vectors: VectorStore, model: ThemeModel, options: ShortlistOptions
) -> pd.DataFrame:
    """About ``options.size`` questions per broad theme, one per duplicate group, covering the
    theme's specific issues and regions. Reads one compact row per duplicate group; texts and
    vectors only of the candidates that can make a list (``bounded_shortlist``)."""
    heads = astore.read_group_heads()
    if not len(heads):
        return pd.DataFrame(columns=["theme_id", "rank", "question_id", "score", "asked"])
    heads = heads.rename(columns={"theme_id": "sub_id"})
    centroids = pd.Index(model.fine.ids.tolist())

    def evaluate(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        q = astore.store.read_questions_by_id(
            rows["question_id"].tolist(), ["content_hash", "text"]
        )
        quality, abusive = text_quality(q["text"].tolist())
        found = vectors.get(q["content_hash"].tolist())
        at = centroids.get_indexer(rows["sub_id"].astype("int64"))
        centrality = np.einsum("ij,ij->i", found, model.fine.centroids[at])
        return quality, abusive, centrality, found

    out = []
    for broad, idx in heads.groupby("broad_id").indices.items():
        picked, _ = bounded_shortlist(heads.iloc[idx], evaluate, options)
        out.append(picked.assign(theme_id=int(broad)))
    lists = pd.concat(out, ignore_index=True)
    return lists[["theme_id", "rank", "question_id", "score", "asked"]]
