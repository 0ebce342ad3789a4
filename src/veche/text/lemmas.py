"""Tokenisation and lemmatisation.

Conventions:

* Tokens come from razdel; an apostrophe glued between two letters is re-joined
  (``сім'я``, ``don't``), URLs, e-mail addresses and placeholders (``[ИМЯ]``, ``[ТЕЛЕФОН]``)
  are removed before tokenising.
* Tokens without a letter or digit (punctuation, emoji) are dropped.  Pure numbers
  (``2024``, ``15``, ``1,5``) are dropped unless ``keep_numbers=True``; tokens mixing letters
  and digits (``152-фз``, ``covid-19``, ``5g``) are kept, lower-cased, not lemmatised.
* Russian (``ru``, and ``und``, which is mostly short Russian): Cyrillic tokens go through
  pymorphy3 (most probable parse's normal form) behind a per-instance ``lru_cache``.
  Ukrainian and English go through simplemma.  Tatar, Kazakh and Belarusian (no lemmatiser
  installed) keep the lower-cased token.  Latin tokens inside Russian text (``iPhone``) are
  lower-cased; Cyrillic tokens inside English text are treated as Russian.
* Output is lower-case with ``ё`` -> ``е``.
* ``stopwords=True`` drops Russian and English function words, greetings and politeness
  formulas (``stopwords_ru.txt``, ``stopwords_en.txt``) whatever the text's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from veche.text.translit import detranslit, mostly_latin

__all__ = ["Lemmatizer", "PLACEHOLDER_RE", "load_stopwords", "tokenize"]

#: Placeholders written by veche.privacy (``[ИМЯ]``, ``[EMAIL]``...): upper-case in brackets.
PLACEHOLDER_RE = re.compile(r"\[[A-ZА-ЯЁ][A-ZА-ЯЁ0-9_ -]{0,30}\]")
# Linear-time patterns: each starts only at the beginning of a run (negative look-behind) and
# domains are matched atomically, the TLD being checked in _drop_url.
_URL_EMAIL_RE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w.-])(?>[\w-]+(?:\.[\w-]+)+)(?:/\S*)?",
    re.IGNORECASE,
)
_TLDS = frozenset(
    [
        "ru",
        "рф",
        "com",
        "org",
        "net",
        "su",
        "ua",
        "kz",
        "by",
        "info",
        "gov",
        "edu",
        "io",
        "me",
        "рус",
    ]
)


def _drop_url(m: re.Match[str]) -> str:
    s = m.group(0)
    if "@" in s or "://" in s or s[:4].lower() == "www.":
        return " "
    host = s.split("/", 1)[0]
    return " " if host.rsplit(".", 1)[-1].lower() in _TLDS else s


_HAS_ALNUM_RE = re.compile(r"[^\W_]")
_HAS_LETTER_RE = re.compile(r"[^\W\d_]")
_HAS_DIGIT_RE = re.compile(r"\d")
_CYR_RE = re.compile(r"[\u0400-\u04ff]")
_APOSTROPHES = frozenset("'’ʼ`")

_SIMPLEMMA_LANGS = frozenset({"en", "uk"})
_PYMORPHY_LANGS = frozenset({"ru", "und"})
_Y_AFTER_CONSONANT = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщ])й")


def load_stopwords(lang: str) -> frozenset[str]:
    """The shipped stopword list for ``lang`` (``ru`` or ``en``)."""
    text = resources.files("veche.text").joinpath(f"stopwords_{lang}.txt").read_text("utf-8")
    words = (line.split("#", 1)[0].strip().lower().replace("ё", "е") for line in text.splitlines())
    return frozenset(w for w in words if w)


def _segment(text: str) -> list[str]:
    # razdel.tokenize() = segmenter.segment(segmenter.split(text)) + a pass computing offsets
    # (Substring objects), which we only need when there is an apostrophe to re-join; the
    # token strings are identical.  Falls back to the public API if razdel's internals move.
    from razdel import tokenize as razdel_tokenize

    seg = razdel_tokenize
    if hasattr(seg, "segment") and hasattr(seg, "split"):
        return list(seg.segment(seg.split(text)))
    return [t.text for t in razdel_tokenize(text)]


def tokenize(text: str) -> list[str]:
    """razdel tokens of ``text`` with apostrophe words re-joined; URLs/e-mails/placeholders removed."""
    if "[" in text:
        text = PLACEHOLDER_RE.sub(" ", text)
    if "@" in text or "." in text or "/" in text:
        text = _URL_EMAIL_RE.sub(_drop_url, text)
    tokens = _segment(text)
    if _APOSTROPHES.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    prev_stop = -1
    offset = 0
    n = len(tokens)
    skip_to = -1
    for i, tok in enumerate(tokens):
        start = text.find(tok, offset)
        offset = stop = start + len(tok)
        if i < skip_to:
            prev_stop = stop
            continue
        if (
            tok in _APOSTROPHES
            and out
            and prev_stop == start
            and i + 1 < n
            and text.startswith(tokens[i + 1], stop)
            and out[-1][-1:].isalpha()
            and tokens[i + 1][:1].isalpha()
        ):
            out[-1] = out[-1] + "'" + tokens[i + 1]
            skip_to = i + 2
        else:
            out.append(tok)
        prev_stop = stop
    return out


class Lemmatizer:
    """Lemmas for Russian (pymorphy3), English and Ukrainian (simplemma), lower-case otherwise.

    Resources (the pymorphy3 dictionaries, simplemma's data) load on first use; the instance
    pickles without them, so it can be shipped to worker processes.
    """

    def __init__(
        self,
        *,
        stopwords: bool = False,
        keep_numbers: bool = False,
        cache_size: int = 500_000,
    ):
        self.stopwords = stopwords
        self.keep_numbers = keep_numbers
        self.cache_size = cache_size
        self._init_runtime()

    def _init_runtime(self) -> None:
        self._morph = None
        self._stop: frozenset[str] | None = None
        self._ru = lru_cache(maxsize=self.cache_size)(self._ru_lemma)
        self._sm = lru_cache(maxsize=self.cache_size)(self._simplemma_lemma)
        self._cyr = lru_cache(maxsize=self.cache_size)(self._from_translit)

    def __getstate__(self) -> dict:
        return {
            "stopwords": self.stopwords,
            "keep_numbers": self.keep_numbers,
            "cache_size": self.cache_size,
        }

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._init_runtime()

    # -- resources ---------------------------------------------------------------------------

    @property
    def morph(self):
        if self._morph is None:
            import pymorphy3

            self._morph = pymorphy3.MorphAnalyzer()
        return self._morph

    @property
    def stopword_set(self) -> frozenset[str]:
        if self._stop is None:
            self._stop = load_stopwords("ru") | load_stopwords("en")
        return self._stop

    def _ru_lemma(self, word: str) -> str:
        return self.morph.parse(word)[0].normal_form.replace("ё", "е")

    def _from_translit(self, word: str) -> str:
        """A Latin word of a transliterated Russian text in Cyrillic, when that is a Russian
        word ("otvechaet" -> "отвечает"); else the word as written (a typo stays visible)."""
        cyr = detranslit(word)
        if cyr == word:
            return word
        # "y" is also how people write "ы" ("krysy"): й never follows a consonant in Russian
        for form in (cyr, _Y_AFTER_CONSONANT.sub("ы", cyr)):
            if self.morph.word_is_known(form):
                return form
        return word

    @staticmethod
    def _simplemma_lemma(word: str, lang: str) -> str:
        import simplemma

        return simplemma.lemmatize(word, lang=lang).lower().replace("ё", "е")

    # -- public ------------------------------------------------------------------------------

    def lemmas(self, text: str, lang: str, *, stopwords: bool | None = None) -> list[str]:
        """Lemmas of one text (see the module docstring for the conventions)."""
        if not text or not isinstance(text, str):  # also None/NaN from a table
            return []
        drop_stop = self.stopwords if stopwords is None else stopwords
        stop = self.stopword_set if drop_stop else None
        ru = self._ru
        sm = self._sm
        sm_lang = lang if lang in _SIMPLEMMA_LANGS else None
        cyr_morph = lang in _PYMORPHY_LANGS or lang == "en"
        # Russian written in Latin letters: read its words back in Cyrillic
        translit = lang == "ru" and mostly_latin(text)
        out: list[str] = []
        for tok in tokenize(text):
            if not _HAS_ALNUM_RE.search(tok):
                continue
            low = tok.lower().strip("-‐‑–—'")
            if translit:
                low = self._cyr(low)
            if not _HAS_LETTER_RE.search(low):
                if not self.keep_numbers:
                    continue
                lemma = low
            elif _HAS_DIGIT_RE.search(low):
                lemma = low.replace("ё", "е")
            elif _CYR_RE.search(low):
                if sm_lang == "uk":
                    lemma = sm(low, "uk")
                elif cyr_morph:
                    lemma = ru(low)
                else:
                    lemma = low.replace("ё", "е")
            elif sm_lang == "en":
                lemma = sm(low, "en")
            else:
                lemma = low
            if stop is not None and lemma in stop:
                continue
            out.append(lemma)
        return out

    def lemmas_many(
        self,
        texts: Sequence[str],
        langs: Sequence[str],
        *,
        stopwords: bool | None = None,
    ) -> list[list[str]]:
        """Lemmas of many texts; ``langs`` holds one code per text (from ``detect_languages``)."""
        if len(texts) != len(langs):
            raise ValueError(f"{len(texts)} texts but {len(langs)} language codes")
        return [
            self.lemmas(t, lang, stopwords=stopwords) for t, lang in zip(texts, langs, strict=True)
        ]
