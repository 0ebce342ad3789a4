from __future__ import annotations

import pytest

from veche.privacy.checksums import (
    card_prefix_plausible,
    card_valid,
    digits_of,
    inn_valid,
    luhn_valid,
    snils_checksum,
    snils_valid,
)


def test_digits_of() -> None:
    assert digits_of("+7 (912) 345-67-89") == "79123456789"


@pytest.mark.parametrize(
    "value", ["112-233-445 95", "11223344595", "186-091-390 90", "083-016-613 36"]
)
def test_snils_valid(value: str) -> None:
    assert snils_valid(value)


@pytest.mark.parametrize(
    "value",
    ["112-233-445 96", "123-456-789 00", "1122334459", "112233445950", "001-001-998 00", ""],
)
def test_snils_invalid(value: str) -> None:
    assert not snils_valid(value)


def test_snils_checksum_edge_cases() -> None:
    assert snils_checksum("112233445") == 95
    assert snils_checksum("920000100") == 0  # weighted sum 100 -> 00
    assert snils_checksum("920001000") == 0  # weighted sum 101 -> 00
    assert snils_checksum("999000000") == 216 % 101  # above 101: the remainder mod 101


@pytest.mark.parametrize("value", ["7707083893", "500100732259", "0313721593", "139624595759"])
def test_inn_valid(value: str) -> None:
    assert inn_valid(value)


@pytest.mark.parametrize("value", ["7707083894", "500100732250", "160512345678", "12345", ""])
def test_inn_invalid(value: str) -> None:
    assert not inn_valid(value)


def test_luhn() -> None:
    assert luhn_valid("4111 1111 1111 1111")
    assert luhn_valid("79927398713")
    assert not luhn_valid("4111 1111 1111 1112")
    assert not luhn_valid("7")


def test_card_valid() -> None:
    assert card_valid("2200 7612 2202 9721")  # Mir
    assert card_valid("4276-8263-3043-4835")  # Visa
    assert not card_valid("4276 1234 5678 9013")  # bad Luhn
    assert not card_valid("8000 0000 0000 0009")  # no scheme starts with 8
    assert not card_valid("4111 1111 1111")  # too short


def test_card_prefix() -> None:
    assert card_prefix_plausible("2202")
    assert not card_prefix_plausible("2019")  # years are not Mir cards
    assert card_prefix_plausible("5469")
    assert not card_prefix_plausible("1234")
