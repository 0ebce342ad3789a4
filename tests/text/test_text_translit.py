"""Russian written in Latin letters gets Russian lemmas; Latin words inside a Cyrillic text and
English texts are left alone."""

from __future__ import annotations

from veche.text import Lemmatizer, detect_languages
from veche.text.translit import detranslit, mostly_latin


def test_detranslit_and_script_share() -> None:
    assert detranslit("otvechaet") == "отвечает"
    assert detranslit("shchi") == "щи" and detranslit("novyy") == "новый"
    assert detranslit("Москва") == "Москва"  # not a Latin word: as is
    assert mostly_latin("nikto ne otvechaet, uzhe nedelyu")
    assert not mostly_latin("не ловит Wi-Fi и SMS не приходят")
    assert not mostly_latin("12345")


def test_transliterated_russian_gets_russian_lemmas() -> None:
    text = "Net otopleniya uzhe nedelyu, v podvale krysy, nikto ne otvechaet. Ya iz Krasnogorska"
    lang = detect_languages([text])[0]
    assert lang == "ru"
    lemmas = Lemmatizer(stopwords=True).lemmas(text, lang)
    assert {"отопление", "неделя", "подвал", "крыса", "отвечать", "красногорск"} <= set(lemmas)
    assert not {"ne", "ya", "iz", "v"} & set(lemmas)  # Russian stopwords, once in Cyrillic


def test_latin_words_in_cyrillic_and_english_texts_stay() -> None:
    lem = Lemmatizer()
    assert lem.lemmas("не ловит Wi-Fi и SMS не приходят", "ru") == [
        "не", "ловить", "wi-fi", "и", "sms", "не", "приходить",
    ]  # fmt: skip
    assert lem.lemmas("My pension was not indexed", "en") == ["my", "pension", "be", "not", "index"]
