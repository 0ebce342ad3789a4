"""natasha's news NER model for person names, run faster than ``NERTagger.map``.

Same model and weights (shipped inside the natasha/slovnet PyPI packages, nothing downloaded): a
regex tokenizer instead of razdel, cached word/shape ids, only the token windows around candidate
words, batches sorted by length, convolutions as shifted matrix products, BLAS kept to one thread.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from contextlib import nullcontext

import numpy as np

try:  # optional: keeps BLAS single-threaded around the small NER matrix products
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - runs without it, only slower on a busy machine
    threadpool_limits = None

from .names import NER_BATCH_SIZE, NER_CHUNK_CHARS, NER_CONTEXT, _ner_candidate
from .spans import PER

_NER_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+(?:[.,]\d+)*|([^\w\s])\1*|_+")


class NerModel:
    """natasha's news NER model (``NewsEmbedding`` + ``NewsNERTagger``, shipped inside the
    PyPI packages, nothing downloaded), loaded once; returns PER spans only."""

    def __init__(self, batch_size: int = NER_BATCH_SIZE, blas_threads: int | None = 1) -> None:
        from natasha import NewsEmbedding, NewsNERTagger
        from slovnet.shape import word_shape

        tagger = NewsNERTagger(NewsEmbedding())
        infer = tagger.infer
        self._model = infer.model
        self._crf = infer.model.head.crf
        self._words = infer.encoder.words_vocab
        self._shapes = infer.encoder.shapes_vocab
        self._tags = list(infer.decoder.tags_vocab.items)
        self._word_shape = word_shape
        self._ids: dict[str, tuple[int, int]] = {}
        self.batch_size = batch_size
        # The matrices are small (64 windows x ~15 tokens): one BLAS thread is ~5x faster than
        # OpenBLAS's default two on a 2-core box that is also busy with other work.
        self.blas_threads = blas_threads
        self._prepare_forward()
        self._tag_part = []
        for tag in self._tags:
            if "-" in tag:
                part, typ = tag.split("-", 1)
            else:
                part, typ = tag, None
            self._tag_part.append((part, typ))

    def _prepare_forward(self) -> None:
        """Weights for :meth:`_forward`, a faster equivalent of the slovnet model's call."""
        m = self._model
        self._word_emb = m.emb.word
        self._shape_emb = np.ascontiguousarray(m.emb.shape.weight.array)
        self._layers = []
        for layer in m.encoder.layers:
            w = layer.conv.weight.array  # filters x in x kernel
            kernels = [np.ascontiguousarray(w[:, :, k].T) for k in range(w.shape[2])]
            norm = layer.norm
            scale = norm.weight.array / norm.std.array
            shift = norm.bias.array - norm.mean.array * scale
            self._layers.append((kernels, layer.conv.bias.array, layer.conv.padding, scale, shift))
        self._proj_w = m.head.proj.weight.array
        self._proj_b = m.head.proj.bias.array

    def _forward(self, word_id: np.ndarray, shape_id: np.ndarray, pad_mask: np.ndarray):
        """Emissions of the NER head: embeddings, 1-D convolutions as shifted matrix products
        over the flattened batch (no im2col copy), ReLU, batch norm, projection."""
        uniq, inv = np.unique(word_id, return_inverse=True)
        words = self._word_emb(uniq)[inv.reshape(-1)]
        b, s = word_id.shape
        x = np.concatenate((words.reshape(b, s, -1), self._shape_emb[shape_id]), axis=-1).astype(
            np.float32, copy=False
        )
        for kernels, bias, pad, scale, shift in self._layers:
            k = len(kernels)
            length = s + 2 * pad
            n = b * length
            xp = np.zeros((n + k - 1, x.shape[-1]), dtype=np.float32)
            xp[:n].reshape(b, length, -1)[:, pad : pad + s] = x
            out = xp[0:n] @ kernels[0]
            for j in range(1, k):
                out += xp[j : j + n] @ kernels[j]
            out += bias
            x = out.reshape(b, length, -1)[:, : length - k + 1]
            x = np.maximum(x, 0)
            x *= scale
            x += shift
            x[pad_mask] = 0
        return x @ self._proj_w + self._proj_b

    def _token_ids(self, word: str) -> tuple[int, int]:
        ids = self._ids.get(word)
        if ids is None:
            ids = (self._words.encode(word.lower()), self._shapes.encode(self._word_shape(word)))
            if len(self._ids) < 500_000:
                self._ids[word] = ids
        return ids

    def _tag_batch(self, batch: list[list[tuple[int, int, str]]]) -> list[list[int]]:
        size = max(len(toks) for toks in batch)
        word_id = np.full((len(batch), size), self._words.pad_id)
        shape_id = np.full((len(batch), size), self._shapes.pad_id)
        for r, toks in enumerate(batch):
            for c, (_, _, w) in enumerate(toks):
                word_id[r, c], shape_id[r, c] = self._token_ids(w)
        pad_mask = word_id == self._words.pad_id
        emissions = self._forward(word_id, shape_id, pad_mask)
        return [list(p) for p in self._crf.decode(emissions, ~pad_mask)]

    def person_spans(
        self, texts: Sequence[str], windows: bool = True
    ) -> list[list[tuple[int, int]]]:
        """(start, end) of every PER span in each text.

        With ``windows`` (the default) the model only sees the tokens around candidate words
        (title-case Cyrillic words that are not dictionary words starting a sentence), with
        :data:`NER_CONTEXT` tokens on each side. The encoder is three convolutions of width 3,
        so a token's scores depend on at most 3 neighbours each side: the windows give the
        same scores for the candidates at a fraction of the cost.
        """
        # cut long texts into pieces, tokenize every piece, keep windows around candidates
        pieces: list[tuple[int, int, list[tuple[int, int, str]]]] = []  # (text idx, offset, toks)
        ctx = NER_CONTEXT
        for ti, text in enumerate(texts):
            for off, piece in _split_long(text, NER_CHUNK_CHARS):
                toks = [(m.start(), m.end(), m.group()) for m in _NER_TOKEN.finditer(piece)]
                if not toks:
                    continue
                if not windows:
                    pieces.append((ti, off, toks))
                    continue
                cand = [i for i, (st, _, w) in enumerate(toks) if _ner_candidate(piece, st, w)]
                if not cand:
                    continue
                n = len(toks)
                lo, hi = max(0, cand[0] - ctx), min(n, cand[0] + ctx + 1)
                for i in cand[1:]:
                    if i - ctx <= hi:
                        hi = min(n, i + ctx + 1)
                    else:
                        pieces.append((ti, off, toks[lo:hi]))
                        lo, hi = max(0, i - ctx), min(n, i + ctx + 1)
                pieces.append((ti, off, toks[lo:hi]))
        out: list[list[tuple[int, int]]] = [[] for _ in texts]
        order = sorted(range(len(pieces)), key=lambda k: len(pieces[k][2]))
        limit = (
            threadpool_limits(self.blas_threads, user_api="blas")
            if threadpool_limits is not None and self.blas_threads and pieces
            else nullcontext()
        )
        with limit:
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                tags = self._tag_batch([pieces[k][2] for k in idx])
                for k, seq in zip(idx, tags, strict=True):
                    ti, off, toks = pieces[k]
                    out[ti].extend((s + off, e + off) for s, e in self._bio_per(toks, seq))
        for spans in out:
            spans.sort()
        return out

    def _bio_per(self, toks: list[tuple[int, int, str]], seq: list[int]):
        prev = None
        start = stop = 0
        for (s, e, _), tag_id in zip(toks, seq, strict=False):
            part, typ = self._tag_part[int(tag_id)]
            if part == "B":
                if prev == PER:
                    yield start, stop
                prev, start, stop = typ, s, e
            elif part == "I":
                stop = e
            else:
                if prev == PER:
                    yield start, stop
                prev = None
        if prev == PER:
            yield start, stop


def _split_long(text: str, limit: int) -> list[tuple[int, str]]:
    if len(text) <= limit:
        return [(0, text)]
    out = []
    pos = 0
    n = len(text)
    while pos < n:
        end = min(n, pos + limit)
        if end < n:
            cut = max(
                text.rfind("\n", pos + limit // 2, end), text.rfind(". ", pos + limit // 2, end)
            )
            if cut > pos:
                end = cut + 1
            else:
                sp = text.rfind(" ", pos + limit // 2, end)
                if sp > pos:
                    end = sp + 1
        out.append((pos, text[pos:end]))
        pos = end
    return out


_ner_lock = threading.Lock()
_ner_model: NerModel | None = None


def get_ner_model() -> NerModel:
    """The process-wide NER model, loaded on first use (about a second)."""
    global _ner_model
    if _ner_model is None:
        with _ner_lock:
            if _ner_model is None:
                _ner_model = NerModel()
    return _ner_model
