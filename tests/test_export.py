from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from factories import question_batch as _batch
from factories import reject_rows as _rejects
from veche.export import RawAccessDenied, export
from veche.privacy.access import add_operator
from veche.store import Store

ROLES = ["privacy_officer"]


@pytest.fixture
def filled(store: Store) -> Store:
    run = store.begin_run(["f.csv"])
    store.write_batch(run, _batch(["a", "b", "c"]), _rejects([]))
    return store


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path)
    if path.suffix == ".jsonl":
        return pd.DataFrame([json.loads(line) for line in path.read_text().splitlines()])
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_excel(path)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", ".xlsx"])
def test_export_masked_by_default(filled: Store, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    assert export(filled, out, chunk=2) == 3  # several chunks, one schema
    df = _read(out)
    assert len(df) == 3
    assert {"text", "lang", "group_id", "group_size", "campaign", "meta"} <= set(df.columns)
    assert not {"text_raw", "phone", "name"} & set(df.columns)
    assert all("[ТЕЛЕФОН]" in t for t in df["text"])
    assert not any("89123456789" in str(v) for v in df.astype(str).to_numpy().ravel())
    assert filled.read_raw_access().empty


def test_raw_export_needs_an_allowed_operator_key_and_is_logged(
    filled: Store, tmp_path: Path
) -> None:
    out = tmp_path / "raw.csv"
    bob = add_operator(filled, "bob", "privacy_officer", raw_roles=ROLES, by_key=None)
    analyst = add_operator(filled, "ann", "analyst", raw_roles=ROLES, by_key=bob)
    with pytest.raises(RawAccessDenied, match="analyst"):
        export(filled, out, raw=True, operator_key=analyst, raw_roles=ROLES)
    with pytest.raises(RawAccessDenied, match="operator key"):
        export(filled, out, raw=True, raw_roles=ROLES)
    assert not out.exists()
    assert export(filled, out, raw=True, operator_key=bob, raw_roles=ROLES) == 3
    df = pd.read_csv(out, dtype=str)
    assert set(df["phone"]) == {"89123456789"} and "89123456789" in df["text_raw"][0]
    log = filled.read_raw_access()
    assert log[["actor", "role", "action", "n_rows"]].values.tolist()[-1] == [
        "bob",
        "privacy_officer",
        "export",
        3,
    ]


def test_unknown_format(filled: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(filled, tmp_path / "out.doc")
