"""Person names: the rules (no NER) and the NER path."""

from __future__ import annotations

import pytest

from veche.privacy import Masker
from veche.privacy.names import might_contain_name, rule_person_spans
from veche.privacy.ner import NerModel, get_ner_model


def rule_names(text: str) -> list[str]:
    m = Masker(use_ner=False, types={"PER"}, cache_size=0)
    return [text[s.start : s.end] for s in m.mask(text).spans]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("меня зовут иванова мария живу в курске", "иванова мария"),
        ("здраствуйте я петров иван сергеевич инвалид", "петров иван сергеевич"),
        ("ИВАНОВ ИВАН ИВАНОВИЧ ПРОСИТ ПОМОЩИ", "ИВАНОВ ИВАН ИВАНОВИЧ"),
        ("владимир владимирович помогите нам", "владимир владимирович"),
        ("памагите петровой зинаиде ивановне ветерану", "петровой зинаиде ивановне"),
        ("моя фамилия сидоренко звоните", "сидоренко"),
        ("Заявитель Петрова А.С. сообщает", "Петрова А.С."),
        ("С уважением, К.Е. Абрамов", "К.Е. Абрамов"),
        ("Я, Абрамов Константин Евгеньевич, прошу", "Абрамов Константин Евгеньевич"),
        ("My name is John Smith, I live in Kazan", "John Smith"),
        ("Dear Mr. Putin, why", "Putin"),
        ("Менің атым Нұрлан Серікұлы, телефоным", "Нұрлан Серікұлы"),
        ("Гүлнара Асқарқызы атынан жазамын", "Гүлнара Асқарқызы"),
        ("Мене звати Тарас Шевченко, пишу з Харкова", "Тарас Шевченко"),
        ("Директор школы Антонова собирает деньги", "Антонова"),
        ("ИВАНОВА МАРИЯ ПРОСИТ ПОМОЩИ", "ИВАНОВА МАРИЯ"),
        ("звоните маше после обеда", "маше"),
        ("Ivanov Ivan Petrovich from Moscow", "Ivanov Ivan Petrovich"),
    ],
)
def test_rules_find_names(text: str, name: str) -> None:
    assert rule_names(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "ситуация критична, помощь нужна срочно",
        "На улице Ленина нет света.",
        "В больнице им. Пирогова не хватает врачей.",
        "Памятник Пушкину на площади в ужасном состоянии.",
        "Госпиталь ветеранов войн на улице Маршала Конева.",
        "Почему в Курчатове закрыли роддом? Жители Рыльска ездят в Курск.",
        "у нас сильный мороз и нет отопления",
        "вера в светлое будущее пропала",
        "Дед Мороз на площади",
    ],
)
def test_rules_leave_non_names(text: str) -> None:
    assert rule_names(text) == []


def test_rule_spans_are_filtered_person_spans() -> None:
    spans = rule_person_spans("Звонила Кузнецова Нина Павловна")
    assert spans and all(s.type == "PER" for s in spans)
    assert rule_person_spans("") == []


def test_ner_gate() -> None:
    assert might_contain_name("Заявитель Петрова сообщает")
    assert might_contain_name("Иванов пришёл")  # a surname starting the sentence
    assert not might_contain_name("Прошу помочь. Почему нет воды?")
    assert not might_contain_name("почему пенсия маленькая")


def test_ner_finds_capitalised_names(masker: Masker) -> None:
    text = "Житель Новосибирска Дмитрий Козлов жалуется, что автобус ходит раз в час."
    spans = masker.mask(text).spans
    assert [(text[s.start : s.end], s.type) for s in spans] == [("Дмитрий Козлов", "PER")]


def test_ner_windows_match_full_texts() -> None:
    model = get_ner_model()
    texts = [
        "Уважаемый Владимир Владимирович! Меня зовут Иванова Мария Петровна.",
        "Прошу помочь. В Курской области у Сергея Петрова сгорел дом.",
    ]
    assert model.person_spans(texts) == model.person_spans(texts, windows=False)


def test_ner_model_is_shared() -> None:
    assert get_ner_model() is get_ner_model()
    assert isinstance(get_ner_model(), NerModel)
