"""District extraction on the SPb appeals (skipped when the shared data is absent)."""

from __future__ import annotations

import pandas as pd
import pytest

from shared_data import SHARED_DATA
from veche.geo import RegionResolver

SPB = SHARED_DATA / "spb" / "appeals_2020-10_2021-02.csv.gz"


@pytest.mark.slow
@pytest.mark.skipif(not SPB.exists(), reason="shared SPb data not available")
def test_spb_districts_named_in_text_are_right() -> None:
    df = pd.read_csv(SPB, usecols=["text", "district"], dtype=str, keep_default_na=False)
    out = RegionResolver().resolve(df["text"].tolist(), [None] * len(df))
    named = out["district"].ne("")
    want = df["district"].str.strip() + " район"
    # measured: ~290 of 38 395 texts name a district, ~97% right; few texts name a region
    assert named.sum() >= 150
    assert (out["district"][named] == want[named]).mean() >= 0.9
    other = out["region_code"].ne("") & out["region_code"].ne("RU-SPE")
    assert other.mean() < 0.01
