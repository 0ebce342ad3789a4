"""Phone numbers written in words, alone or mixed with digits: "восемь девятьсот двенадцать триста
сорок пять шестьдесят семь восемьдесят девять", "8 912 триста сорок пять 67 89".

A run of number words and digit groups is read group by group, as people say numbers: a group is
hundreds, then tens or teens, then units ("девятьсот двенадцать" = 912); a word that cannot
continue the group ("восемь" after "двенадцать") starts the next one. The digits are then judged
like any written number (:func:`veche.privacy.patterns.classify_number`); only phones are kept.
"""

from __future__ import annotations

import re

from .patterns import classify_number, keyword_before
from .spans import PHONE, Span

# word -> (value, slot): slot 3 hundreds, 2 tens, 1 teens/units, 0 zero (always its own group)
_WORDS: dict[str, tuple[int, int]] = {}
for _i, _w in enumerate(
    [
        "ноль",
        "один",
        "два",
        "три",
        "четыре",
        "пять",
        "шесть",
        "семь",
        "восемь",
        "девять",
        "десять",
        "одиннадцать",
        "двенадцать",
        "тринадцать",
        "четырнадцать",
        "пятнадцать",
        "шестнадцать",
        "семнадцать",
        "восемнадцать",
        "девятнадцать",
    ]
):
    _WORDS[_w] = (_i, 0 if _i == 0 else 1)
_WORDS.update({"нуль": (0, 0), "одна": (1, 1), "две": (2, 1)})
for _i, _w in enumerate(
    [
        "двадцать",
        "тридцать",
        "сорок",
        "пятьдесят",
        "шестьдесят",
        "семьдесят",
        "восемьдесят",
        "девяносто",
    ]
):
    _WORDS[_w] = (20 + 10 * _i, 2)
for _i, _w in enumerate(
    [
        "сто",
        "двести",
        "триста",
        "четыреста",
        "пятьсот",
        "шестьсот",
        "семьсот",
        "восемьсот",
        "девятьсот",
    ]
):
    _WORDS[_w] = (100 * (_i + 1), 3)

_TOKEN = re.compile(r"[а-яёА-ЯЁ]+|\d+")
_GAP = re.compile(r"[ \t\u00a0,\-–—]*")
_WORD = re.compile(r"[а-яё]+")


def _groups(tokens: list[str]) -> list[str] | None:
    """Digit groups of a run of number words and digit groups, or ``None`` if it does not read."""
    out: list[str] = []
    value, last_slot = 0, None  # the group being read and the slot of its last word
    for tok in tokens:
        if tok.isdigit():
            if last_slot is not None:
                out.append(str(value))
                last_slot = None
            out.append(tok)
            continue
        v, slot = _WORDS[tok.lower()]
        tens_then_teen = last_slot == 2 and v >= 10  # "двадцать двенадцать" is two groups
        if last_slot is None or slot == 0 or last_slot == 0 or slot >= last_slot or tens_then_teen:
            if last_slot is not None:
                out.append(str(value))
            value, last_slot = v, slot
        else:
            value += v
            last_slot = slot
            if v >= 10 and slot == 1:  # a teen ends its group
                out.append(str(value))
                last_slot = None
    if last_slot is not None:
        out.append(str(value))
    return out


def spoken_phone_spans(text: str) -> list[Span]:
    """Phones written at least partly in words."""
    # a phone in words takes several number words: most texts are let go after one cheap pass
    if len(_WORDS.keys() & _WORD.findall(text.lower())) < 2:
        return []
    spans: list[Span] = []
    runs: list[list[re.Match[str]]] = []
    run: list[re.Match[str]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        ok = tok.isdigit() and len(tok) <= 4 or tok.lower() in _WORDS
        joined = run and _GAP.fullmatch(text, run[-1].end(), m.start()) is not None
        if ok and (not run or joined):
            run.append(m)
            continue
        if run:
            runs.append(run)
        run = [m] if ok else []
    if run:
        runs.append(run)
    for run in runs:
        if all(m.group().isdigit() for m in run):
            continue  # written in digits: the pattern detectors' job
        groups = _groups([m.group() for m in run])
        if not groups:
            continue
        digits = "".join(groups)
        start = run[0].start()
        kw = keyword_before(text, start)
        lens = [len(g) for g in groups]
        if classify_number(digits, lens, keyword=kw) == PHONE:
            spans.append(Span(start, run[-1].end(), PHONE))
    return spans
