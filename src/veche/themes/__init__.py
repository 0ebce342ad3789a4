"""Theme discovery: broad themes -> specific issues, c-TF-IDF labels, stable ids.

Public API::

    discover_themes(vectors, docs, weights=None, options=None, previous=None)
        -> (ThemeModel, Assignment)
    ThemeModel.assign(vectors) -> (fine_id, broad_id, distance)
    ThemeModel.save(dir) / ThemeModel.load(dir)
"""

from veche.themes.model import Assignment, Level, ThemeModel, auto_sizes, discover_themes
from veche.themes.options import ThemeOptions

__all__ = ["Assignment", "Level", "ThemeModel", "ThemeOptions", "auto_sizes", "discover_themes"]
