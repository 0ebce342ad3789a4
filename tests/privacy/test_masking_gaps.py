"""Masking gaps found by the hostile probe (issue 16 item 10): phones in words or with dots,
disguised e-mails, ОМС policies, social-network accounts, names in Latin or lower case."""

from __future__ import annotations

import pytest

from veche.privacy import Masker


@pytest.fixture(scope="module")
def rules() -> Masker:
    return Masker(use_ner=False)


@pytest.mark.parametrize(
    ("text", "secret", "placeholder"),
    [
        (
            "Звоните: восемь девятьсот двенадцать триста сорок пять шестьдесят семь восемьдесят девять.",
            "восемьдесят девять",
            "[ТЕЛЕФОН]",
        ),
        ("номер 8 912 триста сорок пять 67 89, после шести", "триста сорок", "[ТЕЛЕФОН]"),
        (
            "девять один шесть пятьсот пятьдесят пять сорок четыре тридцать три — мой",
            "пятьсот",
            "[ТЕЛЕФОН]",
        ),
        ("Мой номер 8.912.345.67.89, жду", "345.67", "[ТЕЛЕФОН]"),
        ("тел +7.961.555.44.33", "555.44", "[ТЕЛЕФОН]"),
        ("Пишите на ivanova(at)mail.ru, отвечу", "ivanova", "[EMAIL]"),
        ("почта petrov @ yandex.ru.", "petrov", "[EMAIL]"),
        ("olga.k собака gmail точка com — моя почта", "olga.k", "[EMAIL]"),
        ("anna_k [at] mail [dot] ru", "anna_k", "[EMAIL]"),
        ("Полис ОМС 7755 4410 2233 6677, отказали", "6677", "[ПОЛИС]"),
        ("номер полиса 5098799789000154", "5098799789000154", "[ПОЛИС]"),
        ("пишите vk.com/id123456", "id123456", "[АККАУНТ]"),
        ("мой телеграм @ivan_petrov88, напишите", "ivan_petrov88", "[АККАУНТ]"),
        ("страница https://vk.com/olga.smirnova.", "olga.smirnova", "[АККАУНТ]"),
        ("ok.ru/profile/571234567890 там", "571234567890", "[АККАУНТ]"),
        ("Пишет Olga Smirnova из Белгорода", "Smirnova", "[ИМЯ]"),
        ("Заявитель Petrov Ivan просит", "Petrov", "[ИМЯ]"),
    ],
)
def test_masked(rules: Masker, text: str, secret: str, placeholder: str) -> None:
    out = rules.mask(text).text
    assert secret not in out and placeholder in out, out


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("здравствуйте меня зовут иван сидоров хочу узнать про субсидию", "сидоров"),
        ("половина уходит на лекарства сергей тарасов Жду ответа!", "тарасов"),
        ("где льготное протезирование? давыдов т.д.", "давыдов"),
        ("я из мсоквы залесская в. е.", "залесская"),
        ("ya iz Yakutska Nesterova A.E. Очень прошу ответить.", "Nesterova"),
        ("pochemu tak? roman vasilevich grishin", "grishin"),
        ("goroda. panova olga aleksandrovna", "panova"),
        ("My name is Gennadiy Medvedev, I am 71 years old.", "Medvedev"),
    ],
)
def test_lower_case_and_latin_names_in_a_sentence(masker: Masker, text: str, secret: str) -> None:
    out = masker.mask(text).text
    assert secret not in out and "[ИМЯ]" in out, out


@pytest.mark.parametrize(
    "text",
    [
        "На собрании 12.03.2024 обсуждали тариф 4.5 руб. и долги 1.250.000 руб.",
        "Версия 2.10.3 приложения не работает, а WhatsApp и Telegram работают.",
        "Бездомная собака укусила ребёнка, точка продажи шаурмы закрыта.",
        "пять минут назад два автобуса и сорок человек на остановке",
        "Полис ОСАГО продлили, а страховая не платит.",
        "Курс доллара 92.45 руб., инфляция 7.4%.",
        "Apple Macbook Pro сломался, гарантия не работает",
    ],
)
def test_not_masked(rules: Masker, text: str) -> None:
    assert rules.mask(text).text == text
