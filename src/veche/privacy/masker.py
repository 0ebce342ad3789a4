"""The masker: runs every detector, resolves overlapping spans and substitutes placeholders.

Overlaps are resolved greedily by priority, then length: EMAIL > SOCIAL > CARD > OMS > SNILS > INN >
PASSPORT > PHONE > ADDRESS > PER (a checksum-verified number beats a guess; an address beats the surname
inside "ул. Ленина"). A lower-priority PER or ADDRESS span that is partly covered keeps its
uncovered part; a number or e-mail that is partly covered is dropped. Finally spans of the same
type separated only by spaces are merged, so "Иванов" + "Иван Иванович" become one ``[ИМЯ]``.
"""

from __future__ import annotations

import bisect
import math
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from .names import (
    clean_ner_person,
    keep_person,
    might_contain_name,
    rule_person_spans,
)
from .ner import get_ner_model
from .patterns import find_pattern_spans
from .spans import (
    ADDRESS,
    ALL_TYPES,
    CARD,
    EMAIL,
    INN,
    OMS,
    PASSPORT,
    PER,
    PHONE,
    PII_PLACEHOLDERS,
    SNILS,
    SOCIAL,
    Masked,
    Span,
)
from .spoken import spoken_phone_spans

PRIORITY: dict[str, int] = {
    EMAIL: 0,
    SOCIAL: 1,
    CARD: 2,
    OMS: 3,
    SNILS: 4,
    INN: 5,
    PASSPORT: 6,
    PHONE: 7,
    ADDRESS: 8,
    PER: 9,
}
_TRIMMABLE = frozenset({PER, ADDRESS})
_EDGE = " \t\u00a0\r\n,.;:!?-—–()\"«»'"
_CACHE_MAX_TEXT = 20_000


def resolve_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, sorted by start, with same-type neighbours merged."""
    stripped = []
    for s in spans:
        a, b = s.start, s.end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            stripped.append(s if (a, b) == (s.start, s.end) else Span(a, b, s.type))
    cands = sorted(
        set(stripped), key=lambda s: (PRIORITY.get(s.type, 99), -(s.end - s.start), s.start)
    )
    # accepted spans, kept sorted by start and non-overlapping (so their ends are sorted too)
    taken: list[Span] = []
    starts: list[int] = []

    def take(sp: Span) -> None:
        i = bisect.bisect_left(starts, sp.start)
        starts.insert(i, sp.start)
        taken.insert(i, sp)

    for cand in cands:
        clashes = []
        k = bisect.bisect_left(starts, cand.end) - 1
        while k >= 0 and taken[k].end > cand.start:
            clashes.append(taken[k])
            k -= 1
        if not clashes:
            take(cand)
            continue
        if cand.type not in _TRIMMABLE:
            continue
        pieces = [(cand.start, cand.end)]
        for t in clashes:
            nxt = []
            for s, e in pieces:
                if t.end <= s or t.start >= e:
                    nxt.append((s, e))
                    continue
                if s < t.start:
                    nxt.append((s, t.start))
                if t.end < e:
                    nxt.append((t.end, e))
            pieces = nxt
        for s, e in pieces:
            while s < e and text[s] in _EDGE:
                s += 1
            while e > s and text[e - 1] in _EDGE:
                e -= 1
            if sum(ch.isalnum() for ch in text[s:e]) >= 2:
                take(Span(s, e, cand.type))
    merged: list[Span] = []
    for sp in taken:
        if merged:
            last = merged[-1]
            if (
                last.type == sp.type
                and last.end <= sp.start
                and not text[last.end : sp.start].strip(" \t\u00a0")
            ):
                merged[-1] = Span(last.start, sp.end, sp.type)
                continue
        merged.append(sp)
    return merged


def substitute(text: str, spans: Sequence[Span]) -> str:
    """``text`` with every span replaced by its placeholder (spans sorted, non-overlapping)."""
    if not spans:
        return text
    parts = []
    pos = 0
    for sp in spans:
        parts.append(text[pos : sp.start])
        parts.append(PII_PLACEHOLDERS[sp.type])
        pos = sp.end
    parts.append(text[pos:])
    return "".join(parts)


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


class Masker:
    """Masks personal data in citizens' texts.

    ``types``: the PII types to mask (default: all of :data:`PII_PLACEHOLDERS`).
    ``use_ner``: run natasha's NER for person names (the rules run either way).
    ``cache_size``: how many distinct texts' results are remembered across calls (copy-paste
    campaigns repeat texts); identical texts within one batch are always computed once.

    The NER model is loaded on the first text that needs it and shared by all maskers of the
    process. ``None`` / NaN inputs are treated as empty strings.
    """

    def __init__(
        self,
        types: set[str] | frozenset[str] | Iterable[str] | None = None,
        use_ner: bool = True,
        *,
        cache_size: int = 20_000,
        ner_batch_size: int | None = None,
    ) -> None:
        if types is None:
            self.types = ALL_TYPES
        else:
            self.types = frozenset(types)
            unknown = self.types - ALL_TYPES
            if unknown:
                raise ValueError(f"unknown PII types {sorted(unknown)}; known: {sorted(ALL_TYPES)}")
        self.use_ner = use_ner
        self.cache_size = cache_size
        self.ner_batch_size = ner_batch_size
        self._cache: OrderedDict[str, tuple[str, tuple[Span, ...]]] = OrderedDict()

    # ----------------------------------------------------------------------------- public API

    def mask(self, text: str) -> Masked:
        return self.mask_many([text])[0]

    def mask_many(self, texts: Sequence[str]) -> list[Masked]:
        texts = [_as_text(t) for t in texts]
        results: dict[str, tuple[str, tuple[Span, ...]]] = {}
        todo: list[str] = []
        seen: set[str] = set()
        for t in texts:
            if t in results or t in seen:
                continue
            hit = self._cache.get(t)
            if hit is not None:
                self._cache.move_to_end(t)
                results[t] = hit
            else:
                seen.add(t)
                todo.append(t)
        if todo:
            for t, spans in zip(todo, self._detect(todo), strict=True):
                res = (substitute(t, spans), tuple(spans))
                results[t] = res
                if self.cache_size > 0 and len(t) <= _CACHE_MAX_TEXT:
                    self._cache[t] = res
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return [Masked(results[t][0], list(results[t][1])) for t in texts]

    def detect_many(self, texts: Sequence[str]) -> list[list[Span]]:
        """Only the spans (offsets into each original text), without substitution."""
        return [m.spans for m in self.mask_many(texts)]

    # ----------------------------------------------------------------------------- internals

    def _detect(self, texts: list[str]) -> list[list[Span]]:
        types = self.types
        want_per = PER in types
        cands: list[list[Span]] = []
        for t in texts:
            spans = find_pattern_spans(t, types)
            if PHONE in types:
                spans.extend(spoken_phone_spans(t))
            if want_per:
                spans.extend(rule_person_spans(t))
            cands.append(spans)
        if want_per and self.use_ner:
            idx = [i for i, t in enumerate(texts) if t and might_contain_name(t)]
            if idx:
                model = get_ner_model()
                if self.ner_batch_size:
                    model.batch_size = self.ner_batch_size
                found = model.person_spans([texts[i] for i in idx])
                for i, per in zip(idx, found, strict=True):
                    t = texts[i]
                    for s0, e0 in per:
                        for s, e in clean_ner_person(t, s0, e0):
                            if keep_person(t, s, e):
                                cands[i].append(Span(s, e, PER))
        return [resolve_spans(t, c) for t, c in zip(texts, cands, strict=True)]
