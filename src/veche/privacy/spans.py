"""Plain data types shared by the detectors, the masker and the evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field

PER = "PER"
PHONE = "PHONE"
EMAIL = "EMAIL"
ADDRESS = "ADDRESS"
PASSPORT = "PASSPORT"
SNILS = "SNILS"
INN = "INN"
CARD = "CARD"
OMS = "OMS"  # compulsory medical insurance policy (полис ОМС), 16 digits
SOCIAL = "SOCIAL"  # a social-network handle or profile link

#: every type the masker knows, mapped to the placeholder that replaces it
PII_PLACEHOLDERS: dict[str, str] = {
    PER: "[ИМЯ]",
    PHONE: "[ТЕЛЕФОН]",
    EMAIL: "[EMAIL]",
    ADDRESS: "[АДРЕС]",
    PASSPORT: "[ПАСПОРТ]",
    SNILS: "[СНИЛС]",
    INN: "[ИНН]",
    CARD: "[КАРТА]",
    OMS: "[ПОЛИС]",
    SOCIAL: "[АККАУНТ]",
}

ALL_TYPES: frozenset[str] = frozenset(PII_PLACEHOLDERS)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` of the ORIGINAL text and its PII type."""

    start: int
    end: int
    type: str

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self) -> dict[str, int | str]:
        return {"start": self.start, "end": self.end, "type": self.type}

    @classmethod
    def from_dict(cls, d: dict) -> Span:
        return cls(int(d["start"]), int(d["end"]), str(d["type"]))


@dataclass(slots=True)
class Masked:
    """A masked text and the spans (offsets into the original text) that were replaced."""

    text: str
    spans: list[Span] = field(default_factory=list)
