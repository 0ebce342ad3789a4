"""Two-level theme discovery without labels, and assignment of questions to themes.

Scales to millions of questions on a CPU because the expensive steps never see all pairs:

1. faiss spherical k-means cuts the distinct texts into many micro-clusters (duplicates pull
   with ``count ** weight_power``; faiss samples at most 256 points per centroid to train);
2. agglomerative clustering (ward by default) merges the micro-cluster centroids into fine
   themes (specific issues) - a few thousand points, not millions;
3. a few Lloyd iterations over the documents sharpen the merged borders, themes with fewer than
   ``min_theme_size`` questions are dissolved into their nearest neighbour;
4. the fine centroids are merged the same way into broad themes (each fine theme has one parent).

Every question gets its nearest fine theme, that theme's broad parent and a cosine distance;
questions farther than a calibrated quantile of all distances are flagged "other" (about
``1 - other_quantile`` of the corpus at discovery time). Labels are c-TF-IDF terms
(``labels.py``); ids stay stable across reruns on growing data (``stable.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from veche.embed.base import normalize_rows
from veche.progress import NullProgress, Progress
from veche.themes.labels import language_groups, theme_labels
from veche.themes.options import ThemeOptions
from veche.themes.stable import match_ids, overlap_matrix

_ARRAYS = "themes.npz"
_META = "themes.json"


@dataclass
class Level:
    """One level of the hierarchy: its themes' centroids, ids and descriptions."""

    centroids: np.ndarray  # (k, dim) float32, unit rows
    ids: np.ndarray  # (k,) int64, stable across reruns
    sizes: np.ndarray  # (k,) questions (duplicates counted) at discovery
    central: np.ndarray  # (k,) index of the most central document in the discovery docs
    labels: list[str] = field(default_factory=list)
    terms: list[list[str]] = field(default_factory=list)
    central_text: list[str] = field(default_factory=list)


@dataclass
class Assignment:
    """Per document: stable fine and broad theme ids, cosine distance, "other" flag."""

    fine_id: np.ndarray
    broad_id: np.ndarray
    distance: np.ndarray
    other: np.ndarray

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "fine_id": self.fine_id,
                "broad_id": self.broad_id,
                "distance": self.distance,
                "other": self.other,
            }
        )


@dataclass
class ThemeModel:
    fine: Level
    broad: Level
    parent: np.ndarray  # (k_fine,) broad id of each fine theme
    other_threshold: float
    next_fine_id: int
    next_broad_id: int

    def assign(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(fine_id, broad_id, distance) of the nearest fine theme of every row."""
        idx, dist = _nearest(normalize_rows(vectors), self.fine.centroids)
        return self.fine.ids[idx], self.parent[idx], dist

    def assignment(self, vectors: np.ndarray) -> Assignment:
        fine, broad, dist = self.assign(vectors)
        return Assignment(fine, broad, dist, self.is_other(dist))

    def is_other(self, distance: np.ndarray) -> np.ndarray:
        return np.asarray(distance) > self.other_threshold

    def fine_table(self) -> pd.DataFrame:
        return _table(self.fine).assign(broad_id=self.parent)

    def broad_table(self) -> pd.DataFrame:
        return _table(self.broad)

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        arrays = {"parent": self.parent}
        meta: dict[str, object] = {
            "other_threshold": self.other_threshold,
            "next_fine_id": self.next_fine_id,
            "next_broad_id": self.next_broad_id,
        }
        for name, level in (("fine", self.fine), ("broad", self.broad)):
            for key in ("centroids", "ids", "sizes", "central"):
                arrays[f"{name}_{key}"] = getattr(level, key)
            meta[name] = {
                "labels": level.labels,
                "terms": level.terms,
                "central_text": level.central_text,
            }
        np.savez_compressed(directory / _ARRAYS, **arrays)
        (directory / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> ThemeModel | None:
        directory = Path(directory)
        if not (directory / _ARRAYS).exists():
            return None
        arrays = np.load(directory / _ARRAYS)
        meta = json.loads((directory / _META).read_text(encoding="utf-8"))
        levels = {
            name: Level(
                **{k: arrays[f"{name}_{k}"] for k in ("centroids", "ids", "sizes", "central")},
                **meta[name],
            )
            for name in ("fine", "broad")
        }
        return cls(
            fine=levels["fine"],
            broad=levels["broad"],
            parent=arrays["parent"],
            other_threshold=float(meta["other_threshold"]),
            next_fine_id=int(meta["next_fine_id"]),
            next_broad_id=int(meta["next_broad_id"]),
        )


def auto_sizes(n: int, options: ThemeOptions) -> tuple[int, int, int]:
    """(n_micro, n_fine, n_broad) for ``n`` distinct texts (rule in ``ThemeOptions``)."""
    n_fine = options.n_fine or int(np.clip(round(np.sqrt(n)), 4, 1000))
    n_fine = max(1, min(n_fine, n))
    n_broad = options.n_broad or int(np.clip(round(np.sqrt(n_fine)), 2, 40))
    n_broad = max(1, min(n_broad, n_fine))
    n_micro = options.n_micro or options.micro_per_fine * n_fine
    n_micro = int(np.clip(n_micro, n_fine, min(n, 20_000)))
    return n_micro, n_fine, n_broad


def discover_themes(
    vectors: np.ndarray,
    docs: pd.DataFrame,
    weights: np.ndarray | None = None,
    options: ThemeOptions | None = None,
    previous: ThemeModel | None = None,
    progress: Progress | None = None,
    broad_features: np.ndarray | None = None,
    foreign: np.ndarray | None = None,
    topic_floor: float | None = None,
) -> tuple[ThemeModel, Assignment]:
    """Discover broad themes and fine issues in ``vectors`` (one row per distinct text).

    ``docs`` (same rows) has ``text`` and ``lemmas``; ``weights`` is how many questions share
    each text. With ``previous``, themes that persist keep their ids. Specific issues are found
    per language (``docs["lang"]``, see ``ThemeOptions.language_min_texts``); broad themes span
    languages.

    ``broad_features`` (same rows, e.g. taxonomy topic probabilities) decide which broad theme
    each specific issue joins (``ThemeOptions.broad_by``, ``broad_topic_rule``): lexical vectors
    alone group questions by how they are written (call-centre transcripts, a language) rather
    than by what they ask.

    ``foreign`` (same rows, boolean): texts in a language the vectors cannot compare with the
    rest by meaning (Kazakh or Tatar in a TF-IDF space), whose ``broad_features`` came from
    another encoder. Each such language gets specific issues of its own, and they join the
    broad themes of their topics that the other issues formed, so they are not left in a theme
    of their language. ``topic_floor``: the probability a question's best topic needs to count
    for that topic (the taxonomy's threshold); below it the question carries no topic.
    """
    options = options or ThemeOptions()
    progress = progress or NullProgress()
    x = normalize_rows(np.ascontiguousarray(vectors, dtype=np.float32))
    n = len(x)
    if n == 0:
        raise ValueError("no documents to discover themes in")
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    pull = w**options.weight_power
    _, _, n_broad = auto_sizes(n, options)  # issue counts are sized per language part

    with progress.task("themes", total=5) as task:
        # clustering runs on smoothed vectors; centroids and distances use the raw ones, so
        # ``ThemeModel.assign`` of new questions needs no neighbours
        xs = _smooth(x, options.smooth_neighbors, options.smooth_alpha)
        fine = np.empty(n, dtype=np.int64)
        offset = 0
        apart = np.zeros(n, dtype=bool)
        if foreign is not None and broad_features is not None and "lang" in docs.columns:
            apart = np.asarray(foreign, dtype=bool)
        for rows in _parts(docs, options, apart):
            # fixed numbers are shared out by size; automatic sizes apply per part
            fixed = {k: getattr(options, k) for k in ("n_fine", "n_micro")}
            part = options.model_copy(
                update={k: max(1, round(v * len(rows) / n)) for k, v in fixed.items() if v}
            )
            fine[rows] = offset + _specific_issues(xs[rows], pull[rows], w[rows], part)
            offset = int(fine[rows].max()) + 1
        task.advance()
        del xs
        task.advance()
        fine_c, fine = _centroids(x, fine, pull)
        if broad_features is not None and options.broad_by == "features":
            broad_of_fine = _broad_by_topic(
                np.asarray(broad_features, dtype=np.float64),
                fine,
                pull,
                apart,
                options,
                fine_c,
                topic_floor,
            )
        else:
            merge_space = fine_c
            if broad_features is not None and options.broad_feature_weight > 0:
                profile = normalize_rows(_centroids_raw(np.asarray(broad_features), fine, pull))
                b = options.broad_feature_weight
                merge_space = np.hstack([np.sqrt(1 - b) * fine_c, np.sqrt(b) * profile])
            broad_of_fine = _agglomerate(merge_space, min(n_broad, len(fine_c)), options.linkage)
        broad = broad_of_fine[fine]
        broad_c, _ = _centroids(x, broad, pull)
        task.advance()
        sim_f = np.einsum("ij,ij->i", x, fine_c[fine])
        dist = 1.0 - sim_f
        threshold = float(_weighted_quantile(dist, w, options.other_quantile))
        fine_level = _describe(x, docs, fine, fine_c, w, options)
        broad_level = _describe(x, docs, broad, broad_c, w, options)
        task.advance()
        # one id space for both levels (broad first, from 1), so a theme id alone names a theme
        next_f = next_b = 0
        broad_ids = np.arange(1, len(broad_c) + 1)
        fine_ids = np.arange(len(broad_c) + 1, len(broad_c) + len(fine_c) + 1)
        if previous is not None:
            start = max(previous.next_fine_id, previous.next_broad_id)
            old_f, _, _ = previous.assign(x)
            old_f_idx = _index_of(previous.fine.ids, old_f)
            ov_f = overlap_matrix(old_f_idx, fine, len(previous.fine.ids), len(fine_c), w)
            fine_ids, next_f = match_ids(
                previous.fine.centroids,
                previous.fine.ids,
                fine_c,
                start,
                overlap=ov_f,
                min_cosine=options.match_min_cosine,
                min_overlap=options.match_min_overlap,
            )
            old_b_idx = _index_of(previous.broad.ids, previous.parent[old_f_idx])
            ov_b = overlap_matrix(old_b_idx, broad, len(previous.broad.ids), len(broad_c), w)
            broad_ids, next_b = match_ids(
                previous.broad.centroids,
                previous.broad.ids,
                broad_c,
                next_f,
                overlap=ov_b,
                min_cosine=options.match_min_cosine,
                min_overlap=options.match_min_overlap,
            )
            next_f = next_b = max(next_f, next_b)
        else:
            next_f = next_b = len(broad_c) + len(fine_c) + 1
        fine_level.ids = np.asarray(fine_ids, dtype=np.int64)
        broad_level.ids = np.asarray(broad_ids, dtype=np.int64)
        model = ThemeModel(
            fine=fine_level,
            broad=broad_level,
            parent=broad_level.ids[broad_of_fine],
            other_threshold=threshold,
            next_fine_id=int(next_f),
            next_broad_id=int(next_b),
        )
        task.advance()
    assignment = Assignment(
        fine_id=fine_level.ids[fine],
        broad_id=model.parent[fine],
        distance=dist.astype(np.float32),
        other=dist > threshold,
    )
    return model, assignment


# --- steps -------------------------------------------------------------------------------------


def _parts(docs: pd.DataFrame, options: ThemeOptions, apart: np.ndarray) -> list[np.ndarray]:
    """Row sets clustered apart: the language parts of most rows, then one part per language
    among the ``apart`` rows whatever its size (languages whose topics came from another
    encoder: mixed with the main part they form issues of their language, not of a topic)."""
    rest = np.flatnonzero(~apart)
    parts = [rest[rows] for rows in _language_parts(docs.iloc[rest], options)] if len(rest) else []
    if apart.any():
        lang = docs["lang"].astype(object).fillna("").astype(str).to_numpy()
        parts += [np.flatnonzero(apart & (lang == code)) for code in np.unique(lang[apart])]
    return [rows for rows in parts if len(rows)]


def _language_parts(docs: pd.DataFrame, options: ThemeOptions) -> list[np.ndarray]:
    """Row sets clustered apart: each language with at least ``language_min_texts`` distinct
    texts (Russian with undetermined), the rest with the largest. A lexical space puts a
    minority language's questions closer to each other than to anything they ask about, so
    clustered together they collapse into one or two mixed "issues"."""
    n = len(docs)
    if options.language_min_texts <= 0 or "lang" not in docs.columns:
        return [np.arange(n)]
    lang = language_groups(docs["text"].tolist(), docs["lang"].tolist())
    lang[lang == ""] = "ru"  # no code at all: with Russian, like undetermined
    _, inv, counts = np.unique(lang, return_inverse=True, return_counts=True)
    own = counts >= options.language_min_texts
    main = int(counts.argmax())
    own[main] = True
    group = np.where(own[inv], inv, main)
    return [np.flatnonzero(group == g) for g in np.unique(group)]


def _specific_issues(
    xs: np.ndarray, pull: np.ndarray, w: np.ndarray, options: ThemeOptions
) -> np.ndarray:
    """Micro-clusters merged into specific issues, borders refined: labels 0..k-1."""
    n_micro, n_fine, _ = auto_sizes(len(xs), options)
    micro = _kmeans(xs, n_micro, pull, options)
    micro_c, micro_lab = _centroids(xs, micro, pull)
    merged = _agglomerate(micro_c, n_fine, options.linkage)
    fine = _refine(xs, merged[micro_lab], pull, w, options)
    return np.unique(fine, return_inverse=True)[1]


def _broad_by_topic(
    f: np.ndarray,
    fine: np.ndarray,
    pull: np.ndarray,
    apart: np.ndarray,
    options: ThemeOptions,
    centroids: np.ndarray | None = None,
    topic_floor: float | None = None,
) -> np.ndarray:
    """The broad theme (0..k-1) of each specific issue: a taxonomy topic, from its questions'
    topic probabilities ``f``.

    ``votes``: the topic most of its questions have as their top one, when at least
    ``options.broad_min_votes`` of those that carry a topic do and most carry one; a question
    whose best probability is under ``topic_floor`` carries none. The other issues (mixed, or off the taxonomy: support
    questions of a video platform) are merged by their ``centroids`` (default: topic profiles)
    into broad themes of their own, as many issues a theme as the topics' themes hold, named
    from their words. Issues of the ``apart`` languages (topics from another tagger, see ``discover_themes``) choose among the topics
    the other issues chose, so no broad theme is made of one language alone.
    ``lift``: the topic the issue is most over-represented in against the average question
    (apart issues against the other apart questions, whose tagger's probabilities are
    flatter); that favours rare topics (an issue that is 40% pensions and 8% taxes joins
    taxes). Demo 20k, broad themes against the generator's themes, NMI seeds 1 / 2 / 3: lift
    0.413 / 0.378 / 0.413, votes 0.450 / 0.405 / 0.451.
    """
    if options.broad_topic_rule == "lift":
        profile = _centroids_raw(f, fine, pull)
        base = np.empty_like(f)
        for group in (apart, ~apart):
            if group.any():
                base[group] = np.average(f[group], axis=0, weights=pull[group])
        lift = profile / np.maximum(_centroids_raw(base, fine, pull), 1e-9)
        return np.unique(lift.argmax(axis=1), return_inverse=True)[1]
    n_topics = f.shape[1]
    top = f.argmax(axis=1)
    if topic_floor is not None:  # a question no topic fits votes for none of them
        top = np.where(f.max(axis=1) >= topic_floor, top, n_topics)
    votes = np.zeros((int(fine.max()) + 1, n_topics + 1))
    np.add.at(votes, (fine, top), pull)
    choice = votes[:, :n_topics].argmax(axis=1)
    issue_apart = np.bincount(fine, weights=pull * apart, minlength=len(votes)) > 0.5 * (
        np.bincount(fine, weights=pull, minlength=len(votes))
    )
    carrying = votes[:, :n_topics].sum(axis=1)
    share = votes[np.arange(len(votes)), choice] / np.maximum(carrying, 1e-12)
    # an issue most of whose questions no topic fits (off the taxonomy), or whose questions
    # carry no one topic (mixed), is not put under a topic it would contradict: such issues
    # form broad themes of their own
    off_domain = votes[:, n_topics] > 0.5 * votes.sum(axis=1)
    placed = issue_apart | (~off_domain & (share >= options.broad_min_votes))
    main_topics = np.unique(choice[~issue_apart & placed])
    if len(main_topics) and issue_apart.any():
        # an issue none of whose questions has one of these as its top topic goes by the
        # probability its questions give them
        score = votes[:, :n_topics] + 1e-6 * _centroids_raw(f, fine, pull)
        choice[issue_apart] = _home_topics(
            score, main_topics, votes.sum(axis=1), choice, issue_apart, placed
        )
    loose = np.flatnonzero(~placed)
    if len(loose):
        # as many issues a theme as the topics' themes hold (at least the square root of
        # their number): merged into one or two, they would be a catch-all
        n_placed = len(votes) - len(loose)
        per_theme = n_placed / len(np.unique(choice[placed])) if n_placed else np.sqrt(len(loose))
        k = max(round(len(loose) / max(per_theme, 1.0)), round(np.sqrt(len(loose))), 1)
        if centroids is None:  # no vectors given: their topic profiles
            centroids = normalize_rows(_centroids_raw(f, fine, pull))
        group = _agglomerate(centroids[loose], min(k, len(loose)), options.linkage)
        # ward leaves one group of the loosest issues: split any group of more than twice the
        # issues a theme holds, so the mixed issues make no catch-all
        limit = max(2 * per_theme, 2.0)
        for g in np.unique(group):
            members = np.flatnonzero(group == g)
            if len(members) > limit:
                parts = int(np.ceil(len(members) / max(per_theme, 1.0)))
                split = _agglomerate(centroids[loose[members]], parts, options.linkage)
                group[members[split > 0]] = group.max() + split[split > 0]
        choice[loose] = n_topics + group
    return np.unique(choice, return_inverse=True)[1]


def _home_topics(
    score: np.ndarray,
    main_topics: np.ndarray,
    size: np.ndarray,
    choice: np.ndarray,
    apart: np.ndarray,
    placed: np.ndarray,
) -> np.ndarray:
    """The topic each ``apart`` issue joins: its best-scored of ``main_topics`` among those whose
    theme already holds more questions than the issue adds (biggest issues first), so an issue
    of another language never makes up most of a theme; its best one when none is that big."""
    held = np.bincount(
        choice[~apart & placed], weights=size[~apart & placed], minlength=score.shape[1]
    )
    idx = np.flatnonzero(apart)
    out = np.empty(len(idx), dtype=np.int64)
    for k in np.argsort(-size[idx], kind="stable"):
        i = idx[k]
        room = main_topics[held[main_topics] > size[i]]
        pool = room if len(room) else main_topics
        out[k] = pool[score[i, pool].argmax()]
        held[out[k]] += size[i]
    return out


def _smooth(x: np.ndarray, k: int, alpha: float) -> np.ndarray:
    """``x + alpha * mean(k nearest neighbours)``, unit rows (exact search up to 200k rows,
    HNSW beyond)."""
    if k <= 0 or alpha <= 0 or len(x) <= k + 1:
        return x
    import faiss

    if len(x) <= 200_000:
        index = faiss.IndexFlatIP(x.shape[1])
    else:
        index = faiss.IndexHNSWFlat(x.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    index.add(x)
    out = np.empty_like(x)
    step = 8192  # bounds the (step, k, dim) neighbour block
    for i in range(0, len(x), step):
        _, nn = index.search(x[i : i + step], k + 1)
        nn = np.where(nn < 0, np.arange(i, i + len(nn))[:, None], nn)
        # the first hit is the text itself (or an identical vector): skip it
        out[i : i + step] = x[i : i + step] + alpha * x[nn[:, 1:]].mean(axis=1)
    return normalize_rows(out)


def _centroids_raw(f: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean of ``f`` per label 0..max (rows of features, not unit vectors)."""
    k = int(labels.max()) + 1
    out = np.zeros((k, f.shape[1]), dtype=np.float64)
    np.add.at(out, labels, f * weights[:, None])
    total = np.bincount(labels, weights=weights, minlength=k)[:, None]
    return (out / np.maximum(total, 1e-12)).astype(np.float32)


def _kmeans(x: np.ndarray, k: int, weights: np.ndarray, options: ThemeOptions) -> np.ndarray:
    if k >= len(x):
        return np.arange(len(x))
    import faiss

    km = faiss.Kmeans(
        x.shape[1],
        k,
        niter=options.kmeans_iter,
        seed=options.seed,
        spherical=True,
        max_points_per_centroid=256,
        # few points per centroid is what micro-clusters are: no warning for it
        min_points_per_centroid=1,
        verbose=False,
    )
    km.train(x, weights=weights.astype(np.float32))
    _, lab = km.index.search(x, 1)
    return lab[:, 0].astype(np.int64)


def _centroids(
    x: np.ndarray, labels: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Unit weighted-mean centroids of the non-empty clusters and labels renumbered 0..k-1."""
    from scipy.sparse import csr_matrix

    uniq, lab = np.unique(labels, return_inverse=True)
    # a sparse (k, n) membership matrix: one product, no dense copy of x
    member = csr_matrix(
        (weights.astype(np.float32), (lab, np.arange(len(lab)))), shape=(len(uniq), len(lab))
    )
    return normalize_rows(np.asarray(member @ x)), lab.astype(np.int64)


def _agglomerate(c: np.ndarray, k: int, linkage: str) -> np.ndarray:
    """Cluster of each row of ``c`` after merging into ``k`` groups."""
    if k >= len(c):
        return np.arange(len(c))
    if k <= 1:
        return np.zeros(len(c), dtype=np.int64)
    from sklearn.cluster import AgglomerativeClustering

    connectivity = None
    if len(c) > 5000:
        # beyond a few thousand points a kNN graph keeps memory linear
        from sklearn.neighbors import kneighbors_graph

        connectivity = kneighbors_graph(c, n_neighbors=30, include_self=False)
    metric = "euclidean" if linkage == "ward" else "cosine"
    model = AgglomerativeClustering(
        n_clusters=k, linkage=linkage, metric=metric, connectivity=connectivity
    )
    return model.fit_predict(c).astype(np.int64)


def _nearest(x: np.ndarray, c: np.ndarray, step: int = 65_536) -> tuple[np.ndarray, np.ndarray]:
    idx = np.empty(len(x), dtype=np.int64)
    dist = np.empty(len(x), dtype=np.float32)
    for i in range(0, len(x), step):
        sim = x[i : i + step] @ c.T
        j = sim.argmax(axis=1)
        idx[i : i + step] = j
        dist[i : i + step] = 1.0 - sim[np.arange(len(j)), j]
    return idx, dist


def _refine(
    x: np.ndarray, labels: np.ndarray, pull: np.ndarray, w: np.ndarray, options: ThemeOptions
) -> np.ndarray:
    """Lloyd iterations from the merged themes, then dissolve themes that are too small."""
    for _ in range(options.refine_iter):
        c, labels = _centroids(x, labels, pull)
        new, _ = _nearest(x, c)
        if np.array_equal(new, labels):
            break
        labels = new
    for _ in range(3):
        c, labels = _centroids(x, labels, pull)
        size = np.bincount(labels, weights=w, minlength=len(c))
        keep = size >= options.min_theme_size
        if keep.all() or not keep.any():
            break
        idx, _ = _nearest(x, c[keep])
        labels = np.flatnonzero(keep)[idx]
    return labels


def _describe(
    x: np.ndarray,
    docs: pd.DataFrame,
    labels: np.ndarray,
    centroids: np.ndarray,
    w: np.ndarray,
    options: ThemeOptions,
) -> Level:
    k = len(centroids)
    sim = np.einsum("ij,ij->i", x, centroids[labels])
    central = np.full(k, -1, dtype=np.int64)
    order = np.lexsort((-sim, labels))  # by theme, most similar first
    first = np.r_[True, labels[order][1:] != labels[order][:-1]]
    central[labels[order][first]] = order[first]
    names, terms = theme_labels(docs, labels, k, weights=w, n_terms=options.label_terms, top=10)
    texts = docs["text"].astype(str).to_numpy()
    return Level(
        centroids=centroids.astype(np.float32),
        ids=np.arange(k, dtype=np.int64),
        sizes=np.bincount(labels, weights=w, minlength=k),
        central=central,
        labels=names,
        terms=terms,
        central_text=[texts[i] if i >= 0 else "" for i in central],
    )


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    pos = np.searchsorted(cum, q * cum[-1])
    return float(values[order][min(pos, len(values) - 1)])


def _index_of(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    lookup = {int(v): i for i, v in enumerate(ids)}
    return np.array([lookup.get(int(v), -1) for v in values], dtype=np.int64)


def _table(level: Level) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": level.ids,
            "label": level.labels,
            "size": level.sizes,
            "central_text": level.central_text,
        }
    )
