"""Throughput of the text stage: clean_text, detect_languages, lemmas_many, dedup_key.

    .venv/bin/python bench/text_speed.py [--n 20000] [--seed 0] [--synthetic]

Uses ``veche.demo.generate(n, seed).questions["text"]`` when it is importable (and
``--synthetic`` is not given), otherwise a built-in generator of realistic questions
(~93% Russian, the rest Ukrainian/English/Tatar/Kazakh; greetings, closings, typos, HTML
remnants, "Sent from my iPhone", placeholders, emoji; 50-300 characters).
Times are single-process wall clock; the first call of each stage (model loading) is
timed separately as "warm-up".
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter

RU_BODIES = [
    "когда проиндексируют пенсии работающим пенсионерам",
    "почему такие высокие тарифы ЖКХ, платим за отопление больше, чем получаем",
    "когда сделают дорогу в нашей деревне, ездить невозможно уже пятый год",
    "в нашем посёлке нет врача, до районной больницы 40 км",
    "сколько можно ждать расселения аварийного дома, стены трескаются",
    "почему лекарства так подорожали, на пенсию не купить",
    "зарплата учителей очень маленькая, молодые специалисты уходят",
    "как получить выплату на ребёнка, если отказали без объяснения",
    "будет ли индексация пенсий в следующем году и на сколько процентов",
    "мусор не вывозят уже месяц, управляющая компания не отвечает",
    "детский сад переполнен, мест нет, очередь на три года",
    "хочу спросить про ипотеку для молодых семей, ставки слишком высокие",
    "когда закончится ремонт школы в нашем районе",
    "интернета в селе нет совсем, дети не могут учиться",
    "автобус до райцентра ходит раз в день, людям не добраться",
    "почему цены на продукты растут каждый месяц",
    "когда проведут газ в наше СНТ, обещают уже десять лет",
    "почему отменили электрички, люди не могут доехать до работы",
    "прошу разобраться с управляющей компанией, деньги собирают, ремонта нет",
    "ветеранам боевых действий положены льготы, а на деле их не дают",
    "моей маме 80 лет, а пенсия 12 тысяч, как на это жить",
    "почему налог на землю вырос в три раза",
    "когда повысят зарплату медсёстрам и санитаркам",
    "нужна помощь многодетной семье с жильём, живём в однокомнатной квартире",
    "мост через реку разрушен, скорая не может проехать",
    "почему закрыли единственную поликлинику в районе",
    "когда будет бесплатный проезд для пенсионеров в пригородных поездах",
    "водопровод не работает, воду возим из соседнего села",
    "верните льготы на оплату коммунальных услуг для ветеранов труда",
    "не платят зарплату три месяца, прокуратура бездействует",
]
RU_GREETINGS = [
    "Здравствуйте!",
    "Добрый день.",
    "Уважаемый Президент!",
    "Здравствуйте, Владимир Владимирович!",
    "",
    "",
    "",
]
RU_CLOSINGS = ["Спасибо.", "Заранее спасибо!", "Жду ответа.", "С уважением, [ИМЯ]", "", "", ""]
OTHER = {
    "uk": [
        "Добрий день! Коли буде підвищення пенсій?",
        "Чому так дорого коштує комуналка в нашому місті?",
        "Коли відремонтують дорогу в нашому селі? Дякую.",
        "Моя мама отримує дуже маленьку пенсію, допоможіть.",
    ],
    "en": [
        "Hello, when will pensions be indexed? My mother gets a very small pension.",
        "Why are utility bills so high? Please fix the heating in our building.",
        "The hospital in our district was closed, where should we go now?",
    ],
    "tt": [
        "Исәнмесез! Кайчан пенсияләр арттырылачак? Рәхмәт.",
        "Безнең авылда юл юк, кайчан төзиләр?",
        "Хезмәт хакы бик аз, яшәргә акча җитми.",
    ],
    "kk": [
        "Сәлеметсіз бе! Зейнетақы қашан көтеріледі?",
        "Біздің ауылда жол жоқ, қашан салынады?",
        "Жалақы өте аз, өмір сүруге ақша жетпейді.",
    ],
}
NOISE = [
    lambda s, r: s,
    lambda s, r: s,
    lambda s, r: s.lower(),
    lambda s, r: s + " " + r.choice(["🙏", "😡", "👍🏻", "!!!", "???"]),
    lambda s, r: "<p>" + s.replace(". ", ".<br>") + "</p>",
    lambda s, r: s + "\n\nОтправлено с iPhone",
    lambda s, r: s.replace(" ", "  ").replace("е", "ё", 1),
    lambda s, r: "Текст обращения: " + s,
    lambda s, r: s.replace("&", "&amp;") + " Мой телефон [ТЕЛЕФОН]",
]


def synthetic(n: int, seed: int) -> list[str]:
    r = random.Random(seed)
    out = []
    for _ in range(n):
        if r.random() < 0.07:
            lang = r.choice(list(OTHER))
            s = r.choice(OTHER[lang])
        else:
            k = r.choice([1, 1, 2, 2, 3])
            body = ". ".join(b[0].upper() + b[1:] for b in r.sample(RU_BODIES, k)) + r.choice(
                ["?", ".", "", "!"]
            )
            s = " ".join(x for x in (r.choice(RU_GREETINGS), body, r.choice(RU_CLOSINGS)) if x)
        out.append(r.choice(NOISE)(s, r))
    return out


def load_texts(n: int, seed: int, force_synthetic: bool) -> tuple[list[str], str]:
    if not force_synthetic:
        try:
            from veche.demo import generate

            texts = [str(t) for t in generate(n, seed).questions["text"]]
            if texts:
                return texts[:n], "veche.demo.generate"
        except Exception as exc:  # the demo module is optional for this bench
            print(
                f"(veche.demo.generate unavailable: {type(exc).__name__}: {exc}; using synthetic texts)"
            )
    return synthetic(n, seed), "synthetic"


def timed(label: str, fn, n: int):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    print(f"{label:<34} {n / dt:>10,.0f} texts/s   ({dt:.2f} s)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--synthetic", action="store_true", help="do not try veche.demo")
    args = ap.parse_args(argv)

    from veche.text import Lemmatizer, clean_text, dedup_key, detect_languages

    texts, source = load_texts(args.n, args.seed, args.synthetic)
    n = len(texts)
    mean_len = sum(map(len, texts)) / max(n, 1)
    print(
        f"{n} texts from {source}, mean length {mean_len:.0f} chars, Python {sys.version.split()[0]}"
    )

    timed(
        "warm-up detect_languages (lingua)", lambda: detect_languages(["газ провести", "hello"]), 2
    )
    lem = Lemmatizer()
    timed(
        "warm-up Lemmatizer (pymorphy3)",
        lambda: lem.lemmas_many(["пенсии", "pensions"], ["ru", "en"]),
        2,
    )

    cleaned = timed("clean_text", lambda: [clean_text(t) for t in texts], n)
    langs = timed("detect_languages", lambda: detect_languages(cleaned), n)
    timed("lemmas_many (cold cache)", lambda: lem.lemmas_many(cleaned, langs), n)
    timed("lemmas_many (warm cache)", lambda: lem.lemmas_many(cleaned, langs), n)
    timed("lemmas_many stopwords=True", lambda: lem.lemmas_many(cleaned, langs, stopwords=True), n)
    timed("dedup_key", lambda: [dedup_key(t) for t in cleaned], n)
    counts = Counter(langs)
    print("languages:", ", ".join(f"{k}={v}" for k, v in counts.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
