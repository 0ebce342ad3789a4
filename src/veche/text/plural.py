"""Russian number agreement for words shown to people ("1 сообщение", "3 сообщения", "5 сообщений")."""

from __future__ import annotations


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form for ``n``: 1, 21 -> ``one``; 2-4, 22-24 -> ``few``; 0, 5-20, 25 -> ``many``."""
    n10, n100 = abs(n) % 10, abs(n) % 100
    if n10 == 1 and n100 != 11:
        return one
    if 2 <= n10 <= 4 and not 12 <= n100 <= 14:
        return few
    return many
