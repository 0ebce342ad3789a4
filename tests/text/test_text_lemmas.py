"""Lemmatizer: razdel tokens, pymorphy3 for Russian, simplemma for English/Ukrainian."""

from __future__ import annotations

import pickle

import pytest

from veche.text import Lemmatizer, load_stopwords, tokenize


@pytest.fixture(scope="module")
def lem() -> Lemmatizer:
    return Lemmatizer()


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("пенсии", "пенсия"),
        ("проиндексируют", "проиндексировать"),
        ("пенсионерам", "пенсионер"),
        ("дорогами", "дорога"),
        ("ребёнка", "ребенок"),  # ё -> е in the output
        ("Жильём", "жилье"),
        ("ЖКХ", "жкх"),
    ],
)
def test_russian_lemmas(lem: Lemmatizer, word: str, lemma: str) -> None:
    assert lem.lemmas(word, "ru") == [lemma]


def test_russian_sentence(lem: Lemmatizer) -> None:
    got = lem.lemmas("Когда проиндексируют пенсии работающим пенсионерам?", "ru")
    assert got == ["когда", "проиндексировать", "пенсия", "работать", "пенсионер"]


def test_english_lemmas(lem: Lemmatizer) -> None:
    got = lem.lemmas("The pensions were indexed and children are running", "en")
    assert got == ["the", "pension", "be", "index", "and", "child", "be", "run"]


def test_ukrainian_lemmas_via_simplemma(lem: Lemmatizer) -> None:
    got = lem.lemmas("Коли буде підвищення пенсій? Ми багатодітна сім'я", "uk")
    assert "пенсія" in got
    assert "сім'я" in got  # apostrophe word re-joined


@pytest.mark.parametrize("lang", ["tt", "kk", "be"])
def test_languages_without_lemmatizer_are_lowercased(lem: Lemmatizer, lang: str) -> None:
    assert lem.lemmas("Кайчан ПЕНСИЯЛӘР арттырылачак?", lang) == [
        "кайчан",
        "пенсияләр",
        "арттырылачак",
    ]


def test_punctuation_emoji_placeholders_urls_dropped(lem: Lemmatizer) -> None:
    text = "[ИМЯ], позвоните [ТЕЛЕФОН]!!! 🙏 Пишите a.b@mail.ru или на gosuslugi.ru/help :)"
    assert lem.lemmas(text, "ru") == ["позвонить", "писать", "или", "на"]


def test_numbers_dropped_by_default_mixed_tokens_kept() -> None:
    text = "По 152-ФЗ пенсия 15 000 руб. с 2024 года, covid-19 и 1,5 млн"
    default = Lemmatizer().lemmas(text, "ru")
    assert "152-фз" in default and "covid-19" in default
    assert not any(t.isdigit() or t == "1,5" for t in default)
    with_numbers = Lemmatizer(keep_numbers=True).lemmas(text, "ru")
    assert {"15", "000", "2024", "1,5"} <= set(with_numbers)


def test_stopwords(lem: Lemmatizer) -> None:
    text = "Здравствуйте! Когда же у нас наконец проиндексируют пенсии? Спасибо."
    assert lem.lemmas(text, "ru", stopwords=True) == ["наконец", "проиндексировать", "пенсия"]
    en = lem.lemmas("Hello, when will the pensions be indexed? Thanks", "en", stopwords=True)
    assert en == ["pension", "index"]
    assert Lemmatizer(stopwords=True).lemmas("и в на пенсии", "ru") == ["пенсия"]


def test_stopword_lists_shipped() -> None:
    ru, en = load_stopwords("ru"), load_stopwords("en")
    assert {"и", "в", "быть", "который", "здравствуйте"} <= ru
    assert {"the", "be", "and"} <= en
    assert all(w == w.lower() and "ё" not in w for w in ru | en)


def test_lemmas_many(lem: Lemmatizer) -> None:
    got = lem.lemmas_many(["пенсии", "pensions", "", "   "], ["ru", "en", "ru", "und"])
    assert got == [["пенсия"], ["pension"], [], []]
    with pytest.raises(ValueError):
        lem.lemmas_many(["a"], [])


def test_tokenize_is_razdel_plus_apostrophes() -> None:
    assert tokenize("т.е. 1,5 млн из-за какой-то don't") == [
        "т",
        ".",
        "е",
        ".",
        "1,5",
        "млн",
        "из-за",
        "какой-то",
        "don't",
    ]


def test_pickles_without_resources(lem: Lemmatizer) -> None:
    lem.lemmas("пенсии", "ru")
    clone = pickle.loads(pickle.dumps(lem))
    assert clone._morph is None
    assert clone.lemmas("пенсии", "ru") == ["пенсия"]
