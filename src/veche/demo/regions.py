"""The regions gazetteer (``veche/resources/regions_ru.csv``) and how people name a region.

The CSV holds the 83 ISO 3166-2:RU subjects with the nominative, genitive ("из Курской области")
and prepositional ("в Курской области") forms of the region and its capital, a colloquial short
name where one is in common use ("Кубань", "Подмосковье") and the population in thousands.
Prepositional and genitive forms are stored without the preposition.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

# colloquial names that take "на"/"с" instead of "в"/"из": "на Кубани", "с Камчатки"
_NA_SHORT = {
    "RU-KAM", "RU-KDA", "RU-STA", "RU-SAK", "RU-CHU", "RU-YAN", "RU-ROS", "RU-MAG", "RU-BEL",
    "RU-BRY", "RU-ORL", "RU-PSK", "RU-RYA", "RU-SMO", "RU-TAM", "RU-VLG",
}  # fmt: skip
_VOWELS = set("аеёиоуыэюяАЕЁИОУЫЭЮЯ")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    name_gen: str
    name_prep: str
    capital: str
    capital_gen: str
    capital_prep: str
    population_k: int
    short: str
    short_gen: str
    short_prep: str


def v(word: str) -> str:
    """ "в" or "во" before a word: "во Владимире", "в Вологде"."""
    if len(word) > 1 and word[0] in "ВвФф" and word[1] not in _VOWELS:
        return "во"
    return "в"


def s_(word: str) -> str:
    """ "с" or "со" before a word: "со Ставрополья", "с Сахалина"."""
    if len(word) > 1 and word[0] in "СсЗзШшЖж" and word[1] not in _VOWELS:
        return "со"
    return "с"


@lru_cache(maxsize=1)
def load_regions() -> tuple[Region, ...]:
    path = resources.files("veche") / "resources" / "regions_ru.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Region(**{k: (int(val) if k == "population_k" else val) for k, val in r.items()})
        for r in rows
    )


class Gazetteer:
    """Per-region lists of the phrases a message can use to say where the sender lives."""

    def __init__(self) -> None:
        self.regions = load_regions()
        self.codes = [r.code for r in self.regions]
        self.index = {c: i for i, c in enumerate(self.codes)}
        pop = np.array([r.population_k for r in self.regions], dtype=float)
        self.weights = pop / pop.sum()
        self.prep: list[list[str]] = []  # "в Курской области", "в Курске"
        self.city_prep: list[str] = []  # "в Курске"
        self.gen: list[list[str]] = []  # "из Курской области", "из Курска"
        self.nom: list[list[str]] = []  # "Курская область", "г. Курск"
        self.of: list[list[str]] = []  # "Курской области", "города Курска" (жительница ...)
        self.reported: list[list[str]] = []  # what an intake channel puts in `region`
        self.reported_city: list[str] = []
        for r in self.regions:
            prep = [f"{v(r.name_prep)} {r.name_prep}", f"{v(r.capital_prep)} {r.capital_prep}"]
            gen = [f"из {r.name_gen}", f"из {r.capital_gen}"]
            nom = [r.name, r.capital if r.capital == r.name else f"г. {r.capital}"]
            if r.short and r.short != r.name:
                if r.code in _NA_SHORT:
                    prep.append(f"на {r.short_prep}")
                    gen.append(f"{s_(r.short_gen)} {r.short_gen}")
                else:
                    prep.append(f"{v(r.short_prep)} {r.short_prep}")
                    gen.append(f"из {r.short_gen}")
                nom.append(r.short)
            if " — " in r.name:  # "в Кемеровской области" without "— Кузбассе"
                head = r.name_prep.split(" — ")[0]
                prep.append(f"{v(head)} {head}")
                gen.append(f"из {r.name_gen.split(' — ')[0]}")
                nom.append(r.name.split(" — ")[0])
            self.prep.append(list(dict.fromkeys(prep)))
            self.gen.append(list(dict.fromkeys(gen)))
            self.nom.append(list(dict.fromkeys(nom)))
            self.city_prep.append(f"{v(r.capital_prep)} {r.capital_prep}")
            of = [r.name_gen, f"города {r.capital_gen}"]
            if r.short and r.short != r.name and r.short_gen != r.short:
                of.append(r.short_gen)
            self.of.append(list(dict.fromkeys(of)))
            rep = [r.name]
            if "область" in r.name:
                rep.append(r.name.replace("область", "обл."))
                if r.name.count(" ") == 1:
                    rep.append(f"обл. {r.name.replace(' область', '')}")
            elif r.name.startswith("Республика "):
                rep += [r.name.replace("Республика ", "Респ. "), r.short or r.name]
            elif r.name.endswith("Республика"):
                rep += [r.short or r.name, r.name.replace("Республика", "Респ.")]
            elif r.name.endswith("край"):
                rep += [r.name.replace("край", "кр.")]
            elif "автономный округ" in r.name:
                rep += [r.name.split(" — ")[0].replace("автономный округ", "АО")]
            elif r.capital == r.name:
                rep += [f"г. {r.name}"]
            self.reported.append(list(dict.fromkeys(rep)))
            self.reported_city.append(r.capital)

    def phrases(self, i: int) -> tuple:
        """The phrase lists :class:`veche.demo.slots.Slots` needs for region ``i``."""
        return (self.prep[i], self.city_prep[i], self.gen[i], self.of[i], self.nom[i])

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(len(self.codes), size=n, p=self.weights)

    def weights_for(self, focus: dict[str, float]) -> np.ndarray:
        """Weights that put the given shares on some regions and spread the rest by population."""
        w = self.weights * (1.0 - sum(focus.values()))
        for code, share in focus.items():
            w[self.index[code]] += share
        return w / w.sum()

    def reported_name(self, R, i: int, channel: str) -> str:
        """The region as the channel reports it (a form field, a profile, a CRM)."""
        rep = self.reported[i]
        if channel in ("social", "messenger") and R.random() < 0.5:
            return self.reported_city[i]
        if channel == "call_centre":
            return rep[1] if len(rep) > 1 and R.random() < 0.5 else rep[0]
        if channel in ("website", "app"):
            return rep[0] if R.random() < 0.9 else rep[-1]
        return rep[0] if R.random() < 0.7 else R.choice(rep)
