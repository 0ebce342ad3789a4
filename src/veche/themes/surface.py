"""Surface forms for theme labels: the words people wrote for a lemma term, in the nominative.

Themes are described by lemma terms (c-TF-IDF over lemmas, see ``labels``), but lemmas read
badly ("управлять компания"). This module turns a label's lemma terms back into the words the
theme's questions actually use -- the most frequent surface form, abbreviations and names with
their capitals, Russian heads put in their dictionary shape ("управляющей компании" ->
"управляющая компания"). It is kept apart from the term scoring because it is a different job
(token alignment and pymorphy3 morphology) with its own caches.

``TERM_TOKEN`` and ``term_stopwords`` define the terms both modules count: a bigram is met
here exactly where c-TF-IDF counted it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from veche.text import Lemmatizer, load_stopwords, tokenize

# the CountVectorizer token: 2+ chars starting with a letter
TERM_TOKEN = r"[^\W\d_][\w-]+"
_TOKEN_RE = re.compile(TERM_TOKEN)
_LETTER_RE = re.compile(r"[^\W\d_]")
_CYR_RE = re.compile(r"[а-яё]")
# Cyrillic letters Russian lacks: Tatar, Kazakh, Bashkir, Ukrainian, Belarusian texts
_NON_RU_CYR_RE = re.compile(r"[әөүҗңһғқұҳіїєґў]")
_STRIP = "-‐‑–—'"


@lru_cache(maxsize=1)
def term_stopwords() -> frozenset[str]:
    """Lemmas that never make a label term."""
    # function words and greetings say nothing about a theme (veche's shipped lists)
    # only entries that are single tokens ("don't" would never match a token anyway)
    words = load_stopwords("ru") | load_stopwords("en") | load_stopwords("appeals_ru")
    return frozenset(w for w in words if re.fullmatch(r"\w+", w))


def surface_forms(
    terms: Sequence[Sequence[str]],
    texts: Sequence[str],
    lemmas: Sequence[str],
    labels: np.ndarray,
    weights: np.ndarray | None = None,
    max_docs: int = 100,
    enough: int = 20,
) -> list[dict[str, str]]:
    """Per class, each of its ``terms`` (lemma uni/bigrams) -> the most frequent way its
    texts write it (lower-case, an abbreviation or a name with its capitals), in the
    nominative for Russian.

    ``lemmas`` are the stored space-joined lemmas of ``texts`` (one per non-number token, as
    ``Lemmatizer`` makes them); a bigram counts where its words follow each other once
    stopwords are left out, as c-TF-IDF counted it (one preposition between them is shown).
    The heaviest texts are read first, until each term was met in ``enough`` texts or
    ``max_docs`` texts were read: a large theme costs no more than a small one.
    """
    labels = np.asarray(labels)
    w = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=float)
    stop = term_stopwords()
    out: list[dict[str, str]] = []
    order = np.lexsort((-w, labels))
    bounds = np.searchsorted(labels[order], np.arange(len(terms) + 1))
    for c, wanted in enumerate(terms):
        wanted = set(wanted)
        met: Counter[str] = Counter()  # texts each term was met in
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        seen = 0
        for i in order[bounds[c] : bounds[c + 1]]:
            pending = [t for t in wanted if met[t] < enough]
            if seen >= max_docs or not pending:
                break
            lem = str(lemmas[i]).split()
            present = set(lem)
            if not any(present.issuperset(t.split()) for t in pending):
                continue
            words = _surface_tokens(str(texts[i]))
            if len(words) != len(lem):
                continue  # not aligned (text and lemmas made differently): skip it
            seen += 1
            kept = [
                (pos, lm, s)
                for pos, (lm, s) in enumerate(zip(lem, words, strict=True))
                if _TOKEN_RE.fullmatch(lm) and lm not in stop
            ]
            found: set[str] = set()
            for j, (pos, lm, s) in enumerate(kept):
                if lm in wanted:
                    counts[lm][s] += w[i]
                    found.add(lm)
                if j + 1 < len(kept):
                    nxt, lm2, s2 = kept[j + 1]
                    if f"{lm} {lm2}" in wanted:
                        # "вода в доме": one preposition between keeps the phrase readable
                        mid = words[pos + 1] if nxt == pos + 2 else ""
                        gap = f" {mid} " if mid and _is_preposition(mid.lower()) else " "
                        counts[f"{lm} {lm2}"][f"{s}{gap}{s2}"] += w[i]
                        found.add(f"{lm} {lm2}")
            met.update(found)
        out.append({t: _nominative(_display(forms), _words(forms)) for t, forms in counts.items()})
    return out


# what a label term may be made of: nouns, adjectives and participles before a noun; a
# numeral ("пять"), a verb ("масло стоит", "работать фонарь") or a lone adjective ("аварийное")
# reads as a fragment, not as what the theme is about
_NOMINAL = frozenset({"NOUN"})
_MODIFIER = frozenset({"ADJF", "PRTF", "NOUN"})


def is_label_phrase(shown: str) -> bool:
    """Whether a label term, as shown (``surface_forms``), reads as a phrase of its own: a
    noun, an adjective (participle, noun) before a noun, or a noun, preposition and noun
    ("вода в доме"). Words pymorphy3 does not know (abbreviations, names, other languages)
    count as nouns; a number-word, a verb or a lone adjective makes the term a fragment."""
    words = shown.split()
    tags = [_word_pos(w) for w in words]
    if not words or "NUMR" in tags:
        return False
    if len(words) == 3 and tags[1] == "PREP":
        words, tags = [words[0], words[2]], [tags[0], tags[2]]
    if len(words) == 1:
        return tags[0] is None or tags[0] in _NOMINAL
    if len(words) == 2:
        return (tags[0] is None or tags[0] in _MODIFIER) and (
            tags[1] is None or tags[1] in _NOMINAL
        )
    return False


@lru_cache(maxsize=20_000)
def _word_pos(word: str) -> str | None:
    """The part of speech of a Russian word's likeliest reading; None for a word pymorphy3
    does not know, an abbreviation or a word not in Russian."""
    if not _is_russian(word) or word.isupper():
        return None
    parse = _morph().parse(word.lower())[0]
    return str(parse.tag.POS) if parse.is_known else None


@lru_cache(maxsize=8192)  # the broad level reads many of the texts the fine level read
def _surface_tokens(text: str) -> tuple[str, ...]:
    # the tokens Lemmatizer keeps (those with a letter), as written: one per stored lemma
    return tuple(t for t in tokenize(text) if _LETTER_RE.search(t))


def _display(forms: Counter[str]) -> str:
    """The most frequent form, case folded; a word keeps its capitals when most of its
    occurrences have them and it is an abbreviation (МФЦ, ЖКХ) or a proper name
    (Санкт-Петербурга), not a word that merely opens a sentence."""
    folded: Counter[str] = Counter()
    for form, n in forms.items():
        folded[form.lower().strip(_STRIP)] += n
    best = folded.most_common(1)[0][0]
    words = best.split()
    cased = [Counter[str]() for _ in words]
    for form, n in forms.items():
        parts = form.split()
        if form.lower().strip(_STRIP) == best and len(parts) == len(words):
            for k, part in enumerate(parts):
                cased[k][part.strip(_STRIP)] += n
    for k, word in enumerate(words):
        variant, n = cased[k].most_common(1)[0] if cased[k] else (word, 0)
        if n <= 0.5 * folded[best] or variant == word:
            continue
        if (len(word) > 1 and variant.isupper()) or (variant[0].isupper() and _is_proper(word)):
            words[k] = variant
    return " ".join(words)


_PROPER = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"})


@lru_cache(maxsize=10_000)
def _is_proper(word: str) -> bool:
    if _CYR_RE.search(word) is None:
        return False
    p = _morph().parse(word)[0]
    return p.is_known and bool(_PROPER & p.tag.grammemes)


@lru_cache(maxsize=1)
def _morph():
    return Lemmatizer().morph  # veche's own pymorphy3 analyzer


@lru_cache(maxsize=10_000)
def _is_preposition(word: str) -> bool:
    return _CYR_RE.search(word) is not None and _morph().parse(word)[0].tag.POS == "PREP"


@lru_cache(maxsize=20_000)
def _nominative(form: str, seen: frozenset[str] = frozenset()) -> str:
    """A Russian label term in its dictionary shape, the head changed, dependents kept:

    * a noun, adjective or participle in the nominative, number kept ("детей" -> "дети");
      a finite verb in the infinitive ("урезали" -> "урезать");
    * adjective/participle + noun agreeing ("горячей воды" -> "горячая вода"), two adjectives
      likewise ("государственную итоговую" -> "государственная итоговая");
    * noun + dependent noun, adjective or prepositional phrase: the head ("вывоза мусора" ->
      "вывоз мусора", "воды в доме" -> "вода в доме"); verb + anything: the verb
      ("индексируют пенсию" -> "индексировать пенсию"); noun + verb stays as written.

    A lone name goes to the nominative with its capitals; other words with capitals
    (abbreviations), unknown and non-Russian words, and other shapes stay as they are.
    Of two plural forms ("учители", "учителя") the one in ``seen`` (words the texts use) wins."""
    words = form.split()
    if len(words) == 1 and words[0] != words[0].lower() and not words[0].isupper():
        return _proper_nominative(words[0])
    if not 1 <= len(words) <= 3 or not all(_is_russian(x) for x in words):
        return form
    if len(words) == 3 and not _is_preposition(words[1]):
        return form
    morph = _morph()
    parses = [morph.parse(x.lower())[0] for x in words]
    pos = [p.tag.POS for p in parses]
    if not parses[0].is_known or words[0] != words[0].lower():
        return form
    head = _head(parses[0], seen)
    dependent = {"NOUN", "PREP", "ADJF", "PRTF"}  # "ветерана боевых" -> "ветеран боевых"
    if len(words) == 1 or pos[0] == "VERB" or (pos[0] == "NOUN" and pos[1] in dependent):
        return " ".join([head or words[0], *words[1:]]) if head else form
    adjective = {"ADJF", "PRTF"}
    if len(words) == 2 and pos[0] in adjective and words[1] == words[1].lower():
        if pos[1] == "NOUN":  # the adjective agrees with the noun
            second = _noun_nominative(parses[1], seen)
            agree = second
        elif pos[1] in adjective:  # the second agrees with the first
            first = parses[0].inflect({"nomn"})
            second = first and parses[1].inflect(_agreement(first, set()))
            agree = first
        else:
            return form
        adj = agree and _inflect(parses[0], _agreement(agree, set()))
        return f"{adj} {second.word}" if adj and second else form
    return form


def _head(parse, seen: frozenset[str]) -> str | None:
    """A word in its dictionary shape: nominative (number kept) or a verb's infinitive."""
    if parse.tag.POS == "NOUN":
        new = _noun_nominative(parse, seen)
        return new.word if new is not None else None
    if parse.tag.POS in {"ADJF", "PRTF"}:
        return _inflect(parse, {"nomn"})
    if parse.tag.POS == "VERB":
        return parse.normal_form
    return None


def _agreement(parse, grams: set[str]) -> set[str]:
    # nominative, the number of ``parse`` and, in the singular, its gender
    out = {"nomn", *grams}
    if parse.tag.number:
        out.add(parse.tag.number)
    if parse.tag.number == "sing" and parse.tag.gender:
        out.add(parse.tag.gender)
    return out


def _is_russian(word: str) -> bool:
    return _CYR_RE.search(word.lower()) is not None and not _NON_RU_CYR_RE.search(word.lower())


def _proper_nominative(word: str) -> str:
    """A name in the nominative, its capitals where they were ("Ростове-на-Дону" ->
    "Ростов-на-Дону")."""
    p = _morph().parse(word.lower())[0]
    new = _inflect(p, {"nomn"}) if p.is_known and _is_proper(word.lower()) else None
    if new is None or new.count("-") != word.count("-"):
        return word
    parts = zip(new.split("-"), word.split("-"), strict=True)
    return "-".join(n.capitalize() if o[:1].isupper() else n for n, o in parts)


def _noun_nominative(parse, seen: frozenset[str]):
    """The nominative of a noun, number kept; a plural written in the texts is preferred."""
    new = parse.inflect({"nomn"})
    if new is not None and new.tag.number == "plur" and new.word not in seen:
        variants = (f for f in parse.lexeme if {"nomn", "plur"} <= f.tag.grammemes)
        new = next((f for f in variants if f.word in seen), new)
    return new


def _words(forms: Counter[str]) -> frozenset[str]:
    return frozenset(w.lower().strip(_STRIP) for form in forms for w in form.split())


def _inflect(parse, grams: set[str]) -> str | None:
    new = parse.inflect(grams)
    return new.word if new is not None else None
