"""Speed, memory and quality of duplicate grouping (``veche.dedup``) on synthetic questions.

    python bench/dedup_speed.py --n 100000
    python bench/dedup_speed.py --n 1000000 --skip-campaigns
    python bench/dedup_speed.py --n 100000 --backend datasketch     # compare signature backends
    python bench/dedup_speed.py --n 100000 --shingle char            # character 5-grams

Texts come from ``veche.demo.generate`` when it is importable (``--source demo``, the default
``auto`` falls back), else from the generator below: Russian questions built from templates
with slots (so unrelated questions share topics and phrases), organic re-sends (exact copies,
an added greeting or closing, 1-3 typos, a dropped word) and copy-paste campaigns. Keys are
made with ``veche.text.dedup_key`` when it exists, else with a simple stand-in (lowercase,
ё -> е, only letters and digits, collapsed spaces).

Prints texts/s per stage, peak RSS (``ru_maxrss``; it includes the generated data, so the RSS
before grouping is printed too) and pairwise precision/recall against the gold groups.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from veche.dedup import (  # noqa: E402
    CampaignRules,
    exact_groups,
    flag_campaigns,
    near_groups,
    pair_scores,
)

# ---------------------------------------------------------------------------------------------
# synthetic questions

GREETINGS = [
    "Здравствуйте!",
    "Добрый день!",
    "Здравствуйте, уважаемый Владимир Владимирович!",
    "Добрый вечер.",
    "Уважаемый президент!",
    "Приветствую!",
    "Здравствуйте, Владимир Владимирович.",
]
CLOSINGS = [
    "Спасибо!",
    "Заранее спасибо за ответ.",
    "Очень ждём ответа.",
    "Помогите пожалуйста!",
    "С уважением, жители.",
    "Надеемся на вашу помощь.",
]
CITIES = [
    "Твери",
    "Самары",
    "Омска",
    "Курска",
    "Тулы",
    "Перми",
    "Казани",
    "Уфы",
    "Читы",
    "Томска",
    "Рязани",
    "Брянска",
    "Пензы",
    "Кирова",
    "Иркутска",
    "Липецка",
    "Орла",
    "Сочи",
    "Калуги",
    "Ижевска",
    "Барнаула",
    "Вологды",
    "Мурманска",
    "Тамбова",
    "Саратова",
    "Воронежа",
    "Ярославля",
    "Владимира",
    "Костромы",
    "Смоленска",
    "Архангельска",
    "Белгорода",
    "Хабаровска",
]
PLACES = [
    "в нашем посёлке",
    "в нашем районе",
    "у нас в городе",
    "у нас в деревне",
    "в микрорайоне Северный",
    "на нашей улице",
    "в нашем селе",
    "в {city}",
    "в пригороде {city}",
    "в центре {city}",
    "в {city} и области",
]
STREETS = [
    "Ленина",
    "Гагарина",
    "Мира",
    "Советской",
    "Садовой",
    "Лесной",
    "Школьной",
    "Победы",
    "Пушкина",
    "Кирова",
    "Молодёжной",
    "Набережной",
    "Заводской",
    "Строителей",
    "Чехова",
    "Горького",
    "Комсомольской",
    "Первомайской",
]
# topic -> (ways to ask, context sentences); the slots make questions on one topic share words
# but, as with real people, two independent questions rarely share most of their wording
TOPICS = {
    "roads": (
        [
            "Когда отремонтируют дорогу на улице {street} {place}?",
            "Почему {place} годами не ремонтируют дороги?",
            "Кто ответит за разбитую дорогу на {street} {place}?",
            "Когда наконец положат асфальт {place}?",
            "Сколько ещё ждать ремонта дороги {place}?",
        ],
        [
            "Ямы такие что машины ломаются.",
            "Весной дорогу полностью размывает.",
            "Скорая не может к нам проехать.",
            "Деньги на ремонт выделяли в {year} году, но ничего не сделали.",
            "Асфальт последний раз клали ещё при Союзе.",
            "Школьный автобус ездит по колдобинам.",
        ],
    ),
    "gas": (
        [
            "Почему {place} до сих пор нет газа?",
            "Когда проведут газ {place}?",
            "Когда дойдёт газификация до {city}?",
            "Почему подключение газа к дому стоит {money} рублей?",
        ],
        [
            "Обещали провести ещё в {year} году.",
            "Топим дровами, а они дорожают каждый год.",
            "Труба проходит в километре от деревни.",
            "Пенсионерам такие деньги не собрать.",
            "Газовики требуют оплатить проект заранее.",
        ],
    ),
    "tariffs": (
        [
            "Почему так выросли тарифы ЖКХ {place}?",
            "Кто контролирует рост платы за коммунальные услуги?",
            "Почему за отопление мы платим больше чем за еду?",
            "Будут ли заморожены тарифы на ЖКХ в {year2} году?",
        ],
        [
            "Пенсия {money} рублей, а за квартиру платим {money2}.",
            "Управляющая компания ничего не делает, а счета растут.",
            "В подъезде не убирают, крыша течёт.",
            "Счётчики поставили, а платим по нормативу.",
            "За год платёжка выросла в полтора раза.",
        ],
    ),
    "school": (
        [
            "Когда построят новую школу {place}?",
            "Почему {place} не хватает мест в школе?",
            "Когда отремонтируют школу {place}?",
            "Почему закрывают сельскую школу {place}?",
        ],
        [
            "Дети учатся в три смены.",
            "В классах по сорок человек.",
            "Здание построено в {year_old} году и разваливается.",
            "Детей возят за {km} километров.",
            "Учителей не хватает, уроки отменяют.",
        ],
    ),
    "clinic": (
        [
            "Почему {place} закрыли поликлинику?",
            "Когда {place} появятся врачи узких специальностей?",
            "Почему к терапевту нельзя записаться меньше чем за месяц?",
            "Когда вернут фельдшерский пункт {place}?",
        ],
        [
            "До ближайшей больницы {km} километров.",
            "Скорая едет по два часа.",
            "Талонов к кардиологу нет уже полгода.",
            "Врач принимает два дня в неделю.",
            "За анализами ездим в {city}.",
        ],
    ),
    "salary": (
        [
            "Когда поднимут зарплаты {prof}?",
            "Почему у {prof2} такая маленькая зарплата?",
            "Будет ли повышение окладов {prof} в {year2} году?",
            "Почему майские указы не выполняются для {prof2}?",
        ],
        [
            "Получаем {money} рублей на руки.",
            "Нагрузка выросла вдвое, а зарплата нет.",
            "Молодые специалисты уходят в торговлю.",
            "Приходится работать на полторы ставки.",
            "Стаж у меня {km} лет.",
        ],
    ),
    "pension": (
        [
            "Будет ли индексация пенсий работающим пенсионерам?",
            "Почему работающим пенсионерам не индексируют пенсию?",
            "Когда вернут пенсионный возраст как было?",
            "Почему пенсия меньше прожиточного минимума?",
            "Как прожить на пенсию {money} рублей?",
        ],
        [
            "Я отработал {km} лет на заводе.",
            "Половина пенсии уходит на лекарства.",
            "Стаж {km} лет, а пенсия копеечная.",
            "Инфляция съедает всю прибавку.",
            "Мне {age} лет и я вынуждена работать.",
        ],
    ),
    "drugs": (
        [
            "Почему лекарства для {who} так подорожали?",
            "Почему в аптеках {place} нет {drug}?",
            "Когда наладят выдачу льготных лекарств {place}?",
            "Почему отменили бесплатный {drug_n} для {who}?",
        ],
        [
            "Приходится покупать за свои деньги.",
            "Очередь в льготной аптеке на месяц.",
            "Заменили на дешёвый аналог, от него плохо.",
            "Врач выписывает рецепт, а в аптеке нет.",
        ],
    ),
    "housing": (
        [
            "Когда расселят аварийный дом на улице {street} {place}?",
            "Почему наш дом не признают аварийным?",
            "Как получить жильё взамен аварийного {place}?",
            "Сколько ещё ждать расселения из барака {place}?",
        ],
        [
            "Живём в нём с {year_old} года.",
            "Стены трескаются, потолок обвалился.",
            "Дом признан аварийным в {year} году.",
            "Администрация говорит что денег нет.",
            "В доме живут дети и инвалиды.",
        ],
    ),
    "garbage": (
        [
            "Что делать с мусорной свалкой {place}?",
            "Почему мусор {place} не вывозят неделями?",
            "Почему за вывоз мусора платим больше чем за свет?",
            "Кто закроет незаконный полигон возле {city}?",
        ],
        [
            "Дышать невозможно.",
            "Летом свалка горит.",
            "Контейнеры переполнены, вокруг крысы.",
            "Регоператор на жалобы не отвечает.",
        ],
    ),
    "transport": (
        [
            "Почему {place} отменили автобус до {city2}?",
            "Когда пустят электричку до {city2}?",
            "Почему проезд в автобусе стоит {money3} рублей?",
            "Когда обновят автобусы {place}?",
        ],
        [
            "Люди не могут добраться до работы.",
            "Автобус ходит два раза в день.",
            "Автобусам по тридцать лет, они ломаются.",
            "Такси нам не по карману.",
        ],
    ),
    "internet": (
        [
            "Когда {place} появится нормальный интернет?",
            "Почему {place} нет мобильной связи?",
            "Когда поставят вышку связи {place}?",
        ],
        [
            "Дети не могут учиться дистанционно.",
            "Чтобы позвонить, надо идти на горку.",
            "Скорую вызвать невозможно.",
            "Обещали по программе устранения цифрового неравенства.",
        ],
    ),
    "family": (
        [
            "Как получить материнский капитал на {what}?",
            "Почему многодетным не дают участки {place}?",
            "Почему нам отказали в пособии на ребёнка?",
            "Будет ли продлена семейная ипотека?",
            "Почему ипотека для молодых семей такая дорогая?",
        ],
        [
            "Нам отказали в {org}.",
            "У нас {kids} детей.",
            "Доход на человека чуть выше порога.",
            "Ставка {pct} процентов нам не по силам.",
            "Участок дали в болоте без дороги.",
        ],
    ),
    "water": (
        [
            "Когда починят водопровод {place}?",
            "Почему {place} из крана течёт ржавая вода?",
            "Когда построят очистные сооружения {place}?",
        ],
        [
            "Воды нет уже {km} дней.",
            "Воду возят в бочках.",
            "Трубы не меняли с {year_old} года.",
            "Анализы показали превышение железа.",
        ],
    ),
}
PERSONAL = [
    "Я пенсионерка, мне {age} лет.",
    "Я многодетная мать.",
    "Я инвалид второй группы.",
    "Я ветеран труда.",
    "Пишу от имени жителей нашего дома.",
    "Я работаю {prof_s} в {city}.",
    "Живу в {city} всю жизнь.",
    "Мы молодая семья.",
]
DETAILS = [
    "Мы писали в администрацию, но ответа нет.",
    "Сколько можно ждать?",
    "Обращались много раз, везде отписки.",
    "Местные власти только обещают.",
    "Прошу разобраться лично.",
    "Люди очень недовольны.",
    "Об этом уже писали в газете.",
    "Никому нет дела.",
]
PROFS = [
    "учителям",
    "врачам",
    "медсёстрам",
    "воспитателям",
    "библиотекарям",
    "полицейским",
    "пожарным",
    "фельдшерам",
    "водителям скорой помощи",
    "работникам культуры",
]
PROFS2 = ["учителей", "врачей", "медсестёр", "воспитателей", "санитарок", "фельдшеров"]
PROFS_S = ["учителем", "медсестрой", "врачом", "воспитателем", "фельдшером", "водителем"]
WHO = ["диабетиков", "пенсионеров", "детей", "инвалидов", "сердечников", "астматиков"]
DRUGS = ["инсулина", "нужных препаратов", "льготных лекарств", "обезболивающих", "антибиотиков"]
DRUGS_N = ["инсулин", "препарат", "курс лечения", "тест-полоски"]
WHAT = [
    "ремонт дома",
    "покупку машины",
    "строительство дома",
    "лечение ребёнка",
    "погашение кредита",
]
ORGS = ["пенсионном фонде", "соцзащите", "МФЦ", "администрации", "банке"]
KEYBOARD_NEIGHBOURS = "йцукенгшщзхъфывапролджэячсмитьбю"


def _pick(rng: np.random.Generator, items: list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _fill(rng: np.random.Generator) -> str:
    """One question as an independent person would write it."""
    asks, context = TOPICS[_pick(rng, list(TOPICS))]
    parts = [_pick(rng, asks)]
    if rng.random() < 0.85:  # most people tell their story; a few only ask
        k = int(rng.integers(1, 4))
        for i in rng.choice(len(context), size=min(k, len(context)), replace=False):
            parts.insert(int(rng.integers(0, len(parts) + 1)), context[i])
        if rng.random() < 0.5:
            parts.insert(0, _pick(rng, PERSONAL))
        if rng.random() < 0.4:
            parts.append(_pick(rng, DETAILS))
    slots = {
        "street": _pick(rng, STREETS),
        "city": _pick(rng, CITIES),
        "city2": _pick(rng, CITIES),
        "year": int(rng.integers(2012, 2025)),
        "year2": int(rng.integers(2025, 2027)),
        "year_old": int(rng.integers(1950, 1990)),
        "money": int(rng.integers(8, 40)) * 1000,
        "money2": int(rng.integers(3, 15)) * 1000,
        "money3": int(rng.integers(30, 90)),
        "km": int(rng.integers(5, 60)),
        "age": int(rng.integers(55, 90)),
        "pct": int(rng.integers(6, 22)),
        "kids": int(rng.integers(3, 8)),
        "prof": _pick(rng, PROFS),
        "prof2": _pick(rng, PROFS2),
        "prof_s": _pick(rng, PROFS_S),
        "who": _pick(rng, WHO),
        "drug": _pick(rng, DRUGS),
        "drug_n": _pick(rng, DRUGS_N),
        "what": _pick(rng, WHAT),
        "org": _pick(rng, ORGS),
    }
    slots["place"] = _pick(rng, PLACES).format(city=slots["city"])
    return " ".join(parts).format(**slots)


def _typo(text: str, rng: np.random.Generator) -> str:
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long:
        return text
    i = long[rng.integers(len(long))]
    w = words[i]
    j = int(rng.integers(1, len(w) - 1))
    op = rng.integers(4)
    if op == 0:
        w = w[:j] + w[j + 1 :]  # drop a letter
    elif op == 1:
        w = w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]  # swap two letters
    elif op == 2:
        w = w[:j] + KEYBOARD_NEIGHBOURS[rng.integers(len(KEYBOARD_NEIGHBOURS))] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]  # double a letter
    words[i] = w
    return " ".join(words)


def _variant(text: str, rng: np.random.Generator, *, campaign: bool = False) -> str:
    """A re-send of ``text``: exact, greeting/closing added, typos, a dropped word, recased."""
    r = rng.random()
    if r < 0.25:
        out = text
    elif r < 0.45:
        out = GREETINGS[rng.integers(len(GREETINGS))] + " " + text
    elif r < 0.55:
        out = text + " " + CLOSINGS[rng.integers(len(CLOSINGS))]
    elif r < 0.80:
        out = _typo(text, rng)
    elif r < 0.90:
        out = _typo(_typo(text, rng), rng)
        if rng.random() < 0.5:
            out = _typo(out, rng)
    else:
        words = text.split(" ")
        if len(words) > 6:
            del words[int(rng.integers(len(words)))]
        out = " ".join(words)
    if rng.random() < 0.15:
        out = out.upper() if campaign and rng.random() < 0.3 else out.lower()
    return out


def synthetic_event(n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``questions`` (id, text, created_at, channel, region, sender) and ``truth`` (id,
    dup_group, campaign), like ``veche.demo.generate``."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-12-01", tz="UTC")
    days = 16
    texts: list[str] = []
    group: list[int] = []
    campaign: list[str] = []
    senders: list[str] = []
    times: list[float] = []
    gid = 0
    gid_of: dict[str, int] = {}  # the same question asked by different people is one group
    n_campaign_rows = int(0.15 * n)
    while len(texts) < n_campaign_rows:  # campaigns: a template pushed through chats
        size = int(min(n_campaign_rows - len(texts), rng.integers(100, 3000)))
        base = _fill(rng) + " " + CLOSINGS[rng.integers(len(CLOSINGS))]
        t0 = rng.uniform(0, days - 2)
        for _ in range(size):
            texts.append(_variant(base, rng, campaign=True))
            group.append(gid)
            campaign.append(f"c{gid}")
            senders.append(f"s{rng.integers(1 << 40):x}")
            times.append(t0 + rng.exponential(0.4))
        gid += 1
    while len(texts) < n:  # organic: most questions once, some re-sent by their author
        base = _fill(rng)
        g = gid_of.setdefault(base, gid)
        size = 1 if rng.random() < 0.7 else int(rng.integers(2, 6))
        size = min(size, n - len(texts))
        sender = f"s{rng.integers(1 << 40):x}"
        t0 = rng.uniform(0, days)
        for k in range(size):
            texts.append(base if k == 0 else _variant(base, rng))
            group.append(g)
            campaign.append("")
            senders.append(sender)
            times.append(min(days, t0 + rng.exponential(0.5) * (k > 0)))
        gid += 1
    order = rng.permutation(n)
    ids = [f"q{i}" for i in range(n)]
    created = start + pd.to_timedelta(np.asarray(times)[order], unit="D")
    questions = pd.DataFrame(
        {
            "id": ids,
            "text": np.asarray(texts, dtype=object)[order],
            "created_at": created,
            "channel": rng.choice(["website", "sms", "call_centre", "social", "app"], size=n),
            "region": rng.choice(CITIES, size=n),
            "sender": np.asarray(senders, dtype=object)[order],
        }
    )
    truth = pd.DataFrame(
        {
            "id": ids,
            "dup_group": np.asarray(group)[order],
            "campaign": np.asarray(campaign, dtype=object)[order],
        }
    )
    return questions, truth


def load_event(n: int, seed: int, source: str) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    if source in ("auto", "demo"):
        try:
            try:
                from veche.demo import generate
            except ImportError:
                from veche.demo.generator import generate

            ev = generate(n, seed)
            q = ev.questions.copy()
            if "sender" not in q.columns:  # a pseudonymous sender key, as the pipeline makes
                contact = q.get("phone", pd.Series(index=q.index, dtype=object))
                contact = contact.fillna(q.get("email", pd.Series(index=q.index, dtype=object)))
                q["sender"] = contact
            return q, ev.truth, "veche.demo.generate"
        except Exception as exc:  # noqa: BLE001 - the demo generator is optional here
            if source == "demo":
                raise
            print(
                f"veche.demo.generate unavailable ({type(exc).__name__}: {exc}); "
                "using the bench's own generator"
            )
    q, truth = synthetic_event(n, seed)
    return q, truth, "bench synthetic"


_NON_WORD = re.compile(r"[^0-9a-zа-я]+")


def _stand_in_key(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower().replace("ё", "е")).strip()


def make_keys(texts: pd.Series) -> tuple[list[str], str]:
    try:
        from veche.text import dedup_key

        return [dedup_key(t) for t in texts], "veche.text.dedup_key"
    except ImportError:
        return [_stand_in_key(t) for t in texts], "bench stand-in normaliser"


def _join_labels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of rows linked by equal ``a`` or equal ``b`` labels."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    na = int(a.max()) + 1
    size = na + int(b.max()) + 1
    graph = coo_matrix((np.ones(a.size), (a, na + b)), shape=(size, size))
    return connected_components(graph, directed=False)[1][a]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--source", choices=["auto", "demo", "synthetic"], default="auto")
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--num-perm", type=int, default=64)
    ap.add_argument("--shingle", choices=["word", "char"], default="word")
    ap.add_argument("--ngram", type=int, default=None)
    ap.add_argument("--backend", choices=["numpy", "datasketch"], default="numpy")
    ap.add_argument("--grouping", choices=["centres", "components"], default="centres")
    ap.add_argument("--skip-campaigns", action="store_true")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    q, truth, source = load_event(args.n, args.seed, args.source)
    print(f"generated {len(q):,} questions from {source} in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    keys, normaliser = make_keys(q["text"])
    print(f"keys by {normaliser} in {time.perf_counter() - t:.1f} s")
    rss0 = rss_mb()
    print(f"peak RSS before grouping: {rss0:,.0f} MB")

    t = time.perf_counter()
    ex = exact_groups(keys)
    t_exact = time.perf_counter() - t
    _, first = np.unique(ex, return_index=True)
    distinct = [keys[i] for i in first]  # label order == first appearance
    print(
        f"exact_groups: {len(keys):,} keys -> {len(distinct):,} distinct in {t_exact:.2f} s "
        f"({len(keys) / max(t_exact, 1e-9):,.0f} texts/s)"
    )

    t = time.perf_counter()
    near, sim_distinct = near_groups(
        distinct,
        threshold=args.threshold,
        num_perm=args.num_perm,
        shingle=args.shingle,
        ngram=args.ngram,
        backend=args.backend,
        grouping=args.grouping,
        return_similarity=True,
        progress=lambda k: None,
    )
    t_near = time.perf_counter() - t
    labels = near[ex]
    print(
        f"near_groups ({args.backend}, {args.grouping}, {args.shingle} shingles, "
        f"threshold {args.threshold}, "
        f"{args.num_perm} perms): {len(distinct):,} distinct texts -> {near.max() + 1:,} groups "
        f"in {t_near:.2f} s ({len(distinct) / max(t_near, 1e-9):,.0f} texts/s)"
    )
    print(f"peak RSS after grouping: {rss_mb():,.0f} MB (+{rss_mb() - rss0:,.0f} MB)")

    gold = truth.set_index("id").loc[q["id"]]
    s_exact = pair_scores(ex, gold["dup_group"].to_numpy())
    s_near = pair_scores(labels, gold["dup_group"].to_numpy())
    scores = [("exact only", s_exact), ("exact + near", s_near)]
    # gold groups joined where they share a key: no grouping can tell identical keys apart, so
    # this is the fair gold when the generator files the same text under different groups
    g_codes = pd.factorize(gold["dup_group"].to_numpy())[0]
    fair = _join_labels(g_codes, ex)
    if not np.array_equal(pd.factorize(fair)[0], g_codes):
        s_fair = pair_scores(ex, fair)
        scores.append(("exact only vs gold joined over equal keys", s_fair))
        scores.append(("exact + near vs gold joined over equal keys", pair_scores(labels, fair)))
    in_campaign = gold["campaign"].fillna("").astype(str).to_numpy() != ""
    if in_campaign.any() and not in_campaign.all():
        g = gold["dup_group"].to_numpy()
        scores.append(("  campaign rows", pair_scores(labels[in_campaign], g[in_campaign])))
        scores.append(("  other rows", pair_scores(labels[~in_campaign], g[~in_campaign])))
    for name, s in scores:
        print(
            f"pairs vs gold [{name}]: precision {s['precision']:.4f}  recall {s['recall']:.4f}  "
            f"F1 {s['f1']:.4f}  (pred {s['n_pred_pairs']:,}, gold {s['n_gold_pairs']:,})"
        )

    if args.skip_campaigns:
        return
    t = time.perf_counter()
    frame = pd.DataFrame(
        {
            "group": labels,
            "created_at": pd.to_datetime(q["created_at"], utc=True),
            "sender": q.get("sender"),
            "region": q.get("region"),
            "channel": q.get("channel"),
            "similarity": sim_distinct[ex],
        }
    )
    camp = flag_campaigns(frame, CampaignRules())
    t_camp = time.perf_counter() - t
    flagged_groups = set(camp.loc[camp["is_campaign"], "group"])
    flagged = frame["group"].isin(flagged_groups).to_numpy()
    true_c = gold["campaign"].fillna("").astype(str).to_numpy() != ""
    tp = int((flagged & true_c).sum())
    print(
        f"flag_campaigns: {len(camp):,} groups in {t_camp:.2f} s; {len(flagged_groups)} flagged; "
        f"campaign questions precision {tp / max(flagged.sum(), 1):.4f} "
        f"recall {tp / max(true_c.sum(), 1):.4f}"
    )
    top = camp[camp["is_campaign"]].sort_values("size", ascending=False).head(3)
    for reason in top["reason"]:
        print(f"  e.g. {reason}")
    print(f"peak RSS at the end: {rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
