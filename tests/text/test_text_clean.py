"""clean_text: HTML remnants, invisible characters, whitespace, boilerplate."""

from __future__ import annotations

import pytest

from veche.text import clean_text, strip_html

# --- HTML -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Когда<br>пенсия?", "Когда\nпенсия?"),
        ("Когда<br/>пенсия?<BR />Спасибо", "Когда\nпенсия?\nСпасибо"),
        ("<p>Здравствуйте!</p><p>Когда пенсия?</p>", "Здравствуйте!\nКогда пенсия?"),
        ('<div class="msg" id=x>текст <b>жирный</b> <i>курсив</i></div>', "текст жирный курсив"),
        (
            '<span style="color:red"><font face="Arial">вложенный <u>текст</u></font></span>',
            "вложенный текст",
        ),
        ("<o:p></o:p>Вопрос из Word<o:p></o:p>", "Вопрос из Word"),
        ("<!-- комментарий -->текст<!--[if gte mso 9]><xml>x</xml><![endif]-->", "текст"),
        ("<script>alert(1)</script>вопрос<style>p{color:red}</style>", "вопрос"),
        ('<a href="https://example.ru">ссылка</a> тут', "ссылка тут"),
        ("<ul><li>один</li><li>два</li></ul>", "один\nдва"),
        # an export that quotes attributes with backticks (the Kursk incident centre's)
        (
            "<p style=`margin:0;`><span style=`background-color:rgb(255,255,255);`>Яма</span></p>",
            "Яма",
        ),
    ],
)
def test_tags_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('текст <div class="broken" ', "текст"),
        ("текст <p", "текст"),
        ('<div class="a"текст дальше', '<div class="a"текст дальше'),  # unrecoverable: left as is
        ("начало <span style='x' <b>жирный</b>", "начало жирный"),
        ("текст <span style=`color:red", "текст"),
    ],
)
def test_broken_tags(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "температура <0 уже неделю",
        "если a<b и c>d, то что?",
        "зарплата < 20000 руб., а пенсия > 10000",
        "стрелка <- сюда",
        "мое имя <ИМЯ>, телефон <ТЕЛЕФОН>",
        "x <y> z",
    ],
)
def test_text_with_angle_brackets_is_kept(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Когда&nbsp;пенсия?", "Когда пенсия?"),
        ("&quot;Газпром&quot; &amp; компания", '"Газпром" & компания'),
        ("&#171;Ёлки&#187; и &laquo;палки&raquo;", "«Ёлки» и «палки»"),
        ("&#x2014; тире", "— тире"),
        ("двойное&amp;nbsp;экранирование", "двойное экранирование"),
        ("&lt;br&gt; как текст", "<br> как текст"),
        ("AT&T, R&D, Procter&Gamble, &notice", "AT&T, R&D, Procter&Gamble, &notice"),
        ("&nbsp без точки с запятой", "без точки с запятой"),
        ("&unknownentity; остаётся", "&unknownentity; остаётся"),
    ],
)
def test_entities(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_strip_html_keeps_whitespace_for_caller() -> None:
    assert strip_html("a<br>b") == "a\nb"


# --- invisible characters, unicode, whitespace -------------------------------------------------


def test_zero_width_and_control_chars_removed() -> None:
    raw = "\ufeffпен\u200bсия\u00ad \u200eвопрос\x07\x00 \u2060тут"
    assert clean_text(raw) == "пенсия вопрос тут"


def test_zwj_kept_inside_emoji_sequence_only() -> None:
    family = "👨\u200d👩\u200d👧"
    assert clean_text(f"семья {family} ждёт") == f"семья {family} ждёт"
    assert clean_text("пен\u200dсия") == "пенсия"


def test_nfc() -> None:
    decomposed = "И\u0306ошкар-Ола, е\u0308лка"  # Й and ё as base letter + combining mark
    assert clean_text(decomposed) == "Йошкар-Ола, ёлка"


def test_whitespace_conventions() -> None:
    raw = "  Первая\tстрока  \r\nвторая\u00a0строка\u3000\n\n\n\n  третий абзац  \u2028конец "
    assert clean_text(raw) == "Первая строка\nвторая строка\n\nтретий абзац\nконец"


@pytest.mark.parametrize("text", ["", " ", "\n\t \u00a0\u200b ", "<br><p></p>", "&nbsp;"])
def test_empty_and_whitespace_only(text: str) -> None:
    assert clean_text(text) == ""


def test_emoji_and_placeholders_kept() -> None:
    text = "Меня зовут [ИМЯ], телефон [ТЕЛЕФОН] 🙏🏻👍 когда газ?"
    assert clean_text(text) == text


def test_fast_path_returns_plain_text_unchanged() -> None:
    text = "Когда проиндексируют пенсии работающим пенсионерам?"
    assert clean_text(text) == text


def test_idempotent() -> None:
    raw = '<p>Когда&nbsp;газ?</p>\n\n\n<div class="x">Спасибо</div>\n\nОтправлено с iPhone'
    once = clean_text(raw)
    assert clean_text(once) == once


# --- boilerplate -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sig",
    [
        "Отправлено с iPhone",
        "Отправлено с моего iPhone",
        "Sent from my iPhone",
        "Sent from my Samsung Galaxy smartphone.",
        "Отправлено из мобильной Почты Mail.ru",
        "Отправлено из приложения Яндекс Почта для Android",
        "Get Outlook for Android",
        "Надіслано з iPhone",
    ],
)
def test_sent_from_device_removed(sig: str) -> None:
    assert clean_text(f"Когда проиндексируют пенсии?\n\n{sig}") == "Когда проиндексируют пенсии?"
    assert clean_text(f"Когда проиндексируют пенсии? {sig}") == "Когда проиндексируют пенсии?"


def test_sent_from_only_is_empty() -> None:
    assert clean_text("Отправлено с iPhone") == ""


@pytest.mark.parametrize(
    "text",
    [
        "Отправлено из почты России письмо, ответа нет.",
        "Заявление отправлено с телефона мамы, потому что у меня нет интернета, когда проведут?",
        "Письмо было отправлено из приемной губернатора в наш район, ответа нет",
    ],
)
def test_sent_from_like_content_kept(text: str) -> None:
    assert clean_text(text) == text


def test_trailing_signature_after_delimiter_removed() -> None:
    raw = "Когда отремонтируют дорогу?\n-- \nС уважением, Иван Петров\nтел. [ТЕЛЕФОН]"
    assert clean_text(raw) == "Когда отремонтируют дорогу?"


def test_delimiter_in_the_middle_with_long_tail_kept() -> None:
    body = "\n".join(f"строка {i} важного текста" for i in range(15))
    raw = f"Начало\n--\n{body}"
    assert clean_text(raw) == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Прошу помочь с газом.\nС уважением, Иван Петров", "Прошу помочь с газом."),
        ("Прошу помочь с газом. С уважением, Иван Петров, тел. [ТЕЛЕФОН]", "Прошу помочь с газом."),
        ("Help with gas please.\n\nBest regards,\nJohn Smith", "Help with gas please."),
        ("Допоможіть з газом.\nЗ повагою, Олена", "Допоможіть з газом."),
    ],
)
def test_trailing_closing_block_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "С уважением к ветеранам, прошу поднять им пенсии.",
        "Отношусь с уважением к вашей работе. Когда будет газ?",
        "Спасибо.\nС уважением,\nИван. P.S. А почему до сих пор нет газа?",
    ],
)
def test_closing_that_is_content_kept(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Текст обращения: когда будет газ?", "когда будет газ?"),
        ("Текст обращения:\nкогда будет газ?", "когда будет газ?"),
        ("ФИО: [ИМЯ]\nТекст вопроса: когда будет газ?", "ФИО: [ИМЯ]\nкогда будет газ?"),
        ("Вопрос: почему дорогой бензин?", "почему дорогой бензин?"),
        ("Question: why is petrol so expensive?", "why is petrol so expensive?"),
    ],
)
def test_form_labels_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_label_word_inside_content_kept() -> None:
    text = "У меня вопрос: почему закрыли школу? Текст обращения прилагаю."
    assert clean_text(text) == text


def test_missing_values_give_empty_text() -> None:
    assert clean_text(None) == ""  # type: ignore[arg-type]
    assert clean_text(float("nan")) == ""  # type: ignore[arg-type]
