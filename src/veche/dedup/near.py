"""Near-duplicate groups: MinHash signatures, LSH banding in numpy, verified centre-based groups.

How it works
------------
1. **Shingles.** Each text is cut into word n-grams (default 3 words) or character n-grams
   (``shingle="char"``, default 5 characters). A text with fewer units than ``ngram`` gets one
   shingle made of all its units, so short texts still have a signature; an empty text has none
   and stays a singleton. Words are hashed with a fixed 64-bit polynomial hash computed in numpy
   over the UTF-32 code points of a whole chunk of texts at once (no per-word Python work, and
   independent of the process' ``PYTHONHASHSEED``), then n-grams are combined in numpy.
2. **MinHash.** ``num_perm`` multiply-shift hash functions ``h_k(x) = (a_k * x + b_k) >> 32`` over
   the 64-bit shingle hashes (``a_k`` odd, ``a_k, b_k`` drawn from ``seed``), reduced per text with
   ``np.minimum.reduceat``. Signatures are an ``n x num_perm`` ``uint32`` matrix (256 MB for
   1M texts at 64 permutations). ``datasketch.MinHash`` computes the same kind of signature
   with the same estimator quality, several times slower (``bench/dedup_speed.py --peer``).
3. **LSH banding**, done by hand instead of ``MinHashLSH`` (whose in-memory index costs ~1.2 GB
   per 100k texts): the signature is cut into ``b`` bands of ``r`` rows, chosen for ``threshold``
   so that a pair at the threshold becomes a candidate with probability >= 0.95 while as few
   dissimilar pairs as possible do (for 0.7 and 64 permutations: 16 bands of 4). Per band, the
   ``r`` values are hashed into one ``uint64`` bucket key and rows are sorted by it.
4. **Verified centre-based groups** (default, ``grouping="centres"``, see :func:`_centres`):
   each text is compared with the most central text of each of its buckets and joins the best
   one it is verified similar to (estimated Jaccard >= ``threshold``, i.e. that share of equal
   signature values). Every member of a group is thus within the threshold of the group's
   centre: no chaining A~B~C~... across a topic, and no pair inside a bucket is ever
   enumerated, so a campaign of 100k copies costs no more than 100k distinct texts.
   ``grouping="components"`` gives plain connected components of verified pairs
   (``scipy.sparse.csgraph``; each row paired with ``_WINDOW`` neighbours of its bucket per
   band) for comparison: they chain badly on formulaic questions (see the bench).
5. Labels ``0..k-1`` by first appearance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["lsh_params", "minhash_signatures", "near_groups"]

_U64 = np.uint64
_C1 = _U64(0xFF51AFD7ED558CCD)
_C2 = _U64(0xC4CEB9FE1A85EC53)
_S33 = _U64(33)
_S32 = _U64(32)
_CHAR_MUL = _U64(0x100000001B3)  # FNV prime: positional weight of characters in a word
_LEN_MUL = _U64(0x9E3779B97F4A7C15)
# order-sensitive weights of the units inside one shingle (odd 64-bit constants)
_NGRAM_MUL = np.array(
    [
        0x9E3779B97F4A7C15,
        0xBF58476D1CE4E5B9,
        0x94D049BB133111EB,
        0xD6E8FEB86659FD93,
        0xA0761D6478BD642F,
        0xE7037ED1A0B428DB,
        0x8EBC6AF09C88C6E3,
        0x589965CC75374CC3,
    ],
    dtype=np.uint64,
)
_EMPTY = np.uint32(0xFFFFFFFF)
_WINDOW = 8  # grouping="components": pairs per row per band inside a bucket
_CHUNK_CHARS = 1 << 20  # characters per signature chunk (bounds memory)
_CHUNK_TEXTS = 20_000  # texts per chunk (progress granularity)
_VERIFY_CHUNK = 1 << 16  # candidate pairs compared at once
_MAX_ROUNDS = 8  # rounds of centre finding (see _centres)

Shingle = Literal["word", "char"]


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser (a bijection that avalanches), in place on a copy."""
    h = h ^ (h >> _S33)
    h *= _C1
    h ^= h >> _S33
    h *= _C2
    h ^= h >> _S33
    return h


# ---------------------------------------------------------------------------------------------
# shingling


def _codepoints(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    joined = "".join(texts).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(joined, dtype="<u4"), lens


def _word_units(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the whitespace-separated words of ``texts`` and the word count per text."""
    cp, lens = _codepoints(texts)
    nt = len(texts)
    if cp.size == 0:
        return np.zeros(0, np.uint64), np.zeros(nt, np.int64)
    ends = np.cumsum(lens)
    space = (cp <= 32) | (cp == 0xA0) | (cp == 0x3000) | ((cp >= 0x2000) & (cp <= 0x200B))
    boundary = np.empty(cp.size, dtype=bool)  # previous char is a space or another text
    boundary[0] = True
    boundary[1:] = space[:-1]
    starts_at = (ends - lens)[lens > 0]
    boundary[starts_at] = True
    word_start = ~space & boundary
    keep = ~space
    c = cp[keep].astype(np.uint64)
    if c.size == 0:
        return np.zeros(0, np.uint64), np.zeros(nt, np.int64)
    flags = word_start[keep]
    wstart = np.flatnonzero(flags)
    wid = np.cumsum(flags) - 1
    pos = np.arange(c.size) - wstart[wid]
    pw = np.full(int(pos.max()) + 1, _CHAR_MUL, dtype=np.uint64)
    pw[0] = 1
    pw = np.cumprod(pw)  # wraps modulo 2**64, as intended
    h = np.add.reduceat((c + _U64(1)) * pw[pos], wstart)
    wlen = np.diff(np.append(wstart, c.size)).astype(np.uint64)
    h = _fmix64(h ^ (wlen * _LEN_MUL))
    word_text = np.searchsorted(ends, np.flatnonzero(word_start), side="right")
    return h, np.bincount(word_text, minlength=nt).astype(np.int64)


def _char_units(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    cp, lens = _codepoints(texts)
    return _fmix64(cp.astype(np.uint64) + _U64(1)), lens


def _shingle_hashes(
    units: np.ndarray, counts: np.ndarray, ngram: int
) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the ``ngram``-unit windows of each text (fewer units: one window of all)."""
    neff = np.minimum(counts, ngram)
    nsh = np.where(counts > 0, counts - neff + 1, 0)
    total = int(nsh.sum())
    if total == 0:
        return np.zeros(0, np.uint64), nsh
    sh_text = np.repeat(np.arange(counts.size), nsh)
    first_sh = np.cumsum(nsh) - nsh
    ustart = np.cumsum(counts) - counts
    base = ustart[sh_text] + (np.arange(total) - first_sh[sh_text])
    ne = neff[sh_text]
    h = units[base] * _NGRAM_MUL[0]
    last = units.size - 1
    for i in range(1, ngram):
        mul = _NGRAM_MUL[i % _NGRAM_MUL.size] + _U64(2 * (i // _NGRAM_MUL.size))
        term = units[np.minimum(base + i, last)] * mul
        term[ne <= i] = 0
        h += term
    h = _fmix64(h ^ (ne.astype(np.uint64) * _LEN_MUL))
    return h, nsh


# ---------------------------------------------------------------------------------------------
# signatures


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64, endpoint=False) | _U64(1)
    b = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64, endpoint=False)
    return a, b


def _minhash_chunk(sh: np.ndarray, nsh: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    num_perm = a.size
    sig = np.full((nsh.size, num_perm), _EMPTY, dtype=np.uint32)
    has = nsh > 0
    if not has.any():
        return sig
    starts = (np.cumsum(nsh) - nsh)[has]
    out = np.empty((num_perm, starts.size), dtype=np.uint32)
    v = np.empty_like(sh)
    for k in range(num_perm):  # one contiguous column at a time: ~6x faster than 2-D blocks
        np.multiply(sh, a[k], out=v)
        v += b[k]
        v >>= _S32
        out[k] = np.minimum.reduceat(v, starts)
    sig[has] = out.T
    return sig


def _chunks(lens: np.ndarray) -> list[tuple[int, int]]:
    n = lens.size
    cum = np.cumsum(lens)
    out = []
    i = 0
    while i < n:
        before = cum[i - 1] if i else 0
        j = int(np.searchsorted(cum, before + _CHUNK_CHARS, side="right"))
        j = max(i + 1, min(j, i + _CHUNK_TEXTS, n))
        out.append((i, j))
        i = j
    return out


def _as_texts(keys: Sequence[str]) -> list[str]:
    texts = keys if isinstance(keys, list) else list(keys)
    if not all(isinstance(t, str) for t in texts):
        texts = [t if isinstance(t, str) else "" for t in texts]
    return texts


def minhash_signatures(
    keys: Sequence[str],
    *,
    num_perm: int = 64,
    shingle: Shingle = "word",
    ngram: int | None = None,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures of ``keys``: ``(sig, has_shingles)``.

    ``sig`` is an ``n x num_perm`` ``uint32`` matrix; ``has_shingles[i]`` is False for texts with
    no shingle at all (empty or blank), whose row is all ``0xFFFFFFFF`` and must not be compared.
    The share of equal columns of two rows estimates the Jaccard similarity of their shingle sets.
    Signatures depend only on the text, the parameters and ``seed`` (not on the other texts).
    """
    ngram = _check_shingle(shingle, ngram)
    if num_perm < 1:
        raise ValueError("num_perm must be >= 1")
    texts = _as_texts(keys)
    n = len(texts)
    a, b = _permutations(num_perm, seed)
    sig = np.empty((n, num_perm), dtype=np.uint32)
    has = np.zeros(n, dtype=bool)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    units_of = _word_units if shingle == "word" else _char_units
    for i, j in _chunks(lens):
        units, counts = units_of(texts[i:j])
        sh, nsh = _shingle_hashes(units, counts, ngram)
        sig[i:j] = _minhash_chunk(sh, nsh, a, b)
        has[i:j] = nsh > 0
        if progress is not None and j < n:
            progress(j)
    return sig, has


def _check_shingle(shingle: str, ngram: int | None) -> int:
    if shingle not in ("word", "char"):
        raise ValueError(f"shingle must be 'word' or 'char', not {shingle!r}")
    if ngram is None:
        ngram = 3 if shingle == "word" else 5
    if ngram < 1:
        raise ValueError("ngram must be >= 1")
    return int(ngram)


# ---------------------------------------------------------------------------------------------
# banding


def lsh_params(threshold: float, num_perm: int, target_recall: float = 0.95) -> tuple[int, int]:
    """Bands ``b`` and rows per band ``r`` (``b * r <= num_perm``) for a Jaccard ``threshold``.

    Among the settings under which a pair exactly at the threshold becomes a candidate with
    probability ``1 - (1 - t**r)**b >= target_recall``, pick the one with the fewest expected
    candidates below the threshold (the integral of that probability over ``[0, t]``). Candidates
    are verified afterwards, so extra candidates cost time, never precision. If no setting
    reaches the target, take the one with the best recall at the threshold.
    """
    s = np.linspace(0.0, threshold, 201)
    best: tuple[float, int, int] | None = None
    fallback: tuple[float, int, int] | None = None
    for r in range(1, num_perm + 1):
        b = num_perm // r
        p_t = 1.0 - (1.0 - threshold**r) ** b
        fp = float(np.trapezoid(1.0 - (1.0 - s**r) ** b, s))
        if p_t >= target_recall and (best is None or fp < best[0]):
            best = (fp, b, r)
        if fallback is None or p_t > fallback[0]:
            fallback = (p_t, b, r)
    chosen = best or fallback
    assert chosen is not None
    return chosen[1], chosen[2]


def _band_keys(sig: np.ndarray, c0: int, c1: int) -> np.ndarray:
    """One ``uint64`` bucket key per row from signature columns ``c0:c1``."""
    h = np.full(sig.shape[0], _U64(((c0 + 1) * int(_LEN_MUL)) % 2**64), dtype=np.uint64)
    for c in range(c0, c1):
        h ^= sig[:, c].astype(np.uint64)
        h = _fmix64(h)
    return h


def _band_pairs(keys: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of rows that share a bucket key: each row with the next ``_WINDOW`` of its bucket
    (in a random order, so that every band links a big bucket differently)."""
    rows = rng.permutation(keys.size)
    keys = keys[rows]
    order = np.argsort(keys, kind="stable")
    rows = rows[order]
    keys = keys[order]
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    for d in range(1, _WINDOW + 1):
        same = keys[d:] == keys[:-d]
        if not same.any():
            break  # no bucket holds more than d rows
        left.append(rows[:-d][same])
        right.append(rows[d:][same])
    if not left:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(left), np.concatenate(right)


def _matches(sig: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Number of equal signature columns of each pair ``(a[k], b[k])``."""
    out = np.empty(a.size, dtype=np.int32)
    for s in range(0, a.size, _VERIFY_CHUNK):
        e = s + _VERIFY_CHUNK
        out[s:e] = np.count_nonzero(sig[a[s:e]] == sig[b[s:e]], axis=1)
    return out


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(a.size, dtype=np.int8), (a, b)), shape=(n, n)).tocsr()
    return connected_components(graph, directed=False)[1].astype(np.int64)


def _first_member(labels: np.ndarray) -> np.ndarray:
    """For each row, the index of the first row with the same label."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return first[inverse]


def _components_among(
    sig: np.ndarray, need: int, bands: int, r: int, rng: np.random.Generator
) -> np.ndarray:
    """Connected components of the verified LSH graph over the rows of ``sig``."""
    n = sig.shape[0]
    labels = np.arange(n, dtype=np.int64)
    edge_a = np.zeros(0, dtype=np.int64)
    edge_b = np.zeros(0, dtype=np.int64)
    for band in range(bands):
        a, b = _band_pairs(_band_keys(sig, band * r, (band + 1) * r), rng)
        fresh = labels[a] != labels[b]  # pairs already connected need no check
        a, b = a[fresh], b[fresh]
        if a.size == 0:
            continue
        ok = _matches(sig, a, b) >= need
        if not ok.any():
            continue
        edge_a = np.concatenate([edge_a, a[ok]])
        edge_b = np.concatenate([edge_b, b[ok]])
        labels = _components(n, edge_a, edge_b)
        # keep the graph small: a star per component connects it just as well
        first = _first_member(labels)
        star = first != np.arange(n)
        edge_a, edge_b = np.flatnonzero(star), first[star]
    return labels


def _component_labels(sig: np.ndarray, has: np.ndarray, threshold: float, seed: int) -> np.ndarray:
    """Plain connected components; each text's "centre" is its component's first text."""
    n, num_perm = sig.shape
    need = int(np.ceil(threshold * num_perm - 1e-9))
    bands, r = lsh_params(threshold, num_perm)
    rng = np.random.default_rng([seed, 0x5EED])
    rows = np.flatnonzero(has)
    centre = np.arange(n, dtype=np.int64)
    if rows.size > 1:
        comp = _components_among(sig[rows], need, bands, r, rng)
        centre[rows] = rows[_first_member(comp)]
    return centre


def _buckets(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows sorted by bucket key, and the start of each bucket in that order."""
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    small = np.int32 if keys.size < 2**31 else np.int64  # kept for all bands: halve the memory
    return order.astype(small), starts.astype(small)


def _unique_pairs(a: np.ndarray, b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    code = np.sort(a * np.int64(n) + b)
    code = code[np.r_[True, code[1:] != code[:-1]]] if code.size else code
    return code // n, code % n


def _centres(
    sig: np.ndarray, has: np.ndarray, threshold: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Centre-based groups: every text is within ``threshold`` of its group's centre.

    Connected components of the verified graph chain (A~B and B~C with A and C far apart) and
    on large corpora of formulaic questions swallow whole topics, so groups are built around
    centres found in the LSH buckets instead:

    1. *Centrality*: a text's rank is the summed size of its buckets over all bands (a text that
       many others collide with, such as the template of a campaign, ranks high); ties are
       broken at random from ``seed``.
    2. *Heads*: in every band, each bucket's highest-ranked text is its head. Each text is
       compared with the heads of its buckets (at most one per band) and follows the
       highest-ranked head it is verified similar to (estimated Jaccard >= threshold), or itself.
    3. *Resolve*: texts that follow themselves are centres; a text whose head follows a centre
       joins that centre if it is itself within the threshold of it, else it waits.
    4. Waiting texts go to another round together with the centres found so far (ranked above
       everything, so they head the buckets they fall in). After ``_MAX_ROUNDS`` rounds the
       rest stay alone.

    Cost per round: ``bands`` sorts and at most ``bands * n`` verified pairs; no pair is ever
    enumerated inside a bucket, so copy-paste campaigns of any size are cheap.

    Returns ``(centre, matches)``: per text, the index of its group's centre and the number of
    signature values it shares with it.
    """
    n, num_perm = sig.shape
    need = int(np.ceil(threshold * num_perm - 1e-9))  # equal values for a verified pair
    bands, r = lsh_params(threshold, num_perm)
    rng = np.random.default_rng([seed, 0x5EED])
    centre = np.arange(n, dtype=np.int64)
    waiting = np.flatnonzero(has)
    fixed = np.zeros(0, dtype=np.int64)  # centres of earlier rounds
    for _ in range(_MAX_ROUNDS):
        if waiting.size == 0 or waiting.size + fixed.size < 2:
            break
        rows = np.concatenate([fixed, waiting])
        is_fixed = np.zeros(rows.size, dtype=bool)
        is_fixed[: fixed.size] = True
        sub = sig if rows.size == n and fixed.size == 0 else sig[rows]
        m = rows.size
        buckets = [_buckets(_band_keys(sub, b * r, (b + 1) * r)) for b in range(bands)]
        # 1. rank: fixed centres first, then summed bucket sizes, then at random
        weight = np.zeros(m, dtype=np.int64)
        for order, starts in buckets:
            size = np.diff(np.r_[starts, m])
            weight[order] += np.repeat(size, size)
        by_rank = np.lexsort((rng.permutation(m), weight, is_fixed))
        rank = np.empty(m, dtype=np.int64)
        rank[by_rank] = np.arange(m)
        # 2. heads: pairs (text, head of its bucket) per band
        left: list[np.ndarray] = []
        right: list[np.ndarray] = []
        for order, starts in buckets:
            size = np.diff(np.r_[starts, m])
            multi = size > 1
            if not multi.any():
                continue
            best = np.maximum.reduceat(rank[order], starts)
            head = np.repeat(by_rank[best], size)
            ok = np.repeat(multi, size) & (head != order)
            left.append(order[ok])
            right.append(head[ok])
        leader = np.arange(m, dtype=np.int64)
        linked = np.zeros(m, dtype=bool)  # verified similar to some other text
        if left:
            a, b = _unique_pairs(np.concatenate(left), np.concatenate(right), m)
            ok = _matches(sub, a, b) >= need
            a, b = a[ok], b[ok]
            linked[a] = True
            linked[b] = True
            best_rank = rank.copy()
            np.maximum.at(best_rank, a, rank[b])
            leader = by_rank[best_rank]
            leader[is_fixed] = np.flatnonzero(is_fixed)  # earlier centres stay centres
        # 3. resolve
        is_centre = leader == np.arange(m)
        joins = ~is_centre & is_centre[leader]
        target = leader.copy()
        second = np.flatnonzero(~is_centre & ~joins)  # its head follows someone else
        if second.size:
            up = leader[leader[second]]
            close = is_centre[up] & (_matches(sub, second, up) >= need)
            joins[second[close]] = True
            target[second[close]] = up[close]
        centre[rows[joins]] = rows[target[joins]]
        still = ~is_centre & ~joins
        # while texts wait, centres that may attract them go on; a text alone is done
        if not still.any():
            break
        fixed, waiting = rows[is_centre & (is_fixed | linked)], rows[still]
    matches = np.full(n, num_perm, dtype=np.int64)
    grouped = np.flatnonzero(centre != np.arange(n))
    matches[grouped] = _matches(sig, grouped, centre[grouped])
    return centre, matches


def near_groups(
    keys: Sequence[str],
    *,
    threshold: float = 0.7,
    num_perm: int = 64,
    shingle: Shingle = "word",
    ngram: int | None = None,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    grouping: Literal["centres", "components"] = "centres",
    return_similarity: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Group near-duplicate texts.

    ``keys`` are normalised, *distinct* texts (exact duplicates already folded). A text joins a
    group when the estimated Jaccard similarity of its shingle set to the group's centre is
    >= ``threshold`` (see the module docstring). Returns ``int64`` labels ``0..k-1`` in order
    of first appearance; a text with no near duplicate is its own group.

    ``shingle``: ``"word"`` (word ``ngram``-grams) or ``"char"`` (character ``ngram``-grams);
    ``ngram=None`` means 3 for words and 5 for characters. Texts shorter than ``ngram`` units
    get one shingle of all their units. ``seed`` fixes the hash functions and tie-breaks: same
    input and seed, same output. ``progress(k)`` is called with the number of texts processed
    so far, last with ``len(keys)``. ``grouping="components"``: connected components of
    verified pairs instead of centre-based groups (chains; for comparison).

    With ``return_similarity=True`` also returns, per text, the estimated Jaccard similarity to
    its group's centre (the group's most central text; 1.0 for the centre itself and for
    singletons), e.g. for ``flag_campaigns``'s ``similarity`` column.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    if grouping not in ("centres", "components"):
        raise ValueError(f"grouping must be 'centres' or 'components', not {grouping!r}")
    texts = _as_texts(keys)
    n = len(texts)
    sig, has = minhash_signatures(
        texts,
        num_perm=num_perm,
        shingle=shingle,
        ngram=ngram,
        seed=seed,
        progress=progress,
    )
    if grouping == "centres":
        centre, matches = _centres(sig, has, threshold, seed)
    else:
        centre = _component_labels(sig, has, threshold, seed)
        matches = _matches(sig, np.arange(n), centre)
    labels = pd.factorize(centre, sort=False)[0].astype(np.int64) if n else centre
    if progress is not None:
        progress(n)
    if not return_similarity:
        return labels
    return labels, matches / num_perm
