"""Check digits of Russian personal identifiers and bank cards.

Every function takes a string and looks only at its digits (spaces, dashes and other
separators are ignored), so ``snils_valid("112-233-445 95")`` and ``snils_valid("11223344595")``
agree. A wrong number of digits is simply invalid.
"""

from __future__ import annotations

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def digits_of(value: str) -> str:
    """The ASCII digits of ``value``, in order."""
    return "".join(ch for ch in value if "0" <= ch <= "9")


def snils_checksum(first9: str) -> int:
    """The two-digit control number of a SNILS whose first nine digits are ``first9``."""
    total = sum(int(d) * w for d, w in zip(first9, range(9, 0, -1), strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    check = total % 101
    return 0 if check == 100 else check


def snils_valid(value: str) -> bool:
    """SNILS (страховой номер индивидуального лицевого счёта): 11 digits, last two = checksum.

    The control number is only defined for numbers above 001-001-998; smaller ones are invalid.
    """
    d = digits_of(value)
    if len(d) != 11:
        return False
    if int(d[:9]) <= 1001998:
        return False
    return snils_checksum(d[:9]) == int(d[9:])


def _inn_digit(d: str, weights: tuple[int, ...]) -> int:
    return sum(int(x) * w for x, w in zip(d, weights, strict=False)) % 11 % 10


def inn_valid(value: str) -> bool:
    """INN (ИНН): 10 digits (organisation) or 12 digits (person) with valid control digits."""
    d = digits_of(value)
    if len(d) == 10:
        return _inn_digit(d, _INN10_WEIGHTS) == int(d[9])
    if len(d) == 12:
        return _inn_digit(d, _INN12_WEIGHTS_1) == int(d[10]) and _inn_digit(
            d, _INN12_WEIGHTS_2
        ) == int(d[11])
    return False


def luhn_valid(value: str) -> bool:
    """Luhn (mod 10) check over all digits of ``value``; fewer than 2 digits is invalid."""
    d = digits_of(value)
    if len(d) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = ord(ch) - 48
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def card_prefix_plausible(digits: str) -> bool:
    """Whether ``digits`` starts like a payment card of a real scheme.

    Mir 2200-2204, Mastercard 2221-2720 and 51-55, Visa 4, Amex 34/37, JCB 35, Diners 30/36/38,
    Maestro 50/56-58/6x, UnionPay 62. Years ("2019 2020 2021 2022") and most other digit runs
    fail this even when they happen to pass Luhn.
    """
    if len(digits) < 4:
        return False
    first = digits[0]
    if first == "4":
        return True
    if first == "2":
        p4 = int(digits[:4])
        return 2200 <= p4 <= 2204 or 2221 <= p4 <= 2720
    if first == "3":
        return digits[1] in "04578"
    if first == "5":
        return digits[1] in "012345678"
    return first == "6"


def card_valid(value: str) -> bool:
    """A payment card number: 13-19 digits, a plausible scheme prefix and a valid Luhn digit."""
    d = digits_of(value)
    return 13 <= len(d) <= 19 and card_prefix_plausible(d) and luhn_valid(d)
