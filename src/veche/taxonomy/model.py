"""The taxonomy: categories read from a YAML file and validated.

A taxonomy file has ``categories``: a list of mappings with ``id``, ``name``, ``description``,
``examples`` (non-empty), optional ``keywords`` (lemmas) and ``route`` (the responsible body).
Every problem is reported as one :class:`TaxonomyError` naming the file, the category and what is
wrong, so an operator editing their own copy sees at once where to look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

DEFAULT_TAXONOMY = "default_ru.yaml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class TaxonomyError(ValueError):
    pass


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str
    examples: tuple[str, ...]
    route: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    source: str = "<memory>"
    language: str = "ru"
    _by_id: dict[str, Category] = field(default_factory=dict, repr=False, compare=False)
    _keys: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({c.id: c for c in self.categories})
        # names first (the first of two equal names wins), then ids, which win over names
        for c in self.categories:
            self._keys.setdefault(_key(c.name), c.id)
        self._keys.update({_key(c.id): c.id for c in self.categories})

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.categories]

    def __getitem__(self, cid: str) -> Category:
        return self._by_id[cid]

    def __contains__(self, cid: object) -> bool:
        return cid in self._by_id

    def __len__(self) -> int:
        return len(self.categories)

    def find(self, key: object) -> str | None:
        """The id of the category that ``key`` names, by id or by name (case and spacing
        ignored): analysts may write either in a labelled file; ``None`` if none."""
        return self._keys.get(_key(key))

    def routes(self) -> dict[str, str]:
        """Category id -> responsible body (empty string when none is set)."""
        return {c.id: c.route for c in self.categories}


def _key(value: object) -> str:
    return " ".join(str(value).split()).casefold()


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy YAML; ``None`` reads the packaged default."""
    if path is None:
        ref = resources.files("veche.taxonomy").joinpath(DEFAULT_TAXONOMY)
        return parse_taxonomy(
            ref.read_text(encoding="utf-8"), source=f"<default {DEFAULT_TAXONOMY}>"
        )
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read taxonomy file ({exc.strerror})") from None
    return parse_taxonomy(text, source=str(path))


def parse_taxonomy(text: str, source: str = "<memory>") -> Taxonomy:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        raise TaxonomyError(f"{source}: expected a mapping with a list under 'categories'")
    if not data["categories"]:
        raise TaxonomyError(f"{source}: 'categories' is empty")
    cats: list[Category] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["categories"]):
        cat = _category(raw, source, i)
        if cat.id in seen:
            raise TaxonomyError(f"{source}: category {cat.id!r}: duplicate id")
        seen.add(cat.id)
        cats.append(cat)
    return Taxonomy(tuple(cats), source=source, language=str(data.get("language", "ru")))


def _category(raw: Any, source: str, index: int) -> Category:
    where = f"{source}: category #{index + 1}"
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{where}: expected a mapping, got {type(raw).__name__}")
    cid = raw.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise TaxonomyError(f"{where}: 'id' must be a latin identifier like 'housing_utilities'")
    where = f"{source}: category {cid!r}"
    unknown = set(raw) - {"id", "name", "description", "examples", "keywords", "route"}
    if unknown:
        raise TaxonomyError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("name", "description"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise TaxonomyError(f"{where}: '{key}' must be a non-empty string")
    examples = _strings(raw.get("examples"), where, "examples")
    if not examples:
        raise TaxonomyError(f"{where}: 'examples' is empty (give at least one example question)")
    if len(set(examples)) != len(examples):
        raise TaxonomyError(f"{where}: 'examples' has a repeated question")
    route = raw.get("route", "")
    if route is None or not isinstance(route, str):
        raise TaxonomyError(f"{where}: 'route' must be a string")
    return Category(
        id=cid,
        name=raw["name"].strip(),
        description=" ".join(raw["description"].split()),
        examples=tuple(examples),
        route=route.strip(),
        keywords=tuple(k.lower() for k in _strings(raw.get("keywords"), where, "keywords")),
    )


def _strings(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaxonomyError(f"{where}: '{key}' must be a list of strings")
    out = [v.strip() for v in value]
    if any(not v for v in out):
        raise TaxonomyError(f"{where}: '{key}' has an empty entry")
    return out
