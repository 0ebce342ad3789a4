"""Options of the urgency stage (plugged into the one ``VecheConfig`` by the lead)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field


class UrgencyOptions(BaseModel):
    """Which lexicon to use and where the line between urgent and not lies."""

    lexicon_path: Path | None = Field(
        default=None,
        description="YAML lexicon (see veche/urgency/lexicon_ru.yaml for the format); "
        "None = the packaged one.",
    )
    extra_lexicon_paths: list[Path] = Field(
        default_factory=list,
        description="More YAML files whose kinds/boosters/dampers are added to the lexicon.",
    )
    threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="urgency_score at which a question is urgent; None = the lexicon's.",
    )
