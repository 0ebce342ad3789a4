"""Privacy masking: find personal data in citizens' texts and replace it with placeholders.

>>> from veche.privacy import Masker
>>> m = Masker(use_ner=False)
>>> m.mask("Мой телефон 8 912 345-67-89").text
'Мой телефон [ТЕЛЕФОН]'

Types and placeholders are in :data:`PII_PLACEHOLDERS`; offsets in :class:`Span` refer to the
original text. See :mod:`veche.privacy.masker` for how overlapping spans are resolved and
:mod:`veche.privacy.evaluate` for the labelling conventions and the scores.
"""

from .masker import Masker, resolve_spans, substitute
from .spans import ALL_TYPES, PII_PLACEHOLDERS, Masked, Span

__all__ = [
    "ALL_TYPES",
    "PII_PLACEHOLDERS",
    "Masked",
    "Masker",
    "Span",
    "resolve_spans",
    "substitute",
]
