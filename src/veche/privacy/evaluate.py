"""Span-level precision and recall of the masker, and the labelling conventions behind them.

Labelling conventions (``tests/privacy/data/masking_gold.jsonl`` follows them; so should any
other gold set scored against the masker):

PER
    Every person's name is personal data: the author's, relatives', officials' and public
    figures' ("Передайте Путину"), and the addressee's ("Владимир Владимирович"). The span covers
    the name parts only -- surname, first name, patronymic, initials ("Петрова А.С.") -- not titles
    or kinship words ("гражданка", "Mr.", "тётя", "мама"). Person names that are part of the name
    of a street, institution, monument, prize or place are NOT personal data: "ул. Ленина",
    "больница им. Пирогова", "памятник Пушкину", "Храм Святого Николая", "Дед Мороз".
ADDRESS
    The street part of a postal address, from the street keyword (or the street name when the
    keyword follows it, "Лесная ул., 5") to the last house / building / flat / office number:
    "ул. Ленина, д. 5, кв. 12", "проспект Мира 14-3", "дома № 8 по ул. Пушкина". Region, city,
    district and postal code are NOT masked ("305000, г. Курск," stays). A street named without a
    house number is not an address ("на улице Ленина нет света"). A house with a flat and no
    street ("д. 5, кв. 12") is an address; a flat alone ("сосед из кв. 12") is not. In villages
    without streets only the house part is masked ("д. Петровка, [д. 15]"). Any street address
    with a number is masked, also an office's: the masker cannot tell a home from an office.
PHONE
    Personal phone numbers in any format, from "+" or the first digit to the last digit
    ("+7 (4712) 51-23-64", "89123456789", local "23-45-67" after "тел."). Short service numbers
    (112, 122, 09) and 8-800 hotlines are NOT personal data.
EMAIL
    Every e-mail address (a personal address cannot be told from an organisation's).
PASSPORT
    Series and number with whatever stands between them ("45 12 345678", "4512 номер 345678",
    "46 08 № 123987"), without the word "паспорт"/"серия". Other documents written as
    "серия NNNN номер NNNNNN" (driving licences) are masked as PASSPORT too.
SNILS / INN / CARD
    The number as written. Without a keyword a number is labelled only when its check digits are
    valid (and, for cards, the prefix is a real scheme's). After an explicit keyword ("СНИЛС",
    "ИНН", "карта") a number of the right length is labelled even with a wrong check digit: it is
    someone's identifier with a typo, and masking it is the safe side. A SNILS written in its
    own shape "NNN-NNN-NNN NN" is masked whatever its checksum. INNs of organisations are labelled
    too (the masker cannot tell them from a person's). Numbers after "лицевой счёт", "заявка",
    "заказ", "ОГРН", "КПП", "р/с" ... are not these types.
Hard negatives (no span): sums ("15 000 руб."), years, dates, times, counts ("120 квартир"),
    tariffs, article and law numbers, cadastral and order numbers, region/city/district names.

Scores (:func:`score`):

* per type and micro-averaged over types: with ``match="overlap"`` a predicted span is a true
  positive if it overlaps a gold span of the same type (precision), and a gold span is found if
  a predicted span of its type overlaps it (recall); with ``match="exact"`` start, end and type
  must all agree;
* ``masked``: type-agnostic, per character -- which gold characters were masked at all (recall),
  which masked characters were gold (precision), and the share of gold spans masked completely.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from .spans import ALL_TYPES, Span

ORDER = ("PER", "ADDRESS", "PHONE", "EMAIL", "PASSPORT", "SNILS", "INN", "CARD", "OMS", "SOCIAL")


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float | int]:
    p = tp_pred / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp_gold / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": f,
        "n_gold": n_gold,
        "n_pred": n_pred,
        "tp_pred": tp_pred,
        "tp_gold": tp_gold,
    }


def _matches(a: Span, b: Span, match: str) -> bool:
    if a.type != b.type:
        return False
    if match == "exact":
        return a.start == b.start and a.end == b.end
    return a.start < b.end and b.start < a.end


def _chars(spans: Iterable[Span]) -> set[int]:
    out: set[int] = set()
    for s in spans:
        out.update(range(s.start, s.end))
    return out


def score(
    gold: Sequence[Sequence[Span]],
    pred: Sequence[Sequence[Span]],
    match: str = "overlap",
) -> dict:
    """Per-type, micro and type-agnostic ("masked") precision / recall / F1.

    ``gold`` and ``pred`` hold one list of spans per text, in the same order.
    """
    if match not in ("overlap", "exact"):
        raise ValueError("match must be 'overlap' or 'exact'")
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold texts but {len(pred)} predicted")
    counts: dict[str, list[int]] = {}  # type -> [tp_pred, n_pred, tp_gold, n_gold]
    gold_chars = pred_chars = both_chars = 0
    full_spans = 0
    n_gold_spans = 0
    for g_spans, p_spans in zip(gold, pred, strict=True):
        for p in p_spans:
            c = counts.setdefault(p.type, [0, 0, 0, 0])
            c[1] += 1
            if any(_matches(p, g, match) for g in g_spans):
                c[0] += 1
        for g in g_spans:
            c = counts.setdefault(g.type, [0, 0, 0, 0])
            c[3] += 1
            if any(_matches(g, p, match) for p in p_spans):
                c[2] += 1
        gc, pc = _chars(g_spans), _chars(p_spans)
        gold_chars += len(gc)
        pred_chars += len(pc)
        both_chars += len(gc & pc)
        for g in g_spans:
            n_gold_spans += 1
            if all(i in pc for i in range(g.start, g.end)):
                full_spans += 1
    per_type = {}
    for t in sorted(counts, key=lambda t: (ORDER.index(t) if t in ORDER else 99, t)):
        per_type[t] = _prf(*counts[t])
    tot = [sum(c[i] for c in counts.values()) for i in range(4)]
    micro = _prf(*tot)
    masked = _prf(both_chars, pred_chars, both_chars, gold_chars)
    masked["spans_fully_masked"] = full_spans / n_gold_spans if n_gold_spans else 1.0
    return {
        "match": match,
        "n_texts": len(gold),
        "per_type": per_type,
        "micro": micro,
        "masked": masked,
    }


def load_gold(path: str | Path) -> tuple[list[str], list[list[Span]]]:
    """Texts and gold spans of a JSONL file of ``{"text": ..., "spans": [{start, end, type}]}``."""
    texts: list[str] = []
    spans: list[list[Span]] = []
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            texts.append(row["text"])
            spans.append([Span.from_dict(s) for s in row["spans"]])
    return texts, spans


def spans_from_values(text: str, items: Iterable[dict]) -> list[Span]:
    """Gold spans from ``[{"type": T, "value": substring}]``: every occurrence of each value.

    Values not found in ``text`` and types the masker does not know are skipped.
    """
    out: list[Span] = []
    for item in items:
        typ = str(item.get("type", "")).upper()
        value = str(item.get("value", ""))
        if typ not in ALL_TYPES or not value:
            continue
        start = text.find(value)
        while start >= 0:
            out.append(Span(start, start + len(value), typ))
            start = text.find(value, start + len(value))
    out = sorted(set(out))
    return out


def format_report(result: dict, title: str = "") -> str:
    """A plain-text table of :func:`score`'s result."""
    lines = []
    if title:
        lines.append(title)
    lines.append(f"{'type':<10}{'gold':>6}{'pred':>6}{'prec':>8}{'recall':>8}{'f1':>8}")
    rows = list(result["per_type"].items()) + [("micro", result["micro"])]
    for name, r in rows:
        lines.append(
            f"{name:<10}{r['n_gold']:>6}{r['n_pred']:>6}{r['precision']:>8.3f}"
            f"{r['recall']:>8.3f}{r['f1']:>8.3f}"
        )
    m = result["masked"]
    lines.append(
        f"masked characters (any type): precision {m['precision']:.3f}, recall {m['recall']:.3f},"
        f" gold spans fully masked {m['spans_fully_masked']:.3f}"
    )
    return "\n".join(lines)
