"""Word vectors and word clusters for words never seen in the unlabelled text, from their character n-grams.

The NER features look a word up in a table of word clusters learned on arwiki. A word the table does not hold
(15 % of the entity tokens of ANERcorp test, 6 % of train's: ``experiments/oov_rate.py``) gets no cluster at all.
Vectors per hashed character n-gram (3-5 characters with the word boundaries ``<``/``>``) — fastText's own
(``pipeline.train.vectors --fasttext``) or ones trained to predict the word2vec vectors of known words
(``pipeline.train.subwords``) — give such a word a vector, the mean of its n-grams' vectors, and a cluster, the
nearest k-means centroid (as k-means assigns). A model dir that holds ``subwords.npz`` uses them; the shipped
model does not: in 5-fold CV they gained nothing (BENCHMARKS.md, session 9).

The n-gram hashing is fastText's (FNV-1a over the UTF-8 bytes of each n-gram, bytes sign-extended as in its C++
code), so vectors trained by gensim's FastText are read the way gensim reads them; ``tests/test_subwords.py``
checks it against gensim.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

MIN_N, MAX_N = 3, 5  # character n-gram lengths (fastText's defaults)
_FNV_OFFSET = 2166136261
_FNV_PRIME = 16777619


def ngram_hash(ngram: str) -> int:
    """fastText's 32-bit hash of an n-gram (bytes >= 0x80 are XORed sign-extended, as a C++ ``int8_t``)."""
    h = _FNV_OFFSET
    for b in ngram.encode("utf-8"):
        h = ((h ^ (b | 0xFFFFFF00 if b >= 0x80 else b)) * _FNV_PRIME) & 0xFFFFFFFF
    return h


def char_ngrams(word: str, minn: int, maxn: int) -> list[str]:
    """The character n-grams fastText uses for ``word``: lengths minn..maxn of ``<word>``, but not the bare
    boundary markers."""
    s = "<" + word + ">"
    return [s[i:i + n] for i in range(len(s)) for n in range(minn, maxn + 1)
            if i + n <= len(s) and not (n == 1 and (i == 0 or i == len(s) - 1))]


class SubwordVectors:
    """Hashed n-gram vectors and the k-means centroids of the word clusters they were clustered with."""

    def __init__(self, ngrams: np.ndarray, scales: np.ndarray | None, centroids: list[np.ndarray],
                 minn: int, maxn: int):
        self.ngrams = ngrams  # (buckets, dim): int8 with a scale per row, or float
        self.scales = scales
        self.centroids = [np.asarray(c, dtype=np.float32) for c in centroids]
        self._half_sq_norms = [0.5 * (c * c).sum(axis=1) for c in self.centroids]
        self.minn, self.maxn = int(minn), int(maxn)
        self.buckets = ngrams.shape[0]

    @classmethod
    def load(cls, path: Path) -> "SubwordVectors":
        with np.load(path) as z:
            ks = [int(k) for k in z["ks"]]
            return cls(z["ngrams"], z["scales"] if "scales" in z.files else None,
                       [z[f"centroids{k}"] for k in ks], int(z["minn"]), int(z["maxn"]))

    def save(self, path: Path) -> None:
        arrays = {"ngrams": self.ngrams, "minn": self.minn, "maxn": self.maxn,
                  "ks": np.array([len(c) for c in self.centroids])}
        if self.scales is not None:
            arrays["scales"] = self.scales
        for c in self.centroids:
            arrays[f"centroids{len(c)}"] = c
        np.savez(path, **arrays)

    @classmethod
    def quantized(cls, ngrams: np.ndarray, centroids: list[np.ndarray], minn: int, maxn: int) -> "SubwordVectors":
        """int8 rows with a float16 scale each: a quarter of float32's size, cluster choices barely change."""
        ngrams = np.asarray(ngrams, dtype=np.float32)
        scales = np.abs(ngrams).max(axis=1) / 127.0
        scales[scales == 0] = 1.0
        q = np.rint(ngrams / scales[:, None]).astype(np.int8)
        return cls(q, scales.astype(np.float16), centroids, minn, maxn)

    def hashes(self, word: str) -> list[int]:
        return [ngram_hash(g) % self.buckets for g in char_ngrams(word, self.minn, self.maxn)]

    def vector(self, word: str) -> np.ndarray | None:
        """The mean of the word's n-gram vectors (fastText's vector of an unseen word); None without n-grams."""
        rows = self.hashes(word)
        if not rows:
            return None
        v = self.ngrams[rows].astype(np.float32)
        if self.scales is not None:
            v *= self.scales[rows].astype(np.float32)[:, None]
        return v.mean(axis=0)

    def unit_vector(self, word: str) -> np.ndarray | None:
        """``vector(word)`` scaled to length 1 (word vectors are clustered and looked up that way); None for none."""
        v = self.vector(word)
        norm = 0.0 if v is None else float(np.linalg.norm(v))
        return v / norm if norm > 0 else None

    def nearest(self, unit_vectors: np.ndarray) -> list[np.ndarray]:
        """Per clustering, the nearest centroid of each row of (n, dim) unit vectors, as k-means assigns."""
        return [np.argmax(unit_vectors @ c.T - h, axis=-1) for c, h in zip(self.centroids, self._half_sq_norms)]

    def clusters(self, word: str) -> tuple[str, ...]:
        """The word's cluster id under each clustering, () without n-grams."""
        v = self.unit_vector(word)
        return () if v is None else tuple(str(int(c)) for c in self.nearest(v))
