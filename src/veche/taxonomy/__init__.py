"""A configurable taxonomy (YAML) and multi-label assignment: zero-shot, then supervised.

* ``load_taxonomy(path=None)``: the categories, validated (``TaxonomyError`` names the problem);
* ``ZeroShotTagger(taxonomy, encoder).fit().tag(docs, vectors)``: calibrated scores from the
  descriptions, examples and keywords; ``zero_shot_tagger`` adds a multilingual encoder
  (``TwoEncoderTagger``) for questions in languages the corpus encoder cannot read against the
  taxonomy and for those it is unsure of;
* ``train_taxonomy_classifier(docs, labels)`` -> ``SupervisedTagger``: the same output, learnt
  from labelled questions;
* ``BlendedTagger(learnt, zero_shot, weight)`` and ``choose_weight``: the two mixed while the
  labels are few, the weight chosen by cross-validation on them.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from veche.taxonomy.model import Category, Taxonomy, TaxonomyError, load_taxonomy, parse_taxonomy
from veche.taxonomy.options import RoutingOptions, TaxonomyOptions

if TYPE_CHECKING:
    from veche.embed.base import Encoder
    from veche.taxonomy.blend import BlendChoice, BlendedTagger, choose_weight
    from veche.taxonomy.supervised import (
        SupervisedTagger,
        taxonomy_descriptions,
        train_taxonomy_classifier,
    )
    from veche.taxonomy.two_encoders import TwoEncoderTagger, zero_shot_tagger
    from veche.taxonomy.zeroshot import ZeroShotTagger, prepare_docs, tag_frame

# the taggers pull in scikit-learn: imported on first use, so that reading the configuration
# (which imports TaxonomyOptions from here) stays fast
_LAZY = {
    "BlendChoice": "blend",
    "BlendedTagger": "blend",
    "choose_weight": "blend",
    "TwoEncoderTagger": "two_encoders",
    "zero_shot_tagger": "two_encoders",
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
    "BlendChoice",
    "BlendedTagger",
    "Category",
    "RoutingOptions",
    "SupervisedTagger",
    "Taxonomy",
    "TaxonomyError",
    "TaxonomyOptions",
    "TwoEncoderTagger",
    "ZeroShotTagger",
    "load_taxonomy",
    "choose_weight",
    "make_tagger",
    "parse_taxonomy",
    "prepare_docs",
    "tag_frame",
    "taxonomy_descriptions",
    "train_taxonomy_classifier",
    "zero_shot_tagger",
]


def make_tagger(
    options: TaxonomyOptions | None = None,
    encoder: Encoder | None = None,
    trained: str | Path | None = None,
    foreign_options: dict[str, Any] | None = None,
) -> ZeroShotTagger | TwoEncoderTagger | SupervisedTagger | BlendedTagger:
    """The tagger the config asks for: a learnt model (``options.supervised_model``, else the
    ``trained`` file when it exists), mixed with zero-shot when training found that better (see
    ``veche.taxonomy.blend``); else zero-shot over the configured taxonomy. Zero-shot needs
    ``encoder``, already fitted on the corpus (``foreign_options``: settings of the encoder
    for other languages, see ``zero_shot_tagger``)."""
    from veche.taxonomy.blend import BlendedTagger
    from veche.taxonomy.supervised import SupervisedTagger
    from veche.taxonomy.two_encoders import zero_shot_tagger

    options = options or TaxonomyOptions()
    path = options.supervised_model or (
        trained if trained is not None and Path(trained).exists() else None
    )
    learnt = SupervisedTagger.load(path, options) if path else None
    if learnt is not None and learnt.blend_weight >= 1.0:
        return learnt
    if encoder is None:
        raise ValueError("zero-shot tagging needs the corpus encoder")
    zero_shot = zero_shot_tagger(load_taxonomy(options.path), encoder, options, foreign_options)
    if learnt is None:
        return zero_shot
    return BlendedTagger(learnt, zero_shot, learnt.blend_weight, learnt.blend_platt)
