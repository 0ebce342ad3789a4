"""A minority language's questions get specific issues of their own: in a lexical space they sit
closer to each other than to anything they ask about, and clustered with the majority they
collapse into one mixed "issue"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_mutual_info_score

from veche.demo import generate
from veche.embed import normalize_rows
from veche.embed.tfidf import TfidfEncoder
from veche.text import Lemmatizer, clean_text, dedup_key
from veche.themes import ThemeOptions, discover_themes


@pytest.fixture(scope="module")
def corpus() -> tuple[pd.DataFrame, np.ndarray]:
    ev = generate(3000, seed=5, lang_shares={"en": 0.15})
    q = ev.questions.merge(ev.truth[["id", "subissue", "lang"]], on="id")
    q["text"] = [clean_text(str(t)) for t in q["text"]]
    q["lemmas"] = [" ".join(ls) for ls in Lemmatizer().lemmas_many(q["text"].tolist(), q["lang"])]
    docs = q.assign(dedup=[dedup_key(t) for t in q["text"]]).drop_duplicates("dedup")
    docs = docs.reset_index(drop=True)
    return docs, TfidfEncoder(dim=128).fit(docs).encode(docs)


def _english_issues(corpus: tuple[pd.DataFrame, np.ndarray], **kw: object) -> tuple[float, float]:
    docs, vectors = corpus
    _, a = discover_themes(vectors, docs, options=ThemeOptions(**kw))
    en = (docs["lang"] == "en").to_numpy()
    largest = pd.Series(a.fine_id[en]).value_counts(normalize=True).iloc[0]
    return float(largest), adjusted_mutual_info_score(docs["subissue"][en], a.fine_id[en])


def test_a_minority_language_gets_issues_of_its_own(corpus) -> None:
    docs, _ = corpus
    assert (docs["lang"] == "en").sum() >= 200  # enough for a clustering of its own
    largest, ami = _english_issues(corpus)
    together_largest, together_ami = _english_issues(corpus, language_min_texts=0)
    # apart: no issue swallows the English questions, and they follow their sub-issues
    assert largest < 0.25, largest
    assert ami > together_ami + 0.1, (ami, together_ami)
    assert together_largest > largest


def test_foreign_language_issues_follow_their_topics() -> None:
    """Kazakh and Tatar in a TF-IDF space sit together whatever they ask; their topics come from
    a multilingual tagger (simulated: the true theme half the time). Marked ``foreign``, each
    language gets issues of its own, which join the broad themes of their topics; unmarked,
    many of them end up in broad themes of their own language."""
    ev = generate(3000, seed=6, lang_shares={"kk": 0.05, "tt": 0.05})
    q = ev.questions.merge(ev.truth[["id", "themes", "lang"]], on="id")
    q = q[q["themes"].fillna("") != ""]
    q["text"] = [clean_text(str(t)) for t in q["text"]]
    q["lemmas"] = [" ".join(ls) for ls in Lemmatizer().lemmas_many(q["text"].tolist(), q["lang"])]
    docs = q.assign(dedup=[dedup_key(t) for t in q["text"]]).drop_duplicates("dedup")
    docs = docs.reset_index(drop=True)
    vectors = TfidfEncoder(dim=128).fit(docs).encode(docs)
    theme = docs["themes"].str.split(";").str[0]
    codes, truth = np.unique(theme, return_inverse=True)
    rng = np.random.default_rng(0)
    profile = rng.dirichlet(np.ones(len(codes)), len(docs))
    right = rng.random(len(docs)) < 0.5
    profile[right, truth[right]] += 1.0
    foreign = docs["lang"].isin(["kk", "tt"]).to_numpy()
    assert foreign.sum() >= 100

    def own_language_share(mark: bool) -> float:
        """Share of foreign questions in broad themes where their language is the majority."""
        _, a = discover_themes(
            vectors, docs, broad_features=profile, foreign=foreign if mark else None
        )
        lang = docs["lang"].to_numpy()
        major = pd.Series(lang).groupby(a.broad_id).agg(lambda s: s.value_counts().index[0])
        return float(np.mean([major[b] == lang[i] for i, b in enumerate(a.broad_id) if foreign[i]]))

    marked, unmarked = own_language_share(True), own_language_share(False)
    # measured 0.08 marked, 0.38 unmarked
    assert marked < 0.15 and unmarked > 0.3, (marked, unmarked)


def test_foreign_profiles_are_weighed_against_their_own_kind() -> None:
    """The multilingual tagger's probabilities are flatter than the main one's. Measured against
    the whole corpus, a flat profile is most over-represented in the rarest topic, so every
    foreign issue would join that topic's theme and outnumber its own questions there; measured
    against the other foreign questions, each joins the theme of its real topic."""
    rng = np.random.default_rng(0)
    sizes = [130, 130, 130, 20]  # topic 3 is rare
    centres = normalize_rows(rng.normal(size=(7, 32)))
    rows, topic, lang = [], [], []
    for t, size in enumerate(sizes):  # Russian questions: sharp profiles
        rows += [centres[t]] * size
        topic += [t] * size
        lang += ["ru"] * size
    for t in range(3):  # Kazakh questions, lexically apart from everything Russian
        rows += [centres[4 + t]] * 30
        topic += [t] * 30
        lang += ["kk"] * 30
    topic, lang = np.array(topic), np.array(lang)
    vectors = normalize_rows(np.array(rows) + 0.05 * rng.normal(size=(len(rows), 32)))
    foreign = lang == "kk"
    profile = np.where(np.eye(4)[topic] > 0, 0.85, 0.05)
    profile[foreign] = np.where(np.eye(4)[topic[foreign]] > 0, 0.31, 0.23)
    docs = pd.DataFrame({"text": [f"q{t}" for t in topic], "lemmas": "", "lang": lang})
    _, a = discover_themes(vectors, docs, broad_features=profile, foreign=foreign)
    for t in range(3):
        theirs = pd.Series(a.broad_id[foreign & (topic == t)]).mode()[0]
        ours = pd.Series(a.broad_id[~foreign & (topic == t)]).mode()[0]
        assert theirs == ours, t
