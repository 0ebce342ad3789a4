"""Where the understanding stages keep what they learnt, beside the store they belong to.

For a SQLite store ``data/veche.sqlite`` that is ``data/veche.models/``; for a server store,
``<workdir>/veche-<database>.models/``. Inside: ``encoders/<name>/`` (a fitted encoder),
``vectors/<name>/`` (one float16 vector per distinct text), ``themes/<name>/`` (the theme model),
``taxonomy/`` and ``routing/`` (supervised models trained by ``veche train``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from veche.config import VecheConfig
from veche.owner_only import owner_only_dir


@dataclass(frozen=True)
class Artifacts:
    root: Path

    @classmethod
    def for_store(cls, config: VecheConfig, store_url: str) -> Artifacts:
        """The store's folder, created owner-only (0700): what is learnt from raw questions
        (vectors, vocabularies, models) stays as private as the store."""
        return cls(owner_only_dir(_root(config, store_url)))

    def encoder(self, name: str) -> Path:
        return self.root / "encoders" / name

    def vectors(self, name: str) -> Path:
        return self.root / "vectors" / name

    def themes(self, name: str) -> Path:
        return self.root / "themes" / name

    @property
    def taxonomy(self) -> Path:
        return self.root / "taxonomy"

    @property
    def routing(self) -> Path:
        return self.root / "routing"


def _root(config: VecheConfig, store_url: str) -> Path:
    if config.analysis.artifacts is not None:
        return Path(config.analysis.artifacts)
    url = make_url(store_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.with_name(db.stem + ".models")
    return Path(config.workdir) / f"veche-{url.database or 'memory'}.models"
