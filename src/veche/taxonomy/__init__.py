"""A configurable taxonomy (YAML) and multi-label assignment: zero-shot, then supervised.

* ``load_taxonomy(path=None)``: the categories, validated (``TaxonomyError`` names the problem);
* ``ZeroShotTagger(taxonomy, encoder).fit().tag(docs, vectors)``: calibrated scores from the
  descriptions, examples and keywords;
* ``train_taxonomy_classifier(docs, labels)`` -> ``SupervisedTagger``: the same output, learnt
  from labelled questions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from veche.taxonomy.model import Category, Taxonomy, TaxonomyError, load_taxonomy, parse_taxonomy
from veche.taxonomy.options import RoutingOptions, TaxonomyOptions

if TYPE_CHECKING:
    from veche.embed.base import Encoder
    from veche.taxonomy.supervised import (
        SupervisedTagger,
        taxonomy_descriptions,
        train_taxonomy_classifier,
    )
    from veche.taxonomy.zeroshot import ZeroShotTagger, prepare_docs, tag_frame

# the taggers pull in scikit-learn: imported on first use, so that reading the configuration
# (which imports TaxonomyOptions from here) stays fast
_LAZY = {
    "SupervisedTagger": "supervised",
    "train_taxonomy_classifier": "supervised",
    "taxonomy_descriptions": "supervised",
    "ZeroShotTagger": "zeroshot",
    "prepare_docs": "zeroshot",
    "tag_frame": "zeroshot",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"veche.taxonomy.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Category",
    "RoutingOptions",
    "SupervisedTagger",
    "Taxonomy",
    "TaxonomyError",
    "TaxonomyOptions",
    "ZeroShotTagger",
    "load_taxonomy",
    "make_tagger",
    "parse_taxonomy",
    "prepare_docs",
    "tag_frame",
    "taxonomy_descriptions",
    "train_taxonomy_classifier",
]


def make_tagger(
    options: TaxonomyOptions | None = None, encoder: Encoder | None = None
) -> ZeroShotTagger | SupervisedTagger:
    """The tagger the config asks for: the supervised model when one was trained, else zero-shot
    over the configured taxonomy with ``encoder`` (already fitted on the corpus)."""
    from veche.taxonomy.supervised import SupervisedTagger
    from veche.taxonomy.zeroshot import ZeroShotTagger

    options = options or TaxonomyOptions()
    if options.supervised_model:
        return SupervisedTagger.load(options.supervised_model, options)
    if encoder is None:
        raise ValueError("zero-shot tagging needs the corpus encoder")
    return ZeroShotTagger(load_taxonomy(options.path), encoder, options).fit()
