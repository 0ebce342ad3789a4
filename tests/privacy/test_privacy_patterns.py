"""The regex detectors, one type at a time (no NER: Masker(use_ner=False) / find_pattern_spans)."""

from __future__ import annotations

import pytest

from veche.privacy.patterns import classify_number, find_pattern_spans
from veche.privacy.spans import ALL_TYPES


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.type) for s in find_pattern_spans(text, ALL_TYPES)]


@pytest.mark.parametrize(
    "phone",
    [
        "+7 912 345-67-89",
        "8(912)3456789",
        "89123456789",
        "8-912-345-67-89",
        "+7(4712)12-34-56",
        "7 912 3456789",
        "8 (928) 765-43-21",
        "+79615554433",
        "+380 67 123 45 67",
        "+7 701 234 56 78",
        "+44 20 7946 0958",
        "495 123-45-67",
    ],
)
def test_phone_formats(phone: str) -> None:
    assert found(f"Мой телефон {phone}, звоните.") == [(phone, "PHONE")]


def test_phone_typed_digit_by_digit() -> None:
    assert found("тел 8 9 1 2 3 4 5 6 7 8 9") == [("8 9 1 2 3 4 5 6 7 8 9", "PHONE")]


def test_mobile_without_prefix_and_local_number() -> None:
    assert found("мобильный 9123456789") == [("9123456789", "PHONE")]
    assert found("тел. 23-45-67 после 18") == [("23-45-67", "PHONE")]
    assert found("дом. 234-56-78") == [("234-56-78", "PHONE")]


@pytest.mark.parametrize(
    "text",
    [
        "Звоните 112 или 122, справочная 09.",
        "Горячая линия 8 800 100-00-01 не отвечает.",
        "Пенсия 15 000 руб., долг 123 456,78 руб.",
        "Нам обещали 78 000 000 000 рублей на дороги.",
        "Дата 12.05.2023, повторно 12-05-23, с 8-00 до 17-00.",
        "В 1941-1945 годах, за 2019 2020 2021 2022 годы.",
        "Квартиры 12 14 16 18 20 затоплены.",
        "Объём 12 345 678 кубометров.",
        "Лицевой счёт 9123456789, номер заявления 5632122330.",
        "Кадастровый номер 46:29:102345:123.",
        "ОГРН 1027700132195, КПП 773601001, р/с 40702810938000000001.",
        "Номер заказа 4276 1234 5678 9013, трек-номер 80091234567890.",
    ],
)
def test_numbers_that_are_not_personal(text: str) -> None:
    assert found(text) == []


def test_email() -> None:
    text = "Пишите на ivan.petrov-85@mail.ru или почта@почта.рф."
    assert found(text) == [("ivan.petrov-85@mail.ru", "EMAIL"), ("почта@почта.рф", "EMAIL")]
    assert found("адрес @mail.ru и user@localhost") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("г. Курск, ул. Ленина, д. 5, кв. 12.", "ул. Ленина, д. 5, кв. 12"),
        ("адрес ул.Мира,д.7,кв.3", "ул.Мира,д.7,кв.3"),
        ("живу проспект Мира 14-3 второй год", "проспект Мира 14-3"),
        ("адрес: улица Ленина 5-12", "улица Ленина 5-12"),
        ("пр-т Победы д 10 корп 2 кв 55", "пр-т Победы д 10 корп 2 кв 55"),
        ("ул 8 Марта 12", "ул 8 Марта 12"),
        ("ул. 50 лет Октября, д. 3", "ул. 50 лет Октября, д. 3"),
        ("по адресу Лесная ул., 5.", "Лесная ул., 5"),
        ("Комсомольский проспект, 18-42, г. Пермь", "Комсомольский проспект, 18-42"),
        ("Варшавское ш., д. 118, корп. 1, кв. 56", "Варшавское ш., д. 118, корп. 1, кв. 56"),
        ("в доме 5 по ул. Ленина течёт крыша", "доме 5 по ул. Ленина"),
        ("прописан в д. 5, кв. 12", "д. 5, кв. 12"),
        ("вул. Шевченка, 12, кв. 5", "вул. Шевченка, 12, кв. 5"),
        ("My address is Lenina street 5, apartment 3.", "Lenina street 5, apartment 3"),
        ("Адрес: Курск, Ленина 5, кв 3", "Ленина 5, кв 3"),  # no keyword, but a flat
    ],
)
def test_addresses(text: str, span: str) -> None:
    assert found(text) == [(span, "ADDRESS")]


def test_rural_address_masks_only_the_house() -> None:
    assert found("д. Петровка, д. 15") == [("д. 15", "ADDRESS")]


@pytest.mark.parametrize(
    "text",
    [
        "На улице Ленина нет света уже 5 дней.",
        "Курская область, Ленинский район, улица Ленина.",
        "На улицах нашего города 10 лет не убирают снег.",
        "Площадь квартиры 45,6 кв.м.",
        "Прошу 2 раза проверить.",
        "В нашем доме 9 этажей и 120 квартир.",
        "сосед из кв. 12 шумит",
        "Поликлиника № 2 на Кировском проспекте закрыта.",
        "живу ленина 5",  # a name and a number without keyword or flat: too ambiguous
    ],
)
def test_not_addresses(text: str) -> None:
    assert found(text) == []


def test_passport() -> None:
    assert found("паспорт 45 12 345678") == [("45 12 345678", "PASSPORT")]
    assert found("серия 4512 номер 345678") == [("4512 номер 345678", "PASSPORT")]
    assert found("паспорт: 4512345678") == [("4512345678", "PASSPORT")]
    assert found("паспорт серии 60 11 номер 123456") == [("60 11 номер 123456", "PASSPORT")]
    assert found("Паспорт РФ 4509 № 654321 утерян") == [("4509 № 654321", "PASSPORT")]


def test_snils() -> None:
    assert found("СНИЛС 112-233-445 95") == [("112-233-445 95", "SNILS")]
    assert found("номер 11223344595") == [("11223344595", "SNILS")]  # valid checksum
    # a typo after the keyword is still masked; the NNN-NNN-NNN NN shape alone is enough
    assert found("снилс 123-456-789 00") == [("123-456-789 00", "SNILS")]
    assert found("номер 12345678901 не найден") == []  # no keyword, bad checksum


def test_inn() -> None:
    assert found("ИНН 7707083893") == [("7707083893", "INN")]
    assert found("мой 500100732259") == [("500100732259", "INN")]
    assert found("ИНН 160512345678") == [("160512345678", "INN")]  # keyword: shape is enough
    assert found("код 7707083894") == []  # no keyword, bad checksum


def test_card() -> None:
    assert found("карта 4276 8263 3043 4835") == [("4276 8263 3043 4835", "CARD")]
    assert found("перевод на 2201887180334016") == [("2201887180334016", "CARD")]
    assert found("номер карты 1234 5678 9012 3456") == [("1234 5678 9012 3456", "CARD")]
    assert found("на 4276 1234 5678 9013") == []  # bad Luhn, no keyword


def test_phone_vs_snils_vs_inn_order() -> None:
    # eleven digits starting 8-9 are a phone even if they pass the SNILS checksum by chance
    assert classify_number("89123456789", [11]) == "PHONE"
    assert classify_number("89123456789", [11], keyword="snils") == "SNILS"
    assert classify_number("7707083893", [10]) == "INN"
    assert classify_number("9123456789", [10], keyword="inn") == "INN"


def test_types_filter() -> None:
    text = "тел 89123456789, ivan@mail.ru"
    only_email = find_pattern_spans(text, frozenset({"EMAIL"}))
    assert [s.type for s in only_email] == ["EMAIL"]
