"""The masker: API, substitution, offsets, overlaps, batches, edge cases."""

from __future__ import annotations

import time

import pytest

from veche.privacy import PII_PLACEHOLDERS, Masked, Masker, Span, resolve_spans, substitute


def test_placeholders_cover_all_types() -> None:
    assert PII_PLACEHOLDERS == {
        "PER": "[ИМЯ]",
        "PHONE": "[ТЕЛЕФОН]",
        "EMAIL": "[EMAIL]",
        "ADDRESS": "[АДРЕС]",
        "PASSPORT": "[ПАСПОРТ]",
        "SNILS": "[СНИЛС]",
        "INN": "[ИНН]",
        "OMS": "[ПОЛИС]",
        "SOCIAL": "[АККАУНТ]",
        "CARD": "[КАРТА]",
    }


def test_mask_example(masker: Masker) -> None:
    out = masker.mask("Меня зовут Иванова Мария Петровна, телефон 8 912 345-67-89")
    assert isinstance(out, Masked)
    assert out.text == "Меня зовут [ИМЯ], телефон [ТЕЛЕФОН]"
    assert [s.type for s in out.spans] == ["PER", "PHONE"]


def test_substitution_keeps_the_rest_and_offsets_are_original(masker: Masker) -> None:
    text = (
        "Заявитель Петрова А.С. ([[x]]) проживает: г. Курск, ул. Ленина, д. 5, кв. 12; "
        "e-mail petrova@mail.ru, СНИЛС 112-233-445 95. Пенсия 15 000 руб."
    )
    out = masker.mask(text)
    # rebuild the masked text from the original and the spans
    rebuilt, pos = [], 0
    for s in out.spans:
        assert 0 <= s.start < s.end <= len(text)
        rebuilt.append(text[pos : s.start])
        rebuilt.append(PII_PLACEHOLDERS[s.type])
        pos = s.end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == out.text
    assert [text[s.start : s.end] for s in out.spans] == [
        "Петрова А.С.",
        "ул. Ленина, д. 5, кв. 12",
        "petrova@mail.ru",
        "112-233-445 95",
    ]
    assert out.text == (
        "Заявитель [ИМЯ] ([[x]]) проживает: г. Курск, [АДРЕС]; "
        "e-mail [EMAIL], СНИЛС [СНИЛС]. Пенсия 15 000 руб."
    )


def test_empty_and_plain_texts(masker: Masker) -> None:
    assert masker.mask("") == Masked("", [])
    assert masker.mask_many([]) == []
    plain = "Почему в Курской области нет газа в сёлах?"
    assert masker.mask(plain) == Masked(plain, [])


def test_none_and_nan_are_empty(masker: Masker) -> None:
    out = masker.mask_many([None, float("nan"), "тел 89123456789"])  # type: ignore[list-item]
    assert [o.text for o in out] == ["", "", "тел [ТЕЛЕФОН]"]


def test_batch_keeps_order_and_repeats(masker: Masker) -> None:
    texts = ["тел 89123456789", "без данных", "тел 89123456789", "ivan@mail.ru"] * 50
    out = masker.mask_many(texts)
    assert len(out) == len(texts)
    assert [o.text for o in out[:4]] == ["тел [ТЕЛЕФОН]", "без данных", "тел [ТЕЛЕФОН]", "[EMAIL]"]
    # repeated texts give equal but independent results
    assert out[0] == out[2] and out[0].spans is not out[2].spans
    out[0].spans.clear()
    assert out[2].spans


def test_cache_across_calls() -> None:
    m = Masker(use_ner=False, cache_size=2)
    a = m.mask("тел 89123456789")
    b = m.mask("тел 89123456789")
    assert a == b
    m.mask_many(["x 1", "y 2", "z 3"])
    assert len(m._cache) <= 2


def test_types_selection() -> None:
    text = "Иванов Иван Иванович, тел 89123456789, ivan@mail.ru"
    only_phone = Masker(types={"PHONE"}, use_ner=False).mask(text)
    assert only_phone.text == "Иванов Иван Иванович, тел [ТЕЛЕФОН], ivan@mail.ru"
    with pytest.raises(ValueError, match="unknown PII types"):
        Masker(types={"PHONE", "NAME"})


def test_use_ner_false_still_finds_rule_names() -> None:
    out = Masker(use_ner=False).mask("меня зовут ольга тел 89201234567")
    assert out.text == "меня зовут [ИМЯ] тел [ТЕЛЕФОН]"


def test_overlap_resolution_priority_and_trimming() -> None:
    text = "ул. Ленина, д. 5 Иванов"
    spans = [
        Span(0, 16, "ADDRESS"),
        Span(4, 10, "PER"),  # "Ленина" inside the address: dropped
        Span(12, 23, "PER"),  # overlaps the address: trimmed to "Иванов"
    ]
    assert resolve_spans(text, spans) == [Span(0, 16, "ADDRESS"), Span(17, 23, "PER")]


def test_overlap_numbers_are_not_trimmed() -> None:
    text = "ivan89123456789@mail.ru"
    spans = [Span(0, len(text), "EMAIL"), Span(4, 15, "PHONE")]
    assert resolve_spans(text, spans) == [Span(0, len(text), "EMAIL")]


def test_adjacent_same_type_spans_merge() -> None:
    text = "Иванов Иван Иванович, Петров"
    spans = [Span(0, 6, "PER"), Span(7, 20, "PER"), Span(22, 28, "PER")]
    assert resolve_spans(text, spans) == [Span(0, 20, "PER"), Span(22, 28, "PER")]
    assert substitute(text, resolve_spans(text, spans)) == "[ИМЯ], [ИМЯ]"


def test_nested_and_duplicate_spans() -> None:
    text = "Иванов Иван"
    spans = [Span(0, 11, "PER"), Span(0, 6, "PER"), Span(0, 11, "PER")]
    assert resolve_spans(text, spans) == [Span(0, 11, "PER")]


def test_one_megabyte_text(masker: Masker) -> None:
    base = (
        "Заявитель Петрова А.С. сообщает, что на ул. Ленина, д. 5 нет воды. "
        "Тел. 8-912-345-67-89, пенсия 15 000 руб. "
    )
    text = (base * (1_000_000 // len(base) + 1))[:1_000_000]
    out = masker.mask(text)
    assert "89123456789" not in out.text and "Петрова" not in out.text
    assert out.text.count("[ТЕЛЕФОН]") >= 1_000_000 // len(base) - 1


@pytest.mark.slow  # a wall-clock bound: fails on a loaded machine, so not in the fast tier
@pytest.mark.parametrize("text", ["1" * 200_000, "12 " * 70_000, "Иванов " * 30_000, "а" * 200_000])
def test_degenerate_long_texts(rules_masker: Masker, text: str) -> None:
    t = time.perf_counter()
    rules_masker.mask(text)
    assert time.perf_counter() - t < 10
