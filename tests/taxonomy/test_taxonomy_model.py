"""The taxonomy YAML: the default is sound, and broken files are rejected with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from veche.taxonomy import TaxonomyError, load_taxonomy, parse_taxonomy

GOOD = """
categories:
  - id: heating
    name: Отопление
    description: Нет тепла в домах.
    examples: [В квартире холодно, батареи ледяные]
    route: Минстрой России
  - id: roads
    name: Дороги
    description: Ямы и ремонт дорог.
    examples: [На дороге яма]
"""


def test_default_taxonomy_is_complete() -> None:
    tax = load_taxonomy()
    assert 15 <= len(tax) <= 35
    assert len(set(tax.ids)) == len(tax)
    for cat in tax.categories:
        assert 8 <= len(cat.examples) <= 15, cat.id
        assert cat.route, cat.id
        assert cat.name and cat.description, cat.id
    assert tax["pensions"].route == "Социальный фонд России"
    assert tax["housing_utilities"].route == "Минстрой России"


def test_operator_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD, encoding="utf-8")
    tax = load_taxonomy(path)
    assert tax.ids == ["heating", "roads"]
    assert tax["roads"].route == ""
    assert tax.source == str(path)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (GOOD.replace("id: roads", "id: heating"), "category 'heating': duplicate id"),
        (GOOD.replace("[На дороге яма]", "[]"), "category 'roads': 'examples' is empty"),
        (GOOD.replace("    name: Дороги\n", ""), "category 'roads': 'name' must be"),
        (GOOD.replace("id: roads", "id: Дороги"), "category #2: 'id' must be"),
        (GOOD.replace("route: Минстрой России", "routes: x"), "unknown field(s) routes"),
        (GOOD.replace("[На дороге яма]", "[яма, яма]"), "'examples' has a repeated question"),
        ("categories: []", "'categories' is empty"),
        ("categories: [", "not valid YAML"),
        ("- a\n- b", "expected a mapping"),
    ],
)
def test_invalid_files_name_file_category_and_problem(
    tmp_path: Path, text: str, needle: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    assert str(path) in str(err.value)
    assert needle in str(err.value)


def test_missing_file_is_a_taxonomy_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "nope.yaml")


def test_parse_from_text() -> None:
    tax = parse_taxonomy(GOOD, source="inline")
    assert "heating" in tax and "nope" not in tax
    assert tax.routes() == {"heating": "Минстрой России", "roads": ""}


def test_find_a_category_by_id_or_name() -> None:
    tax = load_taxonomy()
    assert tax.find("pensions") == "pensions"
    assert tax.find("  ПЕНСИИ ") == "pensions"  # names, case and spacing ignored
    assert tax.find("ЖКХ  и коммунальные услуги") == "housing_utilities"
    assert tax.find("Пенсии и пособия") is None and tax.find(None) is None
