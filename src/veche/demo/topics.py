"""All themes and their subissues, compiled, with sampling weights."""

from __future__ import annotations

import numpy as np

from veche.demo import (
    topics_economy,
    topics_education,
    topics_health,
    topics_housing,
    topics_military,
    topics_pensions,
    topics_roads,
    topics_social,
    topics_society,
    urgent,
)
from veche.demo.templates import CompiledSub, Sub

THEMES = [
    "social_support",
    "pensions",
    "housing_utilities",
    "healthcare",
    "roads_transport",
    "prices_economy",
    "education",
    "military_families",
    "ecology",
    "culture_sport",
    "state_society",
    "foreign_policy",
]
# share of questions about each theme (pensions, housing, healthcare and prices lead)
THEME_WEIGHTS = {
    "pensions": 16.0,
    "housing_utilities": 17.0,
    "healthcare": 13.0,
    "prices_economy": 11.0,
    "social_support": 10.0,
    "roads_transport": 8.0,
    "education": 6.5,
    "military_families": 6.5,
    "state_society": 5.5,
    "ecology": 3.5,
    "culture_sport": 1.3,
    "foreign_policy": 1.7,
}
# sender age by theme: mean, sd, min, max
AGES = {
    "pensions": (66, 8, 50, 92),
    "social_support": (41, 12, 19, 88),
    "housing_utilities": (54, 15, 20, 90),
    "healthcare": (55, 16, 18, 90),
    "roads_transport": (47, 15, 18, 85),
    "prices_economy": (50, 15, 18, 88),
    "education": (38, 9, 17, 72),
    "military_families": (47, 12, 20, 80),
    "ecology": (45, 14, 18, 85),
    "culture_sport": (38, 15, 16, 80),
    "state_society": (47, 15, 18, 88),
    "foreign_policy": (50, 17, 18, 90),
}

ALL_SUBS: list[Sub] = (
    topics_social.SUBS
    + topics_pensions.SUBS
    + topics_housing.SUBS
    + topics_health.SUBS
    + topics_education.SUBS
    + topics_roads.SUBS
    + topics_economy.SUBS
    + topics_military.MILITARY
    + topics_military.ECOLOGY
    + topics_society.STATE
    + topics_society.CULTURE
    + topics_society.FOREIGN
)
SUBS: list[CompiledSub] = [CompiledSub(s) for s in ALL_SUBS]
SUB_INDEX = {s.id: i for i, s in enumerate(SUBS)}
URGENT: list[CompiledSub] = [CompiledSub(s) for s in urgent.URGENT]
for _u in URGENT:  # urgent wordings borrow the operator's topic phrases of their subissue
    _u.topics = SUBS[SUB_INDEX[_u.id]].topics
URGENT_KINDS = list(urgent.URGENT_KIND_WEIGHTS)


def sub_probabilities() -> np.ndarray:
    """P(subissue) for an ordinary Russian question: theme weight x share within the theme."""
    p = np.zeros(len(SUBS))
    for theme in THEMES:
        idx = [i for i, s in enumerate(ALL_SUBS) if s.theme == theme]
        w = np.array([ALL_SUBS[i].weight for i in idx], dtype=float)
        p[idx] = THEME_WEIGHTS[theme] * w / w.sum()
    return p / p.sum()


def urgent_probabilities() -> np.ndarray:
    """P(urgent wording): kind weight x share within the kind."""
    p = np.zeros(len(URGENT))
    for kind, kw in urgent.URGENT_KIND_WEIGHTS.items():
        idx = [i for i, s in enumerate(urgent.URGENT) if s.urgency == kind]
        w = np.array([urgent.URGENT[i].weight for i in idx], dtype=float)
        p[idx] = kw * w / w.sum()
    return p / p.sum()
