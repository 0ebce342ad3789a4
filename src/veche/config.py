"""One typed configuration for every stage.

Values come, lowest priority first, from the defaults below, a TOML file (``veche.toml`` in the
working directory or ``--config FILE``), environment variables (``VECHE_STORE__URL=...``, nested
sections joined by a double underscore) and finally CLI flags, which the CLI applies with
:meth:`VecheConfig.with_overrides`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy.engine import make_url

# each stage declares its own options next to its code; this is where they meet
from veche.dedup.campaigns import CampaignRules
from veche.embed.options import EmbedOptions
from veche.eval.options import EvalOptions
from veche.geo.options import GeoOptions
from veche.shortlist.select import ShortlistOptions
from veche.taxonomy.options import RoutingOptions, TaxonomyOptions
from veche.themes.options import ThemeOptions
from veche.urgency.options import UrgencyOptions

DEFAULT_CONFIG_FILE = "veche.toml"


class StoreConfig(BaseModel):
    # SQLite by default: embedded, no server. PostgreSQL in production:
    # postgresql+psycopg://user:password@host/dbname
    url: str = "sqlite:///veche.sqlite"

    @field_validator("url")
    @classmethod
    def _a_path_is_sqlite(cls, value: str) -> str:
        from veche.store.db import store_url

        return store_url(value)


class IntakeConfig(BaseModel):
    max_text_chars: int = Field(20_000, gt=0, description="longer texts are rejected")
    batch_size: int = Field(5_000, gt=0, description="rows per committed transaction")
    # bounds on one input file, so a hostile or broken file is refused instead of running for hours
    max_bytes: int = Field(2 << 30, gt=0, description="text once decompressed; each XLSX part")
    max_rows: int = Field(5_000_000, gt=0, description="last spreadsheet row read")
    max_columns: int = Field(1_000, gt=0, description="columns of a header or a sheet row")
    default_channel: str = "unknown"
    # naive timestamps in input files are read in this zone, then stored as UTC
    timezone: str = "Europe/Moscow"
    # extra column names recognised as the standard ones (lower-cased, stripped)
    aliases: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "text": [
                "текст",
                "текст сообщения",
                "текст обращения",
                "вопрос",
                "question",
                "message",
            ],
            "id": ["номер", "question_id"],
            "created_at": ["created", "date", "дата", "дата создания", "timestamp"],
            "channel": ["канал", "source"],
            "region": ["регион", "субъект", "district"],
            "name": ["фио", "имя"],
            "phone": ["телефон", "tel"],
            "email": ["e-mail", "почта"],
            "gender": ["пол", "sex"],
            "age": ["возраст"],
        }
    )


class PrivacyConfig(BaseModel):
    enabled: bool = True
    use_ner: bool = True
    # None means every type the masker knows
    types: list[str] | None = None
    # roles allowed to see raw (unmasked) text; every such view is logged
    raw_roles: list[str] = Field(default_factory=lambda: ["privacy_officer", "operator"])


class DedupConfig(BaseModel):
    threshold: float = Field(0.7, gt=0, le=1, description="Jaccard similarity of near duplicates")
    num_perm: int = 64
    ngram: int = 3


class AnalysisConfig(BaseModel):
    """``veche analyze``: which encoder, how big a batch, when themes are rediscovered."""

    encoder: str = Field("tfidf", description="tfidf | e5 | hybrid | sentence-transformers")
    batch_size: int = Field(20_000, gt=0, description="questions per committed transaction")
    # themes are rediscovered over everything once the distinct texts grew by this factor since
    # the last discovery; in between, new questions join their nearest existing theme
    rediscover_growth: float = Field(1.5, gt=1.0)
    # the per-question stages, in order (veche.pipeline.stages): drop one, reorder, or name an
    # operator's own as "package.module:factory"
    stages: list[str] = Field(
        default_factory=lambda: ["themes", "geo", "taxonomy", "routing", "urgency"]
    )
    artifacts: Path | None = Field(
        None, description="where fitted encoders, vectors and models go (default: beside the store)"
    )


class VecheConfig(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VECHE_", env_nested_delimiter="__", extra="ignore"
    )

    workdir: Path = Path(".")
    workers: int = Field(default_factory=lambda: max(1, min(2, os.cpu_count() or 1)))
    store: StoreConfig = StoreConfig()
    intake: IntakeConfig = IntakeConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    dedup: DedupConfig = DedupConfig()
    campaigns: CampaignRules = CampaignRules()
    analysis: AnalysisConfig = AnalysisConfig()
    embed: EmbedOptions = EmbedOptions()
    themes: ThemeOptions = ThemeOptions()
    taxonomy: TaxonomyOptions = TaxonomyOptions()
    routing: RoutingOptions = RoutingOptions()
    geo: GeoOptions = GeoOptions()
    urgency: UrgencyOptions = UrgencyOptions()
    shortlist: ShortlistOptions = ShortlistOptions()
    eval: EvalOptions = EvalOptions()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # init kwargs (the TOML file, passed by `load`) sit below the environment
        return (env_settings, init_settings)

    def store_dir(self) -> Path:
        """Where files that belong to the store go (an ingest's rejects): the SQLite file's
        directory, or ``workdir`` for a server store; never just wherever veche is run from."""
        url = make_url(self.store.url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            return Path(url.database).parent
        return Path(self.workdir)

    def with_overrides(self, **dotted: Any) -> VecheConfig:
        """Return a copy with ``section.key=value`` overrides applied (None values are skipped)."""
        data = self.model_dump()
        touched: set[str] = set()
        for path, value in dotted.items():
            if value is None:
                continue
            node = data
            *parents, leaf = path.split(".")
            for p in parents:
                node = node[p]
            node[leaf] = value
            touched.add(path.split(".")[0])
        # validate only what changed: re-validating the whole object would re-read the
        # environment and let it win over the flags
        fields = type(self).model_fields
        update = {k: TypeAdapter(fields[k].annotation).validate_python(data[k]) for k in touched}
        return self.model_copy(update=update)


def load_config(path: Path | None = None) -> VecheConfig:
    """Load the configuration: defaults < TOML file < environment."""
    file = path or Path(DEFAULT_CONFIG_FILE)
    data: dict[str, Any] = {}
    if file.exists():
        with file.open("rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"config file {file}: {exc}") from exc
    elif path is not None:
        raise FileNotFoundError(f"config file {path} does not exist")
    return VecheConfig(**data)
