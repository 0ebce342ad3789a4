from __future__ import annotations

from pathlib import Path

import pytest

from veche.config import VecheConfig, load_config


def test_defaults_toml_env_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert VecheConfig().store.url.startswith("sqlite:///")
    f = tmp_path / "veche.toml"
    f.write_text('[store]\nurl = "sqlite:///from-toml.db"\n[dedup]\nthreshold = 0.6\n')
    cfg = load_config(f)
    assert cfg.store.url == "sqlite:///from-toml.db" and cfg.dedup.threshold == 0.6
    monkeypatch.setenv("VECHE_STORE__URL", "sqlite:///from-env.db")
    cfg = load_config(f)
    assert cfg.store.url == "sqlite:///from-env.db"  # the environment beats the file
    assert cfg.dedup.threshold == 0.6
    cfg = cfg.with_overrides(**{"store.url": "sqlite:///flag.db", "workers": None})
    assert cfg.store.url == "sqlite:///flag.db"  # a CLI flag beats both


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "veche.toml"
    f.write_text("[store\nurl=")
    with pytest.raises(ValueError, match="veche.toml"):
        load_config(f)
    with pytest.raises(FileNotFoundError):
        load_config(tmp_path / "missing.toml")
    f.write_text("[dedup]\nthreshold = 7\n")
    with pytest.raises(ValueError, match="threshold"):
        load_config(f)


def test_store_dir_is_where_the_store_lives(tmp_path: Path) -> None:
    sqlite = VecheConfig(workdir=tmp_path, store={"url": "sqlite:////srv/veche/data.sqlite"})
    assert sqlite.store_dir() == Path("/srv/veche")
    relative = VecheConfig(workdir=tmp_path, store={"url": "sqlite:///veche.sqlite"})
    assert relative.store_dir() == Path(".")
    server = VecheConfig(workdir=tmp_path, store={"url": "postgresql+psycopg://u@h/veche"})
    assert server.store_dir() == tmp_path
