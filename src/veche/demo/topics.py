"""All themes and their subissues, read from ``data/*.yaml``, compiled, with sampling weights.

``data/themes.yaml`` lists the themes; ``data/THEME.yaml`` holds a theme's share of
questions, its senders' age and its subissues with their wordings; ``data/urgent.yaml`` the
urgent wordings and each urgency kind's share.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from veche.demo.templates import CompiledSub, Sub

DATA = resources.files("veche.demo") / "data"


def _read(directory: Traversable | Path, name: str) -> Any:
    return yaml.load(directory.joinpath(name).read_text("utf-8"), Loader=yaml.CSafeLoader)


def _subs(entries: list[dict[str, Any]], source: str) -> list[Sub]:
    subs = []
    for k, entry in enumerate(entries):
        try:
            subs.append(Sub(**entry))
        except TypeError as e:  # an unknown or missing field
            raise ValueError(f"{source}: subissue {k + 1} ({entry.get('id', '?')}): {e}") from e
    return subs


def load_themes(
    directory: Traversable | Path = DATA,
) -> tuple[list[str], dict[str, float], dict[str, tuple], list[Sub]]:
    """Themes in order, each one's share and senders' age (mean, sd, min, max), all subissues."""
    themes: list[str] = _read(directory, "themes.yaml")
    weights: dict[str, float] = {}
    ages: dict[str, tuple] = {}
    subs: list[Sub] = []
    for theme in themes:
        data = _read(directory, f"{theme}.yaml")
        weights[theme] = data["share"]
        a = data["age"]
        ages[theme] = (a["mean"], a["sd"], a["min"], a["max"])
        own = _subs(data["subissues"], f"{theme}.yaml")
        if stray := [s.id for s in own if s.theme != theme]:
            raise ValueError(f"{theme}.yaml: subissues of another theme: {stray}")
        subs += own
    return themes, weights, ages, subs


def load_urgent(
    subissues: list[Sub], directory: Traversable | Path = DATA
) -> tuple[dict[str, float], list[Sub]]:
    """Each urgency kind's share of urgent messages, and the urgent wordings (each of one of
    ``subissues``, whose topics it borrows)."""
    data = _read(directory, "urgent.yaml")
    kinds: dict[str, float] = data["kinds"]
    wordings = _subs(data["wordings"], "urgent.yaml")
    known = {s.id for s in subissues}
    for k, s in enumerate(wordings, 1):
        if s.id not in known:
            raise ValueError(f"urgent.yaml: wording {k} ({s.id}): no such subissue")
        if s.urgency not in kinds:
            raise ValueError(
                f"urgent.yaml: wording {k} ({s.id}): urgency {s.urgency!r} is not one of "
                f"the kinds ({', '.join(kinds)})"
            )
    return kinds, wordings


THEMES, THEME_WEIGHTS, AGES, ALL_SUBS = load_themes()
URGENT_KIND_WEIGHTS, URGENT_SUBS = load_urgent(ALL_SUBS)

SUBS: list[CompiledSub] = [CompiledSub(s) for s in ALL_SUBS]
SUB_INDEX = {s.id: i for i, s in enumerate(SUBS)}
URGENT: list[CompiledSub] = [CompiledSub(s) for s in URGENT_SUBS]
for _u in URGENT:  # urgent wordings borrow the operator's topic phrases of their subissue
    _u.topics = SUBS[SUB_INDEX[_u.id]].topics
URGENT_KINDS = list(URGENT_KIND_WEIGHTS)


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
    for kind, kw in URGENT_KIND_WEIGHTS.items():
        idx = [i for i, s in enumerate(URGENT_SUBS) if s.urgency == kind]
        w = np.array([URGENT_SUBS[i].weight for i in idx], dtype=float)
        p[idx] = kw * w / w.sum()
    return p / p.sum()
