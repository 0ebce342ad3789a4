"""Location: the region (ISO 3166-2), city and district of each question."""

from veche.geo.gazetteer import Gazetteer, build_gazetteer, region_names
from veche.geo.options import GeoOptions
from veche.geo.resolver import COLUMNS, RegionResolver

__all__ = [
    "COLUMNS",
    "Gazetteer",
    "GeoOptions",
    "RegionResolver",
    "build_gazetteer",
    "region_names",
]
