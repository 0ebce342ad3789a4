"""Theme labels read as people write: surface forms in the nominative, one language a theme."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from veche.text import Lemmatizer
from veche.themes.labels import language_groups, make_label, theme_labels
from veche.themes.surface import _nominative, is_label_phrase, surface_forms

COMPANY = [
    "Управляющая компания не убирает двор уже месяц",
    "Жалоба на управляющую компанию: не убирают подъезд",
    "Почему управляющая компания берёт деньги за уборку?",
    "Когда управляющая компания починит крышу?",
    "Управляющую компанию нужно проверить, подъезд грязный",
]
WATER = [
    "Нет горячей воды третью неделю",
    "Когда дадут горячую воду в доме?",
    "Горячей воды нет, дети не могут помыться",
    "Отключили горячую воду без предупреждения",
]
SALARY_RU = [
    "Зарплата учителя слишком маленькая",
    "Когда повысят зарплату учителям?",
    "Учителя получают мало, зарплата маленькая",
    "Зарплата учителей в школе низкая",
    "Почему у учителя такая зарплата",
]
SALARY_EN = [
    "Teachers salary is low every year, my child suffers",
    "What about the year bonus, child allowance, teacher salary",
]


def _docs(groups: list[tuple[list[str], str]]) -> tuple[pd.DataFrame, np.ndarray]:
    texts, langs, labels = [], [], []
    for c, (group, lang) in enumerate(groups):
        texts += group
        langs += [lang] * len(group)
        labels += [c] * len(group)
    lemmas = [" ".join(x) for x in Lemmatizer().lemmas_many(texts, langs)]
    return pd.DataFrame({"text": texts, "lang": langs, "lemmas": lemmas}), np.array(labels)


def test_labels_show_surface_forms_in_the_nominative() -> None:
    docs, labels = _docs([(COMPANY, "ru"), (WATER, "ru")])
    names, terms = theme_labels(docs, labels, 2, n_terms=3)
    assert "управляющая компания" in names[0], names
    assert "управлять" not in names[0], names
    assert "горячая вода" in names[1], names
    assert "горячий" not in names[1], names
    # the data keep lemma terms
    assert "управлять компания" in terms[0]
    assert "горячий вода" in terms[1]


def test_surface_forms_pick_the_most_frequent_form_and_keep_capitals() -> None:
    texts = ["Детей не принимают в МФЦ", "В МФЦ очередь для детей", "мфц и ребёнок", "Детей много"]
    lemmas = [" ".join(x) for x in Lemmatizer().lemmas_many(texts, ["ru"] * len(texts))]
    forms = surface_forms([["мфц", "ребенок"]], texts, lemmas, np.zeros(len(texts), dtype=int))
    # "детей" is the most frequent form: the plural stays plural in the nominative
    assert forms[0] == {"мфц": "МФЦ", "ребенок": "дети"}, forms


def test_a_russian_theme_with_some_english_texts_gets_russian_terms() -> None:
    docs, _ = _docs([(SALARY_RU + SALARY_EN, "ru")])
    docs["lang"] = ["ru"] * len(SALARY_RU) + ["en"] * len(SALARY_EN)
    labels = np.zeros(len(docs), dtype=int)
    other, _ = _docs([(WATER, "ru")])  # a second class so c-TF-IDF has something to contrast
    docs = pd.concat([docs, other], ignore_index=True)
    labels = np.r_[labels, np.ones(len(other), dtype=int)]
    for frame in (docs, docs.drop(columns="lang")):  # from the lang column, or by script
        names, terms = theme_labels(frame, labels, 2, n_terms=4)
        words = set(" ".join(terms[0]).split()) | set(names[0].replace(",", " ").split())
        assert not words & {"year", "child", "teacher", "salary", "bonus"}, names
        assert "зарплата" in names[0] and "учител" in names[0], names


def test_a_theme_mostly_in_another_language_keeps_its_terms() -> None:
    docs, labels = _docs([(SALARY_EN * 3 + SALARY_RU[:1], "en"), (WATER, "ru")])
    names, _ = theme_labels(docs, labels, 2, n_terms=3)
    assert not any("\u0400" <= ch <= "\u04ff" for ch in names[0]), names
    assert {"salary", "teacher", "year", "child"} & set(names[0].replace(",", " ").split())


def test_language_groups_by_code_or_detected_language() -> None:
    # undetermined goes with Russian; a missing code goes with any group
    assert list(language_groups(["a", "b", "c", "d"], ["ru", "und", "tt", None])) == [
        "ru",
        "ru",
        "tt",
        "",
    ]
    # without codes the project's detector decides ("123" is undetermined -> with Russian)
    texts = ["Зарплата учителя", "teacher salary", "Хөрмәтле депутат", "123"]
    assert list(language_groups(texts)) == ["ru", "en", "tt", "ru"]


def test_make_label_maps_chosen_lemma_terms_to_their_forms() -> None:
    terms = ["горячий вода", "вода", "горячий", "счёт"]
    assert make_label(terms, 2) == "горячий вода, счёт"
    assert make_label(terms, 2, {"горячий вода": "горячая вода"}) == "горячая вода, счёт"


def test_russian_terms_take_their_dictionary_shape_heads_only() -> None:
    cases = {
        "вывоза мусора": "вывоз мусора",  # the dependent keeps its case
        "воды в доме": "вода в доме",
        "государственную итоговую": "государственная итоговая",
        "урезали": "урезать",  # a verb reads in the infinitive
        "индексируют пенсию": "индексировать пенсию",
        "доходов хватает": "доходов хватает",  # no head to change: kept as written
        "Ростове-на-Дону": "Ростов-на-Дону",
        "денег": "деньги",
        "хөрматле": "хөрматле",
    }
    assert {f: _nominative(f) for f in cases} == cases
    # of two plurals (учители / учителя) the one the texts use
    assert _nominative("учителей", frozenset({"учителей", "учителя"})) == "учителя"


BUTTER = [
    "Сливочное масло стоит пять сотен, почему так дорого",
    "Масло стоит уже пять сотен за пачку",
    "Почему сливочное масло стоит так дорого?",
    "Сливочное масло стоит пять сотен, пенсии не хватает",
    "Масло стоит дороже мяса",
]
LAMPS = [
    "Не работает фонарь на улице Ленина",
    "Второй месяц не работает фонарь во дворе",
    "Фонарь не работает, темно, страшно ходить",
    "Не работает фонарь у остановки",
]


def test_labels_are_phrases_not_numbers_verbs_or_fragments() -> None:
    """ "масло стоит", "пять", "работать фонарь" were label terms: a verb, a number-word and a
    verb with a noun say nothing a noun phrase does not say better."""
    docs, labels = _docs([(BUTTER, "ru"), (LAMPS, "ru"), (WATER, "ru")])
    names, terms = theme_labels(docs, labels, 3, n_terms=4)
    shown = [set(n.split(", ")) for n in names]
    assert "сливочное масло" in shown[0] and "фонарь" in shown[1], names
    for name in names[:2]:
        words = set(name.replace(",", " ").split())
        assert not words & {"стоит", "стоить", "пять", "работать", "работает"}, names
    assert any("стоить" in t for t in terms[0])  # the data keep the counted terms


@pytest.mark.parametrize(
    ("shown", "ok"),
    [
        ("горячая вода", True), ("управляющая компания", True), ("вода в доме", True),
        ("МФЦ", True), ("вывоз мусора", True), ("Европа", True), ("salary", True),
        ("масло стоит", False), ("пять", False), ("работать фонарь", False),
        ("аварийное", False), ("стоить", False), ("индексировать пенсию", False),
    ],
)  # fmt: skip
def test_label_phrases(shown: str, ok: bool) -> None:
    assert is_label_phrase(shown) is ok
