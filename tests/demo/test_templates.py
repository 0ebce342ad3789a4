"""Every wording renders: no unknown slot, no unresolved gender form, no stray marker."""

from __future__ import annotations

import random
import re

import pytest

from veche.demo import languages, parts, people, special
from veche.demo.compose import Composer
from veche.demo.regions import Gazetteer
from veche.demo.topics import SUBS, URGENT

LEFTOVER = re.compile(r"[{}]|<<|>>")
PART_TPLS = [
    parts.C_INTRO_PLAIN, parts.C_INTRO_OLD, parts.C_INTRO_REGION, parts.C_CONTACTS,
    parts.C_ADDRESS, parts.C_KIN, parts.C_DOCS, parts.C_SIGN, parts.C_SIGN_REGION,
    parts.C_OPERATOR, parts.C_OPERATOR_REGION, parts.C_OPERATOR_CONTACT, parts.C_SPOKEN_INTRO,
    parts.C_SPOKEN_REGION, special.C_ADS, *languages.C_INTRO.values(), *languages.C_CONTACT.values(),
]  # fmt: skip
PART_STRS = [
    parts.GREET_FORMAL, parts.CLOSINGS, parts.ASK_FRAMES, parts.OPENING_TOPIC,
    parts.OPERATOR_EXTRA, parts.SPOKEN_OPEN, parts.OPERATOR_QUOTE, parts.RESEND_PREFIX[:0],
]  # fmt: skip


@pytest.mark.parametrize("female", [False, True])
@pytest.mark.parametrize("with_region", [False, True])
def test_every_template_renders(female: bool, with_region: bool) -> None:
    R = random.Random(0)
    gaz = Gazetteer()
    comp = Composer(R)
    comp.start(people.make_person(R, female), 50, gaz.phrases(10) if with_region else None)
    out = []
    for sub in SUBS + URGENT:
        for tpl in (*sub.cores, *sub.short, *sub.details):
            out.append("".join(t for t, _ in comp.render(tpl)))
        for s in (*sub.reports, *sub.asks, *sub.topics):
            out.append(s.format_map(comp.slots))
        comp.fill_sub_slots(sub)
    comp.slots.update(core="x", ask2="y")
    for group in PART_TPLS:
        out += ["".join(t for t, _ in comp.render(tpl)) for tpl in group]
    for group in PART_STRS:
        out += [s.format_map(comp.slots) for s in group]
    for items in languages.C_TEXTS.values():
        out += ["".join(t for t, _ in comp.render(tpl)) for _, tpl in items]
    comp.slots.update(city_gen="Курска", city_prep="в Курске", region_prep="в Курской области")
    comp.slots["district_gen"] = "Лесного"
    out += [w.format_map(comp.slots) for _, wordings in special.CAMPAIGNS for w in wordings]
    assert all(len(wordings) >= 3 for _, wordings in special.CAMPAIGNS)
    bad = [s for s in out if LEFTOVER.search(s)]
    assert not bad, bad[:5]


def test_gender_forms_agree() -> None:
    R = random.Random(1)
    comp = Composer(R)
    comp.start(people.make_person(R, True), 70, None)
    assert "{работал|работала}".format_map(comp.slots) == "работала"
    comp.start(people.make_person(R, False), 70, None)
    assert "{работал|работала} сам{|а}".format_map(comp.slots) == "работал сам"


def test_names_inflect() -> None:
    p = people.Person(
        True, people._SURNAMES.index("Петров"), people._FEMALE.index("Анна"), 0, "9123456789", ""
    )
    assert p.fio() == "Петрова Анна Ивановна"
    assert p.fio(gen=True) == "Петровой Анны Ивановны"
    m = people.Person(
        False, people._SURNAMES.index("Покровский"), people._MALE.index("Сергей"), 1, "", ""
    )
    assert m.fio(gen=True) == "Покровского Сергея Петровича"
