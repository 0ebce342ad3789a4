"""The per-theme shortlist: about 100 questions that represent a theme for the host."""

from veche.shortlist.quality import is_abusive, text_quality
from veche.shortlist.select import CANDIDATE_COLUMNS, ShortlistOptions, relevance, select_shortlist

__all__ = [
    "CANDIDATE_COLUMNS",
    "ShortlistOptions",
    "is_abusive",
    "relevance",
    "select_shortlist",
    "text_quality",
]
