"""dedup_key: the canonical form used for exact and near-duplicate detection."""

from __future__ import annotations

import pytest

from veche.text import dedup_key

BASE = "когда проиндексируют пенсии работающим пенсионерам"


@pytest.mark.parametrize(
    "variant",
    [
        "Когда проиндексируют пенсии работающим пенсионерам?",
        "КОГДА ПРОИНДЕКСИРУЮТ ПЕНСИИ РАБОТАЮЩИМ ПЕНСИОНЕРАМ!!!",
        "когда   проиндексируют\nпенсии,\tработающим пенсионерам",
        "Когда проиндексируют пенсии работающим пенсионерам 🙏🏻😡",
        "«Когда» проиндексируют пенсии — работающим пенсионерам...",
        "<p>Когда&nbsp;проиндексируют пенсии работающим пенсионерам?</p>",
        "Когда проиндексируют пенсии работающим пенсионерам?\n\nОтправлено с iPhone",
        "Когда проиндексируют пе́нсии работающим пенсионерам?",  # stress mark
        "Когда проиндексируют пенсии работающим пенсионерам? [ИМЯ] [ТЕЛЕФОН]",
        "Когда проиндексируют пенсиu работающим пенсионерам?".replace("u", "и"),
        "Когда проиндексирyют пенсии работающим пенсиoнерам?",  # Latin y and o lookalikes
    ],
)
def test_equal_for_surface_variants(variant: str) -> None:
    assert dedup_key(variant) == BASE


def test_yo_folded() -> None:
    assert dedup_key("Ещё ребёнок, всё") == dedup_key("еще ребенок все") == "еще ребенок все"


@pytest.mark.parametrize(
    "variant",
    [
        "Здравствуйте! Когда проиндексируют пенсии работающим пенсионерам? Спасибо.",
        "Добрый день. Когда проиндексируют пенсии работающим пенсионерам? Заранее спасибо!",
        "Здравствуйте, Владимир Владимирович! Когда проиндексируют пенсии работающим пенсионерам?",
        "Уважаемый Президент! Когда проиндексируют пенсии работающим пенсионерам? Жду ответа.",
        "здравствуйте когда проиндексируют пенсии работающим пенсионерам спасибо",
        "Когда проиндексируют пенсии работающим пенсионерам? Спасибо за ответ. С уважением, [ИМЯ]",
    ],
)
def test_greetings_and_closings_at_edges_dropped(variant: str) -> None:
    assert dedup_key(variant) == BASE


def test_edges_can_be_kept() -> None:
    key = dedup_key("Здравствуйте! Когда газ? Спасибо.", edges=False)
    assert key == "здравствуйте когда газ спасибо"


def test_greeting_inside_text_kept() -> None:
    assert dedup_key("Когда газ? Спасибо, что спросили, но ответа нет") == (
        "когда газ спасибо что спросили но ответа нет"
    )
    assert dedup_key("Уважаемые соседи жалуются: когда газ?") != dedup_key("когда газ")


def test_greeting_only_text_keeps_greeting() -> None:
    assert dedup_key("Здравствуйте!") == "здравствуйте"
    assert dedup_key("Спасибо!!!") == "спасибо"


def test_digits_kept() -> None:
    assert dedup_key("Пенсия 15 000 руб.") == "пенсия 15 000 руб"
    assert dedup_key("Пенсия 15 000 руб.") != dedup_key("Пенсия 16 000 руб.")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Когда проиндексируют пенсии?", "Когда проиндексируют зарплаты?"),
        ("Когда будет газ?", "Когда не будет газа?"),
        ("Почему закрыли школу?", "Почему закрыли больницу?"),
        ("When will pensions rise?", "When will taxes rise?"),
    ],
)
def test_different_texts_differ(a: str, b: str) -> None:
    assert dedup_key(a) != dedup_key(b)


@pytest.mark.parametrize("text", ["", " ", "\n\t", "!!!", "🙏🙏", "[ИМЯ]", "<br>"])
def test_empty_like_input(text: str) -> None:
    assert dedup_key(text) == ""


def test_idempotent() -> None:
    key = dedup_key("Здравствуйте! Когда газ в Ёлкино? Спасибо 🙏")
    assert dedup_key(key) == key
