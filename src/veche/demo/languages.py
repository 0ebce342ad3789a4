"""Questions in English, Ukrainian, Tatar and Kazakh: fewer wordings, same themes.

Each entry is ``(subissue id, text)``; texts may use the usual ``{slots}`` and ``<<PII>>``.
"""

from veche.demo.templates import compile_tpl

EN = [
    (
        "pensions.indexation",
        "Why are pensions of working pensioners not fully indexed? I am {age} and still work, and my pension has barely changed.",
    ),
    (
        "pensions.small_amount",
        "My pension is {pension} roubles a month. After paying for utilities and medicine there is almost nothing left for food. How are we supposed to live?",
    ),
    (
        "pensions.retirement_age",
        "Will the retirement age ever be lowered again? Nobody wants to hire people in their late fifties.",
    ),
    (
        "housing_utilities.tariffs",
        "Utility bills keep going up every year while salaries stay the same. Who controls the tariffs?",
    ),
    (
        "housing_utilities.emergency_housing",
        "Our building was declared unsafe years ago, but we still live there. The walls are cracking. When will we be resettled?",
    ),
    (
        "housing_utilities.mortgage",
        "Mortgage rates are above 20 percent. How can a young family ever buy a flat?",
    ),
    (
        "housing_utilities.heating",
        "The radiators in our flat are barely warm and the management company does nothing.",
    ),
    (
        "healthcare.doctor_shortage",
        "There are no specialists in our local hospital. We have to travel {km} km to see a cardiologist.",
    ),
    (
        "healthcare.drug_supply",
        "I am entitled to free medication, but the pharmacy has not had it for {months_y}.",
    ),
    (
        "healthcare.appointments",
        "It is impossible to get an appointment with a doctor. The online system never has free slots.",
    ),
    (
        "roads_transport.road_repair",
        "The road in our town is full of potholes. It was repaired last year and fell apart within a month.",
    ),
    (
        "roads_transport.public_transport",
        "The only bus to the district centre was cancelled. How are elderly people supposed to get to the hospital?",
    ),
    (
        "prices_economy.food_prices",
        "Food prices have nearly doubled. Butter and eggs are now a luxury for pensioners.",
    ),
    (
        "prices_economy.wages",
        "I work full time and earn {salary} roubles. That is not enough to support a family.",
    ),
    (
        "prices_economy.small_business",
        "Why do small businesses have to pay VAT now? It will destroy my small shop.",
    ),
    (
        "education.kindergarten_places",
        "My child is three and there is still no place in a kindergarten for us.",
    ),
    (
        "education.university_budget",
        "There are fewer and fewer free places at universities. How can children from ordinary families study?",
    ),
    (
        "education.teacher_pay",
        "I am a teacher with 20 years of experience and my salary is lower than a courier's.",
    ),
    (
        "military_families.payments",
        "My son is serving under contract and has not received his pay for {months_y}. Please help.",
    ),
    (
        "military_families.rotation_leave",
        "When will the mobilised soldiers be rotated home? My husband has not seen our children for a year.",
    ),
    (
        "ecology.landfills",
        "They want to build a landfill two kilometres from our village. We are strongly against it.",
    ),
    (
        "ecology.stray_animals",
        "Packs of stray dogs attack children in our neighbourhood. Nobody takes any measures.",
    ),
    (
        "social_support.child_benefit",
        "We were refused the unified child benefit because of an old car. This is unfair.",
    ),
    (
        "social_support.large_families",
        "We are a large family with four children. What support can we get?",
    ),
    (
        "state_society.internet_blocks",
        "Mobile internet is switched off every day in our region. I work remotely and cannot do my job.",
    ),
    (
        "state_society.migration",
        "I came from Kazakhstan years ago and still cannot get Russian citizenship. Why is it so hard for compatriots?",
    ),
    (
        "foreign_policy.peace_talks",
        "When will the conflict end? Everyone is tired and wants peace.",
    ),
    ("foreign_policy.travel", "Will it ever be easy again to get a Schengen visa?"),
    (
        "culture_sport.sports_facilities",
        "Our town has no swimming pool. Could one be built for the children?",
    ),
]
UK = [
    (
        "pensions.small_amount",
        "Моя пенсія {pension} рублів. Після оплати комунальних послуг майже нічого не лишається на їжу.",
    ),
    (
        "pensions.indexation",
        "Чому працюючим пенсіонерам так довго не індексували пенсію? Я працюю все життя.",
    ),
    (
        "housing_utilities.tariffs",
        "Тарифи на комунальні послуги ростуть щороку, а зарплата ні. Хто це контролює?",
    ),
    (
        "housing_utilities.emergency_housing",
        "Наш будинок визнали аварійним, а переселяти не поспішають. Стіни тріщать.",
    ),
    (
        "healthcare.doctor_shortage",
        "У нашій лікарні немає лікарів, до кардіолога треба їхати {km} кілометрів.",
    ),
    (
        "healthcare.drug_supply",
        "Пільгових ліків в аптеці немає вже {months_y}. Купую за свої гроші.",
    ),
    (
        "roads_transport.road_repair",
        "Дорога в нашому селі вся в ямах, ремонту не було багато років.",
    ),
    (
        "roads_transport.public_transport",
        "Автобус до районного центру скасували. Як тепер діставатися до лікарні?",
    ),
    ("prices_economy.food_prices", "Ціни на продукти дуже виросли, на пенсію неможливо прожити."),
    (
        "prices_economy.wages",
        "Зарплата {salary} рублів, цього не вистачає навіть на найнеобхідніше.",
    ),
    ("education.kindergarten_places", "Дитині три роки, а місця в дитячому садку досі немає."),
    (
        "education.school_conditions",
        "Школа в нашому селищі дуже стара, дах протікає, спортзалу немає.",
    ),
    (
        "military_families.payments",
        "Мій син служить за контрактом, грошове забезпечення не надходить уже {months_y}.",
    ),
    (
        "military_families.missing",
        "Мій чоловік зник безвісти. Допоможіть дізнатися хоч щось про нього.",
    ),
    (
        "social_support.large_families",
        "Ми багатодітна сім'я, у нас четверо дітей. Яку допомогу нам можуть надати?",
    ),
    (
        "social_support.disability",
        "Синові зняли інвалідність, хоча діагноз не змінився. Як це можливо?",
    ),
    (
        "state_society.migration",
        "Я {переїхав|переїхала} з України, вже {n_years_y} не можу отримати громадянство. Прошу допомогти.",
    ),
    ("state_society.local_authorities", "Місцева адміністрація не відповідає на наші звернення."),
    (
        "foreign_policy.peace_talks",
        "Коли закінчиться війна? Всі хочуть миру, щоб люди перестали гинути.",
    ),
    ("foreign_policy.compatriots", "У мене рідні залишилися в Україні. Як допомогти їм переїхати?"),
    ("ecology.water_pollution", "У нашу річку зливають стічні води, риба гине."),
    ("housing_utilities.gasification", "Газ до нашого села обіцяють провести вже багато років."),
]
TT = [
    (
        "pensions.indexation",
        "Эшләүче пенсионерларга пенсияне кайчан тулысынча индексацияләячәкләр?",
    ),
    ("pensions.small_amount", "Минем пенсиям бик аз, даруларга да җитми. Ничек яшәргә?"),
    (
        "housing_utilities.tariffs",
        "Коммуналь хезмәтләр өчен түләү ел саен арта, без түләп бетерә алмыйбыз.",
    ),
    ("housing_utilities.gasification", "Безнең авылга газ кертүне күп еллар вәгъдә итәләр."),
    (
        "healthcare.doctor_shortage",
        "Безнең авылда табиб юк, хастаханәгә {km} километр барырга кирәк.",
    ),
    ("healthcare.drug_supply", "Ташламалы дарулар аптекада юк, үз акчама сатып алам."),
    (
        "roads_transport.road_repair",
        "Авылыбыздагы юлны күп еллар төзәткәннәре юк, язын үтеп булмый.",
    ),
    ("education.kindergarten_places", "Балалар бакчасында урын юк, балама өч яшь инде."),
    ("education.school_conditions", "Мәктәп бинасы иске, түбәсе ага, спорт залы юк."),
    ("prices_economy.food_prices", "Азык-төлек бәяләре бик нык үсте, хезмәт хакы җитми."),
    ("military_families.payments", "Улым махсус хәрби операциядә, түләүләр кайчан киләчәк?"),
    ("social_support.large_families", "Без күп балалы гаилә, безгә нинди ярдәм бар?"),
    ("ecology.landfills", "Авыл янында чүплек ясадылар, һава начар, балалар авырый."),
    ("state_society.local_authorities", "Җирле хакимият безнең мөрәҗәгатьләргә җавап бирми."),
    ("culture_sport.culture_houses", "Авылда мәдәният йорты ябылды, яшьләргә барыр урын юк."),
    ("foreign_policy.peace_talks", "Сугыш кайчан бетәр? Тынычлык булсын иде."),
]
KK = [
    ("pensions.indexation", "Жұмыс істейтін зейнеткерлердің зейнетақысы қашан толық индекстеледі?"),
    ("pensions.small_amount", "Менің зейнетақым өте аз, дәріге де жетпейді."),
    (
        "housing_utilities.tariffs",
        "Коммуналдық қызметтердің бағасы жыл сайын өсіп жатыр, төлеуге қиын.",
    ),
    ("housing_utilities.water_supply", "Ауылымызда ауыз су жоқ, суды алыстан тасимыз."),
    (
        "healthcare.doctor_shortage",
        "Біздің ауылда дәрігер жоқ, ауруханаға {km} шақырым жүру керек.",
    ),
    ("healthcare.drug_supply", "Жеңілдетілген дәрілер дәріханада жоқ, өз ақшама сатып аламын."),
    (
        "roads_transport.road_repair",
        "Ауылымыздағы жол көптен бері жөнделмеген, көктемде өту мүмкін емес.",
    ),
    ("education.kindergarten_places", "Балабақшада орын жоқ, балам үш жаста."),
    ("prices_economy.food_prices", "Азық-түлік бағасы қатты өсті, айлық жетпейді."),
    (
        "prices_economy.farmers",
        "Мал шаруашылығымен айналысамыз, жем-шөп қымбаттап кетті, көмек керек.",
    ),
    ("military_families.payments", "Ұлым арнайы әскери операцияда, төлемдер қашан келеді?"),
    ("social_support.large_families", "Біз көп балалы отбасымыз, бізге қандай көмек бар?"),
    ("ecology.water_pollution", "Өзенге қалдықтар төгіліп жатыр, балық өліп жатыр."),
    ("state_society.local_authorities", "Жергілікті әкімшілік біздің өтінішімізге жауап бермейді."),
    ("foreign_policy.peace_talks", "Соғыс қашан бітеді? Бейбітшілік болсын."),
]

GREET = {
    "en": ["Hello,", "Dear Mr President,", "Good afternoon.", "Hello!", "Hi,"],
    "uk": ["Добрий день!", "Доброго дня.", "Шановний Президенте!", "Вітаю!"],
    "tt": ["Исәнмесез!", "Хәерле көн!", "Хөрмәтле Президент!"],
    "kk": ["Сәлеметсіз бе!", "Қайырлы күн!", "Құрметті Президент!"],
}
CLOSE = {
    "en": ["Thank you.", "Thank you in advance.", "Please help.", "Best regards."],
    "uk": ["Дякую.", "Допоможіть, будь ласка!", "Чекаю на відповідь."],
    "tt": ["Рәхмәт.", "Ярдәм итегез, зинһар!", "Җавап көтәм."],
    "kk": ["Рахмет.", "Көмектесіңізші!", "Жауап күтемін."],
}
INTRO = {
    "en": ["My name is <<SELF_LATIN>>.", "My name is <<SELF_LATIN>>, I am {age} years old."],
    "uk": ["Мене звати <<SELF_IF>>.", "Мене звати <<SELF_IF>>, мені {age} років."],
    "tt": ["Минем исемем <<SELF_IF>>."],
    "kk": ["Менің атым <<SELF_IF>>."],
}
CONTACT = {
    "en": ["My phone number is <<PHONE>>.", "You can reach me at <<EMAIL>>."],
    "uk": ["Мій телефон <<PHONE>>."],
    "tt": ["Телефоным <<PHONE>>."],
    "kk": ["Телефоным <<PHONE>>."],
}
TEXTS = {"en": EN, "uk": UK, "tt": TT, "kk": KK}

# regions where people writing in these languages mostly live (the rest by population)
FOCUS = {
    "tt": {"RU-TA": 0.6, "RU-BA": 0.2, "RU-ULY": 0.05},
    "kk": {"RU-ORE": 0.3, "RU-AST": 0.25, "RU-OMS": 0.2, "RU-SAR": 0.1, "RU-ALT": 0.05},
    "uk": {
        "RU-BEL": 0.12,
        "RU-KRS": 0.08,
        "RU-ROS": 0.12,
        "RU-KDA": 0.1,
        "RU-MOW": 0.15,
        "RU-VOR": 0.05,
    },
    "en": {"RU-MOW": 0.45, "RU-SPE": 0.2},
}

C_TEXTS = {lang: [(sid, compile_tpl(t)) for sid, t in items] for lang, items in TEXTS.items()}
C_INTRO = {lang: [compile_tpl(t) for t in items] for lang, items in INTRO.items()}
C_CONTACT = {lang: [compile_tpl(t) for t in items] for lang, items in CONTACT.items()}
