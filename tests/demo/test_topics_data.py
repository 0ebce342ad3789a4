"""The demo's topic templates are data files: every file is read, and a mistake in one is
refused with the file, the entry and the problem named."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
import yaml

from veche.demo import topics


@pytest.fixture
def data(tmp_path: Path) -> Path:
    with resources.as_file(topics.DATA) as src:  # a copy to break
        shutil.copytree(src, tmp_path / "data")
    return tmp_path / "data"


def _edit(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text("utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")


def test_every_file_is_a_listed_theme_or_the_urgent_file() -> None:
    with resources.as_file(topics.DATA) as src:
        files = {p.name for p in Path(src).glob("*.yaml")}
    assert files == {f"{t}.yaml" for t in topics.THEMES} | {"themes.yaml", "urgent.yaml"}
    assert {s.theme for s in topics.ALL_SUBS} == set(topics.THEMES)


def test_packaged_data_loads_as_the_module_holds_it(data: Path) -> None:
    themes, weights, ages, subs = topics.load_themes(data)
    assert (themes, weights, ages, subs) == (
        topics.THEMES, topics.THEME_WEIGHTS, topics.AGES, topics.ALL_SUBS,
    )  # fmt: skip
    assert topics.load_urgent(subs, data) == (topics.URGENT_KIND_WEIGHTS, topics.URGENT_SUBS)


def test_a_misspelt_field_names_the_file_and_the_subissue(data: Path) -> None:
    def misspell(doc):
        doc["subissues"][1]["detials"] = doc["subissues"][1].pop("details", [])

    _edit(data / "roads_transport.yaml", misspell)
    with pytest.raises(
        ValueError,
        match=r"roads_transport\.yaml: subissue 2 \(roads_transport\.public_transport\).*detials",
    ):
        topics.load_themes(data)


def test_a_subissue_filed_under_another_theme_is_refused(data: Path) -> None:
    _edit(data / "pensions.yaml", lambda doc: doc["subissues"][0].update(id="healthcare.stray"))
    with pytest.raises(
        ValueError, match=r"pensions\.yaml: subissues of another theme: \['healthcare\.stray'\]"
    ):
        topics.load_themes(data)


def test_an_urgent_wording_of_an_unknown_subissue_or_kind_is_refused(data: Path) -> None:
    subs = topics.load_themes(data)[3]
    _edit(data / "urgent.yaml", lambda doc: doc["wordings"][0].update(id="healthcare.nope"))
    with pytest.raises(ValueError, match=r"wording 1 \(healthcare\.nope\): no such subissue"):
        topics.load_urgent(subs, data)
    _edit(
        data / "urgent.yaml",
        lambda doc: doc["wordings"][0].update(id="healthcare.oncology", urgency="flood"),
    )
    with pytest.raises(
        ValueError, match=r"wording 1 \(healthcare\.oncology\): urgency 'flood' is not one of"
    ):
        topics.load_urgent(subs, data)
