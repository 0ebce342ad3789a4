"""Fixtures of the privacy tests: one masker with NER for the whole session (natasha loads once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from veche.privacy import Masker

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def masker() -> Masker:
    m = Masker()
    m.mask("Иван Петров")  # load the NER model once
    return m


@pytest.fixture(scope="session")
def rules_masker() -> Masker:
    return Masker(use_ner=False)


@pytest.fixture(scope="session")
def gold_path() -> Path:
    return DATA / "masking_gold.jsonl"


@pytest.fixture(scope="session")
def heldout_path() -> Path:
    return DATA / "masking_heldout.jsonl"
