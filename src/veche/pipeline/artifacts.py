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


@dataclass(frozen=True)
class Artifacts:
    root: Path

    @classmethod
    def for_store(cls, config: VecheConfig, store_url: str) -> Artifacts:
        if config.analysis.artifacts is not None:
            return cls(Path(config.analysis.artifacts))
        url = make_url(store_url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            db = Path(url.database)
            return cls(db.with_name(db.stem + ".models"))
        return cls(Path(config.workdir) / f"veche-{url.database or 'memory'}.models")

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
