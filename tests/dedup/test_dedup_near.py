import numpy as np
import pytest

from veche.dedup import lsh_params, minhash_signatures, near_groups

# keys as veche.text.dedup_key makes them: lower case, ё -> е, no punctuation
SCHOOL = (
    "когда в нашем поселке построят новую школу дети учатся в три смены в старом здании "
    "которое построено еще в 1962 году крыша течет а зимой в классах холодно мы писали "
    "в администрацию района и в министерство образования но получаем только отписки"
)
SCHOOL_TYPO = SCHOOL.replace("построят", "пострят")
SCHOOL_GREETING = "здравствуйте " + SCHOOL
SCHOOL_TWO_TYPOS = SCHOOL_TYPO.replace("министерство", "минестерство")
# the same topic, worded differently by another person
SCHOOL_OTHER = (
    "почему у нас в районе до сих пор нет новой школы наши дети ходят в здание 1962 года "
    "постройки там холодно и течет крыша администрация обещает построить школу уже "
    "десять лет но ничего не меняется"
)
TARIFFS = (
    "почему так выросли тарифы жкх пенсия у меня восемнадцать тысяч рублей а за квартиру "
    "приходится платить почти семь тысяч управляющая компания ничего не делает подъезд "
    "не убирают а счета растут каждый год кто это контролирует"
)
ROADS = (
    "когда отремонтируют дорогу на улице гагарина ямы такие что машины ломаются весной "
    "дорогу полностью размывает и скорая не может к нам проехать деньги на ремонт "
    "выделяли в 2019 году но ничего так и не сделали"
)


def same(labels, i, j):
    return labels[i] == labels[j]


def test_near_groups_joins_typos_and_greeting_keeps_others_apart():
    keys = [SCHOOL, TARIFFS, SCHOOL_TYPO, ROADS, SCHOOL_GREETING, SCHOOL_OTHER]
    labels = near_groups(keys)
    assert labels.dtype == np.int64
    assert same(labels, 0, 2) and same(labels, 0, 4)
    assert len({labels[0], labels[1], labels[3], labels[5]}) == 4
    # labels are 0..k-1 by first appearance
    assert labels.tolist() == [0, 1, 0, 2, 0, 3]


def test_char_shingles_join_several_typos():
    keys = [SCHOOL, SCHOOL_TWO_TYPOS, SCHOOL_OTHER, TARIFFS]
    labels = near_groups(keys, shingle="char")  # ngram defaults to 5 characters
    assert same(labels, 0, 1)
    assert len({labels[0], labels[2], labels[3]}) == 3


def test_short_texts_get_shingles_and_empty_texts_stay_alone():
    keys = ["газ", "где газ", "когда будет газ", "", "  ", "газ"]
    sig, has = minhash_signatures(keys)
    assert has.tolist() == [True, True, True, False, False, True]
    assert sig.shape == (6, 64) and sig.dtype == np.uint32
    assert (sig[0] == sig[5]).all()
    labels = near_groups(keys)
    assert labels[0] == labels[5]  # identical one-word texts
    assert len(set(labels[:5].tolist())) == 5  # blank texts are never grouped
    char_sig, char_has = minhash_signatures(["газ", "газы"], shingle="char")
    assert char_has.all()


def test_empty_input_and_progress():
    calls = []
    out = near_groups([], progress=calls.append)
    assert out.dtype == np.int64 and out.size == 0
    assert calls == [0]
    keys = [SCHOOL, TARIFFS, ROADS] * 1  # one chunk: progress reports the end only
    near_groups(keys, progress=calls.append)
    assert calls[-1] == 3


def test_determinism_and_seed():
    keys = [SCHOOL, SCHOOL_TYPO, TARIFFS, ROADS, SCHOOL_OTHER, SCHOOL_GREETING]
    a = minhash_signatures(keys, seed=5)[0]
    b = minhash_signatures(keys, seed=5)[0]
    c = minhash_signatures(keys, seed=6)[0]
    assert (a == b).all()
    assert (a != c).any()
    assert near_groups(keys, seed=5).tolist() == near_groups(keys, seed=5).tolist()
    # a text's signature does not depend on the other texts
    assert (minhash_signatures([TARIFFS], seed=5)[0][0] == a[2]).all()


def _words(n, start=0):
    return [f"слово{i}" for i in range(start, start + n)]


def test_threshold_effect():
    base = _words(40)
    changed = list(base)
    changed[20] = "другое"  # one word: 3 of 38 shingles change -> Jaccard 35/41 = 0.85
    keys = [" ".join(base), " ".join(changed)]
    assert same(near_groups(keys, threshold=0.7), 0, 1)
    assert not same(near_groups(keys, threshold=0.95), 0, 1)
    labels, sim = near_groups(keys, threshold=0.7, return_similarity=True)
    assert sim[0] == 1.0 or sim[1] == 1.0  # the centre itself
    assert 0.75 <= sim.min() <= 0.95


def test_chains_are_cut_so_every_text_is_close_to_its_centre():
    # a sliding window: neighbours share 36 of 40 words, the ends share nothing
    keys = [" ".join(_words(40, 4 * k)) for k in range(12)]
    labels, sim = near_groups(keys, threshold=0.7, return_similarity=True)
    assert labels[0] != labels[-1]
    assert (sim >= 0.7).all()
    assert len(set(labels.tolist())) < len(keys)  # but neighbours are still grouped
    chained = near_groups(keys, threshold=0.7, grouping="components")
    assert len(set(chained.tolist())) == 1  # what plain connected components would do


def test_signature_estimates_jaccard_without_bias():
    rng = np.random.default_rng(1)
    errors = []
    for trial in range(150):
        n = int(rng.integers(10, 120))
        k = int(rng.integers(0, n))
        a = _words(n)
        b = a[:k] + [f"иное{trial}_{i}" for i in range(n - k)]
        sig, _ = minhash_signatures([" ".join(a), " ".join(b)], ngram=1, seed=trial)
        errors.append((sig[0] == sig[1]).mean() - k / (2 * n - k))
    errors = np.asarray(errors)
    assert abs(errors.mean()) < 0.015
    assert np.sqrt((errors**2).mean()) < 0.07  # theory: <= sqrt(0.25 / 64) = 0.0625


def test_big_bucket_of_campaign_copies_is_one_group():
    rng = np.random.default_rng(0)
    base = SCHOOL.split()
    keys = set()
    while len(keys) < 400:  # distinct variants: one word replaced, or one word added
        w = list(base)
        i = int(rng.integers(len(w)))
        if rng.random() < 0.5:
            w[i] = f"x{rng.integers(10**6)}"
        else:
            w.insert(i, f"y{rng.integers(10**6)}")
        keys.add(" ".join(w))
    keys = sorted(keys) + [TARIFFS, ROADS]
    labels = near_groups(keys)
    assert len(set(labels[:400].tolist())) == 1
    assert len(set(labels.tolist())) == 3


def test_lsh_params_and_argument_checks():
    b, r = lsh_params(0.7, 64)
    assert b * r <= 64
    assert 1 - (1 - 0.7**r) ** b >= 0.95
    with pytest.raises(ValueError):
        near_groups(["a"], threshold=0)
    with pytest.raises(ValueError):
        near_groups(["a"], shingle="sentence")
    with pytest.raises(ValueError):
        near_groups(["a"], ngram=0)
