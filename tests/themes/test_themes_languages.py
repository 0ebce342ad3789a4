"""A minority language's questions get specific issues of their own: in a lexical space they sit
closer to each other than to anything they ask about, and clustered with the majority they
collapse into one mixed "issue"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_mutual_info_score

from veche.demo import generate
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
