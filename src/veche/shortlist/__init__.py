"""The per-theme shortlist: about 100 questions that represent a theme for the host."""

from veche.shortlist.bounded import BOUND_COLUMNS, bounded_shortlist
from veche.shortlist.quality import is_abusive, text_quality
from veche.shortlist.select import CANDIDATE_COLUMNS, ShortlistOptions, relevance, select_shortlist

__all__ = [
    "BOUND_COLUMNS",
    "CANDIDATE_COLUMNS",
    "ShortlistOptions",
    "bounded_shortlist",
    "is_abusive",
    "relevance",
    "select_shortlist",
    "text_quality",
]
