"""Template machinery shared by the content modules.

A template is a Russian (or other) string with two kinds of holes:

* ``{slot}`` -- filled by :class:`Slots` (amounts, ages, villages, the sender's location...);
  ``{проработал|проработала}`` picks the masculine or feminine form by the sender's gender;
* ``<<KIND>>`` -- a piece of personal data (a name, phone, SNILS...) produced by
  :mod:`veche.demo.people` and recorded in the ground truth exactly as it lands in the text.

Templates are compiled once at import into tuples of ``(text, kind)`` parts: ``kind`` is
``None`` for plain text, ``FMT`` for text with ``{slots}`` and a PII kind name otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from veche.text.plural import plural

FMT = "fmt"
_PII_RE = re.compile(r"<<([A-Z0-9_]+)>>")
_SENT_RE = re.compile(r"(?<=[.!?])\s+")

Part = tuple[str, str | None]
Tpl = tuple[Part, ...]


def compile_tpl(s: str) -> Tpl:
    parts: list[Part] = []
    pos = 0
    for m in _PII_RE.finditer(s):
        if m.start() > pos:
            lit = s[pos : m.start()]
            parts.append((lit, FMT if "{" in lit else None))
        parts.append(("", m.group(1)))
        pos = m.end()
    if pos < len(s):
        lit = s[pos:]
        parts.append((lit, FMT if "{" in lit else None))
    return tuple(parts)


def first_sentence(s: str, min_chars: int = 50) -> str:
    """The first sentence(s) of a template, at least ``min_chars`` long (what an SMS keeps)."""
    out = ""
    for piece in _SENT_RE.split(s):
        out = f"{out} {piece}" if out else piece
        if len(out) >= min_chars:
            break
    return out


@dataclass
class Sub:
    """One specific issue (``subissue``) of a theme with its wordings."""

    id: str
    weight: float
    cores: list[str]
    details: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # genitive: "по вопросу ..."
    asks: list[str] = field(default_factory=list)  # infinitive: "Прошу ..."
    reports: list[str] = field(default_factory=list)  # third person: "сообщает, что ..."
    urgency: str = ""  # set on urgent wordings only
    female: float | None = None  # share of women among senders, when it differs from usual

    @property
    def theme(self) -> str:
        return self.id.split(".", 1)[0]


class CompiledSub:
    """A :class:`Sub` with every template compiled, ready for the composer."""

    __slots__ = (
        "id",
        "theme",
        "urgency",
        "cores",
        "short",
        "details",
        "topics",
        "asks",
        "reports",
        "female",
    )

    def __init__(self, sub: Sub):
        self.id = sub.id
        self.theme = sub.theme
        self.urgency = sub.urgency
        self.cores = [compile_tpl(c) for c in sub.cores]
        self.short = [compile_tpl(first_sentence(c)) for c in sub.cores]
        self.details = [compile_tpl(c) for c in sub.details]
        self.topics = list(sub.topics) or [sub.id]
        self.asks = list(sub.asks)
        self.reports = list(sub.reports)
        self.female = sub.female


def years(n: int) -> str:
    return f"{n} {plural(n, 'год', 'года', 'лет')}"


def money(v: int, R) -> str:
    """A rouble amount as people type it: "18 540", "18540", "18,5 тыс."."""
    x = R.random()
    if x < 0.6 or v < 1000:
        return f"{v:,}".replace(",", " ")
    if x < 0.85:
        return str(v)
    if v % 1000 == 0:
        return f"{v // 1000} тыс."
    return f"{v / 1000:.1f}".replace(".", ",") + " тыс."
