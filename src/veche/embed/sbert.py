"""The ``sentence-transformers`` encoder: any model directory the operator supplies.

For a GPU server with a larger model. Offline by construction: ``model_path`` must be an existing
local directory (a hub name such as ``intfloat/multilingual-e5-large`` is refused before anything is
imported), the Hugging Face libraries are put in offline mode and the model is opened with
``local_files_only=True`` and without remote code. ``sentence_transformers`` (and torch) is an
optional extra, imported only when the first text is encoded.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from veche.embed.base import PretrainedEncoder, register_encoder
from veche.embed.options import SentenceTransformersOptions

OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def check_model_dir(path: Path | str | None) -> Path:
    """The model directory as an absolute path, or ValueError: never a hub id, never a file."""
    if path is None or str(path).strip() == "":
        raise ValueError("sentence-transformers: set model_path to a local model directory")
    p = Path(path).expanduser()
    if not p.is_dir():
        raise ValueError(
            f"sentence-transformers: model_path {str(path)!r} is not an existing local directory "
            "(models are never downloaded; copy the model directory to this machine)"
        )
    if not any((p / f).exists() for f in ("modules.json", "config.json")):
        raise ValueError(f"sentence-transformers: {p} holds no modules.json or config.json")
    return p.resolve()


@register_encoder("sentence-transformers")
class SentenceTransformersEncoder(PretrainedEncoder):
    """Vectors of ``docs["text"]`` from a local sentence-transformers model (unit length)."""

    name: ClassVar[str] = "sentence-transformers"
    # unknown for an arbitrary model: zero-shot treats it as one language
    multilingual: ClassVar[bool] = False
    batches_per_call: ClassVar[int] = 8  # let the library batch; report every few batches

    def __init__(self, **options: Any) -> None:
        self.options = SentenceTransformersOptions(**options)
        self.model_dir = check_model_dir(self.options.model_path)

    @cached_property
    def _model(self) -> Any:
        os.environ.update(OFFLINE_ENV)  # before the import: huggingface_hub reads it then
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError(
                "the sentence-transformers encoder needs the optional extra: "
                "pip install 'veche[st]'"
            ) from exc
        return SentenceTransformer(
            str(self.model_dir),
            device=self.options.device,
            local_files_only=True,
            trust_remote_code=False,
        )

    @cached_property
    def dim(self) -> int:  # type: ignore[override]
        model = self._model
        get = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(get())

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(
            [self.options.prefix + t for t in texts],
            batch_size=self.options.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
