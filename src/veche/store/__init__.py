"""Persistent store (SQLite by default, PostgreSQL in production)."""

from veche.store.store import Store

__all__ = ["Store"]
