"""A 1 MB text, and adversarial inputs, go through every function (in reasonable time: the time
bounds are slow-tier tests, since a wall-clock bound fails on a loaded machine; throughput is
measured by bench/text_speed.py)."""

from __future__ import annotations

import time

import pytest

from veche.text import Lemmatizer, clean_text, dedup_key, detect_languages

PARAGRAPH = (
    "<p>Здравствуйте! Когда проиндексируют пенсии работающим пенсионерам?&nbsp;Цены растут, "
    "а пенсия 15 000 руб. — на лекарства не хватает 🙏</p>\n"
    "Почему в нашем посёлке нет врача, а дорогу не ремонтируют уже пятый год?\n"
)


def _megabyte(unit: str) -> str:
    return unit * (1_000_000 // len(unit) + 1)


def test_one_megabyte_text() -> None:
    big = _megabyte(PARAGRAPH)
    cleaned = clean_text(big)
    key = dedup_key(big)
    lang = detect_languages([cleaned])[0]
    lemmas = Lemmatizer().lemmas(cleaned, lang)
    assert "<p>" not in cleaned and "&nbsp;" not in cleaned
    assert lang == "ru"
    assert key.startswith("когда проиндексируют пенсии")
    assert "пенсия" in lemmas


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    ["<", "&", "a.", "<div ", '<p class="x ', ", ", "\u200d", "[", "С уважением, ", "--\n", "a@"],
)
def test_adversarial_inputs_are_linear(unit: str) -> None:
    text = unit * (200_000 // len(unit))
    t0 = time.perf_counter()
    clean_text(text)
    dedup_key(text)
    detect_languages([text])
    elapsed = time.perf_counter() - t0
    assert elapsed < 5, f"{unit!r}: {elapsed:.1f} s"
