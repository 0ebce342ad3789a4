"""Readable theme labels from class-based TF-IDF (c-TF-IDF, as in BERTopic) over lemma
uni- and bi-grams.

All questions of a theme form one "class document"; a term scores
``tf(term, theme) / len(theme) * log(1 + mean_len / freq(term))``: frequent in the theme, rare
across themes. The label joins the best few terms, preferring a bigram over the unigrams it
contains so "горячий вода" does not also show "вода".

Terms are lemmas (the ``terms`` data stay so), but people read the label: each label term is
shown as the words the theme's questions actually use (the most frequent surface form, Russian
heads put in the nominative: "управляющей компании" -> "управляющая компания"; see
``veche.themes.surface``). Terms of a theme come only from its majority language
("зарплата, учитель", not "..., year, child"). A label shows only terms that read as phrases
of their own (nouns, adjective + noun): no number-words, verbs or fragments ("масло стоит",
"пять", "работать фонарь").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from veche.text import detect_languages
from veche.themes.surface import TERM_TOKEN, is_label_phrase, surface_forms, term_stopwords

_RU_LANGS = frozenset({"ru", "und"})


def ctfidf_terms(
    lemmas: pd.Series | list[str],
    labels: np.ndarray,
    n_classes: int,
    weights: np.ndarray | None = None,
    top: int = 10,
    groups: np.ndarray | None = None,
) -> list[list[str]]:
    """Top ``top`` distinctive terms per class ``0..n_classes-1`` (labels < 0 are ignored).

    ``groups`` (one language group per document, see ``language_groups``): a class's terms
    come only from documents of its majority group.
    """
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import CountVectorizer

    lemmas = pd.Series(lemmas).fillna("").astype(str).tolist()
    labels = np.asarray(labels)
    w = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=float)
    if groups is not None:
        labels = np.where(_in_majority(labels, groups, w), labels, -1)
    keep = labels >= 0
    if not keep.any():
        return [[] for _ in range(n_classes)]
    vec = CountVectorizer(
        token_pattern=rf"(?u)\b{TERM_TOKEN}\b",
        ngram_range=(1, 2),
        stop_words=sorted(term_stopwords()),
        min_df=1,
    )
    try:
        counts = vec.fit_transform([lemmas[i] for i in np.flatnonzero(keep)])
    except ValueError:  # empty vocabulary
        return [[] for _ in range(n_classes)]
    rows = labels[keep]
    member = csr_matrix((w[keep], (rows, np.arange(len(rows)))), shape=(n_classes, len(rows)))
    tf = np.asarray((member @ counts).todense(), dtype=float)
    sizes = tf.sum(axis=1, keepdims=True)
    freq = tf.sum(axis=0)
    avg = sizes.mean()
    score = np.divide(tf, sizes, out=np.zeros_like(tf), where=sizes > 0) * np.log1p(
        avg / np.maximum(freq, 1e-9)
    )
    vocab = vec.get_feature_names_out()
    out: list[list[str]] = []
    for c in range(n_classes):
        order = np.argsort(-score[c])[: top * 3]
        out.append([vocab[j] for j in order if score[c, j] > 0])
    return out


def make_label(terms: list[str], n_terms: int, surface: Mapping[str, str] | None = None) -> str:
    """Join the best terms; a bigram absorbs the unigrams it contains. ``surface`` maps a
    lemma term to the words to show for it (the term itself when absent)."""
    surface = surface or {}
    shown = [surface.get(c, c) for c in label_terms(terms, n_terms)]
    return ", ".join(dict.fromkeys(shown))  # two lemma terms may read the same


def label_terms(terms: list[str], n_terms: int) -> list[str]:
    """The terms a label shows: the best ones, a bigram absorbing the unigrams it contains."""
    chosen: list[str] = []
    for term in terms:
        words = set(term.split())
        if any(words <= set(c.split()) for c in chosen):
            continue  # already said by a bigram chosen before
        # a bigram replaces unigrams of it that were chosen before
        chosen = [c for c in chosen if not (len(c.split()) == 1 and c in words)]
        chosen.append(term)
        if len(chosen) >= n_terms:
            break
    return chosen


# --- languages ---------------------------------------------------------------------------------


def language_groups(texts: Sequence[str], langs: Sequence[str] | None = None) -> np.ndarray:
    """One group per text for keeping a theme's terms in one language: ``ru`` (``ru`` and
    ``und`` codes), another code as given; without ``langs`` the codes come from
    ``detect_languages``, as the pipeline stores them. ``""`` (a missing code) goes with any
    group."""
    if langs is None:
        langs = detect_languages([str(t) for t in texts])
    codes = [g if isinstance(g, str) else "" for g in langs]  # None/NaN: unknown
    return np.array(["ru" if g in _RU_LANGS else g for g in codes], dtype=object)


def _in_majority(labels: np.ndarray, groups: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Whether each document is of its class's (weighted) majority language group."""
    groups = np.asarray(groups, dtype=object)
    frame = pd.DataFrame({"c": labels, "g": groups, "w": w})
    known = frame[(frame["c"] >= 0) & (frame["g"] != "")]
    if not len(known):
        return np.ones(len(labels), dtype=bool)
    total = known.groupby(["c", "g"])["w"].sum().reset_index()
    total = total.sort_values(["c", "w", "g"], ascending=[True, False, True])
    major = total.drop_duplicates("c").set_index("c")["g"]
    mine = frame["c"].map(major)
    return (frame["g"].eq("") | mine.isna() | frame["g"].eq(mine)).to_numpy()


def theme_labels(
    docs: pd.DataFrame,
    labels: np.ndarray,
    n_classes: int,
    weights: np.ndarray | None = None,
    n_terms: int = 3,
    top: int = 10,
) -> tuple[list[str], list[list[str]]]:
    """(label, lemma terms) of every class of ``labels`` over ``docs`` (``text``, ``lemmas``
    and, when known, ``lang``): terms in the class's majority language, shown as written."""
    langs = docs["lang"].tolist() if "lang" in docs.columns else None
    texts = docs["text"].fillna("").astype(str).tolist()
    lemmas = docs["lemmas"].fillna("").astype(str).tolist()
    groups = language_groups(texts, langs)
    terms = ctfidf_terms(lemmas, labels, n_classes, weights=weights, top=top, groups=groups)
    forms = surface_forms(terms, texts, lemmas, labels, weights)
    names = [make_label(phrases(t, f), n_terms, f) for t, f in zip(terms, forms, strict=True)]
    return names, [t[:top] for t in terms]


def phrases(terms: list[str], surface: Mapping[str, str]) -> list[str]:
    """The terms that read as phrases of their own where shown (``is_label_phrase``: no
    number-words, verbs or lone adjectives), best first; all of them when none does."""
    kept = [t for t in terms if is_label_phrase(surface.get(t, t))]
    return kept or list(terms)
