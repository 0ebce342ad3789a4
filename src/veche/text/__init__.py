"""Text normalisation stage: cleaning, language identification, lemmas, dedup keys.

Public API (pure functions or small classes with lazily loaded resources, safe to call on
batches of ~10,000 texts)::

    clean_text(s) -> str                      # HTML, invisible chars, whitespace, boilerplate
    detect_languages(texts) -> list[str]      # 'ru' 'en' 'uk' 'tt' 'kk' 'be' or 'und'
    Lemmatizer().lemmas(text, lang) -> list[str]
    Lemmatizer().lemmas_many(texts, langs) -> list[list[str]]
    dedup_key(text) -> str                    # canonical form for duplicate hashing/shingles
    prepare_docs(texts) -> DataFrame          # text, lang, lemmas, as the store holds them
    plural(n, one, few, many) -> str          # Russian number agreement
    translit.detranslit(word) -> str          # Russian in Latin letters back to Cyrillic

The conventions are documented in the docstrings of ``clean``, ``language``, ``lemmas`` and
``normalize``.
"""

from veche.text.clean import clean_text, strip_html
from veche.text.language import LANGUAGES, detect_language, detect_languages
from veche.text.lemmas import PLACEHOLDER_RE, Lemmatizer, load_stopwords, tokenize
from veche.text.normalize import dedup_key
from veche.text.plural import plural
from veche.text.prepare import prepare_docs

__all__ = [
    "LANGUAGES",
    "PLACEHOLDER_RE",
    "Lemmatizer",
    "clean_text",
    "dedup_key",
    "detect_language",
    "detect_languages",
    "load_stopwords",
    "plural",
    "prepare_docs",
    "strip_html",
    "tokenize",
]
