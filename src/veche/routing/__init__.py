"""Routing: the responsible body for each question (learnt from history, else the taxonomy)."""

from veche.routing.router import Router, routes_frame
from veche.taxonomy.options import RoutingOptions

__all__ = ["Router", "RoutingOptions", "routes_frame"]
