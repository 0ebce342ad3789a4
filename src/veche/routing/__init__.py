"""Routing: the responsible body for each question (learnt from history, else the taxonomy)."""

from veche.routing.router import (
    Router,
    RoutingTableError,
    example_table_path,
    load_routing_table,
    routes_frame,
)
from veche.taxonomy.options import RoutingOptions

__all__ = [
    "Router",
    "RoutingOptions",
    "RoutingTableError",
    "example_table_path",
    "load_routing_table",
    "routes_frame",
]
